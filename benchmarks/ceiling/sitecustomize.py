"""The ceiling of ``POST /api/v1/score`` ÷ ``GET /healthz`` (issue 16, item 7): parts of a /score taken away.

Used by ``python benchmarks/bench_load.py --ceiling VARIANT``, which starts the server with this folder on
PYTHONPATH and ``JIFEN_BENCH_CEILING=VARIANT``; Python imports ``sitecustomize`` at start-up, and once
Django is set up the server's /score is changed as the variant says (nothing else is):

- ``answer-ready``: the endpoint hands back the answer it computed for its first call, so a call costs
  everything but the engine: the body parsed, the throttle, the 20 KB ``jifen.score/1`` answer encoded and
  sent (the benchmark sends one body, so the answer is the one the engine gives for it);
- ``empty-answer``: the endpoint answers ``{}``: the body parsed and the throttle, no engine, no answer;
- ``no-operation``: django-ninja's operation answers ``{}`` before its checks: Django, the middleware and
  the routing of a POST, and nothing of the API's own.

Never on a served product: only the benchmark sets the variable.
"""

from __future__ import annotations

import os
from typing import Any

VARIANTS = ("answer-ready", "empty-answer", "no-operation")
_VARIANT = os.environ.get("JIFEN_BENCH_CEILING", "")


class _Answer:
    def __init__(self, answer: dict[str, Any]) -> None:
        self._answer = answer

    def to_dict(self) -> dict[str, Any]:
        return self._answer


def _take_away() -> None:
    """Change /score as the variant says (after django.setup: the API's modules need the settings)."""
    from django.http import HttpRequest, HttpResponse
    from ninja.operation import Operation

    from jifen.rules.engine import score
    from jifen.service.api import public

    if _VARIANT == "no-operation":
        run = Operation.run

        def answer_at_once(self: Operation, request: HttpRequest, **kw: Any) -> Any:
            if request.path == "/api/v1/score":
                return HttpResponse(b"{}", content_type="application/json")
            return run(self, request, **kw)

        Operation.run = answer_at_once  # type: ignore[method-assign]
        return
    kept: list[_Answer] = []

    def ready(facts: dict[str, Any], on: Any = None) -> _Answer:
        if _VARIANT == "empty-answer":
            return _Answer({})
        if not kept:
            kept.append(_Answer(score(facts, on=on).to_dict()))
        return kept[0]

    public.score = ready  # type: ignore[attr-defined,assignment]


if _VARIANT:
    if _VARIANT not in VARIANTS:
        raise SystemExit(f"JIFEN_BENCH_CEILING: one of {', '.join(VARIANTS)}, not {_VARIANT!r}")
    import django

    _setup = django.setup

    def _setup_then_take_away(*args: Any, **kwargs: Any) -> None:
        _setup(*args, **kwargs)
        _take_away()

    django.setup = _setup_then_take_away
