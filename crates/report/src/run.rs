//! Reading a finished run folder: `manifest.json`, the level grids under `assess/`,
//! the unit tables and townships of `assess/zoning.gpkg`, and the census database
//! `<census>/census.gpkg` (rivers, `_batches`, `_rejects`).
//!
//! Level grids are discovered, not listed: every `assess/<layer>_level.tif` (hazard,
//! risk and comprehensive levels) and `assess/<layer>_prevention.tif` (prevention
//! tiers) is drawn, so a hazard stage added later appears without a change here.

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, HazardInfo, LevelScheme};
use riskcensus_io::gpkg::{DbFeature, GpkgDb};
use riskcensus_io::vector::FieldValue;

use crate::error::ReportError;
use crate::map::LegendClass;

use riskcensus_contracts::census_toml::CensusFile;
use riskcensus_contracts::layout::{self, RunLayout};
pub use riskcensus_contracts::manifest::{CensusEntry, FileEntry, Manifest, ModelEntry};
use riskcensus_contracts::tables::zoning;

/// Kind of a level grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GridKind {
    /// Hazard, risk or comprehensive levels (`<layer>_level.tif`).
    Level,
    /// Prevention tiers (`<layer>_prevention.tif`).
    Prevention,
}

/// A level grid of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelGridFile {
    /// File stem, e.g. `flood_risk_level`; the map is `maps/<id>_<size>.png`.
    pub id: String,
    /// The zoned layer, e.g. `flood_risk`.
    pub layer: String,
    /// Levels or prevention tiers.
    pub kind: GridKind,
    /// The GeoTIFF (u8 codes on the census grid, 0 = nodata/outside).
    pub path: PathBuf,
}

/// Sort key: hazards in census order, then hazard/susceptibility before risk, then
/// prevention.
fn order_key(hazards: &[HazardInfo], g: &LevelGridFile) -> (usize, usize, GridKind, String) {
    let hz = hazard_of(hazards, &g.layer).map_or(hazards.len(), |h| {
        hazards.iter().position(|x| x.id == h.id).unwrap_or(0)
    });
    let part = part_of(hazards, &g.layer);
    let p = match part {
        "hazard" | "susceptibility" => 0,
        "risk" | "" => 1,
        _ => 2,
    };
    (hz, p, g.kind, g.layer.clone())
}

/// The hazard a layer id belongs to, among the run's `hazards` (the manifest's):
/// the one whose id is the layer id or its prefix before `_`, longest first
/// (`geohazard_risk` → geohazard; `comprehensive…`).
pub fn hazard_of<'a>(hazards: &'a [HazardInfo], layer: &str) -> Option<&'a HazardInfo> {
    riskcensus_core::hazard_of_layer(hazards, layer)
}

/// What a layer measures: `flood_risk` → `risk`, `comprehensive` → ``.
pub fn part_of<'a>(hazards: &[HazardInfo], layer: &'a str) -> &'a str {
    match hazard_of(hazards, layer) {
        Some(h) => layer[h.id.len()..].trim_start_matches('_'),
        None => layer,
    }
}

/// Chinese and English titles of a map.
pub fn titles(hazards: &[HazardInfo], layer: &str, kind: GridKind) -> (String, String) {
    let (hz_zh, hz_en) = match hazard_of(hazards, layer) {
        Some(h) => (h.name_zh.clone(), h.name_en.clone()),
        None => (String::new(), String::new()),
    };
    let part = part_of(hazards, layer);
    let (p_zh, p_en) = match part {
        "hazard" => ("危险性", "hazard"),
        "risk" | "" => ("风险", "risk"),
        "susceptibility" => ("易发性", "susceptibility"),
        "vulnerability" => ("脆弱性", "vulnerability"),
        "exposure" => ("暴露度", "exposure"),
        other => (other, other),
    };
    let (p_zh, p_en) = if hz_zh.is_empty() {
        (layer.to_string(), layer.to_string())
    } else if matches!(
        part,
        "hazard" | "risk" | "" | "susceptibility" | "vulnerability" | "exposure"
    ) {
        (p_zh.to_string(), p_en.to_string())
    } else {
        // Unknown part (e.g. `comprehensive_max`): keep the id visible.
        (format!("风险 ({p_zh})"), format!("risk ({p_en})"))
    };
    match kind {
        GridKind::Level => (
            format!("{hz_zh}{p_zh}等级图"),
            format!("{hz_en} {p_en} levels").trim().to_string(),
        ),
        GridKind::Prevention => (
            format!("{hz_zh}{p_zh}防治区划图"),
            format!("{hz_en} {p_en} prevention zoning")
                .trim()
                .to_string(),
        ),
    }
}

