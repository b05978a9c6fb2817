#!/usr/bin/env bash
# Build OpenIOM's front-end assets from the npm packages (no bundler):
# compile the Sass with Arial, copy the GOV.UK/MoJ JavaScript modules, assets and axe-core.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=src/openiom/static/build
G=node_modules/govuk-frontend/dist/govuk
M=node_modules/@ministryofjustice/frontend/moj
rm -rf "$OUT" src/openiom/static/vendor
mkdir -p "$OUT" src/openiom/static/vendor/assets
node_modules/.bin/sass --load-path=. --style=compressed --no-source-map --quiet-deps \
  frontend/openiom.scss "$OUT/openiom.css"
cp "$G"/govuk-frontend.min.js "$G"/govuk-frontend.min.js.map "$OUT/"
cp "$M"/moj-frontend.min.js "$M"/moj-frontend.min.js.map "$OUT/"
cp -r "$G"/assets/. src/openiom/static/vendor/assets/
cp -r "$M"/assets/. src/openiom/static/vendor/assets/
rm -rf src/openiom/static/vendor/assets/fonts   # Arial only: the GDS Transport font is not used
echo "front-end assets built in $OUT"
