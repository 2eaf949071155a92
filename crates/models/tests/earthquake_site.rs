//! Rupture distances, Vs30 from slope and PGA → intensity, against hand calculations.

use riskcensus_models::earthquake::intensity::{instrumental_intensity, zoning_intensity};
use riskcensus_models::earthquake::site::{
    vs30_from_gradient, vs30_from_site_class, vs30_from_slope_deg,
};
use riskcensus_models::earthquake::{EarthquakeError, PlanarRupture};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// Vertical strike-slip fault along the x axis, 0–20 km deep, 40 km long.
#[test]
fn vertical_fault_distances() {
    let r = PlanarRupture::new([(0.0, 0.0), (40_000.0, 0.0)], 90.0, 0.0, 20.0).unwrap();
    assert!(close(r.strike_deg(), 90.0, 1e-9));
    // 10 km north of the middle: Rjb = Rrup = |Rx| = 10; dip side is south (right of east).
    let d = r.distances(20_000.0, 10_000.0);
    assert!(close(d.rjb_km, 10.0, 1e-9) && close(d.rrup_km, 10.0, 1e-9));
    assert!(close(d.rx_km, -10.0, 1e-9), "{d:?}");
    assert!(close(d.repi_km, 10.0, 1e-9) && close(d.azimuth_deg.abs(), 90.0, 1e-9));
    assert!(close(d.ry0_km, 0.0, 1e-12), "beside the rupture: Ry0 = 0");
    // Beyond the end: 3-4-5 triangle; Ry0 is the 3 km along strike.
    let d = r.distances(43_000.0, 4_000.0);
    assert!(close(d.rjb_km, 5.0, 1e-9) && close(d.rrup_km, 5.0, 1e-9));
    assert!(close(d.ry0_km, 3.0, 1e-9), "{d:?}");
    // Before the start: Ry0 from the first end.
    assert!(close(r.distances(-2_500.0, 0.0).ry0_km, 2.5, 1e-9));
    // On the trace: zero.
    assert!(close(r.distances(5_000.0, 0.0).rjb_km, 0.0, 1e-12));
}

/// 45° dip to the south, top at 2 km, bottom at 12 km: surface projection spans
/// v ∈ [2, 12] km south of the trace.
#[test]
fn dipping_fault_distances() {
    let r = PlanarRupture::new([(0.0, 0.0), (30_000.0, 0.0)], 45.0, 2.0, 12.0).unwrap();
    assert!(close(r.width_km(), 10.0 * 2f64.sqrt(), 1e-9));
    assert_eq!((r.dip_deg(), r.ztor_km(), r.zhyp_km()), (45.0, 2.0, 7.0));
    // Above the middle of the projection (7 km south): Rjb = 0, Rx = 5,
    // Rrup = distance to the plane z = y' + 2 (in km, y' south) = |7 + 2 − 0|·… →
    // point (7, 0) to the line z = v (v from trace) at depth: |v − z|/√2 = 7/√2.
    let d = r.distances(15_000.0, -7_000.0);
    assert!(close(d.rjb_km, 0.0, 1e-12));
    assert!(close(d.rx_km, 5.0, 1e-9));
    assert!(close(d.rrup_km, 7.0 / 2f64.sqrt(), 1e-9), "{d:?}");
    // Footwall, 4 km north of the trace: nearest point is the top edge (v = 2, z = 2):
    // √(6² + 2²).
    let d = r.distances(15_000.0, 4_000.0);
    assert!(close(d.rjb_km, 6.0, 1e-9) && close(d.rx_km, -6.0, 1e-9));
    assert!(close(d.rrup_km, (36.0f64 + 4.0).sqrt(), 1e-9), "{d:?}");
}

#[test]
fn bad_rupture_is_a_named_error() {
    let e = PlanarRupture::new([(0.0, 0.0), (1.0, 0.0)], 0.0, 0.0, 10.0).unwrap_err();
    assert!(matches!(
        e,
        EarthquakeError::BadParameter { field: "dip", .. }
    ));
    let e = PlanarRupture::new([(0.0, 0.0), (0.0, 0.0)], 60.0, 0.0, 10.0).unwrap_err();
    assert!(matches!(
        e,
        EarthquakeError::BadParameter { field: "trace", .. }
    ));
}

/// Wald & Allen (2007) table nodes and log-linear interpolation between them.
#[test]
fn vs30_from_slope_table() {
    assert_eq!(vs30_from_gradient(1e-5), 180.0);
    assert!(close(vs30_from_gradient(0.018), 360.0, 1e-9));
    assert!(close(vs30_from_gradient(0.05), 490.0, 1e-9));
    assert_eq!(vs30_from_gradient(0.5), 760.0);
    // Halfway in log between 0.05 and 0.10: √(0.005) → 555 m/s.
    assert!(close(
        vs30_from_gradient((0.05f64 * 0.10).sqrt()),
        555.0,
        1e-9
    ));
    // 5° slope: tan 5° = 0.0875 → between 0.05 and 0.10.
    let t = (0.0874887f64.log10() - 0.05f64.log10()) / (0.10f64.log10() - 0.05f64.log10());
    assert!(close(vs30_from_slope_deg(5.0), 490.0 + 130.0 * t, 1e-3));
    assert!(vs30_from_slope_deg(f64::NAN).is_nan());
    assert!(close(vs30_from_site_class("c").unwrap(), 523.0678, 1e-3));
    assert!(vs30_from_site_class("F").is_err());
}

/// GB/T 17742-2020: I = 3.17·lg(PGA m/s²) + 6.59; GB 18306-2015 Table G.1 bins.
#[test]
fn intensity_relations() {
    // 0.1 g = 0.980665 m/s² → 3.17·lg(0.980665) + 6.59 = 6.59 − 0.02688 = 6.5631.
    assert!(close(
        instrumental_intensity(0.1),
        3.17 * 0.980665f64.log10() + 6.59,
        1e-12
    ));
    assert!(close(instrumental_intensity(0.1), 6.5631, 1e-4));
    // 0.4 g = 3.92266 m/s² → 3.17·0.59358 + 6.59 = 8.4717.
    assert!(close(instrumental_intensity(0.4), 8.4717, 1e-4));
    assert_eq!(zoning_intensity(0.05), 6);
    assert_eq!(zoning_intensity(0.10), 7);
    assert_eq!(zoning_intensity(0.15), 7);
    assert_eq!(zoning_intensity(0.20), 8);
    assert_eq!(zoning_intensity(0.30), 8);
    assert_eq!(zoning_intensity(0.40), 9);
    assert_eq!(zoning_intensity(f64::NAN), 0);
}
