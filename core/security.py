"""Security primitives in plain Python: roles, principals, password hashing, key derivation and wrapping.

No SQL, no Qt. The cost parameters of every memory-hard computation live here, in one place:
``KdfParams.PRODUCTION`` is what new accounts and key slots get; a cheaper profile can only be
chosen explicitly by passing ``kdf=`` to the functions that create them (tests do that), never
through the environment.
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw

from core.errors import UserError
from core.i18n import tr

_CTX = "security"

KEY_BYTES = 32           # SQLCipher raw key: AES-256
SALT_BYTES = 16


def _role_key(text: str) -> str:
    import unicodedata
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s\-_]+", "", t).lower()


class Role(str, enum.Enum):
    CONSULENT = "consulent"
    COORDINATOR = "celcoördinator"
    ADMIN = "beheerder"

    @classmethod
    def _missing_(cls, value):
        """A role typed without accents or in another case ("celcoordinator", "Beheerder") is that role."""
        if isinstance(value, str):
            key = _role_key(value)
            for role in cls:
                if _role_key(role.value) == key:
                    return role
        return None

    @property
    def label(self) -> str:
        return {Role.CONSULENT: tr(_CTX, "Consulent"), Role.COORDINATOR: tr(_CTX, "Celcoördinator"),
                Role.ADMIN: tr(_CTX, "Beheerder")}[self]


@dataclass(frozen=True)
class Principal:
    """Who is acting. Repositories filter on it; ``None`` in their place means the system itself."""
    account_id: int
    login: str
    name: str
    role: Role

    @property
    def sees_all_dossiers(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def sees_all_limitations(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def manages_accounts(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def manages_reference_data(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def assigns_dossiers(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def assigns_counsellors(self) -> bool:
        """May give a worker any own counsellor, or none (who sees the health data is the coordinator's call).
        Others may only take on a worker who has none yet, in a dossier they are assigned to."""
        return self.role is Role.COORDINATOR

    def is_counsellor_of(self, counsellor_field: str) -> bool:
        """workers.counsellor holds the login or the name of the worker's own counsellor."""
        v = (counsellor_field or "").strip().casefold()
        return bool(v) and v in (self.login.casefold(), self.name.strip().casefold())


class AccessDenied(UserError):
    """The signed-in account may not do this (shown as one Dutch line)."""


# --- memory-hard key derivation ---------------------------------------------------------------------

@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. PRODUCTION is RFC 9106's second recommended profile (64 MiB, t=3, p=4)."""
    time_cost: int
    memory_kib: int
    parallelism: int

    def as_dict(self) -> dict:
        return {"alg": "argon2id", "t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @classmethod
    def from_dict(cls, d: dict) -> "KdfParams":
        if d.get("alg") != "argon2id":
            raise ValueError(f"unsupported kdf {d.get('alg')!r}")
        return cls(int(d["t"]), int(d["m"]), int(d["p"]))


KdfParams.PRODUCTION = KdfParams(time_cost=3, memory_kib=64 * 1024, parallelism=4)   # type: ignore[attr-defined]
# Only for tests and benchmarks, and only when passed explicitly: never picked up from the environment.
KdfParams.INSECURE_FAST = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)     # type: ignore[attr-defined]


def derive(password: str, salt: bytes, params: KdfParams, length: int = 64) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=length,
                           type=Type.ID)


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


class WrongPassword(Exception):
    pass


def _slot_mac(mac_key: bytes, label: str, salt: bytes, wrapped: bytes) -> bytes:
    return hmac.new(mac_key, b"werkbrug-slot-v1\x00" + label.encode() + b"\x00" + salt + wrapped,
                    hashlib.sha256).digest()


def wrap_key(key: bytes, password: str, label: str, params: KdfParams) -> dict:
    """Wrap the database key under a password (one key slot).

    Argon2id(password, fresh salt) yields 64 bytes: the first 32 are a one-time pad for the key
    (the salt is never reused, so neither is the pad), the last 32 authenticate the slot
    (HMAC-SHA256 over label, salt and wrapped key). A wrong password fails the MAC.
    """
    salt = os.urandom(SALT_BYTES)
    out = derive(password, salt, params, 64)
    wrapped = bytes(a ^ b for a, b in zip(key, out[:KEY_BYTES]))
    return {"label": label, "kdf": params.as_dict(), "salt": salt.hex(), "wrapped": wrapped.hex(),
            "mac": _slot_mac(out[KEY_BYTES:], label, salt, wrapped).hex()}


