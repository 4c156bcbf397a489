"""Unified social credit codes (统一社会信用代码, GB 32100-2015): the pure check lives in :mod:`jifen.facts.uscc`."""

from __future__ import annotations

from jifen.facts.uscc import uscc_check_char, uscc_problem

__all__ = ["uscc_check_char", "uscc_problem"]
