"""The demo data (``jifen demo``): every state of an application, each holder's record consistent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from jifen.facts.parse import parse_facts
from jifen.service.applications.models import OPEN_STATUSES, Application, Status
from jifen.service.applications.record import approval_in_force
from jifen.service.demo import seed


def test_every_state_shows_and_no_holder_has_two_open_applications(db: None) -> None:
    seed()
    apps = list(Application.objects.select_related("holder"))
    assert {a.status for a in apps} == set(Status.values)
    open_by_holder = Counter(a.holder_id for a in apps if a.status in OPEN_STATUSES)
    assert max(open_by_holder.values()) == 1
    for app in apps:  # filed past the API's checks, so checked here: an approval of them must work
        parse_facts(app.facts)


def test_seeding_twice_adds_nothing(db: None) -> None:
    seed()
    before = Application.objects.count()
    seed()
    assert Application.objects.count() == before == 10


def test_the_appealed_application_is_a_holders_latest_decision_and_the_approval_before_it_stands(db: None) -> None:
    seed()
    appealed = Application.objects.get(status=Status.APPEALED)
    approved = approval_in_force(appealed.holder)
    assert approved is not None and approved.status == Status.APPROVED and approved.pk != appealed.pk


def test_a_demo_database_an_earlier_version_made_can_be_started_afresh(tmp_path: Path) -> None:
    """`jifen demo` on a demo database that breaks the one-open rule stops and says how to start afresh."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["JIFEN_DATA_DIR"] = str(tmp_path)
    jifen = str(Path(sys.executable).with_name("jifen"))
    for step in (["demo"], ["manage", "migrate", "applications", "0003_advice_summary"]):
        done = subprocess.run([jifen, *step], env=env, capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "jifen.sqlite3") as db:  # as an earlier version could leave it: two open
        db.execute(
            "UPDATE applications_application SET status = 'submitted' WHERE holder_id = "
            "(SELECT holder_id FROM applications_application WHERE status = 'draft')"
        )
    stuck = subprocess.run([jifen, "demo"], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert stuck.returncode != 0 and "jifen demo --fresh" in stuck.stderr
    fresh = subprocess.run([jifen, "demo", "--fresh"], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert fresh.returncode == 0, fresh.stderr
    with sqlite3.connect(tmp_path / "jifen.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM applications_application").fetchone() == (10,)
