"""The ``accompaniment`` command line: set up the database, load demo data, manage accounts, export open data,
print reports, import files, back up and restore.

Every command opens the store named by ACCOMPANIMENT_DATABASE_URL (or .streamlit/secrets.toml, or the default
DuckDB file), upgrading its schema first. The CLI acts as the system administrator of that database: whoever can
run it can already read the file.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from accompaniment import i18n, settings
from accompaniment.access import PUBLIC, SYSTEM
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
    accounts: Annotated[
        bool, typer.Option(help="Also create one demo account per role and print them.")
    ] = True,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if demo data is already there.")
    ] = False,
    database_url: UrlOption = None,
) -> None:
    """Fill the database with the deterministic demo data set (marked as demo)."""
    from accompaniment.demo import has_demo_data, load_demo

    store = _open(database_url)
    try:
        if has_demo_data(store):
            typer.echo(
                "ok: demo data already loaded" if if_empty else "error: the database already holds demo data",
                err=not if_empty,
            )
            raise typer.Exit(0 if if_empty else 1)
        summary = load_demo(
            store,
            scale=scale,
            today=date.fromisoformat(today) if today else None,
            progress=lambda step: typer.echo(f"… {step}", err=True),
        )
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
    state: Annotated[
        str | None,
        typer.Option(help="A secretariat's state: name, INEGI code or ISO code (Oaxaca, 20, MX-OAX)."),
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown in the app.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail for single sign-on.")] = None,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from stdin (without it, a one-off password is printed, to change at first "
            "sign-in).",
        ),
    ] = False,
    database_url: UrlOption = None,
) -> None:
    """Create an account (the first admin, or any other). There are no default passwords."""
    import secrets

    from accompaniment.io.importing import state_code_for
    from accompaniment.store.users import create_user as store_create_user

    if role == Role.PUBLIC:
        raise typer.BadParameter("public is the signed-out view, not an account role", param_hint="--role")
    # Without --password-stdin the account gets a one-off password to change at first sign-in (issue 20): an
    # account with no password at all could not sign in.
    password = sys.stdin.readline().rstrip("\n") if password_stdin else secrets.token_urlsafe(12)
    store = _open(database_url)
    try:
        user_id = store_create_user(
            store,
            SYSTEM,
            {
                "username": username,
                "display_name": display_name or username,
                "role": role.value,
                "state_code": state_code_for(store, SYSTEM, state) if state else None,
                "email": email,
            },
            password,
            must_change_password=not password_stdin,
        )
    finally:
        store.close()
    typer.echo(i18n.t("roundtrip.cli.user_created", _message_lang, username=username, id=user_id))
    if not password_stdin:
        typer.echo(i18n.t("roundtrip.cli.one_off_password", _message_lang, password=password))


# ---- open data, reports, imports and backups (accompaniment.io does the work) -----------------------------------

_message_lang = i18n.DEFAULT_LANGUAGE  # set by main() from a global --lang=xx


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    DATAPACKAGE = "datapackage"


def _date(value: str | None, option: str) -> date | None:
    from accompaniment.domain.models import coerce_date

    if value is None:
        return None
    parsed = coerce_date(value)
    if isinstance(parsed, date):
        return parsed
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("use dd/mm/aaaa or YYYY-MM-DD", param_hint=option) from None


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    file_format: Annotated[
        ExportFormat, typer.Option("--format", help="csv, xlsx, or datapackage (always public).")
    ] = ExportFormat.CSV,
    public: Annotated[bool, typer.Option("--public", help="Export as the public sees the data.")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of titles and notes: es or en.")
    ] = None,
    database_url: UrlOption = None,
) -> None:
    """Export every table the acting user may read (the CLI acts as admin; --public as the public)."""
    from accompaniment.io.export import export_directory

    store = _open(database_url)
    try:
        actor = PUBLIC if public else SYSTEM
        written = export_directory(store, actor, file_format.value, out, lang=lang or _message_lang)
    finally:
        store.close()
    typer.echo(f"ok: {len(written)} files written to {out}")


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    state: Annotated[
        str | None,
        typer.Option("--state", help="The state: name, INEGI code or ISO code (Oaxaca, 20, MX-OAX)."),
    ] = None,
    national: Annotated[bool, typer.Option("--national", help="The national summary instead.")] = False,
    start: Annotated[str | None, typer.Option("--from", help="Start of the period (dd/mm/aaaa).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="End of the period (dd/mm/aaaa).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the report: es or en.")] = None,
    database_url: UrlOption = None,
) -> None:
    """Write the printable PDF report of one STL (--state) or the national summary (--national)."""
    from accompaniment.io.report import state_report
    from accompaniment.io.report_national import national_report

    if national == (state is not None):
        raise typer.BadParameter("give either --state INEGI_CODE or --national", param_hint="--state")
    period = {"start": _date(start, "--from"), "end": _date(end, "--to"), "lang": lang or _message_lang}
    store = _open(database_url)
    try:
        if national:
            content = national_report(store, SYSTEM, **period)
        else:
            from accompaniment.io.importing import state_code_for

            content = state_report(store, SYSTEM, state_code_for(store, SYSTEM, state or ""), **period)
    finally:
        store.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    typer.echo(f"ok: report written to {out}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX file.")],
    kind: Annotated[
        str, typer.Option("--kind", help="sessions, workshops, agreements, commitments or milestones.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report only; write nothing.")] = False,
    database_url: UrlOption = None,
) -> None:
    """Import rows from a CSV or XLSX file: every row or none. Exit code 1 when the file has problems."""
    from accompaniment.io.importing import KINDS, commit_preview, preview_import

    if kind not in KINDS:
        raise typer.BadParameter(f"choose one of {', '.join(KINDS)}", param_hint="--kind")
    store = _open(database_url)
    try:
        preview = preview_import(store, SYSTEM, kind, file.read_bytes(), file.name)
        say = i18n.t  # every line in the user's language, as the row messages are (issue 20)
        for notice in preview.notices:
            typer.echo(
                say("roundtrip.cli.notice", _message_lang, message=notice.message(_message_lang)), err=True
            )
        for problem in preview.problems:
            typer.echo(
                say("roundtrip.cli.problem", _message_lang, message=problem.message(_message_lang)), err=True
            )
        if preview.problems:
            typer.echo(say("roundtrip.cli.rejected", _message_lang, count=len(preview.problems)), err=True)
            raise typer.Exit(1)
        for line in preview.change_lines(_message_lang):
            typer.echo(say("roundtrip.cli.change", _message_lang, line=line))
        if dry_run:
            typer.echo(say("roundtrip.cli.dry_run", _message_lang, summary=preview.summary(_message_lang)))
            return
        result = commit_preview(store, SYSTEM, preview)
    finally:
        store.close()
    plans = (
        say("roundtrip.cli.plans_created", _message_lang, count=result.plans_created)
        if result.plans_created
        else ""
    )
    summary = say(
        "roundtrip.summary",
        _message_lang,
        new=result.created,
        updated=result.updated,
        unchanged=result.skipped,
    )
    typer.echo(say("roundtrip.cli.done", _message_lang, summary=summary) + plans)


@app.command()
def backup(
    out: Annotated[Path, typer.Argument(help="Zip file to write (or a folder: a dated name is used).")],
    database_url: UrlOption = None,
) -> None:
    """Write a portable backup of every table (DuckDB is checkpointed first)."""
    from accompaniment.io.backup import write_backup

    if out.is_dir():
        out = out / f"accompaniment-{datetime.now(UTC):%Y%m%d-%H%M%S}.zip"
    store = _open(database_url)
    try:
        summary = write_backup(store, SYSTEM, out)
    finally:
        store.close()
    typer.echo(
        f"ok: backup of {summary.rows} rows in {summary.tables} tables (schema {summary.revision}) -> {out}"
    )


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Backup zip file.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace a database that already holds data.")
    ] = False,
    database_url: UrlOption = None,
) -> None:
    """Restore a backup into the database (empty, unless --replace)."""
    from accompaniment.io.backup import restore_backup

    store = _open(database_url)
    try:
        summary = restore_backup(store, SYSTEM, source, replace=replace)
    finally:
        store.close()
    typer.echo(f"ok: restored {summary.rows} rows in {summary.tables} tables (schema {summary.revision})")


@app.command()
def remind(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send nothing.")
    ] = False,
    to: Annotated[str | None, typer.Option("--to", help="Only this account (username).")] = None,
    today: Annotated[str | None, typer.Option(help="Day of the digest YYYY-MM-DD (default: today).")] = None,
    database_url: UrlOption = None,
) -> None:
    """E-mail each account its digest of what is due and overdue (once a day; for cron or a systemd timer)."""
    from accompaniment.io.mailer import SmtpConfig
    from accompaniment.io.remind import FAILED, run_reminders

    config = SmtpConfig.from_settings()
    if config is None and not dry_run:
        typer.echo(
            "error: no SMTP server configured (setting smtp_host, or [smtp] host in secrets)", err=True
        )
        raise typer.Exit(1)
    store = _open(database_url)
    try:
        day = _date(today, "--today")
        outcomes = run_reminders(store, config, today=day, dry_run=dry_run, username=to)
    finally:
        store.close()
    for outcome in outcomes:
        line = f"{outcome.status}: {outcome.username} <{outcome.email}> ({outcome.items} items)"
        typer.echo(f"{line}: {outcome.error}" if outcome.error else line, err=outcome.status == FAILED)
        if outcome.message is not None:
            typer.echo(outcome.message.as_string())
    if to is not None and not outcomes:
        typer.echo(f"error: no account {to} with an e-mail and the digest on", err=True)
        raise typer.Exit(1)
    if any(o.status == FAILED for o in outcomes):
        raise typer.Exit(1)


def main() -> None:
    """Entry point: turn our typed errors into a clear message and exit code 1, never a traceback."""
    global _message_lang
    lang = "en" if "--lang=en" in sys.argv else i18n.DEFAULT_LANGUAGE
    _message_lang = lang
    sys.argv = [a for a in sys.argv if not a.startswith("--lang=")]
    try:
        code = app(standalone_mode=False)
        if (
            isinstance(code, int) and code
        ):  # typer.Exit(n) comes back as a return value outside standalone mode
            raise SystemExit(code)
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
