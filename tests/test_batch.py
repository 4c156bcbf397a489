"""Batch scoring: the layout round-trips, the synthetic population is valid, scores equal one-by-one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from typer.testing import CliRunner

from jifen import parse_facts, score
from jifen.batch.layout import from_row, read_holders, to_row, write_holders
from jifen.batch.scoring import score_file
from jifen.batch.synth import population
from jifen.cli.main import app
from jifen.policy.loader import default_policy
from jifen.rules.indicators import INDICATOR_IDS
from tests.conftest import contract_example

ON = date(2026, 11, 27)


def test_the_synthetic_population_is_reproducible_and_contract_valid() -> None:
    first = list(population(300, ON, seed=7))
    assert first == list(population(300, ON, seed=7))
    assert first != list(population(300, ON, seed=8))
    for _, facts in first:
        parse_facts(facts)


def test_a_row_round_trips_the_facts(example: dict[str, Any]) -> None:
    holder_id, facts = from_row(to_row("A", example))
    assert holder_id == "A"
    assert parse_facts(facts) == parse_facts(example)  # defaults (back_paid false, …) are left out


def test_parquet_and_json_lines_give_the_same_holders(tmp_path: Path) -> None:
    holders = list(population(120, ON))
    write_holders(tmp_path / "p.parquet", iter(holders), chunk=50)
    write_holders(tmp_path / "p.jsonl", iter(holders))
    from_parquet = [h for chunk in read_holders(tmp_path / "p.parquet", 40) for h in chunk]
    from_lines = [h for chunk in read_holders(tmp_path / "p.jsonl", 40) for h in chunk]
    assert from_lines == holders
    # Parquet has no "absent" apart from null: an ongoing run's "to": null comes back left out.
    assert [(i, parse_facts(f)) for i, f in from_parquet] == [(i, parse_facts(f)) for i, f in holders]


def test_batch_scores_equal_scoring_one_by_one(tmp_path: Path) -> None:
    holders = list(population(400, ON, seed=11))
    write_holders(tmp_path / "in.parquet", iter(holders))
    report = score_file(tmp_path / "in.parquet", tmp_path / "out.parquet", ON, default_policy(), chunk=150)
    assert (report.holders, report.refused) == (400, 0)
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["id"] for r in rows] == [h for h, _ in holders]
    for row, (_, facts) in zip(rows, holders, strict=True):
        expected = score(facts, on=ON)
        assert row["total"] == expected.total and row["eligible"] == expected.eligible
        assert [row[name] for name in INDICATOR_IDS] == [i.points for i in expected.items]


def test_a_refused_holder_gets_the_field_path_and_the_others_are_scored(tmp_path: Path) -> None:
    bad = {**contract_example(), "birth_date": "1990-02-30"}
    lines = [json.dumps({"id": "good", "facts": contract_example()}), json.dumps({"id": "bad", "facts": bad})]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = score_file(tmp_path / "in.jsonl", tmp_path / "out.parquet", None, default_policy())
    rows = {r["id"]: r for r in pq.read_table(tmp_path / "out.parquet").to_pylist()}
    assert (report.holders, report.refused) == (2, 1)
    assert (rows["good"]["total"], rows["good"]["error"]) == (250, None)
    assert (rows["bad"]["total"], rows["bad"]["error"]) == (None, "birth_date: no such date: 1990-02-30")


runner = CliRunner()


def test_the_commands(tmp_path: Path) -> None:
    made = runner.invoke(app, ["synth", "30", str(tmp_path / "p.parquet"), "--on", "2026-11-27"])
    assert (made.exit_code, made.stdout) == (0, f"30 holders written to {tmp_path / 'p.parquet'}\n")
    scored = runner.invoke(
        app, ["batch", str(tmp_path / "p.parquet"), str(tmp_path / "o.parquet"), "--on", "2026-11-27"]
    )
    assert scored.exit_code == 0, scored.output
    assert scored.stdout.endswith(
        "30 holders scored into " + str(tmp_path / "o.parquet") + " (0 refused: see the error column)\n"
    )
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 30


def test_the_batch_command_refuses_other_outputs(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.jsonl"), str(tmp_path / "out.csv")])
    assert (result.exit_code, result.stderr) == (2, "error: OUTPUT: expected a .parquet file, got 'out.csv'\n")


def test_the_engines_give_the_same_file_from_the_command(tmp_path: Path) -> None:
    runner.invoke(app, ["synth", "50", str(tmp_path / "p.parquet"), "--on", "2026-11-27", "--seed", "4"])
    for engine in ("vectorised", "scalar"):
        result = runner.invoke(
            app, ["batch", str(tmp_path / "p.parquet"), str(tmp_path / f"{engine}.parquet"), "--engine", engine]
        )
        assert result.exit_code == 0, result.output
    assert pq.read_table(tmp_path / "vectorised.parquet").equals(pq.read_table(tmp_path / "scalar.parquet"))


def test_the_batch_command_refuses_an_unknown_engine(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.jsonl"), str(tmp_path / "o.parquet"), "--engine", "gpu"])
    assert (result.exit_code, result.stderr) == (2, "error: --engine: expected one of vectorised, scalar; got 'gpu'\n")


def test_a_parquet_file_with_a_column_of_the_wrong_type_is_refused_and_nothing_written(tmp_path: Path) -> None:
    import pyarrow as pa

    pq.write_table(pa.table({"id": ["A"], "birth_date": ["1990-05-01"]}), tmp_path / "in.parquet")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.parquet"), str(tmp_path / "o.parquet")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'in.parquet'}: column 'birth_date' is string, expected date32[day]\n"
    assert not (tmp_path / "o.parquet").exists()


def test_a_parquet_file_may_leave_out_the_columns_of_absent_facts(tmp_path: Path) -> None:
    import pyarrow as pa

    columns = {"id": ["A"], "birth_date": pa.array([date(1990, 5, 1)], pa.date32())}
    pq.write_table(pa.table(columns), tmp_path / "in.parquet")
    result = runner.invoke(
        app, ["batch", str(tmp_path / "in.parquet"), str(tmp_path / "o.parquet"), "--on", "2026-11-27"]
    )
    assert result.exit_code == 0, result.output
    [row] = pq.read_table(tmp_path / "o.parquet").to_pylist()
    assert (row["total"], row["age"], row["eligible"], row["error"]) == (30, 30, False, None)


def test_a_line_that_is_not_json_is_refused_and_nothing_written(tmp_path: Path) -> None:
    good = json.dumps({"id": "A", "facts": contract_example()})
    (tmp_path / "in.jsonl").write_text(good + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.jsonl"), str(tmp_path / "o.parquet"), "--chunk", "1"])
    assert result.exit_code == 2
    expected = (
        f"error: {tmp_path / 'in.jsonl'}:2: not JSON: Expecting property name enclosed in double quotes (column 2)\n"
    )
    assert result.stderr == expected
    assert not (tmp_path / "o.parquet").exists()


def test_an_empty_parquet_file_gives_an_empty_output(tmp_path: Path) -> None:
    import pyarrow as pa

    from jifen.batch.layout import INPUT_SCHEMA

    pq.write_table(pa.Table.from_pylist([], schema=INPUT_SCHEMA), tmp_path / "in.parquet")
    result = runner.invoke(app, ["batch", str(tmp_path / "in.parquet"), str(tmp_path / "o.parquet")])
    assert result.exit_code == 0, result.output
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 0