/// An open run folder.
#[derive(Debug, Clone)]
pub struct Run {
    /// The run folder.
    pub dir: PathBuf,
    /// Its layout (folder and file names).
    pub layout: RunLayout,
    /// Its `manifest.json`.
    pub manifest: Manifest,
    /// The census folder the manifest names.
    pub census_dir: PathBuf,
    /// The census's `census.toml`, when it can still be read.
    pub census: Option<CensusFile>,
    /// The level and prevention grids of the run, in map order.
    pub grids: Vec<LevelGridFile>,
}

fn need(path: &Path, what: &str) -> Result<(), ReportError> {
    if path.exists() {
        Ok(())
    } else {
        Err(ReportError::Missing {
            path: path.to_path_buf(),
            what: what.to_string(),
        })
    }
}

impl Run {
    /// Open `dir`: parse the manifest and discover the level grids.
    pub fn open(dir: &Path) -> Result<Self, ReportError> {
        need(dir, "run folder")?;
        let layout = RunLayout::new(dir);
        let mpath = layout.manifest();
        need(&mpath, "manifest.json written at the end of a run")?;
        let text = std::fs::read_to_string(&mpath).map_err(ReportError::fs(&mpath))?;
        let manifest = Manifest::from_json(&text)
            .map_err(|e| ReportError::invalid(&mpath, format!("not a run manifest: {e}")))?;
        let census_dir = dir.join(&manifest.census.dir);
        let census_toml = census_dir.join(layout::CENSUS_FILE);
        let census = std::fs::read_to_string(&census_toml)
            .ok()
            .and_then(|t| CensusFile::parse(&t, &census_toml).ok());
        let assess = layout.assess();
        need(&assess, "assess/ folder of level grids")?;
        let mut grids = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(&assess)
            .map_err(ReportError::fs(&assess))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        names.sort();
        for p in names {
            let Some(stem) = p
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".tif"))
            else {
                continue;
            };
            if stem.starts_with('.') {
                continue;
            }
            let (layer, kind) = if let Some(l) = stem.strip_suffix("_level") {
                (l, GridKind::Level)
            } else if let Some(l) = stem.strip_suffix("_prevention") {
                (l, GridKind::Prevention)
            } else {
                continue;
            };
            grids.push(LevelGridFile {
                id: stem.to_string(),
                layer: layer.to_string(),
                kind,
                path: p.clone(),
            });
        }
        if grids.is_empty() {
            return Err(ReportError::Missing {
                path: assess.join("*_level.tif"),
                what: "no level grid in the run".into(),
            });
        }
        grids.sort_by_key(|g| order_key(&manifest.hazards, g));
        Ok(Self {
            dir: dir.to_path_buf(),
            layout,
            manifest,
            census_dir,
            census,
            grids,
        })
    }

    /// The census grid recorded in the manifest; every level grid must lie on it.
    pub fn grid(&self) -> &GridSpec {
        &self.manifest.census.grid
    }

    /// The run's zoning GeoPackage.
    pub fn zoning_gpkg(&self) -> PathBuf {
        self.layout.zoning_gpkg()
    }

    /// The census database of the run's census.
    pub fn census_gpkg(&self) -> PathBuf {
        self.census_dir.join(layout::CENSUS_DB)
    }

    /// The manifest's model entry whose output is `layer`.
    pub fn model_for(&self, layer: &str) -> Option<&ModelEntry> {
        self.manifest.model_for(layer)
    }
}

