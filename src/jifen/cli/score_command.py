"""``jifen score FACTS.json``: one score, as a table a person reads or as ``jifen.score/1`` JSON."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jifen.cli.inputs import fail, fail_facts, parse_on, policy_with, read_json
from jifen.facts.parse import FactsError
from jifen.policy.basis_words import basis_lines
from jifen.policy.model import Policy
from jifen.policy.wording import date_words
from jifen.rules.context import Basis
from jifen.rules.engine import score
from jifen.rules.result import Score

HEAD = {
    "zh": (
        "积分日期",
        "适用办法",
        "总分",
        "标准分值",
        "达到标准",
        "申请资格",
        "是",
        "否",
        "指标",
        "分值",
        "计入",
        "说明",
        "提示",
        "解读",
    ),
    "en": (
        "Scored on",
        "Policy",
        "Total",
        "Standard",
        "Meets standard",
        "Eligible",
        "yes",
        "no",
        "Indicator",
        "Points",
        "Counted",
        "Explanation",
        "Warning",
        "Readings",
    ),
}


def score_command(
    facts: Annotated[str, typer.Argument(help="facts file (jifen.facts/1 JSON), or - for standard input")],
    on: Annotated[str | None, typer.Option(help="score on this date (YYYY-MM-DD) instead of as_of")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print jifen.score/1 JSON")] = False,
    lang: Annotated[str, typer.Option(help="language of the table: zh or en")] = "zh",
    reading: Annotated[
        list[str] | None, typer.Option(help="switch a disputed reading: ID=CHOICE (see policy/readings.yaml)")
    ] = None,
) -> None:
    """Score one holder from dated facts (exit 2 on bad input, naming the field)."""
    if lang not in HEAD:
        fail(f"--lang: expected zh or en, got {lang!r}")
    policy = policy_with(reading or [])
    data = read_json(facts)
    try:
        result = score(data, on=parse_on(on), policy=policy)
    except FactsError as exc:
        fail_facts(exc)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    render_table(result, lang, policy)


def _cell(explanation: dict[str, str] | None, basis: tuple[Basis, ...], lang: str, policy: Policy) -> str:
    """The explanation, then one dim line per value read, in words: name, value, clause, effective date."""
    lines = [escape((explanation or {}).get(lang, ""))]
    for line in basis_lines([b.to_dict() for b in basis], policy):
        lines.append(f"[dim]{escape(line.text[lang])}[/dim]")
    return "\n".join(lines)


def render_table(result: Score, lang: str, policy: Policy) -> None:
    h = HEAD[lang]
    console = Console(width=120, highlight=False)
    yes, no = h[6], h[7]
    console.print(f"{h[0]}: {date_words(result.as_of)[lang]}    {h[1]}: {result.policy.title} {result.policy.name}")
    console.print(
        f"{h[2]}: [bold]{result.total}[/bold]    {h[3]}: {result.standard}    "
        f"{h[4]}: {yes if result.meets_standard else no}    {h[5]}: {yes if result.eligible else no}"
    )
    if result.readings:
        chosen = (getattr(policy.readings[k].choices[v], lang) for k, v in result.readings.items())
        console.print(f"{h[13]}: " + "; ".join(chosen))
    table = Table(show_lines=False)
    table.add_column(h[8])
    table.add_column(h[9], justify="right")
    table.add_column(h[10], justify="center")
    table.add_column(h[11], overflow="fold")
    for item in result.items:
        table.add_row(
            item.label[lang],
            str(item.points),
            yes if item.counted else no,
            _cell(item.explanation, item.basis, lang, policy),
        )
    console.print(table)
    for check in result.eligibility:
        mark = "✓" if check.met else "✗"
        console.print(f"{mark} {(check.explanation or {}).get(lang, check.check)}")
    for warning in result.warnings:
        console.print(f"{h[12]}: {warning[lang]}")
