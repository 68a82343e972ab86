"""Question generators: one module per kind, registered by name, and quiz assembly from a seed."""

from __future__ import annotations

# Importing each kind's module registers it in Kind.registry.
from . import authored, date_event, event_date, event_kinds, fact, first_last, interval, ordering  # noqa: F401
from .base import Kind, Question, Settings, Unsupported
from .quiz import ALL_KINDS, EXTRA_KINDS, KINDS, Quiz, available_kinds, check_settings, generate_quiz

__all__ = [
    "ALL_KINDS",
    "EXTRA_KINDS",
    "KINDS",
    "Kind",
    "Question",
    "Quiz",
    "Settings",
    "Unsupported",
    "available_kinds",
    "check_settings",
    "generate_quiz",
]
