//! The `hidden_dangers` records of the census database (隐患点): location, type,
//! and what each threatens, as the survey validator stored them.

use super::inventory::InventoryPoint;
use crate::config::CensusConfig;
use crate::error::EngineError;

/// A hidden-danger record of the census database: its location (census CRS, x/y),
/// type, and what it threatens, as the survey validator stored it (codes of the
/// schema's `scale` and `monitoring` domains).
#[derive(Debug, Clone, PartialEq)]
pub struct HiddenDanger {
    /// Location (x, y in the census CRS, metres), the record's `type`, and its
    /// feature id (fid) as the record number.
    pub point: InventoryPoint,
    /// The record's `id` (统一编号).
    pub id: String,
    /// Scale class, a code of the schema's `scale` domain (`small`, `medium`,
    /// `large`, `huge`); `None` when not recorded.
    pub scale: Option<String>,
    /// People threatened, persons (`threat_pop`); `None` when not recorded.
    pub threat_pop: Option<f64>,
    /// Property threatened, 万元 (`threat_value_wan`); `None` when not recorded.
    pub threat_value_wan: Option<f64>,
    /// `professional`, `mass` or `none`; `None` when not recorded.
    pub monitoring: Option<String>,
    /// Relocation (搬迁避让) `done`, `planned` or `none`; `None` when not recorded.
    pub relocation: Option<String>,
}

/// The `hidden_dangers` of the census database (census CRS), in feature order.
pub fn read_hidden_dangers(census: &CensusConfig) -> Result<Vec<HiddenDanger>, EngineError> {
    let c = riskcensus_survey::Census::open(&census.dir)?;
    let feats = c.query(
        "hidden_dangers",
        &riskcensus_survey::census::Query::default(),
    )?;
    let mut out = Vec::new();
    for f in feats {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let text = |k: &str| {
            f.get(k)
                .map(|v| v.text().trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let num = |k: &str| f.get(k).and_then(|v| v.number());
        out.push(HiddenDanger {
            point: InventoryPoint {
                x: p.x(),
                y: p.y(),
                kind: f.get("type").map(|v| v.text()),
                record: f.fid as usize,
            },
            id: text("id").unwrap_or_default(),
            scale: text("scale"),
            threat_pop: num("threat_pop"),
            threat_value_wan: num("threat_value_wan"),
            monitoring: text("monitoring"),
            relocation: text("relocation"),
        });
    }
    Ok(out)
}
