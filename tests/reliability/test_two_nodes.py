"""Two nodes (issue 16, item 5): two ``jifen serve`` on two ports, one PostgreSQL database, one S3 bucket (moto's
server), one ``jifen worker``; both nodes share the data directory (so the generated secret key) and queue their
tasks in the database (JIFEN_TASKS=database) for the worker.

- A material uploaded through node A downloads through node B as uploaded; it is in the bucket, and nothing was
  written under the data directory's media folder.
- Anonymous /score calls sent to A and B in turn are limited once in total (the database cache).
- An approval through node A enqueues the notice's PDF and the e-mails; the worker stores the PDF in the bucket
  (node B serves that very file) and sends the e-mails (``emailed_at`` set).
- Node A is SIGKILLed (its whole process group) while an employer agent files submissions through A and B, half
  each, each with its own Idempotency-Key: every acknowledged one is stored exactly once, every one acknowledged
  through B is there, and filing every key again through B creates the missing ones and duplicates none.

PostgreSQL only (skipped unless DATABASE_URL names PostgreSQL; a throwaway database on that server); skipped, or
failed under JIFEN_REQUIRE_SERVERS=1, without ``moto_server``. One setup for the module: the start costs most.
"""

from __future__ import annotations

import hashlib
import queue
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from tests.conftest import contract_example
from tests.reliability.server import Service, postgres_url, throwaway_postgres
from tests.reliability.test_shared_throttling import ANONYMOUS_PER_MINUTE, BUSY, answers
from tests.reliability.test_sigkill import Run, assert_retry_made_up, client, file_one, stored
from tests.reliability.test_task_worker import log_of, worker
from tests.s3_server import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, S3Server, moto_server

pytestmark = pytest.mark.reliability

WORKERS = 1  # gunicorn workers per node: two nodes are already two processes sharing everything
WAIT_SECONDS = 90  # a bound on waiting for the worker, not a timing assertion
SUBMISSIONS = 120  # filed in the kill test, half through each node
CLIENTS_PER_NODE = 4
KILL_AFTER_ACKNOWLEDGED = 20  # node A is killed once it has acknowledged this many (of its 60): mid-run
PREFIX = "two-nodes-"
KEYS = [f"{PREFIX}{i:03d}" for i in range(SUBMISSIONS)]


@dataclass
class Cluster:
    a: Service
    b: Service
    s3: S3Server
    bucket: str
    worker: subprocess.Popen[bytes]
    people: dict[str, dict[str, Any]]  # username -> {"token", "account"}

    def token(self, username: str) -> str:
        return str(self.people[username]["token"])

    def pg(self) -> Any:
        import psycopg

        assert self.a.database_url is not None
        return psycopg.connect(self.a.database_url)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    url = postgres_url()
    if url is None:
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://… (.ci/run does, on its throwaway cluster)")
    root = tmp_path_factory.mktemp("two-nodes")
    data_dir = root / "data"
    data_dir.mkdir()
    with moto_server(root) as s3, throwaway_postgres(url) as database:
        bucket = s3.new_bucket()
        env = {
            "JIFEN_S3_BUCKET": bucket,
            "JIFEN_S3_ENDPOINT_URL": s3.endpoint_url,
            "JIFEN_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "JIFEN_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "JIFEN_S3_REGION": REGION,
            "JIFEN_ANONYMOUS_REQUESTS_PER_MINUTE": str(ANONYMOUS_PER_MINUTE),
            "JIFEN_USER_REQUESTS_PER_MINUTE": str(10**9),  # the kill test is one of load, not of rates
        }
        a = Service(data_dir, database, env_extra=dict(env), name="node-a")
        b = Service(data_dir, database, env_extra=dict(env), name="node-b")
        try:
            a.demo()  # its own tasks (e-mail, PDFs) run as it goes: the queue starts empty
            people = a.tokens("hr", "zhang", "zhao", "reviewer")
            for node in (a, b):
                node.env_extra["JIFEN_TASKS"] = "database"
            a.start(workers=WORKERS)
            b.start(workers=WORKERS)
            with worker(a, "worker", "--interval", "0.2") as process:
                yield Cluster(a, b, s3, bucket, process, people)
        finally:
            a.kill()
            b.kill()