/// Open a GeoPackage read-only, naming it as missing if absent.
pub fn open_gpkg(path: &Path, what: &str) -> Result<GpkgDb, ReportError> {
    need(path, what)?;
    Ok(GpkgDb::open_read(path)?)
}

/// All rows of `table`, or an error naming the file and table.
pub fn rows(db: &GpkgDb, table: &str, what: &str) -> Result<Vec<DbFeature>, ReportError> {
    if !db.has_table(table) {
        return Err(ReportError::MissingTable {
            path: db.path().to_path_buf(),
            table: table.to_string(),
            what: what.to_string(),
        });
    }
    Ok(db.query(table, None, None)?)
}

/// Typed field access naming file, table, fid and field on error.
pub struct Fields<'a> {
    /// The GeoPackage the row was read from.
    pub path: &'a Path,
    /// The table of the row.
    pub table: &'a str,
    /// The row.
    pub f: &'a DbFeature,
}

impl Fields<'_> {
    fn bad(&self, field: &str, msg: &str) -> ReportError {
        ReportError::invalid(
            self.path,
            format!(
                "table {}: fid {}: field {field}: {msg}",
                self.table, self.f.fid
            ),
        )
    }

    fn value(&self, field: &str) -> Result<&FieldValue, ReportError> {
        self.f
            .get(field)
            .ok_or_else(|| self.bad(field, "no such column"))
    }

    /// The value as text (null → empty; numbers and dates formatted); an error
    /// when the column does not exist.
    pub fn text(&self, field: &str) -> Result<String, ReportError> {
        Ok(match self.value(field)? {
            FieldValue::Null => String::new(),
            FieldValue::String(s) => s.clone(),
            FieldValue::Integer(v) => v.to_string(),
            FieldValue::Integer64(v) => v.to_string(),
            FieldValue::Real(v) => v.to_string(),
            FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
        })
    }

    /// As [`Fields::text`], with null → `None`.
    pub fn opt_text(&self, field: &str) -> Result<Option<String>, ReportError> {
        Ok(match self.value(field)? {
            FieldValue::Null => None,
            _ => Some(self.text(field)?),
        })
    }

    /// The value as a number (integers converted, text parsed), null → `None`; an
    /// error for a missing column, a date or text that is not a number.
    pub fn opt_f64(&self, field: &str) -> Result<Option<f64>, ReportError> {
        match self.value(field)? {
            FieldValue::Null => Ok(None),
            FieldValue::Real(v) => Ok(Some(*v)),
            FieldValue::Integer(v) => Ok(Some(*v as f64)),
            FieldValue::Integer64(v) => Ok(Some(*v as f64)),
            FieldValue::String(s) => s
                .parse()
                .map(Some)
                .map_err(|_| self.bad(field, &format!("{s:?} is not a number"))),
            FieldValue::Date { .. } => Err(self.bad(field, "a date, not a number")),
        }
    }

    /// As [`Fields::opt_f64`], with null an error.
    pub fn f64(&self, field: &str) -> Result<f64, ReportError> {
        self.opt_f64(field)?.ok_or_else(|| self.bad(field, "empty"))
    }

    /// The value as an integer (a real without fraction accepted, text parsed), null
    /// → `None`; an error for a missing column or any other value.
    pub fn opt_i64(&self, field: &str) -> Result<Option<i64>, ReportError> {
        match self.value(field)? {
            FieldValue::Null => Ok(None),
            FieldValue::Integer(v) => Ok(Some(*v as i64)),
            FieldValue::Integer64(v) => Ok(Some(*v)),
            FieldValue::Real(v) if v.fract() == 0.0 => Ok(Some(*v as i64)),
            FieldValue::String(s) => s
                .parse()
                .map(Some)
                .map_err(|_| self.bad(field, &format!("{s:?} is not an integer"))),
            _ => Err(self.bad(field, "not an integer")),
        }
    }

    /// As [`Fields::opt_i64`], with null an error.
    pub fn i64(&self, field: &str) -> Result<i64, ReportError> {
        self.opt_i64(field)?.ok_or_else(|| self.bad(field, "empty"))
    }

    /// A number that is `None` when null or not finite (the engine writes NaN as
    /// null; a NaN read back means the same: not computed).
    pub fn finite(&self, field: &str) -> Result<Option<f64>, ReportError> {
        Ok(self.opt_f64(field)?.filter(|v| v.is_finite()))
    }

    /// A level code: null or 0 → `None` (nodata, not classified), 1–254 → the
    /// code; anything else is an error.
    pub fn opt_level(&self, field: &str) -> Result<Option<u8>, ReportError> {
        match self.opt_i64(field)? {
            None | Some(0) => Ok(None),
            Some(v) if (1..=254).contains(&v) => Ok(Some(v as u8)),
            Some(v) => Err(self.bad(field, &format!("{v} is not a level code"))),
        }
    }

    /// A 0/1 flag: null or 0 → false, 1 → true; anything else is an error.
    pub fn flag(&self, field: &str) -> Result<bool, ReportError> {
        match self.opt_i64(field)? {
            None | Some(0) => Ok(false),
            Some(1) => Ok(true),
            Some(v) => Err(self.bad(field, &format!("{v} is not a flag (0 or 1)"))),
        }
    }
}

