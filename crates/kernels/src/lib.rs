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
//! | [`terrain::slope`] | slope in degrees or percent, Horn (1981) or Zevenbergen–Thorne (1987) |
//! | [`terrain::aspect`] | aspect in degrees clockwise from north |
//! | [`terrain::curvature`] | plan and profile curvature (Zevenbergen–Thorne 1987), 1/m |
//! | [`terrain::relief`] | local relief (max − min) and terrain ruggedness index (Riley et al. 1999) |
//! | [`terrain::hillshade`] | Horn hillshade matching `gdaldem hillshade` |
//! | [`hydro::fill`] | priority-flood + ε depression filling (Barnes, Lehman & Mulla 2014) |
//! | [`hydro::d8`] | D8 steepest-descent flow direction, ESRI codes (O'Callaghan & Mark 1984) |
//! | [`hydro::accumulation`] | D8 flow accumulation (cells) and upstream area (m²) |
//! | [`hydro::streams`] | stream cells from an accumulation threshold |
//! | [`hydro::hand`] | Height Above Nearest Drainage (Nobre et al. 2011) |
//! | [`hydro::twi`] | topographic wetness index ln(a / tan β) |
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
    #[error("cell size must be finite and > 0 metres, got {0}")]
    BadCellSize(f64),
    #[error("{what}: shape {got:?} does not match {expected:?}")]
    ShapeMismatch {
        what: &'static str,
        expected: (usize, usize),
        got: (usize, usize),
    },
    #[error("cell ({row}, {col}): {code} is not a D8 code (0, 255 or a power of two)")]
    BadD8Code { row: usize, col: usize, code: u8 },
    #[error("cell ({row}, {col}): D8 directions form a cycle on or above this cell")]
    D8Cycle { row: usize, col: usize },
    #[error("parameter `{name}` = {value} is invalid: {reason}")]
    BadParameter {
        name: &'static str,
        value: f64,
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
