//! Global hydrology over a DEM: depression filling, D8 routing, accumulation,
//! streams, HAND and wetness.
//!
//! These kernels have unbounded reach (a cell's result can depend on any other cell),
//! so they run on a whole grid held in memory (DESIGN §6). The usual chain is
//!
//! ```text
//! dem ─fill_depressions→ filled ─d8→ dirs ─accumulation→ acc ─streams→ mask
//!                        filled + dirs + mask ─hand→ HAND;  area + slope ─twi→ TWI
//! ```
//!
//! D8 codes are ESRI's (see [`d8`](mod@d8)); [`D8_NODATA`] marks nodata cells and 0 marks
//! outlets. Axis order `(row, col)`, row 0 north.

pub mod accumulation;
pub mod d8;
pub mod fill;
pub mod hand;
pub mod streams;
pub mod twi;

pub use accumulation::{accumulation, upstream_area};
pub use d8::{d8, d8_with_rule, D8Rule, D8_NODATA, NO_FLOW};
pub use fill::fill_depressions;
pub use hand::hand;
pub use streams::streams;
pub use twi::{twi, DEFAULT_MIN_TAN_SLOPE};

/// ESRI D8 codes in search order, with their `(d_row, d_col)` offsets:
/// E=1, SE=2, S=4, SW=8, W=16, NW=32, N=64, NE=128 (row 0 north, so S is `+1` row).
pub const D8_CODES: [(u8, isize, isize); 8] = [
    (1, 0, 1),
    (2, 1, 1),
    (4, 1, 0),
    (8, 1, -1),
    (16, 0, -1),
    (32, -1, -1),
    (64, -1, 0),
    (128, -1, 1),
];

/// Index 1..=8 into [`D8_CODES`] (+1) of a code, 0 for [`NO_FLOW`], `None` if invalid.
#[inline(always)]
pub(crate) fn dir_index(code: u8) -> Option<u8> {
    if code == 0 {
        Some(0)
    } else if code.is_power_of_two() {
        Some(code.trailing_zeros() as u8 + 1)
    } else {
        None
    }
}
