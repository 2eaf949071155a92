//! Stream cells: where D8 flow accumulation reaches a threshold.
//!
//! The constant-threshold channel initiation of O'Callaghan & Mark (1984) and
//! Tarboton, Bras & Rodriguez-Iturbe (1991): a cell is a stream cell when its
//! accumulation (cells, counting itself) is `≥ threshold`. Pick the threshold from a
//! contributing area: `threshold = ceil(area_m² / cell_area_m²)`. Nodata cells
//! (accumulation 0) are never streams.

use ndarray::{Array2, ArrayView2};

use crate::KernelError;

/// Stream mask: `acc ≥ threshold` (threshold in cells, ≥ 1).
pub fn streams(acc: ArrayView2<u32>, threshold: u32) -> Result<Array2<bool>, KernelError> {
    if threshold == 0 {
        return Err(KernelError::BadParameter {
            name: "threshold",
            value: 0.0,
            reason: "must be at least 1 cell (0 would make nodata cells streams)",
        });
    }
    Ok(acc.mapv(|a| a >= threshold))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn threshold_is_inclusive() {
        let s = streams(array![[0u32, 4, 5, 6]].view(), 5).unwrap();
        assert_eq!(s, array![[false, false, true, true]]);
        assert!(streams(array![[1u32]].view(), 0).is_err());
    }
}
