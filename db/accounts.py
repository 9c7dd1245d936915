"""Counsellor accounts, dossier assignments, signing in and the session.

Key hierarchy (docs/SECURITY.md): the database is encrypted with one random 256-bit key. Each
account has a slot in the key file next to the database (``core.keystore``) holding that key
wrapped under an Argon2id key of the account's password; the account row here holds an Argon2id
password hash, which is authoritative (a stale key file with an old password slot does not let
an old password in). Adding an account needs the open database, never a re-encryption. A
beheerder can add a *recovery key* slot (``create_recovery_key``); with its code
``recover_account`` resets a beheerder's password when every beheerder password is lost.

``login`` and ``create_first_admin`` return a ``Session``; it binds the principal and an audit sink
to the connection, so every repository built on ``session.db`` filters by role and logs changes
without the caller passing anything (``principal=None`` passed explicitly means: the system).
"""
from __future__ import annotations

import datetime as dt
import logging
import math
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import sqlite_utils

from core.errors import UserError
from core.i18n import tr
from core.keystore import (BadCredentials, BadRecoveryCode, KeyStore, LockedOut, NoRecoveryKey,  # noqa: F401
                           RECOVERY_LOGIN, keyfile_path)
from core.security import (AccessDenied, KdfParams, Principal, Role, hash_password, needs_rehash, new_key,
                           new_recovery_code, password_problems, verify_password)
from db.errors import DatabaseError

_CTX = "security"
log = logging.getLogger("werkbrug.accounts")


class _Bound:
    def __repr__(self) -> str:
        return "BOUND"


BOUND = _Bound()   # default of the repositories' ``principal``/``audit``: whatever the session bound


def bind(db: sqlite_utils.Database, principal: Principal | None, audit) -> None:
    db.conn.werkbrug_principal = principal
    db.conn.werkbrug_audit = audit


def bound_principal(db: sqlite_utils.Database) -> Principal | None:
    return getattr(db.conn, "werkbrug_principal", None)


def bound_audit(db: sqlite_utils.Database):
    return getattr(db.conn, "werkbrug_audit", None)


def resolve(db: sqlite_utils.Database, principal, audit):
    """(principal, audit) for a repository: BOUND means the ones bound to the connection."""
    return (bound_principal(db) if principal is BOUND else principal,
            bound_audit(db) if audit is BOUND else audit)


# --- SQL scopes (used by the repositories) ----------------------------------------------------------

def dossier_scope(principal: Principal | None, column: str = "id") -> tuple[str, list]:
    """A condition on a dossier id column limiting to what ``principal`` may see ('' = everything)."""
    if principal is None or principal.sees_all_dossiers:
        return "", []
    return f"{column} IN (SELECT dossier_id FROM dossier_counsellors WHERE account_id = ?)", [principal.account_id]


def worker_scope(principal: Principal | None, alias: str = "workers") -> tuple[str, list]:
    """Workers of the principal's dossiers, or whose own counsellor the principal is."""
    if principal is None or principal.sees_all_dossiers:
        return "", []
    return (f"({alias}.dossier_id IN (SELECT dossier_id FROM dossier_counsellors WHERE account_id = ?) "
            f"OR trim({alias}.counsellor) = ? COLLATE NOCASE OR trim({alias}.counsellor) = ? COLLATE NOCASE)",
            [principal.account_id, principal.login, principal.name.strip() or principal.login])


def may_see_limitations(principal: Principal | None, worker_counsellor: str) -> bool:
    if principal is None or principal.sees_all_limitations:
        return True
    return principal.is_counsellor_of(worker_counsellor)


def require(principal: Principal | None, allowed: bool, what: str) -> None:
    if principal is not None and not allowed:
        raise AccessDenied(tr(_CTX, "Je account ({rol}) mag dit niet: {wat}.").format(rol=principal.role.label, wat=what))


# --- accounts -------------------------------------------------------------------------------------------

def checked_login(login: str) -> str:
    """The login as stored (without surrounding spaces); refuses an empty one, spaces and control characters
    (never silently removed: the account would get a name nobody typed)."""
    login = (login or "").strip()
    if not login or any(c.isspace() for c in login):
        raise UserError(tr(_CTX, "Een gebruikersnaam is verplicht en bevat geen spaties."))
    if any(unicodedata.category(c).startswith("C") for c in login):
        raise UserError(tr(_CTX, "Een gebruikersnaam mag geen stuurtekens of onzichtbare tekens bevatten. Er werd niets "
                                 "gewijzigd."))
    return login


