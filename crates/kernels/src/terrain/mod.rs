//! Terrain derivatives of a DEM: local 3×3 gradients and focal statistics.
//!
//! Elevations are metres, `(row, col)` with row 0 north, square cells. All 3×3
//! kernels share [`Edges`] and the window layout
//!
//! ```text
//!   a b c      a = (r-1, c-1)  b = (r-1, c)  c = (r-1, c+1)
//!   d e f      d = (r,   c-1)  e = (r,   c)  f = (r,   c+1)
//!   g h i      g = (r+1, c-1)  h = (r+1, c)  i = (r+1, c+1)
//! ```
//!
//! so `a b c` is the northern row. The window is handled exactly as `gdaldem`
//! (GDAL 3.6 `gdaldem_lib.cpp`, `GDALGeneric3x3Processing`) handles it, and the
//! validation in `validate/terrain/` checks every cell against `gdaldem`.

pub mod aspect;
pub mod curvature;
mod fastatan;
pub mod hillshade;
pub mod relief;
pub mod slope;
mod window;

pub use aspect::{aspect, FLAT_ASPECT};
pub use curvature::{curvature, Curvature};
pub use hillshade::{hillshade, HillshadeParams};
pub use relief::{relief, tri_riley};
pub use slope::{slope, SlopeUnits};

/// How a 3×3 gradient is estimated from the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GradientAlg {
    /// Horn (1981): 3rd-order finite difference weighting the centre row/column by 2,
    /// `∂z/∂x = ((c + 2f + i) − (a + 2d + g)) / (8·L)`,
    /// `∂z/∂y = ((a + 2b + c) − (g + 2h + i)) / (8·L)` (y northward).
    /// Horn, B.K.P. (1981) Hill shading and the reflectance map. Proc. IEEE 69(1), 14–47.
    #[default]
    Horn,
    /// Zevenbergen & Thorne (1987): 2nd-order central differences of the fitted
    /// quadratic, `G = ∂z/∂x = (f − d) / (2L)`, `H = ∂z/∂y = (b − h) / (2L)`.
    /// Zevenbergen, L.W., Thorne, C.R. (1987) Quantitative analysis of land surface
    /// topography. Earth Surf. Process. Landforms 12, 47–56.
    ZevenbergenThorne,
}

/// What 3×3 kernels do where the window is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edges {
    /// `gdaldem` without `-compute_edges`: the grid's outer ring of cells and every
    /// cell whose window holds a NaN become nodata.
    #[default]
    Nodata,
    /// `gdaldem -compute_edges`: a NaN centre stays nodata; NaN neighbours take the
    /// centre value; cells beyond the grid are extrapolated linearly as GDAL does
    /// (first/last row: `2·edge − next` per column, with the column clamped at the
    /// corners; first/last column of other rows: `2·edge − next` per row).
    Compute,
}
