//! Fuzz target `survey_values`: the body is `riskcensus_fuzzing::survey_values` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::survey_values(data);
});
