//! Fuzz target `census_toml`: the body is `riskcensus_fuzzing::census_toml` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::census_toml(data);
});
