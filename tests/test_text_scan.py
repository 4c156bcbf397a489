"""The scans for identifiers and machine dates in text a person reads (tests/text_scan.py)."""

from __future__ import annotations

from tests.text_scan import id_tokens, iso_dates


def test_the_identifiers_a_person_should_not_read() -> None:
    text = (
        "参数 si_base.reference_wage（见 contract.pdf、sh.bendibao.com，e.g. 2021-05）"
        "按shanghai-2023计；张三hukou_spouse。"
        " Write to hr@example.invalid or https://example.invalid/a_b. The end.Next: age.points."
    )
    assert id_tokens(text) == ["si_base.reference_wage", "shanghai-2023", "hukou_spouse", "age.points"]


def test_machine_dates_are_found_and_dates_in_words_are_not() -> None:
    text = "决定日期：2026-08-31；2026年10月30日；from 2023-07 on; 30 October 2026; see https://x.invalid/2026-01-01"
    assert iso_dates(text) == ["2026-08-31", "2023-07"]
