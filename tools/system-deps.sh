#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages kiosk needs, if missing.
#   tools/system-deps.sh run    libraries Qt's xcb platform plugin needs on a display PC
#   tools/system-deps.sh test   those, plus Xvfb, xdotool, ImageMagick, openbox, wmctrl, xrandr
#                               and xwininfo for the tests
# Without root (and without sudo) it only prints the apt-get command to run.
set -euo pipefail

RUNTIME=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
         libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0
         libxcb-xfixes0 libxcb-shm0 libxcb-sync1 libxrender1 libegl1 libgl1 libfontconfig1
         libdbus-1-3 libglib2.0-0)
# openbox and wmctrl: tests/deploy runs the show under a window manager too (minimise,
# un-fullscreen); xrandr (x11-xserver-utils) adds and removes screens; xwininfo and xprop
# (x11-utils) read where the window is and what state the window manager gave it.
# chromium and chromium-driver: tests/remote drive the phone remote in a real browser
# (Selenium), fonts-wqy-microhei its Chinese (a phone has its own); zbar-tools (zbarimg)
# reads the help overlay's pairing QR code back.
# poppler-utils (pdffonts, pdftotext, pdftoppm) and qpdf: tests/qt/test_export_pdf.py reads
# the exported PDF with tools that are not Qt (fonts embedded, text extractable, file sound).
# syncthing: tests/fleet run two Syncthing instances on 127.0.0.1 (headquarters and a
# screen) set up by `kiosk fleet configure`, and play the screen's synced show.
# shellcheck: actionlint checks the CI workflow's shell steps with it (test_ci_workflow.py).
TESTING=(xvfb xauth xdotool imagemagick openbox wmctrl x11-xserver-utils x11-utils syncthing shellcheck
         chromium chromium-driver fonts-wqy-microhei zbar-tools poppler-utils qpdf)

want=("${RUNTIME[@]}")
[[ "${1:-run}" == "test" ]] && want+=("${TESTING[@]}")

if ! command -v dpkg-query >/dev/null; then
    echo "system-deps: not a Debian-like system; install the equivalents of: ${want[*]}" >&2
    exit 0
fi
missing=()
for pkg in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else
        echo "system-deps: please run: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
