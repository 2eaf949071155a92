//! Per-cell totals of the assessed buildings ([`super::fragility::assess`], grades
//! of [`super::hidden_danger`]) and the grids drawn from them:
//!
//! - expected loss L_c = Σ loss of the cell's buildings (unit of the buildings'
//!   value, 万元), expected deaths D_c = Σ deaths; 0 where the cell has no building;
//! - vulnerability V_c = L_c / Σ value when the buildings have a value, else the
//!   mean expected loss ratio of the cell's buildings (value-weighted mean loss
//!   ratio; NaN where the cell has no building) — it never contains the intensity
//!   itself, only the buildings' response to it;
//! - weak-building share W_c = buildings graded 1 (重点) / buildings (NaN where none).
//!
//! Sums run in the order the buildings are added, so the caller fixes that order
//! (by building id) for results that do not depend on threads.

use super::fragility::BuildingDamage;

/// Running totals per cell (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct CellDamage {
    value: Vec<f64>,
    loss: Vec<f64>,
    deaths: Vec<f64>,
    count: Vec<u32>,
    weak: Vec<u32>,
    loss_ratio_sum: Vec<f64>,
}

impl CellDamage {
    /// Empty totals for `cells` cells.
    pub fn new(cells: usize) -> Self {
        CellDamage {
            value: vec![0.0; cells],
            loss: vec![0.0; cells],
            deaths: vec![0.0; cells],
            count: vec![0; cells],
            weak: vec![0; cells],
            loss_ratio_sum: vec![0.0; cells],
        }
    }

    /// Add a building of replacement `value` standing in `cell`, graded `grade`
    /// ([`super::hidden_danger`]).
    pub fn add(&mut self, cell: usize, value: f64, d: &BuildingDamage, grade: u8) {
        self.value[cell] += value;
        self.loss[cell] += d.expected_loss;
        self.deaths[cell] += d.deaths;
        self.count[cell] += 1;
        self.loss_ratio_sum[cell] += d.loss_ratio;
        self.weak[cell] += u32::from(grade == 1);
    }

    /// Vulnerability V_c (see the module doc).
    pub fn vulnerability(&self) -> Vec<f32> {
        (0..self.count.len())
            .map(|i| {
                if self.count[i] == 0 {
                    f32::NAN
                } else if self.value[i] > 0.0 {
                    (self.loss[i] / self.value[i]) as f32
                } else {
                    (self.loss_ratio_sum[i] / f64::from(self.count[i])) as f32
                }
            })
            .collect()
    }

    /// Weak-building share W_c (see the module doc).
    pub fn weak_share(&self) -> Vec<f32> {
        (0..self.count.len())
            .map(|i| {
                if self.count[i] == 0 {
                    f32::NAN
                } else {
                    (f64::from(self.weak[i]) / f64::from(self.count[i])) as f32
                }
            })
            .collect()
    }

    /// Expected loss L_c per cell.
    pub fn loss(&self) -> Vec<f32> {
        self.loss.iter().map(|&v| v as f32).collect()
    }

    /// Expected deaths D_c per cell.
    pub fn deaths(&self) -> Vec<f32> {
        self.deaths.iter().map(|&v| v as f32).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::earthquake::fragility::CodeLevel;

    fn damage(loss: f64, ratio: f64) -> BuildingDamage {
        BuildingDamage {
            probabilities: [0.0; 5],
            loss_ratio: ratio,
            expected_loss: loss,
            deaths: 0.5,
            level: CodeLevel::Low,
        }
    }

    /// By hand: cell 0 holds buildings of value 100 and 300 losing 10 and 20 →
    /// V = 30/400 = 0.075, W = 1/2; cell 1 holds one building without value and loss
    /// ratio 0.2 → V = 0.2; cell 2 is empty → NaN, 0 loss.
    #[test]
    fn totals_by_hand() {
        let mut c = CellDamage::new(3);
        c.add(0, 100.0, &damage(10.0, 0.1), 1);
        c.add(0, 300.0, &damage(20.0, 0.0667), 2);
        c.add(1, 0.0, &damage(0.0, 0.2), 3);
        let v = c.vulnerability();
        assert_eq!(&v[..2], &[0.075, 0.2]);
        assert!(v[2].is_nan());
        let w = c.weak_share();
        assert_eq!(&w[..2], &[0.5, 0.0]);
        assert!(w[2].is_nan());
        assert_eq!(c.loss(), vec![30.0, 0.0, 0.0]);
        assert_eq!(c.deaths(), vec![1.0, 0.5, 0.0]);
    }
}
