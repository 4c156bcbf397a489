"""Score one holder: check the facts and the date, evaluate the registry's indicators, apply the choose-one rule,
add up and floor, check eligibility, and warn."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial

from jifen.dates import today_in_shanghai
from jifen.facts.model import Facts
from jifen.facts.parse import FactsError, FieldError, parse_facts
from jifen.policy.loader import default_policy
from jifen.policy.model import NotInForceError, Policy, PolicyVersion
from jifen.policy.wording import date_words, not_published
from jifen.rules import eligibility
from jifen.rules.ceiling import ceiling_warnings
from jifen.rules.context import Basis, Context
from jifen.rules.indicators import REGISTRY, indicator_labels
from jifen.rules.outcome import Message, Outcome
from jifen.rules.result import EligibilityCheck, Item, Score

Outcomes = dict[str, tuple[Outcome, tuple[Basis, ...]]]  # each indicator's outcome and the parameters it read

NOT_COUNTED = Message(
    "{own_zh}与{winner_zh}不累加，取其高者：计入{winner_zh}{winner_points}分，本项不计入。",
    "{own_en} and {winner_en} do not add up; the higher counts: {winner_en} {winner_points}, this item not counted.",
)


def score(
    facts: Facts | Mapping[str, object],
    *,
    on: date | None = None,
    policy: Policy | None = None,
    explain: bool = True,
    basis: bool | None = None,
) -> Score:
    """Score ``facts`` (a :class:`Facts` or a decoded ``jifen.facts/1`` document) on ``on``.

    The date is ``on``, else the facts' ``as_of``, else today in Asia/Shanghai. Raises
    :class:`FactsError` naming the field for bad input, including a date before the scheme.

    ``explain``: each item and check carries its explanation in Chinese and English. ``basis`` (by default
    as ``explain``): each carries the parameter values it read; with ``explain=False`` and ``basis=True``
    the texts are left unrendered until asked for (``Item.text()``), as the advisor's projection needs.
    """
    basis = explain if basis is None else basis or explain
    policy = policy or default_policy()
    parsed = facts if isinstance(facts, Facts) else parse_facts(facts, policy)
    as_of = on or parsed.as_of or today_in_shanghai()
    version = _checked(parsed, as_of, policy)
    ctx = Context(parsed, as_of, policy, recording=basis)
    outcomes = _evaluate(ctx)
    dropped = _choose_one(ctx, outcomes)
    items = _items(outcomes, dropped, explain=explain, basis=basis)
    total, standard = _floored_total(ctx, items)
    checks = _eligibility(ctx, explain=explain, basis=basis)
    return Score(
        as_of=as_of,
        policy=version,
        readings=policy.non_default_readings(),
        eligible=all(c.met for c in checks),
        vetoed=any(c.check == "veto" and not c.met for c in checks),
        total=total,
        standard=standard,
        items=items,
        eligibility=checks,
        warnings=_warnings(ctx, version.valid_until),
    )


def _checked(facts: Facts, as_of: date, policy: Policy) -> PolicyVersion:
    """The scheme text in force on ``as_of``; refuses a holder born after it, or a date before the scheme."""
    if facts.birth_date > as_of:
        raise FactsError(
            [
                FieldError(
                    "birth_date",
                    f"{facts.birth_date} is after as_of {as_of}",
                    f"出生日期{facts.birth_date}晚于计算日期{as_of}",
                )
            ]
        )
    try:
        return policy.version_at(as_of)
    except NotInForceError as exc:
        raise FactsError([FieldError("as_of", str(exc), f"数据中没有{as_of}适用的积分办法")]) from None


def _evaluate(ctx: Context) -> Outcomes:
    """Every indicator of the registry, each with the parameters it read."""
    outcomes: Outcomes = {}
    if not ctx.recording:  # no basis to take
        for indicator in REGISTRY:
            outcomes[indicator.id] = (indicator.scalar(ctx), ())
        return outcomes
    for indicator in REGISTRY:
        outcome = indicator.scalar(ctx)
        outcomes[indicator.id] = (outcome, ctx.take_basis())
    return outcomes


def _items(outcomes: Outcomes, dropped: dict[str, str], *, explain: bool, basis: bool) -> tuple[Item, ...]:
    labels = indicator_labels()
    return tuple(
        Item(
            indicator=indicator,
            label=labels[indicator],
            points=outcome.points,
            counted=indicator not in dropped,
            explanation=_explain(indicator, outcome, dropped, outcomes) if explain else None,
            basis=recorded,
            render=partial(_explain, indicator, outcome, dropped, outcomes) if basis and not explain else None,
        )
        for indicator, (outcome, recorded) in outcomes.items()
    )


def _floored_total(ctx: Context, items: tuple[Item, ...]) -> tuple[int, int]:
    """(the sum of the counted items, floored at the scheme's minimum; the standard score)."""
    floor = ctx.int_param("scheme.minimum_total")
    standard = ctx.int_param("scheme.standard")
    ctx.take_basis()
    return max(sum(i.points for i in items if i.counted), floor), standard


def _eligibility(ctx: Context, *, explain: bool, basis: bool) -> tuple[EligibilityCheck, ...]:
    """The conditions to apply, in the order a score lists them (the permit's only when one is given)."""
    checks = [
        eligibility.minimum_age(ctx),
        eligibility.filing_month(ctx),
        eligibility.insurance(ctx),
        eligibility.veto(ctx),
    ]
    permit = eligibility.permit(ctx)
    if permit is not None:
        checks.insert(3, permit)
    return tuple(
        EligibilityCheck(
            check.name,
            check.met,
            check.outcome.render() if explain else None,
            check.basis,
            check.outcome.render if basis and not explain else None,
        )
        for check in checks
    )


def _choose_one(ctx: Context, outcomes: Outcomes) -> dict[str, str]:
    """Indicators dropped by the choose-one rule, each mapped to the indicator counted instead.

    The highest counts; on equal points the first listed. A dropped item with 0 points drops nothing,
    so it stays counted.
    """
    group = ctx.param("scheme.choose_one")
    assert isinstance(group, tuple)  # noqa: S101
    basis = ctx.take_basis()
    names = [str(name) for name in group]
    winner = max(names, key=lambda name: (outcomes[name][0].points, -names.index(name)))
    dropped = {name: winner for name in names if name != winner and outcomes[name][0].points != 0}
    if dropped:
        # The rule that dropped an item is part of that item's basis.
        for name in dropped:
            outcome, own = outcomes[name]
            outcomes[name] = (outcome, (*own, *basis))
    return dropped


def _explain(
    indicator: str,
    outcome: Outcome,
    dropped: dict[str, str],
    outcomes: Outcomes,
) -> dict[str, str]:
    text = outcome.render()
    winner = dropped.get(indicator)
    if winner is None:
        return text
    labels = indicator_labels()
    note = Outcome(
        0,
        NOT_COUNTED,
        {
            "own_zh": labels[indicator]["zh"],
            "own_en": labels[indicator]["en"].lower(),
            "winner_zh": labels[winner]["zh"],
            "winner_en": labels[winner]["en"].lower(),
            "winner_points": outcomes[winner][0].points,
        },
    ).render()
    return {"zh": f"{text['zh']}{note['zh']}", "en": f"{text['en']} {note['en']}"}


def _warnings(ctx: Context, valid_until: date | None) -> tuple[dict[str, str], ...]:
    out = []
    if valid_until is not None and ctx.as_of > valid_until:
        until = date_words(valid_until)
        out.append(
            {
                "zh": f"所适用的积分办法有效期至{until['zh']}，数据中尚无新办法，按现行办法继续计算。",
                "en": f"The scheme text in force was stated valid until {until['en']}; "
                "no newer text is in the data, "
                "so it is applied as still in force.",
            }
        )
    out.extend(ceiling_warnings(ctx))
    for name, resolved in sorted(ctx.provisional.items()):
        entry = resolved.entry
        words = not_published(ctx.policy.parameters[name], entry.effective_from, resolved.value)
        out.append({"zh": f"{words['zh']}。", "en": f"{words['en']}."})
    return tuple(out)
