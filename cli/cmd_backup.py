"""``backup [--out FILE]`` and ``restore FILE`` (a beheerder only; erasures made after the backup are
listed, confirmed and applied again)."""
from __future__ import annotations

import getpass
import json
import os
import sys

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
    p.add_argument("--reapply-erasures", action="store_true",
                   help=tr(_CTX, "zonder vraag terugzetten wanneer na de reservekopie gegevens gewist werden "
                                 "(anonimiseren, bewaartermijn): die wissingen worden opnieuw toegepast"))
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


def backup_unlocker(login: str, password: str, ask_other=None, tries: int = 1):
    """How to open the backup's key file (``unlock`` of db.backup.restore): it must let the account in
    (else nobody could sign in after the restore). A password changed since the backup: the one of
    then, from ``ask_other()`` (default: WERKBRUG_BACKUP_PASSWORD or asked on the terminal; the window
    asks in a password field; None: there is none), asked up to ``tries`` times while the one given does
    not open it. ``unlock.used_other`` tells whether that one opened it."""
    def unlock(keys):
        try:
            return keys.unlock(login, password)
        except UserError as e:
            refused = e
        for attempt in range(max(1, tries)):
            other = (ask_other or backup_password)()
            if other is None or other == password:
                raise refused
            try:
                raw = keys.unlock(login, other)
            except UserError as e:
                refused = e
                continue
            unlock.used_other = True
            return raw
        raise refused
    unlock.used_other = False
    return unlock


def erasures_text(lost) -> str:
    """The warning before a restore that would bring erased data back: what, when, by whom."""
    from core.dates import local_time_text
    from db.audit import action_label
    lines = [tr(_CTX, "Let op: na deze reservekopie werden in de huidige database gegevens gewist (AVG):")]
    for e in lost.entries:
        what = (tr(_CTX, "1 werknemer") if e.count == 1 else tr(_CTX, "{n} werknemers").format(n=e.count)) \
            if e.action == "anonymise" else (tr(_CTX, "dossier {ids}") if len(e.dossier_ids) == 1 else
                                             tr(_CTX, "dossiers {ids}")).format(ids=", ".join(map(str, e.dossier_ids)))
        ids = ""
        if e.action == "anonymise" and e.worker_ids:
            shown = ", ".join(str(i) for i in e.worker_ids[:20]) + (", …" if len(e.worker_ids) > 20 else "")
            ids = " " + tr(_CTX, "(nr. {ids})").format(ids=shown)
        reason = f", {tr(_CTX, 'reden')}: {e.reason}" if e.reason else ""
        lines.append(f"  {local_time_text(e.ts)}  {e.actor}: {action_label(e.action)} {what}{ids}{reason}")
    if lost.workers:
        lines.append((tr(_CTX, "De reservekopie bevat de identiteit van 1 van die werknemers nog (naam, INSZ, adres, "
                               "notities, functionele beperkingen).") if lost.workers == 1 else
                      tr(_CTX, "De reservekopie bevat de identiteit van {n} van die werknemers nog (naam, INSZ, adres, "
                               "notities, functionele beperkingen).").format(n=lost.workers)))
        lines.append(tr(_CTX, "Werkbrug anonimiseert ze na het terugzetten opnieuw en schrijft dat in het auditlog."))
    else:
        lines.append(tr(_CTX, "Die werknemers staan niet (meer) identificeerbaar in de reservekopie: er komt niets "
                              "terug."))
    lines.append(tr(_CTX, "De regels van het auditlog van na de reservekopie komen niet terug; het terugzetten "
                          "vermeldt deze wissingen in het auditlog, en de huidige database blijft bewaard naast de "
                          "nieuwe."))
    return "\n".join(lines)


