"""`jifen score`: a table by default, JSON with --json, standard input with -, exit 2 naming the field."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from jifen.cli.main import app
from tests.conftest import EXAMPLES

EXAMPLE = str(EXAMPLES / "contract.json")
runner = CliRunner()


def test_json_output_is_the_contract_score() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "jifen.score/1"
    assert data["total"] == 250
    assert data["policy"] == {
        "id": "shanghai-2023",
        "effective_from": "2023-01-01",
        "title": "沪府规〔2022〕21号",
        "readings": {},
    }
    assert [i["indicator"] for i in data["items"]][:3] == ["age", "education", "qualification"]


def test_the_table_is_chinese_by_default() -> None:
    result = runner.invoke(app, ["score", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "总分: 250" in result.stdout
    # the basis in words: no parameter id, no policy slug
    assert "年龄满分的最高周岁 43周岁 · 沪府发〔2017〕98号 第六条 · 2018年1月起" in result.stdout.replace("\n", "")
    assert "age.full_points_max_age" not in result.stdout and "shanghai-2023" not in result.stdout


def test_the_table_in_english() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Total: 250" in result.stdout
    assert "Eligible: yes" in result.stdout
    assert "Scored on: 27 November 2026" in result.stdout and "full age points 30 points" in result.stdout


def test_standard_input_and_another_date() -> None:
    result = runner.invoke(app, ["score", "-", "--on", "2030-05-01", "--json"], input=Path(EXAMPLE).read_text())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2030-05-01"
    assert next(i for i in data["items"] if i["indicator"] == "age")["points"] == 30  # 40 on 2030-05-01


def test_a_reading_can_be_switched() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--json", "--reading", "points_reference_wage=si_wage"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["policy"]["readings"] == {"points_reference_wage": "si_wage"}
    # 12,000 is below 12,183 / 12,307 / 12,434: the tier drops to 0.8x (50 -> 25) and the title fails its
    # 1x condition (100 -> 0), so education counts instead (90): 250 - 25 - 100 + 90 = 215.
    items = {i["indicator"]: i["points"] for i in data["items"]}
    counted = {i["indicator"]: i["counted"] for i in data["items"]}
    assert (items["si_base"], items["qualification"], data["total"]) == (25, 0, 215)
    assert counted["education"] is True


def test_bad_facts_exit_2_and_name_the_field() -> None:
    facts = json.dumps(
        {
            "schema": "jifen.facts/1",
            "birth_date": "1990-05-01",
            "social_insurance": [{"from": "2021-07", "to": "2021-05", "base": 1}],
        }
    )
    result = runner.invoke(app, ["score", "-"], input=facts)
    assert result.exit_code == 2
    assert result.stderr == "error: social_insurance[0].to: 2021-05 is before from 2021-07\n"
    assert result.stdout == ""


def test_invalid_json_exits_2() -> None:
    result = runner.invoke(app, ["score", "-"], input="{")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: -: not valid JSON: Expecting property name enclosed in double quotes")


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'none.json'}: No such file or directory\n"


def test_a_bad_date_option_exits_2() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--on", "2026-13-01"])
    assert result.exit_code == 2
    assert result.stderr == "error: --on: expected a date YYYY-MM-DD, got '2026-13-01'\n"


def test_a_date_before_the_scheme_exits_2_naming_as_of() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--on", "2017-12-31"])
    assert result.exit_code == 2
    assert result.stderr == "error: as_of: no points scheme in the policy data before 2018-01-01\n"


def test_an_unknown_reading_exits_2() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--reading", "top_base_tier=maybe"])
    assert result.exit_code == 2
    assert (
        result.stderr == "error: --reading: reading 'top_base_tier' has no choice 'maybe'; choices: at_least, exactly\n"
    )


def test_an_unknown_language_exits_2() -> None:
    result = runner.invoke(app, ["score", EXAMPLE, "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr == "error: --lang: expected zh or en, got 'fr'\n"


def test_the_installed_command_runs() -> None:
    command = shutil.which("jifen", path=str(Path(sys.executable).parent))
    assert command is not None
    done = subprocess.run([command, "score", EXAMPLE, "--json"], capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 250
