"""The inbox on the pages, for every signed-in person: the messages in the page's language, unread ones
marked in words; a message opened on its own page, or followed to its application, is marked read; and
"mark all read". Only the message's owner opens it: anyone else is told there is no such page (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from jifen.service import clock
from jifen.service.notifications.models import Message

INBOX_SIZE = 100  # the latest messages the inbox page lists


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404("sign in first")
    return user


def _own(request: HttpRequest, message_id: int) -> Message:
    """The signed-in person's message ``message_id``; 404 for anyone else's, as for one that does not exist."""
    found = Message.objects.filter(pk=message_id, user=_user(request)).first()
    if found is None:
        raise Http404("no such message")
    return found


def mark_read(message: Message) -> None:
    """Set ``read_at`` once: a compare-and-set, so that two tabs opening it keep the first reading."""
    now = clock.now()
    if Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
        message.read_at = now


@login_required(login_url="login")
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    messages_ = list(Message.objects.filter(user=_user(request))[:INBOX_SIZE])
    return render(request, "web/messages.html", {"inbox": messages_})


@login_required(login_url="login")  # the link in an e-mail asks to sign in, then comes back
@require_GET
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    found = _own(request, message_id)
    mark_read(found)
    return render(request, "web/message.html", {"m": found})


@login_required(login_url="login")
@require_GET
def message_application(request: HttpRequest, message_id: int) -> HttpResponse:
    """Follow a message to its application, marking it read (a message about none opens on its own page)."""
    found = _own(request, message_id)
    mark_read(found)
    if found.application_id is None:
        return redirect("message", found.pk)
    return redirect("application", found.application_id)


@login_required(login_url="login")
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread message of the signed-in person read, and go back to the page it was asked from."""
    Message.objects.filter(user=_user(request), read_at__isnull=True).update(read_at=clock.now())
    back = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return redirect(back if back and safe else "messages")