def _confirm_erasures(args):
    """``on_erasures`` of db.backup.restore: warn, then ask (terminal) or require --reapply-erasures."""
    from cli.cmd_accounts import _interactive

    def confirm(lost) -> bool:
        confirm.lost = lost
        sys.stderr.write(erasures_text(lost) + "\n")
        if args.reapply_erasures:
            return True
        if not _interactive():
            raise UserError(tr(_CTX, "Bevestiging nodig: herhaal het commando met --reapply-erasures (--yes "
                                     "volstaat hier niet). Er werd niets gewijzigd."))
        sys.stderr.write(tr(_CTX, "Reservekopie terugzetten en de wissingen opnieuw toepassen?") + " [j/N] ")
        sys.stderr.flush()
        return sys.stdin.readline().strip().lower() in ("j", "ja", "y", "yes")
    confirm.lost = None
    return confirm


def run_restore(args, ctx) -> int:
    from db import connection as dbc
    from db.accounts import require
    from db.backup import BackupError, BackupKeyRefused, RestoreCancelled, check_backup_kind, restore
    from cli.cmd_accounts import ask_credentials, sign_in
    from core.keystore import keyfile_path
    backup = input_file(args.file)            # a wrong path is said before signing in
    try:
        check_backup_kind(backup)             # so is a transfer file or a file that is no backup at all
    except BackupError as e:
        raise UserError(str(e)) from None
    key = None
    credentials: list = []
    principal = admin_login = None
    if _has_data(_db_path(ctx)):
        ctx.session = sign_in(ctx, remember=credentials)   # only a known account may replace the database
        principal = ctx.session.principal
        require(principal, principal.manages_accounts, tr(_CTX, "een reservekopie terugzetten (dat doet een "
                                                               "beheerder)"))
        key = dbc.database_key(ctx.db)
    elif keyfile_path(backup).exists():        # no database (or an empty one): the backup's key file decides
        credentials.append(ask_credentials())
        admin_login = credentials[0][0]        # ... and must let in a beheerder of the backup
    unlock = backup_unlocker(*credentials[0]) if credentials else None
    actor = credentials[0][0] if credentials else None
    ctx.close()
    confirm = _confirm_erasures(args)
    try:
        info, aside = restore(backup, _db_path(ctx), key=key, unlock=unlock, principal=principal, actor=actor,
                              admin_login=admin_login, on_erasures=confirm)
    except RestoreCancelled:
        print(tr(_CTX, "Niets gewijzigd."))
        return 1
    except BackupKeyRefused as e:
        raise UserError(tr(_CTX, "Het sleutelbestand {pad} van de reservekopie geeft je account geen toegang "
                                 "(bestond je account toen al? Was je wachtwoord toen anders, geef het dan in of zet "
                                 "het in {variabele}). Na het terugzetten zou je je niet kunnen aanmelden; er werd "
                                 "niets gewijzigd.").format(pad=e.keys, variabele=ENV_BACKUP_PASSWORD)) from None
    except BackupError as e:
        raise UserError(str(e)) from None
    previous = aside if aside.exists() else None      # there was no database before
    again = confirm.lost.workers if confirm.lost else 0
    if args.json:
        print(json.dumps({"restored": str(info.path), "schema": info.schema, "dossiers": info.dossiers,
                          "workers": info.workers, "previous": str(previous) if previous else None,
                          "erasures_reapplied": again}, ensure_ascii=False))
        return 0
    counts = tr(_CTX, "{d} {dossiers}, {w} {werknemers}").format(
        d=info.dossiers, dossiers=tr(_CTX, "dossier") if info.dossiers == 1 else tr(_CTX, "dossiers"),
        w=info.workers, werknemers=tr(_CTX, "werknemer") if info.workers == 1 else tr(_CTX, "werknemers"))
    if previous is not None:
        print(tr(_CTX, "Reservekopie teruggezet ({aantallen}). De vorige database staat in {pad}.")
              .format(aantallen=counts, pad=previous))
    else:
        print(tr(_CTX, "Reservekopie teruggezet ({aantallen}).").format(aantallen=counts))
    if again:
        print(tr(_CTX, "1 werknemer opnieuw geanonimiseerd (gewist na de reservekopie).") if again == 1 else
              tr(_CTX, "{n} werknemers opnieuw geanonimiseerd (gewist na de reservekopie).").format(n=again))
    return 0
