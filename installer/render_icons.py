"""Render resources/icons/werkbrug.svg to the PNG sizes of the Linux menu and to werkbrug.ico.

Run after changing the SVG (the results are checked in):

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/render_icons.py
"""
from __future__ import annotations

import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (48, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def render(svg: Path, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"invalid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    from PySide6.QtGui import QGuiApplication, QImageWriter
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1] + ["-platform", "offscreen"])  # noqa: F841
    svg = ICONS / "werkbrug.svg"
    for size in PNG_SIZES:
        target = ICONS / f"werkbrug-{size}.png"
        if not render(svg, size).save(str(target), "PNG"):
            raise SystemExit(f"cannot write {target}")
        print(target)
    # Qt's ICO writer stores one image per file; Pillow (when present) packs all sizes in one .ico.
    try:
        from PIL import Image
    except ImportError:
        writer = QImageWriter(str(ICONS / "werkbrug.ico"), b"ico")
        if not writer.write(render(svg, 256)):
            raise SystemExit(f"cannot write werkbrug.ico: {writer.errorString()}")
    else:
        big = ICONS / "werkbrug-256.png"
        Image.open(big).save(ICONS / "werkbrug.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(ICONS / "werkbrug.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
