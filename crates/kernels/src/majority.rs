//! Majority (modal) filter of a class grid, for cleaning level grids before zoning.
//!
//! The rule is ESRI's *Majority Filter* with eight neighbours and the `MAJORITY`
//! replacement threshold (ArcGIS Spatial Analyst, "How Majority Filter works"): a
//! cell takes the value that holds a **strict majority of its eight neighbours**
//! (at least 5 of 8), and otherwise keeps its own. A strict majority is unique, so
//! there are no ties to break, and every output cell depends only on the input
//! (one pass, no in-place propagation): the result is the same for any evaluation
//! order. ESRI's additional contiguity test for the 4-neighbour case does not
//! apply to eight neighbours with this threshold.
//!
//! Nodata (`nodata`, 0 for level grids) is never written over and never wins: a
//! nodata neighbour, or a neighbour outside the grid, counts for no class — so edge
//! and coast cells need 5 agreeing valid neighbours like any other.
//!
//! Grids are `(row, col)`, north-up; class codes are `u8`.

use ndarray::Array2;

/// One pass of the 8-neighbour strict-majority filter (see the module docs).
pub fn majority_filter(levels: &Array2<u8>, nodata: u8) -> Array2<u8> {
    let (rows, cols) = levels.dim();
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let own = levels[(r, c)];
        if own == nodata {
            return own;
        }
        // At most 8 distinct neighbour values: a small list beats a 256-entry table.
        let mut seen: [(u8, u8); 8] = [(0, 0); 8];
        let mut n = 0usize;
        for dr in -1i64..=1 {
            for dc in -1i64..=1 {
                if dr == 0 && dc == 0 {
                    continue;
                }
                let (rr, cc) = (r as i64 + dr, c as i64 + dc);
                if rr < 0 || cc < 0 || rr >= rows as i64 || cc >= cols as i64 {
                    continue;
                }
                let v = levels[(rr as usize, cc as usize)];
                if v == nodata {
                    continue;
                }
                match seen[..n].iter_mut().find(|(k, _)| *k == v) {
                    Some((_, count)) => *count += 1,
                    None => {
                        seen[n] = (v, 1);
                        n += 1;
                    }
                }
            }
        }
        seen[..n]
            .iter()
            .find(|&&(_, count)| count >= 5)
            .map_or(own, |&(v, _)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn an_isolated_cell_takes_its_surroundings() {
        let g = array![[2, 2, 2], [2, 5, 2], [2, 2, 2]];
        let f = majority_filter(&g, 0);
        assert_eq!(f[(1, 1)], 2);
        // Corner cells see 3 neighbours only: no strict majority of eight, kept.
        assert_eq!(f[(0, 0)], 2);
    }

    #[test]
    fn four_of_eight_is_not_a_majority() {
        // Centre 1 with four 3s and four 2s around it: nothing reaches 5.
        let g = array![[3, 3, 3], [3, 1, 2], [2, 2, 2]];
        assert_eq!(majority_filter(&g, 0)[(1, 1)], 1);
        // Five 3s: replaced.
        let g = array![[3, 3, 3], [3, 1, 3], [2, 2, 2]];
        assert_eq!(majority_filter(&g, 0)[(1, 1)], 3);
    }

    #[test]
    fn nodata_neither_changes_nor_wins() {
        // A nodata cell surrounded by class 4 stays nodata.
        let g = array![[4, 4, 4], [4, 0, 4], [4, 4, 4]];
        assert_eq!(majority_filter(&g, 0)[(1, 1)], 0);
        // A class cell surrounded by nodata keeps its class.
        let g = array![[0, 0, 0], [0, 3, 0], [0, 0, 0]];
        assert_eq!(majority_filter(&g, 0)[(1, 1)], 3);
    }

    #[test]
    fn a_straight_boundary_between_two_blocks_is_kept() {
        // Cells next to a straight edge have 3 of the other class and 5 of their own.
        let g = Array2::from_shape_fn((6, 6), |(_, c)| if c < 3 { 1u8 } else { 2 });
        assert_eq!(majority_filter(&g, 0), g);
    }

    #[test]
    fn a_thin_diagonal_line_dissolves_except_its_corner_ends() {
        // Interior line cells have 2 line neighbours and 6 of the background.
        let mut g = Array2::from_elem((5, 5), 1u8);
        for i in 0..5 {
            g[(i, i)] = 5;
        }
        let f = majority_filter(&g, 0);
        for i in 1..4 {
            assert_eq!(f[(i, i)], 1, "diagonal cell {i}");
        }
        // Corners (0,0) and (4,4) have 3 neighbours: kept.
        assert_eq!(f[(0, 0)], 5);
        assert_eq!(f[(4, 4)], 5);
    }
}
