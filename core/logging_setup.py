"""Technical log: a rotating file in the user's data folder; never personal data."""
from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

_INSZ = re.compile(r"\b\d{2}[.]?\d{2}[.]?\d{2}[-.]?\d{3}[.]?\d{2}\b")


class _RedactInsz(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _INSZ.sub("<INSZ>", str(record.msg))
        return True


def log_dir() -> Path:
    env = os.environ.get("WERKBRUG_LOG_DIR")
    if env:
        return Path(env)
    from platformdirs import user_log_dir
    return Path(user_log_dir("Werkbrug", appauthor=False))


def log_file() -> Path:
    return log_dir() / "werkbrug.log"


def setup_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger("werkbrug")
    if root.handlers:
        return
    root.setLevel(level)
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(log_file(), maxBytes=1_000_000, backupCount=5,
                                                                       encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactInsz())
    root.addHandler(handler)
    root.propagate = False
