"""Build the Linux bundle with PyInstaller (as `make dist` does) and run it: --version, --self-test,
the subcommands, the resources, the tar.gz and its install script.

About 20-40 s on 2 cores (PyInstaller's cache in build/pyinstaller is reused when present). The
bundle goes to a temporary folder, so dist/ of the working tree is left alone.
"""
import argparse
import os
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKPATH = ROOT / "build" / "pyinstaller"
MAX_BUNDLE_MIB = 250

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle is built on Linux only"),
]


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e '.[dist]')")
    import fcntl
    distpath = tmp_path_factory.mktemp("dist")
    WORKPATH.mkdir(parents=True, exist_ok=True)
    with open(WORKPATH.parent / ".pyinstaller.lock", "w") as lock:   # one build at a time shares the cache
        fcntl.flock(lock, fcntl.LOCK_EX)
        r = subprocess.run([sys.executable, "installer/build.py", "--distpath", str(distpath),
                            "--workpath", str(WORKPATH)], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-5000:]
    app = distpath / "werkbrug"
    packages = list(distpath.glob("werkbrug-*-linux-*.tar.gz"))
    assert len(packages) == 1, list(distpath.iterdir())
    return app, packages[0]


def run(exe: Path, *args, env=None, timeout=180):
    full_env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout, env=full_env,
                          cwd=exe.parent.parent)


def test_version(built):
    app, _ = built
    r = run(app / "werkbrug", "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"Werkbrug {version()}"
    assert (app / "_internal" / "resources" / "VERSION").read_text(encoding="utf-8").strip() == version()


def test_self_test_passes_in_the_bundle(built):
    app, _ = built
    r = run(app / "werkbrug", "--self-test")
    lines = r.stdout.strip().splitlines()
    assert r.returncode == 0, r.stdout + r.stderr
    assert all(line.startswith("OK    ") for line in lines[:-1]), r.stdout
    assert "(geïnstalleerd programma)" in lines[0]
    assert any(line.startswith("OK    Qt-platform") and "xcb" in line for line in lines)


def test_every_subcommand_is_in_the_bundle(built):
    from cli.app import build_parser
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    app, _ = built
    r = run(app / "werkbrug", "--help")
    assert r.returncode == 0, r.stderr
    missing = [name for name in sub.choices if name not in r.stdout]
    assert not missing, f"subcommands missing from the bundle (hidden imports?): {missing}"


def test_every_resource_is_bundled(built):
    app, _ = built
    source = ROOT / "resources"
    bundled = app / "_internal" / "resources"
    missing = [str(p.relative_to(source)) for p in source.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and not (bundled / p.relative_to(source)).is_file()]
    assert not missing


def test_bundle_size(built):
    app, _ = built
    size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < MAX_BUNDLE_MIB * 2**20, f"bundle is {size / 2**20:.0f} MiB; see installer/README.md"


def test_package_installs_and_runs(built, tmp_path):
    _, package = built
    with tarfile.open(package) as tar:
        members = {m.name: m for m in tar.getmembers()}
        top = package.name.removesuffix(".tar.gz")
        for name in ("install.sh", "uninstall.sh", "werkbrug.desktop", "LEESMIJ.txt", "app/werkbrug",
                     "icons/werkbrug-48.png", "icons/werkbrug-128.png", "icons/werkbrug-256.png", "icons/werkbrug.svg"):
            assert f"{top}/{name}" in members, name
        assert members[f"{top}/install.sh"].mode & 0o111 and members[f"{top}/app/werkbrug"].mode & 0o111
        tar.extractall(tmp_path, filter="tar")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), WERKBRUG_INSTALL_AS_ROOT="1")
    r = subprocess.run(["sh", str(tmp_path / top / "install.sh")], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    installed = home / ".local" / "bin" / "werkbrug"
    r = subprocess.run([str(installed), "--version"], env=env, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == f"Werkbrug {version()}", r.stderr
    r = subprocess.run(["sh", str(home / ".local/opt/werkbrug/uninstall.sh")], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and not (home / ".local/opt/werkbrug").exists()
