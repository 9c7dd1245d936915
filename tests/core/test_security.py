import json

import pytest

from core.keystore import BadCredentials, KeyStore, LockedOut
from core.security import (KdfParams, Principal, Role, WrongPassword, hash_password, lockout_delay, new_key,
                           password_problems, unwrap_key, verify_password, wrap_key)

FAST = KdfParams.INSECURE_FAST


def test_production_profile_is_memory_hard_and_not_the_test_profile():
    assert KdfParams.PRODUCTION.memory_kib >= 64 * 1024 and KdfParams.PRODUCTION.time_cost >= 3
    assert KdfParams.PRODUCTION != FAST


def test_wrap_and_unwrap_key():
    key = new_key()
    slot = wrap_key(key, "Juist-Wachtwoord-1", "label", FAST)
    assert key.hex() not in json.dumps(slot)
    assert unwrap_key(slot, "Juist-Wachtwoord-1") == key
    with pytest.raises(WrongPassword):
        unwrap_key(slot, "Fout-Wachtwoord-1")
    # the same key wrapped twice gives different slots (fresh salt, fresh pad)
    assert wrap_key(key, "Juist-Wachtwoord-1", "label", FAST)["wrapped"] != slot["wrapped"]


def test_password_hash_is_argon2id():
    h = hash_password("Een-Goed-Wachtwoord-7", FAST)
    assert h.startswith("$argon2id$")
    assert verify_password(h, "Een-Goed-Wachtwoord-7") and not verify_password(h, "iets anders")


def test_password_strength_rules():
    assert password_problems("Lang-Genoeg-Wachtwoord-9", "jan", "Jan Peeters") == []
    assert password_problems("kort", "", "")
    assert any("naam" in p for p in password_problems("Peeters-Is-Mijn-Naam-1", "jpeeters", "Jan Peeters"))
    assert password_problems("wachtwoord12!", "", "")


def test_lockout_delay_grows_after_five_failures():
    assert [lockout_delay(n) for n in range(5)] == [0, 0, 0, 0, 0]
    assert lockout_delay(5) == 30 and lockout_delay(6) == 60 and lockout_delay(7) == 120
    assert lockout_delay(50) == 3600


def test_keystore_lockout_survives_a_restart(tmp_path):
    now = [1_000_000.0]
    clock = lambda: now[0]  # noqa: E731
    ks = KeyStore.for_database(tmp_path / "w.db")
    key = new_key()
    ks.set_slot("an", key, "Juist-Wachtwoord-1", FAST)
    ks.save()
    for _ in range(5):
        with pytest.raises(BadCredentials):
            ks.unlock("an", "fout", clock)
    # a restart: read the key file again; the right password is refused while the delay runs
    again = KeyStore.for_database(tmp_path / "w.db")
    with pytest.raises(LockedOut) as e:
        again.unlock("an", "Juist-Wachtwoord-1", clock)
    assert e.value.seconds == 30 and "30 seconden" in str(e.value)
    now[0] += 31
    assert again.unlock("an", "Juist-Wachtwoord-1", clock) == key
    again.reset_failures("an")
    assert KeyStore.for_database(tmp_path / "w.db").failures("an") == 0


def test_unknown_login_is_counted_too_and_file_lists_no_logins(tmp_path):
    ks = KeyStore.for_database(tmp_path / "w.db")
    ks.set_slot("geheime.login", new_key(), "Juist-Wachtwoord-1", FAST)
    ks.save()
    now = [0.0]
    for _ in range(6):
        try:
            ks.unlock("bestaat.niet", "x", lambda: now[0])
        except (BadCredentials, LockedOut):
            pass
        now[0] += 1
    assert ks.failures("bestaat.niet") == 5    # the 6th attempt fell inside the delay and was not tried
    assert "geheime.login" not in ks.path.read_text()


def test_principal_rights():
    c = Principal(1, "an", "An Peeters", Role.CONSULENT)
    k = Principal(2, "kim", "Kim", Role.COORDINATOR)
    b = Principal(3, "bob", "Bob", Role.ADMIN)
    assert not c.sees_all_dossiers and k.sees_all_dossiers and b.sees_all_dossiers
    assert k.sees_all_limitations and not b.sees_all_limitations and not c.sees_all_limitations
    assert b.manages_accounts and not k.manages_accounts
    assert c.is_counsellor_of("an") and c.is_counsellor_of(" an peeters ") and not c.is_counsellor_of("")
