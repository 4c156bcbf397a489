"""The notice as a PDF: ReportLab's built-in CJK font (no download) and a QR code to the verify page."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from jifen.service.notices.models import Notice

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def verify_url(notice: Notice) -> str:
    return f"{settings.JIFEN_BASE_URL.rstrip('/')}/verify/{notice.code}"


def render_pdf(notice: Notice) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle(f"上海市居住证积分通知书 {notice.code}")
    page.setFont(FONT, 20)
    page.drawCentredString(width / 2, height - 40 * mm, "上海市居住证积分通知书")
    page.setFont(FONT, 12)
    lines = [
        f"持证人：{notice.holder_name}",
        f"积分：{notice.points} 分",
        f"适用办法：{notice.policy_version}",
        f"核定日期：{notice.issued_on.isoformat()}",
        f"有效期至：{notice.valid_until.isoformat() if notice.valid_until else '与居住证有效期一致'}",
        f"验证码：{notice.code}",
        "积分有效期与《上海市居住证》有效期一致。扫描二维码或访问验证页面核验本通知书。",
        "Points notice (Shanghai Residence Permit Points). Scan the code to verify it.",
        "本通知书为核定时的记录，是否仍然有效以验证页面为准。",
        "A record of the decision when it was made: the verify page shows whether it is still current.",
    ]
    y = height - 60 * mm
    for line in lines:
        page.drawString(25 * mm, y, line)
        y -= 9 * mm
    qr = io.BytesIO()
    segno.make(verify_url(notice), error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    page.drawImage(ImageReader(qr), width - 65 * mm, 30 * mm, 40 * mm, 40 * mm)
    page.setFont(FONT, 9)
    page.drawString(25 * mm, 35 * mm, verify_url(notice))
    page.showPage()
    page.save()
    return buffer.getvalue()
