"""``jifen serve``, ``jifen demo``, ``jifen tick`` and ``jifen manage``: the service from the command line.

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
    """Apply migrations and serve the application with gunicorn."""
    from gunicorn.app.base import BaseApplication

    from jifen.service.runtime import migrate

    migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from jifen.service.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")

        def load(self) -> Any:
            return application

    typer.echo(f"jifen is serving on http://{host}:{port}/  (API: http://{host}:{port}/api/v1/docs)")
    Server().run()


def demo_command() -> None:
    """Apply migrations and seed demonstration data (idempotent); print the logins."""
    import os

    os.environ.setdefault("JIFEN_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    from jifen.service.runtime import migrate

    migrate()
    from jifen.service.demo import PASSWORD, seed

    logins = seed()
    typer.echo("demo data ready; every demo login has the password " + PASSWORD)
    for login in logins:
        typer.echo(f"  {login.username:<10} {login.role:<9} {login.note}")


def tick_command(
    today: Annotated[str | None, typer.Option(help="run as of this date (default: today in Shanghai)")] = None,
) -> None:
    """Send due reminders (deadlines, endorsements, validity, refresh); safe on several nodes at once."""
    from jifen.dates import today_in_shanghai
    from jifen.service.runtime import setup

    setup()
    from jifen.service.notifications.tick import tick

    day: date = parse_on(today, "--today") or today_in_shanghai()
    report = tick(day)
    typer.echo(
        f"{report.total} reminders sent ({report.deadlines} deadlines, {report.endorsements} endorsements, "
        f"{report.expiries} expiries, {report.refreshes} refreshes)"
    )


def manage_command(
    args: Annotated[list[str] | None, typer.Argument(help="Django management arguments")] = None,
) -> None:
    """Run a Django management command (migrate, createsuperuser, …)."""
    from jifen.service.runtime import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jifen manage", *(args or [])])
