"""The policy data loads strictly, and every value carries its source and confidence."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from jifen import PolicyError, load_policy
from jifen.policy.loader import POLICY_DIR, default_policy, load_policy_from, policy_dir
from jifen.policy.model import CONFIDENCE_TAGS
from tests.conftest import FROZEN_POLICY


@pytest.fixture
def policy_copy(tmp_path: Path) -> Path:
    root = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(root: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy_from(root)
    return str(caught.value)


def test_it_names_file_and_key_for_an_unknown_key(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/age/full_points.yaml", "    value: 30\n", "    value: 30\n    valeu: 31\n")
    assert load_error(policy_copy) == "policy/parameters/age/full_points.yaml: values.2018-01-01.valeu: unknown key"


def test_it_names_file_and_key_for_a_bad_date(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/age/full_points.yaml", '"2018-01-01":', '"2018-02-30":')
    assert (
        load_error(policy_copy) == "policy/parameters/age/full_points.yaml: values.2018-02-30: no such date: 2018-02-30"
    )


def test_it_names_file_and_key_for_a_date_in_another_format(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/age/full_points.yaml", '"2018-01-01":', '"2018/01/01":')
    assert load_error(policy_copy) == (
        "policy/parameters/age/full_points.yaml: values.2018/01/01: expected a date YYYY-MM-DD, got '2018/01/01'"
    )


def test_it_names_file_and_key_for_a_wrong_type(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/age/full_points.yaml", "    value: 30\n", '    value: "30"\n')
    assert (
        load_error(policy_copy)
        == "policy/parameters/age/full_points.yaml: values.2018-01-01.value: expected int, got '30'"
    )


def test_it_refuses_a_value_without_a_source(policy_copy: Path) -> None:
    path = policy_copy / "parameters/shortage_major/points.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(line for line in text.splitlines() if "source:" not in line) + "\n", encoding="utf-8")
    assert load_error(policy_copy) == "policy/parameters/shortage_major/points.yaml: values.2018-01-01.source: missing"


def test_it_refuses_an_unknown_confidence_tag(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/shortage_major/points.yaml", "confidence: B", "confidence: E")
    assert load_error(policy_copy) == (
        "policy/parameters/shortage_major/points.yaml: values.2018-01-01.confidence: "
        "expected one of A, B, C, D, got 'E'"
    )


def test_it_refuses_an_unknown_document(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/shortage_major/points.yaml", "document: hfg-2017-98", "document: hfg-2017-99")
    assert load_error(policy_copy) == (
        "policy/parameters/shortage_major/points.yaml: values.2018-01-01.source.document: "
        "unknown document 'hfg-2017-99' (see sources.yaml)"
    )


def test_it_refuses_a_variant_of_an_unknown_reading(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/veto/kinds.yaml", "      family_planning_veto:", "      family_planing_veto:")
    assert load_error(policy_copy) == (
        "policy/parameters/veto/kinds.yaml: values.2023-01-01.variants.family_planing_veto: "
        "unknown reading 'family_planing_veto' (see readings.yaml)"
    )


def test_it_refuses_a_variant_of_an_unknown_choice(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/veto/kinds.yaml", "        kept:", "        kpt:")
    assert (
        load_error(policy_copy)
        == "policy/parameters/veto/kinds.yaml: values.2023-01-01.variants.family_planning_veto.kpt: unknown key"
    )


def test_it_refuses_dates_out_of_order(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/remote_area/counted_after_years.yaml", '"2024-08-21":', '"2022-08-21":')
    assert load_error(policy_copy) == (
        "policy/parameters/remote_area/counted_after_years.yaml: values: effective dates must be in ascending order"
    )


def test_it_refuses_a_record_with_a_missing_field(policy_copy: Path) -> None:
    edit(policy_copy / "parameters/si_base/tiers.yaml", "points: 25, ", "")
    assert load_error(policy_copy) == "policy/parameters/si_base/tiers.yaml: values.2018-01-01.value[0].points: missing"


def test_it_refuses_a_file_that_is_not_yaml_among_parameters(policy_copy: Path) -> None:
    (policy_copy / "parameters/age/notes.txt").write_text("x", encoding="utf-8")
    assert load_error(policy_copy) == "policy/parameters/age/notes.txt: only .yaml files belong under parameters/"


def test_it_refuses_an_unknown_reading_when_asked_for_one() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy({"reference_wage": "si_wage"})
    assert str(caught.value).startswith("unknown reading 'reference_wage'; known: family_planning_veto, ")


def test_it_refuses_an_unknown_choice_of_a_reading() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy({"points_reference_wage": "guess"})
    assert str(caught.value) == (
        "reading 'points_reference_wage' has no choice 'guess'; choices: talent_reference, si_wage"
    )


def test_every_value_has_a_source_with_a_link_and_a_confidence_tag() -> None:
    for parameter in default_policy().parameters.values():
        for entry in parameter.values:
            assert entry.source.href.startswith("http"), parameter.name
            assert entry.source.cite(), parameter.name
            assert entry.confidence in CONFIDENCE_TAGS, parameter.name


def test_every_parameter_is_in_force_from_the_first_day_of_the_scheme() -> None:
    policy = default_policy()
    start = policy.versions[0].effective_from
    assert start == date(2018, 1, 1)
    for name in policy.parameters:
        policy.resolve(name, start)  # raises NotInForceError otherwise


def test_the_two_texts_and_their_dates() -> None:
    versions = [(v.id, v.title, v.effective_from, v.valid_until) for v in default_policy().versions]
    assert versions == [
        ("shanghai-2017", "沪府发〔2017〕98号", date(2018, 1, 1), date(2022, 12, 31)),
        ("shanghai-2023", "沪府规〔2022〕21号", date(2023, 1, 1), date(2027, 12, 31)),
    ]


class TestReferenceWage:
    """The points reference wage is its own dated series, switchable since 2023-07."""

    @pytest.mark.parametrize(
        ("day", "value"),
        [
            (date(2019, 10, 31), 7832),
            (date(2019, 11, 1), 8211),
            (date(2020, 6, 30), 8211),
            (date(2020, 7, 1), 9339),
            (date(2021, 7, 1), 10338),
            (date(2022, 7, 1), 10338),
            (date(2023, 6, 30), 10338),
            (date(2023, 7, 1), 11396),
            (date(2025, 7, 1), 11396),
        ],
    )
    def test_value_on_each_side_of_its_effective_dates(self, day: date, value: int) -> None:
        assert default_policy().resolve("si_base.reference_wage", day).value == value

    def test_the_insurance_wage_reading_gives_12183_from_2023_07(self) -> None:
        policy = load_policy({"points_reference_wage": "si_wage"})
        resolved = policy.resolve("si_base.reference_wage", date(2023, 7, 1))
        assert (resolved.value, resolved.reading) == (12183, "points_reference_wage=si_wage")
        assert policy.resolve("si_base.reference_wage", date(2023, 6, 30)).value == 10338

    def test_the_unpublished_2026_value_is_marked_provisional(self) -> None:
        entry = default_policy().resolve("si_base.reference_wage", date(2026, 7, 1)).entry
        assert (entry.value, entry.provisional) == (11396, True)

    def test_the_insurance_wage_series_is_separate_with_its_limits(self) -> None:
        value = default_policy().resolve("social_insurance.wage", date(2023, 7, 1)).value
        assert value == ({"average_wage": 12183, "base_upper": 36549, "base_lower": 7310},)


class TestPolicyInUse:
    def test_jifen_policy_dir_names_the_data_in_use(self, policy_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        root = policy_copy
        wage = root / "parameters/si_base/reference_wage.yaml"
        wage.write_text(wage.read_text(encoding="utf-8").replace("value: 11396", "value: 11111"), encoding="utf-8")
        monkeypatch.setenv("JIFEN_POLICY_DIR", str(root))
        assert policy_dir() == root
        assert default_policy().resolve("si_base.reference_wage", date(2026, 8, 1)).value == 11111
        monkeypatch.delenv("JIFEN_POLICY_DIR")
        assert policy_dir() == POLICY_DIR
        bundled = load_policy_from(POLICY_DIR).resolve("si_base.reference_wage", date(2026, 8, 1)).value
        assert default_policy().resolve("si_base.reference_wage", date(2026, 8, 1)).value == bundled != 11111

    def test_the_frozen_copy_for_mechanism_tests_loads(self) -> None:
        assert load_policy_from(FROZEN_POLICY).resolve("age.full_points_max_age", date(2026, 11, 27)).value == 43