/// One row of `unit_summary`: one township and one zoned layer.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSummary {
    /// Township admin code.
    pub unit_code: String,
    /// Township name.
    pub unit_name: String,
    /// The zoned layer, e.g. `flood_risk`.
    pub layer: String,
    /// Area of the township polygon, km².
    pub area_km2: f64,
    /// Area-weighted mean of the layer's score over the township's valid cells;
    /// `None` when no cell is valid (or the layer has no score grid).
    pub score_mean: Option<f64>,
    /// Maximum score over the township's valid cells; `None` as for `score_mean`.
    pub score_max: Option<f64>,
    /// The township's level (highest level whose cumulative area share reaches
    /// 20 %; 0 when nothing is classified).
    pub unit_level: Option<i64>,
    /// The rule `unit_level` follows, in words.
    pub unit_level_rule: Option<String>,
    /// Prevention tier (1 = 重点, 2 = 次重点, 3 = 一般); `None` for layers other
    /// than risk grids, which are not placed.
    pub prevention_tier: Option<i64>,
    /// Chinese name of the prevention tier.
    pub prevention_name: Option<String>,
    /// The rule of the prevention rule table that placed the township.
    pub prevention_rule: Option<String>,
    /// The indicator values the rule matched, so the placement can be explained.
    pub prevention_trace: Option<String>,
}

/// One row of `unit_levels`: one township, one zoned layer, one level.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitLevel {
    /// Township admin code.
    pub unit_code: String,
    /// Township name.
    pub unit_name: String,
    /// The zoned layer, e.g. `flood_risk`.
    pub layer: String,
    /// Level code (1 = the highest class).
    pub level: i64,
    /// Chinese name of the level (e.g. `高风险`).
    pub level_zh: String,
    /// Area of the township at this level, km² (cells weighted by the fraction the
    /// township covers).
    pub area_km2: f64,
    /// Share of the township's classified area at this level, 0–1.
    pub share: f64,
    /// Population on this level's cells, persons (0 when the column is empty).
    pub population: f64,
    /// Buildings on this level's cells (0 when empty).
    pub buildings: f64,
    /// Replacement value of those buildings, 万元 (10⁴ CNY; 0 when empty).
    pub value_wan: f64,
    /// Geological hidden-danger points on this level's cells (0 when empty).
    pub hidden_dangers: f64,
}

/// The unit tables of `zoning.gpkg`, in file order.
#[derive(Debug, Clone, Default)]
pub struct UnitTables {
    /// Rows of `unit_summary`.
    pub summary: Vec<UnitSummary>,
    /// Rows of `unit_levels`.
    pub levels: Vec<UnitLevel>,
}

