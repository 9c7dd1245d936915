"""Bad input on the command line: one Dutch line, exit 2, no traceback, database and files untouched.

The commands run in-process (``cli.app.run``) on one demo database per module to stay fast.
"""
import io
import json
import sys

import pytest

from cli.app import run
from tests.conftest import build_demo_db, copy_db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("badinput"), 4, "qa", "Qa-Wachtwoord-2026!")


@pytest.fixture
def werkbrug(demo_db, tmp_path, monkeypatch, capsys):
    """Run a command on a copy of the demo database; returns (exit code, stdout, stderr)."""
    db = copy_db(demo_db, tmp_path / "w.db")
    monkeypatch.setenv("WERKBRUG_USER", "qa")
    monkeypatch.setenv("WERKBRUG_PASSWORD", "Qa-Wachtwoord-2026!")

    def call(*args, stdin: str = "", stdin_bytes: bytes | None = None):
        from db.connection import set_session_key
        if stdin_bytes is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin_bytes), encoding="utf-8"))
        else:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = run(["--db", str(db), *args])
        except SystemExit as e:           # argparse errors
            code = e.code
        finally:
            set_session_key(None)
        out, err = capsys.readouterr()
        return code, out, err
    return call


def state(werkbrug) -> str:
    code, dossiers, _ = werkbrug("dossiers", "--json")
    assert code == 0
    parts = [dossiers]
    for d in json.loads(dossiers):
        parts.append(werkbrug("workers", "--dossier", str(d["id"]), "--json")[1])
    return "\n".join(parts)


def assert_user_error(result, *words):
    code, _out, err = result
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error" not in err, err
    for w in words:
        assert w in err, err


# -- output files in places that cannot be written -------------------------------------------------
@pytest.mark.parametrize("make_args", [
    lambda p: ["audit", "export", "--out", str(p / "geen-map" / "audit.csv")],
    lambda p: ["audit", "export", "--out", str(p)],                        # a folder
    lambda p: ["gdpr", "export", "--worker", "1", "--out", str(p / "bestand.txt")],   # a file, not a folder
    lambda p: ["export-dossier", "--dossier", "1", "--out", str(p / "bestand.txt" / "x.xlsx")],
    lambda p: ["plan", "--worker", "1", "--out", str(p / "bestand.txt" / "plan.pdf")],
])
def test_unwritable_output_is_one_dutch_line(werkbrug, tmp_path, make_args):
    out = tmp_path / "uit"
    out.mkdir()
    (out / "bestand.txt").write_text("al hier")
    before = state(werkbrug)
    assert_user_error(werkbrug(*make_args(out)))
    assert state(werkbrug) == before
    assert sorted(p.name for p in out.rglob("*")) == ["bestand.txt"]      # nothing half-written


def test_transfer_into_missing_folder_names_the_target(werkbrug, tmp_path, monkeypatch):
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "lange-wachtwoordzin-123")
    target = tmp_path / "bestaat-niet" / "dossier.werkbrug"
    assert_user_error(werkbrug("export-transfer", "--dossier", "1", "--out", str(target)), str(target), "bestaat niet")
    assert not target.parent.exists()


def test_failed_write_leaves_no_partial_file(tmp_path):
    from core.fileio import atomic_path
    target = tmp_path / "uit.csv"
    target.write_text("oud")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("stop")
    assert target.read_text() == "oud" and [p.name for p in tmp_path.iterdir()] == ["uit.csv"]


