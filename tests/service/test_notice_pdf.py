"""The notice PDF (issue 14, item 7): one A4 page with the points item by item as approved, the total, the
permit's validity, the code, the points scheme by its title, in an embedded CJK font; the holder's page links
every notice of the holder, earlier ones too, to its PDF."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any, cast

import pytest
from django.test import Client, override_settings
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from jifen.service.accounts.models import Account
from jifen.service.applications import workflow
from jifen.service.applications.models import Application
from jifen.service.demo import seed
from jifen.service.notices import font
from jifen.service.notices.issue import withdraw_notices
from jifen.service.notices.models import Notice
from tests.service.conftest import World
from tests.service.test_notice_status import approved, issued, signed_in
from tests.text_scan import id_tokens, iso_dates

POLICY_TITLE = "《上海市居住证积分管理办法》（沪府规〔2022〕21号）"


def approve(world: World, draft: Application) -> Notice:
    assert world.agent_a.user is not None and world.reviewer.user is not None
    workflow.submit(draft, world.agent_a.user)
    workflow.accept(draft, world.reviewer.user)
    notice: Notice = workflow.approve(draft, world.reviewer.user).notices.get()
    return notice


def read(response: Any) -> PdfReader:
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf"), response.content[:200]
    return PdfReader(io.BytesIO(response.content))


def text_of(reader: PdfReader) -> str:
    return reader.pages[0].extract_text()


def flat(text: str) -> str:
    """The text with its line breaks taken out: a label wrapped onto two lines still reads as one."""
    return text.replace("\n", "")


def row(item: dict[str, Any]) -> str:
    """An item's row as the PDF reads: label, English label, points, counted or not."""
    return f"{item['label']['zh']}{item['label']['en']}{item['points']}{'计入' if item['counted'] else '不计入'}"


