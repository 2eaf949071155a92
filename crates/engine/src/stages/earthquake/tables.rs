//! The per-building tables of a run: `eq_building_damage.csv`, the same rows as the
//! GeoPackage `eq_building_damage.gpkg` and as this run's rows of the census
//! database's result table, and `eq_township_grades.csv` (buildings per grade per
//! township).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue as Out, GeometryType, VectorDriver, VectorLayerSpec,
    VectorWriter, WriteOptions,
};
use riskcensus_models::earthquake::fragility::STATE_NAMES;

use super::damage::{Assessed, Damage};
use crate::ingest::Census;
use crate::output::CsvOut;
use crate::EngineError;

/// Grade names of codes 1, 2, 3.
pub const GRADE_NAMES: [&str; 3] = ["重点", "一般", "轻微"];

/// Name of the per-building result table in the census database
/// (`result_eq_buildings`, rows of every run keyed by `run`).
pub const RESULT_TABLE: &str = "eq_buildings";

/// The files [`write_tables`] wrote.
pub struct Tables {
    /// `eq_building_damage.csv`.
    pub building_csv: PathBuf,
    /// `eq_building_damage.gpkg`.
    pub building_gpkg: PathBuf,
    /// `eq_township_grades.csv`.
    pub township_csv: PathBuf,
}

/// Write the building table (CSV, GeoPackage, census result rows) and the township
/// grade table of `d` into `out_dir`; `crs` is the census CRS.
pub fn write_tables(
    out_dir: &Path,
    db: &Census,
    crs: &str,
    d: &Damage<'_>,
) -> Result<Tables, EngineError> {
    let building_csv = out_dir.join("eq_building_damage.csv");
    write_building_csv(&building_csv, &d.rows)?;
    let rows: Vec<(geo_types::Geometry<f64>, Vec<Out>)> =
        d.rows.iter().map(building_feature).collect();
    // The same rows go into the census database as this run's result table.
    let run = run_label(out_dir);
    db.store_results(
        RESULT_TABLE,
        &run,
        riskcensus_io::gpkg::DbGeometry::Point,
        &building_fields(),
        rows.iter().map(|(g, v)| (Some(g.clone()), v.clone())),
    )?;
    let building_gpkg = out_dir.join("eq_building_damage.gpkg");
    write_building_gpkg(&building_gpkg, crs, rows)?;
    let township_csv = out_dir.join("eq_township_grades.csv");
    write_township_csv(&township_csv, &d.grades)?;
    Ok(Tables {
        building_csv,
        building_gpkg,
        township_csv,
    })
}

/// The label a run's results carry in the census database: the name of the run
/// folder (`out/<run-id>/assess` → `<run-id>`), else of `out_dir` itself.
pub fn run_label(out_dir: &Path) -> String {
    let dir = if out_dir.file_name().is_some_and(|n| n == "assess") {
        out_dir.parent().unwrap_or(out_dir)
    } else {
        out_dir
    };
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into())
}

/// `eq_building_damage.csv`: one row per assessed building, by id.
fn write_building_csv(path: &Path, rows: &[Assessed<'_>]) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "id",
        "township_code",
        "x",
        "y",
        "structure",
        "storeys",
        "year_built",
        "fortification",
        "hazus_type",
        "code_level",
        "pga_g",
        "required_intensity",
        "p_none",
        "p_slight",
        "p_moderate",
        "p_extensive",
        "p_complete",
        "loss_ratio",
        "value_wan",
        "loss_wan",
        "deaths",
        "grade",
        "grade_name",
    ])?;
    for a in rows {
        let (b, d) = (&a.at.building, &a.damage);
        let pr = d.probabilities;
        t.record([
            b.id.clone(),
            a.at.township.clone(),
            format!("{:.2}", a.at.xy.0),
            format!("{:.2}", a.at.xy.1),
            b.structure.code().to_string(),
            b.storeys.to_string(),
            b.year_built.map(|y| y.to_string()).unwrap_or_default(),
            b.fortification.code().to_string(),
            b.structure.hazus_type(b.storeys),
            d.level.name().to_string(),
            format!("{:.6}", a.pga_g),
            a.required.to_string(),
            format!("{:.6}", pr[0]),
            format!("{:.6}", pr[1]),
            format!("{:.6}", pr[2]),
            format!("{:.6}", pr[3]),
            format!("{:.6}", pr[4]),
            format!("{:.6}", d.loss_ratio),
            b.value.to_string(),
            format!("{:.6}", d.expected_loss),
            format!("{:.6e}", d.deaths),
            d.grade.to_string(),
            GRADE_NAMES[usize::from(d.grade - 1)].to_string(),
        ])?;
    }
    t.finish()
}

