"""``jifen advise FACTS.json``: what changed, what will change and when, whether and when to refresh."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jifen.advisor import Advice, advise
from jifen.advisor.chart import FORMATS, draw_chart
from jifen.advisor.triggers import KIND_LABELS
from jifen.cli.inputs import fail, fail_facts, parse_on, policy_with, read_json
from jifen.facts.parse import FactsError
from jifen.policy.wording import date_words

TEXT = {
    "zh": {
        "now": "当前积分",
        "change": "较上次核定",
        "refresh": "建议",
        "yes": "现在申请",
        "no": "暂不申请",
        "window": "递交时间",
        "decision": "预计核定",
        "target": "目标日期",
        "latest_filing": "最晚递交",
        "impossible": "（早于可递交日期，来不及）",
        "triggers": "积分变化",
        "date": "日期",
        "kind": "事项",
        "delta": "变化",
        "total": "总分",
        "why": "说明",
        "materials": "需准备材料",
        "reaches": "达到120分",
        "none": "无",
        "wd": "个工作日",
        "estimate": "（含估算的放假安排）",
        "warnings": "本建议所依据的估算",
        "steps": "办理步骤",
        "fails": "（预计不获通过）",
        "options": "现在申请还是等待",
        "points": "分",
        "chosen": "（推荐）",
        "after": "递交之后",
    },
    "en": {
        "now": "Points now",
        "change": "Since last approved",
        "refresh": "Advice",
        "yes": "file now",
        "no": "do not file now",
        "window": "Filing window",
        "decision": "Expected decision",
        "target": "Target",
        "latest_filing": "latest filing",
        "impossible": " (before the earliest filing date: too late)",
        "triggers": "What changes",
        "date": "Date",
        "kind": "Event",
        "delta": "Change",
        "total": "Total",
        "why": "Why",
        "materials": "Materials to prepare",
        "reaches": "Reaches 120 on",
        "none": "none",
        "wd": " working days",
        "estimate": " (partly estimated holiday arrangements)",
        "warnings": "What this advice rests on",
        "steps": "Steps",
        "fails": " (expected to fail)",
        "options": "File now or wait",
        "points": " points",
        "chosen": " (recommended)",
        "after": "After filing",
    },
}


def advise_command(
    facts: Annotated[str, typer.Argument(help="facts file (jifen.facts/1 JSON), or - for standard input")],
    on: Annotated[str | None, typer.Option(help="advise as of this date (YYYY-MM-DD) instead of as_of")] = None,
    target: Annotated[str | None, typer.Option(help="plan backwards: the date approved points are needed by")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print jifen.advice/1 JSON")] = False,
    lang: Annotated[str, typer.Option(help="language of the text: zh or en")] = "zh",
    chart: Annotated[Path | None, typer.Option(help="also draw the projection to FILE.svg or FILE.png")] = None,
    reading: Annotated[list[str] | None, typer.Option(help="switch a disputed reading: ID=CHOICE")] = None,
) -> None:
    """Refresh advice: triggers, the 36-month projection, the filing window, materials."""
    if lang not in TEXT:
        fail(f"--lang: expected zh or en, got {lang!r}")
    if chart is not None and chart.suffix.lower() not in FORMATS:
        fail(f"--chart: the file must end in .svg or .png, got {chart.name!r}")
    policy = policy_with(reading or [])
    data = read_json(facts)
    target_day = parse_on(target, "--target")
    try:
        result = advise(data, on=parse_on(on), policy=policy, target=target_day)
    except FactsError as exc:
        fail_facts(exc)
    if chart is not None:
        draw_chart(result, chart, language=lang)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    render(result, lang)


def _on(value: date | None, lang: str) -> str:
    """A date as the table's language says it ("2027年3月1日", "1 March 2027")."""
    return date_words(value)[lang] if value is not None else "…"


def render(advice: Advice, lang: str) -> None:
    t = TEXT[lang]
    console = Console(width=120, highlight=False)

    current = advice.current
    change = advice.change_since_last_approved
    console.print(
        f"{t['now']}: [bold]{current.total}[/bold] ({_on(current.as_of, lang)})"
        + (f"    {t['change']}: {change:+d}" if change is not None else "")
    )
    reaches = advice.reaches_standard_on
    console.print(f"{t['reaches']}: {_on(reaches, lang) if reaches else t['none']}")
    rec = advice.recommendation
    console.print(f"{t['refresh']}: [bold]{t['yes'] if rec.refresh else t['no']}[/bold]. {escape(rec.reason[lang])}")
    if rec.earliest is not None:
        console.print(f"{t['window']}: {_on(rec.earliest, lang)} – {_on(rec.latest, lang)}")
    if rec.expected_decision is not None:
        d = rec.expected_decision
        note = t["estimate"] if d.provisional else ""
        console.print(
            f"{t['decision']}: {_on(d.earliest, lang)} – {_on(d.latest, lang)} "
            f"({d.working_days[0]}–{d.working_days[1]}{t['wd']}){note}"
        )
    if rec.target is not None:
        plan = rec.target
        console.print(
            f"{t['target']}: {_on(plan.target, lang)}, {t['latest_filing']} {_on(plan.latest_filing, lang)}"
            f"{'' if plan.possible else t['impossible']}. {escape(plan.assumption[lang])}"
        )
    _plan(console, advice, lang)
    table = Table(title=t["triggers"])
    for column in ("date", "kind", "delta", "total", "why"):
        table.add_column(t[column], overflow="fold", justify="right" if column in ("delta", "total") else "left")
    for trigger in advice.triggers:
        delta = f"{trigger.points_delta:+d}" if trigger.points_delta else ""
        kind = KIND_LABELS.get(trigger.kind, {}).get(lang, trigger.kind)
        table.add_row(_on(trigger.on, lang), kind, delta, str(trigger.total_after), escape(trigger.explanation[lang]))
    console.print(table)
    console.print(f"{t['materials']}:")
    for group in advice.materials:
        console.print(f"  [bold]{escape(group['label'][lang])}[/bold]")
        for item in group["items"][lang]:
            console.print(f"    - {escape(item)}")


def _plan(console: Console, advice: Advice, lang: str) -> None:
    """The warnings, the dated steps, the options weighed and what happens after filing."""
    t = TEXT[lang]
    rec = advice.recommendation
    if advice.warnings:
        console.print(f"{t['warnings']}:")
        for warning in advice.warnings:
            console.print(f"  - {escape(warning[lang])}")
    if rec.steps:
        console.print(f"{t['steps']}:")
        for n, step in enumerate(rec.steps, 1):
            until = f" – {_on(step.until, lang)}" if step.until else ""
            fails = t["fails"] if step.would_fail else ""
            console.print(f"  {n}. [bold]{step.label[lang]}[/bold] {_on(step.start, lang)}{until}{fails}")
            console.print(f"     {escape(step.explanation[lang])}")
    if rec.options:
        console.print(f"{t['options']}:")
        for option in rec.options:
            chosen = t["chosen"] if option.chosen else ""
            console.print(
                f"  - {_on(option.file_on, lang)}: {option.points}{t['points']}, {t['decision']} "
                f"{_on(option.decision_from, lang)} – {_on(option.decision_to, lang)}{chosen}"
            )
    if advice.after_filing:
        console.print(f"{t['after']}:")
        for after in advice.after_filing:
            console.print(f"  [bold]{after.label[lang]}[/bold]: {escape(after.explanation[lang])}")
