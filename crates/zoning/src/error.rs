//! Errors of the zoning crate. Each variant names where the problem is: the value
//! index of a slice, the polygon and ring of a geometry, the class count asked for.

use thiserror::Error;

/// Errors of class breaks, coverage and zonal statistics.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ZoningError {
    /// K must be at least 1 (and at most 255, the u8 level codes).
    #[error("{classes} classes asked for: the class count must be in 1..=255")]
    BadClassCount {
        /// The class count asked for.
        classes: usize,
    },
    /// The quantisation step must be finite and positive.
    #[error("quantisation step {step} must be finite and > 0")]
    BadStep {
        /// The step given.
        step: f64,
    },
    /// An infinite value, or one too large to quantise with the step, at `index` of
    /// the slice given to [`crate::breaks::Histogram::add`].
    #[error("value {value} at index {index} cannot be quantised with step {step} (infinite or |value/step| ≥ 2^53)")]
    Unquantisable {
        /// Index of the value in the slice.
        index: usize,
        /// The value.
        value: f32,
        /// The quantisation step.
        step: f64,
    },
    /// No valid (non-NaN) value was seen.
    #[error("no valid (non-NaN) value: breaks cannot be computed")]
    NoValues,
    /// Fewer distinct (quantised) values than classes.
    #[error("{distinct} distinct values (after quantisation with step {step}) for {classes} classes: natural breaks need at least as many distinct values as classes")]
    TooFewDistinct {
        /// Distinct quantised values seen.
        distinct: usize,
        /// Classes asked for.
        classes: usize,
        /// The quantisation step.
        step: f64,
    },
    /// Fixed breaks that are not strictly ascending or not finite.
    #[error("breaks {breaks:?}: bound {index} is not finite or not above the previous one")]
    BadBreaks {
        /// The bounds as given.
        breaks: Vec<f64>,
        /// Index of the first offending bound.
        index: usize,
    },
    /// A polygon vertex that is not finite.
    #[error(
        "polygon {polygon}, ring {ring}, vertex {vertex}: coordinate ({x}, {y}) is not finite"
    )]
    BadCoordinate {
        /// Index of the polygon in [`crate::coverage::Rings::polygons`].
        polygon: usize,
        /// Index of the ring in the polygon (0 = exterior, then holes).
        ring: usize,
        /// Index of the vertex in the ring.
        vertex: usize,
        /// x of the vertex.
        x: f64,
        /// y of the vertex.
        y: f64,
    },
    /// A value slice whose length does not match the grid window it should cover.
    #[error("{what}: {got} values for a window of {expected} cells")]
    ShapeMismatch {
        /// Which slice, e.g. `"level buffer"`.
        what: &'static str,
        /// Length given.
        got: usize,
        /// Length expected (the values, or the cells of the window).
        expected: usize,
    },
    /// The second pass of an exact quantile saw other values than the first.
    #[error("second pass over the values disagrees with the first: bin {q} held {first} values, now {second} (the data changed between passes)")]
    PassMismatch {
        /// The bin, in quantisation steps ([`crate::breaks::Bin::q`]).
        q: i64,
        /// Values the first pass counted in the bin.
        first: u64,
        /// Values the second pass collected for it.
        second: u64,
    },
}
