#!/bin/sh
# Sets up the peer comparison (bench/peers/compare.py) on Debian/Ubuntu, as root or with
# sudo: the three peers' packages, reveal.js from the npm registry into
# bench/peers/node_modules (package-lock.json pins it), and the PDF for Impressive.
# Run on demand, not in CI. Then: .venv/bin/python bench/peers/compare.py
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo

packages="chromium xvfb xdotool imagemagick impressive x11-apps mupdf-tools poppler-utils python3-pygame python3-pil fonts-noto-cjk npm"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm is only needed when node's own npm is not there (NodeSource's nodejs ships one).
case " $missing " in *" npm "*) command -v npm >/dev/null && missing=$(echo "$missing" | sed 's/ npm//') ;; esac
if [ -n "$missing" ]; then
  $sudo apt-get update
  # shellcheck disable=SC2086  # a list of package names
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
fi

cd "$here"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi

if [ ! -x "$repo/.venv/bin/kiosk" ]; then
  echo "setup.sh: $repo/.venv is missing: run 'make run' or create it (README, Without make)" >&2
  exit 1
fi
mkdir -p out
QT_QPA_PLATFORM=offscreen "$repo/.venv/bin/kiosk" check ten-stats.yaml
QT_QPA_PLATFORM=offscreen "$repo/.venv/bin/kiosk" export ten-stats.yaml --out out/png --size 1920x1080 \
  --pdf out/ten-stats.pdf
echo "setup.sh: ready; run $repo/.venv/bin/python bench/peers/compare.py"
