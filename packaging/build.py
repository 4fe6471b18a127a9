"""Build every Onsite installer this system can build, into dist/.

    python packaging/build.py            # bank + PyInstaller bundle + this platform's installers
    python packaging/build.py --no-bundle   # re-make the installers from an existing dist/onsite

Linux: dist/onsite/ (one-folder bundle), onsite-VERSION-linux-ARCH.tar.gz and onsite_VERSION_ARCH.deb.
Windows: dist/onsite/ and, if Inno Setup's ISCC.exe is on PATH, Onsite-VERSION-setup.exe.
macOS: dist/Onsite.app and, with hdiutil, Onsite-VERSION.dmg.
Needs the `build` extra (pip install -e ".[build]"); on Linux also dpkg-deb and binutils (readelf).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
DIST = REPO / "dist"
WORK = REPO / "build" / "package"
BANK = WORK / "bank.sqlite"
ICONS = REPO / "resources" / "icons"
APP = "onsite"
SUMMARY = "Offline practice for ML-systems and AI-infrastructure interviews"

# Debian packages for the shared libraries the bundle loads from the system (see bundle_rules.py: the
# desktop stack is not bundled on Linux). Every library the bundle needs must be listed here or be in the
# bundle: build.py fails otherwise, so a new Qt dependency cannot slip through unnoticed.
# "a | b": the package was renamed in the 64-bit time_t transition (Ubuntu 24.04+, Debian 13).
DEBIAN_DEPENDS = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}
# Only optional plugins load these: Wayland sessions (Qt falls back to X11 without them) and the GTK
# theme plugin (used on GNOME, where GTK is installed anyway).
DEBIAN_RECOMMENDS = {
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
DEBIAN_SUGGESTS = {
    name: "libgtk-3-0t64 | libgtk-3-0"
    for name in ("libgtk-3.so.0", "libgdk-3.so.0", "libatk-1.0.so.0", "libcairo.so.2", "libcairo-gobject.so.2",
                 "libgdk_pixbuf-2.0.so.0", "libpango-1.0.so.0", "libpangocairo-1.0.so.0", "libharfbuzz.so.0")
}
GLIBC_LIBS = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
              "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libresolv.so.2"}
# Always wanted, though no binary names them: Qt needs at least one font.
EXTRA_DEPENDS = ["fonts-dejavu-core | fonts-freefont-ttf | fonts-liberation2 | fonts-noto-core"]


def version() -> str:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE).group(1)


def run(*command: str | Path, cwd: Path = REPO, env: dict | None = None) -> None:
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=cwd, check=True, env=env)


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(item.lstat().st_size for item in path.rglob("*") if not item.is_symlink()) / 1e6


class Timer:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float]] = []

    def step(self, name: str, started: float) -> None:
        self.steps.append((name, time.monotonic() - started))


# --- the steps ----------------------------------------------------------------------------------


def make_icons() -> None:
    if subprocess.run([sys.executable, str(PACKAGING / "make_icons.py"), "--check"], cwd=REPO).returncode:
        run(sys.executable, PACKAGING / "make_icons.py")


def compile_bank() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    run(sys.executable, "-m", "desktop.bank", "build", "--out", BANK)


def pyinstaller() -> Path:
    env = dict(os.environ, ONSITE_BANK=str(BANK))
    # cwd outside the repo: nothing there may shadow the libraries PyInstaller imports.
    run(sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", WORK / "pyinstaller", PACKAGING / "onsite.spec", cwd=WORK, env=env)
    bundle = DIST / APP
    if not (bundle / (APP + (".exe" if sys.platform == "win32" else ""))).exists():
        raise SystemExit(f"PyInstaller did not produce {bundle}")
    return bundle


def arch_names() -> tuple[str, str]:
    """(tarball arch, Debian arch)."""
    machine = platform.machine().lower()
    debian = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf"}.get(machine, machine)
    if shutil.which("dpkg"):
        debian = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    return machine, debian


def desktop_entry(exec_line: str) -> str:
    return (PACKAGING / "linux" / "onsite.desktop").read_text(encoding="utf-8").replace("@EXEC@", exec_line)


def copy_bundle(bundle: Path, target: Path) -> None:
    shutil.copytree(bundle, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        executable = path.is_dir() or mode & stat.S_IXUSR
        path.chmod(0o755 if executable else 0o644)


def make_tarball(bundle: Path, ver: str) -> Path:
    machine, _ = arch_names()
    name = f"{APP}-{ver}-linux-{machine}"
    stage = WORK / "tar" / name
    shutil.rmtree(stage.parent, ignore_errors=True)
    stage.mkdir(parents=True)
    copy_bundle(bundle, stage / APP)
    (stage / "onsite.desktop").write_text(desktop_entry("onsite"), encoding="utf-8")
    shutil.copy2(ICONS / "png" / "onsite-256.png", stage / "onsite.png")
    shutil.copy2(PACKAGING / "linux" / "INSTALL.txt", stage / "INSTALL.txt")
    out = DIST / f"{name}.tar.gz"

    def clean(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(out, "w:gz", compresslevel=6) as archive:
        archive.add(stage, arcname=name, filter=clean)
    return out


def elf_needed(path: Path) -> list[str]:
    result = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", result.stdout)


def elf_glibc_versions(path: Path) -> set[tuple[int, ...]]:
    result = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True)
    found = re.findall(r"GLIBC_(\d+(?:\.\d+)+)", result.stdout)
    return {tuple(int(part) for part in name.split(".")) for name in found}


def system_dependencies(bundle: Path) -> tuple[list[str], list[str], list[str], str]:
    """Depends, Recommends, Suggests and the minimum glibc, from what the bundle's ELF files load."""
    files = [path for path in bundle.rglob("*") if path.is_file() and not path.is_symlink()
             and (".so" in path.name or path.name == APP)]
    bundled = {path.name for path in bundle.rglob("*")}
    depends, recommends, suggests, unknown = set(EXTRA_DEPENDS), set(), set(), {}
    glibc: set[tuple[int, ...]] = set()
    for path in files:
        if path.read_bytes()[:4] != b"\x7fELF":
            continue
        glibc |= elf_glibc_versions(path)
        for soname in elf_needed(path):
            if soname in bundled or soname in GLIBC_LIBS:
                continue
            for table, found in ((DEBIAN_DEPENDS, depends), (DEBIAN_RECOMMENDS, recommends),
                                 (DEBIAN_SUGGESTS, suggests)):
                if soname in table:
                    found.add(table[soname])
                    break
            else:
                unknown.setdefault(soname, path.relative_to(bundle))
    if unknown:
        lines = "\n".join(f"  {soname} (needed by {user})" for soname, user in sorted(unknown.items()))
        raise SystemExit(f"The bundle loads system libraries with no Debian package in build.py:\n{lines}")
    min_glibc = ".".join(str(part) for part in max(glibc)) if glibc else "2.28"
    return sorted(depends), sorted(recommends - depends), sorted(suggests - depends - recommends), min_glibc


