"""``jifen worker`` for real (issue 16, item 2): subprocesses with the product's settings and JIFEN_TASKS=database.

On SQLite one worker runs what was enqueued (a probe task and `jifen tick`'s per-holder reminders) and stops
gracefully on SIGTERM. On PostgreSQL two workers share 200 tasks and none runs twice: each task appends one row
with its task id (tests/reliability/task_probe.py), and every id has exactly one row.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.server import JIFEN, Service, service
from tests.reliability.task_probe import ENQUEUE, REPORT

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]  # on the workers' PYTHONPATH: they import the probe task
WAIT_SECONDS = 180  # a bound on waiting for the queue to drain, not a timing assertion


def tasks_service(svc: Service) -> Service:
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    svc.env_extra.update(JIFEN_TASKS="database", PYTHONPATH=pythonpath)
    return svc


def report(svc: Service) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(svc.run(code=REPORT).strip().splitlines()[-1])
    return out


@contextlib.contextmanager
def worker(svc: Service, name: str, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """``jifen worker`` in a process group of its own, its output in ``<name>.log``; killed if still running."""
    log = (svc.data_dir / f"{name}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [*JIFEN, "worker", "--worker-id", name, *args],
        env=svc.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)


def log_of(svc: Service, name: str) -> str:
    return (svc.data_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")[-4000:]


def stop(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM, as a process manager stops the worker; its exit code."""
    os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=60)


def test_one_worker_on_sqlite_runs_what_was_enqueued(tmp_path: Path) -> None:
    with service(tmp_path, postgres=False) as svc:
        svc.demo()  # its own tasks (e-mail, PDFs) run as it goes: the queue starts empty
        tasks_service(svc)
        svc.run("20", code=ENQUEUE)
        ticked = svc.run("tick")
        enqueued = int(ticked.split(" ", 1)[0])
        assert enqueued > 0 and "reminder tasks enqueued for `jifen worker`" in ticked
        with worker(svc, "worker-a", "--batch") as process:
            assert process.wait(timeout=WAIT_SECONDS) == 0, log_of(svc, "worker-a")  # --batch: the queue is empty
        found = report(svc)
        assert sorted(Counter(task_id for task_id, _ in found["rows"]).values()) == [1] * 20
        assert {w for _, w in found["rows"]} == {"worker-a"}
        assert found["paths"]["jifen.service.notifications.tasks.holder_reminders"] == enqueued
        assert set(found["results"]) == {"SUCCESSFUL"}, log_of(svc, "worker-a")


def test_sigterm_stops_a_waiting_worker_gracefully(tmp_path: Path) -> None:
    with service(tmp_path, postgres=False) as svc:
        svc.demo()  # its own tasks (e-mail, PDFs) run as it goes: the queue starts empty
        tasks_service(svc)
        with worker(svc, "worker-a", "--interval", "0.2") as process:
            time.sleep(2)  # let it start and wait on the empty queue (any moment will do)
            assert process.poll() is None, log_of(svc, "worker-a")
            assert stop(process) == 0, log_of(svc, "worker-a")


def test_two_workers_on_postgresql_never_run_a_task_twice(tmp_path: Path) -> None:
    with service(tmp_path, postgres=True) as svc:
        svc.demo()  # its own tasks (e-mail, PDFs) run as it goes: the queue starts empty
        tasks_service(svc)
        svc.run("0", code=ENQUEUE)  # the table only: both workers start on an empty queue
        with (
            worker(svc, "worker-a", "--interval", "0.05") as first,
            worker(svc, "worker-b", "--interval", "0.05") as second,
        ):
            svc.run("200", code=ENQUEUE)
            found = report(svc)
            deadline = time.monotonic() + WAIT_SECONDS
            while len(found["rows"]) < 200 and time.monotonic() < deadline:
                time.sleep(1)
                found = report(svc)
            assert first.poll() is None and second.poll() is None, log_of(svc, "worker-a") + log_of(svc, "worker-b")
            assert stop(first) == 0 and stop(second) == 0
        found = report(svc)
        per_task = Counter(task_id for task_id, _ in found["rows"])
        shares = Counter(w for _, w in found["rows"])
        print(
            f"\ntwo workers on PostgreSQL: {len(found['rows'])} runs of {len(per_task)} tasks, most runs of one task "
            f"{max(per_task.values(), default=0)}; results {found['results']}; shares {dict(sorted(shares.items()))}"
        )
        assert len(per_task) == 200 and set(per_task.values()) == {1}  # every task ran, and once
        assert found["results"] == {"SUCCESSFUL": 200}
        assert set(Counter(w for _, w in found["rows"])) == {"worker-a", "worker-b"}  # both took a share
