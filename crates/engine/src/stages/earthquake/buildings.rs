//! The buildings of the census database as the fragility model and the
//! hidden-danger grade take them: id, structure, storeys, year, fortification
//! (none recorded: unknown), occupants and value, deformation, seismic category and
//! retrofit (optional: a census loaded before issue 18 has none), with their point
//! (census CRS) and cell; the ones that cannot be assessed are listed with the
//! reason (the survey validated the codes at ingest, so a bad record is reported,
//! not fatal).

use riskcensus_core::GridSpec;
use riskcensus_models::earthquake::fragility::Building;
use riskcensus_models::earthquake::EarthquakeError;

use crate::ingest::{Census, FieldValue, Query};
use crate::EngineError;

/// A building the stage could not assess, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SkippedBuilding {
    /// The building's `id` (`fid N` when it has none).
    pub id: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// Why a building was not assessed (serialised as its message).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkipReason {
    /// The record has no point geometry.
    #[error("no point geometry")]
    NoPoint,
    /// The point lies outside the census grid.
    #[error("({x}, {y}) outside the census grid")]
    OutsideGrid {
        /// Easting.
        x: f64,
        /// Northing.
        y: f64,
    },
    /// The fragility model refused a field of the record.
    #[error(transparent)]
    Refused(#[from] EarthquakeError),
    /// The building's cell has no ground motion.
    #[error("no ground motion at its cell (outside the zoning map or no slope)")]
    NoGroundMotion,
}

impl serde::Serialize for SkipReason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A building on the grid, ready for the fragility model.
#[derive(Debug, Clone)]
pub struct Located {
    /// The building's fields.
    pub building: Building,
    /// Its `township_code` ("" when unassigned).
    pub township: String,
    /// Its point (census CRS).
    pub xy: (f64, f64),
    /// Its cell (row-major index).
    pub cell: usize,
}

/// The `buildings` of the census database, sorted by id, and the ones skipped
/// (no point, outside the grid, a field the fragility model refuses).
pub fn read_buildings(
    db: &Census,
    grid: &GridSpec,
) -> Result<(Vec<Located>, Vec<SkippedBuilding>), EngineError> {
    let feats = db.query("buildings", &Query::default())?;
    let mut skipped = Vec::new();
    let mut located = Vec::new();
    for f in &feats {
        let id = f.get("id").map(text).unwrap_or_default();
        let id = if id.is_empty() {
            format!("fid {}", f.fid)
        } else {
            id
        };
        let Some(geo_types::Geometry::Point(pt)) = &f.geometry else {
            skipped.push(SkippedBuilding {
                id,
                reason: SkipReason::NoPoint,
            });
            continue;
        };
        let (x, y) = (pt.x(), pt.y());
        let Some(cell) = grid.cell_of(x, y).map(|(r, c)| r * grid.cols + c) else {
            skipped.push(SkippedBuilding {
                id,
                reason: SkipReason::OutsideGrid { x, y },
            });
            continue;
        };
        let t = |k: &str| f.get(k).map(text).filter(|s| !s.is_empty());
        let i = |k: &str| f.get(k).and_then(int);
        let r = |k: &str| f.get(k).and_then(real);
        match Building::from_fields(
            &id,
            t("structure").as_deref(),
            i("storeys"),
            i("year_built"),
            t("fortification").as_deref(),
            r("occupants"),
            r("value_wan"),
        )
        .and_then(|b| {
            b.with_grade_fields(
                t("deformation").as_deref(),
                t("seismic_category").as_deref(),
                t("retrofitted").as_deref(),
            )
        }) {
            Ok(building) => located.push(Located {
                building,
                township: t("township_code").unwrap_or_default(),
                xy: (x, y),
                cell,
            }),
            Err(e) => skipped.push(SkippedBuilding {
                id,
                reason: e.into(),
            }),
        }
    }
    located.sort_by(|a, b| a.building.id.cmp(&b.building.id));
    Ok((located, skipped))
}

/// A field as trimmed text ("" for null).
pub(super) fn text(v: &FieldValue) -> String {
    match v {
        FieldValue::String(s) => s.trim().to_string(),
        FieldValue::Integer(i) => i.to_string(),
        FieldValue::Integer64(i) => i.to_string(),
        FieldValue::Real(r) => r.to_string(),
        FieldValue::Null => String::new(),
        FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// A field as an integer (reals rounded), if it is one.
fn int(v: &FieldValue) -> Option<i64> {
    match v {
        FieldValue::Integer(i) => Some(i64::from(*i)),
        FieldValue::Integer64(i) => Some(*i),
        FieldValue::Real(r) if r.is_finite() => Some(r.round() as i64),
        FieldValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A field as a finite real, if it is one.
fn real(v: &FieldValue) -> Option<f64> {
    match v {
        FieldValue::Integer(i) => Some(f64::from(*i)),
        FieldValue::Integer64(i) => Some(*i as f64),
        FieldValue::Real(r) if r.is_finite() => Some(*r),
        FieldValue::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
