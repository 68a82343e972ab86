"""Configuration: defaults, then the environment, then the instance folder, then a test's own."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import ROOT


def configure(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill app.config in order: defaults, environment, instance/config.py, test_config."""
    app.config.from_mapping(
        QUESTIONS_DIR=str(ROOT / "questions"),
    )
    if os.environ.get("QUESTIONS_DIR"):
        app.config["QUESTIONS_DIR"] = os.environ["QUESTIONS_DIR"]
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
