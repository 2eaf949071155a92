//! Rectangular windows of a raster, in cell units.

use serde::{Deserialize, Serialize};

/// A rectangle of cells: `rows × cols` cells whose top-left cell is
/// `(row_off, col_off)`. Offsets are unsigned: a halo is clipped at the grid edge
/// before its window is built (see [`TilePlan`](crate::TilePlan)), so every window
/// handed to I/O lies inside its raster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    /// Row of the top-left cell.
    pub row_off: usize,
    /// Column of the top-left cell.
    pub col_off: usize,
    /// Height in cells.
    pub rows: usize,
    /// Width in cells.
    pub cols: usize,
}

impl Window {
    /// The window of `rows × cols` cells whose top-left cell is `(row_off, col_off)`.
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

    /// True when the window holds no cell (zero rows or zero columns).
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
