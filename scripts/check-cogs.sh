#!/usr/bin/env bash
# Checks that every GeoTIFF in a folder is a valid COG with a CRS, nodata and
# overviews, as gdalinfo reports them. Exits non-zero naming the first bad file.
set -euo pipefail
dir=${1:?usage: check-cogs.sh DIR}
n=0
for f in "$dir"/*.tif; do
  [ -e "$f" ] || { echo "no GeoTIFF in $dir" >&2; exit 1; }
  info=$(gdalinfo "$f")
  grep -q "LAYOUT=COG" <<<"$info" || { echo "$f: not a COG" >&2; exit 1; }
  grep -q "ID\[\"EPSG\"" <<<"$info" || { echo "$f: no EPSG CRS" >&2; exit 1; }
  grep -q "NoData Value" <<<"$info" || { echo "$f: no nodata value" >&2; exit 1; }
  grep -q "Overviews:" <<<"$info" || { echo "$f: no overviews" >&2; exit 1; }
  n=$((n + 1))
done
echo "checked $n COG(s) in $dir: LAYOUT=COG, CRS, nodata and overviews present"
