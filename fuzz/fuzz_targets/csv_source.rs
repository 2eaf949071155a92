//! Fuzz target `csv_source`: the body is `riskcensus_fuzzing::csv_source` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::csv_source(data);
});
