//! Earthquake: ground-motion models, site terms, intensity and building fragility
//! (issue 6). Being built.
