//! The end-to-end suite of RiskCensus: one integration test binary (built as the
//! `riskcensus-cli` package's test `tests`, so it can run the `riskcensus` binary),
//! one module per area. Helpers shared by several modules live in [`util`] (running
//! the binary) and in `riskcensus-testkit` (fixtures, rasters, synthetic data).
//!
//! Run one area with a filter, e.g. `cargo test -p riskcensus-cli --test tests resume`.

mod util;

mod breaks_zonal;
mod capacity;
mod cli;
mod delivery;
mod early;
mod earthquake;
mod engine;
mod extra_hazard;
mod faults;
mod fwi;
mod geohazard;
mod ground_motion;
mod hostile;
mod ingest;
mod names;
mod overrides;
mod own_census;
mod report;
mod resolution;
mod resume;
mod scenarios;
mod susceptibility;
mod trends;
mod wildfire;
mod zoning;
