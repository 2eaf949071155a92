//! From stations to the grid: inverse-distance weighting (IDW) with an elevation
//! lapse-rate correction for temperature.
//!
//! **IDW** (Shepard, D. 1968, *A two-dimensional interpolation function for
//! irregularly-spaced data*, Proc. 23rd ACM National Conference, 517–524):
//! v(x) = Σ wᵢ vᵢ / Σ wᵢ, wᵢ = dᵢ^−p, over the `max_points` nearest stations within
//! `radius_m` (ties broken by station order). A cell at a station (d = 0) takes the
//! station's value. Defaults: p = 2 (Shepard's choice and the usual default of GIS
//! packages), all stations (`max_points` = 8), no radius: a county has a handful of
//! stations, all relevant. Coordinates are projected metres, (x, y) order. No
//! station in the search → NaN (nodata).
//!
//! **Lapse rate.** Temperature is reduced to sea level at each station with the
//! environmental lapse rate Γ = 6.5 °C/km of the ICAO Standard Atmosphere (ISO
//! 2533:1975), interpolated, and brought to the cell's elevation:
//! T(x) = Σ wᵢ (Tᵢ + Γ zᵢ) / Σ wᵢ − Γ z(x). Relative humidity, wind and rain are
//! interpolated without elevation terms (a stated simplification).

/// Standard-atmosphere lapse rate, °C per metre.
pub const LAPSE_RATE_C_PER_M: f64 = 0.0065;

/// IDW parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Idw {
    /// Distance exponent p (2 = Shepard's inverse-square weighting).
    pub power: f64,
    /// Nearest stations used per cell (0 is taken as 1).
    pub max_points: usize,
    /// Search radius, metres (∞ = every station).
    pub radius_m: f64,
}

impl Default for Idw {
    fn default() -> Self {
        Idw {
            power: 2.0,
            max_points: 8,
            radius_m: f64::INFINITY,
        }
    }
}

/// Normalised IDW weights (station index, weight summing to 1) at (x, y), in
/// station order. Empty when no station lies within the radius.
pub fn idw_weights(stations: &[(f64, f64)], x: f64, y: f64, p: &Idw) -> Vec<(usize, f64)> {
    let mut near: Vec<(f64, usize)> = stations
        .iter()
        .enumerate()
        .map(|(i, &(sx, sy))| (((sx - x).powi(2) + (sy - y).powi(2)).sqrt(), i))
        .filter(|(d, _)| *d <= p.radius_m)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    near.truncate(p.max_points.max(1));
    if let Some(&(d, i)) = near.first() {
        if d == 0.0 {
            return vec![(i, 1.0)];
        }
    }
    near.sort_by_key(|&(_, i)| i);
    let w: Vec<(usize, f64)> = near.iter().map(|&(d, i)| (i, d.powf(-p.power))).collect();
    let sum: f64 = w.iter().map(|(_, w)| w).sum();
    w.into_iter().map(|(i, v)| (i, v / sum)).collect()
}

/// Interpolates `values` (per station) with precomputed weights; NaN station values
/// are skipped and the remaining weights renormalised (NaN if none remain).
pub fn interpolate(weights: &[(usize, f64)], values: &[f64]) -> f64 {
    let (mut s, mut w) = (0.0, 0.0);
    for &(i, wi) in weights {
        let v = values[i];
        if !v.is_nan() {
            s += wi * v;
            w += wi;
        }
    }
    if w > 0.0 {
        s / w
    } else {
        f64::NAN
    }
}

/// Temperature at elevation `z` from station temperatures `t` at elevations `zs`
/// (lapse-rate corrected IDW, see the module docs).
pub fn interpolate_temperature(
    weights: &[(usize, f64)],
    t: &[f64],
    zs: &[f64],
    z: f64,
    lapse_c_per_m: f64,
) -> f64 {
    let (mut s, mut w) = (0.0, 0.0);
    for &(i, wi) in weights {
        if !t[i].is_nan() {
            s += wi * (t[i] + lapse_c_per_m * zs[i]);
            w += wi;
        }
    }
    if w > 0.0 {
        s / w - lapse_c_per_m * z
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idw_hand_calculation() {
        // Stations at 100 m and 300 m from the point: w ∝ 1/100², 1/300² → 0.9, 0.1.
        let st = [(100.0, 0.0), (-300.0, 0.0)];
        let w = idw_weights(&st, 0.0, 0.0, &Idw::default());
        assert!((w[0].1 - 0.9).abs() < 1e-12 && (w[1].1 - 0.1).abs() < 1e-12);
        assert!((interpolate(&w, &[10.0, 20.0]) - 11.0).abs() < 1e-12);
        // At a station: its value.
        let w = idw_weights(&st, 100.0, 0.0, &Idw::default());
        assert_eq!(w, vec![(0, 1.0)]);
        // Lapse rate: station at 0 m, 20 °C; cell at 1000 m → 13.5 °C.
        let w = vec![(0, 1.0)];
        let t = interpolate_temperature(&w, &[20.0], &[0.0], 1000.0, LAPSE_RATE_C_PER_M);
        assert!((t - 13.5).abs() < 1e-12);
        // Radius excludes both → no weights.
        let p = Idw {
            radius_m: 50.0,
            ..Idw::default()
        };
        assert!(idw_weights(&st, 0.0, 0.0, &p).is_empty());
    }
}
