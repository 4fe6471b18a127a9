"""The installer recipes in packaging/: fast checks, no PyInstaller run (CI's .ci/run builds for real)."""

from __future__ import annotations

import importlib.util
import plistlib
import re
import struct
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"

tomllib = pytest.importorskip("tomllib")  # Python 3.11+


def load(name: str):  # noqa: ANN201 - a module
    # By path: "packaging" is also the name of a PyPI library, so packaging/ is not a package.
    spec = importlib.util.spec_from_file_location(f"onsite_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


rules = load("bundle_rules")
build = load("build")
icons = load("make_icons")


def runtime_import_names() -> set[str]:
    """Top-level modules of the app's declared dependencies (and theirs that the app reaches)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = {re.split(r"[<>=!~ ;\[]", item, maxsplit=1)[0].lower().replace("_", "-")
              for item in project["dependencies"]}
    names = {"pluggy", "click", "yaml", "shiboken6"}  # sqlite-utils and PySide6 need these at run time
    for module, dists in packages_distributions().items():
        if any(dist.lower().replace("_", "-") in wanted for dist in dists):
            names.add(module)
    return names


def test_the_spec_excludes_test_only_packages() -> None:
    spec = (PACKAGING / "onsite.spec").read_text()
    compile(spec, "onsite.spec", "exec")
    assert "bundle_rules.py" in spec
    assert "excludes=EXCLUDED_MODULES" in spec
    for name in ("pytest", "_pytest", "pytestqt", "ruff", "anki"):
        assert name in rules.EXCLUDED_MODULES


def test_no_runtime_dependency_is_excluded() -> None:
    excluded = {name.split(".")[0] for name in rules.EXCLUDED_MODULES if "." not in name}
    used_qt = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"}
    assert not excluded & runtime_import_names()
    assert not used_qt & set(rules.EXCLUDED_MODULES)
    assert "genanki" not in excluded  # the Anki export ships


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqico.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", True),
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", True),
        ("PySide6\\Qt6Widgets.dll", True),
        ("PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
        ("bank/bank.sqlite", True),
        ("resources/icons/onsite.svg", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6\\translations\\qt_fr.qm", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqminimal.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6Qml.so.6", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", False),
        ("PySide6\\Qt6Pdf.dll", False),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", False),
        ("PySide6/Qt/qml/QtQuick/qmldir", False),
        ("PySide6\\opengl32sw.dll", False),
        ("PySide6\\d3dcompiler_47.dll", False),
    ],
)
def test_bundle_keeps_what_the_app_loads(dest: str, kept: bool) -> None:
    assert rules.keep_in_bundle(dest) is kept


def test_linux_bundle_leaves_the_desktop_stack_to_the_system() -> None:
    system = "/lib/x86_64-linux-gnu/"
    assert not rules.keep_binary("libxcb-cursor.so.0", system + "libxcb-cursor.so.0", "linux")
    assert not rules.keep_binary("libglib-2.0.so.0", system + "libglib-2.0.so.0", "linux")
    assert not rules.keep_binary("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "linux")
    assert rules.keep_binary("libsqlite3.so.0", system + "libsqlite3.so.0", "linux")
    assert rules.keep_binary("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0", "linux")
    venv_lib = "/x/.venv/lib/python3.11/site-packages/PySide6/Qt/lib/libicudata.so.73"
    assert rules.keep_binary("PySide6/Qt/lib/libicudata.so.73", venv_lib, "linux")
    assert rules.keep_binary("libxcb.so.1", system + "libxcb.so.1", "win32")


def test_deb_depends_cover_the_qt_xcb_plugin() -> None:
    packages = set(build.DEBIAN_DEPENDS.values())
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1", "libgl1",
                    "libfontconfig1", "libdbus-1-3", "libxcb-image0", "libxcb-render-util0", "libxcb-randr0"):
        assert package in packages
    assert build.version() == tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_desktop_entry() -> None:
    entry = build.desktop_entry("/opt/onsite/onsite")
    assert "Exec=/opt/onsite/onsite\n" in entry
    assert "Icon=onsite\n" in entry
    assert "Terminal=false" in entry
    assert "@" not in entry


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_generated_icons_are_committed_and_well_formed() -> None:
    for size in icons.PNG_SIZES:
        assert png_size(icons.png_path(size)) == (size, size)
    ico = (icons.ICONS / "onsite.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    for index, size in enumerate(icons.ICO_SIZES):
        width, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * index:22 + 16 * index])
        assert width == size % 256
        assert ico[offset:offset + 4] == b"\x89PNG" and offset + length <= len(ico)
    icns = (icons.ICONS / "onsite.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic10" in icns and b"ic07" in icns


def test_windows_installer_script() -> None:
    script = (PACKAGING / "windows" / "onsite.iss").read_text()
    assert re.search(r"^PrivilegesRequired=lowest$", script, re.MULTILINE)
    assert "{autoprograms}" in script  # Start-menu entry
    assert "Source: \"..\\..\\dist\\onsite\\*\"" in script
    icon = re.search(r"^SetupIconFile=(.+)$", script, re.MULTILINE).group(1)
    assert (PACKAGING / "windows" / icon.replace("\\", "/")).resolve().is_file()
    assert "Uninstallable=no" not in script


def test_macos_recipes() -> None:
    info = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())
    assert info["CFBundleIdentifier"] and info["CFBundlePackageType"] == "APPL"
    assert info["NSHighResolutionCapable"] is True
    script = (PACKAGING / "macos" / "make-dmg.sh").read_text()
    assert "hdiutil create" in script


def test_ci_builds_and_smoke_tests_every_platform() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "build.yml").read_text())
    job = workflow["jobs"]["build"]
    systems = " ".join(job["strategy"]["matrix"]["os"])
    assert "ubuntu" in systems and "windows" in systems and "macos" in systems
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert ".[build]" in commands and "packaging/build.py" in commands and "--self-test" in commands
    assert "smoke_test.sh" in commands
    ci = (REPO / ".ci" / "run").read_text()
    assert ci.index("bash scripts/test") < ci.index("packaging/build.py") < ci.index("packaging/smoke_test.sh")
