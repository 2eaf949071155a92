//! The loss route of risk as the comprehensive stage leaves it in `assess/`: expected
//! annual loss (AAL, 万元/yr) and deaths per township and county, loss-exceedance
//! curves, AAL per building structure and the historical record beside the
//! assessment; plus the level scheme and thresholds the levels were taken on.
//!
//! The unit rows come from the `unit_risk` table of `zoning.gpkg` (exact values;
//! `assess/risk_units.csv` holds them rounded for spreadsheets). A run made before
//! the loss route has none: [`read`] returns `None` and the report leaves the
//! section out. The
//! other three tables are read when present. CSVs are read with the `csv` crate;
//! errors name the file, the line of the record and the column.
//!
//! Units: AAL and losses in 万元 (10⁴ CNY), per year where the column says so;
//! annual rates per year; death rates per 10⁵ people per year. Empty numbers (NaN
//! in the engine) are `None`; level 0 or empty means not classified.

use std::path::{Path, PathBuf};

use riskcensus_contracts::tables::zoning;
use riskcensus_core::LevelScheme;
use riskcensus_models::loss::{levels, LossLevels, Measure};

use crate::error::ReportError;
use crate::run::{rows, Fields, Run};

pub use riskcensus_contracts::tables::risk::{
    EXCEEDANCE_CSV, RECORD_CSV, STRUCTURE_CSV, UNITS_CSV,
};

/// The hazard id of the sum over hazards.
pub const COMPREHENSIVE: &str = "comprehensive";

/// The national plan's target for the average annual direct disaster loss, % of
/// GDP: 国家减灾委员会 (2022)《“十四五”国家综合防灾减灾规划》, “年均因灾直接经济损失占
/// 国内生产总值的比例控制在1%以内”.
pub const PLAN_TARGET_GDP_PCT: f64 = 1.0;

/// One row of `unit_risk` / `risk_units.csv`: one unit, one hazard.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRisk {
    /// Admin code (9 digits for a township, 6 for the county).
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// `township` or `county`.
    pub unit_level: String,
    /// `flood`, `earthquake`, … or `comprehensive`.
    pub hazard: String,
    /// `loss`, `record` or `sum`.
    pub route: String,
    /// AAL, 万元/yr.
    pub aal_wan_per_yr: Option<f64>,
    /// Expected deaths per year.
    pub deaths_per_yr: Option<f64>,
    /// Area, km².
    pub area_km2: Option<f64>,
    /// GDP, 万元 (`None` when not surveyed).
    pub gdp_wan: Option<f64>,
    /// Population, persons.
    pub population: Option<f64>,
    /// `admin_units` or `buildings` (Σ occupants).
    pub population_source: String,
    /// AAL / area, 万元/km²/yr.
    pub aal_density: Option<f64>,
    /// AAL / GDP, %.
    pub aal_gdp_pct: Option<f64>,
    /// Deaths per 10⁵ people per year.
    pub death_rate_per_100k: Option<f64>,
    /// Level of the AAL density (`None` = not classified).
    pub level_aal_density: Option<u8>,
    /// Level of AAL / GDP.
    pub level_aal_gdp: Option<u8>,
    /// Level of the death rate.
    pub level_death_rate: Option<u8>,
    /// Risk level: the most severe of the three.
    pub risk_level: Option<u8>,
}

impl UnitRisk {
    /// True for the county row.
    pub fn is_county(&self) -> bool {
        self.unit_level == "county"
    }

    /// A township row (not the county, not a village).
    pub fn is_township(&self) -> bool {
        self.unit_level == "township"
    }
}

/// One row of `loss_exceedance.csv`: one unit, hazard and event.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceedanceRow {
    /// Admin code (the county's is 6 digits).
    pub unit_code: String,
    /// Name.
    pub unit_name: String,
    /// Loss-model hazard.
    pub hazard: String,
    /// Event name (`10y`, `basic`, …).
    pub event: String,
    /// Annual exceedance rate of the event, 1/yr.
    pub annual_rate: f64,
    /// Loss of the event, 万元.
    pub loss_wan: Option<f64>,
    /// Deaths of the event.
    pub deaths: Option<f64>,
}

