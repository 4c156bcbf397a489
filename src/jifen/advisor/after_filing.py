"""After filing (contract §5 ``after_filing``): acceptance, verification, review, a return, rejection and
the remedies, in that order, from ``policy/after_filing.yaml`` with every figure a dated policy parameter.

The file is read strictly: an unknown key, a figure that names no parameter, a placeholder the text does
not define or a missing case names the file and the key. A return follows the reading ``return_clock``
(``procedure.clock_after_return``): the review period restarts from the resubmission by default.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jifen.advisor.result import AFTER_FILING_KINDS, AfterFiling, Decision
from jifen.policy.model import CONFIDENCE_TAGS, NotInForceError, Parameter, Policy, PolicyError
from jifen.policy.texts import policy_text
from jifen.policy.wording import date_words, value_words
from jifen.yamlio import load_yaml

ESTIMATE_KEYS = ("filed", "decision_from", "decision_to", "low", "high")
_STEP_KEYS = ("kind", "confidence", "zh", "en", "sources")
_OPTIONAL_KEYS = ("figures", "field", "case", "cases", "estimate", "estimate_undated")


@dataclass(frozen=True, slots=True)
class StepText:
    kind: str
    confidence: str
    text: dict[str, str]
    sources: tuple[str, ...]
    figures: dict[str, str]  # placeholder -> parameter
    field: tuple[str, str] | None  # (json key, placeholder)
    case: str | None
    cases: dict[str, dict[str, str]]
    estimate: dict[str, str] | None
    estimate_undated: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class AfterFilingText:
    steps: tuple[StepText, ...]
    sources: tuple[str, ...]


class _Reader:
    def __init__(self, path: Path) -> None:
        self.name = f"policy/{path.name}"

    def error(self, key: str, message: str) -> PolicyError:
        return PolicyError(f"{self.name}: {key}: {message}")

    def mapping(
        self, value: object, key: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.error(key, "expected a mapping")
        for k in value:
            if k not in required and k not in optional:
                raise self.error(f"{key}.{k}", "unknown key")
        for k in required:
            if k not in value:
                raise self.error(f"{key}.{k}", "missing")
        return value

    def table(self, value: object, key: str) -> dict[str, Any]:
        """A mapping with keys of the file's choosing."""
        if not isinstance(value, dict):
            raise self.error(key, "expected a mapping")
        return {str(k): v for k, v in value.items()}

    def text(self, value: object, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"expected text, got {value!r}")
        return value.strip()

    def links(self, value: object, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise self.error(key, "expected a non-empty list of links")
        return tuple(self.text(v, f"{key}[{i}]") for i, v in enumerate(value))

    def words(self, value: object, key: str, allowed: set[str]) -> dict[str, str]:
        d = self.mapping(value, key, ("zh", "en"))
        out = {lang: self.text(d[lang], f"{key}.{lang}") for lang in ("zh", "en")}
        for lang, text in out.items():
            for _, name, _, _ in string.Formatter().parse(text):
                if name is not None and name not in allowed:
                    raise self.error(f"{key}.{lang}", f"{{{name}}} is not defined here")
        return out


def load_after_filing(path: Path, parameters: Mapping[str, Parameter]) -> AfterFilingText:
    """Read ``path`` strictly; every figure must name one of ``parameters``, and a ``case`` must give a text
    for every value its parameter can take (under any reading)."""
    r = _Reader(path)
    data = r.mapping(load_yaml(path), "", ("sources", "steps"))
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list):
        raise r.error("steps", "expected a list")
    steps = []
    for i, raw in enumerate(raw_steps):
        key = f"steps[{i}]"
        d = r.mapping(raw, key, _STEP_KEYS, _OPTIONAL_KEYS)
        kind = r.text(d["kind"], f"{key}.kind")
        confidence = d["confidence"]
        if confidence not in CONFIDENCE_TAGS:
            raise r.error(f"{key}.confidence", f"expected one of {', '.join(CONFIDENCE_TAGS)}, got {confidence!r}")
        figures = {
            str(k): r.text(v, f"{key}.figures.{k}") for k, v in r.table(d.get("figures", {}), f"{key}.figures").items()
        }
        for placeholder, parameter in figures.items():
            if parameter not in parameters:
                raise r.error(f"{key}.figures.{placeholder}", f"no parameter named {parameter!r}")
        allowed = set(figures) | {f"{p}_words" for p in figures}
        field = None
        if "field" in d:
            fields = r.table(d["field"], f"{key}.field")
            if len(fields) != 1:
                raise r.error(f"{key}.field", "expected one json key and its figure")
            ((json_key, placeholder),) = fields.items()
            if placeholder not in figures:
                raise r.error(f"{key}.field.{json_key}", f"{placeholder!r} is not one of the figures")
            field = (str(json_key), str(placeholder))
        case, cases = None, {}
        if "case" in d or "cases" in d:
            case = r.text(d.get("case"), f"{key}.case")
            if case not in figures:
                raise r.error(f"{key}.case", f"{case!r} is not one of the figures")
            raw_cases = r.table(d.get("cases"), f"{key}.cases")
            if not raw_cases:
                raise r.error(f"{key}.cases", "expected the text of each value")
            cases = {str(v): r.words(t, f"{key}.cases.{v}", allowed) for v, t in raw_cases.items()}
            missing = sorted(_values(parameters[figures[case]]) - set(cases))
            if missing:
                raise r.error(f"{key}.cases.{missing[0]}", f"missing: {figures[case]} can be {missing[0]!r}")
        estimates = allowed | set(ESTIMATE_KEYS)
        steps.append(
            StepText(
                kind=kind,
                confidence=confidence,
                text=r.words({"zh": d["zh"], "en": d["en"]}, key, allowed),
                sources=r.links(d["sources"], f"{key}.sources"),
                figures=figures,
                field=field,
                case=case,
                cases=cases,
                estimate=r.words(d["estimate"], f"{key}.estimate", estimates) if "estimate" in d else None,
                estimate_undated=(
                    r.words(d["estimate_undated"], f"{key}.estimate_undated", allowed | {"low", "high"})
                    if "estimate_undated" in d
                    else None
                ),
            )
        )
    kinds = tuple(s.kind for s in steps)
    if kinds != AFTER_FILING_KINDS:
        raise r.error(
            "steps", f"expected the kinds {', '.join(AFTER_FILING_KINDS)} in this order, got {', '.join(kinds)}"
        )
    return AfterFilingText(tuple(steps), r.links(data["sources"], "sources"))