def unwrap_key(slot: dict, password: str) -> bytes:
    params = KdfParams.from_dict(slot["kdf"])
    salt, wrapped, mac = bytes.fromhex(slot["salt"]), bytes.fromhex(slot["wrapped"]), bytes.fromhex(slot["mac"])
    out = derive(password, salt, params, 64)
    if not hmac.compare_digest(_slot_mac(out[KEY_BYTES:], slot["label"], salt, wrapped), mac):
        raise WrongPassword()
    return bytes(a ^ b for a, b in zip(wrapped, out[:KEY_BYTES]))


def subkey(key: bytes, purpose: str) -> bytes:
    """An independent key for one purpose (audit chain, ...) derived from the database key."""
    return hmac.new(key, b"werkbrug-subkey-v1\x00" + purpose.encode(), hashlib.sha256).digest()


# --- recovery key ------------------------------------------------------------------------------------

# 32 symbols without the ones easily mixed up when read from paper (0/O, 1/I): 5 bits each.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_CHARS = 28        # 140 bits, shown as 7 groups of 4
RECOVERY_GROUP = 4


def new_recovery_code() -> str:
    """A random recovery code from ``secrets``, grouped for typing: ``ABCD-EFGH-...``."""
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CHARS))
    return "-".join(raw[i:i + RECOVERY_GROUP] for i in range(0, RECOVERY_CHARS, RECOVERY_GROUP))


def normalize_recovery_code(code: str) -> str:
    """The code as it is wrapped: upper case, without spaces or dashes (so typing them is optional)."""
    return re.sub(r"[\s\-_.]+", "", code or "").upper()


# --- password hashes of accounts --------------------------------------------------------------------

def password_hasher(params: KdfParams | None = None) -> PasswordHasher:
    p = params or KdfParams.PRODUCTION
    return PasswordHasher(time_cost=p.time_cost, memory_cost=p.memory_kib, parallelism=p.parallelism)


def hash_password(password: str, params: KdfParams | None = None) -> str:
    return password_hasher(params).hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str, params: KdfParams | None = None) -> bool:
    try:
        return password_hasher(params).check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


MIN_PASSWORD_LENGTH = 12
_COMMON = {"wachtwoord", "password", "welkom", "azerty", "qwerty", "123456", "werkbrug", "vdab", "letmein",
           "geheim", "admin", "consulent", "zomer", "winter", "lente", "herfst"}


def password_problems(password: str, login: str = "", name: str = "") -> list[str]:
    """Dutch reasons why a password is too weak; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(tr(_CTX, "Het wachtwoord moet minstens {n} tekens lang zijn.").format(n=MIN_PASSWORD_LENGTH))
    classes = sum(bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"\d", r"[^A-Za-z0-9]"))
    if len(password) < 20 and classes < 3:
        problems.append(tr(_CTX, "Gebruik minstens drie soorten tekens (kleine letters, hoofdletters, cijfers, "
                                 "leestekens), of een wachtwoordzin van 20 tekens of meer."))
    low = password.casefold()
    for part in [login, *name.split()]:
        part = part.strip().casefold()
        if len(part) >= 3 and part in low:
            problems.append(tr(_CTX, "Het wachtwoord mag je naam of gebruikersnaam niet bevatten."))
            break
    stripped = re.sub(r"[\d\W_]+", "", low)
    if stripped in _COMMON or low in _COMMON or len(set(password)) <= 3:
        problems.append(tr(_CTX, "Dit wachtwoord is te makkelijk te raden."))
    return problems


# --- lockout ----------------------------------------------------------------------------------------

FREE_ATTEMPTS = 5
FIRST_DELAY_S = 30
MAX_DELAY_S = 3600


def lockout_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong passwords: 0 for the first 4, then
    30 s after the 5th, doubling with every further failure, at most one hour."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (failures - FREE_ATTEMPTS))