def make_deb(bundle: Path, ver: str) -> Path:
    _, debian_arch = arch_names()
    stage = WORK / "deb" / f"{APP}_{ver}_{debian_arch}"
    shutil.rmtree(stage.parent, ignore_errors=True)
    copy_bundle(bundle, stage / "opt" / APP)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / APP).symlink_to(f"/opt/{APP}/{APP}")
    applications = stage / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "onsite.desktop").write_text(desktop_entry(f"/opt/{APP}/{APP}"), encoding="utf-8")
    hicolor = stage / "usr" / "share" / "icons" / "hicolor"
    for png in sorted((ICONS / "png").glob("onsite-*.png")):
        size = png.stem.split("-")[1]
        target = hicolor / f"{size}x{size}" / "apps" / "onsite.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target)
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ICONS / "onsite.svg", hicolor / "scalable" / "apps" / "onsite.svg")
    doc = stage / "usr" / "share" / "doc" / APP
    doc.mkdir(parents=True)
    shutil.copy2(REPO / "LICENSE", doc / "copyright")
    for path in [stage, *stage.rglob("*")]:
        if not path.is_symlink() and "opt" not in path.relative_to(stage).parts[:1]:
            path.chmod(0o755 if path.is_dir() else 0o644)

    depends, recommends, suggests, min_glibc = system_dependencies(bundle)
    installed_kb = int(sum(p.lstat().st_size for p in stage.rglob("*")) / 1024) + 1
    control = [
        f"Package: {APP}",
        f"Version: {ver}",
        f"Architecture: {debian_arch}",
        "Maintainer: Onsite maintainers <onsite@localhost>",
        f"Installed-Size: {installed_kb}",
        f"Depends: {', '.join([f'libc6 (>= {min_glibc})', *depends])}",
    ]
    if recommends:
        control.append(f"Recommends: {', '.join(recommends)}")
    if suggests:
        control.append(f"Suggests: {', '.join(suggests)}")
    control += [
        "Section: education",
        "Priority: optional",
        f"Description: {SUMMARY}",
        " Browse a bundled bank of ML-systems interview questions by topic, draft answers in",
        " Markdown with a live preview, then compare them with model answers and key-point",
        " rubrics. Works offline: it makes no network connection.",
    ]
    (stage / "DEBIAN").mkdir()
    (stage / "DEBIAN" / "control").write_text("\n".join(control) + "\n", encoding="utf-8")
    out = DIST / f"{APP}_{ver}_{debian_arch}.deb"
    run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, out)
    return out