def checked_name(name: str) -> str:
    """The display name as stored; refuses an empty one and control characters."""
    name = (name or "").strip()
    if not name:
        raise UserError(tr(_CTX, "Een volledige naam is verplicht. Er werd niets gewijzigd."))
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise UserError(tr(_CTX, "Een naam mag geen stuurtekens (zoals tabs of regeleinden) bevatten. Er werd niets "
                                 "gewijzigd."))
    return name


def require_password(password: str) -> None:
    """An account password is never empty (nor only spaces), whatever the strength rules allow."""
    if not password or not password.strip():
        raise UserError(tr(_CTX, "Een leeg wachtwoord kan niet: kies een wachtwoord. Er werd niets gewijzigd."))


@dataclass
class Account:
    id: int
    login: str
    name: str
    role: Role
    active: bool
    created: str = ""
    last_login: str = ""

    def principal(self) -> Principal:
        return Principal(self.id, self.login, self.name, self.role)


def _account(r) -> Account:
    return Account(r[0], r[1], r[2], Role(r[3]), bool(r[4]), r[5], r[6])


_ACC_COLS = "id, login, name, role, active, created, last_login"


def _utc() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _db_file(db: sqlite_utils.Database) -> Path | None:
    f = db.conn.execute("PRAGMA database_list").fetchone()[2]
    return Path(f) if f else None


