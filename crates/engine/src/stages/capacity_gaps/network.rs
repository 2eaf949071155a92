//! The census roads as a network: every line of the `roads` layer (census CRS,
//! metres) with the travel speed of its class (`[rescue.speeds_kmh]` of
//! `models/capacity/capacity_gaps.toml`), joined at vertices within
//! `[shelters] snap_m` ([`RoadNetwork::build`]). Shelter distances use the lengths,
//! rescue times the speeds; points enter on the largest connected part
//! ([`RoadNetwork::nearest_entry`]), and the pieces joined to nothing are counted in
//! the stage's notes.

use riskcensus_contracts::tables::census as T;
use riskcensus_models::capacity::gaps::CapacityGaps;
use riskcensus_models::capacity::network::{RoadLine, RoadNetwork};

use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::stage::Context;

/// The network of the census roads; `None` (with a note) when the census has none.
pub fn read(
    cx: &Context<'_>,
    db: &Census,
    gaps: &CapacityGaps,
    notes: &mut Vec<String>,
) -> Result<Option<RoadNetwork>, EngineError> {
    if cx.table_rows(T::ROADS)? == 0 {
        notes.push(
            "no roads in the census: shelter distances are straight lines and no rescue travel time is computed"
                .into(),
        );
        return Ok(None);
    }
    let mut lines = Vec::new();
    for f in db.query(T::ROADS, &Query::default())? {
        let class = f.text("class");
        let speed = gaps.speed_kmh((!class.is_empty()).then_some(class.as_str()));
        let parts: Vec<&geo_types::LineString<f64>> = match &f.geometry {
            Some(geo_types::Geometry::LineString(l)) => vec![l],
            Some(geo_types::Geometry::MultiLineString(m)) => m.0.iter().collect(),
            _ => Vec::new(),
        };
        for l in parts {
            lines.push(RoadLine {
                points: l.0.iter().map(|c| (c.x, c.y)).collect(),
                speed_kmh: speed,
            });
        }
    }
    let net = RoadNetwork::build(&lines, gaps.shelters.snap_m)
        .map_err(|source| EngineError::Roads { source })?;
    let (pieces, nodes) = net.fragments();
    if pieces > 0 {
        notes.push(format!(
            "{pieces} road pieces ({nodes} of {} nodes) join no other road: cells, shelters, stations and facilities enter the network on its largest connected part",
            net.node_count()
        ));
    }
    Ok(Some(net))
}
