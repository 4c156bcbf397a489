"""The notice's font: a CJK TrueType font embedded in the PDF (ReportLab embeds the subset of glyphs used), so
the notice reads the same on a viewer without Chinese fonts.

The font is ``settings.JIFEN_NOTICE_FONT`` (a .ttf or .ttc) when set, else the first of Debian's TrueType CJK
fonts found. Without any, ReportLab's built-in CID font STSong-Light is used: not embedded, it needs the
viewer's Chinese font pack; a warning says so once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

logger = logging.getLogger("jifen.service.notices.font")

SETTING = "JIFEN_NOTICE_FONT"
# Debian's TrueType CJK fonts, the first found is used; the package that installs each.
CANDIDATES: tuple[tuple[Path, str], ...] = (
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), "fonts-wqy-zenhei"),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), "fonts-droid-fallback"),
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), "fonts-wqy-microhei"),
)
CID_FONT = "STSong-Light"


@dataclass(frozen=True, slots=True)
class NoticeFont:
    name: str  # as registered with ReportLab, for Canvas.setFont
    path: Path | None  # the embedded font file; None for the CID font (not embedded)

    @property
    def embedded(self) -> bool:
        return self.path is not None


def notice_font() -> NoticeFont:
    """The font to write the notice in, registered with ReportLab (once per font file)."""
    configured = str(getattr(settings, SETTING, "") or "")
    return _font(configured)


@cache
def _font(configured: str) -> NoticeFont:
    if configured and not Path(configured).is_file():
        logger.warning("%s=%s: no such file; looking for a Debian CJK font instead", SETTING, configured)
    tried = ([Path(configured)] if configured and Path(configured).is_file() else []) + [p for p, _ in CANDIDATES]
    for path in tried:
        if not path.is_file():
            continue
        name = f"JifenNotice-{path.stem}"
        try:
            # a .ttc holds several faces: the first is the regular one of the Debian fonts listed
            font = TTFont(name, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" else TTFont(name, str(path))
        except (TTFError, OSError) as exc:
            logger.warning("%s: cannot use %s as the notice font (%s)", SETTING, path, exc)
            continue
        pdfmetrics.registerFont(font)
        return NoticeFont(name, path)
    logger.warning(
        "No CJK TrueType font found for the notice PDF: it uses %s, which is not embedded and shows only in viewers "
        "with a Chinese font pack. Set %s to a .ttf/.ttc file or install the Debian package %s.",
        CID_FONT,
        SETTING,
        CANDIDATES[0][1],
    )
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return NoticeFont(CID_FONT, None)