class AccountRepository:
    """Accounts and assignments. Managing accounts needs the beheerder role; assigning dossiers
    the celcoördinator or beheerder role; everyone may change their own password and name."""

    def __init__(self, db: sqlite_utils.Database, principal=BOUND, audit=BOUND, *, kdf: KdfParams | None = None):
        self.db = db
        self.principal, self.audit = resolve(db, principal, audit)
        self.kdf = kdf or KdfParams.PRODUCTION

    def _log(self, *args, **kw) -> None:
        if self.audit is not None:
            self.audit.record(*args, **kw)

    def count(self, *, active_only: bool = False) -> int:
        sql = "SELECT count(*) FROM accounts" + (" WHERE active = 1" if active_only else "")
        return self.db.conn.execute(sql).fetchone()[0]

    def list(self) -> list[Account]:
        require(self.principal, self.principal is None or self.principal.manages_accounts
                or self.principal.assigns_dossiers, tr(_CTX, "accounts bekijken"))
        return [_account(r) for r in self.db.conn.execute(
            f"SELECT {_ACC_COLS} FROM accounts ORDER BY name COLLATE NOCASE, login").fetchall()]

    def get(self, account_id: int) -> Account:
        r = self.db.conn.execute(f"SELECT {_ACC_COLS} FROM accounts WHERE id = ?", [account_id]).fetchone()
        if r is None:
            raise UserError(tr(_CTX, "Account {id} bestaat niet.").format(id=account_id))
        return _account(r)

    def by_login(self, login: str) -> Account | None:
        r = self.db.conn.execute(f"SELECT {_ACC_COLS} FROM accounts WHERE login = ? COLLATE NOCASE",
                                 [login.strip()]).fetchone()
        return _account(r) if r else None

    def waiting_for_password(self) -> set[str]:
        """Logins of active accounts without access to the current database key (after a key renewal)."""
        ks = self._keystore()
        if ks is None or not ks.waiting:
            return set()
        waiting = set(ks.waiting)
        return {r[0] for r in self.db.conn.execute("SELECT login FROM accounts WHERE active = 1")
                if ks.label(r[0]) in waiting}

    def check_password(self, account_id: int, password: str) -> bool:
        r = self.db.conn.execute("SELECT password_hash, active FROM accounts WHERE id = ?", [account_id]).fetchone()
        return bool(r and r[1] and verify_password(r[0], password))

    def _keystore(self) -> KeyStore | None:
        path = _db_file(self.db)
        from db.connection import database_key
        if path is None or database_key(self.db) is None:
            return None        # an unencrypted database (tests): no key slots
        return KeyStore.for_database(path)

    def _write_slot(self, login: str, password: str) -> None:
        from db.connection import database_key
        ks = self._keystore()
        if ks is not None:
            ks.set_slot(login, database_key(self.db).raw, password, self.kdf)
            ks.save()

    def _active_admins(self) -> int:
        return self.db.conn.execute("SELECT count(*) FROM accounts WHERE active = 1 AND role = 'beheerder'").fetchone()[0]

    def add(self, login: str, name: str, role: Role | str, password: str, *, check_strength: bool = True) -> Account:
        require(self.principal, self.principal is None or self.principal.manages_accounts,
                tr(_CTX, "accounts aanmaken"))
        login, name, role = checked_login(login), checked_name(name), Role(role)
        require_password(password)
        if check_strength:
            problems = password_problems(password, login, name)
            if problems:
                raise UserError(" ".join(problems))
        with self.db.atomic():
            try:
                cur = self.db.conn.execute(
                    "INSERT INTO accounts (login, name, role, password_hash) VALUES (?,?,?,?)",
                    [login, name, role.value, hash_password(password, self.kdf)])
            except sqlite3.IntegrityError:
                raise UserError(tr(_CTX, "De gebruikersnaam {login} bestaat al.").format(login=login)) from None
            self._log("account", "account", cur.lastrowid, {"event": "created", "login": login, "role": role.value})
            self._write_slot(login, password)   # last: a failure rolls the account back
        return self.get(cur.lastrowid)

    def set_password(self, account_id: int, new_password: str, *, old_password: str | None = None,
                     check_strength: bool = True) -> None:
        acc = self.get(account_id)
        own = self.principal is not None and self.principal.account_id == account_id
        require(self.principal, own or self.principal is None or self.principal.manages_accounts,
                tr(_CTX, "het wachtwoord van iemand anders wijzigen"))
        if own and not (old_password is not None and self.check_password(account_id, old_password)):
            raise UserError(tr(_CTX, "Het huidige wachtwoord klopt niet."))
        require_password(new_password)
        if check_strength:
            problems = password_problems(new_password, acc.login, acc.name)
            if problems:
                raise UserError(" ".join(problems))
        with self.db.atomic():
            self.db.conn.execute("UPDATE accounts SET password_hash = ?, modified = ? WHERE id = ?",
                                 [hash_password(new_password, self.kdf), _utc(), account_id])
            self._log("account", "account", account_id, {"event": "password_changed", "login": acc.login})
            self._write_slot(acc.login, new_password)

    def create_recovery_key(self) -> str:
        """Create (or replace) the recovery key; returns its code, which is stored nowhere in clear.

        The database key is wrapped under the code in one extra slot of the key file, exactly like an
        account slot; an earlier recovery slot is replaced, so its code stops working.
        """
        require(self.principal, self.principal is None or self.principal.manages_accounts,
                tr(_CTX, "een herstelsleutel aanmaken"))
        from db.connection import database_key
        ks = self._keystore()
        if ks is None:
            raise UserError(tr(_CTX, "Een herstelsleutel bestaat alleen voor een versleutelde database."))
        code = new_recovery_code()
        with self.db.atomic():
            self._log("recovery_key", "keyfile", "", {"event": "replaced" if ks.has_recovery_slot else "created"})
            ks.set_recovery_slot(database_key(self.db).raw, code, self.kdf)
            ks.save()                            # last: a failure rolls the audit entry back
        return code

    def update(self, account_id: int, *, name: str | None = None, role: Role | str | None = None,
               active: bool | None = None) -> Account:
        acc = self.get(account_id)
        own = self.principal is not None and self.principal.account_id == account_id
        changes_role = (role is not None and Role(role) is not acc.role) or (active is not None and active != acc.active)
        require(self.principal, self.principal is None or self.principal.manages_accounts
                or (own and not changes_role), tr(_CTX, "accounts beheren"))
        new_role = Role(role) if role is not None else acc.role
        new_active = acc.active if active is None else bool(active)
        if acc.role is Role.ADMIN and acc.active and (new_role is not Role.ADMIN or not new_active) \
                and self._active_admins() <= 1:
            raise UserError(tr(_CTX, "Er moet altijd minstens één actieve beheerder zijn."))
        with self.db.atomic():
            self.db.conn.execute("UPDATE accounts SET name = ?, role = ?, active = ?, modified = ? WHERE id = ?",
                                 [acc.name if name is None else checked_name(name), new_role.value, int(new_active), _utc(),
                                  account_id])
            self._log("account", "account", account_id, {"event": "updated", "login": acc.login,
                                                         "role": new_role.value, "active": new_active})
            if not new_active:
                ks = self._keystore()
                if ks is not None and ks.remove_slot(acc.login):
                    ks.save()
        return self.get(account_id)

    # -- assignments -------------------------------------------------------------------------------
    def assign(self, dossier_id: int, account_id: int) -> None:
        require(self.principal, self.principal is None or self.principal.assigns_dossiers,
                tr(_CTX, "consulenten aan dossiers toewijzen"))
        with self.db.atomic():
            self.db.conn.execute("INSERT OR IGNORE INTO dossier_counsellors (dossier_id, account_id) VALUES (?, ?)",
                                 [dossier_id, account_id])
            self._log("account", "dossier", dossier_id, {"event": "assigned", "account_id": account_id})

    def unassign(self, dossier_id: int, account_id: int) -> None:
        require(self.principal, self.principal is None or self.principal.assigns_dossiers,
                tr(_CTX, "consulenten aan dossiers toewijzen"))
        with self.db.atomic():
            self.db.conn.execute("DELETE FROM dossier_counsellors WHERE dossier_id = ? AND account_id = ?",
                                 [dossier_id, account_id])
            self._log("account", "dossier", dossier_id, {"event": "unassigned", "account_id": account_id})

    def counsellors_of(self, dossier_id: int) -> list[Account]:
        return [_account(r) for r in self.db.conn.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ACC_COLS.split(','))} FROM accounts a "
            "JOIN dossier_counsellors dc ON dc.account_id = a.id WHERE dc.dossier_id = ? ORDER BY a.name", [dossier_id])]

    def dossiers_of(self, account_id: int) -> list[int]:
        return [r[0] for r in self.db.conn.execute(
            "SELECT dossier_id FROM dossier_counsellors WHERE account_id = ? ORDER BY dossier_id", [account_id])]


