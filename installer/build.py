"""Build the Werkbrug application folder with PyInstaller and, on Linux, the installable tar.gz.

    .venv/bin/python installer/build.py            # what `make dist` runs
    .venv/bin/python installer/build.py --clean    # throw away PyInstaller's cache under build/ first

Results (Linux):
    dist/werkbrug/                                   the application folder (run dist/werkbrug/werkbrug)
    dist/werkbrug-<version>-linux-<arch>.tar.gz      folder + .desktop file + icons + install.sh/uninstall.sh

On Windows, installer/windows/build.ps1 runs the same PyInstaller step and then Inno Setup.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bundle  # noqa: E402

ROOT = bundle.ROOT
SPEC = HERE / "werkbrug.spec"
LINUX_FILES = HERE / "linux"


def run_pyinstaller(distpath: Path, workpath: Path, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; returns the application folder."""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(distpath), "--workpath", str(workpath), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(cmd, cwd=ROOT, check=True, env=env)
    app_dir = distpath / bundle.APP_NAME
    if not (app_dir / executable_name()).exists():
        raise SystemExit(f"PyInstaller did not produce {app_dir / executable_name()}")
    return app_dir


def executable_name() -> str:
    return bundle.APP_NAME + (".exe" if sys.platform == "win32" else "")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _add(tar: tarfile.TarFile, source: Path, name: str, mode: int | None = None) -> None:
    info = tar.gettarinfo(str(source), arcname=name)
    if mode is not None:
        info.mode = mode
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if info.isfile():
        with open(source, "rb") as fh:
            tar.addfile(info, fh)
    else:
        tar.addfile(info)


def linux_package(app_dir: Path, distpath: Path, version: str) -> Path:
    """dist/werkbrug-<version>-linux-<arch>.tar.gz: one top folder with the app, menu entry, icons and scripts."""
    arch = platform.machine() or "x86_64"
    top = f"werkbrug-{version}-linux-{arch}"
    target = distpath / f"{top}.tar.gz"
    icons = ROOT / "resources" / "icons"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        _add(tar, LINUX_FILES / "install.sh", f"{top}/install.sh", 0o755)
        _add(tar, LINUX_FILES / "uninstall.sh", f"{top}/uninstall.sh", 0o755)
        _add(tar, LINUX_FILES / "werkbrug.desktop", f"{top}/werkbrug.desktop", 0o644)
        _add(tar, LINUX_FILES / "LEESMIJ.txt", f"{top}/LEESMIJ.txt", 0o644)
        for icon in sorted(icons.glob("werkbrug*")):
            if icon.suffix in (".png", ".svg"):
                _add(tar, icon, f"{top}/icons/{icon.name}", 0o644)
        tar.add(str(app_dir), arcname=f"{top}/app", filter=_normalise)
    return target


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Werkbrug application folder (and the Linux tar.gz).")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-package", action="store_true", help="only the application folder")
    args = parser.parse_args(argv)
    version = bundle.read_version()
    start = time.perf_counter()
    app_dir = run_pyinstaller(args.distpath, args.workpath, args.clean)
    print(f"application folder: {app_dir} ({folder_size(app_dir) / 1e6:.0f} MB, "
          f"{time.perf_counter() - start:.0f} s)")
    if sys.platform.startswith("linux") and not args.no_package:
        package = linux_package(app_dir, args.distpath, version)
        print(f"package: {package} ({package.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
