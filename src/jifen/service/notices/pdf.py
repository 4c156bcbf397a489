"""The notice as a one-page A4 PDF: the holder, the points item by item as approved (the application's stored
score), the total, the permit's validity, the points scheme by its title, and the code with a QR code to the
verify page. Chinese first; the font is embedded (jifen.service.notices.font). The breakdown's type shrinks,
down to a floor, until it fits the page; past the floor the longest explanations are cut short."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from jifen.policy.loader import default_policy
from jifen.policy.wording import date_words
from jifen.service.notices.font import notice_font
from jifen.service.notices.models import Notice

WIDTH, HEIGHT = A4
LEFT: float = 18 * mm
RIGHT: float = 18 * mm
TOP: float = 16 * mm
BOTTOM: float = 14 * mm
QR_SIZE: float = 32 * mm
SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5)  # the breakdown's type, largest first
GREY = 0.4
# the breakdown's columns: indicator, points, counted, explanation and basis
COLUMNS: tuple[float, float, float, float] = (37 * mm, 12 * mm, 13 * mm, WIDTH - LEFT - RIGHT - 62 * mm)
PAD: float = 1.2 * mm
# Chinese punctuation that never starts a line
_NO_LINE_START = set("，。、；：！？）》」』〕”’%,.;:!?)")
_TOKENS = re.compile(r"[A-Za-z0-9.,;:'’%/()+\-]+ ?| |.")


def verify_url(notice: Notice) -> str:
    return f"{settings.JIFEN_BASE_URL.rstrip('/')}/verify/{notice.code}"


def policy_title(notice: Notice) -> str:
    """The points scheme in words: "《上海市居住证积分管理办法》（沪府规〔2022〕21号）", never its id."""
    for version in default_policy().versions:
        if version.id == notice.policy_version:
            name = version.name.split("（", 1)[0]  # the name without the period it covers
            return f"《{name}》（{version.title}）"
    score = notice.application.score if isinstance(notice.application.score, dict) else {}
    title = score.get("policy", {}).get("title") if isinstance(score.get("policy"), dict) else None
    return str(title) if title else "—"


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    label_en: str
    points: int
    counted: bool
    explanation: str  # the item's explanation with its sources, in words


def rows_of(score: object) -> list[Row]:
    """One row per scored item of a stored score (``jifen.score/1``); none when no score was stored."""
    if not isinstance(score, Mapping):
        return []
    rows = []
    for item in score.get("items", []):
        label = _words(item.get("label"))
        explanation = _words(item.get("explanation"), "")
        sources = list(dict.fromkeys(str(b["source"]) for b in item.get("basis", []) if b.get("source")))
        if sources:
            explanation += ("\n" if explanation else "") + "依据：" + "；".join(sources)
        rows.append(
            Row(
                label=label,
                label_en=_words(item.get("label"), "", "en"),
                points=int(item.get("points", 0)),
                counted=bool(item.get("counted", True)),
                explanation=explanation,
            )
        )
    return rows


def _words(text: Any, default: str = "—", language: str = "zh") -> str:
    if isinstance(text, Mapping):
        return str(text.get(language) or default)
    return str(text) if text else default


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` at most ``width`` wide: Chinese breaks between any characters, Latin words between
    words; a line never starts with closing punctuation."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKENS.findall(paragraph):
            if pdfmetrics.stringWidth(line + token.rstrip(), font, size) <= width or not line.strip():
                line += token
            elif token[0] in _NO_LINE_START:
                line += token  # a little past the edge rather than a lone comma on the next line
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
            while pdfmetrics.stringWidth(line.rstrip(), font, size) > width * 1.05 and len(line) > 1:
                cut = _fit(line, font, size, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def _fit(text: str, font: str, size: float, width: float) -> int:
    cut = 1
    while cut < len(text) and pdfmetrics.stringWidth(text[: cut + 1], font, size) <= width:
        cut += 1
    return cut


@dataclass(frozen=True, slots=True)
class _Layout:
    size: float
    cells: list[tuple[list[str], list[str], list[str]]]  # per row: label lines, English label lines, explanation

    @property
    def leading(self) -> float:
        return self.size * 1.3

    def height_of(self, cell: tuple[list[str], list[str], list[str]]) -> float:
        label, english, text = cell
        return max(len(label) + len(english), len(text), 1) * self.leading + 2 * PAD

    @property
    def height(self) -> float:
        return 2 * (self.leading + 2 * PAD) + sum(self.height_of(c) for c in self.cells)  # with head and total


def _layout(rows: Sequence[Row], font: str, size: float) -> _Layout:
    column, label_column = COLUMNS[3] - 2 * PAD, COLUMNS[0] - 2 * PAD
    cells = [
        (
            wrap(row.label, font, size, label_column),
            wrap(row.label_en, font, size - 1, label_column) if row.label_en else [],
            wrap(row.explanation, font, size, column),
        )
        for row in rows
    ]
    return _Layout(size, cells)


def fit(rows: Sequence[Row], font: str, room: float) -> _Layout:
    """The breakdown in the largest type that fits ``room``; in the smallest, the longest explanations are cut
    a line at a time (ending in "…") until it fits."""
    for size in SIZES:
        layout = _layout(rows, font, size)
        if layout.height <= room:
            return layout
    while layout.height > room:
        longest = max(range(len(layout.cells)), key=lambda i: len(layout.cells[i][2]))
        label, english, text = layout.cells[longest]
        if len(text) <= 1:
            break
        layout.cells[longest] = (label, english, [*text[:-2], text[-2][:-1] + "…"])
    return layout


def render_pdf(notice: Notice) -> bytes:
    font = notice_font().name
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=font, initialFontSize=10)
    page.setTitle(f"上海市居住证积分通知书 {notice.code}")
    page.setSubject("Points notice (Shanghai Residence Permit Points)")
    top = HEIGHT - TOP
    _draw_qr(page, verify_url(notice), WIDTH - RIGHT - QR_SIZE, top - QR_SIZE)
    page.setFont(font, 7)
    page.drawCentredString(WIDTH - RIGHT - QR_SIZE / 2, top - QR_SIZE - 3.5 * mm, "扫码核验 Scan to verify")

    page.setFont(font, 18)
    page.drawString(LEFT, top - 6 * mm, "上海市居住证积分通知书")
    _grey(page, font, 9, LEFT, top - 12 * mm, "Points notice (Shanghai Residence Permit Points)")
    y = top - 21 * mm
    # two to a line beside the QR code, the scheme's long title on a line of its own
    facts = [
        [("持证人", notice.holder_name), ("核定日期", date_words(notice.issued_on)["zh"])],
        [
            ("核定积分", f"{notice.points} 分"),
            ("有效期至", date_words(notice.valid_until)["zh"] if notice.valid_until else "与居住证有效期一致"),
        ],
        [("验证码", notice.code)],
        [("适用办法", policy_title(notice))],
    ]
    for line in facts:
        for column, (label, value) in enumerate(line):
            x = LEFT + column * 62 * mm
            page.setFont(font, 10.5)
            page.drawString(x, y, f"{label}：")
            page.setFont(font, 13 if label == "核定积分" else 10.5)
            page.drawString(x + 21 * mm, y, value)
        y -= 6 * mm

    footer = [
        ("积分有效期与《上海市居住证》有效期一致。扫描二维码或访问验证页面核验本通知书。", False),
        ("Points notice (Shanghai Residence Permit Points). Scan the code to verify it.", True),
        ("本通知书为核定时的记录，是否仍然有效以验证页面为准。", False),
        ("A record of the decision when it was made: the verify page shows whether it is still current.", True),
        (f"验证页面 Verify: {verify_url(notice)}", True),
    ]
    footer_top = BOTTOM + len(footer) * 4.6 * mm
    rows = rows_of(notice.application.score)
    if rows:
        _draw_breakdown(page, font, rows, notice.points, y - 1 * mm, footer_top + 4 * mm)
    fy = footer_top
    for text, english in footer:
        if english:
            _grey(page, font, 8, LEFT, fy, text)
        else:
            page.setFont(font, 8.5)
            page.drawString(LEFT, fy, text)
        fy -= 4.6 * mm
    page.showPage()
    page.save()
    return buffer.getvalue()


def _draw_breakdown(page: canvas.Canvas, font: str, rows: Sequence[Row], total: int, top: float, bottom: float) -> None:
    page.setFont(font, 10.5)
    page.drawString(LEFT, top - 4 * mm, "核定积分明细")
    _grey(page, font, 8, LEFT + 24 * mm, top - 4 * mm, "Points item by item")
    top -= 7 * mm
    layout = fit(rows, font, top - bottom)
    size, leading = layout.size, layout.leading
    xs = [LEFT]
    for w in COLUMNS:
        xs.append(xs[-1] + w)
    head = leading + 2 * PAD
    page.setFillGray(0.92)
    page.rect(LEFT, top - head, xs[-1] - LEFT, head, stroke=0, fill=1)
    page.setFillGray(0)
    page.setFont(font, size)
    baseline = top - PAD - size
    page.drawString(xs[0] + PAD, baseline, "指标")
    page.drawRightString(xs[2] - PAD, baseline, "分值")
    page.drawCentredString((xs[2] + xs[3]) / 2, baseline, "计入")
    page.drawString(xs[3] + PAD, baseline, "说明与依据")
    y = top - head
    page.setLineWidth(0.3)
    page.setStrokeGray(0.6)
    for row, cell in zip(rows, layout.cells, strict=True):
        height = layout.height_of(cell)
        page.line(LEFT, y, xs[-1], y)
        line_y = y - PAD - size
        label, english, text = cell
        page.setFont(font, size)
        for i, line in enumerate(label):
            page.drawString(xs[0] + PAD, line_y - i * leading, line)
        for i, line in enumerate(english, start=len(label)):
            _grey(page, font, size - 1, xs[0] + PAD, line_y - i * leading, line)
        page.setFont(font, size)
        if not row.counted:
            page.setFillGray(GREY)
        page.drawRightString(xs[2] - PAD, line_y, str(row.points))
        page.drawCentredString((xs[2] + xs[3]) / 2, line_y, "计入" if row.counted else "不计入")
        page.setFillGray(0)
        for i, line in enumerate(text):
            page.drawString(xs[3] + PAD, line_y - i * leading, line)
        y -= height
    page.setLineWidth(0.8)
    page.setStrokeGray(0)
    page.line(LEFT, y, xs[-1], y)
    page.setFont(font, size + 1)
    line_y = y - PAD - size - 1
    page.drawString(xs[0] + PAD, line_y, "合计 Total")
    page.drawRightString(xs[2] - PAD, line_y, str(total))
    page.setFont(font, size)
    page.drawString(xs[3] + PAD, line_y, "分（计入的各项之和）")


def _grey(page: canvas.Canvas, font: str, size: float, x: float, y: float, text: str) -> None:
    page.setFillGray(GREY)
    page.setFont(font, size)
    page.drawString(x, y, text)
    page.setFillGray(0)


def _draw_qr(page: canvas.Canvas, url: str, x: float, y: float) -> None:
    """The QR code as one vector shape (sharp at any zoom, no seams between modules, no image decoder needed)."""
    qr = segno.make(url, error="m")
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=2)]
    module = QR_SIZE / len(matrix)
    shape = page.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):  # a run of dark modules in a row is one rectangle
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            shape.rect(x + start * module, y + QR_SIZE - (r + 1) * module, (c - start) * module, module)
    page.setFillGray(0)
    page.drawPath(shape, stroke=0, fill=1)