# --- settings (meta table) --------------------------------------------------------------------------

def get_setting(db: sqlite_utils.Database, key: str, default: str = "") -> str:
    r = db.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return r[0] if r else default


def set_setting(db: sqlite_utils.Database, key: str, value: str) -> None:
    with db.atomic():
        db.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = "
                        "excluded.value", [key, value])


# --- signing in ---------------------------------------------------------------------------------------

@dataclass
class Session:
    """A signed-in account on an open database."""
    db: sqlite_utils.Database
    principal: Principal
    path: Path
    audit: object
    clock: Callable[[], float] = time.time
    locked: bool = False

    @property
    def key(self):
        from db.connection import database_key
        return database_key(self.db)

    def lock(self) -> None:
        if not self.locked:
            self.locked = True
            self.audit.record("lock")

    def unlock(self, password: str) -> bool:
        """Check the password again (idle lock); wrong passwords count towards the lockout delay."""
        ks = KeyStore.for_database(self.path)
        now = self.clock()
        wait = ks.wait_seconds(self.principal.login, now) if ks.exists else 0
        if wait > 0:
            raise LockedOut(wait)
        if AccountRepository(self.db, principal=None, audit=None).check_password(self.principal.account_id, password):
            if ks.exists:
                ks.reset_failures(self.principal.login)
            self.locked = False
            self.audit.record("unlock")
            return True
        if ks.exists:
            ks.record_failure(self.principal.login, now)
        self.audit.record("login_failed", "account", self.principal.account_id, {"during": "idle_lock"})
        return False

    def close(self) -> None:
        from db.connection import session_key, set_session_key
        try:
            self.audit.record("logout")
        except sqlite3.Error:
            pass
        if session_key() is not None and session_key() == self.key:
            set_session_key(None)
        self.db.conn.close()


