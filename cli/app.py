"""Argument parsing and dispatch for ``python main.py``."""
from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import re
import sqlite3
import sys
from pathlib import Path

import cli
from cli.context import AppContext
from core.errors import UserError
from core.i18n import tr
from core.validation import ValidationError
from core.version import __version__
from db.errors import DatabaseError

_CTX = "cli"
log = logging.getLogger("werkbrug")


# argparse reports in English; its messages as Dutch sentences (unknown ones are shown as they are)
_ARGPARSE_NL = [
    (re.compile(r"^argument (?P<opt>[^:]+): (?P<rest>.*)$", re.S), "{opt}: {rest}"),
    (re.compile(r"^invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)$", re.S),
     "ongeldige keuze {value} (kies uit {choices})"),
    (re.compile(r"^invalid \w+ value: (?P<value>.*)$", re.S), "ongeldige waarde {value}"),
    (re.compile(r"^the following arguments are required: (?P<args>.*)$", re.S), "deze gegevens ontbreken: {args}"),
    (re.compile(r"^unrecognized arguments: (?P<args>.*)$", re.S), "onbekende argumenten: {args}"),
    (re.compile(r"^one of the arguments (?P<args>.*) is required$", re.S), "geef een van deze argumenten: {args}"),
    (re.compile(r"^not allowed with argument (?P<arg>.*)$", re.S), "niet samen met {arg}"),
    (re.compile(r"^ambiguous option: (?P<opt>\S+) could match (?P<matches>.*)$", re.S),
     "dubbelzinnige optie {opt}: kan {matches} zijn"),
    (re.compile(r"^expected one argument$"), "hier hoort een waarde bij"),
    (re.compile(r"^expected at least one argument$"), "hier hoort minstens een waarde bij"),
    (re.compile(r"^expected 1 argument$"), "hier hoort 1 waarde bij"),
    (re.compile(r"^expected (?P<n>\d+) arguments?$"), "hier horen {n} waarden bij"),
]


def argparse_message_nl(message: str) -> str:
    """argparse's English error message in Dutch (nested ``argument X: ...`` messages too)."""
    for pattern, template in _ARGPARSE_NL:
        m = pattern.match(message)
        if m:
            parts = m.groupdict()
            if "rest" in parts:
                parts["rest"] = argparse_message_nl(parts["rest"])
            return tr(_CTX, template).format(**parts)
    return message


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Dutch ``usage:`` prefix."""

    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = tr(_CTX, "gebruik: ")
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch help (headings, -h) and Dutch one-line errors.

    The headings and the help of -h are argparse's own English strings; they are replaced here
    rather than through gettext, which would change argparse for the whole process."""

    def __init__(self, *args, add_help: bool = True, formatter_class=_HelpFormatter, **kwargs):
        super().__init__(*args, add_help=False, formatter_class=formatter_class, **kwargs)
        self._positionals.title = tr(_CTX, "positionele argumenten")
        self._optionals.title = tr(_CTX, "opties")
        if add_help:
            dash = "-" if "-" in self.prefix_chars else self.prefix_chars[0]
            self.add_argument(dash + "h", dash * 2 + "help", action="help", default=argparse.SUPPRESS,
                              help=tr(_CTX, "toon deze hulp en stop"))

    def error(self, message: str):  # one line, in Dutch, exit 2, no usage dump
        message = " ".join(argparse_message_nl(message).split())
        self.exit(2, f"{self.prog}: {tr(_CTX, 'fout')}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="werkbrug", description=tr(_CTX, "Werkbrug: van tewerkstellingscel naar knelpuntberoep. "
                                                      "Zonder subcommando opent het venster."))
    p.add_argument("--db", type=Path, metavar="PAD",
                   help=tr(_CTX, "databasebestand (standaard: WERKBRUG_DB of de gebruikersmap)"))
    p.add_argument("--yes", "-y", dest="assume_yes", action="store_true", help=_yes_help())
    p.add_argument("--version", action="version", version=f"Werkbrug {__version__}",
                   help=tr(_CTX, "toon het versienummer en stop"))
    p.add_argument("--self-test", action="store_true",
                   help=tr(_CTX, "controleer of deze installatie werkt (zonder scherm) en stop"))
    sub = p.add_subparsers(dest="command", metavar="SUBCOMMANDO", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda i: i.name):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"cli.{info.name}").register(sub)
    _accept_yes_everywhere(p)
    return p


