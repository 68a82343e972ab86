"""The `quizapp` command: Flask's own commands (run, shell, db) plus the project's."""

from __future__ import annotations

import sys
import typing

import click
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate.cli import db as migrate_db

from .domain.formats import EXPORT_FORMATS


def _create_app():  # FlaskGroup calls it with no arguments
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """quizapp: history quizzes in Arabic and English."""


@main.group()
def bank() -> None:
    """Validate, import and export bank files."""


def _load_target(target: str):  # type: ignore[no-untyped-def]
    """The bank named by a file's path or by its slug in QUESTIONS_DIR; problems exit 1."""
    from pathlib import Path

    from flask.cli import ScriptInfo

    from .domain.formats.bankfile import find_bank_file, load_bank
    from .domain.problems import BankFileError

    path = Path(target)
    if not (path.is_file() or target.endswith((".yaml", ".yml"))):
        # Only a slug needs the app (for its QUESTIONS_DIR): a file loads even if the web app is broken.
        folder = click.get_current_context().ensure_object(ScriptInfo).load_app().config["QUESTIONS_DIR"]
        found = find_bank_file(folder, target)
        if found is None:
            raise click.ClickException(f'no bank with slug "{target}" in {folder}')
        path = found
    try:
        return load_bank(path)
    except BankFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None


@bank.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def bank_validate(paths: tuple[str, ...]) -> None:
    """Check bank files (a folder: its *.yaml); print `path:line: where: message` per problem."""
    from .domain.formats.bankfile import bank_files, validate_file

    files = [f for p in paths for f in bank_files(p)]
    problems = [problem for f in files for problem in validate_file(f)]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise SystemExit(1)
    click.echo(f"ok: {len(files)} bank file{'s' * (len(files) != 1)} valid", err=True)


@bank.command("export", with_appcontext=False)
@click.argument("target", metavar="SLUG|PATH")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="json",
    show_default=True,
    help="json: the export contract; yaml: a bank file; gift, moodle-xml: questions for Moodle.",
)
def bank_export(target: str, fmt: str) -> None:
    """Print a bank: a bank file named by its path, else the bank of that slug as it stands in the
    database (as teachers edited it), else the file of that slug in QUESTIONS_DIR."""
    out = EXPORT_FORMATS[fmt](_stored_or_file(target))
    click.echo(out, nl=not out.endswith("\n"))


def _stored_or_file(target: str):  # type: ignore[no-untyped-def]
    """The bank of a path (a file), else of a slug in the database, else of a slug's file."""
    from pathlib import Path

    if Path(target).is_file() or target.endswith((".yaml", ".yml")):
        return _load_target(target)
    from flask.cli import ScriptInfo
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        from .banks import to_domain
        from .extensions import db
        from .models import Bank

        try:
            row = db.session.scalar(select(Bank).where(Bank.slug == target, Bank.deleted.is_(False)))
        except SQLAlchemyError:  # no database yet (before `quizapp db upgrade`): the files serve
            db.session.rollback()
            row = None
        if row is not None:
            return to_domain(row)
    return _load_target(target)


@main.command("generate", with_appcontext=False)
@click.argument("target", metavar="SLUG|PATH")
@click.option("--lang", type=click.Choice(["ar", "en"]), default="ar", show_default=True)
@click.option("--count", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--seed", default="1", show_default=True, help="The same seed gives the same quiz.")
@click.option(
    "--kind", "kinds", multiple=True, help="A kind of question (repeatable); default: the usual mix."
)
def generate(target: str, lang: str, count: int, seed: str, kinds: tuple[str, ...]) -> None:
    """Print a generated quiz, one JSON object per question; skipped kinds go to stderr."""
    import json

    from .domain.generate import ALL_KINDS, Settings, generate_quiz

    unknown = [k for k in kinds if k not in ALL_KINDS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)} (known: {', '.join(ALL_KINDS)})", param_hint="--kind")
    loaded = _load_target(target)
    # An integer seed and its decimal string give the same quiz (the generator seeds from str).
    quiz = generate_quiz(loaded, seed, Settings(count=count, kinds=kinds or None))
    for kind, reason in quiz.skipped.items():
        click.echo(f"skipped {kind}: {reason}", err=True)
    for question in quiz.questions:
        click.echo(json.dumps(question.to_json_line(lang), ensure_ascii=False))


