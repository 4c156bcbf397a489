"""``jifen``: score, and later advise and serve, from the command line."""

from __future__ import annotations

import typer

from jifen.cli import audit_command, policy_command, workdays_command
from jifen.cli.advise_command import advise_command
from jifen.cli.batch_commands import batch_command, impact_command, synth_command
from jifen.cli.score_command import score_command
from jifen.cli.service_commands import demo_command, manage_command, serve_command, tick_command, worker_command

app = typer.Typer(
    name="jifen",
    help="上海市居住证积分 (Shanghai Residence Permit Points): score from dated facts, explain every point.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("score")(score_command)
app.command("advise")(advise_command)
app.command("batch")(batch_command)
app.command("synth")(synth_command)
app.command("impact")(impact_command)
app.add_typer(workdays_command.app, name="workdays")
app.add_typer(policy_command.app, name="policy")
app.command("serve")(serve_command)
app.command("demo")(demo_command)
app.command("tick")(tick_command)
app.command("worker")(worker_command)
app.add_typer(audit_command.app, name="audit")
app.command("manage", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(manage_command)


@app.callback()
def _root() -> None:
    """上海市居住证积分 (Shanghai Residence Permit Points)."""


def main() -> None:
    app()
