#!/usr/bin/env bash
# Build the Debian package of TAMBO Desktop from a checkout (on Debian 12 or later, amd64):
#
#   bash installer/package-linux.sh        -> dist/tambo-desktop_<version>_amd64.deb
#
# Sets up what it needs (installer/dev.sh bundle: the Debian packages, .venv with PyInstaller), builds
# the PyInstaller bundle and packs it with dpkg-deb:
#   /opt/tambo-desktop/                      the bundle
#   /usr/bin/tambo-desktop, /usr/bin/tambo-cli
#   /usr/share/applications/tambo-desktop.desktop, /usr/share/icons/hicolor/*/apps/tambo-desktop.*
#   /usr/share/metainfo/pe.gob.pais.tambo_desktop.metainfo.xml (name and summary in es, qu, ay)
# The user's data (~/.local/share/tambo-desktop, or --home) is never part of the package: upgrades and
# apt-get purge leave it alone. TAMBO_DEB_VERSION overrides the package version (tests of upgrades).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}

bash installer/dev.sh bundle
[ -x dist/tambo-desktop/tambo-desktop ] || { echo "no bundle in dist/tambo-desktop" >&2; exit 1; }

version=${TAMBO_DEB_VERSION:-$("$PY" installer/app_version.py)}
arch=$(dpkg --print-architecture)
stage="$ROOT/build/deb/tambo-desktop_${version}_$arch"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
         "$stage/usr/share/metainfo" "$stage/usr/share/doc/tambo-desktop"
cp -a dist/tambo-desktop "$stage/opt/tambo-desktop"
for command in tambo-desktop tambo-cli; do   # the bundle's one program answers both (same command line)
  printf '#!/bin/sh\nexec /opt/tambo-desktop/tambo-desktop "$@"\n' >"$stage/usr/bin/$command"
  chmod 755 "$stage/usr/bin/$command"
done
install -m644 installer/tambo-desktop.desktop "$stage/usr/share/applications/"
for png in resources/icons/hicolor/*/apps/tambo-desktop.png; do
  install -D -m644 "$png" "$stage/usr/share/icons/$(dirname "${png#resources/icons/}")/tambo-desktop.png"
done
install -D -m644 resources/icons/tambo-desktop.svg "$stage/usr/share/icons/hicolor/scalable/apps/tambo-desktop.svg"
.venv/bin/python installer/linux/metainfo.py "$version" "$stage/usr/share/metainfo/pe.gob.pais.tambo_desktop.metainfo.xml"
printf 'TAMBO Desktop\nLicense: MIT. Bundled components keep their own licences (see /opt/tambo-desktop/_internal).\n' \
  >"$stage/usr/share/doc/tambo-desktop/copyright"

# What the bundle loads from the system (PyInstaller leaves out libc, GL, X11/xcb, fontconfig...):
# the same libraries installer/dev.sh installs for Qt.
depends="libc6, libegl1, libgl1, libx11-6, libx11-xcb1, libdbus-1-3, libfontconfig1, libfreetype6, libglib2.0-0,
 libxkbcommon0, libxkbcommon-x11-0, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1,
 libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-xfixes0, libxcb-xkb1,
 libxrender1, libxext6"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: tambo-desktop
Version: $version
Architecture: $arch
Maintainer: Programa PAIS (MIDIS) <tambo-desktop@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $(echo $depends)
Section: misc
Priority: optional
Description: office application of a PAIS tambo
 Communities, people served, interventions, trainings, campaigns and field
 visits of a tambo of Peru's Programa PAIS, in Spanish, Quechua and Aymara.
 The data stays in each user's data folder; removing or purging the package
 never deletes it.
CONTROL
cat >"$stage/DEBIAN/postinst" <<'SCRIPT'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
SCRIPT
cp "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"
chmod 755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"

deb="dist/tambo-desktop_${version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
printf '\033[1m%s\033[0m\n' "$deb ($(du -h "$deb" | cut -f1); installed $(du -sh --exclude=DEBIAN "$stage" | cut -f1))"
