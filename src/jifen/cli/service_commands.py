"""``jifen serve``, ``demo``, ``tick``, ``worker`` and ``manage``: the service from the command line.

Django is imported only inside these commands, so scoring from the command line stays light.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from jifen.cli.inputs import parse_on


def serve_command(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 2,
) -> None:
    """Apply migrations and collect static files (in a process of their own), then serve with gunicorn."""
    import subprocess
    import sys

    from gunicorn.app.base import BaseApplication

    # The gunicorn master forks the workers: it must hold no database connection when it does, or the
    # workers share its socket (on PostgreSQL, one user then receives another's answers). So migrations
    # and static files are done in a child process, and every connection is closed before each fork.
    prepared = subprocess.run(
        [sys.executable, "-c", "from jifen.service.runtime import prepare; prepare()"], check=False
    )
    if prepared.returncode != 0:
        typer.echo("jifen serve: preparing the database and static files failed", err=True)
        raise typer.Exit(prepared.returncode)
    from jifen.service.runtime import before_fork, close_connections, setup

    setup()
    from jifen.service.wsgi import application

    close_connections()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("pre_fork", before_fork)

        def load(self) -> Any:
            return application

    typer.echo(f"jifen is serving on http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)")
    Server().run()


def demo_command(
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="start the demo afresh: delete the SQLite database and uploaded files in JIFEN_DATA_DIR first "
            "(for a demo database an earlier version made; refused on PostgreSQL)",
        ),
    ] = False,
) -> None:
    """Apply migrations and seed demonstration data (idempotent); print the logins."""
    import os

    os.environ.setdefault("JIFEN_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    if fresh:
        _start_afresh()
    from jifen.service.runtime import migrate

    migrate()
    from jifen.service.demo import PASSWORD, seed

    logins = seed()
    typer.echo("demo data ready; every demo login has the password " + PASSWORD)
    for login in logins:
        typer.echo(f"  {login.username:<10} {login.role:<9} {login.note}")


def _start_afresh() -> None:
    import shutil

    from jifen.service.runtime import setup

    setup()
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        typer.echo("jifen demo --fresh: only the embedded SQLite demo database is started afresh", err=True)
        raise typer.Exit(2)
    from pathlib import Path

    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
    from jifen.service.files import owner_only_database

    owner_only_database(database)  # the new one owner-only too
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    typer.echo(f"removed {database['NAME']} and {settings.MEDIA_ROOT}")


def tick_command(
    today: Annotated[str | None, typer.Option(help="run as of this date (default: today in Shanghai)")] = None,
) -> None:
    """Send due reminders (deadlines, endorsements, validity, refresh, overdue policy data to maintainers);
    safe on several nodes at once. Exit 1 after the run when some holders' reminders could not be computed."""
    from jifen.service.runtime import setup

    setup()
    from jifen.service import clock
    from jifen.service.notifications.tick import tick

    day: date = parse_on(today, "--today") or clock.today()
    report = tick(day)
    if report.queued:
        typer.echo(
            f"{report.enqueued} holders' reminder tasks enqueued for `jifen worker`, {report.policy} messages on "
            "overdue policy data sent; a holder whose reminders cannot be computed is logged by the worker"
        )
        return
    typer.echo(
        f"{report.total} reminders sent ({report.deadlines} deadlines, {report.endorsements} endorsements, "
        f"{report.expiries} expiries, {report.refreshes} refreshes, {report.policy} on overdue policy data)"
    )
    if report.failed:
        ids = ", ".join(str(i) for i in report.failed)
        typer.echo(
            f"error: could not compute the reminders of {len(report.failed)} holders (ids: {ids}); "
            "the others were sent; see the log for each error",
            err=True,
        )
        raise typer.Exit(1)


def worker_command(
    queue: Annotated[str, typer.Option(help="the queues to take tasks from, comma-separated; * for all")] = "default",
    batch: Annotated[bool, typer.Option("--batch", help="run the tasks waiting now, then exit")] = False,
    interval: Annotated[float, typer.Option(help="seconds between two looks at an empty queue")] = 1.0,
    max_tasks: Annotated[int | None, typer.Option(help="exit after running this many tasks")] = None,
    worker_id: Annotated[
        str | None, typer.Option(help="this worker's name in the task results (default: random)")
    ] = None,
) -> None:
    """Run the background tasks queued in the database (JIFEN_TASKS=database): e-mail, notice PDFs, reminders,
    policy impact. Run as many as needed, on any nodes: a task is claimed by one worker only. SIGTERM or Ctrl+C:
    the task running is finished, then the worker exits."""
    from jifen.service.runtime import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    if settings.JIFEN_TASKS != "database":
        typer.echo(
            f"jifen worker: JIFEN_TASKS is {settings.JIFEN_TASKS!r}, so tasks run where they are enqueued and no "
            "worker is needed; set JIFEN_TASKS=database (for the service and the worker) to queue them",
            err=True,
        )
        raise typer.Exit(2)
    options: dict[str, Any] = {"queue_name": queue, "batch": batch, "interval": interval, "reload": False}
    options["startup_delay"] = not batch  # several workers started together do not all look at once
    if max_tasks is not None:
        options["max_tasks"] = max_tasks
    if worker_id:
        options["worker_id"] = worker_id
    call_command("db_worker", **options)


def manage_command(
    args: Annotated[list[str] | None, typer.Argument(help="Django management arguments")] = None,
) -> None:
    """Run a Django management command (migrate, createsuperuser, …)."""
    from jifen.service.runtime import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jifen manage", *(args or [])])
