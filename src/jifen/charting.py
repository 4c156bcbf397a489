"""What the charts share: matplotlib with text kept as text, a font stack that renders Chinese, and an SVG that
scales with the page (a viewBox, no fixed size) for a phone as for a wide screen.

The SVG names its fonts and lets the browser draw the letters; a PNG is drawn here, with a Chinese font file
when the machine has one (the letters fall back to matplotlib's own font otherwise, without a warning).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from functools import cache
from html import escape
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LANGUAGES = ("zh", "en")
FORMATS = (".svg", ".png")
# first the Chinese fonts of Linux, macOS and Windows, then matplotlib's own for its letter widths
FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "DejaVu Sans")
FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian: fonts-wqy-zenhei
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # Debian: fonts-noto-cjk
)
SIZE = (5.0, 3.7)  # inches, 72 SVG units each: 360 units wide, as many CSS pixels as a phone shows of it
MAX_WIDTH = "36rem"  # on a wide screen the chart stops growing, and its letters with it
PNG_DPI = 160
STYLE: dict[Any, Any] = {  # rcParams
    "svg.fonttype": "none",  # <text> elements, not paths: Chinese for the browser's fonts, searchable
    "svg.hashsalt": "jifen",  # the same chart, the same SVG (clip path ids)
    "font.family": ["sans-serif"],
    "font.sans-serif": list(FONTS),
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"the chart's language is zh or en, got {language!r}")


def check_format(path: Path) -> str:
    """The file's format (svg or png), from its suffix."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"the chart file must end in .svg or .png, got {path.name!r}")
    return path.suffix.lower().lstrip(".")


@contextlib.contextmanager
def drawing() -> Iterator[Any]:
    """matplotlib's pyplot, with the charts' style, for the time of a drawing.

    matplotlib takes most of a second to import: it is loaded when a chart is drawn, not with the CLI.
    """
    import matplotlib

    matplotlib.use("Agg")  # no screen: render to files only
    import matplotlib.pyplot as plt

    _add_font_files()
    fonts = logging.getLogger("matplotlib.font_manager")
    level = fonts.level
    fonts.setLevel(logging.ERROR)  # "font family not found": the next in the list is taken
    try:
        with plt.rc_context(STYLE), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
            yield plt
    finally:
        fonts.setLevel(level)


@cache
def _add_font_files() -> None:
    from matplotlib import font_manager

    for path in FONT_FILES:
        if path.exists():
            with contextlib.suppress(Exception):  # a damaged font file: the chart is drawn without it
                font_manager.fontManager.addfont(str(path))


def save(plt: Any, fig: Figure, target: Path | IO[bytes], kind: str, title: str) -> None:
    """Write ``fig`` as ``kind`` (svg or png) to ``target``; an SVG file starts with its XML declaration."""
    if kind == "png":
        fig.savefig(target, format="png", dpi=PNG_DPI, metadata={"Title": title})
    else:
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + svg_text(plt, fig, title)
        if isinstance(target, Path):
            target.write_text(text, encoding="utf-8")
        else:
            target.write(text.encode("utf-8"))
    plt.close(fig)


def svg_text(plt: Any, fig: Figure, title: str) -> str:
    """``fig`` as an ``<svg>`` element for a page: scaled by its viewBox to the width it is given (at most
    MAX_WIDTH), titled ``title``, without the XML prologue and matplotlib's metadata."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Type": None, "Format": None})
    plt.close(fig)
    raw = buffer.getvalue().decode("utf-8")
    svg = raw[raw.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, count=1, flags=re.S)
    head_end = svg.index(">") + 1
    head = re.sub(r'\s(width|height)="[^"]*"', "", svg[:head_end], count=2)
    head = head[:-1] + f' style="display: block; width: 100%; height: auto; max-width: {MAX_WIDTH}">'
    return f"{head}\n <title>{escape(title)}</title>{svg[head_end:]}".rstrip() + "\n"
