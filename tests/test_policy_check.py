"""Stale law is noticed: ``jifen policy check`` and :mod:`jifen.policy.staleness` (issue 10, item 7).

Tests about the mechanism run on a small policy of their own (the documents of the bundled data and one
yearly parameter, ``demo.yearly_wage``, due every 1 July from 2020) and on a calendar folder of their own,
so that publishing real values or a new calendar year does not change them. The last tests check that the
bundled data declares the reference wage and the insurance wage yearly.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jifen.cli.main import app
from jifen.policy.loader import POLICY_DIR, load_policy_from
from jifen.policy.model import Policy, PolicyError
from jifen.policy.staleness import overdue_calendar, overdue_values
from jifen.workdays.counting import WorkdayCalendar

NAME = "demo.yearly_wage"
ABOUT = """description: {zh: 测试用年度工资, en: a yearly wage for the tests}
unit: yuan_per_month
type: int
"""
YEARLY = """yearly:
  since: "2020-07-01"
  source: {document: rsj-si-limits}
  note: every 1 July
"""
HEADER = ABOUT + YEARLY + "values:\n"


def value(day: str, amount: int, *, provisional: bool = False) -> str:
    flag = "\n    provisional: true" if provisional else ""
    return f'  "{day}":\n    value: {amount}\n    source: {{document: rsj-si-limits}}\n    confidence: B{flag}\n'


def make_root(tmp_path: Path, *values: str) -> Path:
    """A policy folder: the bundled documents, versions and readings, one yearly parameter, no calendar files."""
    root = tmp_path / "policy"
    (root / "parameters" / "demo").mkdir(parents=True)
    (root / "calendar").mkdir()
    for name in ("sources.yaml", "versions.yaml", "readings.yaml"):
        shutil.copy(POLICY_DIR / name, root / name)
    (root / "parameters" / "demo" / "yearly_wage.yaml").write_text(HEADER + "".join(values), encoding="utf-8")
    return root


PUBLISHED_TO_2025 = [value(f"{y}-07-01", 100 + y - 2020) for y in range(2020, 2026)]


def load(tmp_path: Path, *values: str) -> tuple[Policy, Path]:
    root = make_root(tmp_path, *values)
    return load_policy_from(root), root


def states(policy: Policy, today: str, root: Path) -> list[tuple[str, str, str]]:
    return [(o.subject, o.period, o.state) for o in overdue_values(policy, date.fromisoformat(today), root)]


class TestYearlyValues:
    def test_a_provisional_value_is_overdue_from_1_july(self, tmp_path: Path) -> None:
        policy, root = load(tmp_path, *PUBLISHED_TO_2025, value("2026-07-01", 105, provisional=True))
        assert states(policy, "2026-06-30", root) == []
        assert states(policy, "2026-07-01", root) == [(NAME, "2026-07-01", "provisional")]
        assert states(policy, "2027-06-30", root) == [(NAME, "2026-07-01", "provisional")]

    def test_a_published_value_is_current_until_the_next_1_july(self, tmp_path: Path) -> None:
        policy, root = load(tmp_path, *PUBLISHED_TO_2025, value("2026-07-01", 106))
        assert states(policy, "2026-07-01", root) == []
        assert states(policy, "2027-06-30", root) == []
        assert states(policy, "2027-07-01", root) == [(NAME, "2027-07-01", "missing")]

    def test_a_missing_value_is_overdue_from_1_july(self, tmp_path: Path) -> None:
        policy, root = load(tmp_path, *PUBLISHED_TO_2025)
        assert states(policy, "2026-06-30", root) == []
        assert states(policy, "2026-07-01", root) == [(NAME, "2026-07-01", "missing")]

    def test_a_late_published_value_in_the_year_counts(self, tmp_path: Path) -> None:
        policy, root = load(
            tmp_path, *PUBLISHED_TO_2025, value("2026-07-01", 105, provisional=True), value("2026-09-01", 107)
        )
        assert states(policy, "2026-07-01", root) == []

    def test_nothing_is_due_before_the_schedule_starts(self, tmp_path: Path) -> None:
        policy, root = load(tmp_path, value("2019-04-01", 90))
        assert states(policy, "2020-06-30", root) == []
        assert states(policy, "2020-07-01", root) == [(NAME, "2020-07-01", "missing")]

    def test_an_overlay_publishing_the_value_makes_it_current(self, tmp_path: Path) -> None:
        root = make_root(tmp_path, *PUBLISHED_TO_2025, value("2026-07-01", 105, provisional=True))
        overlay = tmp_path / "overlay"
        (overlay / "parameters" / "demo").mkdir(parents=True)
        (overlay / "parameters" / "demo" / "yearly_wage.yaml").write_text(
            ABOUT + "values:\n" + value("2026-07-01", 108),
            encoding="utf-8",
        )
        assert states(load_policy_from(root), "2026-08-01", root) == [(NAME, "2026-07-01", "provisional")]
        assert states(load_policy_from(root, overlay=overlay), "2026-08-01", root) == []

    def test_the_message_names_the_parameter_the_period_and_the_file(self, tmp_path: Path) -> None:
        policy, root = load(tmp_path, *PUBLISHED_TO_2025, value("2026-07-01", 105, provisional=True))
        (item,) = overdue_values(policy, date(2026, 7, 1), root)
        assert item.file == root / "parameters" / "demo" / "yearly_wage.yaml"
        assert item.message["en"] == (
            f"{NAME}: the value for 2026-07-01 to 2027-06-30 is still provisional (due from 2026-07-01). Once it is "
            f"published, replace it and its source in {item.file} and remove `provisional: true`."
        )
        assert item.message["zh"].startswith(f"{NAME}：2026-07-01至2027-06-30的取值仍为暂定")
        assert item.key == f"{NAME}:2026-07-01"

    def test_the_schedule_is_checked_on_load(self, tmp_path: Path) -> None:
        root = make_root(tmp_path, value("2020-07-01", 100))
        path = root / "parameters" / "demo" / "yearly_wage.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace('"2020-07-01"', '"2020-02-29"', 1), encoding="utf-8")
        with pytest.raises(PolicyError, match=r"yearly\.since: a yearly date needs a day every year has"):
            load_policy_from(root)
        path.write_text(path.read_text(encoding="utf-8").replace("  note: every 1 July\n", "  when: 1 July\n"))
        with pytest.raises(PolicyError, match=r"yearly_wage\.yaml: yearly\.when: unknown key"):
            load_policy_from(root)


class TestCalendar:
    """Next year's calendar is due from 1 November of the last year with official data."""

    @pytest.fixture
    def calendar(self, tmp_path: Path) -> WorkdayCalendar:
        (tmp_path / "calendar").mkdir()
        return WorkdayCalendar(tmp_path / "calendar")

    def test_next_year_is_due_from_1_november(self, calendar: WorkdayCalendar, tmp_path: Path) -> None:
        last = max(calendar.official_years())
        assert overdue_calendar(calendar, date(last, 10, 31), tmp_path) == []
        (item,) = overdue_calendar(calendar, date(last, 11, 1), tmp_path)
        assert (item.subject, item.period, item.state) == ("calendar", str(last + 1), "estimated")
        assert item.file == tmp_path / "calendar" / f"{last + 1}.yaml"
        assert f"no official holiday arrangement for {last + 1}" in item.message["en"]