def database_state(path: Path | str) -> str:
    """'new' (nothing yet), 'plain' (unencrypted SQLite), 'encrypted' (with key file), 'unknown'.
    A restore that a crash interrupted is finished first; one that cannot be finished gives 'unknown'."""
    from db.backup import restore_pending, settle_interrupted_restore
    from db.connection import SQLITE_HEADER
    p = Path(path)
    settle_interrupted_restore(p)
    if restore_pending(p):
        return "unknown"
    if not p.exists() or (p.is_file() and p.stat().st_size == 0):
        return "encrypted" if _has_slots(p) else "new"
    if p.is_dir():
        return "unknown"
    try:
        with open(p, "rb") as fh:
            header = fh.read(16)
    except OSError:
        return "unknown"
    if header == SQLITE_HEADER:
        return "plain"
    return "encrypted" if keyfile_path(p).exists() else "unknown"


def _has_slots(p: Path) -> bool:
    try:
        return bool(KeyStore.for_database(p).slots)
    except UserError:
        return True


def needs_first_admin(path: Path | str) -> bool:
    """True when signing in must start by creating the first administrator."""
    return database_state(path) in ("new", "plain") and not _has_slots(Path(path))


def _unknown_file(p: Path) -> DatabaseError:
    from db.backup import cannot_open_message
    if cannot_open_message(p):          # a restore was interrupted: say where the database of before is
        return DatabaseError(cannot_open_message(p))
    return DatabaseError(tr(_CTX, "{pad} is geen Werkbrug-database, of het is een versleutelde database waarvan het "
                                  "sleutelbestand {keys} ontbreekt. Er werd niets gewijzigd.").format(
        pad=p, keys=keyfile_path(p).name))


def _empty_database(p: Path) -> DatabaseError:
    from db.backup import cannot_open_message
    if cannot_open_message(p):
        return DatabaseError(cannot_open_message(p))
    return DatabaseError(tr(_CTX, "De database {pad} is leeg of ontbreekt, terwijl het sleutelbestand {keys} er wel is: "
                                  "de database is beschadigd of weg. Zet een reservekopie terug (restore). Er werd "
                                  "niets gewijzigd.").format(pad=p, keys=keyfile_path(p).name))


def _refuse_without_database(p: Path) -> None:
    """A key file with slots but no database (missing or zero bytes): signing in would create a new, empty
    database under the old key and count a failed login for every account. Refuse before anything is written."""
    try:
        empty = not p.exists() or (p.is_file() and p.stat().st_size == 0)
    except OSError:
        empty = False
    if empty:
        raise _empty_database(p)


def _open_unlocked(p: Path, raw: bytes, convert_plaintext: bool) -> sqlite_utils.Database:
    """The database under the key a slot gave: a key that was unwrapped correctly but does not open the
    file means the file is damaged (or belongs to another key file), not that the password is wrong."""
    from db.connection import DatabaseKey, WrongKey, open_database
    try:
        return open_database(p, key=DatabaseKey(raw), convert_plaintext=convert_plaintext)
    except WrongKey:
        from db.backup import cannot_open_message
        if cannot_open_message(p):
            raise DatabaseError(cannot_open_message(p)) from None
        raise DatabaseError(tr(_CTX, "De database {pad} is beschadigd of hoort niet bij het sleutelbestand {keys}. "
                                     "Zet een reservekopie terug (restore). Er werd niets gewijzigd.").format(
            pad=p, keys=keyfile_path(p).name)) from None


def _start(db: sqlite_utils.Database, account: Account, path: Path, clock, details: dict | None = None) -> Session:
    from db.audit import AuditLog
    principal = account.principal()
    audit = AuditLog(db, principal.login)
    bind(db, principal, audit)
    with db.atomic():
        db.conn.execute("UPDATE accounts SET last_login = ? WHERE id = ?", [_utc(), account.id])
        audit.record("login", "account", account.id, details)
    from db.connection import set_session_key, database_key
    set_session_key(database_key(db))
    return Session(db, principal, path, audit, clock)


