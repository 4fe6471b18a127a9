#!/usr/bin/env bash
# Wrap Onsite.app in a compressed disk image with an Applications link to drag it onto.
# Usage: packaging/macos/make-dmg.sh dist/Onsite.app dist/Onsite-0.1.0.dmg   (macOS only: needs hdiutil)
# Not signed or notarised: without a Developer ID, users open it the first time with right-click > Open.
# With one: codesign --deep --force --options runtime --sign "Developer ID Application: ..." the .app
# before this script, then `xcrun notarytool submit DMG --wait` and `xcrun stapler staple DMG` after it.
set -euo pipefail
app=${1:?usage: make-dmg.sh path/to/Onsite.app out.dmg}
out=${2:?usage: make-dmg.sh path/to/Onsite.app out.dmg}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$(basename "$app")"   # ditto keeps symlinks, permissions and signatures
ln -s /Applications "$stage/Applications"
rm -f "$out"
hdiutil create -volname Onsite -srcfolder "$stage" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$out"
hdiutil verify "$out"
echo "wrote $out"
