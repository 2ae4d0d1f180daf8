#!/usr/bin/env bash
# Install, start, upgrade and purge the Debian package on this machine (as root; meant for a bare
# Debian root, e.g. ../shared/tools/fresh-root.sh . "bash installer/package-linux.sh && bash installer/linux/test-deb.sh"):
#   apt-get install ./dist/tambo-desktop_<version>_amd64.deb pulls in what it declares and nothing else is needed;
#   as a plain user: tambo-cli --version, demo, check, and tambo-desktop --self-test (offscreen);
#   a newer package (the same bundle repacked as <version>+1) installs over it and the user's data stays and checks;
#   apt-get purge removes the program and leaves the user's data folder as it was.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "test-deb.sh needs root (apt-get install)" >&2; exit 2; }
version=$(python3 installer/app_version.py)
arch=$(dpkg --print-architecture)
deb="$PWD/dist/tambo-desktop_${version}_$arch.deb"
[ -f "$deb" ] || { echo "no $deb: run installer/package-linux.sh first" >&2; exit 2; }
say() { printf '\033[1m== %s\033[0m\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive

say "install $deb"
apt-get update -qq
apt-get install -y -qq "$deb" >/dev/null
[ -x /opt/tambo-desktop/tambo-desktop ] || fail "no /opt/tambo-desktop"
for f in /usr/bin/tambo-desktop /usr/bin/tambo-cli /usr/share/applications/tambo-desktop.desktop \
         /usr/share/icons/hicolor/16x16/apps/tambo-desktop.png /usr/share/icons/hicolor/256x256/apps/tambo-desktop.png \
         /usr/share/icons/hicolor/scalable/apps/tambo-desktop.svg /usr/share/metainfo/pe.gob.pais.tambo_desktop.metainfo.xml; do
  [ -e "$f" ] || fail "missing $f"
done
grep -q 'xml:lang="qu"' /usr/share/metainfo/pe.gob.pais.tambo_desktop.metainfo.xml || fail "metainfo has no Quechua"

id tecnico >/dev/null 2>&1 || useradd -m -s /bin/bash tecnico
as_user() { runuser -u tecnico -- env HOME=/home/tecnico LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"; }
data=/home/tecnico/.local/share/tambo-desktop

say "as a plain user: --version, demo, check, --self-test"
shown=$(as_user tambo-cli --version)
echo "$shown"
[[ $shown == *"$version"* ]] || fail "--version says '$shown', not $version"
as_user tambo-cli demo
as_user tambo-cli check
as_user tambo-desktop --home "$(as_user mktemp -d)" --self-test
[ -d "$data" ] || { data=$(find /home/tecnico -name '*.db' -printf '%h\n' | head -1); }
[ -n "$data" ] && [ -d "$data" ] || fail "no data folder after demo"
before=$(cd "$data" && find . -type f -name '*.db' | sort | xargs sha256sum)
echo "data folder: $data"

say "upgrade to $version+1 (the same bundle repacked)"
work=$(mktemp -d)
dpkg-deb -R "$deb" "$work/pkg"
sed -i "s/^Version: .*/Version: $version+1/" "$work/pkg/DEBIAN/control"
dpkg-deb --root-owner-group --build "$work/pkg" "$work/newer.deb" >/dev/null
apt-get install -y -qq "$work/newer.deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' tambo-desktop)" = "$version+1" ] || fail "not upgraded"
[ "$(cd "$data" && find . -type f -name '*.db' | sort | xargs sha256sum)" = "$before" ] || fail "the upgrade changed the user's data"
as_user tambo-cli check
checked=$(cd "$data" && find . -type f | sort | xargs sha256sum)

say "purge"
apt-get purge -y -qq tambo-desktop >/dev/null
[ ! -e /opt/tambo-desktop ] && [ ! -e /usr/bin/tambo-cli ] || fail "purge left the program"
[ "$(cd "$data" && find . -type f | sort | xargs sha256sum)" = "$checked" ] || fail "purge touched the user's data"
say "ok: installed, started, upgraded and purged; the user's data is still in $data"