def test_failed_plan_print_leaves_no_partial_pdf(tmp_path, monkeypatch):
    from reportlab.platypus import BaseDocTemplate
    from core import plan_pdf

    def broken_build(self, *a, **kw):
        with open(self.filename, "wb") as fh:
            fh.write(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(BaseDocTemplate, "build", broken_build)
    from core.model import TrajectoryPlan, Worker
    data = plan_pdf.PlanInput(worker=Worker(surname="Peeters", first_names="An"), plan=TrajectoryPlan(worker_id=0))
    with pytest.raises(OSError):
        plan_pdf.write_plan(data, tmp_path / "plan.pdf")
    assert list(tmp_path.iterdir()) == []


def test_os_reason_is_dutch():
    import errno
    from core.fileio import os_reason
    assert "bestaat niet" in os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory"))
    assert "vol" in os_reason(OSError(errno.ENOSPC, "No space left on device"))
    assert "alleen-lezen" in os_reason(OSError(errno.EROFS, "Read-only file system"))
    assert "toegang" in os_reason(PermissionError(errno.EACCES, "Permission denied"))


# -- numbers and ids ---------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["workers", "--dossier", "99999999999999999999999"],
    ["plan", "--worker", "99999999999999999999999", "--out", "x.pdf"],
    ["workers", "--dossier", "abc"],
    ["workers", "--dossier", "-1"],
    ["workers"],
    ["plan", "--worker", "1", "--out", "x.pdf", "--version", "0"],
])
def test_bad_ids_are_refused_in_dutch(werkbrug, args):
    code, _out, err = werkbrug(*args)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Error" not in err, err
    for english in ("invalid", "argument", "required", "Python int"):
        assert english not in err, err


def test_argparse_messages_are_dutch():
    from cli.app import argparse_message_nl
    assert argparse_message_nl("the following arguments are required: --dossier") == "deze gegevens ontbreken: --dossier"
    assert argparse_message_nl("argument --resolve: invalid choice: 'x' (choose from 'mine', 'theirs')") == \
        "--resolve: ongeldige keuze 'x' (kies uit 'mine', 'theirs')"
    assert argparse_message_nl("unrecognized arguments: --bogus") == "onbekende argumenten: --bogus"


def test_match_dossier_refuses_a_top_below_one_and_keeps_stored_results(werkbrug):
    assert werkbrug("match-dossier", "--dossier", "1", "--top", "3")[0] == 0
    code, _out, err = werkbrug("match-dossier", "--dossier", "1", "--top", "-5")
    assert code == 2 and "--top" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("workers", [",,,", "", " , ", "1,abc", "0"])
def test_export_transfer_with_empty_or_bad_worker_list_never_exports_the_whole_dossier(werkbrug, tmp_path,
                                                                                       monkeypatch, workers):
    monkeypatch.setenv("WERKBRUG_TRANSFER_PASSPHRASE", "lange-wachtwoordzin-123")
    out = tmp_path / "x.werkbrug"
    assert_user_error(werkbrug("export-transfer", "--dossier", "1", "--workers", workers, "--out", str(out)),
                      "--workers")
    assert not out.exists()


# -- JSON profiles on stdin (match) -------------------------------------------------------------------
@pytest.mark.parametrize("line", [
    '{"competences": 5}', '{"job_title": 5}', '{"licences": 7}', '{"limitations": [1, 2]}',
    '{"competences": [1]}', '{"max_commute_minutes": "abc"}', '{"accepts_nights": "false"}',
    '{"competences": ["\\ud800"]}',
])
def test_match_refuses_profile_fields_of_the_wrong_kind(werkbrug, line):
    assert_user_error(werkbrug("match", stdin='{"competences": ["lassen"]}\n' + line + "\n"), "Regel 2")


def test_match_reads_a_single_competence_text_as_one_phrase():
    from core.matching import WorkerProfile
    p = WorkerProfile.from_dict({"competences": "tig lassen", "job_title": "lasser", "accepts_nights": False})
    assert p.phrases == (("tig lassen", "", 2),) and p.job_titles == ("lasser",) and p.accepts_nights is False


def test_match_echoes_an_odd_id_without_crashing(werkbrug):
    code, out, err = werkbrug("match", "--top", "1", stdin='{"id": "\\ud800", "competences": ["lassen"]}\n')
    assert code == 0, err
    assert json.loads(out)["id"] == "\ud800"


