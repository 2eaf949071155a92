//! Errors of the zoning crate. Each variant names where the problem is: the value
//! index of a slice, the polygon and ring of a geometry, the class count asked for.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum ZoningError {
    /// K must be at least 1 (and at most 255, the u8 level codes).
    #[error("{classes} classes asked for: the class count must be in 1..=255")]
    BadClassCount { classes: usize },
    /// The quantisation step must be finite and positive.
    #[error("quantisation step {step} must be finite and > 0")]
    BadStep { step: f64 },
    /// An infinite value, or one too large to quantise with the step, at `index` of
    /// the slice given to [`crate::breaks::Histogram::add`].
    #[error("value {value} at index {index} cannot be quantised with step {step} (infinite or |value/step| ≥ 2^53)")]
    Unquantisable { index: usize, value: f32, step: f64 },
    /// No valid (non-NaN) value was seen.
    #[error("no valid (non-NaN) value: breaks cannot be computed")]
    NoValues,
    /// Fewer distinct (quantised) values than classes.
    #[error("{distinct} distinct values (after quantisation with step {step}) for {classes} classes: natural breaks need at least as many distinct values as classes")]
    TooFewDistinct {
        distinct: usize,
        classes: usize,
        step: f64,
    },
    /// Fixed breaks that are not strictly ascending or not finite.
    #[error("breaks {breaks:?}: bound {index} is not finite or not above the previous one")]
    BadBreaks { breaks: Vec<f64>, index: usize },
    /// A polygon vertex that is not finite.
    #[error(
        "polygon {polygon}, ring {ring}, vertex {vertex}: coordinate ({x}, {y}) is not finite"
    )]
    BadCoordinate {
        polygon: usize,
        ring: usize,
        vertex: usize,
        x: f64,
        y: f64,
    },
    /// A value slice whose length does not match the grid window it should cover.
    #[error("{what}: {got} values for a window of {expected} cells")]
    ShapeMismatch {
        what: &'static str,
        got: usize,
        expected: usize,
    },
    /// The second pass of an exact quantile saw other values than the first.
    #[error("second pass over the values disagrees with the first: bin {q} held {first} values, now {second} (the data changed between passes)")]
    PassMismatch { q: i64, first: u64, second: u64 },
}