def create_first_admin(path: Path | str, login: str, name: str, password: str, *, kdf: KdfParams | None = None,
                       convert_plaintext: bool = False, check_strength: bool = True,
                       clock: Callable[[], float] = time.time) -> Session:
    """First start: a new key, the first beheerder's slot, the (encrypted) database and the account."""
    from db.connection import DatabaseKey, PlaintextDatabase, open_database
    p = Path(path)
    if not needs_first_admin(p):
        raise UserError(tr(_CTX, "Deze database heeft al accounts; meld je aan."))
    login = checked_login(login)
    name = checked_name((name or "").strip() or login)
    require_password(password)
    if check_strength:
        problems = password_problems(password, login, name)
        if problems:
            raise UserError(" ".join(problems))
    if database_state(p) == "plain" and not convert_plaintext:
        raise PlaintextDatabase(tr(_CTX, "De database {pad} is nog niet versleuteld. Bevestig de omzetting "
                                         "(een reservekopie blijft bewaard).").format(pad=p))
    kdf = kdf or KdfParams.PRODUCTION
    raw = new_key()
    ks = KeyStore.for_database(p)
    ks.set_slot(login, raw, password, kdf)
    ks.save()
    try:
        db = open_database(p, key=DatabaseKey(raw), convert_plaintext=convert_plaintext)
    except BaseException:
        ks.path.unlink(missing_ok=True)
        raise
    try:
        if db.conn.execute("SELECT count(*) FROM accounts").fetchone()[0]:
            raise UserError(tr(_CTX, "Deze database heeft al accounts; meld je aan."))
        repo = AccountRepository(db, principal=None, audit=None, kdf=kdf)
        with db.atomic():
            cur = db.conn.execute("INSERT INTO accounts (login, name, role, password_hash) VALUES (?,?,?,?)",
                                  [login, name, Role.ADMIN.value, hash_password(password, kdf)])
            from db.audit import AuditLog
            AuditLog(db, login).record("setup", "account", cur.lastrowid, {"event": "first_admin", "login": login,
                                                                            "encrypted": True})
        return _start(db, repo.get(cur.lastrowid), p, clock)
    except BaseException:
        db.conn.close()
        raise


def login(path: Path | str, login: str, password: str, *, convert_plaintext: bool = False,
          clock: Callable[[], float] = time.time, kdf: KdfParams | None = None) -> Session:
    """Sign in: unwrap the key with the password, open the database, check the account.

    Raises LockedOut (delay still running), BadCredentials (wrong login/password, inactive account),
    DatabaseError (not a Werkbrug file, key file missing), PlaintextDatabase (conversion not agreed).
    ``kdf`` only matters when an outdated password hash is upgraded after a successful login.
    """
    p = Path(path)
    state = database_state(p)
    if state == "unknown":
        raise _unknown_file(p)
    if needs_first_admin(p):
        raise UserError(tr(_CTX, "Er bestaat nog geen account voor deze database: maak eerst de beheerder aan."))
    _refuse_without_database(p)
    from db.rekey import settle_interrupted_rotation
    settle_interrupted_rotation(p, login, password)
    ks = KeyStore.for_database(p)
    raw = ks.unlock(login, password, clock)
    db = _open_unlocked(p, raw, convert_plaintext)
    try:
        repo = AccountRepository(db, principal=None, audit=None, kdf=kdf)
        acc = repo.by_login(login)
        if acc is None or not acc.active or not repo.check_password(acc.id, password):
            ks.record_failure(login, clock())
            raise BadCredentials()
        failures = ks.failures(login)
        ks.reset_failures(login)
        stored = db.conn.execute("SELECT password_hash FROM accounts WHERE id = ?", [acc.id]).fetchone()[0]
        if needs_rehash(stored, kdf):
            with db.atomic():
                db.conn.execute("UPDATE accounts SET password_hash = ? WHERE id = ?",
                                [hash_password(password, kdf), acc.id])
        return _start(db, acc, p, clock, {"failed_attempts_before": failures} if failures else None)
    except BaseException:
        db.conn.close()
        raise


