//! The tile lattice: the grid cut into fixed square tiles, each read with a halo.
//!
//! A stage that needs neighbours (slope: 1 cell; a focal radius r: r cells) declares
//! its halo. Reads take the tile's core plus the halo, clipped at the grid edge;
//! outputs hold the core only. Tiles are numbered row-major, and that order is the
//! order in which the executor writes them, so outputs never depend on scheduling.

use serde::{Deserialize, Serialize};

use crate::window::Window;

/// One tile: its core window and the (halo-expanded, clipped) window to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tile {
    /// Row-major index in the plan.
    pub index: usize,
    /// Cells this tile owns and writes, in grid coordinates.
    pub core: Window,
    /// Cells to read: `core` grown by the halo and clipped to the grid.
    pub read: Window,
}

impl Tile {
    /// The core window relative to the read window (where to cut the output from
    /// an array shaped like `read`).
    pub fn core_in_read(&self) -> Window {
        Window::new(
            self.core.row_off - self.read.row_off,
            self.core.col_off - self.read.col_off,
            self.core.rows,
            self.core.cols,
        )
    }
}

/// A plan of tiles over a `rows × cols` grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TilePlan {
    /// Grid rows covered by the plan.
    pub rows: usize,
    /// Grid columns covered by the plan.
    pub cols: usize,
    /// Edge length of a square tile core, in cells (≥ 1); edge tiles may be smaller.
    pub tile_size: usize,
    /// Cells of neighbourhood read on each side of the core, clipped at the grid edge.
    pub halo: usize,
}

impl TilePlan {
    /// A plan with square tiles of `tile_size` cells (≥ 1) and a halo of `halo` cells.
    pub fn new(rows: usize, cols: usize, tile_size: usize, halo: usize) -> Self {
        Self {
            rows,
            cols,
            tile_size: tile_size.max(1),
            halo,
        }
    }

    /// Number of tile rows (the last one may be short).
    pub fn tile_rows(&self) -> usize {
        self.rows.div_ceil(self.tile_size)
    }

    /// Number of tile columns (the last one may be narrow).
    pub fn tile_cols(&self) -> usize {
        self.cols.div_ceil(self.tile_size)
    }

    /// Number of tiles in the plan.
    pub fn len(&self) -> usize {
        self.tile_rows() * self.tile_cols()
    }

    /// True when the plan has no tiles (a grid with no rows or no columns).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tile number `index` (row-major), or `None` past the end.
    pub fn tile(&self, index: usize) -> Option<Tile> {
        if index >= self.len() {
            return None;
        }
        let (tr, tc) = (index / self.tile_cols(), index % self.tile_cols());
        let r0 = tr * self.tile_size;
        let c0 = tc * self.tile_size;
        let core = Window::new(
            r0,
            c0,
            self.tile_size.min(self.rows - r0),
            self.tile_size.min(self.cols - c0),
        );
        let rr0 = r0.saturating_sub(self.halo);
        let cc0 = c0.saturating_sub(self.halo);
        let rr1 = (core.row_end() + self.halo).min(self.rows);
        let cc1 = (core.col_end() + self.halo).min(self.cols);
        let read = Window::new(rr0, cc0, rr1 - rr0, cc1 - cc0);
        Some(Tile { index, core, read })
    }

    /// All tiles in row-major order.
    pub fn tiles(&self) -> impl ExactSizeIterator<Item = Tile> + '_ {
        (0..self.len()).map(move |i| self.tile(i).expect("index < len"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_grid_exactly_once() {
        for (rows, cols, ts) in [(10, 10, 3), (7, 13, 4), (1, 1, 8), (256, 100, 64)] {
            let p = TilePlan::new(rows, cols, ts, 2);
            let mut hits = vec![0u8; rows * cols];
            for t in p.tiles() {
                assert!(t.read.contains(&t.core));
                for r in t.core.row_off..t.core.row_end() {
                    for c in t.core.col_off..t.core.col_end() {
                        hits[r * cols + c] += 1;
                    }
                }
            }
            assert!(hits.iter().all(|&h| h == 1), "{rows}x{cols}/{ts}");
        }
    }

    #[test]
    fn halo_is_clipped_at_edges() {
        let p = TilePlan::new(10, 10, 4, 1);
        assert_eq!(p.len(), 9);
        let t0 = p.tile(0).unwrap();
        assert_eq!(t0.core, Window::new(0, 0, 4, 4));
        assert_eq!(t0.read, Window::new(0, 0, 5, 5));
        assert_eq!(t0.core_in_read(), Window::new(0, 0, 4, 4));
        let t4 = p.tile(4).unwrap();
        assert_eq!(t4.core, Window::new(4, 4, 4, 4));
        assert_eq!(t4.read, Window::new(3, 3, 6, 6));
        assert_eq!(t4.core_in_read(), Window::new(1, 1, 4, 4));
        let t8 = p.tile(8).unwrap();
        assert_eq!(t8.core, Window::new(8, 8, 2, 2));
        assert_eq!(t8.read, Window::new(7, 7, 3, 3));
        assert!(p.tile(9).is_none());
    }
}
