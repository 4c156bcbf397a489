"""Every string of the pages has its English, and the compiled catalogue matches its source."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

SERVICE = Path(__file__).resolve().parents[2] / "src" / "jifen" / "service"
PO = SERVICE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def texts_in_pages() -> set[str]:
    found: set[str] = set()
    for template in (SERVICE / "web" / "templates").rglob("*.html"):
        found |= {m.group(2) for m in re.finditer(r'{%\s*translate\s+(["\'])(.+?)\1\s*%}', template.read_text())}
    for module in [*(SERVICE / "web").glob("*.py"), SERVICE / "applications" / "models.py"]:
        found |= set(re.findall(r'_\("(.+?)"\)', module.read_text()))
    return found


def test_every_text_of_the_pages_is_translated() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    english = {m.id: m.string for m in catalog if m.id}
    texts = texts_in_pages()
    assert len(texts) > 100
    missing = sorted(t for t in texts if not english.get(t))
    assert missing == []


def test_the_compiled_catalogue_is_current() -> None:
    """Django reads the .mo; it must say what the .po says (pybabel compile -d src/jifen/service/locale -D django)."""
    with PO.open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle) if m.id}
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == source
