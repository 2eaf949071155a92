//! Ground motion of a scenario rupture on the census grid: at each cell centre the
//! distances from the planar rupture ([`super::rupture`]: Rjb, Rrup, Rx, Ry0, Repi,
//! azimuth), the rupture's dip, Ztor, width and hypocentral depth (mid-depth of the
//! rupture) and the site's Vs30 go into the ground-motion logic tree of the
//! parameters ([`super::gmm::logic_tree`]: one model, or the weighted mean of the
//! branches' ln-medians), which gives the median PGA (g). Z1.0 and Z2.5 are not
//! known per cell: each model takes its default from Vs30. Vs30 is the constant of `[site] vs30`, or the per-cell value the
//! caller derived (slope proxy, Wald & Allen 2007, or a site-class map); a cell
//! whose Vs30 is NaN has no ground motion (NaN).
//!
//! Rows are independent: the caller may score them in parallel, in any order, with
//! identical results.

use riskcensus_core::GridSpec;

use super::error::EarthquakeError;
use super::gmm::{GmInput, Imt};
use super::params::{EarthquakeParams, Vs30Source};
use super::rupture::PlanarRupture;

/// Median PGA (g) of the scenario of `p` at the cells of row `r` of `grid`, into
/// `out` (one value per column; cells without Vs30 are left as they are). `vs30`
/// holds the per-cell Vs30 of the whole grid (row-major, m/s), or `None` for a
/// constant. On the first cell the model refuses (e.g. a magnitude outside its
/// range) the row stops: the error carries that cell's column.
pub fn pga_row(
    grid: &GridSpec,
    r: usize,
    rupture: &PlanarRupture,
    p: &EarthquakeParams,
    vs30: Option<&[f64]>,
    out: &mut [f32],
) -> Result<(), (usize, EarthquakeError)> {
    let tree = p.gmm_tree();
    let s = &p.scenario;
    for (c, o) in out.iter_mut().enumerate() {
        let vs30 = match (&p.site.vs30, vs30) {
            (Vs30Source::Constant(v), _) => *v,
            (_, Some(v)) => v[r * grid.cols + c],
            (_, None) => f64::NAN,
        };
        if vs30.is_nan() {
            continue;
        }
        let (x, y) = grid.cell_center(r, c);
        let d = rupture.distances(x, y);
        let input = GmInput {
            mag: s.magnitude,
            rake: s.rake,
            dip: rupture.dip_deg(),
            ztor_km: rupture.ztor_km(),
            width_km: rupture.width_km(),
            zhyp_km: rupture.zhyp_km(),
            rjb_km: d.rjb_km,
            rrup_km: d.rrup_km,
            rx_km: d.rx_km,
            ry0_km: d.ry0_km,
            vs30,
            z1pt0_m: f64::NAN,
            z2pt5_km: f64::NAN,
            repi_km: d.repi_km,
            azimuth_deg: d.azimuth_deg,
        };
        match tree.ground_motion(Imt::Pga, &input) {
            Ok(g) => *o = g.median as f32,
            Err(e) => return Err((c, e)),
        }
    }
    Ok(())
}
