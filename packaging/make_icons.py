"""Render resources/icons/onsite.svg to the PNG, .ico and .icns files the installers need.

Uses only Qt (QtSvg ships with PySide6-Essentials), so no extra build dependency:
    python packaging/make_icons.py            # (re)write every file
    python packaging/make_icons.py --check    # exit 1 if a generated file is missing or older than the SVG

PNG sizes follow the freedesktop hicolor theme; the .ico holds PNG-compressed images (Windows Vista+)
and the .icns holds PNG-compressed images (macOS 10.7+), both written here byte by byte.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "onsite.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element types holding PNG data, by pixel size (ic10 is 512@2x = 1024 px).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512), (b"ic10", 1024),
)


def png_path(size: int) -> Path:
    return ICONS / "png" / f"onsite-{size}.png"


def outputs() -> list[Path]:
    return [png_path(size) for size in PNG_SIZES] + [ICONS / "onsite.ico", ICONS / "onsite.icns"]


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(ICO_SIZES))
    offset = 6 + 16 * len(ICO_SIZES)
    entries, blobs = b"", b""
    for size in ICO_SIZES:
        blob = pngs[size]
        # width/height 0 means 256; 32 bits per pixel; PNG payload.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b""
    for kind, size in ICNS_TYPES:
        blob = pngs[size]
        body += kind + struct.pack(">I", len(blob) + 8) + blob
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the generated files are up to date")
    args = parser.parse_args(argv)
    if args.check:
        stale = [path for path in outputs() if not path.exists() or path.stat().st_mtime < SVG.stat().st_mtime]
        for path in stale:
            print(f"stale or missing: {path.relative_to(REPO)}")
        return 1 if stale else 0

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs it
    pngs = {size: render_png(size) for size in sorted({*PNG_SIZES, *ICO_SIZES, 1024})}
    png_path(16).parent.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        png_path(size).write_bytes(pngs[size])
    (ICONS / "onsite.ico").write_bytes(ico_bytes(pngs))
    (ICONS / "onsite.icns").write_bytes(icns_bytes(pngs))
    for path in outputs():
        print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
