#!/usr/bin/env bash
# Ingest throughput: `riskcensus ingest` vs `ogr2ogr` for N building points, from CSV
# and from GeoPackage, into a census GeoPackage. Reports records/s and peak RSS
# (/usr/bin/time -v). Usage: benches/ingest/compare.sh [N=1000000] [workdir]
#
# Both load the same records and reproject EPSG:4490 → EPSG:4548. The engine also
# decodes and validates every field against the schema, checks the study area and
# lon/lat swaps, hashes each record for idempotent re-loads, assigns township codes
# (no admin units loaded here, so that step is a no-op) and writes _rejects/_batches;
# ogr2ogr only converts. Timings are wall clock on this machine.
set -euo pipefail
N=${1:-1000000}
W=${2:-$(mktemp -d /tmp/ingest-bench.XXXX)}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${RISKCENSUS_BIN:-$ROOT/target/release/riskcensus}
if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --release -p riskcensus-cli)
fi
mkdir -p "$W"
CSV=$W/buildings.csv
GPKG=$W/buildings.gpkg
[ -f "$CSV" ] || python3 "$ROOT/benches/ingest/gen_buildings.py" "$N" "$CSV"
[ -f "$GPKG" ] || ogr2ogr -q -f GPKG "$GPKG" "$CSV" -nln buildings \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4490
cp "$ROOT/fixtures/bad/census.toml" "$W/census.toml"

measure() { # label, command...
  local label=$1; shift
  local log=$W/time.log
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || true
  t1=$(date +%s.%N)
  local rss secs
  rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$log")
  secs=$(echo "$t1 - $t0" | bc -l)
  printf "%-34s %8.2f s %12.0f rec/s %8.0f MiB peak RSS\n" "$label" "$secs" "$(echo "$N / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "N = $N building points; workdir $W; $(nproc) cores"
rm -f "$W/census.gpkg"* "$W"/ogr_*.gpkg
measure "riskcensus ingest CSV" "$BIN" -q ingest "$W" "$CSV" --layer buildings --source-crs EPSG:4490
measure "riskcensus ingest CSV (re-load)" "$BIN" -q ingest "$W" "$CSV" --layer buildings --source-crs EPSG:4490
rm -f "$W/census.gpkg"*
measure "riskcensus ingest GPKG" "$BIN" -q ingest "$W" "$GPKG" --layer buildings
measure "ogr2ogr CSV → GPKG" ogr2ogr -f GPKG "$W/ogr_csv.gpkg" "$CSV" -nln buildings \
  -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO \
  -s_srs EPSG:4490 -t_srs EPSG:4548
measure "ogr2ogr GPKG → GPKG" ogr2ogr -f GPKG "$W/ogr_gpkg.gpkg" "$GPKG" -nln buildings -t_srs EPSG:4548
echo "rows: census $(ogrinfo -ro -q -sql 'SELECT COUNT(*) FROM buildings' "$W/census.gpkg" | awk -F' = ' '/=/{print $2}'), ogr2ogr $(ogrinfo -ro -q -sql 'SELECT COUNT(*) FROM buildings' "$W/ogr_gpkg.gpkg" | awk -F' = ' '/=/{print $2}')"
