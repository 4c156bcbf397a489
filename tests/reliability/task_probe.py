"""A test-only task for tests/reliability/test_task_worker.py: each run appends one row (its task id, the worker
that ran it) to the table ``task_probe``, made by :data:`ENQUEUE` before the tasks are enqueued. Imported by the
``jifen worker`` subprocesses (the repository's root is on their PYTHONPATH)."""

from __future__ import annotations

import time

from django.db import connection
from django_tasks import TaskContext, task


@task(takes_context=True)
def record_run(context: TaskContext, n: int) -> int:
    worker = context.task_result.worker_ids[-1]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO task_probe (task_id, worker, n) VALUES (%s, %s, %s)", [context.task_result.id, worker, n]
        )
    time.sleep(0.01)  # a little work, so that two workers share the queue
    return n


# Makes the table and enqueues argv[1] probe tasks (in a process with the product's settings).
ENQUEUE = """
import sys
from jifen.service.runtime import setup
setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS task_probe (task_id varchar(64), worker varchar(64), n integer)")
from tests.reliability.task_probe import record_run
for n in range(int(sys.argv[1])):
    record_run.enqueue(n)
"""

# Prints {"rows": [[task id, worker], ...], "results": {status: count}, "paths": {task path: count}} as JSON.
REPORT = """
import json
from django.db.models import Count
from jifen.service.runtime import setup
setup()
from django.db import connection
from django_tasks_db.models import DBTaskResult
rows = []
if "task_probe" in connection.introspection.table_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_id, worker FROM task_probe")
        rows = [list(r) for r in cursor.fetchall()]
statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")))
paths = dict(DBTaskResult.objects.values_list("task_path").annotate(n=Count("id")))
print(json.dumps({"rows": rows, "results": statuses, "paths": paths}))
"""