/// Read `unit_summary` and `unit_levels` from the run's `zoning.gpkg`; an error
/// names a missing table, column or unreadable value.
pub fn read_unit_tables(db: &GpkgDb) -> Result<UnitTables, ReportError> {
    let path = db.path().to_path_buf();
    let mut out = UnitTables::default();
    for f in rows(
        db,
        zoning::UNIT_SUMMARY,
        "per-township summary of each zoned layer",
    )? {
        let r = Fields {
            path: &path,
            table: zoning::UNIT_SUMMARY,
            f: &f,
        };
        out.summary.push(UnitSummary {
            unit_code: r.text("unit_code")?,
            unit_name: r.text("unit_name")?,
            layer: r.text("layer")?,
            area_km2: r.f64("area_km2")?,
            score_mean: r.opt_f64("score_mean")?,
            score_max: r.opt_f64("score_max")?,
            unit_level: r.opt_i64("unit_level")?,
            unit_level_rule: r.opt_text("unit_level_rule")?,
            prevention_tier: r.opt_i64("prevention_tier")?,
            prevention_name: r.opt_text("prevention_name")?,
            prevention_rule: r.opt_text("prevention_rule")?,
            prevention_trace: r.opt_text("prevention_trace")?,
        });
    }
    for f in rows(
        db,
        zoning::UNIT_LEVELS,
        "per-township area and exposure by level",
    )? {
        let r = Fields {
            path: &path,
            table: zoning::UNIT_LEVELS,
            f: &f,
        };
        out.levels.push(UnitLevel {
            unit_code: r.text("unit_code")?,
            unit_name: r.text("unit_name")?,
            layer: r.text("layer")?,
            level: r.i64("level")?,
            level_zh: r.text("level_zh")?,
            area_km2: r.f64("area_km2")?,
            share: r.f64("share")?,
            population: r.opt_f64("population")?.unwrap_or(0.0),
            buildings: r.opt_f64("buildings")?.unwrap_or(0.0),
            value_wan: r.opt_f64("value_wan")?.unwrap_or(0.0),
            hidden_dangers: r.opt_f64("hidden_dangers")?.unwrap_or(0.0),
        });
    }
    Ok(out)
}

/// The legend of a level grid: class names from its `CLASS_<code>` band metadata
/// (`<zh> <en>`, written from the level scheme of the model that classified it),
/// colours from its colour table; a grid without them gets the neutral
/// [`LevelScheme::generic`] legend (`1级 level 1` …), never a hazard or risk name.
pub fn legend_of(reader: &riskcensus_io::RasterReader) -> Vec<LegendClass> {
    let names = reader.class_names();
    let table = reader.color_table_rgba();
    let count = match (names.len(), table.len()) {
        (n, _) if n > 1 => n - 1,
        (_, t) if t > 2 => t - 1,
        _ => 5,
    };
    let scheme = LevelScheme::generic(count);
    (1..=count as u8)
        .map(|code| {
            let fallback = scheme.class(code);
            let (zh, en) = match names.get(code as usize) {
                Some(n) => match n.split_once(' ') {
                    Some((zh, en)) => (zh.to_string(), en.to_string()),
                    None => (n.clone(), String::new()),
                },
                None => (
                    fallback.map_or(code.to_string(), |c| c.name_zh.to_string()),
                    fallback.map_or(String::new(), |c| c.name_en.to_string()),
                ),
            };
            let rgb = match table.get(code as usize) {
                Some([r, g, b, _]) => [*r as u8, *g as u8, *b as u8],
                None => fallback.map_or([128, 128, 128], |c| c.rgb),
            };
            LegendClass {
                code,
                name_zh: zh,
                name_en: en,
                rgb,
                range: None,
            }
        })
        .collect()
}

