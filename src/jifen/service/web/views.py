from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jifen.service.notices.issue import masked
from jifen.service.notices.models import Notice


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "web/index.html")


def verify(request: HttpRequest, code: str) -> HttpResponse:
    notice = Notice.objects.filter(code=code.upper()).first()
    if notice is None:
        raise Http404("no such notice")
    today = timezone.localdate()
    valid = notice.valid_until is None or today <= notice.valid_until
    context = {"notice": notice, "name": masked(notice.holder_name), "valid": valid}
    return render(request, "web/verify.html", context)
