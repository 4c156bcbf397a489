"""A proposed change overlaid on the policy data, and who gains or loses by it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jifen.batch.impact import draw_changes, impact
from jifen.batch.layout import write_holders
from jifen.batch.synth import population
from jifen.cli.main import app
from jifen.policy.loader import default_policy, load_policy_from
from jifen.policy.model import PolicyError
from tests.conftest import FROZEN_POLICY

pytestmark = pytest.mark.usefixtures("frozen_policy")  # mechanisms, not the law: tests/policy/README.md

PROPOSAL = """description:
  zh: "拟议：2026年7月起参考工资12500元"
  en: "proposal: a reference wage of 12,500 from 2026-07"
unit: yuan_per_month
type: int
values:
  "2026-07-01":
    value: 12500
    source: {document: proposal}
    confidence: D
"""


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    folder = tmp_path / "proposal"
    (folder / "parameters" / "si_base").mkdir(parents=True)
    (folder / "parameters" / "si_base" / "reference_wage.yaml").write_text(PROPOSAL, encoding="utf-8")
    return folder


def holder(base: int, start: str, **facts: object) -> dict[str, object]:
    return {
        "schema": "jifen.facts/1",
        "birth_date": "1990-05-01",
        "social_insurance": [{"from": start, "to": None, "base": base}],
        **facts,
    }


def test_an_overlay_adds_a_dated_value_and_keeps_the_rest(overlay: Path) -> None:
    proposed = load_policy_from(FROZEN_POLICY, overlay=overlay)
    assert proposed.resolve("si_base.reference_wage", date(2026, 7, 1)).value == 12500
    assert proposed.resolve("si_base.reference_wage", date(2026, 6, 30)).value == 11396
    assert default_policy().resolve("si_base.reference_wage", date(2026, 7, 1)).value == 11396


def test_an_overlay_of_an_unknown_parameter_is_refused(tmp_path: Path) -> None:
    (tmp_path / "parameters" / "si_base").mkdir(parents=True)
    (tmp_path / "parameters" / "si_base" / "reference_wages.yaml").write_text(PROPOSAL, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"no parameter named 'si_base\.reference_wages' to change"):
        load_policy_from(FROZEN_POLICY, overlay=tmp_path)


def test_an_empty_overlay_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match=r"no parameters/<group>/<name>\.yaml files to overlay"):
        load_policy_from(FROZEN_POLICY, overlay=tmp_path)


def test_who_gains_and_who_loses(tmp_path: Path, overlay: Path) -> None:
    people = {
        # 12,000 is below 12,500: from 2026-07 the months stop counting at 1x; on 2027-08-01 only 35 of
        # the last 48 do, so the tier drops from 50 to 25.
        "A": holder(12000, "2019-07"),
        "B": holder(20000, "2019-07"),  # above both: no change
        "C": holder(12000, "2023-07", education=[{"level": "junior_college", "graduated_on": "2010-07-01"}]),
    }  # 30 age + 50 + 12 (49 months) + 50 = 142 before, 117 after: it crosses 120 downwards
    lines = [json.dumps({"id": k, "facts": v}) for k, v in people.items()]
    (tmp_path / "people.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proposed = load_policy_from(FROZEN_POLICY, overlay=overlay)
    report = impact(
        tmp_path / "people.jsonl", date(2027, 8, 1), default_policy(), proposed, csv_path=tmp_path / "affected.csv"
    )
    assert (report.holders, report.gainers, report.losers, report.crossing_up, report.crossing_down) == (3, 0, 2, 0, 1)
    assert dict(report.changes) == {-25: 2, 0: 1}
    assert (tmp_path / "affected.csv").read_text(encoding="utf-8").splitlines() == [
        "id,before,after,change",
        "A,104,79,-25",
        "C,142,117,-25",
    ]
    draw_changes(report, tmp_path / "changes.png", language="zh")
    assert (tmp_path / "changes.png").read_bytes()[:4] == b"\x89PNG"


def test_parquet_is_compared_by_the_vectorised_engine_with_the_same_report(tmp_path: Path, overlay: Path) -> None:
    people = [(f"H{i:03d}", facts) for i, (_, facts) in enumerate(population(300, date(2027, 8, 1), seed=3))]
    people.append(("bad", {"schema": "jifen.facts/1", "birth_date": "2030-01-01"}))  # born after the date
    write_holders(tmp_path / "people.jsonl", iter(people))
    write_holders(tmp_path / "people.parquet", iter(people))
    proposed = load_policy_from(FROZEN_POLICY, overlay=overlay)
    reports = {
        kind: impact(
            tmp_path / f"people.{kind}",
            date(2027, 8, 1),
            default_policy(),
            proposed,
            csv_path=tmp_path / f"{kind}.csv",
            chunk=70,
        )
        for kind in ("jsonl", "parquet")
    }
    assert reports["parquet"] == reports["jsonl"]
    assert reports["parquet"].refused == 1 and reports["parquet"].losers > 10  # the overlay raises the wage
    assert (tmp_path / "parquet.csv").read_text() == (tmp_path / "jsonl.csv").read_text()


def test_the_command(tmp_path: Path, overlay: Path) -> None:
    (tmp_path / "people.jsonl").write_text(
        json.dumps({"id": "A", "facts": holder(12000, "2019-07")}) + "\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["impact", str(tmp_path / "people.jsonl"), "--overlay", str(overlay), "--on", "2027-08-01"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 holders: 0 gain, 1 lose, 0 cross 120 upwards, 0 downwards, 0 refused\n"
