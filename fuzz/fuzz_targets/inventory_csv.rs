//! Fuzz target `inventory_csv`: the body is `riskcensus_fuzzing::inventory_csv` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::inventory_csv(data);
});
