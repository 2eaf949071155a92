//! The scenario's fault, read from the census database: the trace end points of its
//! longest part, and its dip from the record's `dip` text or the parameters
//! (`riskcensus_models::earthquake::fault`), made into the planar rupture.

use riskcensus_models::earthquake::fault::{orient_trace, parse_dip};
use riskcensus_models::earthquake::{EarthquakeParams, PlanarRupture};

use super::buildings::text;
use crate::config::CensusConfig;
use crate::ingest::{Census, Query};
use crate::EngineError;

/// The scenario rupture actually used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScenarioUsed {
    /// The fault's id or code.
    pub fault: String,
    /// Trace end points (x, y) in the census CRS, ordered so the dip is to the right.
    pub trace: [(f64, f64); 2],
    /// Dip, degrees.
    pub dip_deg: f64,
    /// True when the dip (angle or direction) came from the fault's `dip` field.
    pub dip_from_fault: bool,
    /// The ground-motion model, or the logic tree's branches as `name (weight), …`.
    pub gmm: String,
    /// Magnitude (Mw, or Ms for the `YuEtAl2013Ms*` models).
    pub magnitude: f64,
    /// Rupture length along strike, km.
    pub length_km: f64,
    /// Rupture width down dip, km.
    pub width_km: f64,
}

/// The fault's rupture: trace end points of its longest part, dip from its `dip`
/// text (`南倾 70°`: the angle, and the dip direction orienting the trace) or the
/// parameters.
pub fn scenario_rupture(
    census: &CensusConfig,
    db: &Census,
    p: &EarthquakeParams,
) -> Result<(PlanarRupture, ScenarioUsed), EngineError> {
    let s = &p.scenario;
    let layer = crate::ingest::layer_for_source(census, &s.fault_source).unwrap_or("faults");
    let feats = db.query(layer, &Query::default())?;
    let f = feats
        .iter()
        .find(|f| {
            ["id", "code"]
                .iter()
                .any(|k| f.get(k).map(text).is_some_and(|t| t == s.fault))
        })
        .ok_or_else(|| EngineError::FaultNotFound {
            layer: s.fault_source.clone(),
            fault: s.fault.clone(),
        })?;
    let lines: Vec<&geo_types::LineString<f64>> = match &f.geometry {
        Some(geo_types::Geometry::LineString(l)) => vec![l],
        Some(geo_types::Geometry::MultiLineString(m)) => m.0.iter().collect(),
        _ => Vec::new(),
    };
    let longest = lines
        .iter()
        .filter(|l| l.0.len() >= 2)
        .max_by(|a, b| span(a).total_cmp(&span(b)))
        .ok_or_else(|| EngineError::FaultGeometry {
            layer: s.fault_source.clone(),
            fault: s.fault.clone(),
        })?;
    let (a, b) = (longest.0[0], longest.0[longest.0.len() - 1]);
    let dip_text = f.get("dip").map(text).unwrap_or_default();
    let (angle, dir) = parse_dip(&dip_text);
    let dip_deg = angle.unwrap_or(s.dip);
    let trace = orient_trace([(a.x, a.y), (b.x, b.y)], dir);
    let rupture = PlanarRupture::new(trace, dip_deg, s.ztor_km, s.zbot_km).map_err(|source| {
        EngineError::Rupture {
            fault: s.fault.clone(),
            source,
        }
    })?;
    Ok((
        rupture,
        ScenarioUsed {
            fault: s.fault.clone(),
            trace,
            dip_deg,
            dip_from_fault: angle.is_some() || dir.is_some(),
            gmm: p.gmm_tree().label(),
            magnitude: s.magnitude,
            length_km: rupture.length_km(),
            width_km: rupture.width_km(),
        },
    ))
}

/// Straight-line distance between the end points of a line (its span).
fn span(l: &geo_types::LineString<f64>) -> f64 {
    let (a, b) = (l.0[0], l.0[l.0.len() - 1]);
    (b.x - a.x).hypot(b.y - a.y)
}
