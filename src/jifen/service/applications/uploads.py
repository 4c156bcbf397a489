"""Materials: PDF, JPEG or PNG, told by their content and not their name; 10 MB at most; SHA-256 kept."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.db import transaction

from jifen.rules.indicators import INDICATOR_IDS
from jifen.service.applications.models import Application, Material, Status
from jifen.service.applications.workflow import require_agent
from jifen.service.audit.log import record
from jifen.service.errors import Conflict, Invalid
from jifen.service.inputs import short

SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
INDICATORS = ("basic", *INDICATOR_IDS)
UPLOADABLE = (Status.DRAFT, Status.CORRECTION_REQUESTED)


def _kept_name(name: str) -> str:
    """The file's own name as the column keeps it: no NUL, and shortened in the middle when too long."""
    name = name.replace("\x00", "")
    limit = Material._meta.get_field("original_name").max_length or 255
    if len(name) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    suffix = dot + suffix if stem and len(suffix) < 16 else ""
    return name[: limit - len(suffix) - 1] + "…" + suffix


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, suffix in SIGNATURES:
        if head.startswith(signature):
            return content_type, suffix
    return None


@transaction.atomic
def add_material(
    app: Application,
    user: User,
    indicator: str,
    upload: DjangoUploadedFile,  # type: ignore[type-arg]
    replaces: str | None = None,
) -> Material:
    """Keep ``upload`` as a material of ``app`` for ``indicator``; with ``replaces`` (a material's id), it takes
    the place of that earlier file of the same application, which stays kept and shown as replaced."""
    require_agent(app, user)
    if app.status not in UPLOADABLE:
        raise Conflict(
            f"materials can be added to a draft or during a correction, not when {app.status}",
            "只能在草稿或补正期间上传材料",
        )
    if indicator not in INDICATORS:
        raise Invalid(
            f"indicator: expected one of {', '.join(INDICATORS)}; got {short(indicator)!r}",
            f"材料类别无效：{short(indicator)}",
        )
    replaced = _replaced(app, replaces) if replaces else None
    size = upload.size or 0
    limit = settings.JIFEN_MAX_UPLOAD_BYTES
    if size == 0:
        raise Invalid("file: the file is empty", "文件为空")
    if size > limit:
        raise Invalid(
            f"file: {size} bytes is more than the {limit // (1024 * 1024)} MB allowed",
            f"文件超过{limit // (1024 * 1024)}MB",
        )
    data = upload.read()
    kind = sniff(data[:16])
    if kind is None:
        raise Invalid(
            "file: not a PDF, JPEG or PNG file (judged by its content, not its name)",
            "文件内容不是PDF、JPEG或PNG（按内容判断，而非文件名）",
        )
    content_type, suffix = kind
    digest = hashlib.sha256(data).hexdigest()
    material = Material(
        application=app,
        indicator=indicator,
        original_name=_kept_name(upload.name or "upload"),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
        replaces=replaced,
    )
    material.file.save(f"{digest[:16]}{suffix}", ContentFile(data), save=False)
    material.save()
    record(
        user,
        "add_material",
        "application",
        app.pk,
        None,
        {
            "material": str(material.pk),
            "indicator": indicator,
            "sha256": digest,
            "size": len(data),
            **({"replaces": str(replaced.pk)} if replaced is not None else {}),
        },
    )
    return material


def _replaced(app: Application, replaces: str) -> Material:
    """The earlier material of ``app`` named by ``replaces``, locked; refused when it is another application's
    (or none at all) or when a later file has already replaced it."""
    try:
        key = uuid.UUID(replaces)
    except ValueError:
        key = None
    found = Material.objects.select_for_update().filter(application=app, pk=key).first() if key else None
    if found is None:
        raise Invalid(
            f"replaces: {short(replaces)!r} is not a material of this application",
            f"替换文件：{short(replaces)}不是本申请的材料",
        )
    later = Material.objects.filter(replaces=found).first()
    if later is not None:
        raise Invalid(
            f"replaces: {found.original_name} ({found.pk}) was already replaced by {later.original_name} ({later.pk})",
            f"替换文件：{found.original_name}已被{later.original_name}替换",
        )
    return found
