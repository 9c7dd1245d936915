#!/usr/bin/env bash
# Qt needs a few system libraries that a minimal Debian/Ubuntu lacks. Install them when we can
# (root with apt-get), otherwise say what to install. Silent when all is present.
set -u
libs="libGL.so.1 libEGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libglib-2.0.so.0 libdbus-1.so.3 libfontconfig.so.1 libfreetype.so.6 libX11.so.6 libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-shape.so.0 libxcb-render-util.so.0 libxcb-image.so.0"
missing=""
for l in $libs; do
  ldconfig -p 2>/dev/null | grep -q "$l" || missing="$missing $l"
done
[ -z "$missing" ] && exit 0
pkgs="libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libbrotli1 libx11-6 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-render-util0 libxcb-image0 fonts-dejavu-core"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Systeembibliotheken voor Qt ontbreken ($missing); installeren met apt-get..."
  (apt-get install -y -q --no-install-recommends $pkgs >/dev/null 2>&1) || \
  (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $pkgs >/dev/null) || \
  { echo "Installatie mislukt; installeer zelf: apt-get install $pkgs" >&2; exit 1; }
else
  echo "Qt heeft deze systeembibliotheken nodig:$missing" >&2
  echo "Installeer ze met: sudo apt-get install $pkgs" >&2
  exit 1
fi
