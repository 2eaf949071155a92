//! The per-building tables of a run: `eq_building_damage.csv`, the same rows as the
//! GeoPackage `eq_building_damage.gpkg` and as this run's rows of the census
//! database's result table, `eq_township_grades.csv` (buildings and shares per
//! grade per township) and `eq_grades_by_structure.csv` (the same per structure
//! type, also a table of `zoning.gpkg`). Every table of the grade carries the
//! column `grade_basis` ([`GRADE_BASIS`]): the grade is a provisional rule of this
//! project.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue as Out, GeometryType, VectorDriver, VectorLayerSpec,
    VectorWriter, WriteOptions,
};
use riskcensus_models::earthquake::fragility::{Structure, STATE_NAMES};
pub use riskcensus_models::earthquake::hidden_danger::{GRADE_BASIS, GRADE_NAMES};

use super::damage::{Assessed, Damage};
use crate::deliverable::{self, Deliverable};
use crate::ingest::Census;
use crate::output::CsvOut;
use crate::EngineError;

/// Name of the table of grades per structure type (`<name>.csv` and the
/// `zoning.gpkg` table).
pub const STRUCTURE_TABLE: &str = riskcensus_contracts::tables::zoning::EQ_GRADES_BY_STRUCTURE;

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
    /// `eq_grades_by_structure.csv`.
    pub structure_csv: PathBuf,
    /// The same rows, for `zoning.gpkg`.
    pub structure_table: Deliverable,
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
    let structure_table = structure_table(&d.grades_by_structure);
    let structure_csv = structure_table.write_csv(out_dir)?;
    Ok(Tables {
        building_csv,
        building_gpkg,
        township_csv,
        structure_csv,
        structure_table,
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
        "seismic_category",
        "deformation",
        "retrofitted",
        "hazus_type",
        "code_level",
        "pga_g",
        "zone_level",
        "required_intensity",
        "required_level",
        "fortification_status",
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
        "grade_reason",
        "grade_basis",
    ])?;
    for a in rows {
        let (b, d) = (&a.at.building, &a.damage);
        let pr = d.probabilities;
        let f = GradeFields::of(a);
        t.record([
            b.id.clone(),
            a.at.township.clone(),
            format!("{:.2}", a.at.xy.0),
            format!("{:.2}", a.at.xy.1),
            b.structure.code().to_string(),
            b.storeys.to_string(),
            b.year_built.map(|y| y.to_string()).unwrap_or_default(),
            f.fortification.to_string(),
            f.category.to_string(),
            f.deformation.to_string(),
            f.retrofitted.to_string(),
            b.structure.hazus_type(b.storeys),
            d.level.name().to_string(),
            format!("{:.6}", a.pga_g),
            f.zone_level.to_string(),
            f.required_intensity.to_string(),
            f.required_level.to_string(),
            a.grade.status.code().to_string(),
            format!("{:.6}", pr[0]),
            format!("{:.6}", pr[1]),
            format!("{:.6}", pr[2]),
            format!("{:.6}", pr[3]),
            format!("{:.6}", pr[4]),
            format!("{:.6}", d.loss_ratio),
            b.value.to_string(),
            format!("{:.6}", d.expected_loss),
            format!("{:.6e}", d.deaths),
            a.grade.grade.to_string(),
            a.grade.name().to_string(),
            a.grade.reason.code().to_string(),
            GRADE_BASIS.to_string(),
        ])?;
    }
    t.finish()
}

/// The grade's survey fields and requirement of an assessed building as text
/// ("" where not recorded or not applicable).
struct GradeFields {
    fortification: &'static str,
    category: &'static str,
    deformation: &'static str,
    retrofitted: &'static str,
    zone_level: &'static str,
    /// Degree of the requirement; 0 without one (no zoning map, zone below VI).
    required_intensity: u8,
    required_level: &'static str,
}

impl GradeFields {
    fn of(a: &Assessed<'_>) -> GradeFields {
        let b = &a.at.building;
        let yes_no = |v: Option<bool>| match v {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        };
        GradeFields {
            fortification: b.fortification.map_or("", |f| f.code()),
            category: b.category.map_or("", |c| c.code()),
            deformation: yes_no(b.deformation),
            retrofitted: yes_no(b.retrofitted),
            zone_level: a.zone.map_or("", |z| z.code()),
            required_intensity: a.grade.required.map_or(0, |r| r.degree),
            required_level: a.grade.required.map_or("", |r| r.code()),
        }
    }
}

