//! The census grid: a north-up raster lattice of square cells in a projected CRS.
//!
//! Axis order is `(x, y)` for world coordinates (x = easting, y = northing, metres in
//! the census CRS) and `(row, col)` for cells, row 0 along the northern edge. The
//! geotransform follows GDAL: `x = gt[0] + col·gt[1] + row·gt[2]`,
//! `y = gt[3] + col·gt[4] + row·gt[5]`, with `gt[2] = gt[4] = 0` and `gt[5] = -gt[1]`
//! for a census grid. Cell centres sit at half-cell offsets from the edges.

use serde::{Deserialize, Serialize};

use crate::window::Window;

/// Most cells a grid may have: 2^28 (268 435 456, e.g. 16 384 × 16 384 — a
/// 160 km square at 10 m). A float32 layer of it is 1 GiB; the global stages
/// (hydrology) hold about 17 B per cell. Also the most cells one raster read may hold.
pub const MAX_GRID_CELLS: usize = 1 << 28;

/// Why a [`GridSpec`] was refused: each variant names the offending value.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GridError {
    /// The CRS string is empty; a grid without a CRS is an input error, never guessed.
    #[error("grid has no CRS: every census grid needs one (e.g. EPSG:4548)")]
    NoCrs,
    /// The cell size (metres) is not finite or not positive.
    #[error("grid cell size must be finite and > 0, got {0}")]
    BadCellSize(f64),
    /// The grid has zero rows or zero columns.
    #[error("grid shape must be at least 1×1, got {rows}×{cols}")]
    Empty {
        /// Rows asked for.
        rows: usize,
        /// Columns asked for.
        cols: usize,
    },
    /// More than [`MAX_GRID_CELLS`] cells.
    #[error("grid of {rows}×{cols} cells is larger than the engine's bound of 268435456 cells (2^28, e.g. 16384×16384; 1 GiB per float32 layer): use a coarser cell size or a smaller area")]
    TooLarge {
        /// Rows asked for.
        rows: usize,
        /// Columns asked for.
        cols: usize,
    },
    /// The north-west corner `(x_min, y_max)` is not finite.
    #[error("grid origin must be finite, got ({x}, {y})")]
    BadOrigin {
        /// x of the western edge.
        x: f64,
        /// y of the northern edge.
        y: f64,
    },
    /// The geotransform has rotation terms (`gt[2]`, `gt[4]`) or a non-negative `gt[5]`.
    #[error("geotransform is rotated or sheared ({0:?}): census grids are north-up")]
    Rotated([f64; 6]),
    /// Pixel width `gt[1]` and height `-gt[5]` differ by more than 1e-9 relative.
    #[error("geotransform cells are not square: {dx} × {dy}")]
    NotSquare {
        /// Pixel width `gt[1]`.
        dx: f64,
        /// Pixel height `-gt[5]`.
        dy: f64,
    },
}

/// The census grid: CRS, north-west corner, square cell size and shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// CRS as an authority code (`EPSG:4548`) or WKT; must be projected in metres.
    pub crs: String,
    /// x of the western edge (metres).
    pub x_min: f64,
    /// y of the northern edge (metres).
    pub y_max: f64,
    /// cell edge length (metres).
    pub cell_size: f64,
    /// Number of rows, north to south.
    pub rows: usize,
    /// Number of columns, west to east.
    pub cols: usize,
}

impl GridSpec {
    /// Build and validate a grid.
    pub fn new(
        crs: impl Into<String>,
        x_min: f64,
        y_max: f64,
        cell_size: f64,
        rows: usize,
        cols: usize,
    ) -> Result<Self, GridError> {
        let g = Self {
            crs: crs.into(),
            x_min,
            y_max,
            cell_size,
            rows,
            cols,
        };
        g.validate()?;
        Ok(g)
    }

