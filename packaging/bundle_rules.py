"""What the PyInstaller bundle leaves out. Used by onsite.spec and checked by tests/test_packaging.py.

Onsite is a Qt *widgets* app: it uses QtCore, QtGui and QtWidgets only. Everything Qt Quick/QML,
WebEngine, 3D, Multimedia, Charts, PDF, SQL, network, the Qt translations (the app is English-only)
and the plugins it never loads stay out. Test tools never ship.
"""

from __future__ import annotations

import re
import sys

# Test-only and development packages: never in the bundle, even if installed in the build venv.
TEST_ONLY_MODULES = [
    "pytest", "_pytest", "pytestqt", "iniconfig", "ruff",  # (pluggy is not here: sqlite-utils needs it)
    "anki", "aqt",  # (genanki is not here: the app ships it for Anki deck export)
    "PyInstaller", "setuptools", "pip", "pkg_resources", "wheel",
]

# Qt for Python modules the app does not import (some are only in PySide6-Addons; listing them keeps
# them out if a build machine has the full PySide6 installed).
UNUSED_QT_MODULES = [
    f"PySide6.{name}" for name in (
        "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuick3D", "QtQuickTest",
        "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets",
        "QtWebView", "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
        "QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtTextToSpeech", "QtCharts",
        "QtDataVisualization", "QtGraphs", "QtGraphsWidgets", "QtPdf", "QtPdfWidgets", "QtNetwork",
        "QtNetworkAuth", "QtHttpServer", "QtSql", "QtTest", "QtDesigner", "QtUiTools", "QtHelp", "QtXml",
        "QtOpenGL", "QtOpenGLWidgets", "QtConcurrent", "QtDBus", "QtPrintSupport", "QtSvgWidgets",
        "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort", "QtSerialBus",
        "QtRemoteObjects", "QtScxml", "QtStateMachine", "QtAxContainer", "QtCanvasPainter",
    )
]

# Standard-library parts a desktop app does not need.
UNUSED_STDLIB = ["tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data", "ensurepip"]

EXCLUDED_MODULES = TEST_ONLY_MODULES + UNUSED_QT_MODULES + UNUSED_STDLIB

# Plugin folders the app needs: window systems, desktop themes, input methods (compose key, IBus),
# image formats, icon engines, OpenGL glue for xcb, Wayland client pieces, widget styles.
KEPT_PLUGIN_DIRS = {
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines",
    "xcbglintegrations", "wayland-decoration-client", "wayland-graphics-integration-client",
    "wayland-shell-integration", "styles",
}
# Within those folders: platforms for embedded devices/VNC, the QML virtual keyboard, image formats
# the app never shows. Kept formats: PNG (built into QtGui), SVG, ICO, JPEG.
DROPPED_PLUGINS = re.compile(
    r"(q?(minimal|minimalegl|linuxfb|eglfs|vnc|vkkhrdisplay|direct2d)"
    r"|qtvirtualkeyboardplugin"
    r"|q(gif|tiff|webp|tga|wbmp|icns|pdf|macheif|macjp2))(d)?\.(so|dll|dylib)$"
)
# Qt libraries only the dropped modules and plugins load.
DROPPED_QT_LIBS = re.compile(
    r"Qt6?(Qml\w*|Quick\w*|Pdf\w*|VirtualKeyboard\w*|Network|Sql|Test|Designer\w*|UiTools|Help|Xml"
    r"|Concurrent|OpenGLWidgets|PrintSupport|SvgWidgets|EglFS\w*|WaylandCompositor\w*|WaylandEgl\w*"
    r"|Labs\w*|Lottie\w*|ShaderTools|Multimedia\w*|WebEngine\w*|3D\w*|Charts\w*|DataVisualization\w*)"
    r"(\.so\.6|\.\d+\.dylib|\.dll|\.framework)",
    re.IGNORECASE,
)


# Windows: Mesa's software OpenGL fallback and the Direct3D shader compiler serve Qt Quick/OpenGL only;
# the widgets' raster painting never loads them (about 25 MB).
DROPPED_WINDOWS_FILES = {"opengl32sw.dll", "d3dcompiler_47.dll"}


def _parts(dest: str) -> list[str]:
    return dest.replace("\\", "/").split("/")


def keep_in_bundle(dest: str) -> bool:
    """False for a bundle entry (its destination path inside the bundle) that the app never uses."""
    parts = _parts(dest)
    name = parts[-1]
    if "PySide6" not in parts:
        return True
    if name.lower() in DROPPED_WINDOWS_FILES:
        return False
    if "translations" in parts:
        return False
    if "plugins" in parts:
        folder = parts[parts.index("plugins") + 1] if len(parts) > parts.index("plugins") + 2 else ""
        return folder in KEPT_PLUGIN_DIRS and not DROPPED_PLUGINS.search(name)
    if "qml" in parts or "metatypes" in parts or "typesystems" in parts or "include" in parts:
        return False
    # Qt frameworks on macOS are folders: test every path component, not just the file name.
    return not any(DROPPED_QT_LIBS.search(part) for part in parts)


# Linux: system libraries the build host happens to have are NOT copied into the bundle, except the
# ones CPython's own modules link (so the bundled interpreter matches its stdlib). The desktop stack
# (X11/xcb, xkbcommon, fontconfig, freetype, GLib, GTK, D-Bus, libstdc++, ...) comes from the user's
# system: copies from the build host go stale against the user's GPU drivers and GTK (the classic
# "GLIBCXX_3.4.30 not found" or "undefined symbol" crashes). The .deb declares them in Depends.
LINUX_SYSTEM_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/", "/usr/local/lib/")
PYTHON_RUNTIME_LIBS = re.compile(
    r"^lib(python3[\d.]*|ffi|sqlite3|ssl|crypto|bz2|lzma|z|expat|uuid|mpdec|ncursesw?|tinfo|readline"
    r"|panelw?|gdbm|nsl|tirpc)\.so"
)


def keep_binary(dest: str, source: str, platform: str = sys.platform) -> bool:
    """keep_in_bundle() plus, on Linux, leave out system libraries that are not part of Python."""
    if not keep_in_bundle(dest):
        return False
    if platform.startswith("linux") and source.startswith(LINUX_SYSTEM_DIRS) and "site-packages" not in source:
        return bool(PYTHON_RUNTIME_LIBS.match(_parts(dest)[-1]))
    return True
