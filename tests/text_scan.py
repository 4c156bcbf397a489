"""What a person reads must not show the code's identifiers nor a second date style (issue 14 items 1 and 3):
scans shared by the browser walk, the notice PDF test and the e-mail tests."""

from __future__ import annotations

import re

_EDGE = r"(?<![A-Za-z0-9_.\-/])"  # a token starts after a space, a CJK character or punctuation
_END = r"(?![A-Za-z0-9_\-/])"
SNAKE_CASE = re.compile(_EDGE + r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+" + _END + r"(?!\.[a-z_])")  # not a key's head
DOTTED_KEY = re.compile(_EDGE + r"[a-z_]+(?:\.[a-z_]+)+" + r"(?![A-Za-z0-9_\-/]|\.[A-Za-z0-9_])")
VERSION_SLUG = re.compile(_EDGE + r"[a-z]+-\d{4}(?!\d)")
FILE_SUFFIXES = frozenset({"pdf", "csv", "json", "yaml", "yml", "png", "jpg", "jpeg", "txt", "html", "zip", "xlsx"})
HOST_SUFFIXES = frozenset({"com", "cn", "net", "org", "gov", "edu", "info", "io", "hk"})  # a source's site: 021shhk.com
URL_OR_EMAIL = re.compile(r"\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def id_tokens(text: str) -> list[str]:
    """The id-shaped tokens in ``text``, in order of appearance, each once: snake_case words
    (``si_base``), dotted parameter keys (``si_base.reference_wage``, but not ``contract.pdf``, a site's
    ``sh.bendibao.com`` nor "e.g.") and version slugs (``shanghai-2023``). Addresses and links are not looked at."""
    text = URL_OR_EMAIL.sub(" ", text)
    found: list[tuple[int, str]] = []
    for pattern in (SNAKE_CASE, DOTTED_KEY, VERSION_SLUG):
        for match in pattern.finditer(text):
            token = match.group()
            if pattern is DOTTED_KEY:
                parts = token.split(".")
                if parts[-1] in FILE_SUFFIXES | HOST_SUFFIXES or all(len(part) == 1 for part in parts):
                    continue  # a file, a web site, "e.g." or "i.e."
            found.append((match.start(), token))
    return list(dict.fromkeys(token for _, token in sorted(found)))


ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}(?:-\d{2})?(?![\d-])")


def iso_dates(text: str) -> list[str]:
    """Dates or months written the machine's way (2026-11-27, 2026-11) in ``text``: pages say them in words
    ("2026年11月27日", "27 November 2026"). Addresses and links are not looked at."""
    return list(dict.fromkeys(ISO_DATE.findall(URL_OR_EMAIL.sub(" ", text))))