class TestCommand:
    runner = CliRunner()

    @pytest.fixture
    def last(self) -> int:
        return max(WorkdayCalendar(POLICY_DIR / "calendar").official_years())

    def use(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        monkeypatch.setenv("JIFEN_POLICY_DIR", str(root))

    def test_exit_0_when_current(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: int) -> None:
        published = [value(f"{y}-07-01", 100 + y - 2020) for y in range(2020, last + 1)]
        self.use(monkeypatch, make_root(tmp_path, *published))
        result = self.runner.invoke(app, ["policy", "check", "--today", f"{last}-10-31"])
        assert (result.exit_code, result.stdout) == (0, "policy data is current\n")
        result = self.runner.invoke(app, ["policy", "check", "--today", f"{last}-10-31", "--lang", "zh"])
        assert (result.exit_code, result.stdout) == (0, "政策数据是最新的。\n")

    def test_exit_1_naming_each_overdue_item(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: int) -> None:
        published = [value(f"{y}-07-01", 100 + y - 2020) for y in range(2020, last)]
        root = make_root(tmp_path, *published, value(f"{last}-07-01", 100, provisional=True))
        self.use(monkeypatch, root)
        result = self.runner.invoke(app, ["policy", "check", "--today", f"{last}-11-01"])
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert len(lines) == 2
        assert lines[0].startswith(f"{NAME}: the value for {last}-07-01 to {last + 1}-06-30 is still provisional")
        assert str(root / "parameters" / "demo" / "yearly_wage.yaml") in lines[0]
        assert lines[1].startswith(f"working-day calendar: no official holiday arrangement for {last + 1}")
        assert str(root / "calendar" / f"{last + 1}.yaml") in lines[1]

    def test_json(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last: int) -> None:
        root = make_root(tmp_path, *[value(f"{y}-07-01", 100) for y in range(2020, last)])
        self.use(monkeypatch, root)
        result = self.runner.invoke(app, ["policy", "check", "--today", f"{last}-07-01", "--json"])
        assert result.exit_code == 1
        assert json.loads(result.stdout) == {
            "today": f"{last}-07-01",
            "overdue": [
                {
                    "subject": NAME,
                    "period": f"{last}-07-01",
                    "state": "missing",
                    "file": str(root / "parameters" / "demo" / "yearly_wage.yaml"),
                }
            ],
        }

    def test_bad_options(self) -> None:
        assert self.runner.invoke(app, ["policy", "check", "--today", "2026-13-01"]).exit_code == 2
        assert self.runner.invoke(app, ["policy", "check", "--lang", "fr"]).exit_code == 2


class TestTheBundledData:
    def test_the_reference_wage_and_the_insurance_wage_are_due_every_1_july(self) -> None:
        policy = load_policy_from(POLICY_DIR)
        yearly = {name: p.yearly for name, p in policy.parameters.items() if p.yearly is not None}
        assert sorted(yearly) == ["si_base.reference_wage", "social_insurance.wage"]
        assert {(y.since.month, y.since.day) for y in yearly.values()} == {(7, 1)}
