//! Class counts, the input of the bivariate statistics (information value,
//! frequency ratio, certainty factor), and the sample table.
//!
//! For factor f and class i: `area[f][i]` = S_i, the number of cells of the study area
//! in the class (every cell where all factors are valid), and `hazard[f][i]` = N_i,
//! the number of hazard (training) cells in it; S = Σ_i S_i, N = Σ_i N_i.

use serde::Serialize;

use super::error::GeohazardError;

/// Per-factor, per-class counts of study-area cells and hazard cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassCounts {
    /// `area[f][i]`: cells of class i + 1 of factor f.
    pub area: Vec<Vec<u64>>,
    /// `hazard[f][i]`: hazard cells of class i + 1 of factor f.
    pub hazard: Vec<Vec<u64>>,
}

impl ClassCounts {
    /// Zero counts for factors with `classes[f]` classes.
    pub fn zeros(classes: &[usize]) -> Self {
        Self {
            area: classes.iter().map(|&k| vec![0; k]).collect(),
            hazard: classes.iter().map(|&k| vec![0; k]).collect(),
        }
    }

    /// Add one row of class codes (1-based per factor) to the area counts; rows with
    /// any 0 (nodata) are skipped and `false` returned.
    #[inline]
    pub fn add_area(&mut self, row: &[u16]) -> bool {
        if row.contains(&0) {
            return false;
        }
        for (f, &c) in row.iter().enumerate() {
            self.area[f][c as usize - 1] += 1;
        }
        true
    }

    /// Add one hazard row (1-based codes; all must be valid).
    #[inline]
    pub fn add_hazard(&mut self, row: &[u16]) {
        for (f, &c) in row.iter().enumerate() {
            self.hazard[f][c as usize - 1] += 1;
        }
    }

    /// Merge counts tallied over another part of the grid (order-free: integers).
    pub fn merge(&mut self, other: &ClassCounts) {
        for (a, b) in self.area.iter_mut().zip(&other.area) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.hazard.iter_mut().zip(&other.hazard) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// Total study-area cells S (the same for every factor).
    pub fn total_area(&self) -> u64 {
        self.area.first().map_or(0, |a| a.iter().sum())
    }

    /// Total hazard cells N.
    pub fn total_hazard(&self) -> u64 {
        self.hazard.first().map_or(0, |a| a.iter().sum())
    }
}

/// A table of samples: one row of class codes (1-based, one per factor) and a label
/// (1 = hazard cell, 0 = non-hazard cell) per sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleTable {
    /// Factor ids, in column order.
    pub factors: Vec<String>,
    /// Classes per factor K_f.
    pub classes: Vec<usize>,
    /// Row-major codes: `codes[s * factors.len() + f]`.
    pub codes: Vec<u16>,
    /// One label per sample: 1 = hazard cell, 0 = non-hazard cell.
    pub labels: Vec<u8>,
}

impl SampleTable {
    /// Build and check a table.
    pub fn new(
        factors: Vec<String>,
        classes: Vec<usize>,
        codes: Vec<u16>,
        labels: Vec<u8>,
    ) -> Result<Self, GeohazardError> {
        let nf = factors.len();
        if nf == 0 || classes.len() != nf {
            return Err(GeohazardError::Samples(format!(
                "{nf} factors but {} class counts",
                classes.len()
            )));
        }
        if codes.len() != labels.len() * nf {
            return Err(GeohazardError::Samples(format!(
                "{} codes for {} samples × {nf} factors",
                codes.len(),
                labels.len()
            )));
        }
        for (s, row) in codes.chunks(nf).enumerate() {
            for (f, &c) in row.iter().enumerate() {
                if c == 0 || c as usize > classes[f] {
                    return Err(GeohazardError::BadClass {
                        sample: s,
                        factor: factors[f].clone(),
                        class: c,
                        classes: classes[f],
                    });
                }
            }
        }
        if let Some(s) = labels.iter().position(|&l| l > 1) {
            return Err(GeohazardError::Samples(format!(
                "sample {s}: label {} is not 0 or 1",
                labels[s]
            )));
        }
        Ok(Self {
            factors,
            classes,
            codes,
            labels,
        })
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there is no sample.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Class codes of sample `s`.
    pub fn row(&self, s: usize) -> &[u16] {
        let nf = self.factors.len();
        &self.codes[s * nf..(s + 1) * nf]
    }

    /// The rows at `idx`, in that order.
    pub fn subset(&self, idx: &[usize]) -> SampleTable {
        let mut codes = Vec::with_capacity(idx.len() * self.factors.len());
        let mut labels = Vec::with_capacity(idx.len());
        for &i in idx {
            codes.extend_from_slice(self.row(i));
            labels.push(self.labels[i]);
        }
        SampleTable {
            factors: self.factors.clone(),
            classes: self.classes.clone(),
            codes,
            labels,
        }
    }

    /// Counts with every row as study area and label-1 rows as hazard.
    pub fn counts(&self) -> ClassCounts {
        let mut c = ClassCounts::zeros(&self.classes);
        for s in 0..self.len() {
            c.add_area(self.row(s));
            if self.labels[s] == 1 {
                c.add_hazard(self.row(s));
            }
        }
        c
    }
}
