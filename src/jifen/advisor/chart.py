"""The projection as a picture: total points over time, the standard line, the filing window, and each date
a trigger falls on marked with its number (1, 2, … in the order of ``advice.triggers``; the page lists them
in a table beside the chart). Every word in the holder's language, zh or en.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from jifen.advisor.advise import PROJECTION_MONTHS
from jifen.advisor.result import Advice, Trigger
from jifen.charting import FORMATS, SIZE, check_format, check_language, drawing, save, svg_text
from jifen.dates import add_months_capped
from jifen.policy.wording import date_words

__all__ = ["FORMATS", "WORDS", "chart_svg", "draw_chart", "markers"]

WORDS: dict[str, dict[str, str]] = {
    "title": {"zh": "积分走势（{day}起）", "en": "Points ahead from {day}"},
    "axis": {"zh": "积分", "en": "points"},
    "total": {"zh": "预计总分", "en": "projected total"},
    "standard": {"zh": "标准分 {standard}", "en": "standard {standard}"},
    "window": {"zh": "递交时间", "en": "filing window"},
    "year": {"zh": "{year}年", "en": "{year}"},
}
_BLUE, _GREEN, _RED, _GREY, _YELLOW = "#1f5fa8", "#1e7b34", "#b3261e", "#6b7280", "#f1c40f"

_EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch: a date is its number of days since


@dataclass(frozen=True)
class Marker:
    """The triggers of one day, as the chart marks them: "3", or "3–4" for two on the same day."""

    on: date
    first: int  # 1-based numbers of the day's triggers in ``advice.triggers``
    last: int
    points_delta: int
    total_after: int

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def markers(triggers: tuple[Trigger, ...] | list[Trigger]) -> list[Marker]:
    """One marker per day a trigger falls on, numbered as the triggers are listed (sorted by day)."""
    out: list[Marker] = []
    for number, trigger in enumerate(triggers, start=1):
        if out and out[-1].on == trigger.on and out[-1].last == number - 1:
            last = out[-1]
            out[-1] = Marker(last.on, last.first, number, last.points_delta + trigger.points_delta, trigger.total_after)
        else:
            out.append(Marker(trigger.on, number, number, trigger.points_delta, trigger.total_after))
    return out


def _x(day: date) -> float:
    return float((day - _EPOCH).days)


def _later(day: date, days: int) -> date:
    """``days`` after ``day``, at most ``date.max``."""
    return day + timedelta(days=min(days, (date.max - day).days))


def chart_svg(advice: Advice, *, language: str) -> str:
    """The chart as an ``<svg>`` element for a page, in ``language`` (zh or en)."""
    check_language(language)
    with drawing() as plt:
        fig, title = _draw(plt, advice, language)
        return svg_text(plt, fig, title)


def draw_chart(advice: Advice, path: Path, *, language: str) -> None:
    """Write the chart to ``path`` (.svg or .png), in ``language`` (zh or en)."""
    kind = check_format(path)
    check_language(language)
    _write(advice, path, kind, language)


def _write(advice: Advice, target: Path | IO[bytes], kind: str, language: str) -> None:
    with drawing() as plt:
        fig, title = _draw(plt, advice, language)
        save(plt, fig, target, kind, title)


def _draw(plt: Any, advice: Advice, language: str) -> tuple[Any, str]:
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    def words(key: str, **values: object) -> str:
        return WORDS[key][language].format(**values)

    start = advice.as_of
    end = max([_later(start, 3 * 365)] + [t.on for t in advice.triggers])
    steps: list[tuple[date, int]] = [(start, advice.current.total), *advice.projection]
    xs = [_x(d) for d, _ in steps] + [_x(end)]
    ys = [total for _, total in steps] + [steps[-1][1]]
    standard = advice.current.standard
    title = words("title", day=date_words(start)[language])

    fig, ax = plt.subplots(figsize=SIZE)
    ax.step(xs, ys, where="post", color=_BLUE, linewidth=2.2, label=words("total"))
    ax.axhline(standard, color=_RED, linestyle="--", linewidth=1.3, label=words("standard", standard=standard))
    recommendation = advice.recommendation
    if recommendation.earliest is not None:
        horizon = add_months_capped(advice.as_of, PROJECTION_MONTHS)  # a window may run to a far permit's end
        right = min(recommendation.latest or recommendation.earliest, horizon)
        ax.axvspan(
            _x(recommendation.earliest),
            _x(max(right, _later(recommendation.earliest, 3))),
            color=_YELLOW,
            alpha=0.35,
            linewidth=0,
            zorder=0,
            label=words("window"),
        )
    top = max(max(ys), standard)
    ax.set_ylim(0, top * 1.3 + 10)
    span = max(_x(end) - _x(start), 1.0)
    level, previous = 0, None
    for marker in markers(advice.triggers):
        x = _x(marker.on)
        close = previous is not None and x - previous < span * 0.07
        level = (level + 1) % 3 if close else 0
        previous = x
        color = _GREEN if marker.points_delta > 0 else _RED if marker.points_delta < 0 else _GREY
        ax.annotate(
            marker.label,
            xy=(x, marker.total_after),
            xytext=(0, 15 + 19 * level),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=12,
            fontweight="bold",
            color="white",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": color, "edgecolor": "none"},
            arrowprops={"arrowstyle": "-", "color": color, "linewidth": 1, "shrinkA": 0, "shrinkB": 0},
        )
    ax.set_xlim(_x(start), _x(start) + span)
    years = max(1, (end.year - start.year + 1) // 5)  # four or five years named at most
    ax.xaxis.set_major_locator(mdates.YearLocator(base=years))  # type: ignore[no-untyped-call]
    if years == 1:
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _: words("year", year=mdates.num2date(value).year))  # type: ignore[no-untyped-call]
    )
    ax.set_title(title, loc="left")
    ax.set_ylabel(words("axis"))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=3,
        frameon=False,
        handlelength=1.4,
        columnspacing=1,
    )
    fig.tight_layout(pad=0.4)
    return fig, title
