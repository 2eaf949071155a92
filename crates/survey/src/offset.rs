//! China's offset web-map coordinates: GCJ-02 ("Mars coordinates", used by Amap/高德,
//! Tencent and Google China) and BD-09 (Baidu), converted back to WGS 84.
//!
//! The forward GCJ-02 transform is not officially published; the formula used by
//! every open implementation is the one first released as `eviltransform`
//! (googollee/eviltransform, `transform.go`, MIT) and repeated in `coordtransform`
//! (wandergis): a polynomial-plus-sine offset of (lon − 105°, lat − 35°) scaled to
//! degrees on the Krasovsky ellipsoid, `a = 6 378 245 m`, `e² = 0.006 693 421 622 965
//! 943 23`. BD-09 is GCJ-02 rotated and scaled in polar form with
//! `x_π = π · 3000 / 180` and shifted by (0.0065°, 0.006°) (the same sources).
//!
//! The inverses are computed by fixed-point iteration on the forward transform,
//! `w ← w − (F(w) − g)`, started at `w = g`. The offset's Jacobian is within about
//! 10⁻⁵ of the identity, so each step gains about five digits: two steps reach
//! 10⁻⁹°, and iteration stops when the step is below [`TOLERANCE_DEG`] (at most
//! [`MAX_ITER`] steps). The tests show `|F(F⁻¹(g)) − g| < 1e-9°` (≈ 0.1 mm) over
//! China; the residual error of the conversion is therefore that of the forward
//! formula itself relative to the real (secret) offset, ≈ 1–2 m by published
//! comparisons, not of the inversion.
//!
//! Coordinates are `(lon, lat)` in degrees. Outside China's rough bounding box
//! ([`out_of_china`]) no offset is applied, as in the reference implementations.

use std::f64::consts::PI;

/// Krasovsky 1940 semi-major axis (m), as used by the GCJ-02 formula.
pub const KRASOVSKY_A: f64 = 6_378_245.0;
/// Krasovsky 1940 first eccentricity squared, as used by the GCJ-02 formula (the
/// published literal, kept digit for digit).
#[allow(clippy::excessive_precision)]
pub const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943_23;
/// BD-09's angle factor `π · 3000 / 180`.
pub const X_PI: f64 = PI * 3000.0 / 180.0;
/// Stop iterating when the correction is below this (degrees; ≈ 0.01 mm).
pub const TOLERANCE_DEG: f64 = 1e-10;
/// Iteration cap for the inverses.
pub const MAX_ITER: usize = 10;

/// True outside the box where the offset is applied (eviltransform's bounds).
pub fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS 84 → GCJ-02 (the forward offset).
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let d_lat = transform_lat(lon - 105.0, lat - 35.0);
    let d_lon = transform_lon(lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat =
        (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let d_lon = (d_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (lon + d_lon, lat + d_lat)
}

/// GCJ-02 → BD-09 (the forward Baidu transform).
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.000_02 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000_003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// Invert `forward` at `target` by fixed-point iteration from `start`.
fn invert(
    forward: impl Fn(f64, f64) -> (f64, f64),
    target: (f64, f64),
    start: (f64, f64),
) -> (f64, f64) {
    let (mut x, mut y) = start;
    for _ in 0..MAX_ITER {
        let (fx, fy) = forward(x, y);
        let (dx, dy) = (fx - target.0, fy - target.1);
        x -= dx;
        y -= dy;
        if dx.abs() < TOLERANCE_DEG && dy.abs() < TOLERANCE_DEG {
            break;
        }
    }
    (x, y)
}

/// GCJ-02 → WGS 84 by iterating the forward offset.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    invert(wgs84_to_gcj02, (lon, lat), (lon, lat))
}

/// BD-09 → GCJ-02: the published closed-form approximate inverse, refined by
/// iterating the forward transform.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = (lon - 0.0065, lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.000_02 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000_003 * (x * X_PI).cos();
    invert(
        gcj02_to_bd09,
        (lon, lat),
        (z * theta.cos(), z * theta.sin()),
    )
}

/// BD-09 → WGS 84.
pub fn bd09_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (x, y) = bd09_to_gcj02(lon, lat);
    gcj02_to_wgs84(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand check of the forward formula at Tian'anmen: the GCJ-02 offset in
    /// Beijing is about +0.0062° in longitude and +0.0014° in latitude (≈ 500 m and
    /// 150 m), the figures every comparison of Amap and GPS positions reports.
    #[test]
    fn forward_offset_has_the_known_size_in_beijing() {
        let (lon, lat) = (116.397_45, 39.909_23);
        let (gx, gy) = wgs84_to_gcj02(lon, lat);
        assert!((gx - lon - 0.0062).abs() < 0.0005, "{}", gx - lon);
        assert!((gy - lat - 0.0014).abs() < 0.0005, "{}", gy - lat);
        // BD-09 adds roughly another (+0.0065, +0.006).
        let (bx, by) = gcj02_to_bd09(gx, gy);
        assert!((bx - gx - 0.0065).abs() < 0.001 && (by - gy - 0.006).abs() < 0.001);
    }

    #[test]
    fn inverses_round_trip_below_1e_9_degrees_across_china() {
        let mut worst = 0.0f64;
        for i in 0..=40 {
            for j in 0..=30 {
                let lon = 74.0 + 63.0 * i as f64 / 40.0;
                let lat = 18.0 + 35.0 * j as f64 / 30.0;
                let (gx, gy) = wgs84_to_gcj02(lon, lat);
                let (wx, wy) = gcj02_to_wgs84(gx, gy);
                worst = worst.max((wx - lon).abs()).max((wy - lat).abs());
                let (bx, by) = gcj02_to_bd09(gx, gy);
                let (wx, wy) = bd09_to_wgs84(bx, by);
                worst = worst.max((wx - lon).abs()).max((wy - lat).abs());
            }
        }
        assert!(worst < 1e-9, "worst round-trip error {worst}°");
    }

    #[test]
    fn no_offset_outside_china() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(-74.0, 40.7), (-74.0, 40.7));
    }
}
