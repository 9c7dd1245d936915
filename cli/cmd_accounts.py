"""Signing in on the command line, and ``accounts ...`` for the beheerder.

Sign-in reads WERKBRUG_USER and WERKBRUG_PASSWORD when both are set (scripts, evaluation),
otherwise asks on the terminal (password through getpass). On a database without accounts the
first sign-in creates the beheerder with those credentials. Prompts go to stderr: stdout stays
machine-readable.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from core.errors import UserError
from cli.argtypes import record_id
from core.i18n import tr

_CTX = "cli"
ENV_USER, ENV_PASSWORD = "WERKBRUG_USER", "WERKBRUG_PASSWORD"
ENV_NEW_PASSWORD = "WERKBRUG_NEW_PASSWORD"   # accounts add/passwd/recover without a prompt (scripts)
ENV_RECOVERY_KEY = "WERKBRUG_RECOVERY_KEY"   # accounts recover without a prompt (scripts, tests)


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _ask(prompt: str) -> str:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise UserError(tr(_CTX, "Aanmelden afgebroken."))
    return line.strip()


def _ask_new_password(login: str, name: str) -> str:
    from core.security import password_problems
    for _ in range(3):
        pw = getpass.getpass(tr(_CTX, "Nieuw wachtwoord: "))
        problems = password_problems(pw, login, name)
        if problems:
            sys.stderr.write(" ".join(problems) + "\n")
            continue
        if getpass.getpass(tr(_CTX, "Herhaal het wachtwoord: ")) != pw:
            sys.stderr.write(tr(_CTX, "De wachtwoorden zijn niet gelijk.") + "\n")
            continue
        return pw
    raise UserError(tr(_CTX, "Geen geldig wachtwoord gekozen; er werd niets gewijzigd."))


def ask_credentials() -> tuple[str, str]:
    """Login and password from WERKBRUG_USER/WERKBRUG_PASSWORD, else asked on the terminal, without
    signing in (restore on a computer without a database checks them against the backup's key file)."""
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if user and password is not None:
        return user, password
    if not _interactive():
        raise UserError(tr(_CTX, "Aanmelden is nodig: zet WERKBRUG_USER en WERKBRUG_PASSWORD, of start het commando "
                                 "in een terminal."))
    user = _ask(tr(_CTX, "Gebruikersnaam: "))
    return user, getpass.getpass(tr(_CTX, "Wachtwoord: "))


def sign_in(ctx, remember: list | None = None):
    """The one place where the command line authenticates; returns a db.accounts.Session.

    ``remember`` (a list) receives ``(login, password)`` of the successful sign-in, for a command that
    must check something else with the same credentials during the command (restore: the backup's
    key file); it is never kept beyond that."""
    session, login, password = _sign_in(ctx)
    if remember is not None:
        remember.append((login, password))
    return session


def _sign_in(ctx):
    from db.accounts import BadCredentials, create_first_admin, database_state, login, needs_first_admin, _unknown_file
    from db.connection import default_database_path
    from core.security import password_problems
    path = ctx.db_path or default_database_path()
    user, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    from_env = bool(user) and password is not None
    interactive = _interactive()
    if not from_env and not interactive:
        raise UserError(tr(_CTX, "Aanmelden is nodig: zet WERKBRUG_USER en WERKBRUG_PASSWORD, of start het commando "
                                 "in een terminal."))
    state = database_state(path)
    if state == "unknown":
        if path.is_dir():
            from db.connection import open_database
            open_database(path)            # gives the usual message for a folder
        raise _unknown_file(path)
    convert = False
    if state == "plain":
        if ctx.assume_yes:
            convert = True
        elif interactive:
            answer = _ask(tr(_CTX, "De database {pad} is nog niet versleuteld. Nu versleutelen? Een versleutelde "
                                   "reservekopie van het bestand blijft bewaard. [j/N] ").format(pad=path))
            convert = answer.lower() in ("j", "ja", "y", "yes")
        if not convert:
            raise UserError(tr(_CTX, "De database {pad} is nog niet versleuteld en werd niet geopend. Start opnieuw met "
                                     "--yes om ze te versleutelen (een reservekopie blijft bewaard).").format(pad=path))
    if needs_first_admin(path):
        if from_env:
            from db.accounts import require_password
            require_password(password)           # an empty WERKBRUG_PASSWORD never creates a beheerder
            problems = password_problems(password, user, user)
            if problems:
                sys.stderr.write(tr(_CTX, "Waarschuwing: zwak wachtwoord voor de beheerder: {w}").format(
                    w=" ".join(problems)) + "\n")
            return create_first_admin(path, user, user, password, convert_plaintext=convert,
                                      check_strength=False), user, password
        sys.stderr.write(tr(_CTX, "Eerste start: maak het account van de beheerder aan.") + "\n")
        user = _ask(tr(_CTX, "Gebruikersnaam: "))
        name = _ask(tr(_CTX, "Volledige naam: "))
        password = _ask_new_password(user, name)
        return create_first_admin(path, user, name, password, convert_plaintext=convert), user, password
    if from_env:
        return login(path, user, password, convert_plaintext=convert), user, password
    last = None
    for _ in range(3):
        user = _ask(tr(_CTX, "Gebruikersnaam: "))
        try:
            password = getpass.getpass(tr(_CTX, "Wachtwoord: "))
            return login(path, user, password, convert_plaintext=convert), user, password
        except BadCredentials as e:
            sys.stderr.write(f"{e}\n")
            last = e
    raise last


# --- accounts subcommands ------------------------------------------------------------------------------

def _role(text: str):
    """--role as typed: any case, with or without the trema (celcoordinator)."""
    import argparse
    from core.security import Role
    try:
        return Role(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(tr(_CTX, "onbekende rol {rol}: kies consulent, celcoördinator of "
                                                  "beheerder").format(rol=text)) from None


def register(sub) -> None:
    p = sub.add_parser("accounts", help=tr(_CTX, "beheer de accounts van de consulenten (beheerder)"))
    s = p.add_subparsers(dest="accounts_cmd", metavar="ACTIE", required=True)
    q = s.add_parser("list", help=tr(_CTX, "toon de accounts"))
    q.add_argument("--json", action="store_true", help=tr(_CTX, "als JSON"))
    q.set_defaults(func=run_list)
    q = s.add_parser("add", help=tr(_CTX, "maak een account aan (wachtwoord wordt gevraagd)"))
    q.add_argument("--login", required=True)
    q.add_argument("--name", required=True, help=tr(_CTX, "volledige naam"))
    q.add_argument("--role", required=True, type=_role, metavar="{consulent,celcoördinator,beheerder}",
                   help=tr(_CTX, "de rol; celcoordinator zonder trema mag ook"))
    q.set_defaults(func=run_add)
    q = s.add_parser("passwd", help=tr(_CTX, "wijzig een wachtwoord (zonder --login: je eigen)"))
    q.add_argument("--login")
    q.set_defaults(func=run_passwd)
    q = s.add_parser("recovery-key", help=tr(_CTX, "maak een herstelsleutel aan of vervang ze (beheerder); "
                                                 "ze wordt één keer getoond"))
    q.set_defaults(func=run_recovery_key)
    q = s.add_parser("recover", help=tr(_CTX, "stel met de herstelsleutel een nieuw wachtwoord in voor een "
                                            "beheerder (zonder aan te melden)"))
    q.add_argument("--login", required=True, help=tr(_CTX, "gebruikersnaam van de beheerder"))
    q.set_defaults(func=run_recover)
    q = s.add_parser("rotate-key", help=tr(_CTX, "vernieuw de databasesleutel (beheerder): oude kopieën van het "
                                               "sleutelbestand openen de database dan niet meer"))
    q.set_defaults(func=run_rotate_key)
    q = s.add_parser("disable", help=tr(_CTX, "schakel een account uit"))
    q.add_argument("--login", required=True)
    q.set_defaults(func=run_disable)
    q = s.add_parser("idle-lock", help=tr(_CTX, "toon of wijzig na hoeveel minuten het venster vergrendelt"))
    q.add_argument("--minutes", type=idle_minutes, metavar="N",
                   help=tr(_CTX, "nieuwe waarde in minuten (1-240; 2,5 is 2 minuten en 30 seconden)"))
    q.set_defaults(func=run_idle_lock)
    q = s.add_parser("assign", help=tr(_CTX, "wijs een consulent toe aan een dossier"))
    q.add_argument("--dossier", type=record_id, required=True, metavar="ID")
    q.add_argument("--login", required=True)
    q.add_argument("--remove", action="store_true", help=tr(_CTX, "toewijzing intrekken"))
    q.set_defaults(func=run_assign)


def _new_password(login: str, name: str) -> str:
    env = os.environ.get(ENV_NEW_PASSWORD)
    if env is not None:
        return env
    if not _interactive():
        raise UserError(tr(_CTX, "Geef het nieuwe wachtwoord in een terminal of via WERKBRUG_NEW_PASSWORD."))
    return _ask_new_password(login, name)


def _account(repo, login: str):
    acc = repo.by_login(login)
    if acc is None:
        raise UserError(tr(_CTX, "Er is geen account {login}.").format(login=login))
    return acc


def run_list(args, ctx) -> int:
    from db.accounts import AccountRepository
    repo = AccountRepository(ctx.db)
    rows = repo.list()
    waiting = repo.waiting_for_password()
    if args.json:
        print(json.dumps([{"id": a.id, "login": a.login, "name": a.name, "role": a.role.value, "active": a.active,
                           "last_login": a.last_login, "needs_new_password": a.login in waiting} for a in rows],
                         ensure_ascii=False))
    else:
        for a in rows:
            state = tr(_CTX, "(uitgeschakeld)") if not a.active else (
                tr(_CTX, "(nieuw wachtwoord nodig na sleutelwissel)") if a.login in waiting else "")
            print(f"{a.id:>4}  {a.login:<20} {a.name:<30} {a.role.value:<15} {state}")
    return 0


def run_add(args, ctx) -> int:
    from db.accounts import AccountRepository
    repo = AccountRepository(ctx.db)
    acc = repo.add(args.login, args.name, args.role, _new_password(args.login, args.name))
    print(tr(_CTX, "Account {login} ({rol}) aangemaakt.").format(login=acc.login, rol=acc.role.value))
    return 0


def run_passwd(args, ctx) -> int:
    from db.accounts import AccountRepository
    repo = AccountRepository(ctx.db)
    acc = _account(repo, args.login or ctx.principal.login)
    own = acc.id == ctx.principal.account_id
    old = getpass.getpass(tr(_CTX, "Huidig wachtwoord: ")) if own and _interactive() else (
        os.environ.get(ENV_PASSWORD) if own else None)
    repo.set_password(acc.id, _new_password(acc.login, acc.name), old_password=old)
    print(tr(_CTX, "Wachtwoord van {login} gewijzigd.").format(login=acc.login))
    return 0


def run_recovery_key(args, ctx) -> int:
    from db.accounts import AccountRepository
    code = AccountRepository(ctx.db).create_recovery_key()
    print(tr(_CTX, "Herstelsleutel (wordt maar één keer getoond):"))
    print(code)
    print(tr(_CTX, "Druk deze herstelsleutel af en bewaar ze in een gesloten omslag op een veilige plaats. Wie ze "
                   "heeft, kan het wachtwoord van een beheerder opnieuw instellen. Een eerdere herstelsleutel werkt "
                   "niet meer."))
    return 0


def run_recover(args, ctx) -> int:
    """Does not sign in: the recovery code replaces the password."""
    from db.accounts import recover_account
    from db.connection import default_database_path
    path = ctx.db_path or default_database_path()
    code = os.environ.get(ENV_RECOVERY_KEY)
    if code is None:
        if not _interactive():
            raise UserError(tr(_CTX, "Geef de herstelsleutel in een terminal of via WERKBRUG_RECOVERY_KEY."))
        code = getpass.getpass(tr(_CTX, "Herstelsleutel: "))
    recover_account(path, args.login, code, _new_password(args.login, ""))
    print(tr(_CTX, "Nieuw wachtwoord ingesteld voor {login}. De herstelsleutel blijft geldig; meld je nu aan met "
                   "het nieuwe wachtwoord.").format(login=args.login.strip()))
    return 0


def run_rotate_key(args, ctx) -> int:
    """Re-encrypt the database under a new key; the other accounts then need a new password."""
    from db.rekey import rotate_database_key
    ctx.db                                   # signs in
    session = ctx.session
    if not session.principal.manages_accounts:
        raise UserError(tr(_CTX, "Alleen een beheerder kan de databasesleutel vernieuwen."))
    password = os.environ.get(ENV_PASSWORD) if not _interactive() else getpass.getpass(
        tr(_CTX, "Je wachtwoord, ter bevestiging: "))
    if not password:
        raise UserError(tr(_CTX, "Bevestig met je wachtwoord, in een terminal of via WERKBRUG_PASSWORD."))
    sys.stderr.write(tr(_CTX, "Sluit Werkbrug eerst overal waar deze database open is.") + "\n")
    result = rotate_database_key(session, password)
    ctx.session, ctx._db = None, None       # that session belonged to the file as it was
    print(tr(_CTX, "De databasesleutel is vernieuwd. Een versleutelde reservekopie van de database zoals ze was "
                   "staat in {pad} (met de oude sleutel en wachtwoorden).").format(pad=result.backup))
    if result.need_password:
        print(tr(_CTX, "Deze accounts hebben een nieuw wachtwoord nodig voor ze zich weer kunnen aanmelden "
                       "(accounts passwd --login ...): {lijst}").format(lijst=", ".join(result.need_password)))
    if result.recovery_dropped:
        print(tr(_CTX, "De herstelsleutel werkt niet meer: maak een nieuwe aan (accounts recovery-key)."))
    return 0


def run_disable(args, ctx) -> int:
    from db.accounts import AccountRepository
    repo = AccountRepository(ctx.db)
    acc = _account(repo, args.login)
    repo.update(acc.id, active=False)
    print(tr(_CTX, "Account {login} uitgeschakeld.").format(login=acc.login))
    return 0


def idle_minutes(text: str) -> float:
    """--minutes of idle-lock: "5", "2,5" or "2.5", from 1 to 240 (refused in Dutch while parsing)."""
    from db.accounts import parse_idle_lock_minutes
    try:
        return parse_idle_lock_minutes(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def run_idle_lock(args, ctx) -> int:
    from db.accounts import idle_lock_minutes, minutes_text, set_idle_lock_minutes
    if args.minutes is not None:
        try:
            set_idle_lock_minutes(ctx.db, ctx.principal, args.minutes, ctx.audit)
        except ValueError as e:
            raise UserError(str(e)) from None
    minutes = idle_lock_minutes(ctx.db)
    print((tr(_CTX, "Het venster vergrendelt na 1 minuut zonder activiteit.") if minutes == 1 else
           tr(_CTX, "Het venster vergrendelt na {n} minuten zonder activiteit.")).format(n=minutes_text(minutes)))
    return 0


def run_assign(args, ctx) -> int:
    from db.accounts import AccountRepository
    from db.dossiers import DossierRepository, NotFound
    repo = AccountRepository(ctx.db)
    acc = _account(repo, args.login)
    try:
        DossierRepository(ctx.db).get(args.dossier)
    except NotFound as e:
        raise UserError(str(e)) from None
    (repo.unassign if args.remove else repo.assign)(args.dossier, acc.id)
    print(tr(_CTX, "Toewijzing bijgewerkt."))
    return 0
