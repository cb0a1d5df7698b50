"""The ``accompaniment`` command line: set up the database, load demo data, manage accounts.

Every command opens the store named by ACCOMPANIMENT_DATABASE_URL (or .streamlit/secrets.toml, or the default
DuckDB file), upgrading its schema first. The CLI acts as the system administrator of that database: whoever can
run it can already read the file.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from accompaniment import i18n, settings
from accompaniment.access import SYSTEM
from accompaniment.domain.enums import Role
from accompaniment.domain.errors import AccompanimentError
from accompaniment.store.database import Store, open_store

app = typer.Typer(help="STL Accompaniment Monitor: command line.", no_args_is_help=True, add_completion=False)

UrlOption = Annotated[str | None, typer.Option("--database-url", help="SQLAlchemy URL (default: settings).")]
LangOption = Annotated[str, typer.Option("--lang", help="Language of messages: es or en.")]


def _open(url: str | None) -> Store:
    return open_store(url or settings.get("database_url"))


@app.command()
def init(database_url: UrlOption = None) -> None:
    """Create or upgrade the database and load the reference data and the 15 STLs' starting record."""
    store = _open(database_url)
    store.close()
    typer.echo("ok: database ready")


@app.command()
def upgrade(database_url: UrlOption = None) -> None:
    """Bring the database schema up to the current revision (done automatically on every open)."""
    from accompaniment.store import migrations

    store = _open(database_url)
    revision = migrations.current_revision(store.engine)
    store.close()
    typer.echo(f"ok: schema at revision {revision}")


@app.command()
def demo(
    scale: Annotated[int, typer.Option(min=1, help="Multiply the activity; from 10, all 32 states.")] = 1,
    today: Annotated[str | None, typer.Option(help="Anchor date YYYY-MM-DD (default: today).")] = None,
    accounts: Annotated[bool, typer.Option(help="Also create one demo account per role and print them.")] = True,
    database_url: UrlOption = None,
) -> None:
    """Fill the database with the deterministic demo data set (marked as demo)."""
    from accompaniment.demo import load_demo

    store = _open(database_url)
    try:
        summary = load_demo(store, scale=scale, today=date.fromisoformat(today) if today else None,
                            progress=lambda step: typer.echo(f"… {step}", err=True))
        typer.echo(
            f"ok: demo scale {scale}: {summary.states} states, {summary.sessions} sessions, "
            f"{summary.workshops} workshops, {summary.agreements} agreements, {summary.commitments} new commitments, "
            f"{summary.milestones} milestones"
        )
        if accounts:
            from accompaniment.demo_accounts import create_demo_accounts

            for username, role, password in create_demo_accounts(store):
                typer.echo(f"demo account: {username} ({role}) password: {password}")
    finally:
        store.close()


@app.command("create-user")
def create_user(
    username: str,
    role: Annotated[Role, typer.Option(help="public is not an account role.")],
    state: Annotated[str | None, typer.Option(help="INEGI code of a secretariat's state, e.g. 20.")] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail for single sign-on.")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    database_url: UrlOption = None,
) -> None:
    """Create an account (the first admin, or any other). There are no default passwords."""
    from accompaniment.store.users import create_user as store_create_user

    if role == Role.PUBLIC:
        raise typer.BadParameter("public is the signed-out view, not an account role", param_hint="--role")
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    store = _open(database_url)
    try:
        user_id = store_create_user(
            store, SYSTEM,
            {"username": username, "display_name": display_name or username, "role": role.value,
             "state_code": state, "email": email},
            password,
        )
    finally:
        store.close()
    typer.echo(f"ok: user {username} created (id {user_id})")


def main() -> None:
    """Entry point: turn our typed errors into a clear message and exit code 1, never a traceback."""
    lang = "en" if "--lang=en" in sys.argv else i18n.DEFAULT_LANGUAGE
    sys.argv = [a for a in sys.argv if not a.startswith("--lang=")]
    try:
        app(standalone_mode=False)
    except AccompanimentError as exc:
        typer.echo(f"error: {exc.message(lang)}", err=True)
        raise SystemExit(1) from None
    except typer.Abort:
        raise SystemExit(1) from None
    except (typer.BadParameter, typer.Exit) as exc:  # pragma: no cover - typer prints these itself
        if isinstance(exc, typer.Exit):
            raise SystemExit(exc.exit_code) from None
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    except Exception as exc:  # click usage errors
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        raise


if __name__ == "__main__":
    main()
