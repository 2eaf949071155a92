//! Fuzz target `fwi_csv`: the body is `riskcensus_fuzzing::fwi_csv` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::fwi_csv(data);
});
