"""Renewing the database key (``accounts rotate-key``), safe against a crash at any moment.

Why: every account's key slot unwraps the same database key. Switching an account off removes its
slot from the key file, but whoever kept an old copy of the key file (or a backup with it) and
still knows that password could open a later copy of the database. After a rotation, copies made
from then on are encrypted under a new key that no old slot unwraps.

How (beheerder, signed in, password asked again):

1. the audit trail must be intact (its chain is checked first);
2. an encrypted backup of the database as it is, with its key file, is kept next to it
   (``<db>.voor-sleutelwissel-<stamp>.bak``);
3. the database is copied under a new random key (sqlcipher_export), the copy is checked (same
   tables, same row counts, integrity) and gets an audit entry ``key_rotated``;
4. a new key file is written next to the old one as ``<db>.keys.new``: one slot, the beheerder's,
   for the new key; the other accounts are listed (by their hashed label) as waiting for a new
   password, and the recovery key is dropped (it wrapped the old key);
5. commit: the copy replaces the database file, then ``.keys.new`` replaces the key file.

A crash between the two renames leaves a database under the new key next to the old key file
and ``.keys.new``. ``settle_interrupted_rotation`` (called at every sign-in) sorts it out: the key
file whose key opens the database wins, the other one is removed. Before the first rename nothing
changed and ``.keys.new`` is simply removed.

The audit chain key was derived from the database key. It is kept, unchanged, inside the
encrypted database (``meta.audit_chain_key``) so the existing chain stays verifiable.
"""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from core.errors import UserError
from core.i18n import tr
from core.keystore import KeyStore, keyfile_path
from core.security import KdfParams, new_key

_CTX = "security"
_rename = os.replace     # the two commit renames (a test stops the rotation between them)


def pending_keyfile(db_path: Path | str) -> Path:
    """Where the key file of a rotation waits until the database file has been replaced."""
    kp = keyfile_path(db_path)
    return kp.with_name(kp.name + ".new")


@dataclass
class RotationResult:
    backup: Path
    need_password: list[str]        # logins of the other active accounts: they need a new password
    recovery_dropped: bool          # a recovery key existed: make a new one


