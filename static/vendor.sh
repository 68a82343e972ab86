#!/usr/bin/env bash
# Refresh static/vendor/ from npm at the versions package.json pins. Run by hand, then commit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cp "$here/package.json" "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund)
m="$work/node_modules"
v="$here/vendor"
mkdir -p "$v/bootstrap" "$v/sortablejs" "$v/noto-naskh-arabic/files"
cp "$m/bootstrap/dist/css/bootstrap.min.css" "$m/bootstrap/dist/css/bootstrap.rtl.min.css" "$m/bootstrap/LICENSE" "$v/bootstrap/"
cp "$m/sortablejs/Sortable.min.js" "$m/sortablejs/LICENSE" "$v/sortablejs/"
cp "$m/@fontsource/noto-naskh-arabic/LICENSE" "$v/noto-naskh-arabic/"
for w in 400 700; do
  cp "$m/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-$w-normal.woff2" "$v/noto-naskh-arabic/files/"
done
rm -rf "$work"
echo "vendored into $v"