def after_filing(
    policy: Policy, day: date, decision: Decision | None, default_range: tuple[int, int]
) -> tuple[AfterFiling, ...]:
    """The steps after a filing on ``day`` with the figures in force then, under the policy's readings.

    ``decision``: the advice's expected decision, dated, for the review step; without one the review step
    gives ``default_range`` working days after filing. A step whose figures are not all in force on ``day``
    is left out."""
    text = after_filing_text(policy)
    out = []
    for step in text.steps:
        try:
            resolved = {p: policy.resolve(name, day) for p, name in step.figures.items()}
        except NotInForceError:
            continue
        values: dict[str, object] = {p: r.value for p, r in resolved.items()}
        zh_args, en_args = dict(values), dict(values)
        for p, r in resolved.items():
            words = value_words(policy.parameters[r.parameter], r.value)
            zh_args[f"{p}_words"] = words["zh"] if words else r.value
            en_args[f"{p}_words"] = words["en"] if words else r.value
        zh = step.text["zh"].format(**zh_args)
        en = step.text["en"].format(**en_args)
        if step.case is not None:
            chosen = step.cases.get(str(values[step.case]))
            if chosen is None:
                raise PolicyError(f"policy/after_filing.yaml: {step.kind}: no text for {step.case}={values[step.case]}")
            zh += chosen["zh"].format(**zh_args)
            en += " " + chosen["en"].format(**en_args)
        estimate = _estimate(step, decision, default_range)
        if estimate is not None:
            words, args = estimate
            zh += words["zh"].format(**zh_args, **args["zh"])
            en += " " + words["en"].format(**en_args, **args["en"])
        figure = None
        if step.field is not None:
            json_key, placeholder = step.field
            value = values[placeholder]
            assert isinstance(value, int)  # noqa: S101 - the figures given as fields are counts
            figure = (json_key, value, resolved[placeholder].entry.source.cite())
        out.append(AfterFiling(step.kind, {"zh": zh, "en": en}, figure, step.confidence))
    return tuple(out)


def _estimate(
    step: StepText, decision: Decision | None, default_range: tuple[int, int]
) -> tuple[dict[str, str], dict[str, dict[str, object]]] | None:
    """The advice's own decision estimate for ``step``, if it gives one: its words and their arguments in each
    language (days as a reader says them: "2026年12月1日", "1 December 2026")."""
    if decision is not None and step.estimate is not None:
        low, high = decision.working_days
        days = {"filed": decision.filed, "decision_from": decision.earliest, "decision_to": decision.latest}
        return step.estimate, {
            lang: {"low": low, "high": high, **{k: date_words(d)[lang] for k, d in days.items()}}
            for lang in ("zh", "en")
        }
    if step.estimate_undated is not None:
        counts: dict[str, object] = {"low": default_range[0], "high": default_range[1]}
        return step.estimate_undated, {"zh": counts, "en": counts}
    return None


def _values(parameter: Parameter) -> set[str]:
    """Every value ``parameter`` can take, under any reading, as text."""
    out = set()
    for entry in parameter.values:
        out.add(str(entry.value))
        out.update(str(v) for alternatives in entry.variants.values() for v in alternatives.values())
    return out


def after_filing_text(policy: Policy) -> AfterFilingText:
    """The texts of the policy data in use, checked against ``policy``'s parameters, read once for each."""
    return policy_text(policy, "after_filing.yaml", load_after_filing)
