//! Normalisation of a susceptibility index to [0, 1] before its four-level zoning.
//!
//! **Normalisation**: S_n = (S − S_min) / (S_max − S_min) over the valid cells of the
//! study area (the raw indices of IV, FR and CF have no common scale; LR
//! probabilities are rescaled the same way so that every method yields a [0, 1]
//! index for the hazard and risk composition). S_min and S_max are reported.
//!
//! The four levels (1 = 极高 very high … 4 = 低 low, 0 = nodata;
//! `LevelScheme::Geohazard`) are drawn by the zoning crate (`riskcensus_zoning::Breaks`,
//! exact Fisher–Jenks over the full population, upper-bound convention) in the engine's
//! geohazard stage; this crate does not depend on the zoning crate.

/// (min, max) of the non-NaN values; `None` if there are none.
pub fn range(values: &[f32]) -> Option<(f32, f32)> {
    let mut it = values.iter().copied().filter(|v| !v.is_nan());
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
}

/// Normalise in place to [0, 1] by (min, max); a constant field becomes 0.
pub fn normalise(values: &mut [f32], min: f32, max: f32) {
    let span = max as f64 - min as f64;
    for v in values.iter_mut() {
        if !v.is_nan() {
            *v = if span > 0.0 {
                ((*v as f64 - min as f64) / span) as f32
            } else {
                0.0
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_the_unit_interval() {
        let mut v = [2.0, f32::NAN, 4.0, 3.0];
        let (lo, hi) = range(&v).unwrap();
        assert_eq!((lo, hi), (2.0, 4.0));
        normalise(&mut v, lo, hi);
        assert_eq!(v[0], 0.0);
        assert!(v[1].is_nan());
        assert_eq!(v[2], 1.0);
        assert_eq!(v[3], 0.5);
        let mut c = [7.0f32, 7.0];
        normalise(&mut c, 7.0, 7.0);
        assert_eq!(c, [0.0, 0.0]);
    }
}
