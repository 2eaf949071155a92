#!/usr/bin/env bash
# Run the fuzz targets one after another (docs/fuzzing.md), each for FUZZ_SECONDS
# (default 600), single job, with libFuzzer's limits on: 10 s per input (-timeout),
# 2048 MB of RSS and of one allocation (-rss_limit_mb, libFuzzer's default).
#
#   fuzz/run.sh [target…]          # default: every target of fuzz/Cargo.toml
#
# The grown corpus of a target goes to $FUZZ_WORK/<target> (default
# target/fuzz-corpus/<target>; not committed), read together with the committed
# seeds of fuzz/corpus/<target>. A crash, hang or out-of-memory stops that target,
# leaves its input in fuzz/artifacts/<target>/ and makes the script exit non-zero
# after the other targets ran. Each target's log is $FUZZ_WORK/<target>.log; its
# last lines (executions, exec/s, coverage) are printed at the end.
set -u
cd "$(dirname "$0")"
# What a fresh machine lacks: the nightly toolchain (libFuzzer's instrumentation)
# and cargo-fuzz.
if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal || {
        echo "make fuzz needs the nightly toolchain (rustup toolchain install nightly)" >&2
        exit 1
    }
fi
if ! command -v cargo-fuzz >/dev/null; then
    cargo install --locked cargo-fuzz || {
        echo "make fuzz needs cargo-fuzz (cargo install cargo-fuzz)" >&2
        exit 1
    }
fi
seconds=${FUZZ_SECONDS:-600}
work=${FUZZ_WORK:-$(cd .. && pwd)/target/fuzz-corpus}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^riskcensus-fuzz$')
fi
dict_of() {
    case "$1" in
        csv_source | survey_values) echo dict/survey.dict ;;
        geojson_source) echo dict/geojson.dict ;;
        census_toml) echo dict/census_toml.dict ;;
        model_files) echo dict/models.dict ;;
        *) echo dict/csv_columns.dict ;;
    esac
}
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    echo "== $t: ${seconds} s"
    if ! cargo +nightly fuzz run -O -a "$t" "$work/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -dict="$(dict_of "$t")" -print_final_stats=1 >"$work/$t.log" 2>&1; then
        failed+=("$t")
        echo "   FAILED: see $work/$t.log and fuzz/artifacts/$t/"
    fi
done
echo
for t in "${targets[@]}"; do
    printf '%-20s %s\n' "$t" "$(grep -E '^#[0-9]+' "$work/$t.log" | tail -1)"
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$work/$t.log" |
        sed 's/^/                     /'
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "targets with findings: ${failed[*]}"
    exit 1
fi