def rotate_database_key(session, password: str, *, kdf: KdfParams | None = None,
                        clock: Callable[[], float] = time.time) -> RotationResult:
    """Re-encrypt the session's database under a new key (see the module docstring).

    The session is closed afterwards (its connection belongs to the old file): sign in again.
    Raises UserError, with nothing changed, when the account is no beheerder, the password is
    wrong, the database is not encrypted or the audit trail is broken.
    """
    import sqlite_utils
    from db.accounts import AccountRepository, database_state, set_setting
    from db.audit import AUDIT_KEY_SETTING, AuditLog
    from db.connection import (DatabaseKey, _connect_encrypted, _export, _table_counts, backup_database,
                               database_key, integrity_ok)
    from db.errors import DatabaseError

    db, principal, path = session.db, session.principal, Path(session.path)
    if not principal.manages_accounts:
        raise UserError(tr(_CTX, "Alleen een beheerder kan de databasesleutel vernieuwen."))
    old_key = database_key(db)
    if old_key is None or database_state(path) != "encrypted":
        raise UserError(tr(_CTX, "De sleutel vernieuwen kan alleen voor een versleutelde database."))
    repo = AccountRepository(db, principal=None, audit=None)
    if not repo.check_password(principal.account_id, password):
        raise UserError(tr(_CTX, "Het wachtwoord klopt niet. Er werd niets gewijzigd."))
    check = AuditLog(db).verify()
    if not check.ok:
        raise UserError(tr(_CTX, "De auditlog is niet in orde ({melding}); de sleutel wordt niet vernieuwd. "
                                 "Er werd niets gewijzigd.").format(melding=check.message()))
    old_ks = KeyStore.for_database(path)
    pending = pending_keyfile(path)
    tmp = path.with_name(path.name + ".sleutelwissel.tmp")
    for stale in (tmp, pending):
        stale.unlink(missing_ok=True)

    stamp = dt.datetime.fromtimestamp(clock()).strftime("%Y%m%d-%H%M%S")
    backup = backup_database(db, path.with_name(f"{path.name}.voor-sleutelwissel-{stamp}.bak"))
    others = [r[0] for r in db.conn.execute(
        "SELECT login FROM accounts WHERE active = 1 AND id != ? ORDER BY login", [principal.account_id])]
    new = DatabaseKey(new_key())
    try:
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        counts = _table_counts(db.conn)
        _export(db.conn, tmp, new)
        copy = _connect_encrypted(tmp, new)
        try:
            cdb = sqlite_utils.Database(copy)
            if _table_counts(copy) != counts or not integrity_ok(cdb):
                raise DatabaseError(tr(_CTX, "De kopie onder de nieuwe sleutel verschilt van de database. "
                                             "Er werd niets gewijzigd."))
            with cdb.atomic():
                # the chain key in use (derived, or kept by an earlier renewal) stays the chain's key
                set_setting(cdb, AUDIT_KEY_SETTING, AuditLog(db).key.hex())
                AuditLog(cdb, principal.login).record("key_rotated", "keyfile", "", {
                    "accounts_needing_password": len(others), "recovery_key_dropped": old_ks.has_recovery_slot,
                    "backup": backup.name})
            if not AuditLog(cdb).verify().ok:
                raise DatabaseError(tr(_CTX, "De auditlog van de kopie klopt niet. Er werd niets gewijzigd."))
        finally:
            copy.close()
        new_ks = KeyStore(pending, old_ks.db_id, [], dict(old_ks.attempts))
        new_ks.set_slot(principal.login, new.raw, password, kdf or KdfParams.PRODUCTION)
        new_ks.waiting = sorted(new_ks.label(login) for login in others)
        new_ks.save()
    except BaseException:
        tmp.unlink(missing_ok=True)
        pending.unlink(missing_ok=True)
        raise
    # commit: from here on the new file is the database; the session's connection is of the old one
    session.close()
    try:
        _rename(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)         # not committed: the database and key file are as they were
        pending.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    _rename(pending, keyfile_path(path))
    return RotationResult(backup, others, old_ks.has_recovery_slot)


def settle_interrupted_rotation(db_path: Path | str, login: str, password: str) -> None:
    """Finish or undo a rotation that stopped between its two renames (``.keys.new`` left behind).

    The key file whose key opens the database is kept. Only the beheerder who started the rotation
    has a slot in ``.keys.new``; anyone else signing in while the database is already under the new
    key is told to let that beheerder sign in first.
    """
    from db.connection import DatabaseKey, WrongKey, _connect_encrypted
    from core.keystore import BadCredentials
    path = Path(db_path)
    pending = pending_keyfile(path)
    if not pending.exists() or not path.exists():
        return
    tmp = path.with_name(path.name + ".sleutelwissel.tmp")

    def undo() -> None:
        pending.unlink()
        tmp.unlink(missing_ok=True)

    def opens(raw: bytes) -> bool:
        try:
            _connect_encrypted(path, DatabaseKey(raw)).close()
            return True
        except WrongKey:
            return False

    new_ks = KeyStore.load(pending)
    if new_ks.slot(login) is not None:
        try:
            raw = new_ks.unlock(login, password)
        except BadCredentials:
            raw = None
        if raw is not None:
            if opens(raw):
                os.replace(pending, keyfile_path(path))      # the database was replaced: commit
            else:
                undo()                                        # it never was: the rotation did not happen
            return
    old_ks = KeyStore.for_database(path)
    if old_ks.slot(login) is None:
        return
    try:
        raw = old_ks.unlock(login, password)
    except BadCredentials:
        return                                               # the normal sign-in reports it
    if opens(raw):
        undo()
        return
    raise UserError(tr(_CTX, "Het vernieuwen van de databasesleutel werd onderbroken. De beheerder die het startte, "
                             "moet zich eerst aanmelden om het af te ronden."))
