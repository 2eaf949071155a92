//! Hidden-danger candidates (隐患点候选): the cells where the next field check looks
//! first — susceptibility level 1 (极高) or 2 (高), at least one building, and no
//! registered hidden-danger point (any type) within the sampling buffer
//! ([`super::sampling::buffer_mask`]). Method: docs/geohazard.md.

/// 1 for a candidate cell, 0 otherwise, from the susceptibility `levels` (1 极高 …
/// 4 低, 0 nodata), the buildings per cell (NaN nodata) and the cells `near` a
/// registered point; all row-major on one grid.
pub fn candidate_cells(levels: &[u8], buildings: &[f32], near: &[bool]) -> Vec<u8> {
    levels
        .iter()
        .zip(buildings)
        .zip(near)
        .map(|((&l, &b), &n)| u8::from(matches!(l, 1 | 2) && b > 0.0 && !n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the first cell is a candidate: the others are level 3, without a
    /// building (0 or NaN), or next to a registered point.
    #[test]
    fn every_condition_counts() {
        let levels = [2, 3, 1, 1, 2];
        let buildings = [1.0, 5.0, 0.0, f32::NAN, 2.0];
        let near = [false, false, false, false, true];
        assert_eq!(
            candidate_cells(&levels, &buildings, &near),
            vec![1, 0, 0, 0, 0]
        );
    }
}
