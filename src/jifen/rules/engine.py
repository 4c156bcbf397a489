"""Score one holder: run every indicator, apply the choose-one rule, add up, floor, check eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial

from jifen.dates import today_in_shanghai
from jifen.facts.model import Facts
from jifen.facts.parse import FactsError, FieldError, parse_facts
from jifen.policy.loader import default_policy
from jifen.policy.model import NotInForceError, Policy
from jifen.policy.wording import date_words, not_published
from jifen.rules import eligibility
from jifen.rules.ceiling import ceiling_warnings
from jifen.rules.context import Basis, Context
from jifen.rules.indicators import INDICATORS, LABELS
from jifen.rules.outcome import Message, Outcome
from jifen.rules.result import EligibilityCheck, Item, Score

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
    if parsed.birth_date > as_of:
        raise FactsError(
            [
                FieldError(
                    "birth_date",
                    f"{parsed.birth_date} is after as_of {as_of}",
                    f"出生日期{parsed.birth_date}晚于计算日期{as_of}",
                )
            ]
        )
    try:
        version = policy.version_at(as_of)
    except NotInForceError as exc:
        raise FactsError([FieldError("as_of", str(exc), f"数据中没有{as_of}适用的积分办法")]) from None
    ctx = Context(parsed, as_of, policy, recording=basis)

    outcomes: dict[str, tuple[Outcome, tuple[Basis, ...]]] = {}
    for indicator, rule in INDICATORS:
        outcome = rule(ctx)
        outcomes[indicator] = (outcome, ctx.take_basis())

    counted = _choose_one(ctx, outcomes)
    items = tuple(
        Item(
            indicator=indicator,
            label=LABELS[indicator],
            points=outcome.points,
            counted=indicator not in counted,
            explanation=_explain(indicator, outcome, counted, outcomes) if explain else None,
            basis=recorded,
            render=partial(_explain, indicator, outcome, counted, outcomes) if basis and not explain else None,
        )
        for indicator, (outcome, recorded) in outcomes.items()
    )
    floor = ctx.int_param("scheme.minimum_total")
    standard = ctx.int_param("scheme.standard")
    ctx.take_basis()
    total = max(sum(i.points for i in items if i.counted), floor)

    checks = [
        eligibility.minimum_age(ctx),
        eligibility.filing_month(ctx),
        eligibility.insurance(ctx),
        eligibility.veto(ctx),
    ]
    permit = eligibility.permit(ctx)
    if permit is not None:
        checks.insert(3, permit)
    vetoed = any(c.name == "veto" and not c.met for c in checks)
    return Score(
        as_of=as_of,
        policy=version,
        readings=policy.non_default_readings(),
        eligible=all(c.met for c in checks),
        vetoed=vetoed,
        total=total,
        standard=standard,
        items=items,
        eligibility=tuple(
            EligibilityCheck(
                c.name,
                c.met,
                c.outcome.render() if explain else None,
                c.basis,
                c.outcome.render if basis and not explain else None,
            )
            for c in checks
        ),
        warnings=_warnings(ctx, version.valid_until),
    )


def _choose_one(ctx: Context, outcomes: dict[str, tuple[Outcome, tuple[Basis, ...]]]) -> dict[str, str]:
    """Indicators dropped by the choose-one rule, each mapped to the indicator counted instead.

    The highest counts; on equal points the first listed. A dropped item with 0 points drops nothing,
    so it stays counted.
    """
    group = ctx.param("scheme.choose_one")
    assert isinstance(group, tuple)  # noqa: S101
    basis = ctx.take_basis()
    names = [str(n) for n in group]
    winner = max(names, key=lambda n: (outcomes[n][0].points, -names.index(n)))
    dropped = {n: winner for n in names if n != winner and outcomes[n][0].points != 0}
    if dropped:
        # The rule that dropped an item is part of that item's basis.
        for n in dropped:
            outcome, own = outcomes[n]
            outcomes[n] = (outcome, (*own, *basis))
    return dropped


def _explain(
    indicator: str,
    outcome: Outcome,
    dropped: dict[str, str],
    outcomes: dict[str, tuple[Outcome, tuple[Basis, ...]]],
) -> dict[str, str]:
    text = outcome.render()
    winner = dropped.get(indicator)
    if winner is None:
        return text
    note = Outcome(
        0,
        NOT_COUNTED,
        {
            "own_zh": LABELS[indicator]["zh"],
            "own_en": LABELS[indicator]["en"].lower(),
            "winner_zh": LABELS[winner]["zh"],
            "winner_en": LABELS[winner]["en"].lower(),
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
