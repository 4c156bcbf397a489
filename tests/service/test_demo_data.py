"""The demo data (``jifen demo``): every state of an application, each holder's record consistent."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from jifen.advisor import Advice, advise
from jifen.dates import full_years
from jifen.facts.parse import parse_facts
from jifen.service import clock
from jifen.service.accounts.models import Account, Role
from jifen.service.applications.models import OPEN_STATUSES, Application, Status
from jifen.service.applications.record import approval_in_force
from jifen.service.applications.refresh import holder_advice
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


# -- the holders: of working age, and between them every situation the advice handles (issue 14, item 10)


def advice_of(username: str) -> Advice:
    """The advice a holder is shown on the service's day: on the approval in force where there is one (the
    holder's page), else on the facts of the holder's latest application."""
    holder = Account.objects.get(user__username=username)
    found = holder_advice(holder, clock.today())
    if found is not None:
        return found.advice
    latest = Application.objects.filter(holder=holder).order_by("-created_at", "-pk").first()
    assert latest is not None
    return advise({k: v for k, v in latest.facts.items() if k != "as_of"}, on=clock.today())


def moves(advice: Advice, kind: str, indicator: str | None = None) -> list[tuple[date, int]]:
    """The dated point changes of one kind of trigger (and indicator)."""
    return [
        (t.on, t.points_delta)
        for t in advice.triggers
        if t.kind == kind and (indicator is None or t.indicator == indicator)
    ]


def test_every_demo_holder_is_of_working_age(db: None) -> None:
    seed()
    today = clock.today()
    holders = Account.objects.filter(role=Role.HOLDER)
    assert sorted(h.user.username for h in holders) == ["li", "qian", "sun", "wang", "zhang", "zhao"]
    for holder in holders:
        assert holder.birth_date is not None
        assert 18 <= full_years(holder.birth_date, today) <= 60, holder.user.username
        for app in Application.objects.filter(holder=holder):  # the facts filed say the same
            assert app.facts["birth_date"] == holder.birth_date.isoformat()


def test_the_demo_shows_each_situation_the_advice_handles(db: None) -> None:
    seed()
    today = clock.today()
    soon = today + timedelta(days=90)
    # 李四, approved below the standard, crosses it with the degree awarded on 2026-12-15: worth filing then
    li = Account.objects.get(user__username="li")
    found = holder_advice(li, today)
    assert found is not None and found.approved.points == 116
    assert moves(found.advice, "education_obtained") == [(date(2026, 12, 15), 40)]
    recommendation = found.advice.recommendation
    assert (recommendation.effect, recommendation.earliest) == ("entitlement", date(2026, 12, 15))
    # 张三's permit ends on 2027-02-28: the endorsement window opens within weeks, and the renewal follows
    zhang = advice_of("zhang")
    assert [on for on, _ in moves(zhang, "endorsement_window")] == [date(2027, 1, 29)] and date(2027, 1, 29) < soon
    assert {"endorse", "renew"} <= {step.kind for step in zhang.recommendation.steps}
    # ... and each 20 May adds a year married to a Shanghai-hukou spouse
    assert moves(zhang, "period_year", "hukou_spouse")[:2] == [(date(2027, 5, 20), 4), (date(2028, 5, 20), 4)]
    # 孙小军 turns 44: the age points fall at the birthday
    assert moves(advice_of("sun"), "birthday")[0] == (date(2027, 1, 20), -1)
    # 王小明's base, raised at the 2024-07 adjustment, reaches the 2x tier after 36 months
    assert moves(advice_of("wang"), "si_base_tier") == [(date(2027, 7, 1), 50)]
    # 钱小芳's insurance stopped after 2026-10: eligible today, not from December, and the base-bound points go
    qian = advice_of("qian")
    assert qian.current.eligible and moves(qian, "eligibility") == [(date(2026, 12, 1), 0)]
    assert moves(qian, "qualification_condition") == [(date(2027, 6, 1), -100)]
    assert moves(qian, "si_base_tier") == [(date(2027, 12, 1), -50)]
