"""Schema 5: counsellor accounts, dossier assignments and the append-only audit trail."""
from __future__ import annotations

import sqlite_utils

_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))"


def up(db: sqlite_utils.Database) -> None:
    x = db.conn.execute
    x(f"""CREATE TABLE accounts (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(login)) > 0),
        name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL CHECK (role IN ('consulent', 'celcoördinator', 'beheerder')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created TEXT NOT NULL DEFAULT {_NOW},
        modified TEXT NOT NULL DEFAULT {_NOW},
        last_login TEXT NOT NULL DEFAULT '')""")
    # Which counsellors work on which dossier: a consulent sees only these dossiers.
    x("""CREATE TABLE dossier_counsellors (
        dossier_id INTEGER NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        PRIMARY KEY (dossier_id, account_id))""")
    x("CREATE INDEX idx_dossier_counsellors_account ON dossier_counsellors(account_id)")
    # The audit trail: each entry is chained to the previous one by an HMAC (db/audit.py).
    x("""CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL DEFAULT '',
        entity_id TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL)""")
    x("CREATE INDEX idx_audit_log_ts ON audit_log(ts)")
    x("CREATE INDEX idx_audit_log_actor ON audit_log(actor)")
    x("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
      "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    x("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
      "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    # Old and new values of changed fields, kept apart from the chained entry (which holds their
    # HMAC) so that erasing a worker (GDPR art. 17) can remove them without breaking the chain.
    x("""CREATE TABLE audit_values (
        entry_id INTEGER PRIMARY KEY REFERENCES audit_log(id),
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        worker_id INTEGER,
        payload TEXT NOT NULL)""")
    x("CREATE INDEX idx_audit_values_worker ON audit_values(worker_id)")
    x("CREATE TRIGGER audit_values_no_update BEFORE UPDATE ON audit_values "
      "BEGIN SELECT RAISE(ABORT, 'audit_values is append-only'); END")
    # Retention (GDPR art. 5(1)(e)): when a dossier was closed, and what was anonymised.
    x("ALTER TABLE dossiers ADD COLUMN closed_at TEXT NOT NULL DEFAULT ''")
    x("UPDATE dossiers SET closed_at = modified WHERE status = 'afgesloten'")
    x(f"""CREATE TRIGGER dossiers_closed_at AFTER UPDATE OF status ON dossiers
        WHEN NEW.status = 'afgesloten' AND OLD.status IS NOT 'afgesloten'
        BEGIN UPDATE dossiers SET closed_at = {_NOW} WHERE id = NEW.id; END""")
    x(f"""CREATE TRIGGER dossiers_inserted_closed AFTER INSERT ON dossiers WHEN NEW.status = 'afgesloten'
        BEGIN UPDATE dossiers SET closed_at = {_NOW} WHERE id = NEW.id; END""")
    x(f"""CREATE TRIGGER dossiers_reopened AFTER UPDATE OF status ON dossiers
        WHEN NEW.status <> 'afgesloten' AND OLD.status = 'afgesloten'
        BEGIN UPDATE dossiers SET closed_at = '' WHERE id = NEW.id; END""")
    x("ALTER TABLE dossiers ADD COLUMN anonymised_at TEXT NOT NULL DEFAULT ''")
    x("ALTER TABLE workers ADD COLUMN anonymised_at TEXT NOT NULL DEFAULT ''")
    x("INSERT OR IGNORE INTO meta (key, value) VALUES ('gdpr.retention_years', '5')")
