//! Fuzz target `ground_motion_csv`: the body is `riskcensus_fuzzing::ground_motion_csv` (docs/fuzzing.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = riskcensus_fuzzing::ground_motion_csv(data);
});