    /// The grid covering `[x_min, x_max] × [y_min, y_max]` with the given cell size;
    /// the shape is rounded up so the whole extent is covered.
    pub fn covering(
        crs: impl Into<String>,
        x_min: f64,
        y_min: f64,
        x_max: f64,
        y_max: f64,
        cell_size: f64,
    ) -> Result<Self, GridError> {
        if !(cell_size.is_finite() && cell_size > 0.0) {
            return Err(GridError::BadCellSize(cell_size));
        }
        let cols = ((x_max - x_min) / cell_size - 1e-9).ceil().max(0.0) as usize;
        let rows = ((y_max - y_min) / cell_size - 1e-9).ceil().max(0.0) as usize;
        Self::new(crs, x_min, y_max, cell_size, rows, cols)
    }

    /// Build from a GDAL geotransform, refusing rotated or non-square grids.
    pub fn from_geotransform(
        crs: impl Into<String>,
        gt: [f64; 6],
        rows: usize,
        cols: usize,
    ) -> Result<Self, GridError> {
        if gt[2] != 0.0 || gt[4] != 0.0 || gt[5] >= 0.0 {
            return Err(GridError::Rotated(gt));
        }
        let (dx, dy) = (gt[1], -gt[5]);
        if ((dx - dy) / dx).abs() > 1e-9 {
            return Err(GridError::NotSquare { dx, dy });
        }
        Self::new(crs, gt[0], gt[3], dx, rows, cols)
    }

    /// Check the invariants [`GridSpec::new`] enforces: non-empty CRS, finite cell size > 0,
    /// at least 1×1 cells and a finite origin. Call it after deserialising a grid.
    pub fn validate(&self) -> Result<(), GridError> {
        if self.crs.trim().is_empty() {
            return Err(GridError::NoCrs);
        }
        if !(self.cell_size.is_finite() && self.cell_size > 0.0) {
            return Err(GridError::BadCellSize(self.cell_size));
        }
        if self.rows == 0 || self.cols == 0 {
            return Err(GridError::Empty {
                rows: self.rows,
                cols: self.cols,
            });
        }
        if self.rows.saturating_mul(self.cols) > MAX_GRID_CELLS {
            return Err(GridError::TooLarge {
                rows: self.rows,
                cols: self.cols,
            });
        }
        if !(self.x_min.is_finite() && self.y_max.is_finite()) {
            return Err(GridError::BadOrigin {
                x: self.x_min,
                y: self.y_max,
            });
        }
        Ok(())
    }

    /// GDAL geotransform of the grid.
    pub fn geotransform(&self) -> [f64; 6] {
        [
            self.x_min,
            self.cell_size,
            0.0,
            self.y_max,
            0.0,
            -self.cell_size,
        ]
    }

    /// x of the eastern edge (metres).
    pub fn x_max(&self) -> f64 {
        self.x_min + self.cols as f64 * self.cell_size
    }

    /// y of the southern edge (metres).
    pub fn y_min(&self) -> f64 {
        self.y_max - self.rows as f64 * self.cell_size
    }

