#!/usr/bin/env bash
# Smoke-test the Linux build in dist/ (run packaging/build.py first), as CI does:
#  - the frozen app's --self-test, from the unpacked .tar.gz and from the unpacked .deb, each in a
#    scrubbed environment: `env -i`, PATH=/usr/bin:/bin, a fresh HOME, no virtualenv or PYTHONPATH,
#    another working directory, and no network where `unshare -n` is allowed;
#  - the same under a real X server (Xvfb) when xvfb-run is installed, so Qt's xcb plugin loads
#    against the system libraries the .deb declares;
#  - the .deb's control fields (dpkg-deb --info) and files (dpkg-deb --contents), and the tarball's files.
set -euo pipefail
cd "$(dirname "$0")/.."
deb=$(ls dist/onsite_*.deb | head -n1)
tarball=$(ls dist/onsite-*-linux-*.tar.gz | head -n1)
version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' pyproject.toml | head -n1)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
pass() { echo "ok   $*"; }

no_network=()
if unshare -n true 2>/dev/null; then no_network=(unshare -n); fi

self_test() {  # self_test LABEL EXECUTABLE [QT_QPA_PLATFORM]
    local label=$1 exe=$2 platform=${3:-offscreen} home
    home=$(mktemp -d "$scratch/home.XXXX")
    echo "== self-test: $label (platform $platform${no_network:+, no network})"
    if (cd "$home" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM="$platform" \
            ${DISPLAY:+DISPLAY="$DISPLAY"} \
            "${no_network[@]}" "$exe" --self-test); then
        pass "self-test $label"
    else
        fail "self-test $label"
    fi
    if [ -e "$home/.local/share/Onsite" ]; then fail "$label: the self-test wrote to the real user data folder"; fi
}

echo "== $tarball"
mkdir "$scratch/tar"
tar -xzf "$tarball" -C "$scratch/tar"
top=$(ls "$scratch/tar")
for path in onsite/onsite onsite/_internal/bank/bank.sqlite onsite/_internal/resources/icons/onsite.svg \
            onsite.desktop onsite.png INSTALL.txt; do
    [ -e "$scratch/tar/$top/$path" ] && pass "tar.gz has $path" || fail "tar.gz lacks $path"
done
self_test "tar.gz" "$scratch/tar/$top/onsite/onsite"

echo "== $deb"
info=$(dpkg-deb --info "$deb")
contents=$(dpkg-deb --contents "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = onsite ] && pass "Package: onsite" || fail "Package is $(field Package)"
[ "$(field Version)" = "$version" ] && pass "Version: $version" || fail "Version is $(field Version), want $version"
depends=$(field Depends)
for lib in libc6 libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 \
           libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libx11-xcb1; do
    grep -qE "(^|[ ,|])$lib( |,|$)" <<<"$depends" && pass "Depends on $lib" || fail "Depends lacks $lib"
done
grep -q "^ Description: " <<<"$info" && pass "has a Description" || fail "no Description"
for path in ./opt/onsite/onsite ./opt/onsite/_internal/bank/bank.sqlite \
            ./opt/onsite/_internal/resources/icons/onsite.svg \
            ./opt/onsite/_internal/PySide6/Qt/plugins/platforms/libqxcb.so \
            ./opt/onsite/_internal/PySide6/Qt/plugins/platforms/libqwayland.so \
            ./opt/onsite/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so \
            "./usr/bin/onsite -> /opt/onsite/onsite" ./usr/share/applications/onsite.desktop \
            ./usr/share/icons/hicolor/48x48/apps/onsite.png ./usr/share/icons/hicolor/256x256/apps/onsite.png \
            ./usr/share/icons/hicolor/scalable/apps/onsite.svg ./usr/share/doc/onsite/copyright; do
    grep -qF -- " $path" <<<"$contents" && pass "deb has ${path%% ->*}" || fail "deb lacks $path"
done
# Nothing test-only or unused may ship.
for pattern in /pytest /_pytest/ /pytestqt/ /ruff /anki/ /Qt/translations/ libQt6Quick libQt6Qml \
               libQt6WebEngine libQt6Multimedia libQt63D libQt6Pdf libQt6Network; do
    if grep -qF -- "$pattern" <<<"$contents"; then fail "deb ships $pattern"; else pass "deb leaves out $pattern"; fi
done
if command -v desktop-file-validate >/dev/null; then
    dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/applications/onsite.desktop > "$scratch/onsite.desktop"
    desktop-file-validate "$scratch/onsite.desktop" && pass "desktop-file-validate" || fail "desktop-file-validate"
fi
mkdir "$scratch/deb"
dpkg-deb -x "$deb" "$scratch/deb"
self_test ".deb payload" "$scratch/deb/opt/onsite/onsite"

if command -v Xvfb >/dev/null; then
    # Under Xvfb the window goes through Qt's xcb plugin and the system's X11/xcb libraries.
    Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$scratch/display" 2>"$scratch/xvfb.log" &
    xvfb=$!
    trap 'kill $xvfb 2>/dev/null || true; rm -rf "$scratch"' EXIT
    for _ in $(seq 100); do [ -s "$scratch/display" ] && break; sleep 0.1; done
    DISPLAY=":$(head -n1 "$scratch/display")" self_test "tar.gz under Xvfb" "$scratch/tar/$top/onsite/onsite" xcb
    kill "$xvfb" 2>/dev/null || true
else
    echo "skip xcb self-test: Xvfb is not installed (apt-get install xvfb)"
fi

echo "== size: bundle $(du -sh "$scratch/tar/$top/onsite" | cut -f1), tar.gz $(du -h "$tarball" | cut -f1), .deb $(du -h "$deb" | cut -f1)"
if [ "$failures" -ne 0 ]; then
    echo "smoke test FAILED: $failures problem(s)"
    exit 1
fi
echo "smoke test passed"
