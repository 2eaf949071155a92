//! Distances from a planar rectangular rupture to a site on the ground surface.
//!
//! Geometry (as OpenQuake's simple fault surface): the fault's surface `trace`
//! (two points, projected metres, axis order (x = easting, y = northing)) with
//! `dip` (degrees, 0 < δ ≤ 90) towards the right of the trace direction (Aki &
//! Richards 1980 convention, so strike = azimuth of the trace), ruptured between
//! depths `ztor_km` and `zbot_km`. The top edge lies ztor/tan δ km from the trace
//! in the dip direction, the bottom edge zbot/tan δ km.
//!
//! Distances, in km (definitions of the NGA-West2 flat-file, Ancheta et al. 2014,
//! *Earthquake Spectra* 30(3), 989–1005):
//! - **Rjb**: to the surface projection of the rupture (0 above it);
//! - **Rrup**: to the closest point of the rupture plane (the projection of the
//!   site onto the plane, clamped to the rectangle in plane coordinates, which is
//!   exact for a rectangle);
//! - **Rx**: horizontal, perpendicular to strike, from the top edge extended to
//!   infinity; positive on the hanging wall (dip side);
//! - **Ry0**: horizontal, parallel to strike, from the nearer end of the rupture
//!   (0 for a site beside the rupture);
//! - **Repi** and the azimuth from strike for Yu et al. (2013): the epicentre is
//!   the surface projection of the rupture centre (mid-length, mid-width).

use super::error::EarthquakeError;

/// Distances of one site (km) and the angle from strike (degrees, (−180, 180]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distances {
    /// Joyner–Boore distance Rjb (km): to the surface projection of the rupture.
    pub rjb_km: f64,
    /// Rupture distance Rrup (km): to the closest point of the rupture plane.
    pub rrup_km: f64,
    /// Rx (km): perpendicular to strike from the top edge, positive on the hanging wall.
    pub rx_km: f64,
    /// Ry0 (km): parallel to strike, off the nearer end of the rupture (0 beside it).
    pub ry0_km: f64,
    /// Epicentral distance Repi (km), from the surface projection of the rupture centre.
    pub repi_km: f64,
    /// Angle from the strike direction to the epicentre→site vector (degrees),
    /// positive towards the dip side. Yu et al. (2013) use it as θ from the long axis.
    pub azimuth_deg: f64,
}

/// A validated planar rupture (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanarRupture {
    p0: (f64, f64),
    /// Unit vector along strike (x, y).
    s: (f64, f64),
    /// Unit horizontal vector in the dip direction (right of strike).
    d: (f64, f64),
    len_km: f64,
    width_km: f64,
    dip_deg: f64,
    dip_rad: f64,
    ztor_km: f64,
    zbot_km: f64,
    off_top_km: f64,
    off_bot_km: f64,
}

impl PlanarRupture {
    /// A rupture from its surface trace (metres), dip (degrees) and depth range (km).
    pub fn new(
        trace: [(f64, f64); 2],
        dip_deg: f64,
        ztor_km: f64,
        zbot_km: f64,
    ) -> Result<PlanarRupture, EarthquakeError> {
        let bad = |field, value, reason| EarthquakeError::BadParameter {
            what: "planar rupture".into(),
            field,
            value,
            reason,
        };
        let (dx, dy) = (trace[1].0 - trace[0].0, trace[1].1 - trace[0].1);
        let len_m = (dx * dx + dy * dy).sqrt();
        if !(len_m.is_finite() && len_m > 0.0) {
            return Err(bad(
                "trace",
                len_m,
                "trace must have two distinct finite points",
            ));
        }
        if !(dip_deg > 0.0 && dip_deg <= 90.0) {
            return Err(bad("dip", dip_deg, "dip must be in (0, 90] degrees"));
        }
        if !(ztor_km >= 0.0 && ztor_km.is_finite()) {
            return Err(bad("ztor_km", ztor_km, "top depth must be ≥ 0 km"));
        }
        if !(zbot_km > ztor_km && zbot_km.is_finite()) {
            return Err(bad(
                "zbot_km",
                zbot_km,
                "bottom depth must exceed top depth",
            ));
        }
        let s = (dx / len_m, dy / len_m);
        let dip_rad = dip_deg.to_radians();
        let cot = if dip_deg >= 90.0 {
            0.0
        } else {
            1.0 / dip_rad.tan()
        };
        Ok(PlanarRupture {
            p0: trace[0],
            s,
            d: (s.1, -s.0),
            len_km: len_m / 1000.0,
            width_km: (zbot_km - ztor_km) / dip_rad.sin(),
            dip_deg,
            dip_rad,
            ztor_km,
            zbot_km,
            off_top_km: ztor_km * cot,
            off_bot_km: zbot_km * cot,
        })
    }

    /// Rupture length along strike (km).
    pub fn length_km(&self) -> f64 {
        self.len_km
    }

    /// Down-dip width (km).
    pub fn width_km(&self) -> f64 {
        self.width_km
    }

    /// Dip (degrees).
    pub fn dip_deg(&self) -> f64 {
        self.dip_deg
    }

    /// Depth of the top of the rupture (km).
    pub fn ztor_km(&self) -> f64 {
        self.ztor_km
    }

    /// Depth of the hypocentre (km), taken at the rupture's centre: mid-depth
    /// between top and bottom (the centre whose projection is the epicentre of
    /// [`Distances::repi_km`]).
    pub fn zhyp_km(&self) -> f64 {
        0.5 * (self.ztor_km + self.zbot_km)
    }

    /// Strike: azimuth of the trace, degrees clockwise from north (y axis).
    pub fn strike_deg(&self) -> f64 {
        self.s.0.atan2(self.s.1).to_degrees().rem_euclid(360.0)
    }

    /// Distances to a site at (x, y) metres on the surface.
    pub fn distances(&self, x: f64, y: f64) -> Distances {
        let (px, py) = ((x - self.p0.0) / 1000.0, (y - self.p0.1) / 1000.0);
        let u = px * self.s.0 + py * self.s.1;
        let v = px * self.d.0 + py * self.d.1;
        // Joyner–Boore: to the rectangle [0, L] × [off_top, off_bot].
        let du = du_end(u, self.len_km);
        let dv = (self.off_top_km - v).max(v - self.off_bot_km).max(0.0);
        let rjb = (du * du + dv * dv).sqrt();
        // Rupture plane in (along strike, horizontal across, depth) from the top edge.
        let (sd, cd) = self.dip_rad.sin_cos();
        let (ru, rv, rz) = (u, v - self.off_top_km, -self.ztor_km);
        let w = (rv * cd + rz * sd).clamp(0.0, self.width_km);
        let uc = u.clamp(0.0, self.len_km);
        let (qu, qv, qz) = (uc, w * cd, w * sd);
        let rrup = ((ru - qu).powi(2) + (rv - qv).powi(2) + (rz - qz).powi(2)).sqrt();
        let rx = v - self.off_top_km;
        let (eu, ev) = (
            0.5 * self.len_km,
            self.off_top_km + 0.5 * self.width_km * cd,
        );
        let (au, av) = (u - eu, v - ev);
        Distances {
            rjb_km: rjb,
            rrup_km: rrup,
            rx_km: rx,
            ry0_km: du_end(u, self.len_km),
            repi_km: (au * au + av * av).sqrt(),
            azimuth_deg: av.atan2(au).to_degrees(),
        }
    }
}

/// Ry0: how far `u` (km along strike from the first end) lies beyond the segment
/// \[0, len\].
fn du_end(u: f64, len: f64) -> f64 {
    (-u).max(u - len).max(0.0)
}
