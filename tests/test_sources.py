"""Sources worth following (issue 14 item 9): a link labelled as an official document goes to the issuing
authority's own page when one is known, and is otherwise marked as a reprint with its publisher; no two
documents share a link; no value cites an official document through a page of another text.

These read the real policy data (sources.yaml and the parameters), which these rules are about."""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from jifen.policy.loader import POLICY_DIR, load_documents, load_policy_from
from jifen.policy.model import Document, PolicyError, Source
from jifen.policy.reprints import reprints
from tests.conftest import FROZEN_POLICY

# Titles that read as an official document: a Shanghai government or bureau number, a State Council (office)
# number, a judicial interpretation, a national statute.
OFFICIAL_TITLE = re.compile(r"沪府发|沪府规|沪府令|沪人社|国办|国发|法释|中华人民共和国")
OFFICIAL_2017 = "https://english.shanghai.gov.cn/en-Bulletin/20240921/b1365d47af0c4ce395a4f6d6e2c1bb5c.html"
TRIAL_TEXT_PAGES = {"https://78911.com.cn/CaiLiaoSuCai/654352-3.html", "http://m.1-jiu.com/hukou/723879_2.html"}


def on_government_site(href: str) -> bool:
    host = urlsplit(href).hostname or ""
    return host == "gov.cn" or host.endswith(".gov.cn")


def documents() -> dict[str, Document]:
    return load_documents(POLICY_DIR)


def cited() -> list[tuple[str, Source]]:
    """(parameter, source) for every source a value cites: its own, its ``also``, a yearly value's."""
    out: list[tuple[str, Source]] = []
    for name, parameter in load_policy_from(POLICY_DIR).parameters.items():
        for entry in parameter.values:
            out.extend((name, s) for s in (entry.source, *entry.also))
        if parameter.yearly is not None:
            out.append((name, parameter.yearly.source))
    return out


def test_an_official_document_links_to_its_authority_or_says_who_reprinted_it() -> None:
    official = {k: d for k, d in documents().items() if OFFICIAL_TITLE.search(d.title)}
    assert {"hfg-2017-98", "hfg-2022-21", "xize-2017-43", "hrs-2022-103", "xingzheng-susong-jieshi-2018"} <= set(
        official
    )
    for key, document in official.items():
        if document.reprint:
            assert document.publisher, key
        else:
            assert on_government_site(document.href), f"{key}: {document.href} is not on a *.gov.cn site"
            assert document.publisher is None, key


def test_the_links_known_to_be_official() -> None:
    found = documents()
    assert found["hfg-2017-98"].href == OFFICIAL_2017 and not found["hfg-2017-98"].reprint
    assert found["xingzheng-fuyi-fa"].href.startswith("https://www.gov.cn/")
    assert found["xingzheng-fuyi-fa-2017"].href == "https://flk.npc.gov.cn/"
    reprinted = {k: d.publisher for k, d in found.items() if d.reprint}
    assert reprinted["hfg-2022-21"] == "hwfdj.com"  # no page of the Shanghai government was retrieved
    assert reprinted["xize-2017-43"] == "qzdeycw.cn"
    assert reprinted["xingzheng-fuyi-fa-2023"] == "GitHub LawRefBook/Laws"


def test_no_two_documents_share_a_link() -> None:
    by_link: dict[str, list[str]] = {}
    for key, document in documents().items():
        by_link.setdefault(document.href, []).append(key)
    assert {link: keys for link, keys in by_link.items() if len(keys) > 1} == {}


def test_a_value_cites_a_document_with_an_official_page_through_that_page() -> None:
    primary = [
        (name, entry.source)
        for name, parameter in load_policy_from(POLICY_DIR).parameters.items()
        for entry in parameter.values
    ]
    for name, source in primary:
        if not source.document.reprint:
            assert source.publisher is None, f"{name}: {source.cite()} links to {source.href}"
    assert sum(s.href == OFFICIAL_2017 for _, s in primary) > 30  # the 2017 Procedures' articles


def test_no_value_cites_the_2017_procedures_through_the_2013_trial_text() -> None:
    for name, source in cited():
        if source.href in TRIAL_TEXT_PAGES:
            assert source.document.id == "trial-2013", f"{name}: {source.cite()} links to the 2013 trial text"
    trial = [name for name, s in cited() if s.document.id == "trial-2013"]
    assert sorted(set(trial)) == [
        "public_service.cap",
        "public_service.counted_after_years",
        "public_service.points_per_year",
        "remote_area.cap",
        "remote_area.counted_after_years",
        "remote_area.points_per_year",
    ]


def test_every_reprint_cited_is_shown_with_its_publisher() -> None:
    policy = load_policy_from(POLICY_DIR)
    shown = reprints(policy)
    for name, source in cited():
        if source.publisher is None:
            assert source.href not in shown, name
        else:
            assert shown[source.href] == source.publisher, name
    assert shown["http://www.021shhk.com/html/zixunneirong/bszn/94504.html"] == "021shhk.com"
    assert shown["http://shcm.gov.cn/zmhd/004008/004008013/20210911/609a41c0-960e-436f-9b7f-72e8353aaefd.html"] == (
        "shcm.gov.cn"  # the 崇明 district's copy of the 2017 Procedures: official, but not the issuer's own
    )
    assert OFFICIAL_2017 not in shown


def test_the_frozen_copy_has_the_same_sources() -> None:
    assert filecmp.cmp(POLICY_DIR / "sources.yaml", FROZEN_POLICY / "sources.yaml", shallow=False)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    publisher: hwfdj.com\n", "", "documents.hfg-2022-21.publisher: a reprint names its publisher"),
        ("    reprint: true\n    publisher: hwfdj.com\n", "    publisher: hwfdj.com\n", "only a reprint has one"),
        ("    reprint: true\n    publisher: hwfdj.com\n", "    reprint: yes\n", "hfg-2022-21.reprint: expected true"),
    ],
)
def test_a_mistake_in_a_reprint_names_the_file_and_the_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    root = tmp_path / "policy"
    root.mkdir()
    text = (POLICY_DIR / "sources.yaml").read_text(encoding="utf-8")
    assert old in text
    (root / "sources.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    shutil.copy(POLICY_DIR / "versions.yaml", root / "versions.yaml")
    with pytest.raises(PolicyError) as caught:
        load_documents(root)
    assert str(caught.value).startswith("policy/sources.yaml: ")
    assert message in str(caught.value)
