"""The `coprod` command: the whole system on the embedded default, one service alone, or the demo data."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from shared.cli import say_and_exit
from shared.ingest_client import ingest_urls

from .catalogue import DEFAULT_PORTS
from .environment import data_dir_from
from .keys import DEV_KEY_FILE
from .processes import service_command

app = typer.Typer(
    help="coprod: co-production records, figures and champion alerts for Care & Support services.",
    no_args_is_help=True,
    add_completion=False,
)
PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Load a sample financial year once the services are up.")] = False,
) -> None:
    """Run ingest, projections and notify on the embedded default (Redis, SQLite, an SMTP outbox)."""
    from .serve import environment, run_up

    raise typer.Exit(run_up(environment(), demo=demo))


@app.command()
def demo(
    url: Annotated[str | None, typer.Option(help="Where ingest answers.")] = None,
    notify_url: Annotated[str | None, typer.Option(help="Where notify answers.")] = None,
    key: Annotated[str | None, typer.Option(help="An API key with write and admin scopes.")] = None,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 2025,
) -> None:
    """Load a sample financial year into a running coprod through its APIs."""
    from .demo.loader import DemoFailed, load_demo

    ingest_url = url or ingest_urls(os.environ.get("COPROD_INGEST_URL") or _local("ingest"))[0]
    try:
        load_demo(ingest_url, notify_url or _local("notify"), key or _dev_key(), seed=seed)
    except (DemoFailed, OSError) as error:
        typer.echo(f"coprod demo: {error}", err=True)
        raise typer.Exit(1) from None


@app.command(context_settings=PASS_THROUGH)
def ingest(ctx: typer.Context) -> None:
    """Run the ingest service alone (extra arguments go to it: `coprod ingest docs`)."""
    _exec("ingest", ctx.args)


@app.command(context_settings=PASS_THROUGH)
def projections(ctx: typer.Context) -> None:
    """Run the projections service alone (`coprod projections rebuild`, `… replay-dead-letters`)."""
    _exec("projections", ctx.args)


@app.command(context_settings=PASS_THROUGH)
def notify(ctx: typer.Context) -> None:
    """Run the notify service alone."""
    _exec("notify", ctx.args)


@app.command(context_settings=PASS_THROUGH)
def web(ctx: typer.Context) -> None:
    """Run the dashboard alone."""
    _exec("web", ctx.args)


@app.command(context_settings=PASS_THROUGH)
def users(ctx: typer.Context) -> None:
    """Dashboard accounts: `coprod users add EMAIL --role officer|manager|viewer [--region R]... --password-stdin`."""
    _exec("web", ["users", *ctx.args])


@app.command("import", context_settings=PASS_THROUGH)
def import_csv(ctx: typer.Context) -> None:
    """Import a CSV file of events: `coprod import FILE.csv --type T --source S [--skip-bad]`."""
    _exec("ingest", ["import", *ctx.args])


@app.command()
def erase(upstream_id: Annotated[str, typer.Argument(help="The person's id in the upstream system.")]) -> None:
    """Erase a person: coprod forgets which token in its record was theirs (see docs/privacy.md)."""
    _exec("ingest", ["erase", upstream_id])


def _exec(service: str, args: list[str]) -> None:
    command = service_command(service, args)
    sys.stdout.flush()
    os.execv(command[0], command)


def _local(service: str) -> str:
    port = os.environ.get(f"COPROD_{service.upper()}_PORT") or DEFAULT_PORTS[service]
    return f"http://127.0.0.1:{port}"


def _dev_key() -> str:
    path: Path = data_dir_from(os.environ) / DEV_KEY_FILE
    if not path.exists():
        typer.echo(f"coprod demo: no --key given and no development key in {path}", err=True)
        raise typer.Exit(2)
    return path.read_text().strip()


def main() -> None:
    """Typer's own error boxes become one plain line, as every coprod command's errors are."""
    try:
        code = app(prog_name="coprod", standalone_mode=False)
    except typer.TyperException as error:
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "coprod"
        say_and_exit(where, f"{error.format_message()} (see {where} --help)", error.exit_code)
    except typer.Abort:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
