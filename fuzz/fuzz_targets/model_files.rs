//! Fuzz target `model_files`: the body is `riskcensus_fuzzing::model_files` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::model_files(data);
});
