"""Argument types for the subcommands: numbers are checked while parsing, with a Dutch message."""
from __future__ import annotations

import argparse

from core.i18n import tr

_CTX = "cli"
MAX_ID = 2 ** 63 - 1          # SQLite INTEGER


def record_id(text: str) -> int:
    """The id of a dossier, worker...: a whole number from 1 (anything larger than SQLite holds is refused)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr(_CTX, "{tekst} is geen id: geef een geheel getal, bv. 12.").format(
            tekst=text)) from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(tr(_CTX, "{tekst} is geen geldig id: een id is een geheel getal vanaf 1.").format(
            tekst=text))
    return value


def positive_int(text: str) -> int:
    """A count such as --top: a whole number from 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr(_CTX, "{tekst} is geen geheel getal.").format(tekst=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(tr(_CTX, "{tekst} is te klein: geef een getal vanaf 1.").format(tekst=text))
    return min(value, MAX_ID)