/// One row of `aal_by_structure.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureRow {
    /// Loss-model hazard.
    pub hazard: String,
    /// Structure type of the building survey.
    pub structure: String,
    /// Buildings of the type.
    pub buildings: f64,
    /// Their replacement value, 万元.
    pub value_wan: Option<f64>,
    /// Their AAL, 万元/yr.
    pub aal_wan_per_yr: Option<f64>,
    /// AAL per mille of value, ‰/yr.
    pub aal_permille_of_value: Option<f64>,
    /// Expected deaths per year in them.
    pub deaths_per_yr: Option<f64>,
}

/// One row of `risk_record.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    /// Hazard.
    pub hazard: String,
    /// `loss` or `record`.
    pub route: String,
    /// Whether the hazard enters the comprehensive AAL.
    pub included: bool,
    /// First year of the record.
    pub first_year: Option<i64>,
    /// Last year of the record.
    pub last_year: Option<i64>,
    /// Recorded events.
    pub events: Option<f64>,
    /// Recorded mean annual loss, 万元/yr.
    pub recorded_loss_wan_per_yr: Option<f64>,
    /// Recorded mean annual deaths.
    pub recorded_deaths_per_yr: Option<f64>,
    /// Assessed AAL, 万元/yr (`None` when not included).
    pub assessed_aal_wan_per_yr: Option<f64>,
    /// Assessed deaths per year.
    pub assessed_deaths_per_yr: Option<f64>,
    /// The stage's note.
    pub note: String,
}

/// The loss tables of a run, with the thresholds and level scheme.
#[derive(Debug, Clone)]
pub struct LossTables {
    /// Where the unit rows were read (`zoning.gpkg` table `unit_risk`, or the CSV),
    /// relative to the run folder, `/`-separated.
    pub units_source: String,
    /// Unit rows in file order.
    pub units: Vec<UnitRisk>,
    /// Rows of `loss_exceedance.csv` (empty when absent).
    pub exceedance: Vec<ExceedanceRow>,
    /// Rows of `aal_by_structure.csv` (empty when absent).
    pub structures: Vec<StructureRow>,
    /// Rows of `risk_record.csv` (empty when absent).
    pub record: Vec<RecordRow>,
    /// The level thresholds (`common/loss_levels.toml` of the census's library).
    pub levels: LossLevels,
    /// Their level scheme (`risk5`).
    pub scheme: LevelScheme,
}

impl LossTables {
    /// The county row of `hazard`.
    pub fn county(&self, hazard: &str) -> Option<&UnitRisk> {
        self.units
            .iter()
            .find(|u| u.is_county() && u.hazard == hazard)
    }

    /// The hazards of the unit rows other than the comprehensive, in file order.
    pub fn hazards(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for u in &self.units {
            if u.hazard != COMPREHENSIVE && !v.contains(&u.hazard) {
                v.push(u.hazard.clone());
            }
        }
        v
    }
}

/// The records of a CSV file with typed access naming file, line and column.
pub(crate) struct CsvFile {
    path: PathBuf,
    header: csv::StringRecord,
    records: Vec<csv::StringRecord>,
}

impl CsvFile {
    pub(crate) fn read(path: &Path) -> Result<Self, ReportError> {
        let bytes = std::fs::read(path).map_err(ReportError::fs(path))?;
        let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        let header = r
            .headers()
            .map_err(|e| ReportError::invalid(path, format!("header: {e}")))?
            .clone();
        let mut records = Vec::new();
        for rec in r.records() {
            records.push(rec.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                ReportError::invalid(path, format!("line {line}: {e}"))
            })?);
        }
        Ok(Self {
            path: path.to_path_buf(),
            header,
            records,
        })
    }

    pub(crate) fn rows(&self) -> impl Iterator<Item = CsvRow<'_>> {
        self.records
            .iter()
            .map(move |rec| CsvRow { file: self, rec })
    }
}

pub(crate) struct CsvRow<'a> {
    file: &'a CsvFile,
    rec: &'a csv::StringRecord,
}

