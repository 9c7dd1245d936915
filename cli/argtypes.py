"""Argument types for the subcommands: numbers are checked while parsing, files to read before the
command starts; each with a Dutch message."""
from __future__ import annotations

import argparse
from pathlib import Path

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


def input_file(text: str | Path) -> Path:
    """A file the command is to read: it must exist, be a file (not a folder) and be readable.

    Checked before anything else happens (signing in, asking a passphrase), so a wrong path costs
    nothing and writes nothing. Raises UserError with a Dutch reason."""
    from core.errors import UserError
    from core.fileio import os_reason
    path = Path(text)
    try:
        if path.is_dir():
            raise UserError(tr(_CTX, "{pad} is een map, geen bestand. Geef het pad van het bestand zelf.").format(
                pad=path))
        if not path.exists():
            raise UserError(tr(_CTX, "Het bestand {pad} bestaat niet.").format(pad=path))
        with open(path, "rb") as fh:
            fh.read(1)
    except OSError as e:
        raise UserError(tr(_CTX, "{pad} kan niet gelezen worden: {reden}.").format(pad=path, reden=os_reason(e))) from None
    return path
