"""The key file next to an encrypted database: ``werkbrug.db.keys``.

It holds no personal data and no usable key: one *slot* per account (the random database key
wrapped under a key derived from that account's password, see ``core.security.wrap_key``) and
the counters of failed logins, so that a restart does not reset the lockout delay. Slots are
labelled with a hash of the login so the file does not list the counsellors. An optional extra
slot holds the same key wrapped under the *recovery code* (same mechanism, see
``RECOVERY_LOGIN``); its failed attempts use the same delay counter as a login.
Written atomically (temporary file + rename), readable by the owner only.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from core.errors import UserError
from core.i18n import tr
from core.security import (KEY_BYTES, SALT_BYTES, KdfParams, WrongPassword, lockout_delay,
                           normalize_recovery_code, unwrap_key, wrap_key)

_CTX = "security"
FORMAT = "werkbrug-keys"
# Pseudo-login of the recovery slot and of its failure counter; a real login never contains a space.
RECOVERY_LOGIN = "werkbrug herstelsleutel"
MAX_TRACKED = 200          # failure counters kept for unknown logins, oldest dropped first


def keyfile_path(db_path: Path | str) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".keys")


class KeyFileError(UserError):
    """A key file that cannot be used; ``reason`` is the Dutch reason alone (without the path)."""
    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class LockedOut(UserError):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(tr(_CTX, "Te veel mislukte aanmeldpogingen. Probeer opnieuw over {s} seconden.")
                         .format(s=seconds))


class BadRecoveryCode(UserError):
    def __init__(self):
        super().__init__(tr(_CTX, "De herstelsleutel klopt niet. Er werd niets gewijzigd."))


class NoRecoveryKey(UserError):
    def __init__(self):
        super().__init__(tr(_CTX, "Voor deze database werd geen herstelsleutel aangemaakt. Er werd niets gewijzigd."))


class BadCredentials(UserError):
    def __init__(self):
        super().__init__(tr(_CTX, "Onbekende gebruikersnaam of verkeerd wachtwoord. Er werd niets gewijzigd."))


class NeedsNewPassword(BadCredentials):
    """No slot for this login while accounts wait for a new password after a key renewal. The
    message is the same for every login without a slot, so it does not tell which logins exist."""
    def __init__(self):
        UserError.__init__(self, tr(_CTX, "Onbekende gebruikersnaam of verkeerd wachtwoord. De databasesleutel werd "
                                          "onlangs vernieuwd: had je account al toegang, vraag de beheerder dan om "
                                          "een nieuw wachtwoord."))


def _hex_of(value, size: int) -> bool:
    try:
        return isinstance(value, str) and len(bytes.fromhex(value)) == size
    except ValueError:
        return False


def _valid_slot(slot) -> bool:
    """A key slot as ``core.security.wrap_key`` writes it (the password is needed to know more)."""
    if not isinstance(slot, dict) or not isinstance(slot.get("label"), str) or not slot["label"]:
        return False
    try:
        KdfParams.from_dict(slot.get("kdf"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return _hex_of(slot.get("salt"), SALT_BYTES) and _hex_of(slot.get("wrapped"), KEY_BYTES) \
        and _hex_of(slot.get("mac"), 32)


@dataclass
class KeyStore:
    path: Path
    db_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    slots: list[dict] = field(default_factory=list)
    attempts: dict[str, dict] = field(default_factory=dict)
    # labels of accounts that lost their slot when the database key was renewed (db/rekey.py):
    # they sign in again once a beheerder has set a new password for them
    waiting: list[str] = field(default_factory=list)

    # -- file ------------------------------------------------------------------------------------
    @classmethod
    def for_database(cls, db_path: Path | str) -> "KeyStore":
        kp = keyfile_path(db_path)
        if not kp.exists():
            return cls(kp)
        return cls.load(kp)

    @classmethod
    def load(cls, kp: Path) -> "KeyStore":
        """Read and check a key file; raises KeyFileError with a Dutch reason when it is not usable."""
        kp = Path(kp)
        try:
            text = kp.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            reason = tr(_CTX, "geen tekstbestand")
        except OSError as e:
            from core.fileio import os_reason
            reason = os_reason(e)
        else:
            if not text.strip():
                reason = tr(_CTX, "het bestand is leeg")
            else:
                try:
                    data = json.loads(text)
                except ValueError:
                    reason = tr(_CTX, "geen geldige JSON")
                else:
                    store, reason = cls._from_data(kp, data)
                    if store is not None:
                        return store
        raise KeyFileError(tr(_CTX, "Het sleutelbestand {pad} is onleesbaar of beschadigd ({fout}). Zet het "
                                    "sleutelbestand van een reservekopie terug.").format(pad=kp, fout=reason), reason)

    @classmethod
    def _from_data(cls, kp: Path, data) -> tuple["KeyStore | None", str]:
        """(the key store, '') or (None, a Dutch reason) for the parsed contents of a key file."""
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") not in (1, "1"):
            return None, tr(_CTX, "geen Werkbrug-sleutelbestand of een onbekende versie")
        db_id, slots = data.get("db_id"), data.get("slots", [])
        attempts, waiting = data.get("attempts", {}), data.get("waiting", [])
        if not isinstance(db_id, str) or not db_id:
            return None, tr(_CTX, "het kenmerk van de database ontbreekt")
        if not isinstance(slots, list) or not all(_valid_slot(x) for x in slots):
            return None, tr(_CTX, "een sleutelvak is onvolledig")
        if not isinstance(attempts, dict) or not all(
                isinstance(a, dict) and isinstance(a.get("failures"), int) and isinstance(a.get("last"), (int, float))
                for a in attempts.values()):
            return None, tr(_CTX, "de tellers van mislukte aanmeldingen zijn onleesbaar")
        if not isinstance(waiting, list) or not all(isinstance(x, str) for x in waiting):
            return None, tr(_CTX, "de lijst van accounts die een nieuw wachtwoord nodig hebben is onleesbaar")
        return cls(kp, db_id, [dict(x) for x in slots], dict(attempts), list(waiting)), ""

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def save(self) -> None:
        data = {"format": FORMAT, "version": 1, "db_id": self.db_id, "slots": self.slots, "attempts": self.attempts}
        if self.waiting:
            data["waiting"] = self.waiting
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=1, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.chmod(tmp, 0o600)
            except OSError:
                pass
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def copy_to(self, db_path: Path | str) -> Path:
        """Write this key file (slots only, no failure counters) next to another database file."""
        from core.fileio import check_output_file
        check_output_file(keyfile_path(db_path))     # never over the key file of an open database
        other = KeyStore(keyfile_path(db_path), self.db_id, [dict(s) for s in self.slots], {}, list(self.waiting))
        other.save()
        return other.path

    # -- slots -----------------------------------------------------------------------------------
    def label(self, login: str) -> str:
        return hashlib.sha256(f"{self.db_id}:{login.strip().casefold()}".encode()).hexdigest()

    def slot(self, login: str) -> dict | None:
        lab = self.label(login)
        return next((s for s in self.slots if s["label"] == lab), None)

    def set_slot(self, login: str, key: bytes, password: str, params: KdfParams | None = None) -> None:
        lab = self.label(login)
        self.slots = [s for s in self.slots if s["label"] != lab]
        self.slots.append(wrap_key(key, password, lab, params or KdfParams.PRODUCTION))
        self.waiting = [w for w in self.waiting if w != lab]

    def remove_slot(self, login: str) -> bool:
        lab = self.label(login)
        before = len(self.slots) + len(self.waiting)
        self.slots = [s for s in self.slots if s["label"] != lab]
        self.waiting = [w for w in self.waiting if w != lab]
        return len(self.slots) + len(self.waiting) != before

    # -- unlocking with lockout ------------------------------------------------------------------
    def wait_seconds(self, login: str, now: float) -> int:
        a = self.attempts.get(self.label(login))
        if not a:
            return 0
        remaining = a["last"] + lockout_delay(a["failures"]) - now
        return max(0, int(remaining + 0.999))

    def failures(self, login: str) -> int:
        return int(self.attempts.get(self.label(login), {}).get("failures", 0))

    def record_failure(self, login: str, now: float) -> None:
        lab = self.label(login)
        a = self.attempts.get(lab, {"failures": 0, "last": 0.0})
        self.attempts[lab] = {"failures": a["failures"] + 1, "last": now}
        if len(self.attempts) > MAX_TRACKED:
            for old in sorted(self.attempts, key=lambda k: self.attempts[k]["last"])[: len(self.attempts) - MAX_TRACKED]:
                del self.attempts[old]
        if self.exists:
            self.save()

    def reset_failures(self, login: str) -> None:
        if self.attempts.pop(self.label(login), None) is not None and self.exists:
            self.save()

    def unlock(self, login: str, password: str, clock: Callable[[], float] = time.time) -> bytes:
        """The database key for this login and password; raises LockedOut or BadCredentials.

        A refused attempt while the delay runs is not counted and the password is not even tried.
        """
        now = clock()
        wait = self.wait_seconds(login, now)
        if wait > 0:
            raise LockedOut(wait)
        slot = self.slot(login)
        if slot is None:
            # same work as for a real slot, so the answer time does not reveal which logins exist
            if self.slots:
                try:
                    unwrap_key(self.slots[0], password + "\x00decoy")
                except WrongPassword:
                    pass
            self.record_failure(login, now)
            if self.waiting:
                raise NeedsNewPassword()
            raise BadCredentials()
        try:
            return unwrap_key(slot, password)
        except WrongPassword:
            self.record_failure(login, now)
            raise BadCredentials() from None

    # -- recovery key ----------------------------------------------------------------------------
    @property
    def has_recovery_slot(self) -> bool:
        return self.slot(RECOVERY_LOGIN) is not None

    def set_recovery_slot(self, key: bytes, code: str, params: KdfParams | None = None) -> None:
        """Wrap the key under a recovery code: replaces an earlier recovery slot (its code stops working)."""
        self.set_slot(RECOVERY_LOGIN, key, normalize_recovery_code(code), params)

    def unlock_recovery(self, code: str, clock: Callable[[], float] = time.time) -> bytes:
        """The database key for the recovery code; raises NoRecoveryKey, LockedOut or BadRecoveryCode.

        Wrong codes count in the same delay counter as wrong passwords (under ``RECOVERY_LOGIN``).
        """
        slot = self.slot(RECOVERY_LOGIN)
        if slot is None:
            raise NoRecoveryKey()
        now = clock()
        wait = self.wait_seconds(RECOVERY_LOGIN, now)
        if wait > 0:
            raise LockedOut(wait)
        try:
            return unwrap_key(slot, normalize_recovery_code(code))
        except WrongPassword:
            self.record_failure(RECOVERY_LOGIN, now)
            raise BadRecoveryCode() from None