impl CsvRow<'_> {
    pub(crate) fn bad(&self, col: &str, msg: &str) -> ReportError {
        let line = self.rec.position().map_or(0, |p| p.line());
        ReportError::invalid(&self.file.path, format!("line {line}: column {col}: {msg}"))
    }

    pub(crate) fn text(&self, col: &str) -> Result<&str, ReportError> {
        let i = self
            .file
            .header
            .iter()
            .position(|h| h == col)
            .ok_or_else(|| self.bad(col, "no such column"))?;
        Ok(self.rec.get(i).unwrap_or(""))
    }

    pub(crate) fn opt_f64(&self, col: &str) -> Result<Option<f64>, ReportError> {
        let t = self.text(col)?.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("nan") {
            return Ok(None);
        }
        t.parse::<f64>()
            .map(Some)
            .map_err(|_| self.bad(col, &format!("{t:?} is not a number")))
    }

    pub(crate) fn f64(&self, col: &str) -> Result<f64, ReportError> {
        self.opt_f64(col)?.ok_or_else(|| self.bad(col, "empty"))
    }

    pub(crate) fn opt_i64(&self, col: &str) -> Result<Option<i64>, ReportError> {
        let t = self.text(col)?.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>()
            .map(Some)
            .map_err(|_| self.bad(col, &format!("{t:?} is not an integer")))
    }

    pub(crate) fn bool(&self, col: &str) -> Result<bool, ReportError> {
        match self.text(col)?.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" | "" => Ok(false),
            t => Err(self.bad(col, &format!("{t:?} is not true or false"))),
        }
    }
}

/// A level code: 0 or empty → not classified; 1–254 → the code.
fn level_code(v: Option<i64>) -> Result<Option<u8>, String> {
    match v {
        None | Some(0) => Ok(None),
        Some(v) if (1..=254).contains(&v) => Ok(Some(v as u8)),
        Some(v) => Err(format!("{v} is not a level code")),
    }
}

fn units_from_gpkg(db: &riskcensus_io::gpkg::GpkgDb) -> Result<Vec<UnitRisk>, ReportError> {
    let path = db.path().to_path_buf();
    let mut out = Vec::new();
    for f in rows(
        db,
        zoning::UNIT_RISK,
        "loss-route risk per township and county",
    )? {
        let r = Fields {
            path: &path,
            table: zoning::UNIT_RISK,
            f: &f,
        };
        let lv = |c: &str| -> Result<Option<u8>, ReportError> {
            level_code(r.opt_i64(c)?).map_err(|m| {
                ReportError::invalid(
                    &path,
                    format!("table {}: fid {}: field {c}: {m}", zoning::UNIT_RISK, f.fid),
                )
            })
        };
        let finite = |c: &str| -> Result<Option<f64>, ReportError> {
            Ok(r.opt_f64(c)?.filter(|v| v.is_finite()))
        };
        out.push(UnitRisk {
            unit_code: r.text("unit_code")?,
            unit_name: r.text("unit_name")?,
            unit_level: r.text("unit_level")?,
            hazard: r.text("hazard")?,
            route: r.text("route")?,
            aal_wan_per_yr: finite("aal_wan_per_yr")?,
            deaths_per_yr: finite("deaths_per_yr")?,
            area_km2: finite("area_km2")?,
            gdp_wan: finite("gdp_wan")?,
            population: finite("population")?,
            population_source: r.text("population_source")?,
            aal_density: finite("aal_density_wan_per_km2_yr")?,
            aal_gdp_pct: finite("aal_gdp_pct")?,
            death_rate_per_100k: finite("death_rate_per_100k_yr")?,
            level_aal_density: lv("level_aal_density")?,
            level_aal_gdp: lv("level_aal_gdp")?,
            level_death_rate: lv("level_death_rate")?,
            risk_level: lv("risk_level")?,
        });
    }
    Ok(out)
}

