"""The self-test: one line per check, a failing check never stops the others, a missing part fails."""
import subprocess
import sys
from pathlib import Path

import pytest

from core import selftest
from core.selftest import Check, CheckFailed, run_checks, run_selftest

ROOT = Path(__file__).resolve().parents[2]


def test_lines_and_exit_code():
    def ok(ctx):
        ctx.state["seen"] = True
        return "alles goed"

    def refused(ctx):
        raise CheckFailed("iets ontbreekt")

    def crashes(ctx):
        raise ValueError("kapot\nmet een tweede regel")

    lines: list[str] = []
    results = run_checks([Check("Eerste", ok), Check("Tweede", refused), Check("Derde", crashes),
                          Check("Vierde", ok)], lines.append)
    assert lines == ["OK    Eerste: alles goed", "FOUT  Tweede: iets ontbreekt", "FOUT  Derde: ValueError: kapot",
                     "OK    Vierde: alles goed"]
    assert [r.ok for r in results] == [True, False, False, True]
    assert "2 van 4" in selftest.summary(results)


def test_run_selftest_exit_code(monkeypatch):
    out: list[str] = []
    monkeypatch.setattr(selftest, "CHECKS", [Check("Goed", lambda ctx: "ja")])
    assert run_selftest(out=out.append) == 0
    assert out[-1].startswith("Zelftest geslaagd")
    assert run_selftest([Check("Slecht", lambda ctx: (_ for _ in ()).throw(CheckFailed("nee")))], out.append) == 1
    assert out[-2] == "FOUT  Slecht: nee" and out[-1].startswith("Zelftest mislukt")


def test_the_temporary_folder_is_removed():
    seen = []
    run_checks([Check("Map", lambda ctx: seen.append(ctx.workdir) or "ok")])
    assert seen and not seen[0].exists()


def test_a_missing_matching_module_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "MATCHING_MODULES", ("core.bestaat_niet",))
    ctx = selftest.SelfTestContext(tmp_path, {"reference": object()})
    with pytest.raises(CheckFailed, match="matchingmodule ontbreekt"):
        selftest.check_matching(ctx)


def test_a_missing_reference_module_fails_clearly(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "REFERENCE_MODULE", "core.bestaat_ook_niet")
    with pytest.raises(CheckFailed, match="ontbreekt"):
        selftest.check_reference(selftest.SelfTestContext(tmp_path))


def test_matching_needs_the_reference(tmp_path):
    with pytest.raises(CheckFailed, match="referentiegegevens"):
        selftest.check_matching(selftest.SelfTestContext(tmp_path))


def test_every_real_check_passes_from_the_source_tree(tmp_path):
    lines: list[str] = []
    results = run_checks(selftest.CHECKS, lines.append, workdir=tmp_path)
    assert all(r.ok for r in results), "\n".join(lines)
    assert (tmp_path / "trajectplan-zelftest.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "zelftest.db").exists()


def test_qt_check_runs_offscreen(tmp_path, qapp):
    from cli.cmd_selftest import check_qt
    detail = check_qt(selftest.SelfTestContext(tmp_path))
    assert "platform" in detail


def cli(*args):
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=180,
                          env=_env())


def _env():
    import os
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_command_line_flag_and_subcommand(tmp_path):
    r = cli("--self-test")
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0, r.stdout + r.stderr
    names = [line.split(":")[0].split(None, 1)[1] for line in lines[:-1]]
    assert names == [c.name for c in selftest.CHECKS] + ["Qt-platform"]
    assert all(line.startswith("OK    ") for line in lines[:-1])
    report = tmp_path / "rapport.txt"
    r = cli("self-test", "--rapport", str(report))
    assert r.returncode == 0, r.stdout + r.stderr
    assert report.read_text(encoding="utf-8") == r.stdout