@bank.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def bank_import(paths: tuple[str, ...]) -> None:
    """Load or update banks from their files (default: every file in QUESTIONS_DIR).

    Nothing is saved unless every file is valid. Past attempts keep their own snapshots.
    """
    from flask import current_app

    from .banks import save_bank
    from .domain.formats.bankfile import bank_files, load_bank
    from .domain.problems import BankFileError
    from .extensions import db

    files = [f for p in (paths or (current_app.config["QUESTIONS_DIR"],)) for f in bank_files(p)]
    loaded, failed = [], False
    for f in files:
        try:
            loaded.append(load_bank(f))
        except BankFileError as err:
            failed = True
            for problem in err.problems:
                click.echo(str(problem), err=True)
    if failed:
        raise SystemExit(1)
    for b in loaded:
        row = save_bank(b)
        click.echo(
            f"imported {b.slug}: {len(b.events)} events, {len(b.questions)} questions (version {row.version})"
        )
    db.session.commit()


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["student", "teacher", "admin"]), default="student", show_default=True
)
@click.option("--name", "display_name", help="The name shown in the app (default: the username).")
@click.option(
    "--password",
    help="Asked for twice at a terminal, else read from the first line of standard input "
    "(echo \"$PW\" | quizapp user create ...); QUIZAPP_PASSWORD in the environment also works.",
    envvar="QUIZAPP_PASSWORD",
)
def user_create(username: str, role: str, display_name: str | None, password: str | None) -> None:
    """Make an account; the password is asked for twice at a terminal, read from a pipe without a
    prompt (getpass warned that it could not hide a piped password), never defaulted."""
    from sqlalchemy import func, select

    from .extensions import db
    from .models import User

    if password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    from flask_babel import force_locale

    from .passwords import password_problem

    problem = password_problem(password, username)  # the sign-up's rules: an admin's too
    if problem is not None:
        with force_locale("en"):
            raise click.BadParameter(str(problem), param_hint="--password")
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise click.ClickException(f'the username "{username}" is taken')
    account = User(username=username, display_name=display_name or username, role=role)
    account.set_password(password)
    db.session.add(account)
    db.session.commit()
    click.echo(f"created {role} {username}")


@main.command("extract", with_appcontext=False)
@click.argument("file", type=click.File("rb"))
@click.option("--lang", type=click.Choice(["ar", "en"]), required=True, help="The language of the text.")
def extract_command(file: typing.BinaryIO, lang: str) -> None:
    """Print the dated events a text proposes, as a JSON list in text order (FILE may be "-")."""
    import json

    from .domain.extract import extract

    # Bytes decoded as they are, line ends included, so start/end are offsets into the file's text.
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise click.ClickException(f"{file.name} is not UTF-8 text: {err}") from None
    proposals = extract(text, lang)
    click.echo(json.dumps([p.to_dict() for p in proposals], ensure_ascii=False, indent=2))