/// The shares of counts `g` (fractions rounded to 4 decimals; `None` for no
/// building).
fn shares(g: &[usize; 3]) -> [Option<f64>; 3] {
    let n = g.iter().sum::<usize>();
    g.map(|k| (n > 0).then(|| (k as f64 / n as f64 * 1e4).round() / 1e4))
}

/// `eq_township_grades.csv`: buildings and shares per grade per township code, and
/// the grade's basis.
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
        "grade1_key_share",
        "grade2_general_share",
        "grade3_minor_share",
        "grade_basis",
    ])?;
    for (town, g) in grades {
        let s = shares(g).map(|v| v.map(|v| v.to_string()).unwrap_or_default());
        t.record([
            town.clone(),
            g[0].to_string(),
            g[1].to_string(),
            g[2].to_string(),
            (g[0] + g[1] + g[2]).to_string(),
            s[0].clone(),
            s[1].clone(),
            s[2].clone(),
            GRADE_BASIS.to_string(),
        ])?;
    }
    t.finish()
}

/// `eq_grades_by_structure`: buildings and shares per grade per structure type
/// (census code and Chinese name), then the row `all` (全部) of every structure;
/// each row with the grade's basis.
pub fn structure_table(by_structure: &BTreeMap<Structure, [usize; 3]>) -> Deliverable {
    let mut t = Deliverable::new(
        STRUCTURE_TABLE,
        GeometryType::None,
        &[
            ("structure", FieldType::String),
            ("structure_name", FieldType::String),
            ("grade1_key", FieldType::Integer64),
            ("grade2_general", FieldType::Integer64),
            ("grade3_minor", FieldType::Integer64),
            ("buildings", FieldType::Integer64),
            ("grade1_key_share", FieldType::Real),
            ("grade2_general_share", FieldType::Real),
            ("grade3_minor_share", FieldType::Real),
            ("grade_basis", FieldType::String),
        ],
    );
    let mut all = [0usize; 3];
    let rows = by_structure
        .iter()
        .map(|(s, g)| (s.code(), s.name_zh(), *g))
        .collect::<Vec<_>>();
    for (_, _, g) in &rows {
        for k in 0..3 {
            all[k] += g[k];
        }
    }
    for (code, name, g) in rows.into_iter().chain([("all", "全部", all)]) {
        let mut v = vec![deliverable::text(code), deliverable::text(name)];
        v.extend(g.iter().map(|&n| deliverable::int(n as i64)));
        v.push(deliverable::int(g.iter().sum::<usize>() as i64));
        v.extend(
            shares(&g)
                .into_iter()
                .map(|s| s.map_or(Out::Null, deliverable::real)),
        );
        v.push(deliverable::text(GRADE_BASIS));
        t.push(None, v);
    }
    t
}

/// The point and the [`building_fields`] values of an assessed building.
fn building_feature(a: &Assessed<'_>) -> (geo_types::Geometry<f64>, Vec<Out>) {
    let (b, d) = (&a.at.building, &a.damage);
    let pr = d.probabilities;
    let f = GradeFields::of(a);
    let s = |t: &str| Out::String(t.into());
    (
        geo_types::Geometry::Point(geo_types::Point::new(a.at.xy.0, a.at.xy.1)),
        vec![
            Out::String(b.id.clone()),
            Out::String(a.at.township.clone()),
            Out::String(b.structure.code().into()),
            Out::Integer(b.storeys as i32),
            b.year_built.into(),
            s(f.fortification),
            s(f.category),
            s(f.deformation),
            s(f.retrofitted),
            Out::Real(a.pga_g as f64),
            s(f.zone_level),
            Out::Integer(i32::from(f.required_intensity)),
            s(f.required_level),
            s(a.grade.status.code()),
            Out::Real(pr[0]),
            Out::Real(pr[1]),
            Out::Real(pr[2]),
            Out::Real(pr[3]),
            Out::Real(pr[4]),
            Out::Real(d.loss_ratio),
            Out::Real(d.expected_loss),
            Out::Real(d.deaths),
            Out::Integer(i32::from(a.grade.grade)),
            s(a.grade.name()),
            s(a.grade.reason.code()),
            s(GRADE_BASIS),
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
        FieldDef::new("seismic_category", FieldType::String),
        FieldDef::new("deformation", FieldType::String),
        FieldDef::new("retrofitted", FieldType::String),
        FieldDef::new("pga_g", FieldType::Real),
        FieldDef::new("zone_level", FieldType::String),
        FieldDef::new("required_intensity", FieldType::Integer),
        FieldDef::new("required_level", FieldType::String),
        FieldDef::new("fortification_status", FieldType::String),
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
        FieldDef::new("grade_reason", FieldType::String),
        FieldDef::new("grade_basis", FieldType::String),
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
