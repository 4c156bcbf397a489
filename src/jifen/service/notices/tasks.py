"""Background tasks of the notices (issue 16.2): the notice's PDF, rendered and stored once it is issued."""

from __future__ import annotations

from django_tasks import task

from jifen.service.notices.models import Notice


@task()
def render_notice(code: str) -> str:
    """Render the notice's PDF and keep it in the storage (:func:`jifen.service.notices.stored.store_pdf`); its
    storage name, or "" when there is no such notice (any more). A download that finds no file renders it itself,
    so a notice is never unavailable while this waits for a worker."""
    from jifen.service.notices.stored import store_pdf

    notice = Notice.objects.filter(code=code).first()
    if notice is None:
        return ""
    return store_pdf(notice)
