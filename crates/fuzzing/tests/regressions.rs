//! One test per input that once crashed a fuzz target (docs/fuzzing.md), named after
//! the bug: the input of `fuzz/regressions/<target>/<name>` replayed through its
//! target, with the value or the error the parser must give now.

use std::path::Path;

use riskcensus_fuzzing::{target, Outcome};

fn replay(target_name: &str, file: &str) -> Outcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target_name)
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (target(target_name).unwrap().run)(&bytes)
}

/// A mapping file whose `crs` OSR does not understand (`CGC}}}…S2000`): refused,
/// naming the CRS and the source. LeakSanitizer found the OGRSpatialReference of
/// every refused CRS leaked (gdal 0.19's `SpatialRef::from_definition` drops it on
/// its error path); `riskcensus_io::crs::spatial_ref` now owns it before parsing.
#[test]
fn survey_values_mapping_unknown_crs_leak() {
    let e = replay("survey_values", "mapping-unknown-crs-leak")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("survey.csv") && e.contains("is not understood"),
        "{e}"
    );
    assert!(e.contains("CGC}}}"), "{e}");
}

/// A `census.toml` whose grid CRS is an EPSG code PROJ does not know (`EPSG:9096`):
/// refused naming the file and the key; the same leak as above, through
/// `riskcensus_io::crs::is_projected`.
#[test]
fn census_toml_grid_unknown_epsg_leak() {
    let e = replay("census_toml", "grid-unknown-epsg-leak")
        .unwrap_err()
        .to_string();
    assert!(e.contains("census.toml") && e.contains("[grid] crs"), "{e}");
    assert!(e.contains("EPSG:9096"), "{e}");
}
