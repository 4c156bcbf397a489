"""The checks of a ``jifen.facts/1`` document, declared once.

Every field: its key, what kind of value it holds, whether it is required, its bounds and choices, and
for a list the most items it may have (:data:`jifen.facts.limits.MAX_ITEMS`); every record's rule across
its fields, and the document's rules across records, each with its message in English and Chinese.
:mod:`jifen.facts.parse` reads one document by these declarations and names the field path of each
problem; :mod:`jifen.batch.vectorised.checks` applies the same declarations to the columns of a batch,
flagging the rows the parser would refuse. A new bound or rule is written here, once.

Dates must lie within [EARLIEST_DATE, LATEST_DATE] (:mod:`jifen.facts.limits`), months within its years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as derived
from enum import StrEnum
from functools import cache
from typing import Any, NamedTuple

from jifen.facts.limits import MAX_ITEMS
from jifen.facts.model import (
    AWARD_LEVELS,
    EDUCATION_LEVELS,
    FACTS_SCHEMA,
    PENALTY_KINDS,
    QUALIFICATION_KINDS,
    REMOTE_AREAS,
    SKILL_LEVELS,
    TITLE_LEVELS,
    VETO_KINDS,
    Award,
    Education,
    Facts,
    InsuranceSegment,
    Investment,
    LastApproved,
    Penalty,
    Period,
    Qualification,
    RemoteAreaPeriod,
    ResidencePermit,
    Veto,
)


class Kind(StrEnum):
    """What a field holds; how each kind is read and refused is the parser's (and the columns') concern."""

    CONSTANT = "constant"  # exactly ``choices[0]`` (the schema's name)
    DATE = "date"  # YYYY-MM-DD
    MONTH = "month"  # YYYY-MM; in the batch layout, the first day of the month
    FLAG = "flag"  # true or false
    INTEGER = "integer"  # a whole number
    AMOUNT = "amount"  # a finite number
    FEN = "fen"  # an amount in yuan with at most two decimals, read as whole fen
    CHOICE = "choice"  # one of ``choices``
    SKILL_LEVEL = "skill_level"  # a whole number among ``choices``
    ID_NUMBER = "id_number"  # a text, read in upper case (its check is the rule :class:`IdNumberMatches`)
    USCC = "uscc"  # a unified social credit code (jifen.facts.uscc)
    VARIANT = "variant"  # read as the field ``variants`` gives for the value of the field ``by``
    RECORD = "record"  # an object with ``record``'s fields
    LIST = "list"  # a list of ``record``, at most ``cap`` items


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    kind: Kind
    required: bool = False  # absent or null is refused: "required"
    nullable: bool = False  # null reads as the default (absent); otherwise null is refused as a wrong value
    default: object = None  # the value when absent
    choices: tuple[object, ...] = ()
    minimum: float | None = None  # INTEGER, AMOUNT: the smallest value allowed
    above: float | None = None  # FEN: the value must be more than this
    record: Record | None = None  # RECORD, LIST
    cap: int | None = None  # LIST
    by: str = ""  # VARIANT: the field of the same record that decides how this one is read
    variants: tuple[tuple[str, Field], ...] = ()  # VARIANT: (value of ``by``, how this field is then read)
    in_model: bool = True  # False: checked and read, but not passed to the model (schema, last_approved)

    def variant(self, decided_by: object) -> Field:
        """How this VARIANT field is read when ``by`` holds ``decided_by`` (the last variant otherwise)."""
        return next((f for value, f in self.variants if value == decided_by), self.variants[-1][1])


@dataclass(frozen=True, slots=True)
class Message:
    """A message in English and Chinese, with ``{placeholders}``."""

    en: str
    zh: str

    def format(self, **values: object) -> tuple[str, str]:
        return self.en.format(**values), self.zh.format(**values)


@dataclass(frozen=True, slots=True)
class Ordered:
    """In one record, ``last`` is not before ``first`` (a null ``last`` is ongoing); refused at ``last``.

    A record whose ``last`` is there but refused is refused whole: its order cannot be checked.
    """

    first: str
    last: str
    message: Message  # {first}, {last}


@dataclass(frozen=True, slots=True, eq=False)  # each record is declared once: the same by identity
class Record:
    fields: tuple[Field, ...]
    model: Callable[..., Any]  # the model, called with the fields in it by key (``model(**values)``)
    rules: tuple[Ordered, ...] = ()
    # derived once from the above, for the readers
    keys: frozenset[str] = derived(init=False)
    refusing: frozenset[str] = derived(init=False)  # a refused value refuses the record: required, or ordered
    rules_after: Mapping[str, tuple[Ordered, ...]] = derived(init=False)  # checked once this key is read
    in_model: tuple[Field, ...] = derived(init=False)
    flat: bool = derived(init=False)  # every field is in the model, none is a record or a list

    def __post_init__(self) -> None:
        ordered = {key for rule in self.rules for key in (rule.first, rule.last)}
        derive = {
            "keys": frozenset(f.key for f in self.fields),
            "refusing": frozenset(f.key for f in self.fields if f.required or f.key in ordered),
            "rules_after": {f.key: tuple(r for r in self.rules if r.last == f.key) for f in self.fields},
            "in_model": tuple(f for f in self.fields if f.in_model),
            "flat": all(f.in_model and f.record is None for f in self.fields),
        }
        for name, value in derive.items():
            object.__setattr__(self, name, value)


# -- rules across the document ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class NotAfter:
    """``key`` is not after ``limit`` (when both are there); refused at ``key``."""

    key: str
    limit: str
    message: Message  # {value}, {limit}


@dataclass(frozen=True, slots=True)
class IdNumberMatches:
    """The identity number passes GB 11643 and carries ``birth`` (jifen.facts.idcard)."""

    key: str
    birth: str
    prefix_zh: str  # before the problem (in English) in the Chinese message


@dataclass(frozen=True, slots=True)
class NoOverlap:
    """No item of the list starts on or before the end of an earlier-starting one; refused at its ``start``."""

    key: str
    start: str
    end: str  # null: ongoing
    noun_zh: str  # what an item is called in the Chinese message ("" for a period)
    message: Message = Message(
        "{start} overlaps {key}[{other}] ({other_start} to {other_end})",
        "{start}与第{number}段{noun}（{other_start}至{other_end}）重叠",
    )
    ongoing: Message = Message("ongoing", "今")  # {other_end} of an ongoing item


@dataclass(frozen=True, slots=True)
class NotBeforeBirth:
    """Events that cannot come before ``birth``: paths ``key``, ``record.key`` or ``list[].key``."""

    birth: str
    paths: tuple[str, ...]
    message: Message = Message("{day} is before birth_date {birth}", "{day}早于出生日期{birth}")


@dataclass(frozen=True, slots=True)
class NotBeforeWorkingAge:
    """Insurance months (``list[].key``) not before the month of birth, nor before the month of the
    birthday at the legal minimum working age in force in that month (policy parameter ``parameter``)."""

    path: str
    birth: str
    parameter: str
    before_birth: Message = Message(
        "{first} is before the month of birth_date {birth}", "{first}早于出生日期{birth}所在的月份"
    )
    too_young: Message = Message(
        "{first} is before {allowed}, the month the holder turned {age}: no one under {age} may be employed ({law})",
        "{first}早于年满{age}周岁的月份{allowed}：不得招用未满{age}周岁的未成年人（{law}）",
    )


DocumentRule = NotAfter | IdNumberMatches | NoOverlap | NotBeforeBirth | NotBeforeWorkingAge


# -- the declarations -------------------------------------------------------------------------------------
# The models whose names differ from the document's keys ("from" is a keyword in Python).
def _period(**read: Any) -> Period:
    return Period(read["from"], read["to"])


def _remote_area(**read: Any) -> RemoteAreaPeriod:
    return RemoteAreaPeriod(read["area"], Period(read["from"], read["to"]))


def _insurance_segment(**read: Any) -> InsuranceSegment:
    return InsuranceSegment(
        first=read["from"],
        last=read["to"],
        base_fen=read["base"],
        back_paid=read["back_paid"],
        employer_matches_contract=read["employer_matches_contract"],
        employer_uscc=read["employer_uscc"],
    )


def _on(key: str, *, required: bool = True) -> Field:
    return Field(key, Kind.DATE, required=required, nullable=not required)


def _choice(key: str, choices: tuple[str, ...]) -> Field:
    return Field(key, Kind.CHOICE, required=True, choices=choices)


def _flag(key: str, *, default: bool = False) -> Field:
    return Field(key, Kind.FLAG, default=default)


def _list(key: str, record: Record) -> Field:
    return Field(key, Kind.LIST, default=(), record=record, cap=MAX_ITEMS[key])


def _optional(key: str, record: Record, *, in_model: bool = True) -> Field:
    return Field(key, Kind.RECORD, nullable=True, record=record, in_model=in_model)


_DAY_ORDER = Message("{last} is before from {first}", "截止日{last}早于起始日{first}")
_PERIOD_FIELDS = (
    Field("from", Kind.DATE, required=True),
    Field("to", Kind.DATE, nullable=True),
)

RESIDENCE_PERMIT = Record(
    (Field("valid_from", Kind.DATE, required=True), Field("valid_until", Kind.DATE, required=True)),
    ResidencePermit,
    (
        Ordered(
            "valid_from", "valid_until", Message("{last} is before valid_from {first}", "{last}早于有效期起始日{first}")
        ),
    ),
)
EDUCATION = Record(
    (
        _choice("level", EDUCATION_LEVELS),
        _on("graduated_on"),
        _flag("degree"),
        _flag("full_time"),
        _flag("foreign"),
    ),
    Education,
)
QUALIFICATION = Record(
    (
        _choice("kind", QUALIFICATION_KINDS),
        Field(
            "level",
            Kind.VARIANT,
            required=True,
            by="kind",
            variants=(
                ("title", Field("level", Kind.CHOICE, choices=TITLE_LEVELS)),
                ("skill", Field("level", Kind.SKILL_LEVEL, choices=SKILL_LEVELS)),
            ),
        ),
        _on("obtained_on"),
        _flag("obtained_in_shanghai"),
        _flag("matches_post"),
    ),
    Qualification,
)
INSURANCE_SEGMENT = Record(
    (
        Field("from", Kind.MONTH, required=True),
        Field("to", Kind.MONTH, nullable=True),
        Field("base", Kind.FEN, required=True, above=0),  # read as fen
        _flag("back_paid"),
        _flag("employer_matches_contract", default=True),
        Field("employer_uscc", Kind.USCC, nullable=True),
    ),
    _insurance_segment,
    (Ordered("from", "to", Message("{last} is before from {first}", "截止月{last}早于起始月{first}")),),
)
REMOTE_AREA = Record(
    (_choice("area", REMOTE_AREAS), *_PERIOD_FIELDS), _remote_area, (Ordered("from", "to", _DAY_ORDER),)
)
PUBLIC_SERVICE = Record(_PERIOD_FIELDS, _period, (Ordered("from", "to", _DAY_ORDER),))
AWARD = Record((_choice("level", AWARD_LEVELS), _on("awarded_on")), Award)
INVESTMENT = Record(
    (
        Field("avg_annual_tax_yuan", Kind.AMOUNT, default=0.0, minimum=0),
        Field("avg_annual_hukou_employees", Kind.AMOUNT, default=0.0, minimum=0),
    ),
    Investment,
)
PENALTY = Record((_choice("kind", PENALTY_KINDS), _on("on")), Penalty)
VETO = Record((_choice("kind", VETO_KINDS), _on("on", required=False)), Veto)
LAST_APPROVED = Record((Field("total", Kind.INTEGER, required=True, minimum=0), _on("on")), LastApproved)

# The document, in the order its fields are read and their problems reported.
DOCUMENT = Record(
    (
        Field("schema", Kind.CONSTANT, required=True, choices=(FACTS_SCHEMA,), in_model=False),
        Field("birth_date", Kind.DATE, required=True),
        Field("as_of", Kind.DATE, nullable=True),
        Field("id_number", Kind.ID_NUMBER, nullable=True),
        _optional("residence_permit", RESIDENCE_PERMIT),
        _list("education", EDUCATION),
        _list("qualifications", QUALIFICATION),
        _list("social_insurance", INSURANCE_SEGMENT),
        Field("hukou_spouse_married_on", Kind.DATE, nullable=True),
        _list("remote_area", REMOTE_AREA),
        _list("public_service", PUBLIC_SERVICE),
        _list("awards", AWARD),
        _optional("investment", INVESTMENT),
        _flag("shortage_major_matching_post"),
        _flag("entrepreneur_talent"),
        _flag("innovation_intermediary_talent"),
        _flag("fresh_graduate"),
        _list("penalties", PENALTY),
        _list("vetoes", VETO),
        # the advice's input, carried by the same document: checked here, kept out of the legal facts
        _optional("last_approved", LAST_APPROVED, in_model=False),
    ),
    Facts,
)

WORKING_AGE = "plausibility.minimum_working_age"

# Checked once every field is well formed (birth_date at least): the order of the dates, the identity
# number, overlapping runs and periods.
CONSISTENCY: tuple[DocumentRule, ...] = (
    NotAfter("birth_date", "as_of", Message("{value} is after as_of {limit}", "出生日期{value}晚于计算日期{limit}")),
    IdNumberMatches("id_number", "birth_date", "身份证号码无效："),
    NoOverlap("social_insurance", "from", "to", "社保"),
    NoOverlap("public_service", "from", "to", ""),
    NoOverlap("remote_area", "from", "to", ""),
)
# Facts that cannot be true, checked only when nothing else is wrong (with an item refused, the items'
# indices are no longer their paths).
PLAUSIBILITY: tuple[DocumentRule, ...] = (
    NotBeforeBirth(
        "birth_date",
        (
            "residence_permit.valid_from",
            "education[].graduated_on",
            "qualifications[].obtained_on",
            "hukou_spouse_married_on",
            "remote_area[].from",
            "public_service[].from",
            "awards[].awarded_on",
            "penalties[].on",
            "vetoes[].on",
        ),
    ),
    NotBeforeWorkingAge("social_insurance[].from", "birth_date", WORKING_AGE),
)


def field_of(record: Record, key: str) -> Field:
    return next(f for f in record.fields if f.key == key)


class FieldPath(NamedTuple):
    """A path in a declaration: ``key``, ``record.key`` or ``list[].key``."""

    outer: str  # the document's field
    inner: str | None  # the field inside its record or its list's items
    in_list: bool


@cache
def field_path(path: str) -> FieldPath:
    """``"education[].graduated_on"`` -> ``FieldPath("education", "graduated_on", in_list=True)``."""
    outer, _, inner = path.partition(".")
    return FieldPath(outer.removesuffix("[]"), inner or None, outer.endswith("[]"))
