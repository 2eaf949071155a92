//! Rectangular windows of a raster, in cell units.

use serde::{Deserialize, Serialize};

/// A rectangle of cells: `rows × cols` cells whose top-left cell is
/// `(row_off, col_off)`. Offsets may be negative only transiently, while a halo is
/// computed; every window handed to I/O lies inside its raster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub row_off: usize,
    pub col_off: usize,
    pub rows: usize,
    pub cols: usize,
}

impl Window {
    pub const fn new(row_off: usize, col_off: usize, rows: usize, cols: usize) -> Self {
        Self {
            row_off,
            col_off,
            rows,
            cols,
        }
    }

    /// Number of cells in the window.
    pub const fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub const fn is_empty(&self) -> bool {
        self.rows == 0 || self.cols == 0
    }

    /// One past the last row.
    pub const fn row_end(&self) -> usize {
        self.row_off + self.rows
    }

    /// One past the last column.
    pub const fn col_end(&self) -> usize {
        self.col_off + self.cols
    }

    /// True if `other` lies entirely inside `self`.
    pub const fn contains(&self, other: &Window) -> bool {
        other.row_off >= self.row_off
            && other.col_off >= self.col_off
            && other.row_end() <= self.row_end()
            && other.col_end() <= self.col_end()
    }
}