@migrate_db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def db_backup(path: str) -> None:
    """Copy the live SQLite database to PATH, safely while the app runs (PostgreSQL: use pg_dump).

    The copy is SQLite's online backup, written to a temporary file beside PATH, checked, then renamed
    over PATH: PATH is never a half-written file.
    """
    import os
    import secrets
    import sqlite3
    from pathlib import Path

    from .extensions import db

    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        # Without the password (pg_dump reads PGPASSWORD or ~/.pgpass) and without "+psycopg".
        plain = url._replace(drivername=url.get_backend_name(), password=None)
        click.echo(
            "quizapp db backup copies SQLite databases only. For PostgreSQL run:\n"
            f"  pg_dump --format=custom --file {path} '{plain.render_as_string(hide_password=False)}'\n"
            f"and restore with: pg_restore --clean --if-exists --dbname '<database url>' {path}",
            err=True,
        )
        raise SystemExit(1)
    if not url.database or url.database == ":memory:":
        raise click.ClickException("the database is in memory: there is no file to back up")
    if not Path(url.database).is_file():
        raise click.ClickException(f"no database at {url.database}: run `quizapp db upgrade` first")
    target = Path(path).resolve()
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    source = sqlite3.connect(url.database)
    try:
        copy = sqlite3.connect(temp)
        try:
            source.backup(copy)  # a consistent snapshot, even while others write (WAL)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            problem = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
        if problem != "ok":
            raise click.ClickException(f"the copy failed its check: {problem}")
        os.replace(temp, target)
    finally:
        source.close()
        temp.unlink(missing_ok=True)
    click.echo(f"backed up {url.database} to {target} ({target.stat().st_size} bytes)")


@bank.command("import-moodle")
@click.argument("file", type=click.File("rb"))
@click.option("--bank", "slug", required=True, help="The slug of the bank (in the database) to add to.")
@click.option("--strict", is_flag=True, help="Refuse the whole file if any question cannot be imported.")
@click.option(
    "--partial", is_flag=True, hidden=True, help="Kept for old scripts: importing what can be is the default."
)
def bank_import_moodle(file: typing.BinaryIO, slug: str, strict: bool, partial: bool) -> None:
    """Add a Moodle file's questions to a bank as hand-written ones: GIFT, Moodle XML or Aiken.

    Every question of a kind the app has is imported (multiple choice with one or several right
    answers, true/false, numerical, short answer, matching, ordering); the others (essays,
    descriptions, cloze ...) are skipped and listed on stderr as `path:line: message`, with the
    warnings (what imported questions lost). Exits 0 when anything was imported, 1 when nothing
    was, or with --strict when anything was skipped (nothing is saved then). A file is Moodle XML
    when it begins with <?xml or <quiz or its name ends in .xml; Aiken when it has `ANSWER: X`
    lines and no GIFT braces, or its name ends in .aiken; GIFT otherwise. Also named `import-gift`.
    """
    from sqlalchemy import select

    from .banks import save_bank, to_domain
    from .domain.formats import add_moodle
    from .domain.formats.moodle_common import MAX_IMPORT_BYTES
    from .domain.problems import BankFileError
    from .domain.validate import validate_bank
    from .extensions import db
    from .models import Bank

    row = db.session.scalar(select(Bank).where(Bank.slug == slug, Bank.deleted.is_(False)))
    if row is None:
        raise click.ClickException(f'no bank with slug "{slug}" in the database')
    try:
        bank, result = add_moodle(to_domain(row), file.read(MAX_IMPORT_BYTES + 1), file.name, strict)
    except BankFileError as err:
        for problem in err.problems:
            click.echo(str(problem), err=True)
        click.echo("nothing imported", err=True)
        raise SystemExit(1) from None
    for problem in result.problems:
        click.echo(f"skipped: {problem}", err=True)
    for problem in result.warnings:
        click.echo(f"warning: {problem}", err=True)
    refused = validate_bank(bank)  # the bank's own limits (size, count) with the questions added
    if refused:
        for problem in refused:
            click.echo(str(problem), err=True)
        click.echo("nothing imported", err=True)
        raise SystemExit(1)
    saved = save_bank(bank, owner_id=row.owner_id, published=row.published)
    db.session.commit()
    count, skipped = len(result.questions), len(result.problems)
    click.echo(
        f"imported {count} question{'s' * (count != 1)} into {slug} (version {saved.version})"
        + (f"; skipped {skipped}" if skipped else "")
    )


# Its name from when only GIFT was read, kept for the scripts that use it.
bank.add_command(bank_import_moodle, "import-gift")
