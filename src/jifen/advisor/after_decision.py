"""After a decision: what a holder can do about a rejection (or an approval they dispute), in order, each
with its last day, from ``policy/after_decision.yaml`` with every figure a dated policy parameter.

- ``refile``: the employer files again once the conditions are met; no last day.
- ``recheck``: 复核, this service's own re-check by another reviewer (not a statutory procedure), asked for
  by the employer's agent within ``review.appeal_days`` of the decision.
- ``reconsideration``: 行政复议 within ``procedure.reconsideration_days``, counted from the decision date
  (the earliest the holder could have learned of it).
- ``litigation``: 行政诉讼 within ``procedure.litigation_months``, counted the same way.

The file is read strictly: an unknown key, a figure that names no parameter, a period in a unit other than
days or months, or a placeholder the text does not define names the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jifen.dates import add_days_capped, add_months_capped
from jifen.policy.model import CONFIDENCE_TAGS, NotInForceError, Parameter, Policy, PolicyError
from jifen.policy.strict import StrictFile, placeholders
from jifen.policy.texts import policy_text
from jifen.policy.wording import date_words, value_words
from jifen.yamlio import load_yaml

ROUTE_KINDS = ("refile", "recheck", "reconsideration", "litigation")
DECISIONS = ("approved", "rejected")
COUNTED_UNITS = ("days", "months")  # the units a period counted from the decision date can have
_ROUTE_KEYS = ("kind", "confidence", "zh", "en", "sources")
_OPTIONAL_KEYS = ("figures", "last_day")
_FILE = "policy/after_decision.yaml"


@dataclass(frozen=True, slots=True)
class Route:
    """One thing the holder can do after a decision: its kind (one of ``ROUTE_KINDS``), the last day to do
    it (None when there is none), its text in zh and en, its confidence tag and its sources."""

    kind: str
    last_day: date | None
    text: dict[str, str]
    confidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RouteText:
    kind: str
    confidence: str
    text: dict[str, str]
    sources: tuple[str, ...]
    figures: dict[str, str]  # placeholder -> parameter
    last_day: str | None  # the placeholder of the period counted from the decision date


@dataclass(frozen=True, slots=True)
class AfterDecisionText:
    routes: tuple[RouteText, ...]
    sources: tuple[str, ...]


_F = StrictFile(Path(_FILE), _FILE)  # errors name the file as the policy data has it
_error, _mapping = _F.error, _F.mapping
_placeholders = placeholders


def _text(value: object, key: str) -> str:
    return _F.text(value, key).strip()


def _links(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _error(key, "expected a non-empty list of links")
    return tuple(_text(v, f"{key}[{i}]") for i, v in enumerate(value))


def load_after_decision(path: Path, parameters: Mapping[str, Parameter]) -> AfterDecisionText:
    """Read ``path`` strictly: the kinds of ``ROUTE_KINDS`` in that order, every figure naming one of
    ``parameters``, a ``last_day`` naming a figure counted in days or months and written in both texts."""
    data = _mapping(load_yaml(path), "", ("sources", "routes"))
    raw_routes = data["routes"]
    if not isinstance(raw_routes, list):
        raise _error("routes", "expected a list")
    routes = []
    for i, raw in enumerate(raw_routes):
        key = f"routes[{i}]"
        d = _mapping(raw, key, _ROUTE_KEYS, _OPTIONAL_KEYS)
        confidence = d["confidence"]
        if confidence not in CONFIDENCE_TAGS:
            raise _error(f"{key}.confidence", f"expected one of {', '.join(CONFIDENCE_TAGS)}, got {confidence!r}")
        raw_figures = d.get("figures", {})
        if not isinstance(raw_figures, dict):
            raise _error(f"{key}.figures", "expected a mapping")
        figures = {str(k): _text(v, f"{key}.figures.{k}") for k, v in raw_figures.items()}
        for placeholder, parameter in figures.items():
            if parameter not in parameters:
                raise _error(f"{key}.figures.{placeholder}", f"no parameter named {parameter!r}")
        last_day = None
        if "last_day" in d:
            last_day = _text(d["last_day"], f"{key}.last_day")
            if last_day not in figures:
                raise _error(f"{key}.last_day", f"{last_day!r} is not one of the figures")
            unit = parameters[figures[last_day]].unit
            if unit not in COUNTED_UNITS:
                raise _error(f"{key}.last_day", f"{figures[last_day]} is counted in {unit}, not days or months")
        allowed = set(figures) | {f"{p}_words" for p in figures} | {"decided_on"}
        if last_day is not None:
            allowed.add("last_day")
        text = {lang: _text(d[lang], f"{key}.{lang}") for lang in ("zh", "en")}
        for lang, words in text.items():
            names = _placeholders(words)
            unknown = sorted(names - allowed)
            if unknown:
                raise _error(f"{key}.{lang}", f"{{{unknown[0]}}} is not defined here")
            if last_day is not None and "last_day" not in names:
                raise _error(f"{key}.{lang}", "the text does not give {last_day}")
        routes.append(
            RouteText(
                kind=_text(d["kind"], f"{key}.kind"),
                confidence=confidence,
                text=text,
                sources=_links(d["sources"], f"{key}.sources"),
                figures=figures,
                last_day=last_day,
            )
        )
    kinds = tuple(r.kind for r in routes)
    if kinds != ROUTE_KINDS:
        raise _error("routes", f"expected the kinds {', '.join(ROUTE_KINDS)} in this order, got {', '.join(kinds)}")
    return AfterDecisionText(tuple(routes), _links(data["sources"], "sources"))


def routes_after(decision: str, decided_on: date, policy: Policy) -> list[Route]:
    """What the holder can do after ``decision`` ("approved" or "rejected") made on ``decided_on``, in order,
    with the figures in force on that day. A last day is counted from ``decided_on``: N days later, or the
    corresponding day N months later (the month's last day when it has none). A route whose figures are not
    all in force on ``decided_on`` is left out."""
    if decision not in DECISIONS:
        raise ValueError(f"decision: expected one of {', '.join(DECISIONS)}, got {decision!r}")
    out = []
    for route in after_decision_text(policy).routes:
        try:
            resolved = {p: policy.resolve(name, decided_on) for p, name in route.figures.items()}
        except NotInForceError:
            continue
        decided = date_words(decided_on)
        zh_args: dict[str, object] = {"decided_on": decided["zh"]}
        en_args: dict[str, object] = {"decided_on": decided["en"]}
        for p, r in resolved.items():
            words = value_words(policy.parameters[r.parameter], r.value)
            zh_args[p] = en_args[p] = r.value
            zh_args[f"{p}_words"] = words["zh"] if words else r.value
            en_args[f"{p}_words"] = words["en"] if words else r.value
        last_day = None
        if route.last_day is not None:
            period = resolved[route.last_day]
            if not isinstance(period.value, int) or isinstance(period.value, bool):
                raise PolicyError(f"{_FILE}: {route.kind}: {period.parameter} is not a whole number")
            if policy.parameters[period.parameter].unit == "months":
                last_day = add_months_capped(decided_on, period.value)
            else:
                last_day = add_days_capped(decided_on, period.value)
            zh_args["last_day"], en_args["last_day"] = date_words(last_day)["zh"], date_words(last_day)["en"]
        sources = dict.fromkeys([*route.sources, *(r.entry.source.href for r in resolved.values())])
        confidence = max([route.confidence, *(r.entry.confidence for r in resolved.values())])
        out.append(
            Route(
                kind=route.kind,
                last_day=last_day,
                text={"zh": route.text["zh"].format(**zh_args), "en": route.text["en"].format(**en_args)},
                confidence=confidence,
                sources=tuple(sources),
            )
        )
    return out


def after_decision_text(policy: Policy) -> AfterDecisionText:
    """The texts of the policy data in use, checked against ``policy``'s parameters, read once for each."""
    return policy_text(policy, "after_decision.yaml", load_after_decision)
