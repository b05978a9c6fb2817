#!/usr/bin/env bash
# Install the Debian packages OpenIOM needs, only where they are missing.
#   runtime  - what the app and its tests need (PDF fonts, pango and harfbuzz for WeasyPrint, poppler to read PDFs back)
#   browser  - Debian's Chromium for the browser tests (never Playwright's own download)
#   postgres - a PostgreSQL server for the PostgreSQL test run
set -euo pipefail
declare -A PKG_GROUPS=(
  [runtime]="fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils"
  [browser]="chromium fonts-liberation2 poppler-utils"
  [postgres]="postgresql"
)
missing=()
for group in "$@"; do
  for pkg in ${PKG_GROUPS[$group]:?unknown group $group}; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
