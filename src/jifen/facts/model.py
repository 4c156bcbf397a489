"""The facts of one holder (``jifen.facts/1``): what happened, with dates. Never tiers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jifen.dates import Month
from jifen.facts.history import ContributionHistory

FACTS_SCHEMA = "jifen.facts/1"

EDUCATION_LEVELS = ("junior_college", "bachelor", "master", "doctor")
QUALIFICATION_KINDS = ("title", "skill")
TITLE_LEVELS = ("junior", "intermediate", "senior")
SKILL_LEVELS = (5, 4, 3, 2, 1)
REMOTE_AREAS = ("lingang", "new_city", "transition_area", "other")
AWARD_LEVELS = ("municipal_special", "municipal_comprehensive", "national")
PENALTY_KINDS = ("false_material", "administrative_detention", "criminal_record")
VETO_KINDS = ("serious_criminal_record", "family_planning_violation")


@dataclass(frozen=True, slots=True)
class ResidencePermit:
    valid_from: date
    valid_until: date


@dataclass(frozen=True, slots=True)
class Education:
    level: str
    graduated_on: date
    degree: bool = False
    full_time: bool = False
    foreign: bool = False  # a degree from outside mainland China (境外学历学位)


@dataclass(frozen=True, slots=True)
class Qualification:
    kind: str  # "title" or "skill"
    level: str | int  # title: junior/intermediate/senior; skill: 5..1
    obtained_on: date
    obtained_in_shanghai: bool = False
    matches_post: bool = False


@dataclass(frozen=True, slots=True)
class InsuranceSegment:
    """A run of contribution months at one base; ``last`` None means still paying."""

    first: Month
    last: Month | None
    base_fen: int  # the monthly base in fen (0.01 yuan), so comparisons stay exact
    back_paid: bool = False
    employer_matches_contract: bool = True
    employer_uscc: str | None = None  # the unified social credit code of the employer that paid the run

    @property
    def counted(self) -> bool:
        """Whether these months count at all (contract 3.2: no 补缴, payer is the contract employer)."""
        return not self.back_paid and self.employer_matches_contract


@dataclass(frozen=True, slots=True)
class Period:
    """A period of days; ``to`` is the last day inside it, None means ongoing."""

    start: date
    to: date | None


@dataclass(frozen=True, slots=True)
class RemoteAreaPeriod:
    area: str
    period: Period


@dataclass(frozen=True, slots=True)
class Award:
    level: str
    awarded_on: date


@dataclass(frozen=True, slots=True)
class Investment:
    avg_annual_tax_yuan: float = 0
    avg_annual_hukou_employees: float = 0


@dataclass(frozen=True, slots=True)
class Penalty:
    kind: str
    on: date


@dataclass(frozen=True, slots=True)
class Veto:
    kind: str
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    birth_date: date
    as_of: date | None = None
    id_number: str | None = None
    residence_permit: ResidencePermit | None = None
    education: tuple[Education, ...] = ()
    qualifications: tuple[Qualification, ...] = ()
    social_insurance: tuple[InsuranceSegment, ...] = ()
    hukou_spouse_married_on: date | None = None
    remote_area: tuple[RemoteAreaPeriod, ...] = ()
    public_service: tuple[Period, ...] = ()
    awards: tuple[Award, ...] = ()
    investment: Investment | None = None
    shortage_major_matching_post: bool = False
    entrepreneur_talent: bool = False
    innovation_intermediary_talent: bool = False
    fresh_graduate: bool = False
    penalties: tuple[Penalty, ...] = ()
    vetoes: tuple[Veto, ...] = field(default=())
    history: ContributionHistory = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        counted = [(s.first, s.last, s.base_fen) for s in self.social_insurance if s.counted]
        object.__setattr__(self, "history", ContributionHistory(counted))


@dataclass(frozen=True, slots=True)
class LastApproved:
    """The last approved total and the day of that decision: what the advice compares against.

    Not a legal fact: the rules never see it. A ``jifen.facts/1`` document may carry it
    (``last_approved``), and the advisor takes it beside the facts (:func:`jifen.advisor.advise`).
    """

    total: int
    on: date


@dataclass(frozen=True, slots=True)
class FactsDocument:
    """A ``jifen.facts/1`` document as read: the legal facts, and the last approval it may carry."""

    facts: Facts
    last_approved: LastApproved | None = None