    /// `(x_min, y_min, x_max, y_max)` of the outer cell edges.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        (self.x_min, self.y_min(), self.x_max(), self.y_max)
    }

    /// Number of cells, `rows × cols`.
    pub fn cell_count(&self) -> usize {
        self.rows * self.cols
    }

    /// Area of one cell in square metres.
    pub fn cell_area(&self) -> f64 {
        self.cell_size * self.cell_size
    }

    /// World coordinates `(x, y)` of the centre of cell `(row, col)`.
    pub fn cell_center(&self, row: usize, col: usize) -> (f64, f64) {
        (
            self.x_min + (col as f64 + 0.5) * self.cell_size,
            self.y_max - (row as f64 + 0.5) * self.cell_size,
        )
    }

    /// The cell `(row, col)` containing world point `(x, y)`, or `None` outside the
    /// grid. Points on a shared edge belong to the cell to the east / south, as in
    /// GDAL; the eastern and southern outer edges are outside.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        let c = ((x - self.x_min) / self.cell_size).floor();
        let r = ((self.y_max - y) / self.cell_size).floor();
        if c >= 0.0 && r >= 0.0 && (c as usize) < self.cols && (r as usize) < self.rows {
            Some((r as usize, c as usize))
        } else {
            None
        }
    }

    /// Window of the whole grid.
    pub fn full_window(&self) -> Window {
        Window::new(0, 0, self.rows, self.cols)
    }

    /// The grid of the cells in `w` (same CRS and cell size).
    pub fn subgrid(&self, w: &Window) -> GridSpec {
        GridSpec {
            crs: self.crs.clone(),
            x_min: self.x_min + w.col_off as f64 * self.cell_size,
            y_max: self.y_max - w.row_off as f64 * self.cell_size,
            cell_size: self.cell_size,
            rows: w.rows,
            cols: w.cols,
        }
    }

    /// True when two grids share CRS string, origin, cell size and shape exactly.
    pub fn same_lattice(&self, other: &GridSpec) -> bool {
        self == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> GridSpec {
        GridSpec::new("EPSG:4548", 484_000.0, 4_020_000.0, 30.0, 100, 200).unwrap()
    }

    #[test]
    fn centre_and_cell_round_trip() {
        let g = g();
        // Hand calculation: col 3 centre = 484000 + 3.5*30 = 484105; row 2 centre =
        // 4020000 - 2.5*30 = 4019925.
        assert_eq!(g.cell_center(2, 3), (484_105.0, 4_019_925.0));
        for (r, c) in [(0, 0), (99, 199), (50, 7)] {
            let (x, y) = g.cell_center(r, c);
            assert_eq!(g.cell_of(x, y), Some((r, c)));
        }
    }

    #[test]
    fn edges_follow_gdal_convention() {
        let g = g();
        assert_eq!(g.cell_of(484_000.0, 4_020_000.0), Some((0, 0)));
        assert_eq!(g.cell_of(484_030.0, 4_020_000.0), Some((0, 1)));
        assert_eq!(g.cell_of(g.x_max(), 4_019_999.0), None);
        assert_eq!(g.cell_of(484_001.0, g.y_min()), None);
        assert_eq!(g.cell_of(483_999.9, 4_019_999.0), None);
    }

    #[test]
    fn bounds_and_geotransform() {
        let g = g();
        assert_eq!(g.bounds(), (484_000.0, 4_017_000.0, 490_000.0, 4_020_000.0));
        assert_eq!(
            g.geotransform(),
            [484_000.0, 30.0, 0.0, 4_020_000.0, 0.0, -30.0]
        );
        let back = GridSpec::from_geotransform("EPSG:4548", g.geotransform(), 100, 200).unwrap();
        assert_eq!(back, g);
        assert_eq!(g.cell_area(), 900.0);
    }

    #[test]
    fn covering_rounds_up() {
        let g = GridSpec::covering("EPSG:4548", 0.0, 0.0, 31_500.0, 25_910.0, 30.0).unwrap();
        assert_eq!((g.rows, g.cols), (864, 1050));
        assert!(g.y_min() <= 0.0);
    }

    #[test]
    fn invalid_grids_are_refused() {
        assert_eq!(
            GridSpec::new("", 0.0, 0.0, 30.0, 1, 1).unwrap_err(),
            GridError::NoCrs
        );
        assert!(matches!(
            GridSpec::new("EPSG:4548", 0.0, 0.0, -1.0, 1, 1),
            Err(GridError::BadCellSize(_))
        ));
        assert!(matches!(
            GridSpec::from_geotransform("EPSG:4548", [0.0, 30.0, 0.1, 0.0, 0.0, -30.0], 1, 1),
            Err(GridError::Rotated(_))
        ));
        assert!(matches!(
            GridSpec::from_geotransform("EPSG:4548", [0.0, 30.0, 0.0, 0.0, 0.0, -20.0], 1, 1),
            Err(GridError::NotSquare { .. })
        ));
    }

    #[test]
    fn subgrid_shifts_origin() {
        let g = g();
        let s = g.subgrid(&Window::new(10, 20, 5, 6));
        assert_eq!(s.x_min, 484_600.0);
        assert_eq!(s.y_max, 4_019_700.0);
        assert_eq!(s.cell_center(0, 0), g.cell_center(10, 20));
    }
}
