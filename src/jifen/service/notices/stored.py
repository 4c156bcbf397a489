"""The notice PDF kept in the default storage (issue 16, item 1): rendered once, served many times.

The stored file is the notice as issued and nothing in it goes stale: it shows the notice's own columns (holder,
points, dates, code; copied at issue and never changed), the points scheme's title (law data of that version)
and the application's score as approved. Whether the notice still stands (superseded, withdrawn, expired) is not
on the page -- its footer sends the reader to the verify page -- so a later decision does not call for a new file.
The QR code holds JIFEN_BASE_URL as it was when the file was stored: a service that moves keeps its old address
redirecting, as it must for the notices already printed.
Keeping the file even protects the record: a re-check (复核) re-approves the same application with a new score, and a
PDF rendered afresh for the withdrawn notice would show the new items under the old total.

``store_pdf`` is called when the notice is issued (a background task) and by ``open_pdf`` when a download finds
no file yet, so a download never waits on a worker. The storage is private: the file is only ever served by the
application after its permission check (``jifen.service.api.applications.notice_pdf``).
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from jifen.service.notices.models import Notice
from jifen.service.notices.pdf import render_pdf

FOLDER = "notices"


def pdf_name(notice: Notice) -> str:
    """The storage name of the notice's PDF, e.g. ``notices/7K3M9QX2PLWA.pdf``."""
    return f"{FOLDER}/{notice.code}.pdf"


def store_pdf(notice: Notice) -> str:
    """Render the notice's PDF and keep it under ``pdf_name`` (replacing any earlier file of that name);
    the name. Calling it again changes nothing a reader notices."""
    name, _ = _store(notice)
    return name


def open_pdf(notice: Notice) -> bytes:
    """The notice's stored PDF; rendered and stored first when there is none yet."""
    name = pdf_name(notice)
    try:
        with default_storage.open(name, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        return _store(notice)[1]
    return bytes(data)


def _store(notice: Notice) -> tuple[str, bytes]:
    name = pdf_name(notice)
    data = render_pdf(notice)
    default_storage.delete(name)  # the storages keep a name taken (file_overwrite False): free it first
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        # another process stored the same notice between the delete and the save, and the storage gave this copy
        # a new name: theirs stands under the exact name; this one goes
        default_storage.delete(saved)
    return name, data
