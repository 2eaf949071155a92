//! Errors of the capacity computations.

/// Errors of [`super::two_step_fca()`]: each says which input is wrong and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CapacityError {
    /// The service radius is not a finite distance > 0 m.
    #[error("service radius {d0_m} m: must be finite and > 0")]
    BadRadius {
        /// The radius given, metres.
        d0_m: f64,
    },
    /// The population grid does not have the grid's shape.
    #[error("population grid of shape {got:?} for a census grid of {expected:?} (rows, cols)")]
    ShapeMismatch {
        /// (rows, cols) of the grid.
        expected: (usize, usize),
        /// (rows, cols) of the population array.
        got: (usize, usize),
    },
    /// A shelter whose position is not finite or whose capacity is not a finite
    /// number ≥ 0.
    #[error("shelter {index}: position ({x}, {y}) must be finite and capacity {capacity} persons finite and ≥ 0")]
    BadShelter {
        /// Index of the shelter in the slice given.
        index: usize,
        /// Easting, metres.
        x: f64,
        /// Northing, metres.
        y: f64,
        /// Capacity, persons.
        capacity: f64,
    },
}
