//! Site condition: Vs30 (m/s) from topographic slope where no site survey exists,
//! or from a surveyed site class.
//!
//! # Slope proxy
//!
//! Wald, D. J., Allen, T. I. (2007) Topographic slope as a proxy for seismic
//! site conditions and amplification. *BSSA* 97(5), 1379–1395, Table 1 (active
//! tectonic regions), with the slope bins as revised in Allen, T. I., Wald, D. J.
//! (2009) On the use of high-resolution topographic data as a proxy for seismic
//! site conditions (Vs30), *BSSA* 99(2A), 935–943, Table 2:
//!
//! | Vs30 (m/s) | slope (m/m), active tectonic |
//! |---|---|
//! | < 180 | < 1.0e-4 |
//! | 180–240 | 1.0e-4 – 2.2e-3 |
//! | 240–300 | 2.2e-3 – 6.3e-3 |
//! | 300–360 | 6.3e-3 – 0.018 |
//! | 360–490 | 0.018 – 0.050 |
//! | 490–620 | 0.050 – 0.10 |
//! | 620–760 | 0.10 – 0.138 |
//! | > 760 | > 0.138 |
//!
//! Between bin edges Vs30 is interpolated linearly in log10(slope) (so the map is
//! continuous and increasing); below 1e-4 it is 180 m/s and above 0.138 it is
//! 760 m/s (the proxy does not resolve classes E and A/B). The table was derived
//! from 30 arc-second (~1 km) gradients: finer DEMs give steeper slopes and so
//! stiffer sites (Allen & Wald 2009), a bias to keep in mind at 30–150 m cells.
//!
//! # Site class
//!
//! NEHRP site classes (BSSC 2003, *NEHRP Recommended Provisions*, FEMA 450, Table
//! 3.5-1) A > 1500, B 760–1500, C 360–760, D 180–360, E < 180 m/s, mapped to a
//! representative Vs30: the geometric mean of each class's bounds (B 1068, C 523,
//! D 255), A 1500 and E 150 (the open ends taken at the bound).

use super::error::EarthquakeError;

/// (slope m/m, Vs30 m/s) nodes of the active-tectonic table.
const ACTIVE: [(f64, f64); 7] = [
    (1.0e-4, 180.0),
    (2.2e-3, 240.0),
    (6.3e-3, 300.0),
    (0.018, 360.0),
    (0.050, 490.0),
    (0.10, 620.0),
    (0.138, 760.0),
];

/// Vs30 (m/s) from slope in degrees (Wald & Allen 2007, active tectonic).
/// NaN in → NaN out (nodata propagates).
pub fn vs30_from_slope_deg(slope_deg: f64) -> f64 {
    if slope_deg.is_nan() {
        return f64::NAN;
    }
    vs30_from_gradient(slope_deg.to_radians().tan().abs())
}

/// Vs30 (m/s) from the gradient in m/m (rise over run).
pub fn vs30_from_gradient(g: f64) -> f64 {
    if g.is_nan() {
        return f64::NAN;
    }
    if g <= ACTIVE[0].0 {
        return ACTIVE[0].1;
    }
    for w in ACTIVE.windows(2) {
        let ((s0, v0), (s1, v1)) = (w[0], w[1]);
        if g <= s1 {
            let t = (g.log10() - s0.log10()) / (s1.log10() - s0.log10());
            return v0 + t * (v1 - v0);
        }
    }
    ACTIVE[ACTIVE.len() - 1].1
}

/// Representative Vs30 (m/s) of NEHRP site class `A`–`E` (case-insensitive).
pub fn vs30_from_site_class(class: &str) -> Result<f64, EarthquakeError> {
    Ok(match class.trim().to_ascii_uppercase().as_str() {
        "A" => 1500.0,
        "B" => (760.0f64 * 1500.0).sqrt(),
        "C" => (360.0f64 * 760.0).sqrt(),
        "D" => (180.0f64 * 360.0).sqrt(),
        "E" => 150.0,
        _ => {
            return Err(EarthquakeError::BadParameter {
                what: format!("site class `{class}`"),
                field: "site_class",
                value: f64::NAN,
                reason: "not a NEHRP site class A–E",
            })
        }
    })
}