def _yes_help() -> str:
    return tr(_CTX, "bevestig vragen vooraf (zoals het versleutelen van een oude database)")


def _accept_yes_everywhere(parser: argparse.ArgumentParser, seen: set | None = None) -> None:
    """``--yes`` is accepted after every subcommand too (``gdpr anonymise --worker 1 --yes``), not only
    before it. A subcommand with a ``--yes`` of its own keeps it; the global one also sets it."""
    seen = set() if seen is None else seen
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in action.choices.values():
            if id(sub) in seen:
                continue
            seen.add(id(sub))
            if "--yes" not in sub._option_string_actions:
                flags = ["--yes"] + (["-y"] if "-y" not in sub._option_string_actions else [])
                sub.add_argument(*flags, dest="assume_yes", action="store_true", default=argparse.SUPPRESS,
                                 help=_yes_help())
            _accept_yes_everywhere(sub, seen)


# Commands that only read (audit entries aside) run while the window is open. Every other command
# changes data and holds the database's lock (db/instance_lock.py) as the window does: it is refused
# while a window is open, and a window does not open while it runs (see docs/DEVELOPING.md).
READ_ONLY_COMMANDS = frozenset({
    "cli.cmd_accounts.run_list", "cli.cmd_audit.run_verify", "cli.cmd_audit.run_list", "cli.cmd_audit.run_export",
    "cli.cmd_backup.run_backup", "cli.cmd_esco.run_titles", "cli.cmd_export.run", "cli.cmd_export.run_cell_report",
    "cli.cmd_gdpr.run_export", "cli.cmd_list.run_dossiers", "cli.cmd_list.run_workers", "cli.cmd_match.run_match",
    "cli.cmd_reference.run_status", "cli.cmd_selftest.run", "cli.cmd_transfer.run_export",
})


def command_name(func) -> str:
    return f"{getattr(func, '__module__', '')}.{getattr(func, '__name__', '')}"


def _writer_lock(args, ctx):
    """The database's lock for a command that writes (DatabaseInUse while a window holds it); else nothing."""
    import contextlib
    if command_name(args.func) in READ_ONLY_COMMANDS:
        return contextlib.nullcontext()
    from db.connection import default_database_path
    from db.instance_lock import COMMAND, InstanceLock
    what = " ".join(str(a) for a in (args.command, *(getattr(args, k, None) for k in vars(args) if k.endswith("_cmd")))
                    if a)
    return InstanceLock(ctx.db_path or default_database_path()).acquire(COMMAND, what)


def run(argv: list[str] | None = None) -> int:
    from core.logging_setup import setup_logging
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    assume_yes = bool(getattr(args, "assume_yes", False))
    if assume_yes and hasattr(args, "yes"):      # the global --yes also answers a subcommand's own question
        args.yes = True
    ctx = AppContext(db_path=args.db, assume_yes=assume_yes or bool(getattr(args, "yes", False)))
    try:
        if args.self_test:
            from cli.cmd_selftest import run as run_selftest
            return run_selftest(args, ctx)
        if args.command is None:
            from gui.app import run_gui
            return run_gui(ctx, argv or [])
        with _writer_lock(args, ctx):
            return int(args.func(args, ctx) or 0)
    except (UserError, DatabaseError, ValidationError) as e:
        print(f"werkbrug: {tr(_CTX, 'fout')}: {e}", file=sys.stderr)
        return 2
    except sqlite3.Error as e:
        log.exception("database error")
        print(f"werkbrug: {tr(_CTX, 'databasefout')}: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"werkbrug: {tr(_CTX, 'onderbroken')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # a file or folder the user named: one line in Dutch, nothing half-written
        log.info("file error: %s", e.__class__.__name__)
        from core.fileio import os_error_path, os_reason
        print(f"werkbrug: {tr(_CTX, 'fout')}: " + tr(_CTX, "{pad}: {reden}.").format(
            pad=os_error_path(e, tr(_CTX, "bestand")), reden=os_reason(e)), file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - last line of defence: log it, show one line
        log.exception("unexpected error")
        from core.logging_setup import log_file
        print(f"werkbrug: {tr(_CTX, 'interne fout')}: {e.__class__.__name__}: {e} "
              f"({tr(_CTX, 'details in')} {log_file()})", file=sys.stderr)
        return 1
    finally:
        ctx.close()