def make_windows_installer(ver: str) -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    default = Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe"
    if not iscc and default.exists():
        iscc = str(default)
    if not iscc:
        print("Inno Setup (ISCC.exe) not found: skipping the Windows installer")
        return None
    run(iscc, f"/DAppVersion={ver}", f"/O{DIST}", PACKAGING / "windows" / "onsite.iss")
    return DIST / f"Onsite-{ver}-setup.exe"


def make_dmg(ver: str) -> Path | None:
    if not shutil.which("hdiutil"):
        print("hdiutil not found: skipping the .dmg")
        return None
    run("bash", PACKAGING / "macos" / "make-dmg.sh", DIST / "Onsite.app", DIST / f"Onsite-{ver}.dmg")
    return DIST / f"Onsite-{ver}.dmg"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-bundle", action="store_true", help="reuse dist/onsite; only make the installers")
    args = parser.parse_args(argv)
    ver = version()
    timer = Timer()
    made: list[Path] = []
    started = time.monotonic()
    if not args.no_bundle:
        step = time.monotonic()
        make_icons()
        compile_bank()
        timer.step("icons + bank", step)
        step = time.monotonic()
        pyinstaller()
        timer.step("PyInstaller", step)
    bundle = DIST / APP
    made.append(bundle)
    if sys.platform.startswith("linux"):
        step = time.monotonic()
        made.append(make_tarball(bundle, ver))
        timer.step("tar.gz", step)
        step = time.monotonic()
        if shutil.which("dpkg-deb") and shutil.which("readelf"):
            made.append(make_deb(bundle, ver))
        else:
            print("dpkg-deb or readelf (binutils) not found: skipping the .deb")
        timer.step(".deb", step)
        print("AppImage: skipped (appimagetool and the AppImage runtime are not in Debian or on PyPI)")
    elif sys.platform == "win32":
        made.append(make_windows_installer(ver))
    elif sys.platform == "darwin":
        made.append(DIST / "Onsite.app")
        made.append(make_dmg(ver))
    print()
    for name, seconds in timer.steps:
        print(f"{name:>14}: {seconds:6.1f} s")
    print(f"{'total':>14}: {time.monotonic() - started:6.1f} s")
    for path in made:
        if path is not None and path.exists():
            print(f"{size_mb(path):8.1f} MB  {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
