# RiskCensus — the two set-up commands are `make demo` and `make test`.
# Both install missing system packages first (scripts/install-deps.sh).

CARGO ?= cargo
DEMO_OUT ?= out/demo
DEMO_ARGS ?=
# Where cargo builds (honours CARGO_TARGET_DIR, like cargo itself).
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)

.PHONY: deps demo test validate bench sweep fuzz fmt clean

deps:
	@scripts/install-deps.sh

## Generate the built-in demo census and run the engine on it (release build).
demo: deps
	$(CARGO) build --release -p riskcensus-cli
	$(TARGET_DIR)/release/riskcensus demo --out $(DEMO_OUT) $(DEMO_ARGS)
	@scripts/check-cogs.sh $(DEMO_OUT)/layers

## All tests (hermetic: they compare against committed golden files), after the
## habits: formatting, clippy with warnings as errors, documentation with warnings as
## errors (public items of the library crates documented: `[lints] workspace = true`).
test: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps
	$(CARGO) test --workspace --no-fail-fast

## Re-run the independent tools (gdalwarp, gdaldem, peers) and rewrite golden files.
validate: deps
	/usr/bin/python3 validate/warp/make_golden.py
	/usr/bin/python3 validate/rasterize/make_golden.py
	@for v in terrain earthquake geohazard wildfire zoning annual_loss capacity trend; do \
		if [ -x validate/$$v/run.sh ]; then validate/$$v/run.sh || exit 1; fi; \
	done

## Criterion benchmarks (release).
bench: deps
	$(CARGO) bench -p riskcensus-engine --bench executor

## The kill sweep at every fault point of a run, every output's rename included
## (about 490 kills, each followed by a resumed run: hours). `make test` sweeps the
## database transactions, the stage boundaries and one output of each kind.
sweep: deps
	RISKCENSUS_SWEEP_ALL=1 $(CARGO) test -p riskcensus-cli --test tests resume:: -- --nocapture

## Fuzz every target for FUZZ_SECONDS each (default 600), one after another, with the
## nightly toolchain and cargo-fuzz (docs/fuzzing.md).
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_WORK=$(abspath $(TARGET_DIR))/fuzz-corpus fuzz/run.sh

fmt:
	$(CARGO) fmt --all

clean:
	rm -rf out