/// Rows of `loss_exceedance.csv` at `path`.
pub fn read_exceedance(path: &Path) -> Result<Vec<ExceedanceRow>, ReportError> {
    let f = CsvFile::read(path)?;
    f.rows()
        .map(|r| {
            let rate = r.f64("annual_rate")?;
            if !(rate > 0.0 && rate.is_finite()) {
                return Err(r.bad("annual_rate", &format!("{rate} is not a positive rate")));
            }
            Ok(ExceedanceRow {
                unit_code: r.text("unit_code")?.to_string(),
                unit_name: r.text("unit_name")?.to_string(),
                hazard: r.text("hazard")?.to_string(),
                event: r.text("event")?.to_string(),
                annual_rate: rate,
                loss_wan: r.opt_f64("loss_wan")?,
                deaths: r.opt_f64("deaths")?,
            })
        })
        .collect()
}

/// Rows of `aal_by_structure.csv` at `path`.
pub fn read_structures(path: &Path) -> Result<Vec<StructureRow>, ReportError> {
    let f = CsvFile::read(path)?;
    f.rows()
        .map(|r| {
            Ok(StructureRow {
                hazard: r.text("hazard")?.to_string(),
                structure: r.text("structure")?.to_string(),
                buildings: r.f64("buildings")?,
                value_wan: r.opt_f64("value_wan")?,
                aal_wan_per_yr: r.opt_f64("aal_wan_per_yr")?,
                aal_permille_of_value: r.opt_f64("aal_permille_of_value")?,
                deaths_per_yr: r.opt_f64("deaths_per_yr")?,
            })
        })
        .collect()
}

/// Rows of `risk_record.csv` at `path`.
pub fn read_record(path: &Path) -> Result<Vec<RecordRow>, ReportError> {
    let f = CsvFile::read(path)?;
    f.rows()
        .map(|r| {
            Ok(RecordRow {
                hazard: r.text("hazard")?.to_string(),
                route: r.text("route")?.to_string(),
                included: r.bool("included")?,
                first_year: r.opt_i64("record_first_year")?,
                last_year: r.opt_i64("record_last_year")?,
                events: r.opt_f64("recorded_events")?,
                recorded_loss_wan_per_yr: r.opt_f64("recorded_loss_wan_per_yr")?,
                recorded_deaths_per_yr: r.opt_f64("recorded_deaths_per_yr")?,
                assessed_aal_wan_per_yr: r.opt_f64("assessed_aal_wan_per_yr")?,
                assessed_deaths_per_yr: r.opt_f64("assessed_deaths_per_yr")?,
                note: r.text("note")?.to_string(),
            })
        })
        .collect()
}

/// The thresholds and scheme of the census's model library (the shipped library
/// when the census folder is gone); the thresholds file is checked as the engine
/// checks it.
fn levels_of(run: &Run) -> Result<(LossLevels, LevelScheme), ReportError> {
    let lib = riskcensus_models::Library::for_census(&run.census_dir)
        .unwrap_or_else(|_| riskcensus_models::Library::shipped());
    let levels = match lib.file(levels::PATH) {
        Some(f) => LossLevels::from_toml(&f.text, &f.origin)
            .map_err(|e| ReportError::invalid(&f.origin, e.to_string()))?,
        None => LossLevels::builtin(),
    };
    let scheme = lib
        .vocabulary()
        .ok()
        .and_then(|v| v.scheme(levels.scheme()).cloned())
        .unwrap_or_else(|| LevelScheme::generic(levels.classes()));
    Ok((levels, scheme))
}

