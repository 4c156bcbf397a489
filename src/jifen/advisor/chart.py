"""The projection as a picture: total points over time, the 120 line, each trigger marked and labelled."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from jifen.advisor.advise import PROJECTION_MONTHS
from jifen.advisor.result import Advice
from jifen.advisor.triggers import KIND_LABELS
from jifen.dates import add_months_capped

FORMATS = (".svg", ".png")


_EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch: a date is its number of days since


def _x(day: date) -> float:
    return float((day - _EPOCH).days)


def _later(day: date, days: int) -> date:
    """``days`` after ``day``, at most ``date.max``."""
    return day + timedelta(days=min(days, (date.max - day).days))


def chart_svg(advice: Advice) -> str:
    """The chart as SVG text, for a page."""
    buffer = io.BytesIO()
    _draw(advice, buffer, "svg")
    return buffer.getvalue().decode("utf-8")


def draw_chart(advice: Advice, path: Path) -> None:
    """Write the chart to ``path`` (.svg or .png)."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"the chart file must end in .svg or .png, got {path.name!r}")
    _draw(advice, path, path.suffix.lower().lstrip("."))


def _draw(advice: Advice, target: Path | io.BytesIO, kind: str) -> None:
    # matplotlib takes most of a second to import: loaded when a chart is drawn, not with the CLI.
    import matplotlib

    matplotlib.use("Agg")  # no screen: render to files only
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    start = advice.as_of
    end = max([_later(start, 3 * 365)] + [t.on for t in advice.triggers])
    steps: list[tuple[date, int]] = [(start, advice.current.total), *advice.projection]
    xs = [_x(d) for d, _ in steps] + [_x(end)]
    ys = [total for _, total in steps] + [steps[-1][1]]

    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    ax.step(xs, ys, where="post", color="#1f5fa8", linewidth=2, label="projected total")
    standard = advice.current.standard
    ax.axhline(standard, color="#c0392b", linestyle="--", linewidth=1.2, label=f"standard {standard}")
    top = max(max(ys), standard)
    ax.set_ylim(0, top * 1.25 + 10)
    for i, trigger in enumerate(advice.triggers):
        color = "#2e8b57" if trigger.points_delta > 0 else "#c0392b" if trigger.points_delta < 0 else "#777777"
        ax.axvline(_x(trigger.on), color=color, alpha=0.35, linewidth=1)
        delta = f" {trigger.points_delta:+d}" if trigger.points_delta else ""
        ax.annotate(
            f"{trigger.on:%Y-%m-%d} {KIND_LABELS.get(trigger.kind, {}).get('en', trigger.kind)}{delta}",
            xy=(_x(trigger.on), trigger.total_after),
            xytext=(3, 8 + 11 * (i % 6)),
            textcoords="offset points",
            rotation=0,
            fontsize=7,
            color=color,
        )
    recommendation = advice.recommendation
    if recommendation.earliest is not None:
        horizon = add_months_capped(advice.as_of, PROJECTION_MONTHS)  # a window may run to a far permit's end
        right = min(recommendation.latest or recommendation.earliest, horizon)
        ax.axvspan(
            _x(recommendation.earliest),
            _x(max(right, _later(recommendation.earliest, 3))),
            color="#f1c40f",
            alpha=0.25,
            label="filing window",
        )
    ax.set_title(f"jifen: projected points from {start} (now {advice.current.total})")
    ax.set_ylabel("points")
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(target, format=kind)
    plt.close(fig)
