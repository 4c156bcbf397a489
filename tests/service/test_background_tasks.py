"""Background tasks (issue 16, item 2), on the immediate backend (each task runs where it is enqueued) where timing
does not matter: e-mail retried up to a bound, tick's one task a holder, the impact run's page and stored result,
the notice's PDF stored when it is issued. The real worker is in tests/reliability/test_task_worker.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, TestCase, override_settings
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner

from jifen.cli.main import app as cli
from jifen.service.accounts.models import Account
from jifen.service.applications.models import Application
from jifen.service.impact.models import ImpactRun, RunStatus
from jifen.service.impact.tasks import run_impact
from jifen.service.notices.models import Notice
from jifen.service.notifications.models import Message
from jifen.service.notifications.send import notify
from jifen.service.notifications.tasks import holder_reminders, send_message_email
from jifen.service.notifications.tick import tick
from tests.service.conftest import PINNED, World, moment
from tests.service.test_one_holder import approve
from tests.service.test_policy_impact import EXPECTED, ON, PROPOSAL, counts, evaluate, maintainer, population, signed_in

__all__ = ["maintainer", "population"]  # fixtures of test_policy_impact, used here

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # tasks kept, never run
TASKS_LOG = "jifen.service.tasks"


class FlakyBackend(BaseEmailBackend):
    """Fails the first ``failures`` sends of a test, then delivers into ``sent``."""

    failures: ClassVar[int] = 0
    sent: ClassVar[list[EmailMessage]] = []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("the mail server is down")
        FlakyBackend.sent.extend(email_messages)
        return len(email_messages)


@pytest.fixture
def flaky(settings: SettingsWrapper) -> Iterator[type[FlakyBackend]]:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.sent = []
    yield FlakyBackend
    FlakyBackend.failures = 0


def tell(user: User) -> Message:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the e-mail is enqueued once the message committed
        message = notify(user, "test", {"zh": "主题", "en": "Subject"}, {"zh": "正文", "en": "Body"})
    assert message is not None
    message.refresh_from_db()
    return message


class TestEmailRetries:
    def test_a_send_that_fails_twice_is_sent_once_on_the_third_attempt(
        self, world: World, flaky: type[FlakyBackend], caplog: pytest.LogCaptureFixture
    ) -> None:
        flaky.failures = 2
        assert world.holder_a.user is not None
        message = tell(world.holder_a.user)
        assert [(m.subject, m.to) for m in flaky.sent] == [("主题", ["holder_a@example.invalid"])]
        assert (message.emailed_at, message.email_attempts) == (moment(PINNED), 3)
        retried = [r.getMessage() for r in caplog.records if r.name == TASKS_LOG]
        assert [m.split(",")[0] for m in retried] == [
            f"message {message.pk}: e-mail attempt 1 of 5 failed",
            f"message {message.pk}: e-mail attempt 2 of 5 failed",
        ]

    def test_a_send_that_always_fails_is_given_up_and_the_message_kept(
        self, world: World, flaky: type[FlakyBackend], settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
    ) -> None:
        settings.JIFEN_EMAIL_ATTEMPTS = 3
        flaky.failures = 10
        assert world.holder_a.user is not None
        message = tell(world.holder_a.user)
        assert flaky.sent == []
        assert (message.emailed_at, message.email_attempts) == (None, 3)
        assert Message.objects.filter(user=world.holder_a.user, subject="主题").count() == 1  # still in the inbox
        (last,) = [r for r in caplog.records if r.name == TASKS_LOG and r.levelno == logging.ERROR]
        assert last.getMessage().startswith(f"message {message.pk}: e-mail attempt 3 of 3 failed, giving up")
        assert flaky.failures == 7  # three attempts, no more

    def test_a_message_already_emailed_is_not_sent_again(self, world: World, flaky: type[FlakyBackend]) -> None:
        assert world.holder_a.user is not None
        message = tell(world.holder_a.user)
        send_message_email.enqueue(message.pk)
        assert len(flaky.sent) == 1


class TestTick:
    def test_one_task_a_holder_is_enqueued(self, world: World) -> None:
        with override_settings(TASKS=DUMMY):
            report = tick(moment(PINNED).date())
            backend = task_backends["default"]
            assert isinstance(backend, DummyBackend)
            queued = [(r.task.func, r.args) for r in backend.results if r.task.func is holder_reminders.func]
        holders = sorted([world.holder_a.account.pk, world.holder_b.account.pk])
        assert sorted(args[0] for _, args in queued) == holders
        assert {args[1] for _, args in queued} == {PINNED}
        assert (report.enqueued, report.queued) == (2, 2)

    def test_the_command_says_how_many_it_enqueued(self, world: World) -> None:
        with override_settings(TASKS=DUMMY):
            result = CliRunner().invoke(cli, ["tick", "--today", PINNED])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("2 holders' reminder tasks enqueued for `jifen worker`")

    def test_with_the_immediate_backend_the_report_counts_the_reminders(self, world: World) -> None:
        report = tick(moment("2027-02-01").date())  # both permits end on 2027-02-28: inside the endorsement window
        assert (report.enqueued, report.queued, report.endorsements, report.failed) == (2, 0, 2, [])
        assert Message.objects.filter(kind="endorsement").count() == 2


class TestImpactRun:
    def queued_run(self, maintainer: Client) -> str:
        """Submit the form with the tasks kept in the queue: the run's address."""
        with override_settings(TASKS=DUMMY), TestCase.captureOnCommitCallbacks(execute=True):
            response = maintainer.post("/policy/impact", PROPOSAL)
        assert response.status_code == 302
        return str(response["Location"])

    def test_a_queued_run_shows_its_progress_and_reloads_itself(
        self, population: dict[str, Account], maintainer: Client
    ) -> None:
        where = self.queued_run(maintainer)
        response = maintainer.get(where)
        page = response.content.decode()
        assert response.status_code == 200 and response["Refresh"] == "3"
        assert 'data-testid="run-status">状态 <strong>排队中</strong>' in page
        assert 'data-testid="run-progress">等待后台开始计算' in page  # not "0 / 0": the count is not known yet
        assert 'data-testid="impact-result"' not in page
        assert maintainer.get(where + ".csv").status_code == 404  # no result yet

    def test_the_task_stores_the_result_and_the_page_redraws_it(
        self, population: dict[str, Account], maintainer: Client
    ) -> None:
        where = self.queued_run(maintainer)
        run = ImpactRun.objects.get()
        run_impact.call(run.pk)  # what the worker does
        run.refresh_from_db()
        assert (run.status, run.done, run.total) == (RunStatus.DONE, 5, 5)
        assert run_impact.call(run.pk) == "not queued"  # a run is run once
        Application.objects.all().delete()  # the page shows the stored result, not a new count
        response = maintainer.get(where)
        assert "Refresh" not in response
        page = response.content.decode()
        assert counts(page) == EXPECTED and "已完成" in page

    def test_progress_is_written_every_so_many_holders(
        self, population: dict[str, Account], maintainer: Client, settings: SettingsWrapper
    ) -> None:
        settings.JIFEN_IMPACT_PROGRESS_EVERY = 2
        self.queued_run(maintainer)
        run = ImpactRun.objects.get()
        seen: list[int] = []
        from jifen.service.impact import tasks
        from jifen.service.impact.population import population_impact as real

        def watched(*args: Any) -> Any:
            progress = args[2]

            def spy(n: int) -> None:
                progress(n)
                seen.append(ImpactRun.objects.get(pk=run.pk).done)

            return real(args[0], args[1], spy)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tasks, "population_impact", watched)
            run_impact.call(run.pk)
        assert seen == [0, 2, 2, 4, 4]  # written at the 2nd and 4th holder only

    def test_a_run_that_fails_says_why(
        self, population: dict[str, Account], maintainer: Client, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        where = self.queued_run(maintainer)
        from jifen.service.impact import tasks

        def broken(*args: Any) -> Any:
            raise RuntimeError("disk full")

        monkeypatch.setattr(tasks, "population_impact", broken)
        with pytest.raises(RuntimeError):
            run_impact.call(ImpactRun.objects.get().pk)
        response = maintainer.get(where)
        page = response.content.decode()
        assert "Refresh" not in response
        assert 'data-testid="run-error"><strong>评估失败</strong> 评估未能完成，错误已记录在日志中。' in page

    def test_in_english_after_the_switch(self, population: dict[str, Account], maintainer: Client) -> None:
        maintainer.post("/i18n/setlang/", {"language": "en", "next": "/policy/impact"})
        where = self.queued_run(maintainer)
        page = maintainer.get(where).content.decode()
        assert 'data-testid="run-status">Status <strong>Queued</strong>' in page
        assert 'data-testid="run-progress">Waiting for a worker to start' in page

    @pytest.mark.parametrize("username", ["holder_a", "hr_a", "reviewer"])
    def test_others_get_not_found(self, population: dict[str, Account], maintainer: Client, username: str) -> None:
        page = evaluate(maintainer, PROPOSAL)
        assert counts(page) == EXPECTED
        run = ImpactRun.objects.get()
        other = signed_in(username)
        assert other.get(f"/policy/impact/runs/{run.pk}").status_code == 404
        assert other.get(f"/policy/impact/runs/{run.pk}.csv").status_code == 404
        assert Client().get(f"/policy/impact/runs/{run.pk}")["Location"] == "/login"


def test_the_run_records_who_asked_and_the_day(population: dict[str, Account], maintainer: Client) -> None:
    evaluate(maintainer, {**PROPOSAL, "on": ON})
    run = ImpactRun.objects.get()
    assert (run.requested_by.username, run.on.isoformat(), run.status) == ("maintainer", ON, RunStatus.DONE)
    assert run.result is not None and run.result["losers"] == 2


def test_an_issued_notice_has_its_pdf_stored(
    world: World, draft: Application, settings: SettingsWrapper, tmp_path: Path
) -> None:
    media = settings.MEDIA_ROOT = tmp_path / "media"
    with TestCase.captureOnCommitCallbacks(execute=True):
        approve(world, draft)
    notice = Notice.objects.get(application=draft)
    stored = media / "notices" / f"{notice.code}.pdf"
    assert stored.read_bytes().startswith(b"%PDF-")


def test_the_worker_needs_the_database_backend(db: None) -> None:
    result = CliRunner().invoke(cli, ["worker", "--batch"])
    assert result.exit_code == 2
    assert "set JIFEN_TASKS=database" in result.stderr


def test_only_immediate_or_database(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    monkeypatch.setenv("JIFEN_TASKS", "celery")
    done = subprocess.run(
        [sys.executable, "-c", "import jifen.service.settings"], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "JIFEN_TASKS: expected immediate or database, got 'celery'" in done.stderr