def as_holder(account: Account) -> Client:
    client = Client()
    client.force_login(account.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


class TestTheNotice:
    def test_one_page_with_the_points_item_by_item_the_total_the_validity_and_the_code(
        self, world: World, draft: Application
    ) -> None:
        notice = approve(world, draft)
        reader = read(world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf"))
        assert len(reader.pages) == 1
        assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
        text = text_of(reader)
        for line in (
            "上海市居住证积分通知书",
            "持证人：\n张三丰",
            "核定积分：\n250 分",
            "核定日期：\n2026年11月27日",
            "有效期至：\n2027年2月28日",
            f"适用办法：\n{POLICY_TITLE}",
            f"验证码：\n{notice.code}",
            f"http://127.0.0.1:8000/verify/{notice.code}",
            "合计 Total\n250\n",
        ):
            assert line in text
        assert "shanghai-2023" not in text
        assert "2027-02-28" not in text and "2026-11-27" not in text
        items = draft.score["items"] if draft.score else []
        assert len(items) == 17
        for item in items:
            assert row(item) in flat(text)
        assert "教育背景Education90不计入" in flat(text)
        assert "行政拘留记录Administrative detention-50计入" in flat(text)
        # the basis in words: the explanation and the documents, never a parameter's id
        assert "依据：沪府发〔2017〕98号 第六条；沪府发〔2017〕98号 第十条" in text
        assert "education.points" not in text and "si_base" not in text

    def test_the_font_is_embedded(self, world: World, draft: Application) -> None:
        if not font.notice_font().embedded:
            pytest.skip(
                f"no CJK TrueType font on this machine (apt-get install fonts-wqy-zenhei or set {font.SETTING})"
            )
        notice = approve(world, draft)
        reader = read(world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf"))
        resources = cast(DictionaryObject, reader.pages[0]["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources["/Font"].get_object())
        faces = [cast(DictionaryObject, fonts[name].get_object()) for name in fonts]
        assert faces and {str(face["/Subtype"]) for face in faces} == {"/TrueType"}
        for face in faces:  # every font of the page is in the file
            assert "/FontFile2" in cast(DictionaryObject, face["/FontDescriptor"].get_object())

    def test_the_largest_breakdown_still_fits_one_page(self, world: World, draft: Application) -> None:
        notice = approve(world, draft)
        score = dict(draft.score or {})
        sources = [f"沪府发〔2017〕98号 第{n}条及其附件的说明" for n in range(1, 9)]
        score["items"] = [
            {
                **item,
                "explanation": {"zh": item["explanation"]["zh"] * 6, "en": item["explanation"]["en"]},
                "basis": [{"parameter": "age.full_points", "value": 1, "source": s} for s in sources],
            }
            for item in score["items"]
        ]
        Application.objects.filter(pk=draft.pk).update(score=score)
        reader = read(world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf"))
        assert len(reader.pages) == 1
        text = text_of(reader)
        for item in score["items"]:
            assert row(item) in flat(text)
        assert "合计 Total\n250\n" in text and "…" in text  # the longest explanations cut short, marked
        assert f"http://127.0.0.1:8000/verify/{notice.code}" in text  # the footer is still on the page

    def test_a_notice_without_a_stored_score_has_the_total_alone(self, world: World) -> None:
        notice = issued(approved(world, "2026-11-20", 250), "2026-11-20")
        text = text_of(read(world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf")))
        assert "核定积分：\n250 分" in text and "2026年11月20日" in text and POLICY_TITLE in text
        assert "核定积分明细" not in text

    def test_the_demo_holders_notices(self, db: None) -> None:
        seed()
        notices = list(Notice.objects.select_related("application__holder__user"))
        assert {n.application.holder.user.username for n in notices} == {"zhang", "li"}
        for notice in notices:
            reader = read(as_holder(notice.application.holder).get(f"/api/v1/notices/{notice.code}/pdf"))
            assert len(reader.pages) == 1
            text = text_of(reader)
            assert f"持证人：\n{notice.holder_name}" in text and f"核定积分：\n{notice.points} 分" in text
            assert POLICY_TITLE in text and notice.code in text
            score = notice.application.score
            assert score is not None
            for item in score["items"]:
                assert row(item) in flat(text)
            # words only: no identifier of the code or the policy data, no date in the machine's style
            assert id_tokens(text) == [] and iso_dates(text) == []


class TestEarlierNotices:
    def test_the_holders_page_links_every_notice_to_its_pdf_and_the_pdf_is_served(self, world: World) -> None:
        superseded = issued(approved(world, "2026-03-10", 240), "2026-03-10")
        withdrawn_app = approved(world, "2026-06-01", 250)
        withdrawn = issued(withdrawn_app, "2026-06-01")
        withdraw_notices(withdrawn_app)
        current = issued(approved(world, "2026-11-20", 260), "2026-11-20")
        page = signed_in("holder_a").get("/me").content.decode()
        earlier = page[page.index("<h3>历史通知书</h3>") :]
        assert earlier.count('data-testid="earlier-notice"') == 2
        for notice in (withdrawn, superseded):
            link = f'<a href="/api/v1/notices/{notice.code}/pdf">PDF</a> · <a href="/verify/{notice.code}">'
            assert link in earlier
            reader = read(world.holder_a.get(f"/api/v1/notices/{notice.code}/pdf"))
            assert len(reader.pages) == 1 and notice.code in text_of(reader)
            assert world.holder_b.get(f"/api/v1/notices/{notice.code}/pdf").status_code == 404
        assert f"/api/v1/notices/{current.code}/pdf" not in earlier


class TestTheFontFound:
    @pytest.fixture(autouse=True)
    def _fresh(self) -> Any:
        font._font.cache_clear()
        yield
        font._font.cache_clear()

    def test_the_setting_names_the_font(self) -> None:
        found = next((path for path, _ in font.CANDIDATES if path.is_file()), None)
        if found is None:
            pytest.skip("no CJK TrueType font on this machine to name in the setting")
        with override_settings(JIFEN_NOTICE_FONT=str(found)):
            assert font.notice_font().path == found

    def test_without_any_font_the_cid_font_and_one_warning(
        self, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
    ) -> None:
        monkeypatch.setattr(font, "CANDIDATES", ((tmp_path / "none.ttc", "fonts-wqy-zenhei"),))
        with override_settings(JIFEN_NOTICE_FONT=""), caplog.at_level(logging.WARNING, "jifen.service.notices.font"):
            assert font.notice_font() == font.NoticeFont("STSong-Light", None)
            assert font.notice_font() == font.NoticeFont("STSong-Light", None)
        warnings = [r.getMessage() for r in caplog.records]
        assert len(warnings) == 1
        assert "JIFEN_NOTICE_FONT" in warnings[0] and "fonts-wqy-zenhei" in warnings[0]

    def test_a_missing_configured_file_is_said_and_a_debian_font_used(
        self, caplog: pytest.LogCaptureFixture, tmp_path: Path
    ) -> None:
        missing = tmp_path / "nowhere.ttf"
        with override_settings(JIFEN_NOTICE_FONT=str(missing)), caplog.at_level(logging.WARNING):
            chosen = font.notice_font()
        assert f"JIFEN_NOTICE_FONT={missing}: no such file" in caplog.text
        assert chosen.path == next((path for path, _ in font.CANDIDATES if path.is_file()), None)
