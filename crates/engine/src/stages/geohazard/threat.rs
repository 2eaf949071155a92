//! What the hidden-danger points threaten (`riskcensus_models::geohazard::threat`):
//! per point its threat zone (radius by scale), the people and property in it, its
//! danger grade and monitoring capacity; per cell the people and property threatened
//! per km², the highest grade and the capacity — the inputs of
//! `models/geohazard_exposure.toml` and `models/geohazard_capacity.toml`.

use std::path::{Path, PathBuf};

use ndarray::ArrayView2;
use riskcensus_core::GridSpec;
use riskcensus_io::CogOptions;
use riskcensus_models::geohazard::params::ThreatSpec;
use riskcensus_models::geohazard::threat::{grade_name, threat_grids, ThreatGrids, ThreatPoint};
use serde::Serialize;

use super::hidden_dangers::HiddenDanger;
use crate::error::EngineError;
use crate::output::{write_f32, CsvOut};
use crate::provenance::tag;
use crate::stack::LayerStack;

/// What [`threat_layers`] wrote and counted.
#[derive(Debug, Clone, Serialize)]
pub struct ThreatSummary {
    /// Hidden-danger records read (every type counts).
    pub points: usize,
    /// Σ people threatened over the points (persons; relocated points count 0).
    pub people: f64,
    /// Σ property threatened over the points (万元; relocated points count 0).
    pub property_wan: f64,
    /// Points per danger grade 1 特大型 … 4 小型, and with none (nothing threatened).
    pub grade_counts: [usize; 5],
    /// Points per monitoring code as used: professional, mass, none.
    pub monitoring_counts: [usize; 3],
    /// Points whose `threat_pop` is not recorded (counted as 0 persons).
    pub missing_threat_pop: usize,
    /// Points whose `threat_value_wan` is not recorded (counted as 0 万元).
    pub missing_threat_value: usize,
    /// Points whose `monitoring` is not recorded (given `default_monitoring`).
    pub missing_monitoring: usize,
    /// Points whose `scale` is not recorded (given `default_radius_m`).
    pub missing_scale: usize,
    /// Points whose people have been relocated (`relocation = done`): they keep their
    /// row in the table but threaten no one in the grids.
    pub relocated_points: usize,
    /// People so removed from the threat (persons).
    pub relocated_people: f64,
    /// Property so removed from the threat (万元).
    pub relocated_property_wan: f64,
    /// Points with relocation planned (reported; no effect until done).
    pub relocation_planned: usize,
    /// Cells inside at least one threat zone.
    pub zone_cells: usize,
    /// `geohazard_threat_pop.tif`: people threatened per cell, persons/km² (f32, 0
    /// outside every zone). The paths are left out of the report, which names the
    /// files relative to the output folder (`files`), so two runs into different
    /// folders write the same report.
    #[serde(skip)]
    pub people_grid: PathBuf,
    /// `geohazard_threat_value.tif`: property threatened per cell, 万元/km² (f32, 0
    /// outside every zone).
    #[serde(skip)]
    pub property_grid: PathBuf,
    /// `geohazard_threat_grade.tif`: most severe danger grade of the zones covering
    /// each cell (u8, 1 特大型 … 4 小型, 0 none = nodata).
    #[serde(skip)]
    pub grade_grid: PathBuf,
    /// `geohazard_point_capacity.tif`: people-weighted monitoring capacity of the
    /// zones covering each cell, an index (f32, NaN outside every zone).
    #[serde(skip)]
    pub capacity_grid: PathBuf,
    /// `geohazard/threat_points.csv`: one row per point.
    #[serde(skip)]
    pub table: PathBuf,
    /// Output-relative file names of the grids and the table.
    pub files: [&'static str; 5],
}

impl ThreatSummary {
    /// An empty summary of `points` points whose files go into `out_dir`.
    fn new(points: usize, out_dir: &Path) -> Self {
        ThreatSummary {
            points,
            people: 0.0,
            property_wan: 0.0,
            grade_counts: [0; 5],
            monitoring_counts: [0; 3],
            missing_threat_pop: 0,
            missing_threat_value: 0,
            missing_monitoring: 0,
            missing_scale: 0,
            relocated_points: 0,
            relocated_people: 0.0,
            relocated_property_wan: 0.0,
            relocation_planned: 0,
            zone_cells: 0,
            people_grid: out_dir.join("geohazard_threat_pop.tif"),
            property_grid: out_dir.join("geohazard_threat_value.tif"),
            grade_grid: out_dir.join("geohazard_threat_grade.tif"),
            capacity_grid: out_dir.join("geohazard_point_capacity.tif"),
            table: out_dir.join("geohazard").join("threat_points.csv"),
            files: [
                "geohazard_threat_pop.tif",
                "geohazard_threat_value.tif",
                "geohazard_threat_grade.tif",
                "geohazard_point_capacity.tif",
                "geohazard/threat_points.csv",
            ],
        }
    }
}

/// The threat grids of the hidden-danger points (`riskcensus_models::geohazard::threat`):
/// `geohazard_threat_pop` (persons/km², 0 outside every zone), `geohazard_threat_value`
/// (万元/km²), `geohazard_threat_grade` (u8 1 特大型 … 4 小型, 0 none) and
/// `geohazard_point_capacity` (monitoring index, NaN outside every zone), inserted
/// into `stack` for `models/geohazard_exposure.toml` and
/// `models/geohazard_capacity.toml`, plus `geohazard/threat_points.csv` (one row per
/// point). `records` come from the census database, already checked by the survey
/// validator at ingest (a negative `threat_pop` or an unknown `monitoring` code is
/// rejected there and listed in `_rejects`); a record that still breaks the rules
/// (a database written by another tool) is a named error here. Every point counts,
/// whatever its type: a subsidence threatens people as a landslide does.
pub fn threat_layers(
    grid: &GridSpec,
    records: &[HiddenDanger],
    spec: &ThreatSpec,
    source: &Path,
    out_dir: &Path,
    stack: &mut LayerStack,
    tags: &riskcensus_io::Provenance,
) -> Result<ThreatSummary, EngineError> {
    let mut sum = ThreatSummary::new(records.len(), out_dir);
    let mut pts = Vec::with_capacity(records.len());
    for h in records {
        pts.push(threat_point(h, spec, grid, source, &mut sum)?);
    }
    let g = threat_grids(&pts, grid.rows, grid.cols, grid.cell_size);
    for z in &g.points {
        sum.grade_counts[if z.grade == 0 {
            4
        } else {
            z.grade as usize - 1
        }] += 1;
    }
    sum.zone_cells = g.capacity.iter().filter(|c| !c.is_nan()).count();
    write_grids(grid, spec, &g, &sum, out_dir, stack, tags)?;
    write_table(records, &pts, &g, &sum.table)?;
    Ok(sum)
}

/// The threat point of a record (position, radius, people, property, capacity),
/// counted into `sum`; an error naming the record and field for a value the rules
/// refuse.
fn threat_point(
    h: &HiddenDanger,
    spec: &ThreatSpec,
    grid: &GridSpec,
    source: &Path,
    sum: &mut ThreatSummary,
) -> Result<ThreatPoint, EngineError> {
    let bad =
        |field: &'static str, value: String, rule: &'static str| EngineError::HiddenDangerField {
            path: source.to_path_buf(),
            record: h.point.record,
            id: h.id.clone(),
            field,
            value,
            rule,
        };
    let nonneg = |v: Option<f64>, field: &'static str, unit: &str| match v {
        Some(x) if !(x.is_finite() && x >= 0.0) => {
            Err(bad(field, format!("{x} {unit}"), "not a count ≥ 0"))
        }
        _ => Ok(v),
    };
    let people = nonneg(h.threat_pop, "threat_pop", "persons")?;
    let property = nonneg(h.threat_value_wan, "threat_value_wan", "万元")?;
    sum.missing_threat_pop += usize::from(people.is_none());
    sum.missing_threat_value += usize::from(property.is_none());
    sum.missing_monitoring += usize::from(h.monitoring.is_none());
    sum.missing_scale += usize::from(h.scale.is_none());
    let radius = spec.radius(h.scale.as_deref()).ok_or_else(|| {
        bad(
            "scale",
            format!("{:?}", h.scale.as_deref().unwrap_or("")),
            "unknown code; known: small, medium, large, huge",
        )
    })?;
    let capacity = spec.capacity(h.monitoring.as_deref()).ok_or_else(|| {
        bad(
            "monitoring",
            format!("{:?}", h.monitoring.as_deref().unwrap_or("")),
            "unknown code; known: professional (专业监测), mass (群测群防), none (未监测)",
        )
    })?;
    let used = h.monitoring.as_deref().unwrap_or(&spec.default_monitoring);
    let k = ["professional", "mass", "none"]
        .iter()
        .position(|m| *m == used)
        .expect("checked by capacity()");
    sum.monitoring_counts[k] += 1;
    let (people, property) = relocated(
        h.relocation.as_deref(),
        people.unwrap_or(0.0),
        property.unwrap_or(0.0),
        sum,
    )
    .map_err(|other| {
        bad(
            "relocation",
            format!("{other:?}"),
            "unknown code; known: done (已搬迁), planned (计划搬迁), none (未搬迁)",
        )
    })?;
    sum.people += people;
    sum.property_wan += property;
    let (col, row) = h.point.cell_position(grid);
    Ok(ThreatPoint {
        col,
        row,
        radius_m: radius,
        people,
        property_wan: property,
        capacity,
    })
}

