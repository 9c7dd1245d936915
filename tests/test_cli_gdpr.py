"""``gdpr export``: a short Dutch summary for the counsellor, JSON only with --json."""
import json

import pytest

from cli.app import run


@pytest.fixture
def demo_db(tmp_path):
    from cli.cmd_demo import create_demo
    from cli.context import AppContext
    db_path = tmp_path / "g.db"
    ctx = AppContext(db_path=db_path)
    create_demo(ctx.db, 3)
    ctx.db.conn.commit()
    yield db_path
    ctx.close()


def test_export_prints_a_dutch_summary(demo_db, tmp_path, capsys):
    out = tmp_path / "inzage"
    assert run(["--db", str(demo_db), "gdpr", "export", "--worker", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Inzage voor werknemer 1 geschreven." in printed
    assert str(out / "werknemer-1.pdf") in printed and str(out / "werknemer-1.json") in printed
    assert "Functionele beperkingen (gezondheidsgegevens) zijn niet opgenomen." in printed
    assert "{" not in printed and "sensitive_included" not in printed
    data = json.loads((out / "werknemer-1.json").read_text(encoding="utf-8"))
    assert data["format"] == "werkbrug-inzage" and "surname" in data["worker"]     # the portability copy as it was


def test_export_json_on_request(demo_db, tmp_path, capsys):
    out = tmp_path / "inzage"
    assert run(["--db", str(demo_db), "gdpr", "export", "--worker", "2", "--out", str(out), "--json",
                "--no-pdf"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"json": str(out / "werknemer-2.json"), "pdf": None, "sensitive_included": False}
