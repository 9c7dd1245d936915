#!/bin/sh
# Werkbrug installeren voor deze gebruiker (geen beheerdersrechten nodig).
#
#   ./install.sh
#
# Plaatst het programma in ~/.local/opt/werkbrug, de menu-ingang in ~/.local/share/applications,
# de pictogrammen in ~/.local/share/icons/hicolor en de opdracht `werkbrug` in ~/.local/bin.
# Een eerdere versie wordt vervangen; de database (~/.local/share/Werkbrug/werkbrug.db) blijft staan.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
APP_DIR=$HOME/.local/opt/werkbrug
BIN_DIR=$HOME/.local/bin
APPS_DIR=$DATA_HOME/applications
ICON_DIR=$DATA_HOME/icons/hicolor

if [ "$(id -u)" = 0 ] && [ -z "${WERKBRUG_INSTALL_AS_ROOT:-}" ]; then
    echo "Let op: je bent root. Werkbrug wordt per gebruiker geïnstalleerd; voer install.sh uit als de consulent zelf."
    echo "(Wil je het toch voor root installeren, zet dan WERKBRUG_INSTALL_AS_ROOT=1.)"
    exit 1
fi
if [ ! -x "$HERE/app/werkbrug" ]; then
    echo "Fout: $HERE/app/werkbrug ontbreekt. Pak het volledige archief uit en start install.sh opnieuw." >&2
    exit 1
fi
if ! VERSION=$("$HERE/app/werkbrug" --version 2>&1); then
    echo "Fout: het programma start niet op deze computer:" >&2
    echo "$VERSION" >&2
    exit 1
fi

echo "$VERSION installeren in $APP_DIR"
mkdir -p "$HOME/.local/opt" "$BIN_DIR" "$APPS_DIR"
rm -rf "$APP_DIR.nieuw"
cp -R "$HERE/app" "$APP_DIR.nieuw"
cp "$HERE/uninstall.sh" "$APP_DIR.nieuw/uninstall.sh"
chmod 755 "$APP_DIR.nieuw/uninstall.sh"
rm -rf "$APP_DIR"
mv "$APP_DIR.nieuw" "$APP_DIR"

# menu-ingang, met het echte pad van het programma
sed "s|@APP_DIR@|$APP_DIR|g" "$HERE/werkbrug.desktop" > "$APPS_DIR/werkbrug.desktop"
chmod 644 "$APPS_DIR/werkbrug.desktop"

for size in 48 128 256; do
    mkdir -p "$ICON_DIR/${size}x${size}/apps"
    cp "$HERE/icons/werkbrug-$size.png" "$ICON_DIR/${size}x${size}/apps/werkbrug.png"
done
mkdir -p "$ICON_DIR/scalable/apps"
cp "$HERE/icons/werkbrug.svg" "$ICON_DIR/scalable/apps/werkbrug.svg"

ln -sf "$APP_DIR/werkbrug" "$BIN_DIR/werkbrug"

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$APPS_DIR" 2>/dev/null || true

# Qt heeft enkele X11-bibliotheken van het systeem nodig; meld wat ontbreekt.
XCB=$(find "$APP_DIR" -name 'libqxcb.so' 2>/dev/null | head -n 1)
if [ -n "$XCB" ] && command -v ldd >/dev/null 2>&1; then
    MISSING=$(LD_LIBRARY_PATH="$(dirname "$(dirname "$(dirname "$XCB")")")/lib:$APP_DIR/_internal" ldd "$XCB" 2>/dev/null \
              | awk '/not found/ {print $1}' | tr '\n' ' ')
    if [ -n "$MISSING" ]; then
        echo "Let op: deze systeembibliotheken ontbreken nog: $MISSING"
        echo "Op Debian/Ubuntu: sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0"
    fi
fi

echo "Klaar. Start Werkbrug vanuit het menu (Kantoor) of met de opdracht: werkbrug"
echo "Controle zonder scherm: werkbrug --self-test"
echo "Je database staat in ${DATA_HOME}/Werkbrug/werkbrug.db (verwijderen: $APP_DIR/uninstall.sh)."
case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "Tip: $BIN_DIR staat niet in je PATH; open een nieuwe terminal of log opnieuw in." ;;
esac