/// `eq_township_grades.csv`: buildings per grade per township code.
fn write_township_csv(
    path: &Path,
    grades: &BTreeMap<String, [usize; 3]>,
) -> Result<(), EngineError> {
    let mut t = CsvOut::new(path);
    t.record([
        "township_code",
        "grade1_key",
        "grade2_general",
        "grade3_minor",
        "buildings",
    ])?;
    for (town, g) in grades {
        t.record([
            town.clone(),
            g[0].to_string(),
            g[1].to_string(),
            g[2].to_string(),
            (g[0] + g[1] + g[2]).to_string(),
        ])?;
    }
    t.finish()
}

/// The point and the [`building_fields`] values of an assessed building.
fn building_feature(a: &Assessed<'_>) -> (geo_types::Geometry<f64>, Vec<Out>) {
    let (b, d) = (&a.at.building, &a.damage);
    let pr = d.probabilities;
    (
        geo_types::Geometry::Point(geo_types::Point::new(a.at.xy.0, a.at.xy.1)),
        vec![
            Out::String(b.id.clone()),
            Out::String(a.at.township.clone()),
            Out::String(b.structure.code().into()),
            Out::Integer(b.storeys as i32),
            b.year_built.into(),
            Out::String(b.fortification.code().into()),
            Out::Real(a.pga_g as f64),
            Out::Integer(i32::from(a.required)),
            Out::Real(pr[0]),
            Out::Real(pr[1]),
            Out::Real(pr[2]),
            Out::Real(pr[3]),
            Out::Real(pr[4]),
            Out::Real(d.loss_ratio),
            Out::Real(d.expected_loss),
            Out::Real(d.deaths),
            Out::Integer(i32::from(d.grade)),
            Out::String(GRADE_NAMES[usize::from(d.grade - 1)].into()),
        ],
    )
}

/// Fields of the per-building damage layer (after the geometry).
fn building_fields() -> Vec<FieldDef> {
    let mut fields = vec![
        FieldDef::new("id", FieldType::String),
        FieldDef::new("township_code", FieldType::String),
        FieldDef::new("structure", FieldType::String),
        FieldDef::new("storeys", FieldType::Integer),
        FieldDef::new("year_built", FieldType::Integer),
        FieldDef::new("fortification", FieldType::String),
        FieldDef::new("pga_g", FieldType::Real),
        FieldDef::new("required_intensity", FieldType::Integer),
    ];
    for s in STATE_NAMES {
        fields.push(FieldDef::new(format!("p_{s}"), FieldType::Real));
    }
    fields.extend([
        FieldDef::new("loss_ratio", FieldType::Real),
        FieldDef::new("loss_wan", FieldType::Real),
        FieldDef::new("deaths", FieldType::Real),
        FieldDef::new("grade", FieldType::Integer),
        FieldDef::new("grade_name", FieldType::String),
    ]);
    fields
}

/// The building layer as a GeoPackage (fixed timestamp, so re-runs give the same
/// bytes).
fn write_building_gpkg(
    path: &Path,
    crs: &str,
    rows: Vec<(geo_types::Geometry<f64>, Vec<Out>)>,
) -> Result<(), EngineError> {
    let spec = VectorLayerSpec::new(
        VectorDriver::GeoPackage,
        "eq_building_damage",
        crs,
        GeometryType::Point,
    )
    .fields(building_fields());
    let mut w = VectorWriter::create(
        path,
        VectorDriver::GeoPackage,
        &WriteOptions {
            fixed_timestamp: Some(crate::output::FIXED_TIMESTAMP.into()),
        },
    )?;
    w.add_layer(&spec, rows)?;
    w.finish()?;
    Ok(())
}