/// The people and property a point still threatens after relocation (搬迁避让):
/// once the people have moved (`done`), the point threatens no one and nothing
/// there; a planned relocation changes nothing yet. Counted into `sum`; an unknown
/// code is returned as the error.
fn relocated(
    code: Option<&str>,
    people: f64,
    property: f64,
    sum: &mut ThreatSummary,
) -> Result<(f64, f64), String> {
    match code {
        None | Some("none") => Ok((people, property)),
        Some("planned") => {
            sum.relocation_planned += 1;
            Ok((people, property))
        }
        Some("done") => {
            sum.relocated_points += 1;
            sum.relocated_people += people;
            sum.relocated_property_wan += property;
            Ok((0.0, 0.0))
        }
        Some(other) => Err(other.to_string()),
    }
}

/// Write the four threat grids and insert them into `stack`.
fn write_grids(
    grid: &GridSpec,
    spec: &ThreatSpec,
    g: &ThreatGrids,
    sum: &ThreatSummary,
    out_dir: &Path,
    stack: &mut LayerStack,
    tags: &riskcensus_io::Provenance,
) -> Result<(), EngineError> {
    let mut t = tags.clone();
    t.insert(tag::SOURCE.into(), "census.gpkg:hidden_dangers".into());
    t.insert(
        "RISKCENSUS_THREAT_RULE".into(),
        format!(
            "radius_m small={} medium={} large={} huge={} default={}; monitoring professional={} mass={} none={} default={}",
            spec.radius_m.small, spec.radius_m.medium, spec.radius_m.large, spec.radius_m.huge,
            spec.default_radius_m, spec.monitoring.professional, spec.monitoring.mass,
            spec.monitoring.none, spec.default_monitoring
        ),
    );
    for (id, data, unit) in [
        ("geohazard_threat_pop", &g.people_per_km2, "persons/km2"),
        ("geohazard_threat_value", &g.property_per_km2, "wan_cny/km2"),
        ("geohazard_point_capacity", &g.capacity, "index"),
    ] {
        let p = write_f32(out_dir, id, grid, data, &t, Some(unit))?;
        stack.insert(id, p, unit);
    }
    let mut tt = t;
    tt.insert(tag::UNITS.into(), "class".into());
    tt.insert(
        "RISKCENSUS_CLASS_NAMES".into(),
        (1..=4u8).map(grade_name).collect::<Vec<_>>().join(","),
    );
    let a = ArrayView2::from_shape((grid.rows, grid.cols), &g.grade[..]).expect("grid-sized");
    let path = crate::output::write_array(
        out_dir,
        "geohazard_threat_grade",
        grid,
        a,
        Some(0.0),
        &tt,
        &CogOptions::default(),
    )?;
    debug_assert_eq!(path, sum.grade_grid);
    stack.insert("geohazard_threat_grade", path, "class");
    Ok(())
}

/// `geohazard/threat_points.csv`: one row per point, in record order.
fn write_table(
    records: &[HiddenDanger],
    pts: &[ThreatPoint],
    g: &ThreatGrids,
    path: &Path,
) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "record",
        "id",
        "x",
        "y",
        "type",
        "scale",
        "radius_m",
        "zone_cells",
        "threat_pop",
        "threat_value_wan",
        "grade",
        "grade_name",
        "monitoring",
        "capacity",
        "relocation",
    ])?;
    for ((h, p), z) in records.iter().zip(pts).zip(&g.points) {
        t.record([
            h.point.record.to_string(),
            h.id.clone(),
            h.point.x.to_string(),
            h.point.y.to_string(),
            h.point.kind.clone().unwrap_or_default(),
            h.scale.clone().unwrap_or_default(),
            p.radius_m.to_string(),
            z.cells.to_string(),
            p.people.to_string(),
            p.property_wan.to_string(),
            z.grade.to_string(),
            grade_name(z.grade).to_string(),
            h.monitoring.clone().unwrap_or_default(),
            p.capacity.to_string(),
            h.relocation.clone().unwrap_or_default(),
        ])?;
    }
    t.finish()
}
