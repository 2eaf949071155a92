//! Geological-hazard **hazard** (危险性): the normalised susceptibility modulated by
//! a triggering factor, the design rainfall (`[trigger]` of `models/geohazard.toml`):
//!
//! H = S_n · (base + (1 − base) · T),  T = clamp((R − x0) / (x1 − x0), 0, 1)
//!
//! with S_n the susceptibility in [0, 1] and R the trigger rainfall (mm; the 100-year
//! 24 h design rainfall in the shipped file, x0 240 mm, x1 300 mm, base 0.6). Where
//! the rainfall reaches x1 the hazard equals the susceptibility; below x0 it keeps
//! the share `base`. Method: docs/geohazard.md, "Pipeline of the stage", step 4.

use super::params::TriggerSpec;

/// The trigger factor T = clamp((R − x0) / (x1 − x0), 0, 1) of rainfall `r` (mm).
pub fn trigger(spec: &TriggerSpec, r: f64) -> f64 {
    ((r - spec.x0) / (spec.x1 - spec.x0)).clamp(0.0, 1.0)
}

/// The hazard H = S_n · (base + (1 − base) · T) of one cell from its normalised
/// susceptibility `s` and trigger rainfall `r` (mm); NaN where either is NaN.
/// Computed in f64, stored as f32.
pub fn hazard(spec: &TriggerSpec, s: f32, r: f32) -> f32 {
    if s.is_nan() || r.is_nan() {
        return f32::NAN;
    }
    (s as f64 * (spec.base + (1.0 - spec.base) * trigger(spec, r as f64))) as f32
}

/// [`hazard`] of every cell of two aligned row-major grids.
pub fn hazard_grid(spec: &TriggerSpec, susceptibility: &[f32], rain: &[f32]) -> Vec<f32> {
    susceptibility
        .iter()
        .zip(rain)
        .map(|(&s, &r)| hazard(spec, s, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> TriggerSpec {
        TriggerSpec {
            layer: "rain_100y".into(),
            unit: "mm".into(),
            x0: 240.0,
            x1: 300.0,
            base: 0.6,
            description: None,
        }
    }

    /// By hand with the shipped parameters: R = 270 mm → T = 30/60 = 0.5, so
    /// H = 0.8 · (0.6 + 0.4 · 0.5) = 0.64; R ≤ 240 keeps 0.6 · S, R ≥ 300 keeps S.
    #[test]
    fn hand_values_of_the_shipped_trigger() {
        let t = spec();
        assert_eq!(trigger(&t, 270.0), 0.5);
        assert!((hazard(&t, 0.8, 270.0) - 0.64).abs() < 1e-7);
        assert!((hazard(&t, 0.5, 100.0) - 0.3).abs() < 1e-7);
        assert_eq!(hazard(&t, 0.5, 400.0), 0.5);
        assert!(hazard(&t, f32::NAN, 270.0).is_nan());
        assert!(hazard(&t, 0.5, f32::NAN).is_nan());
        assert_eq!(
            hazard_grid(&t, &[1.0, 0.0], &[300.0, 300.0]),
            vec![1.0, 0.0]
        );
    }
}
