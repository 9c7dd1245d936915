"""``backup [--out FILE]`` and ``restore FILE``."""
from __future__ import annotations

import getpass
import json
import os

from cli.argtypes import input_file
from core.errors import UserError
from core.i18n import tr

_CTX = "cli"


def register(sub) -> None:
    p = sub.add_parser("backup", help=tr(_CTX, "maak een reservekopie van de database"))
    p.add_argument("--out", metavar="BESTAND", help=tr(_CTX, "doelbestand (standaard: map backups naast de database)"))
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.set_defaults(func=run_backup)
    p = sub.add_parser("restore", help=tr(_CTX, "zet een reservekopie terug (de huidige database blijft bewaard)"))
    p.add_argument("file", metavar="BESTAND")
    p.add_argument("--json", action="store_true", help=tr(_CTX, "resultaat als JSON"))
    p.set_defaults(func=run_restore)


def _db_path(ctx):
    from db.connection import default_database_path
    return ctx.db_path or default_database_path()


def _has_data(path) -> bool:
    try:
        return path.exists() and (not path.is_file() or path.stat().st_size > 0)
    except OSError:
        return True


def run_backup(args, ctx) -> int:
    from db.backup import backup_dir_for, backup_now, backup_to
    path = backup_to(ctx.db, args.out) if args.out else backup_now(ctx.db, backup_dir_for(_db_path(ctx)))
    if args.json:
        print(json.dumps({"backup": str(path)}, ensure_ascii=False))
    else:
        print(tr(_CTX, "Reservekopie gemaakt: {pad}").format(pad=path))
    return 0


ENV_BACKUP_PASSWORD = "WERKBRUG_BACKUP_PASSWORD"


def backup_password() -> str | None:
    """The password that held when the backup was made, when it differs from today's: from
    WERKBRUG_BACKUP_PASSWORD, else asked on the terminal (None without a terminal)."""
    value = os.environ.get(ENV_BACKUP_PASSWORD)
    if value:
        return value
    from cli.cmd_accounts import _interactive
    if not _interactive():
        return None
    return getpass.getpass(tr(_CTX, "Je wachtwoord van toen de reservekopie gemaakt werd: ")) or None


def _unlocker(login: str, password: str):
    """How to open the backup's key file: it must let the account in (else nobody could sign in after
    the restore). A password changed since the backup: the one of then, from WERKBRUG_BACKUP_PASSWORD
    or asked on the terminal."""
    def unlock(keys):
        try:
            return keys.unlock(login, password)
        except UserError:
            other = backup_password()
            if other is None or other == password:
                raise
            return keys.unlock(login, other)
    return unlock


def run_restore(args, ctx) -> int:
    from db import connection as dbc
    from db.backup import BackupError, restore
    from cli.cmd_accounts import ask_credentials, sign_in
    from core.keystore import keyfile_path
    backup = input_file(args.file)            # a wrong path is said before signing in
    key = None
    credentials: list = []
    if _has_data(_db_path(ctx)):
        ctx.session = sign_in(ctx, remember=credentials)   # only a known account may replace the database
        key = dbc.database_key(ctx.db)
    elif keyfile_path(backup).exists():        # no database (or an empty one): the backup's key file decides
        credentials.append(ask_credentials())
    unlock = _unlocker(*credentials[0]) if credentials else None
    ctx.close()
    try:
        info, aside = restore(backup, _db_path(ctx), key=key, unlock=unlock)
    except BackupError as e:
        raise UserError(str(e)) from None
    previous = aside if aside.exists() else None      # there was no database before
    if args.json:
        print(json.dumps({"restored": str(info.path), "schema": info.schema, "dossiers": info.dossiers,
                          "workers": info.workers, "previous": str(previous) if previous else None},
                         ensure_ascii=False))
    elif previous is not None:
        print(tr(_CTX, "Reservekopie teruggezet ({d} dossiers, {w} werknemers). De vorige database staat in {pad}.")
              .format(d=info.dossiers, w=info.workers, pad=previous))
    else:
        print(tr(_CTX, "Reservekopie teruggezet ({d} dossiers, {w} werknemers).").format(
            d=info.dossiers, w=info.workers))
    return 0
