"""A return (补正) and the review deadline: the reading ``return_clock`` decides whether the 20 working days
start again from the resubmission's acceptance (restart, the default) or the days left continue (pause).

The service reads the readings' defaults of the policy data it runs on, so the alternative is tried on a
copy of the frozen data whose default is switched."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from jifen.policy.loader import POLICY_DIR_VARIABLE, default_policy
from jifen.service.applications import workflow
from jifen.service.applications.models import Application, Status
from tests.conftest import FROZEN_POLICY
from tests.service.conftest import World, at
from tests.service.test_workflow import REASONS, drive


@pytest.fixture
def paused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "policy"
    shutil.copytree(FROZEN_POLICY, root)
    readings = root / "readings.yaml"
    text = readings.read_text(encoding="utf-8")
    assert "    default: restart\n" in text
    readings.write_text(text.replace("    default: restart\n", "    default: pause\n"), encoding="utf-8")
    monkeypatch.setenv(POLICY_DIR_VARIABLE, str(root))
    assert default_policy().resolve("procedure.clock_after_return", date(2026, 9, 25)).value == "pause"


def correct_and_accept_again(world: World, draft: Application) -> tuple[tuple[date | None, int | None], Application]:
    """Accepted 2026-09-18 (deadline 2026-10-22), returned 2026-09-25, re-submitted and accepted 2026-10-12:
    (deadline, working days kept) while returned, and the application accepted again."""
    reviewer, agent = world.reviewer.user, world.agent_a.user
    assert reviewer is not None and agent is not None
    app = drive(draft, world, Status.SUBMITTED)
    with at("2026-09-18"):
        app = workflow.accept(app, reviewer)
    assert app.deadline == date(2026, 10, 22)
    with at("2026-09-25"):
        app = workflow.request_correction(app, reviewer, REASONS)
        returned = (app.deadline, app.remaining_working_days)
        app = workflow.resubmit(app, agent)
    with at("2026-10-12"):
        app = workflow.accept(app, reviewer)
    return returned, app


def test_by_default_the_review_days_start_again(world: World, draft: Application) -> None:
    assert default_policy().readings["return_clock"].default == "restart"
    returned, accepted = correct_and_accept_again(world, draft)
    assert returned == (None, None)
    # 20 working days after 2026-10-12
    assert (accepted.accepted_on, accepted.deadline, accepted.remaining_working_days) == (
        date(2026, 10, 12),
        date(2026, 11, 9),
        None,
    )


@pytest.mark.usefixtures("paused")
def test_under_the_pause_reading_the_days_left_continue(world: World, draft: Application) -> None:
    returned, accepted = correct_and_accept_again(world, draft)
    # (09-25, 10-22]: 09-28..30 and 10-09..10-22 with Saturday 10-10 worked: 15 working days left
    assert returned == (None, 15)
    assert (accepted.deadline, accepted.remaining_working_days) == (date(2026, 11, 2), None)
