"""The public contract's documents (``jifen.facts/1``, ``jifen.score/1``, ``jifen.advice/1``) as JSON Schema.

They describe, in the OpenAPI document, what ``/score`` and ``/advise`` take and give. They are documentation
only: the request body is still checked by the engine's own parser (``jifen.facts.parse``), whose messages
name the field path, and the answers are what ``Score.to_dict`` and ``Advice.to_dict`` build. The
Schemathesis suite (tests/reliability) checks every answer against these schemas, and the contract example
is checked against the facts schema, so a drift shows as a failing test.

An operation asks for them with ``openapi_extra=uses(body="JifenFacts", ok="JifenScore")``; ``complete``
puts the components into the OpenAPI document and the references into those operations. Answers may gain
fields (contract: "fields may be added"), so answer objects allow properties not listed here; facts may not
(an unknown field is refused).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jifen.facts.limits import EARLIEST_DATE, LATEST_DATE, MAX_ITEMS
from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    FACTS_SCHEMA,
    PENALTY_KINDS,
    REMOTE_AREAS,
    SKILL_LEVELS,
    TITLE_LEVELS,
    VETO_KINDS,
)
from jifen.rules.indicators import INDICATOR_IDS

JSON = dict[str, Any]

_BODY = "x-jifen-body"
_OK = "x-jifen-ok"
_DATES = "x-jifen-dates"
_REF = "#/components/schemas/"


def ref(name: str) -> JSON:
    return {"$ref": _REF + name}


def uses(*, body: str | None = None, ok: str | JSON | None = None, dates: tuple[str, ...] = ()) -> JSON:
    """``openapi_extra`` for an operation whose request body and/or 200 answer are contract documents
    (``ok`` is a component name, or a schema using the components), and whose query parameters ``dates``
    are dates in the range the facts accept."""
    extra: JSON = {}
    if dates:
        extra[_DATES] = list(dates)
    if body is not None:
        extra[_BODY] = body
    if ok is not None:
        extra[_OK] = ok
    return extra


def _years_pattern() -> str:
    """The years of [EARLIEST_DATE, LATEST_DATE] as a pattern (whole centuries), else any four digits."""
    first, last = EARLIEST_DATE.year // 100, LATEST_DATE.year // 100
    if EARLIEST_DATE == date(first * 100, 1, 1) and LATEST_DATE == date(last * 100 + 99, 12, 31):
        return "(" + "|".join(str(c) for c in range(first, last + 1)) + ")[0-9]{2}"
    return "[0-9]{4}"


_YEAR = _years_pattern()
_RANGE = f"from {EARLIEST_DATE} to {LATEST_DATE}"


def _nullable(schema: JSON) -> JSON:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: JSON, required: tuple[str, ...] = (), *, closed: bool = False, **more: Any) -> JSON:
    out: JSON = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    if closed:
        out["additionalProperties"] = False
    out.update(more)
    return out


def _list(name: str, item: JSON) -> JSON:
    return {"type": "array", "items": item, "maxItems": MAX_ITEMS[name]}


_IN_DATE = ref("JifenInputDate")
_IN_MONTH = ref("JifenInputMonth")
_DATE = ref("JifenDate")
_FLAG = {"type": "boolean", "default": False}
_TEXT = ref("JifenText")


def _period(**more: JSON) -> JSON:
    """``from``/``to`` of a period of days: ``to`` is the last day inside it, null means ongoing."""
    return _object(
        {**more, "from": _IN_DATE, "to": _nullable(_IN_DATE)}, (*more, "from"), closed=True, description=_period.__doc__
    )


def _qualification(kind: str, levels: tuple[str, ...] | tuple[int, ...]) -> JSON:
    return _object(
        {
            "kind": {"const": kind},
            "level": {"enum": list(levels)},
            "obtained_on": _IN_DATE,
            "obtained_in_shanghai": _FLAG,
            "matches_post": _FLAG,
        },
        ("kind", "level", "obtained_on"),
        closed=True,
    )


FACTS: JSON = _object(
    {
        "schema": {"const": FACTS_SCHEMA},
        "as_of": _nullable(_IN_DATE),
        "birth_date": _IN_DATE,
        "id_number": _nullable(
            {
                "type": "string",
                "pattern": "^[0-9]{17}[0-9Xx]$",
                "description": "GB 11643: the check digit must hold and the birth date be birth_date",
            }
        ),
        "residence_permit": _nullable(
            _object({"valid_from": _IN_DATE, "valid_until": _IN_DATE}, ("valid_from", "valid_until"), closed=True)
        ),
        "education": _list(
            "education",
            _object(
                {
                    "level": {"enum": list(EDUCATION_LEVELS)},
                    "degree": _FLAG,
                    "graduated_on": _IN_DATE,
                    "full_time": _FLAG,
                    "foreign": {**_FLAG, "description": "a degree from outside mainland China"},
                },
                ("level", "graduated_on"),
                closed=True,
            ),
        ),
        "qualifications": _list(
            "qualifications",
            {"oneOf": [_qualification("title", TITLE_LEVELS), _qualification("skill", SKILL_LEVELS)]},
        ),
        "social_insurance": _list(
            "social_insurance",
            _object(
                {
                    "from": _IN_MONTH,
                    "to": _nullable(_IN_MONTH),
                    "base": {
                        "type": "number",
                        "exclusiveMinimum": 0,
                        "description": "yuan a month, at most 2 decimal places",
                    },
                    "back_paid": _FLAG,
                    "employer_matches_contract": {"type": "boolean", "default": True},
                    "employer_uscc": _nullable(
                        {
                            "type": "string",
                            "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                            "description": "the unified social credit code of the employer that paid the run "
                            "(GB 32100: the check character must hold)",
                        }
                    ),
                },
                ("from", "base"),
                closed=True,
                description="a run of months at one base; from/to inclusive, to null: still paying; "
                "runs must not overlap",
            ),
        ),
        "hukou_spouse_married_on": _nullable(_IN_DATE),
        "remote_area": _list("remote_area", _period(area={"enum": list(REMOTE_AREAS)})),
        "public_service": _list("public_service", _period()),
        "awards": _list(
            "awards",
            _object(
                {"level": {"enum": list(AWARD_LEVELS)}, "awarded_on": _IN_DATE}, ("level", "awarded_on"), closed=True
            ),
        ),
        "investment": _nullable(
            _object(
                {
                    "avg_annual_tax_yuan": {"type": "number", "minimum": 0},
                    "avg_annual_hukou_employees": {"type": "number", "minimum": 0},
                },
                closed=True,
            )
        ),
        "shortage_major_matching_post": _FLAG,
        "entrepreneur_talent": _FLAG,
        "innovation_intermediary_talent": _FLAG,
        "fresh_graduate": _FLAG,
        "penalties": _list(
            "penalties",
            _object({"kind": {"enum": list(PENALTY_KINDS)}, "on": _IN_DATE}, ("kind", "on"), closed=True),
        ),
        "vetoes": _list(
            "vetoes",
            _object({"kind": {"enum": list(VETO_KINDS)}, "on": _nullable(_IN_DATE)}, ("kind",), closed=True),
        ),
        "last_approved": _nullable(
            _object({"total": {"type": "integer", "minimum": 0}, "on": _IN_DATE}, ("total", "on"), closed=True)
        ),
    },
    ("schema", "birth_date"),
    closed=True,
    title="jifen.facts/1",
    description="What happened, with dates (contract §1). Refused with 422 and the field paths when invalid, "
    "including what this schema cannot say: impossible dates, to before from, overlapping insurance runs, "
    "an id_number that does not match birth_date.",
)

_BASIS = _object(
    {
        "parameter": {"type": "string"},
        "value": {"description": "the parameter's value: a number, a text, a list or an object"},
        "effective_from": _DATE,
        "source": {"type": "string"},
        "href": {"type": "string"},
        "confidence": {"type": "string"},
        "reading": {"type": "string"},
        "provisional": {"const": True},
    },
    ("parameter", "value", "effective_from", "source", "href", "confidence"),
    description="a parameter of the policy data the rule read, with its value, date and source",
)


def _item(indicator: str) -> JSON:
    return {"allOf": [ref("JifenScoreItem"), _object({"indicator": {"const": indicator}})]}


SCORE: JSON = _object(
    {
        "schema": {"const": "jifen.score/1"},
        "as_of": _DATE,
        "policy": _object(
            {
                "id": {"type": "string"},
                "effective_from": _DATE,
                "title": {"type": "string"},
                "readings": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            ("id", "effective_from", "title", "readings"),
        ),
        "eligible": {"type": "boolean"},
        "vetoed": {"type": "boolean"},
        "total": {"type": "integer", "minimum": 0},
        "standard": {"type": "integer"},
        "meets_standard": {"type": "boolean"},
        "items": {
            "type": "array",
            "description": "every indicator, once, in this order",
            "prefixItems": [_item(i) for i in INDICATOR_IDS],
            "items": False,
            "minItems": len(INDICATOR_IDS),
        },
        "eligibility": {"type": "array", "items": ref("JifenEligibilityCheck")},
        "warnings": {"type": "array", "items": _TEXT},
    },
    (
        "schema",
        "as_of",
        "policy",
        "eligible",
        "vetoed",
        "total",
        "standard",
        "meets_standard",
        "items",
        "eligibility",
        "warnings",
    ),
    title="jifen.score/1",
    description="The score on as_of, every point explained (contract §2).",
)

_DECISION = _object(
    {
        "filed": _DATE,
        "from": _DATE,
        "to": _DATE,
        "working_days": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "provisional": {"type": "boolean"},
    },
    ("filed", "from", "to", "working_days", "provisional"),
)

_TARGET = _object(
    {
        "target": _DATE,
        "latest_filing": _DATE,
        "possible": {"type": "boolean"},
        "provisional": {"type": "boolean"},
        "assumption": _TEXT,
    },
    ("target", "latest_filing", "possible", "provisional", "assumption"),
)

# The second version's additions (contract §5, same schema name): listed, not yet required.
_STEP = _object(
    {
        "kind": {
            "type": "string",
            "description": "check_records, endorse, renew, file_first, file_change, update_registration or wait",
        },
        "from": _DATE,
        "until": _nullable(_DATE),
        "explanation": _TEXT,
        "would_fail": {"const": True},
    },
    ("kind", "from", "explanation"),
)

_OPTION = _object(
    {
        "file_on": _DATE,
        "points": {"type": "integer"},
        "decision_from": _DATE,
        "decision_to": _DATE,
        "provisional": {"type": "boolean"},
        "chosen": {"type": "boolean"},
    },
    ("file_on", "points", "decision_from", "decision_to", "provisional"),
)

_AFTER_FILING = _object(
    {
        "kind": {
            "type": "string",
            "description": "acceptance, verification, review, return, rejection, reconsideration or litigation",
        },
        "explanation": _TEXT,
        "source": {"type": "string"},
        "confidence": {"type": "string"},
        "working_days": {"type": "integer"},
        "days": {"type": "integer"},
        "months": {"type": "integer"},
    },
    ("kind", "explanation"),
)

ADVICE: JSON = _object(
    {
        "schema": {"const": "jifen.advice/1"},
        "as_of": _DATE,
        "current": ref("JifenScore"),
        "change_since_last_approved": _nullable({"type": "integer"}),
        "triggers": {
            "type": "array",
            "items": _object(
                {
                    "kind": {"type": "string"},
                    "on": _DATE,
                    "points_delta": {"type": "integer"},
                    "total_after": {"type": "integer"},
                    "indicator": _nullable({"type": "string"}),
                    "explanation": _TEXT,
                },
                ("kind", "on", "points_delta", "total_after", "indicator", "explanation"),
            ),
        },
        "projection": {
            "type": "array",
            "items": _object({"date": _DATE, "total": {"type": "integer"}}, ("date", "total")),
        },
        "reaches_standard_on": _nullable(_DATE),
        "recommendation": _object(
            {
                "refresh": {"type": "boolean"},
                "earliest": _nullable(_DATE),
                "latest": _nullable(_DATE),
                "reason": _TEXT,
                "expected_decision": _nullable(_DECISION),
                "target": _nullable(_TARGET),
                "effect": {"type": "string"},
                "latest_provisional": {"type": "boolean"},
                "steps": {"type": "array", "items": _STEP, "description": "in date order"},
                "options": {"type": "array", "items": _OPTION},
            },
            ("refresh", "earliest", "latest", "reason", "expected_decision", "target"),
        ),
        "materials": {"type": "array", "items": ref("JifenMaterialGroup")},
        "warnings": {"type": "array", "items": _TEXT},
        "after_filing": {"type": "array", "items": _AFTER_FILING},
    },
    (
        "schema",
        "as_of",
        "current",
        "change_since_last_approved",
        "triggers",
        "projection",
        "reaches_standard_on",
        "recommendation",
        "materials",
    ),
    title="jifen.advice/1",
    description="Refresh advice: triggers, the 36-month projection, when to file, what to bring (contract §5).",
)


def _as_shown(facts: JSON) -> JSON:
    """Facts in an answer: ``id_number`` may be masked (3101**********0018) for a reader who may not see it
    (jifen.service.accounts.identity)."""
    number = facts["properties"]["id_number"]
    masked = {"type": "string", "pattern": "^[0-9]{4}\\*{10}[0-9]{3}[0-9Xx]$", "description": "masked"}
    shown = {"anyOf": [*number["anyOf"][:-1], masked, *number["anyOf"][-1:]]}
    return {**facts, "properties": {**facts["properties"], "id_number": shown}, "title": "jifen.facts/1 as shown"}


COMPONENTS: dict[str, JSON] = {
    "JifenInputDate": {
        "type": "string",
        "format": "date",
        "pattern": f"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        "description": f"a calendar date YYYY-MM-DD in Asia/Shanghai, {_RANGE}",
    },
    "JifenDate": {
        "type": "string",
        "format": "date",
        "description": "a calendar date YYYY-MM-DD in Asia/Shanghai (one the engine derived may lie outside the "
        "range of the input's dates, e.g. the latest filing day for a target date)",
    },
    "JifenInputMonth": {
        "type": "string",
        "pattern": f"^{_YEAR}-(0[1-9]|1[0-2])$",
        "description": f"a month YYYY-MM, {_RANGE}",
    },
    "JifenText": _object(
        {"zh": {"type": "string"}, "en": {"type": "string"}}, ("zh", "en"), description="a text in Chinese and English"
    ),
    "JifenBasis": _BASIS,
    "JifenScoreItem": _object(
        {
            "indicator": {"enum": list(INDICATOR_IDS)},
            "label": _TEXT,
            "points": {"type": "integer", "description": "negative for deductions"},
            "counted": {"type": "boolean", "description": "false where a choose-one rule or a cap dropped it"},
            "explanation": _nullable(_TEXT),
            "basis": {"type": "array", "items": ref("JifenBasis")},
        },
        ("indicator", "label", "points", "counted", "explanation", "basis"),
    ),
    "JifenEligibilityCheck": _object(
        {
            "check": {"type": "string"},
            "met": {"type": "boolean"},
            "explanation": _nullable(_TEXT),
            "basis": {"type": "array", "items": ref("JifenBasis")},
        },
        ("check", "met", "explanation", "basis"),
    ),
    "JifenMaterialGroup": _object(
        {
            "indicator": {"type": "string", "description": "basic, or the indicator the materials prove"},
            "label": _TEXT,
            "items": _object(
                {
                    "zh": {"type": "array", "items": {"type": "string"}},
                    "en": {"type": "array", "items": {"type": "string"}},
                },
                ("zh", "en"),
            ),
        },
        ("indicator", "label", "items"),
    ),
    "JifenFacts": FACTS,
    "JifenFactsShown": _as_shown(FACTS),
    "JifenScore": SCORE,
    "JifenAdvice": ADVICE,
}


def _json_content(schema: JSON) -> JSON:
    return {"application/json": {"schema": schema}}


def complete(document: JSON) -> JSON:
    """Add the contract's components to an OpenAPI document and resolve the operations' ``uses`` marks."""
    document.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            body = operation.pop(_BODY, None)
            ok = operation.pop(_OK, None)
            dates = operation.pop(_DATES, ())
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") == "query" and parameter.get("name") in dates:
                    parameter["schema"] = ref("JifenInputDate")
            if body is not None:
                operation.setdefault("requestBody", {"required": True})["content"] = _json_content(ref(body))
            if ok is not None:
                answer = operation.setdefault("responses", {}).setdefault(200, {"description": "OK"})
                answer["content"] = _json_content(ref(ok) if isinstance(ok, str) else ok)
    return document