/// Read the loss tables of `run`; `None` when the run has no unit risk (a run made
/// before the loss route, or without the comprehensive stage).
pub fn read(run: &Run) -> Result<Option<LossTables>, ReportError> {
    let assess = run.layout.assess();
    let gpkg = run.zoning_gpkg();
    let from_gpkg = if gpkg.exists() {
        let db = riskcensus_io::gpkg::GpkgDb::open_read(&gpkg)?;
        if db.has_table(zoning::UNIT_RISK) {
            Some(units_from_gpkg(&db)?)
        } else {
            None
        }
    } else {
        None
    };
    let Some(units) = from_gpkg else {
        return Ok(None);
    };
    let units_source = format!(
        "assess/{} ({})",
        riskcensus_contracts::layout::ZONING_GPKG,
        zoning::UNIT_RISK
    );
    if units.is_empty() {
        return Ok(None);
    }
    let opt = |name: &str| {
        let p = assess.join(name);
        p.exists().then_some(p)
    };
    let exceedance = match opt(EXCEEDANCE_CSV) {
        Some(p) => read_exceedance(&p)?,
        None => Vec::new(),
    };
    let structures = match opt(STRUCTURE_CSV) {
        Some(p) => read_structures(&p)?,
        None => Vec::new(),
    };
    let record = match opt(RECORD_CSV) {
        Some(p) => read_record(&p)?,
        None => Vec::new(),
    };
    let (levels, scheme) = levels_of(run)?;
    Ok(Some(LossTables {
        units_source,
        units,
        exceedance,
        structures,
        record,
        levels,
        scheme,
    }))
}

/// File stem of the township map of AAL / GDP classes under `maps/` (not a level
/// grid's stem: those end in `_level` or `_prevention`).
pub const AAL_GDP_MAP: &str = "loss_aal_gdp_townships";

/// The township map of AAL / GDP classes: every census cell whose centre lies in a
/// township takes the township's `level_aal_gdp` of the comprehensive risk (0 =
/// outside, unclassified or no row); the legend is the level scheme with the
/// thresholds' ranges in %. `None` when no township is classified.
pub fn aal_gdp_map(base: &crate::map::Basemap, t: &LossTables) -> Option<crate::map::LevelMap> {
    let units = base.townships.iter().filter_map(|town| {
        t.units
            .iter()
            .find(|u| u.is_township() && u.hazard == COMPREHENSIVE && u.unit_code == town.code)
            .and_then(|u| u.level_aal_gdp)
            .map(|code| (&town.area, code))
    });
    let levels = crate::map::units_on_grid(&base.grid, units);
    let any = levels.iter().any(|&v| v != 0);
    if !any {
        return None;
    }
    let mut classes: Vec<crate::map::LegendClass> = t
        .scheme
        .classes()
        .iter()
        .map(|c| crate::map::LegendClass {
            code: c.code,
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            rgb: c.rgb,
            range: None,
        })
        .collect();
    if let Some(b) = t.levels.breaks(Measure::AalGdpShare) {
        crate::run::class_ranges(b, &mut classes);
        for c in &mut classes {
            if let Some(r) = &mut c.range {
                r.push_str(" %");
            }
        }
    }
    Some(crate::map::LevelMap {
        id: AAL_GDP_MAP.to_string(),
        title_zh: "乡镇年均期望损失占GDP比例分级图".into(),
        title_en: "Township AAL as % of GDP, in risk classes".into(),
        levels,
        classes,
        markers: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_errors_name_the_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(EXCEEDANCE_CSV);
        std::fs::write(
            &p,
            "unit_code,unit_name,hazard,event,annual_rate,return_period_years,loss_wan,deaths\n\
             1,\"镇, 东\",flood,10y,0.1,10.0,5.5,\n\
             1,x,flood,20y,abc,20.0,7,0\n",
        )
        .unwrap();
        let e = read_exceedance(&p).unwrap_err().to_string();
        assert!(e.contains(EXCEEDANCE_CSV), "{e}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("annual_rate"), "{e}");
        std::fs::write(
            &p,
            "unit_code,unit_name,hazard,event,annual_rate,return_period_years,loss_wan,deaths\n\
             1,\"镇, 东\",flood,10y,0.1,10.0,5.5,\n",
        )
        .unwrap();
        let rows = read_exceedance(&p).unwrap();
        assert_eq!(rows[0].unit_name, "镇, 东");
        assert_eq!(rows[0].loss_wan, Some(5.5));
        assert_eq!(rows[0].deaths, None);
    }

    #[test]
    fn level_codes_zero_and_empty_are_unclassified() {
        assert_eq!(level_code(None), Ok(None));
        assert_eq!(level_code(Some(0)), Ok(None));
        assert_eq!(level_code(Some(3)), Ok(Some(3)));
        assert!(level_code(Some(300)).is_err());
    }
}