def recover_account(path: Path | str, login: str, code: str, new_password: str, *, kdf: KdfParams | None = None,
                    clock: Callable[[], float] = time.time, check_strength: bool = True) -> None:
    """Set a new password for a beheerder with the recovery code, without any password.

    The code unwraps the database key through the recovery slot; then the password changes exactly
    as ``AccountRepository.set_password`` does it (hash in the accounts table and the account's key
    slot). A wrong code raises BadRecoveryCode and counts in the delay counter (LockedOut while the
    delay runs). The recovery key stays valid. Nobody is signed in afterwards.
    """
    from db.audit import AuditLog
    p = Path(path)
    if database_state(p) != "encrypted":
        if database_state(p) == "unknown":
            raise _unknown_file(p)
        raise UserError(tr(_CTX, "Deze database is niet versleuteld en heeft geen herstelsleutel."))
    _refuse_without_database(p)
    raw = KeyStore.for_database(p).unlock_recovery(code, clock)
    db = _open_unlocked(p, raw, False)
    try:
        audit = AuditLog(db, "herstelsleutel")
        repo = AccountRepository(db, principal=None, audit=audit, kdf=kdf)
        acc = repo.by_login(login)
        if acc is None or not acc.active or acc.role is not Role.ADMIN:
            raise UserError(tr(_CTX, "Met de herstelsleutel kan je alleen het wachtwoord van een actief "
                                     "beheerdersaccount opnieuw instellen; {login} is dat niet.").format(login=login))
        with db.atomic():
            audit.record("recovery", "account", acc.id, {"event": "password_reset", "login": acc.login})
            repo.set_password(acc.id, new_password, check_strength=check_strength)   # hash, then slot (last)
    finally:
        db.conn.close()
    ks = KeyStore.for_database(p)           # read again: set_password wrote the new slot
    ks.reset_failures(RECOVERY_LOGIN)
    ks.reset_failures(acc.login)


IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_RANGE = (1, 240)


def parse_idle_lock_minutes(text: str) -> float:
    """The minutes of the idle lock as typed: a number with a decimal comma or point ("2,5" and "2.5" are
    two and a half minutes), from 1 to 240. Anything else raises ValueError with a Dutch message."""
    shown = str(text).strip()
    try:
        value = float(shown.replace(",", ".")) if shown.count(",") + shown.count(".") <= 1 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(tr(_CTX, "\"{tekst}\" is geen aantal minuten: geef een getal van {min} tot {max}, bv. 5 of "
                                  "2,5.").format(tekst=shown, min=IDLE_LOCK_RANGE[0], max=IDLE_LOCK_RANGE[1]))
    if not IDLE_LOCK_RANGE[0] <= value <= IDLE_LOCK_RANGE[1]:
        raise ValueError(tr(_CTX, "De vergrendeltijd ligt tussen {min} en {max} minuten; {tekst} kan niet.").format(
            min=IDLE_LOCK_RANGE[0], max=IDLE_LOCK_RANGE[1], tekst=shown))
    return value


def minutes_text(minutes: float) -> str:
    """A number of minutes as written in Dutch: "10", "2,5" (decimal comma, no trailing zeros)."""
    return f"{minutes:g}".replace(".", ",")


def idle_lock_minutes(db: sqlite_utils.Database) -> float:
    """Minutes without activity before the window locks (a setting of the installation). A stored value that
    is no valid number of minutes (written by hand) gives the default, with a warning in the log."""
    stored = get_setting(db, IDLE_LOCK_KEY, str(DEFAULT_IDLE_LOCK_MINUTES))
    try:
        return parse_idle_lock_minutes(stored)
    except ValueError:
        log.warning("idle lock setting %r is no valid number of minutes; %s minutes used", stored,
                    DEFAULT_IDLE_LOCK_MINUTES)
        return DEFAULT_IDLE_LOCK_MINUTES


def set_idle_lock_minutes(db: sqlite_utils.Database, principal, minutes: float | str, audit=None) -> None:
    """Set the idle lock; ``minutes`` as a number or as typed ("2,5"); out of range or no number: ValueError
    with a Dutch message, nothing changed."""
    require(principal, principal is None or principal.manages_accounts,
            tr(_CTX, "de vergrendeltijd instellen"))
    minutes = parse_idle_lock_minutes(minutes_text(minutes) if isinstance(minutes, (int, float)) else minutes)
    stored = get_setting(db, IDLE_LOCK_KEY, str(DEFAULT_IDLE_LOCK_MINUTES))
    try:
        old: float | str = parse_idle_lock_minutes(stored)
    except ValueError:
        old = stored
    set_setting(db, IDLE_LOCK_KEY, f"{minutes:g}")
    if audit is not None:
        audit.record("setting", "meta", IDLE_LOCK_KEY, {"old": old, "new": minutes})