def download(svc: Service, path: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(svc.url(path), headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http://127.0.0.1
        return response.status, response.read()


def media_files(data_dir: Path) -> list[str]:
    media = data_dir / "media"
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) if media.exists() else []


def facts() -> dict[str, Any]:
    data = contract_example()
    data.pop("as_of")
    return data


def test_an_upload_through_a_downloads_through_b(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    content = b"%PDF-1.7\n% the labour contract, scanned: " + uuid4().hex.encode() + b"\n%%EOF\n"
    body = {"holder_id": cluster.people["zhang"]["account"], "kind": "change", "facts": facts()}
    status, app = a.call("POST", "/api/v1/applications", cluster.token("hr"), body)
    assert status == 201, app
    status, material = a.upload(
        f"/api/v1/applications/{app['id']}/materials",
        cluster.token("hr"),
        {"indicator": "basic"},
        ("劳动合同.pdf", content, "application/pdf"),
    )
    assert status == 201, material
    path = f"/api/v1/applications/{app['id']}/materials/{material['id']}/file"
    by_holder = download(b, path, cluster.token("zhang"))
    by_agent = download(b, path, cluster.token("hr"))
    in_bucket = [key for key, data in cluster.s3.objects(cluster.bucket).items() if data == content]
    local = media_files(a.data_dir)
    print(
        f"\ntwo nodes, upload: {len(content)} bytes through A, through B holder {by_holder[0]} agent {by_agent[0]} "
        f"(identical: {by_holder[1] == content and by_agent[1] == content}); in the bucket as {in_bucket}; "
        f"files under media/: {len(local)}"
    )
    assert material["sha256"] == hashlib.sha256(content).hexdigest()
    assert by_holder == (200, content)
    assert by_agent == (200, content)
    assert len(in_bucket) == 1
    assert local == []


def test_throttling_is_counted_across_nodes(cluster: Cluster) -> None:
    scores = answers(
        [cluster.a, cluster.b], [("POST", "/api/v1/score", "", contract_example())] * (3 * ANONYMOUS_PER_MINUTE)
    )
    print(
        f"\ntwo nodes, anonymous /score to A and B in turn, {ANONYMOUS_PER_MINUTE} a minute: {sorted(scores.items())}"
    )
    assert scores == {"200": ANONYMOUS_PER_MINUTE, f"429 {BUSY}": 2 * ANONYMOUS_PER_MINUTE}


def task_results(cluster: Cluster, since: float) -> list[tuple[str, str, list[str]]]:
    """(task path, status, worker ids) of the tasks enqueued after ``since`` (epoch seconds)."""
    with cluster.pg() as pg:
        (table,) = pg.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE %s", ["%dbtaskresult"]
        ).fetchone()
        rows = pg.execute(
            f'SELECT task_path, status, worker_ids FROM "{table}" WHERE enqueued_at >= to_timestamp(%s)',  # noqa: S608
            [since],
        ).fetchall()
    return [(str(path), str(status), list(ids)) for path, status, ids in rows]


def emailed(cluster: Cluster, application: str) -> list[tuple[int, bool]]:
    """(message id, whether e-mailed) of the application's messages of its approval."""
    with cluster.pg() as pg:
        rows = pg.execute(
            "SELECT id, emailed_at IS NOT NULL FROM notifications_message WHERE application_id = %s AND kind = %s",
            [application, "application_approve"],
        ).fetchall()
    return [(int(i), bool(sent)) for i, sent in rows]


def test_a_task_enqueued_on_a_is_done_by_the_worker(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    reviewer = cluster.token("reviewer")
    status, accepted = a.call("GET", "/api/v1/applications?status=accepted", reviewer)
    assert status == 200, accepted
    zhao = next(app for app in accepted if app["holder_id"] == cluster.people["zhao"]["account"])
    since = time.time() - 1
    status, approved = a.call("POST", f"/api/v1/applications/{zhao['id']}/approve", reviewer)
    assert status == 200, approved
    code = approved["notice_code"]
    name = f"notices/{code}.pdf"

    deadline = time.monotonic() + WAIT_SECONDS
    objects = cluster.s3.objects(cluster.bucket)
    messages = emailed(cluster, zhao["id"])
    while (name not in objects or not all(sent for _, sent in messages)) and time.monotonic() < deadline:
        time.sleep(0.5)
        objects = cluster.s3.objects(cluster.bucket)
        messages = emailed(cluster, zhao["id"])
    results = task_results(cluster, since)
    pdf = download(b, f"/api/v1/notices/{code}/pdf", cluster.token("zhao"))
    print(
        f"\ntwo nodes, tasks: approval through A enqueued {Counter(p.rsplit('.', 1)[-1] for p, _, _ in results)}, "
        f"statuses {dict(Counter(s for _, s, _ in results))}, run by {sorted({w for *_, ws in results for w in ws})}; "
        f"{name} in the bucket: {name in objects}; {sum(s for _, s in messages)} of {len(messages)} messages e-mailed; "
        f"the PDF through B {pdf[0]}, {len(pdf[1])} bytes, the stored file: {objects.get(name) == pdf[1]}"
    )
    assert cluster.worker.poll() is None, log_of(a, "worker")
    assert name in objects, log_of(a, "worker")
    assert objects[name].startswith(b"%PDF")
    assert pdf == (200, objects[name])  # node B serves the file the worker stored
    assert len(messages) >= 2 and all(sent for _, sent in messages), (messages, log_of(a, "worker"))  # holder, agent
    assert {p.rsplit(".", 1)[-1] for p, _, _ in results} == {"render_notice", "send_message_email"}
    assert {s for _, s, _ in results} == {"SUCCESSFUL"}
    assert all(ids == ["worker"] for *_, ids in results)


def test_node_a_killed_loses_nothing_acknowledged(cluster: Cluster) -> None:
    a, b = cluster.a, cluster.b
    token, holder = cluster.token("hr"), int(cluster.people["zhang"]["account"])
    runs = {a.name: Run(kill_after=KILL_AFTER_ACKNOWLEDGED), b.name: Run(kill_after=SUBMISSIONS)}
    threads = []
    for number, node in enumerate((a, b)):
        keys: queue.Queue[str] = queue.Queue()
        for key in KEYS[number::2]:
            keys.put(key)
        threads += [
            threading.Thread(target=client, args=(node, token, holder, keys, runs[node.name]), daemon=True)
            for _ in range(CLIENTS_PER_NODE)
        ]
    for thread in threads:
        thread.start()
    killed_mid_run = runs[a.name].enough.wait(timeout=300)
    with runs[b.name].lock:
        b_before_kill = len(runs[b.name].acknowledged)
    a.kill()  # SIGKILL to node A's process group, requests in flight
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    after_kill = stored(b, PREFIX)

    # Every key again through node B (the client retrying everything it sent): nothing is created twice.
    retried: dict[str, tuple[int, str]] = {}
    for key in KEYS:
        status, body = file_one(b, token, holder, key)
        assert status in (200, 201), (key, status, body)
        retried[key] = (status, str(body["id"]))
    final = stored(b, PREFIX)

    run_a, run_b = runs[a.name], runs[b.name]
    present = Counter(key for key, _ in after_kill)
    ids = dict(after_kill)
    final_count = Counter(key for key, _ in final)
    acknowledged = {**run_a.acknowledged, **run_b.acknowledged}
    print(
        f"\ntwo nodes, kill: {SUBMISSIONS} sent, half through each node; A {len(run_a.acknowledged)} acknowledged, "
        f"{len(run_a.unacknowledged)} unacknowledged ({run_a.cut} cut or reset by the kill, "
        f"{sum(1 for k in run_a.unacknowledged if k in present)} stored anyway); B {len(run_b.acknowledged)} "
        f"acknowledged ({len(run_b.acknowledged) - b_before_kill} after the kill), {len(run_b.unacknowledged)} "
        f"unacknowledged; other statuses {dict(run_a.other + run_b.other)}; after the kill "
        f"{sum(present[k] for k in acknowledged)} acknowledged present, {sum(n - 1 for n in present.values())} "
        f"duplicates; after retrying all {SUBMISSIONS} through B: {len(final)} rows, "
        f"{sum(1 for s, _ in retried.values() if s == 201)} created by the retry, "
        f"{sum(n - 1 for n in final_count.values())} duplicates"
    )
    assert killed_mid_run, f"fewer than {KILL_AFTER_ACKNOWLEDGED} acknowledged through A before the kill: {run_a}"
    assert not run_a.other and not run_b.other, (run_a.other, run_b.other)
    assert len(run_a.acknowledged) + len(run_a.unacknowledged) == SUBMISSIONS // 2
    assert run_a.unacknowledged, "the kill came after A answered all its submissions: nothing was in flight"
    assert len(run_b.acknowledged) == SUBMISSIONS // 2 and not run_b.unacknowledged  # B served on
    assert len(run_b.acknowledged) > b_before_kill  # B acknowledged some while A was dead
    # Every acknowledged submission is there exactly once, under the id it was acknowledged with.
    assert all(present[key] == 1 for key in acknowledged), present
    assert all(ids[key] == app_id for key, app_id in acknowledged.items())
    assert all(n == 1 for n in present.values())
    assert_retry_made_up(retried, ids, final_count, KEYS)
