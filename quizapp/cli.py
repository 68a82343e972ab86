"""The `quizapp` command: Flask's own commands (run, shell, db) plus the project's."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():  # FlaskGroup calls it with no arguments
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """quizapp: history quizzes in Arabic and English."""


@main.group()
def bank() -> None:
    """Validate, import and export bank files."""
