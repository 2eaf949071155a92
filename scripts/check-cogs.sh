#!/usr/bin/env bash
# Checks that every GeoTIFF in a folder is a valid COG with a CRS, nodata and
# overviews, as gdalinfo reports them. Exits non-zero naming the first bad file.
# Overviews are required only of a raster larger than one block: GDAL's COG driver
# makes none for a raster that fits in a block (a coarse demo grid).
set -euo pipefail
dir=${1:?usage: check-cogs.sh DIR}
n=0
for f in "$dir"/*.tif; do
  [ -e "$f" ] || { echo "no GeoTIFF in $dir" >&2; exit 1; }
  info=$(gdalinfo "$f")
  grep -q "LAYOUT=COG" <<<"$info" || { echo "$f: not a COG" >&2; exit 1; }
  grep -q "ID\[\"EPSG\"" <<<"$info" || { echo "$f: no EPSG CRS" >&2; exit 1; }
  grep -q "NoData Value" <<<"$info" || { echo "$f: no nodata value" >&2; exit 1; }
  read -r w h < <(sed -n 's/^Size is \([0-9]*\), \([0-9]*\)$/\1 \2/p' <<<"$info")
  read -r bw bh < <(sed -n 's/.*Block=\([0-9]*\)x\([0-9]*\).*/\1 \2/p' <<<"$info" | head -1)
  if [ "${w:-0}" -gt "${bw:-0}" ] || [ "${h:-0}" -gt "${bh:-0}" ]; then
    grep -q "Overviews:" <<<"$info" || { echo "$f: no overviews (${w}×${h} cells, blocks ${bw}×${bh})" >&2; exit 1; }
  fi
  n=$((n + 1))
done
echo "checked $n COG(s) in $dir: LAYOUT=COG, CRS, nodata and overviews present"
