"""The registry of indicators (issue 15): each indicator whole in one module — a label in both languages from the
policy data, a scalar rule, a column rule, the days it can change — and its golden cases, in the contract's order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from jifen import score
from jifen.advisor.events import event_dates
from jifen.batch.layout import INPUT_SCHEMA, to_row
from jifen.batch.vectorised.engine import on_day
from jifen.batch.vectorised.holders import Holders
from jifen.facts.parse import parse_facts
from jifen.policy.loader import POLICY_DIR, default_policy
from jifen.policy.model import PolicyError
from jifen.rules.context import Context
from jifen.rules.indicators import INDICATOR_IDS, INDICATORS, LABELS, REGISTRY, Indicator
from jifen.rules.indicators.labels import FILE, load_labels
from jifen.rules.outcome import Outcome
from tests.conftest import FROZEN_POLICY, contract_example, load_yaml

GOLDEN = Path(__file__).parent / "golden"

# Shared contract, section 2: "`items` lists every indicator below, once, in this order".
CONTRACT_ORDER = [
    "age",
    "education",
    "qualification",
    "si_years",
    "si_base",
    "shortage_major",
    "investment",
    "public_service",
    "remote_area",
    "fresh_graduate",
    "awards",
    "hukou_spouse",
    "entrepreneur",
    "innovation_intermediary",
    "false_material",
    "administrative_detention",
    "criminal_record",
]

by_id = pytest.mark.parametrize("indicator", REGISTRY, ids=INDICATOR_IDS)


def test_the_registry_lists_the_contracts_indicators_in_its_order() -> None:
    assert [indicator.id for indicator in REGISTRY] == CONTRACT_ORDER
    assert list(INDICATOR_IDS) == CONTRACT_ORDER
    assert [name for name, _ in INDICATORS] == CONTRACT_ORDER
    assert list(LABELS) == CONTRACT_ORDER


def test_a_score_lists_its_items_in_the_registrys_order() -> None:
    items = score(contract_example()).items
    assert [item.indicator for item in items] == CONTRACT_ORDER
    assert [item.label for item in items] == [indicator.label for indicator in REGISTRY]


@by_id
def test_each_indicator_has_a_label_in_both_languages_from_the_policy_data(indicator: Indicator) -> None:
    from_data = load_labels(POLICY_DIR / FILE, INDICATOR_IDS)[indicator.id]
    assert indicator.label == from_data == LABELS[indicator.id]
    assert set(from_data) == {"zh", "en"}
    assert all(text.strip() for text in from_data.values())


def test_the_frozen_copy_labels_the_same_indicators() -> None:
    assert list(load_labels(FROZEN_POLICY / FILE, INDICATOR_IDS)) == CONTRACT_ORDER


@by_id
def test_each_indicator_scores_the_contract_example_alike_in_both_forms(indicator: Indicator) -> None:
    policy, on = default_policy(), date(2026, 11, 27)
    facts = contract_example()
    outcome = indicator.scalar(Context(parse_facts(facts, policy), on, policy, recording=False))
    assert isinstance(outcome, Outcome)
    holders = Holders.from_table(pa.Table.from_pylist([to_row("H1", facts)], schema=INPUT_SCHEMA))
    column = indicator.column(on_day(holders, on, policy))
    assert column.tolist() == [outcome.points]


@by_id
def test_each_indicators_change_dates_lie_in_the_span_and_are_the_advisors(indicator: Indicator) -> None:
    policy = default_policy()
    facts = parse_facts(contract_example(), policy)
    after, until = date(2010, 1, 1), date(2040, 1, 1)
    days = indicator.changes(facts, after, until, policy)
    assert isinstance(days, set)
    assert all(isinstance(day, date) and after < day <= until for day in days)
    assert days <= set(event_dates(facts, after, until, policy))


def test_the_example_has_change_dates_from_its_dated_facts() -> None:
    """The example holds a birthday, periods, a graduation, a title, an award and a penalty: each says when."""
    policy = default_policy()
    facts = parse_facts(contract_example(), policy)
    changing = {
        indicator.id for indicator in REGISTRY if indicator.changes(facts, date(2000, 1, 1), date(2040, 1, 1), policy)
    }
    assert {"age", "education", "qualification", "awards", "hukou_spouse", "remote_area", "public_service"} <= changing
    assert "administrative_detention" in changing


def test_each_indicator_has_its_golden_cases() -> None:
    missing = [i for i in INDICATOR_IDS if not (GOLDEN / f"{i}.yaml").is_file()]
    if len(missing) == len(INDICATOR_IDS):
        pytest.skip(f"no per-indicator golden cases yet (tests/golden/<indicator>.yaml): {', '.join(missing)}")
    assert not missing, f"indicators without tests/golden/<indicator>.yaml: {', '.join(missing)}"
    for indicator in INDICATOR_IDS:
        cases = load_yaml(GOLDEN / f"{indicator}.yaml")
        assert isinstance(cases, list), indicator
        assert cases, f"tests/golden/{indicator}.yaml has no cases"


def _labels_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / FILE
    path.write_text(body, encoding="utf-8")
    return path


def _entries(ids: list[str]) -> str:
    return "indicators:\n" + "".join(f"  {i}: {{zh: 名, en: Name}}\n" for i in ids)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_entries(CONTRACT_ORDER[:-1]), "policy/indicators.yaml: indicators.criminal_record: missing"),
        (_entries([*CONTRACT_ORDER, "lottery"]), "policy/indicators.yaml: indicators.lottery: unknown key"),
        (_entries([CONTRACT_ORDER[1], CONTRACT_ORDER[0], *CONTRACT_ORDER[2:]]), "expected the registry's order"),
        (
            _entries(CONTRACT_ORDER).replace("  age: {zh: 名, en: Name}", "  age: {zh: 名}"),
            "indicators.age.en: missing",
        ),
        (
            _entries(CONTRACT_ORDER).replace("  age: {zh: 名, en: Name}", "  age: {zh: 名, en: ' '}"),
            "indicators.age.en",
        ),
        ("labels: {}\n", "policy/indicators.yaml: labels: unknown key"),
    ],
)
def test_the_labels_file_is_read_strictly(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace(".", r"\.").replace("'", ".")):
        load_labels(_labels_file(tmp_path, body), INDICATOR_IDS)
