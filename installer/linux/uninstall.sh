#!/bin/sh
# Werkbrug verwijderen voor deze gebruiker.
#
#   ./uninstall.sh            verwijdert het programma, de menu-ingang en de pictogrammen;
#                             je database en instellingen blijven bewaard
#   ./uninstall.sh --purge    verwijdert ook de database, de reservekopieën, het logboek en de instellingen
set -eu

PURGE=0
for arg in "$@"; do
    case "$arg" in
        --purge) PURGE=1 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "Onbekende optie: $arg (gebruik --purge of --help)" >&2; exit 2 ;;
    esac
done

DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
STATE_HOME=${XDG_STATE_HOME:-$HOME/.local/state}
CONFIG_HOME=${XDG_CONFIG_HOME:-$HOME/.config}
CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
APP_DIR=$HOME/.local/opt/werkbrug
ICON_DIR=$DATA_HOME/icons/hicolor

rm -f "$DATA_HOME/applications/werkbrug.desktop"
for size in 48x48 128x128 256x256; do
    rm -f "$ICON_DIR/$size/apps/werkbrug.png"
done
rm -f "$ICON_DIR/scalable/apps/werkbrug.svg"
if [ -L "$HOME/.local/bin/werkbrug" ]; then
    rm -f "$HOME/.local/bin/werkbrug"
fi
rm -rf "$APP_DIR" "$APP_DIR.nieuw" "$CACHE_HOME/Werkbrug"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$DATA_HOME/applications" 2>/dev/null || true
echo "Werkbrug is verwijderd."

if [ "$PURGE" = 1 ]; then
    rm -rf "$DATA_HOME/Werkbrug" "$STATE_HOME/Werkbrug" "$CONFIG_HOME/Werkbrug"
    echo "De database, de reservekopieën, het logboek en de instellingen zijn ook verwijderd."
elif [ -d "$DATA_HOME/Werkbrug" ]; then
    echo "Je database is bewaard in $DATA_HOME/Werkbrug (ook verwijderen: uninstall.sh --purge)."
fi