@pytest.mark.parametrize("line", [
    "[" * 50000 + "]" * 50000,                      # nesting deeper than the JSON reader goes
    '{"id": null, "competences": ["lassen"]}', '{"id": {"a": 1}, "competences": ["lassen"]}',
    '{"competences": ["las\\u0000ser"]}', '{"job_title": "' + "a" * 5000 + '"}',
])
def test_match_refuses_odd_profiles_in_dutch(werkbrug, line):
    assert_user_error(werkbrug("match", stdin='{"competences": ["lassen"]}\n' + line + "\n"), "Regel 2")


def test_match_names_a_misspelt_field_instead_of_ranking_an_empty_profile_silently(werkbrug):
    code, out, err = werkbrug("match", "--top", "1", stdin='{"id": "a", "competence": ["lassen"]}\n')
    assert code == 0
    assert json.loads(out)["id"] == "a"
    assert "'competence'" in err and "competences" in err and "Traceback" not in err


def test_titles_reads_utf8_or_windows_text_and_refuses_utf16(werkbrug):
    code, out, err = werkbrug("titles", "--top", "1", "--json",
                              stdin_bytes="\ufefflasser\nhersteller \u00e9lectro\n".encode("utf-8"))
    assert code == 0, err
    queries = [json.loads(x)["query"] for x in out.splitlines()]
    assert queries == ["lasser", "hersteller \u00e9lectro"]          # byte-order mark dropped
    code, out, err = werkbrug("titles", "--top", "1", "--json", stdin_bytes="hersteller \u00e9lectro\n".encode("cp1252"))
    assert code == 0, err
    assert json.loads(out)["query"] == "hersteller \u00e9lectro"      # Windows text read as such
    assert_user_error(werkbrug("titles", stdin_bytes="lasser\n".encode("utf-16")), "UTF-8")


def test_a_pasted_page_as_a_title_or_phrase_is_read_only_as_far_as_a_title_goes():
    from core.competences import CompetenceEntry, CompetenceMatcher
    from core.textnorm import MAX_TEXT, MAX_WORD, Normalizer, clip_text
    from core.titles import LabelKind, OccupationRecord, TitleMatcher
    assert clip_text("lasser " * 100) == ("lasser " * 100)[:MAX_TEXT].rsplit(" ", 1)[0]
    assert clip_text("x" * 1000) == "x" * MAX_TEXT
    # a "word" longer than any word is neither split nor corrected (that took minutes)
    n = Normalizer({"heftruck": 3, "chauffeur": 3})
    long_word = "heftruckchauffeur" * 20
    assert len(long_word) > MAX_WORD and n.analyse_word(long_word) == ((long_word,), long_word)
    # a label longer than any title (a damaged import) is not indexed; a long query is clipped
    m = TitleMatcher([OccupationRecord("a", "7212", (("lasser", LabelKind.PREFERRED), ("x" * 20000, LabelKind.ALTERNATIVE))),
                      OccupationRecord("b", "8344", (("heftruckchauffeur", LabelKind.PREFERRED),))])
    assert m.label_count == 2
    assert m.query("heftruckchauffeur " + "a" * 100000, 1)[0].uri == "b"
    assert all(len(k[0]) <= MAX_TEXT for k in m._cache)
    # the same for competence texts
    c = CompetenceMatcher([CompetenceEntry("vca", "VCA", ("VCA", "v" * 100000))])
    assert all(len(t) <= MAX_TEXT for t in c.t_text)
    assert c.recognise("vca " + "b" * 100000).competence_id == "vca"


@pytest.mark.parametrize("text, word", [("v" * 201, "hoogstens"), ("ab\x01c", "stuurtekens")])
def test_reference_variants_are_short_lines_of_ordinary_characters(werkbrug, text, word):
    assert_user_error(werkbrug("reference-variant", "vca-basis", text), word)
