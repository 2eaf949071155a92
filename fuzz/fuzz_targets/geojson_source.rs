//! Fuzz target `geojson_source`: the body is `riskcensus_fuzzing::geojson_source` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::geojson_source(data);
});
