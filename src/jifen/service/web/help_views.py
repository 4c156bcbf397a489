"""The help page (常见问题): the holders' questions answered from the policy in force on the service's today."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jifen.advisor.help import answers
from jifen.policy.loader import default_policy
from jifen.service import clock
from jifen.service.web.views import lang
from jifen.workdays import default_calendar


@require_GET
def help_page(request: HttpRequest) -> HttpResponse:
    known = default_calendar().official_years()
    found = answers(default_policy(), clock.today(), calendar_known_to=known[-1])
    return render(request, "web/help.html", {"answers": found, "lang": lang()})
