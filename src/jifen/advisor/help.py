"""The help page's questions and answers (``policy/help.yaml``), answered from the policy in force on a day.

Each answer is a text in zh and en whose figures are dated policy parameters, written in words
(:mod:`jifen.policy.wording`) as in force on the day, so that the answers change when the data do; it carries
its sources (the text's and each figure's) and the page that answers it for the holder's own facts
(``calculator``, ``advisor`` or ``none``). The materials answer lists the materials of ``materials.yaml``,
each group under its label in words.

The file is read strictly: an unknown key, a figure that names no parameter, a placeholder the text does not
define, an unknown document or link kind names the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jifen.advisor.materials import BASIC_LABEL, Checklist, Material, default_checklist
from jifen.policy.loader import load_documents
from jifen.policy.model import NotInForceError, Parameter, Policy, Resolved, Source
from jifen.policy.strict import StrictFile, placeholders
from jifen.policy.texts import policy_text
from jifen.policy.wording import day_words, value_words
from jifen.rules.indicators import LABELS
from jifen.yamlio import load_yaml

LINK_KINDS = ("calculator", "advisor", "none")
LANGUAGES = ("zh", "en")
CALENDAR_PLACEHOLDER = "calendar_known_to"  # the last year of official holiday arrangements
_QUESTION_KEYS = ("id", "link", "question", "answer", "sources")
_OPTIONAL_KEYS = ("figures", "materials")
_FILE = "policy/help.yaml"


@dataclass(frozen=True, slots=True)
class MaterialGroup:
    """Materials to bring for one indicator (or the basic set): its label in words and its items."""

    indicator: str
    label: dict[str, str]
    items: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Answer:
    """One question answered on a day: the question and answer in zh and en, the answer's sources, the page
    that answers it for the holder's own facts (one of ``LINK_KINDS``) and, for the materials, the list."""

    id: str
    question: dict[str, str]
    text: dict[str, str]
    sources: tuple[Source, ...]
    link: str
    materials: tuple[MaterialGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionText:
    id: str
    link: str
    question: dict[str, str]
    answer: dict[str, str]
    figures: dict[str, str]  # placeholder -> parameter
    materials: bool
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class HelpText:
    questions: tuple[QuestionText, ...]


_F = StrictFile(Path(_FILE), _FILE)  # errors name the file as the policy data has it
_error, _mapping = _F.error, _F.mapping
_placeholders = placeholders


def _text(value: object, key: str) -> str:
    return _F.text(value, key).strip()


_languages = _F.languages


def _sources(value: object, key: str, root: Path) -> tuple[Source, ...]:
    if not isinstance(value, list):
        raise _error(key, "expected a list of sources")
    documents = load_documents(root)
    out = []
    for i, raw in enumerate(value):
        skey = f"{key}[{i}]"
        d = _mapping(raw, skey, ("document",), ("article", "href"))
        doc_id = _text(d["document"], f"{skey}.document")
        if doc_id not in documents:
            raise _error(f"{skey}.document", f"unknown document {doc_id!r} (see sources.yaml)")
        document = documents[doc_id]
        article = _text(d["article"], f"{skey}.article") if "article" in d else None
        href = _text(d["href"], f"{skey}.href") if "href" in d else document.href
        out.append(Source(document, article, href))
    return tuple(out)


def load_help(path: Path, parameters: Mapping[str, Parameter]) -> HelpText:
    """Read ``path`` strictly: unique ids, a link kind of ``LINK_KINDS``, every figure naming one of
    ``parameters``, every placeholder defined, every source citing a document of ``sources.yaml`` beside it,
    and some source for every answer (its own, or its figures')."""
    data = _mapping(load_yaml(path), "", ("questions",))
    raw_questions = data["questions"]
    if not isinstance(raw_questions, list) or not raw_questions:
        raise _error("questions", "expected a non-empty list")
    out: list[QuestionText] = []
    for i, raw in enumerate(raw_questions):
        key = f"questions[{i}]"
        d = _mapping(raw, key, _QUESTION_KEYS, _OPTIONAL_KEYS)
        question_id = _text(d["id"], f"{key}.id")
        if question_id in {q.id for q in out}:
            raise _error(f"{key}.id", f"{question_id!r} is given twice")
        link = d["link"]
        if link not in LINK_KINDS:
            raise _error(f"{key}.link", f"expected one of {', '.join(LINK_KINDS)}, got {link!r}")
        raw_figures = d.get("figures", {})
        if not isinstance(raw_figures, dict):
            raise _error(f"{key}.figures", "expected a mapping")
        figures = {str(k): _text(v, f"{key}.figures.{k}") for k, v in raw_figures.items()}
        for placeholder, parameter in figures.items():
            if parameter not in parameters:
                raise _error(f"{key}.figures.{placeholder}", f"no parameter named {parameter!r}")
        allowed = {CALENDAR_PLACEHOLDER}
        for p in figures:
            allowed |= {p, f"{p}_words", f"{p}_since"}
        answer = _languages(d["answer"], f"{key}.answer")
        for lang, words in answer.items():
            unknown = sorted(_placeholders(words) - allowed)
            if unknown:
                raise _error(f"{key}.answer.{lang}", f"{{{unknown[0]}}} is not defined here")
        question = _languages(d["question"], f"{key}.question")
        for lang, words in question.items():
            if _placeholders(words):
                raise _error(f"{key}.question.{lang}", "a question has no placeholders")
        materials = d.get("materials", False)
        if not isinstance(materials, bool):
            raise _error(f"{key}.materials", f"expected true or false, got {materials!r}")
        sources = _sources(d["sources"], f"{key}.sources", path.parent)
        if not sources and not figures:
            raise _error(f"{key}.sources", "an answer without figures needs a source of its own")
        out.append(QuestionText(question_id, link, question, answer, figures, materials, sources))
    return HelpText(tuple(out))


def help_text(policy: Policy) -> HelpText:
    """The questions of the policy data in use, checked against ``policy``'s parameters, read once for each."""
    return policy_text(policy, "help.yaml", load_help)


def answers(policy: Policy, day: date, *, calendar_known_to: int, checklist: Checklist | None = None) -> list[Answer]:
    """Every question answered with the figures in force on ``day``, in order; ``calendar_known_to`` is the
    last year the working-day calendar has official holiday arrangements for. A question whose figures are not
    all in force on ``day`` is left out."""
    out = []
    for question in help_text(policy).questions:
        try:
            resolved = {p: policy.resolve(name, day) for p, name in question.figures.items()}
        except NotInForceError:
            continue
        args = {lang: _arguments(policy, resolved, lang) for lang in LANGUAGES}
        for lang in LANGUAGES:
            args[lang][CALENDAR_PLACEHOLDER] = str(calendar_known_to)
        sources = dict.fromkeys([*question.sources, *(r.entry.source for r in resolved.values())])
        groups = _materials(checklist or default_checklist(), day) if question.materials else ()
        out.append(
            Answer(
                id=question.id,
                question=dict(question.question),
                text={lang: question.answer[lang].format(**args[lang]) for lang in LANGUAGES},
                sources=tuple(sources),
                link=question.link,
                materials=groups,
            )
        )
    return out


def _arguments(policy: Policy, resolved: Mapping[str, Resolved], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for p, r in resolved.items():
        parameter = policy.parameters[r.parameter]
        out[p] = str(r.value)
        out[f"{p}_words"] = _words(parameter, r)[lang]
        out[f"{p}_since"] = day_words(r.entry.effective_from)[lang]
    return out


def _words(parameter: Parameter, resolved: Resolved) -> dict[str, str]:
    """A figure in words: a month of the year by its name, a number with its unit, anything else as it is."""
    value = resolved.value
    if parameter.unit == "month_of_year" and isinstance(value, int) and not isinstance(value, bool):
        month = day_words(date(2000, value, 1))  # "2000年7月", "July 2000": the month's name
        return {"zh": month["zh"].removeprefix("2000年"), "en": month["en"].removesuffix(" 2000")}
    return value_words(parameter, value) or {lang: str(value) for lang in LANGUAGES}


def _materials(checklist: Checklist, day: date) -> tuple[MaterialGroup, ...]:
    """The basic set, then each indicator's materials, those that apply on ``day``; empty groups left out."""
    groups = [("basic", BASIC_LABEL, checklist.basic)]
    groups += [(name, LABELS[name], items) for name, items in checklist.indicators.items()]
    out = []
    for name, label, materials in groups:
        dated = [m for m in materials if _in_force(m, day)]
        if dated:
            out.append(
                MaterialGroup(name, dict(label), {"zh": tuple(m.zh for m in dated), "en": tuple(m.en for m in dated)})
            )
    return tuple(out)


def _in_force(material: Material, day: date) -> bool:
    return (material.start is None or material.start <= day) and (material.until is None or day <= material.until)
