"""Unified social credit codes (统一社会信用代码, GB 32100-2015): 18 characters with a mod-31 check.

Pure: the facts parser checks ``social_insurance[].employer_uscc`` with it, and the service's employer
accounts use the same check (re-exported by :mod:`jifen.service.accounts.uscc`).
"""

from __future__ import annotations

import re

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, S, V, Z are never used
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"[0-9A-HJ-NPQRTUWXY]{{2}}\d{{6}}[{_CHARSET}]{{10}}")


def uscc_check_char(first17: str) -> str:
    total = sum(_CHARSET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None. Hyphens and spaces are refused."""
    if not _SHAPE.fullmatch(code):
        return "expected 18 characters: digits and capital letters other than I, O, S, V and Z"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, expected {expected}"
    return None


def uscc_problem_zh(code: str) -> str | None:
    """:func:`uscc_problem` in Chinese."""
    if not _SHAPE.fullmatch(code):
        return "应为18位：数字和除I、O、S、V、Z以外的大写字母"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"校验码为{code[17]}，应为{expected}"
    return None