/// Score ranges of the classes from ascending class breaks, level 1 being the top
/// class and a value equal to a break staying in the lower class. `breaks` holds
/// either the K − 1 inner breaks (as the manifest records fixed breaks) or K upper
/// bounds (the last = the maximum). With i = K − L for level L: i = 0 → `≤ b₀`;
/// 0 < i < n → `b_{i−1}–b_i`; i = n (inner breaks only) → `> b_{n−1}`.
pub fn class_ranges(breaks: &[f64], classes: &mut [LegendClass]) {
    let k = classes.len();
    let n = breaks.len();
    if n == 0 || !(n == k || n + 1 == k) {
        return;
    }
    for cl in classes.iter_mut() {
        let l = cl.code as usize;
        if l == 0 || l > k {
            continue;
        }
        let i = k - l;
        cl.range = Some(if i == 0 {
            format!("≤ {}", fmt_break(breaks[0]))
        } else if i < n {
            format!("{}–{}", fmt_break(breaks[i - 1]), fmt_break(breaks[i]))
        } else {
            format!("> {}", fmt_break(breaks[n - 1]))
        });
    }
}

/// A class break to 4 significant digits.
pub fn fmt_break(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let digits = (3 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_ids_map_to_hazards_and_titles() {
        let h = |id: &str, zh: &str, en: &str, order| HazardInfo {
            id: id.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            order,
            combined: false,
        };
        let hz = [
            h("flood", "洪涝", "Flood", 2),
            h("geohazard", "地质灾害", "Geohazard", 6),
            h("geo", "地", "Geo", 7),
            h("comprehensive", "综合", "Comprehensive", 100),
        ];
        assert_eq!(hazard_of(&hz, "geohazard_risk").unwrap().id, "geohazard");
        assert_eq!(hazard_of(&hz, "geo_risk").unwrap().id, "geo");
        assert_eq!(hazard_of(&hz, "flood_hazard").unwrap().id, "flood");
        assert_eq!(hazard_of(&hz, "comprehensive").unwrap().id, "comprehensive");
        assert!(hazard_of(&hz, "exposure").is_none());
        assert_eq!(part_of(&hz, "flood_risk"), "risk");
        assert_eq!(
            titles(&hz, "flood_risk", GridKind::Level).0,
            "洪涝风险等级图"
        );
        assert_eq!(
            titles(&hz, "flood_risk", GridKind::Prevention),
            (
                "洪涝风险防治区划图".into(),
                "Flood risk prevention zoning".into()
            )
        );
        assert_eq!(
            titles(&hz, "comprehensive", GridKind::Level).0,
            "综合风险等级图"
        );
        assert_eq!(
            titles(&hz, "geohazard_susceptibility", GridKind::Level).0,
            "地质灾害易发性等级图"
        );
        // A layer of no declared hazard keeps its id.
        assert_eq!(
            titles(&[], "flood_risk", GridKind::Level).0,
            "flood_risk等级图"
        );
    }

    #[test]
    fn class_ranges_follow_upper_bounds_with_level_one_on_top() {
        let mut cl: Vec<LegendClass> = (1..=3)
            .map(|code| LegendClass {
                code,
                name_zh: String::new(),
                name_en: String::new(),
                rgb: [0; 3],
                range: None,
            })
            .collect();
        // K upper bounds.
        class_ranges(&[0.2, 0.5, 0.9], &mut cl);
        assert_eq!(cl[2].range.as_deref(), Some("≤ 0.2000"));
        assert_eq!(cl[1].range.as_deref(), Some("0.2000–0.5000"));
        assert_eq!(cl[0].range.as_deref(), Some("0.5000–0.9000"));
        // K − 1 inner breaks (the manifest's fixed breaks).
        class_ranges(&[0.2, 0.5], &mut cl);
        assert_eq!(cl[2].range.as_deref(), Some("≤ 0.2000"));
        assert_eq!(cl[1].range.as_deref(), Some("0.2000–0.5000"));
        assert_eq!(cl[0].range.as_deref(), Some("> 0.5000"));
        assert_eq!(fmt_break(123.456), "123.5");
    }
}
