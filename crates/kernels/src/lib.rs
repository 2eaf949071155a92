//! Pure kernels over `ndarray` views: no I/O, no global thread pool.
//!
//! Conventions shared by every kernel in this crate:
//! - arrays are indexed `(row, col)`, row 0 along the **northern** edge, col 0 along
//!   the western edge (north-up census grids, see `riskcensus_core::grid`);
//! - cells are square; the cell size is given in metres as a validated [`CellSize`];
//! - float nodata is NaN ([`riskcensus_core::nodata`]); integer outputs document their
//!   own nodata code;
//! - results are bit-identical for any thread count and never depend on global state.
//!
//! | module | holds |
//! |---|---|
//! | [`terrain::slope`](mod@terrain::slope) | slope in degrees or percent, Horn (1981) or Zevenbergen–Thorne (1987) |
//! | [`terrain::aspect`](mod@terrain::aspect) | aspect in degrees clockwise from north |
//! | [`terrain::curvature`](mod@terrain::curvature) | plan and profile curvature (Zevenbergen–Thorne 1987), 1/m |
//! | [`terrain::relief`](mod@terrain::relief) | local relief (max − min) and terrain ruggedness index (Riley et al. 1999) |
//! | [`terrain::hillshade`](mod@terrain::hillshade) | Horn hillshade matching `gdaldem hillshade` |
//! | [`hydro::fill`] | priority-flood + ε depression filling (Barnes, Lehman & Mulla 2014) |
//! | [`hydro::d8`](mod@hydro::d8) | D8 steepest-descent flow direction, ESRI codes (O'Callaghan & Mark 1984) |
//! | [`hydro::accumulation`](mod@hydro::accumulation) | D8 flow accumulation (cells) and upstream area (m²) |
//! | [`hydro::streams`](mod@hydro::streams) | stream cells from an accumulation threshold |
//! | [`hydro::hand`](mod@hydro::hand) | Height Above Nearest Drainage (Nobre et al. 2011) |
//! | [`hydro::twi`](mod@hydro::twi) | topographic wetness index ln(a / tan β) |
//! | [`distance`] | exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012) |
//! | [`majority`] | 8-neighbour strict-majority filter of class grids (ESRI Majority Filter) |

pub mod distance;
pub mod hydro;
pub mod majority;
pub mod terrain;

/// Errors of kernel parameters and input shapes. Kernels never fail on cell values:
/// NaN is nodata and flows through as documented by each kernel.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KernelError {
    /// A cell size (metres) that is not finite or not positive; see [`CellSize::new`].
    #[error("cell size must be finite and > 0 metres, got {0}")]
    BadCellSize(f64),
    /// Two inputs of one kernel differ in shape.
    #[error("{what}: shape {got:?} does not match {expected:?}")]
    ShapeMismatch {
        /// Which inputs, e.g. `"stream mask vs filled DEM"`.
        what: &'static str,
        /// Shape `(rows, cols)` the kernel expected.
        expected: (usize, usize),
        /// Shape `(rows, cols)` it was given.
        got: (usize, usize),
    },
    /// A D8 direction grid holds a code that is neither 0, 255 nor a power of two.
    #[error("cell ({row}, {col}): {code} is not a D8 code (0, 255 or a power of two)")]
    BadD8Code {
        /// Row of the offending cell.
        row: usize,
        /// Column of the offending cell.
        col: usize,
        /// The code found there.
        code: u8,
    },
    /// D8 directions loop, so flow from this cell never reaches an outlet.
    #[error("cell ({row}, {col}): D8 directions form a cycle on or above this cell")]
    D8Cycle {
        /// Row of a cell on or upstream of the cycle.
        row: usize,
        /// Column of a cell on or upstream of the cycle.
        col: usize,
    },
    /// A scalar parameter outside its domain.
    #[error("parameter `{name}` = {value} is invalid: {reason}")]
    BadParameter {
        /// Parameter name as in the kernel's signature.
        name: &'static str,
        /// Value given.
        value: f64,
        /// Why it was refused.
        reason: &'static str,
    },
}

/// A validated cell edge length in metres (finite, > 0). Kernels take this type so
/// that the check happens once, where the number enters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellSize(f64);

impl CellSize {
    /// Validate a cell size in metres.
    pub fn new(metres: f64) -> Result<Self, KernelError> {
        if metres.is_finite() && metres > 0.0 {
            Ok(Self(metres))
        } else {
            Err(KernelError::BadCellSize(metres))
        }
    }

    /// The cell edge length in metres.
    #[inline]
    pub fn metres(self) -> f64 {
        self.0
    }

    /// The cell area in m².
    #[inline]
    pub fn area(self) -> f64 {
        self.0 * self.0
    }
}

pub(crate) fn check_shape(
    what: &'static str,
    expected: (usize, usize),
    got: (usize, usize),
) -> Result<(), KernelError> {
    if expected == got {
        Ok(())
    } else {
        Err(KernelError::ShapeMismatch {
            what,
            expected,
            got,
        })
    }
}

/// Borrow a view as a contiguous row-major slice, copying once if it is not.
pub(crate) fn contiguous<'a, T: Clone>(
    v: &'a ndarray::ArrayView2<'a, T>,
) -> std::borrow::Cow<'a, [T]> {
    match v.as_slice() {
        Some(s) => std::borrow::Cow::Borrowed(s),
        None => std::borrow::Cow::Owned(v.iter().cloned().collect()),
    }
}
