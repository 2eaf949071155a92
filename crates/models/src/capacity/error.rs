//! Errors of the capacity computations.

/// Errors of the capacity computations ([`super::two_step_fca()`], the road network
/// [`super::RoadNetwork`] and the shelter allocation [`super::network_pairs()`],
/// [`super::allocate()`]): each says which input is wrong and where (shelter, line and
/// vertex, point or pair index).
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
    /// A road line with a vertex whose coordinates are not finite.
    #[error("road line {line}, vertex {vertex}: coordinates ({x}, {y}) must be finite")]
    BadVertex {
        /// Index of the line in the slice given.
        line: usize,
        /// Index of the vertex in the line.
        vertex: usize,
        /// Easting, metres.
        x: f64,
        /// Northing, metres.
        y: f64,
    },
    /// A road line with fewer than two vertices (no segment).
    #[error("road line {line}: {vertices} vertices, a line needs at least 2")]
    ShortLine {
        /// Index of the line in the slice given.
        line: usize,
        /// Vertices the line has.
        vertices: usize,
    },
    /// A road line whose speed is not a finite number > 0 km/h.
    #[error("road line {line}: speed {speed_kmh} km/h must be finite and > 0")]
    BadSpeed {
        /// Index of the line in the slice given.
        line: usize,
        /// The speed given, km/h.
        speed_kmh: f64,
    },
    /// The snapping tolerance is not a finite distance ≥ 0 m.
    #[error("snapping tolerance {snap_m} m: must be finite and ≥ 0")]
    BadSnap {
        /// The tolerance given, metres.
        snap_m: f64,
    },
    /// The off-road speed (from a cell centre to its nearest road node) is not a finite
    /// number > 0 km/h.
    #[error("off-road speed {speed_kmh} km/h: must be finite and > 0")]
    BadOffroadSpeed {
        /// The speed given, km/h.
        speed_kmh: f64,
    },
    /// Two inputs that must have one value per item differ in length.
    #[error("{what}: {got} values for {expected} items")]
    LengthMismatch {
        /// Which input (e.g. "node minutes per network node").
        what: &'static str,
        /// Items (network nodes, places).
        expected: usize,
        /// Values given.
        got: usize,
    },
    /// A demand point or a place whose position is not finite.
    #[error("{what} {index}: position ({x}, {y}) must be finite")]
    BadPoint {
        /// "demand" or "place".
        what: &'static str,
        /// Index of the point in the slice given.
        index: usize,
        /// Easting, metres.
        x: f64,
        /// Northing, metres.
        y: f64,
    },
    /// A place whose search radius is NaN or negative.
    #[error("place {index}: radius {radius_m} m must be ≥ 0")]
    BadPlaceRadius {
        /// Index of the place in the slice given.
        index: usize,
        /// The radius given, metres.
        radius_m: f64,
    },
    /// A count of people or of shelter places that is not a finite number ≥ 0.
    #[error("{what} {index}: {value} must be a finite number ≥ 0")]
    BadAmount {
        /// "people of demand" or "places of place".
        what: &'static str,
        /// Index in the slice given.
        index: usize,
        /// The value given.
        value: f64,
    },
    /// A candidate pair naming a demand or a place that does not exist, or whose
    /// distance is NaN.
    #[error("pair {index}: (demand {demand}, place {place}, {metres} m) is out of range or not a number")]
    BadPair {
        /// Index of the pair in the slice given.
        index: usize,
        /// Demand index of the pair.
        demand: usize,
        /// Place index of the pair.
        place: usize,
        /// Distance of the pair, metres.
        metres: f64,
    },
}
