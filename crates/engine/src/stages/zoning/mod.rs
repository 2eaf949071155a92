//! The zoning stage of a run: from the level grids of the assessed models to what
//! planners use — mappable zones, township statistics, prevention zoning and the
//! `zoning.gpkg` that opens styled in QGIS.
//!
//! For every level grid of the run (a `<layer>_level` of the stack: u8, 0 = nodata,
//! its scheme read from the grid's class names):
//! 1. **Township statistics** ([`units`], computed by [`riskcensus_zoning::units`]): exact-coverage area shares, score
//!    mean/max, population, buildings, value and hidden dangers per level, and the
//!    unit's level.
//! 2. **Zones** ([`zones`]): the grid is cleaned — optionally one pass of the 8-neighbour
//!    majority filter ([`ZoningOptions::majority_filter`], `[zoning]` of
//!    `census.toml`), then the sieve to the minimum mapping unit within townships
//!    (4-connected regions of one level in one township smaller than
//!    [`ZoningOptions::mmu_m2`] merge into their largest neighbour of the same
//!    township; each cell belongs to the township covering most of it) and
//!    polygonized with GDAL: one feature per region of one level in one township,
//!    with its level, names, township code and area (m², planar area in the census
//!    CRS), every one at least the minimum mapping unit.
//! 3. **Prevention zoning** ([`prevention`], rules in [`riskcensus_zoning::prevention`])
//!    for risk grids (schemes with five levels, and the geohazard risk): per cell by
//!    the cell rules of `models/zoning/prevention.toml` from the
//!    cell's level, `exposure` and `capacity` (`<layer>_prevention.tif`, u8, prevention
//!    scheme), and per township by the unit rules, with the trace.
//!
//! Villages: when the census has village polygons (村界, `admin_units` of level
//! `village`), steps 1 and 3 run per village too, into the tables `village_levels`
//! and `village_summary` (the township tables' columns plus `township_code`,
//! `township_name`; docs/zoning.md says why separate tables) and the layer
//! `villages`. A village whose township code is no mapped township keeps its rows,
//! flagged; point-only villages are listed in the report.
//!
//! 4. **Earthquake hidden-danger grades** per township (when the run has the
//!    earthquake stage): buildings graded 重点 / 一般 / 轻微 (`unit_seismic_grades`).
//!
//! Outputs in the run folder: `zoning.gpkg` (layers `townships`, `villages`,
//! `zones_<layer>`, tables `unit_levels`, `unit_summary`, `village_levels`,
//! `village_summary`, `unit_seismic_grades`, and QGIS styles in `layer_styles`),
//! `unit_summary.csv/.json`, `unit_levels.csv`, `village_summary.csv/.json`,
//! `village_levels.csv`, `unit_seismic_grades.csv` ([`gpkg`], [`tables`], styles in
//! [`styles`]). The GeoPackage is written with a fixed timestamp, so the same inputs
//! give the same bytes.
//!
//! This folder reads the layer stack and the census database and writes; the
//! statistics and the rules are the zoning crate's ([`riskcensus_zoning`]).

pub mod gpkg;
pub mod indicators;
pub mod prevention;
pub mod styles;
pub mod tables;
pub mod units;
pub mod zones;

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::{GridSpec, LevelScheme, Measure};
use riskcensus_io::RasterReader;
use riskcensus_models::Vocabulary;
use riskcensus_zoning::prevention::place_units;
use riskcensus_zoning::units::{cell_owner, mean_per_unit, unit_stats, LevelInput, Records, Unit};
use riskcensus_zoning::UnitCounts;
use serde::Serialize;

use crate::config::CensusConfig;
use crate::deliverable::Deliverable;
use crate::error::EngineError;
use crate::ingest::Census;
use crate::stack::LayerStack;
use prevention::{CellTiers, PreventionSet};
use tables::{CountTable, UnitTables};
use units::{AdminLevel, PointRecords};
use zones::{ZoneLayer, Zoner};

pub use crate::config::ZoningOptions;
pub use crate::output::FIXED_TIMESTAMP;
pub use prevention::load_rules;
pub use riskcensus_zoning::prevention::UnitSummary;
pub use styles::level_qml;
pub use tables::{VillageSummary, NO_TOWNSHIP};

/// One zoned level grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonedLayer {
    /// The level grid's layer id (without `_level`).
    pub layer: String,
    /// Its level scheme's id.
    pub scheme: String,
    /// Its class breaks, as its `RISKCENSUS_CLASS_BREAKS` tag gives them.
    pub breaks: Option<String>,
    /// Zones (features of `zones_<layer>`), each at least the minimum mapping unit.
    pub zones: usize,
    /// Regions below the minimum mapping unit left out of the zones (no region of
    /// their township touches them).
    pub below_mmu: usize,
    /// The per-cell prevention grid (risk grids only).
    pub prevention: Option<PathBuf>,
}

/// What the zoning stage wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ZoningReport {
    /// The zoned level grids, by layer id.
    pub layers: Vec<ZonedLayer>,
    /// Townships with a boundary polygon.
    pub units: usize,
    /// `zoning.gpkg`, when the census has a database.
    pub gpkg: Option<PathBuf>,
    /// Every file written, in writing order.
    pub files: Vec<PathBuf>,
    /// The `[zoning]` options of the census used.
    pub options: ZoningOptions,
    /// The minimum mapping unit, cells.
    pub mmu_cells: usize,
    /// Villages with a boundary polygon (each has rows in the village tables).
    pub villages: usize,
    /// Village units loaded as seats only (points): no village statistics for them.
    pub villages_without_polygon: Vec<String>,
    /// Villages whose township code is no mapped township (kept, flagged in the
    /// tables' `township_name`).
    pub villages_outside_townships: Vec<String>,
    /// Buildings and hidden-danger points in a mapped township whose `village_code`
    /// is no village polygon (when the census has village polygons): they count in
    /// their township's rows but in no village's.
    pub buildings_without_village: usize,
    /// Hidden-danger points in a mapped township without a village polygon (as
    /// above).
    pub hidden_dangers_without_village: usize,
}

/// The level scheme of a level grid: the id its legend carries (band metadata
/// `LEVEL_SCHEME`), resolved in the library's vocabulary; `None` for a grid without
/// one, an error naming the grid for an id no `levels.toml` declares.
fn scheme_of(
    r: &RasterReader,
    path: &Path,
    vocabulary: &Vocabulary,
) -> Result<Option<LevelScheme>, EngineError> {
    let Some(id) = r.level_scheme_id() else {
        return Ok(None);
    };
    match vocabulary.scheme(&id) {
        Some(s) => Ok(Some(s.clone())),
        None => Err(EngineError::UnknownScheme {
            path: path.to_path_buf(),
            scheme: id,
        }),
    }
}

/// Run the zoning stage over the level grids of `stack` with the prevention `rules`,
/// writing into `out`; each of `counts` (records per class per township that
/// earlier stages published, e.g. the earthquake stage's buildings per
/// hidden-danger grade) becomes a table of every township; `unit_risk` (the
/// comprehensive stage's rows, empty for none) sets the level of a township or
/// village for the loss-route risk grids.
pub fn zoning(
    census: &CensusConfig,
    stack: &LayerStack,
    rules: &PreventionSet,
    published: &Published<'_>,
    out: &Path,
) -> Result<ZoningReport, EngineError> {
    zoning_with(census, stack, rules, published, Vocabulary::shipped(), out)
}

/// What earlier stages published for the zoning GeoPackage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Published<'a> {
    /// Records per class per township (e.g. buildings per hidden-danger grade).
    pub counts: &'a [&'a UnitCounts],
    /// The comprehensive stage's loss-route rows (empty for none).
    pub unit_risk: &'a [crate::loss::UnitRisk],
    /// Tables other stages deliver as layers (the capacity gaps).
    pub extra: &'a [&'a Deliverable],
}

/// [`zoning`] with the level schemes of a census's own library (the stage's way);
/// the `unit_risk` rows also go into `zoning.gpkg` as the table `unit_risk`.
pub fn zoning_with(
    census: &CensusConfig,
    stack: &LayerStack,
    rules: &PreventionSet,
    published: &Published<'_>,
    vocabulary: &Vocabulary,
    out: &Path,
) -> Result<ZoningReport, EngineError> {
    let Published {
        counts,
        unit_risk,
        extra,
    } = *published;
    let grid = &census.grid;
    let prevention = vocabulary
        .scheme(rules.general.scheme())
        .ok_or_else(|| EngineError::UnknownScheme {
            path: std::path::Path::new("models").join(riskcensus_zoning::prevention::PATH),
            scheme: rules.general.scheme().to_string(),
        })?
        .clone();
    let mut report = ZoningReport {
        mmu_cells: (census.zoning.mmu_m2 / grid.cell_area()).ceil().max(1.0) as usize,
        options: census.zoning.clone(),
        ..Default::default()
    };
    if !census.dir.join("census.gpkg").exists() {
        return Ok(report);
    }
    let db = Census::open(&census.dir)?;
    let admin = Admin::load(&db, grid, &mut report)?;
    let cells = CellInputs::read(stack, grid)?;
    let owner = cell_owner(&admin.townships, (grid.rows, grid.cols));
    let layers = LevelLayers {
        grid,
        stack,
        rules,
        admin: &admin,
        population: cells.population.as_ref(),
        vocabulary,
        prevention: &prevention,
        db: &db,
        counts,
        tiers: CellTiers {
            scheme: &prevention,
            exposure: cells.exposure.as_ref(),
            capacity: cells.capacity.as_ref(),
        },
        // Area-weighted mean capacity per unit (the same for every risk grid).
        capacity_mean: mean_per_unit(&admin.townships, cells.capacity.as_ref()),
        v_capacity_mean: mean_per_unit(&admin.villages, cells.capacity.as_ref()),
        zoner: Zoner {
            grid,
            opts: &census.zoning,
            mmu_cells: report.mmu_cells,
            townships: &admin.townships,
            owner: &owner,
        },
        out,
        unit_risk,
    };
    let mut zoned = Zoned::default();
    // The comprehensive grids last: their indicator counts the hazards at level
    // I–II on the single-hazard risk grids. The outputs keep the layer order.
    let (comprehensive, single): (Vec<_>, Vec<_>) = level_layers(stack)
        .into_iter()
        .partition(|(l, _)| l.starts_with(crate::stages::comprehensive::ID));
    for (layer, path) in single.into_iter().chain(comprehensive) {
        layers.zone(&layer, &path, &mut zoned, &mut report)?;
    }
    zoned
        .summaries
        .sort_by(|a, b| a.stats.layer.cmp(&b.stats.layer));
    zoned
        .v_summaries
        .sort_by(|a, b| a.stats.layer.cmp(&b.stats.layer));
    zoned.zones.sort_by(|a, b| a.name.cmp(&b.name));
    report.layers.sort_by(|a, b| a.layer.cmp(&b.layer));
    let extra: Vec<(&Deliverable, Option<String>)> = extra
        .iter()
        .map(|d| (*d, styles::deliverable_qml(d, vocabulary)))
        .collect();
    write_outputs(
        grid,
        &admin,
        counts,
        unit_risk,
        &extra,
        zoned,
        out,
        &mut report,
    )?;
    Ok(report)
}

/// The level grids of the stack (`<layer>_level`, unit `level`): (layer, path),
/// sorted by layer.
fn level_layers(stack: &LayerStack) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = stack
        .layers
        .iter()
        .filter(|(id, l)| id.ends_with("_level") && l.unit == "level")
        .map(|(id, l)| (id.trim_end_matches("_level").to_string(), l.path.clone()))
        .collect();
    v.sort();
    v
}

/// The admin units and point records of the census database.
struct Admin {
    townships: Vec<Unit>,
    villages: Vec<Unit>,
    buildings: Records,
    v_buildings: Records,
    /// The buildings with their township, village and cell (the hazards'
    /// prevention indicators count them too).
    building_points: PointRecords,
    dangers: Records,
    v_dangers: Records,
}

impl Admin {
    /// Read the townships, villages, buildings and hidden-danger points, noting in
    /// `report` what does not fit the units.
    fn load(db: &Census, grid: &GridSpec, report: &mut ZoningReport) -> Result<Self, EngineError> {
        let townships = units::units(db, grid, AdminLevel::Township)?.units;
        let v = units::units(db, grid, AdminLevel::Village)?;
        let villages = v.units;
        report.units = townships.len();
        report.villages = villages.len();
        report.villages_without_polygon = v.without_polygon;
        report.villages_outside_townships = villages
            .iter()
            .filter(|v| {
                townships
                    .binary_search_by(|t| t.code.cmp(&v.parent))
                    .is_err()
            })
            .map(|v| v.code.clone())
            .collect();
        let buildings = PointRecords::load(db, grid, "buildings", Some("value_wan"))?;
        let dangers = PointRecords::load(db, grid, "hidden_dangers", None)?;
        if !villages.is_empty() {
            let t: Vec<&str> = townships.iter().map(|u| u.code.as_str()).collect();
            let v: Vec<&str> = villages.iter().map(|u| u.code.as_str()).collect();
            report.buildings_without_village = buildings.in_township_without_village(&t, &v);
            report.hidden_dangers_without_village = dangers.in_township_without_village(&t, &v);
        }
        Ok(Admin {
            townships,
            villages,
            buildings: buildings.by(AdminLevel::Township),
            v_buildings: buildings.by(AdminLevel::Village),
            building_points: buildings,
            dangers: dangers.by(AdminLevel::Township),
            v_dangers: dangers.by(AdminLevel::Village),
        })
    }
}

/// The grids of the stack the stage reads besides the level grids (each `None`
/// when the stack lacks it).
struct CellInputs {
    population: Option<Array2<f32>>,
    exposure: Option<Array2<f32>>,
    capacity: Option<Array2<f32>>,
}

impl CellInputs {
    fn read(stack: &LayerStack, grid: &GridSpec) -> Result<Self, EngineError> {
        Ok(Self {
            population: read_f32(stack, grid, "population")?,
            exposure: read_f32(stack, grid, "exposure")?,
            capacity: read_f32(stack, grid, "capacity")?,
        })
    }
}

/// The whole grid of the stack's layer `id`, if the stack has it.
fn read_f32(
    stack: &LayerStack,
    grid: &GridSpec,
    id: &str,
) -> Result<Option<Array2<f32>>, EngineError> {
    match stack.get(id) {
        Some(l) => Ok(Some(
            RasterReader::open(&l.path, 1)?.read_f32(grid.full_window())?,
        )),
        None => Ok(None),
    }
}

/// What the level grids give, gathered over the layers.
#[derive(Default)]
struct Zoned {
    /// Township summaries, layer by layer, townships in code order.
    summaries: Vec<UnitSummary>,
    /// Village summaries, likewise.
    v_summaries: Vec<UnitSummary>,
    /// The zones of each level grid.
    zones: Vec<ZoneLayer>,
    /// The level schemes of the grids, by id.
    schemes: std::collections::BTreeMap<String, LevelScheme>,
    /// Each single-hazard risk grid's unit levels (code → level, townships and
    /// villages), for the comprehensive indicator `hazards_top2`.
    hazard_levels: Vec<std::collections::BTreeMap<String, u8>>,
}

/// Zoning one level grid after another.
struct LevelLayers<'a> {
    grid: &'a GridSpec,
    stack: &'a LayerStack,
    rules: &'a PreventionSet,
    db: &'a Census,
    counts: &'a [&'a UnitCounts],
    vocabulary: &'a Vocabulary,
    prevention: &'a LevelScheme,
    admin: &'a Admin,
    population: Option<&'a Array2<f32>>,
    tiers: CellTiers<'a>,
    capacity_mean: Vec<f64>,
    v_capacity_mean: Vec<f64>,
    zoner: Zoner<'a>,
    out: &'a Path,
    unit_risk: &'a [crate::loss::UnitRisk],
}

impl LevelLayers<'_> {
    /// Unit statistics, zones and (for a risk grid) prevention zoning of the level
    /// grid `layer` at `path`; a grid of no known scheme is passed over.
    fn zone(
        &self,
        layer: &str,
        path: &Path,
        zoned: &mut Zoned,
        report: &mut ZoningReport,
    ) -> Result<(), EngineError> {
        let reader = RasterReader::open(path, 1)?;
        let Some(scheme) = scheme_of(&reader, path, self.vocabulary)? else {
            return Ok(());
        };
        let breaks = reader.metadata("RISKCENSUS_CLASS_BREAKS");
        let levels = reader.read_u8(self.grid.full_window())?;
        let score = read_f32(self.stack, self.grid, layer)?;
        let input = LevelInput {
            layer,
            scheme: scheme.clone(),
            levels: &levels,
            score: score.as_ref(),
        };
        let a = self.admin;
        let mut stats = unit_stats(
            self.grid,
            &a.townships,
            &input,
            self.population,
            &a.buildings,
            &a.dangers,
        );
        loss_route_levels(&mut stats, layer, "township", self.unit_risk);
        let mut v_stats = unit_stats(
            self.grid,
            &a.villages,
            &input,
            self.population,
            &a.v_buildings,
            &a.v_dangers,
        );
        loss_route_levels(&mut v_stats, layer, "village", self.unit_risk);
        let zones = self.zoner.zones(layer, &scheme, &levels)?;
        zoned
            .schemes
            .entry(scheme.id.clone())
            .or_insert_with(|| scheme.clone());
        let (zone_count, below_mmu) = (zones.zones.len(), zones.below_mmu);
        zoned.zones.push(zones);
        // Prevention zoning is drawn from risk, never from a hazard grid, by the
        // rules of the grid's hazard with that hazard's own indicators.
        let risky = scheme.measures == Measure::Risk;
        let rules = self.rules.for_layer(layer);
        let (prevention, values) = if risky {
            let p = self
                .tiers
                .write(rules, self.out, self.grid, layer, &levels)?;
            report.files.push(p.clone());
            (Some(p), self.indicators(layer, zoned)?)
        } else {
            (None, Default::default())
        };
        if risky && !layer.starts_with(crate::stages::comprehensive::ID) {
            zoned.hazard_levels.push(
                stats
                    .iter()
                    .chain(&v_stats)
                    .map(|s| (s.unit_code.clone(), s.unit_level))
                    .collect(),
            );
        }
        zoned.summaries.extend(place_units(
            stats,
            &self.capacity_mean,
            &values,
            rules,
            self.prevention,
            risky,
        ));
        zoned.v_summaries.extend(place_units(
            v_stats,
            &self.v_capacity_mean,
            &values,
            rules,
            self.prevention,
            risky,
        ));
        report.layers.push(ZonedLayer {
            layer: layer.to_string(),
            scheme: scheme.id().to_string(),
            breaks,
            zones: zone_count,
            below_mmu,
            prevention,
        });
        Ok(())
    }
}

impl LevelLayers<'_> {
    /// The hazard indicators of the risk grid `layer`'s units (townships and
    /// villages, by code): the hazard's own ([`indicators::hazard_indicators`]), or
    /// for the comprehensive risk the hazards at level I–II of the single-hazard
    /// risk grids zoned before it.
    fn indicators(
        &self,
        layer: &str,
        zoned: &Zoned,
    ) -> Result<riskcensus_zoning::prevention::UnitValues, EngineError> {
        let units: Vec<&Unit> = self
            .admin
            .townships
            .iter()
            .chain(&self.admin.villages)
            .collect();
        let Some(hazard) = PreventionSet::hazard_of(layer) else {
            return Ok(Default::default());
        };
        if hazard == crate::stages::comprehensive::ID {
            return Ok(indicators::hazards_top2(&zoned.hazard_levels, &units));
        }
        let src = indicators::IndicatorSources {
            grid: self.grid,
            stack: self.stack,
            db: self.db,
            units,
            population: self.population,
            counts: self.counts,
            buildings: &self.admin.building_points,
        };
        indicators::hazard_indicators(hazard, &src)
    }
}

/// A township's or village's level for a loss-route risk grid (`<hazard>_risk`
/// with rows in `unit_risk`) is its loss-route risk level — the most severe of its
/// AAL density, AAL/GDP and deaths per 10⁵ (`models/common/loss_levels.toml`) — not
/// the area rule of the level grid; the rule says so.
fn loss_route_levels(
    stats: &mut [riskcensus_zoning::units::UnitStats],
    layer: &str,
    unit_level: &str,
    unit_risk: &[crate::loss::UnitRisk],
) {
    let Some(hazard) = layer.strip_suffix("_risk") else {
        return;
    };
    for st in stats {
        let Some(r) = unit_risk.iter().find(|r| {
            r.hazard == hazard && r.unit_level == unit_level && r.unit_code == st.unit_code
        }) else {
            continue;
        };
        st.unit_level = r.risk_level;
        st.unit_level_rule = format!(
            "loss route: most severe of AAL density {:.3} 万元/km²/yr (level {}), AAL/GDP {:.4} % (level {}), deaths {:.4} per 10⁵/yr (level {})",
            r.aal_density,
            r.level_aal_density,
            r.aal_gdp_pct,
            r.level_aal_gdp,
            r.death_rate_per_100k,
            r.level_death_rate
        );
    }
}

/// Write `zoning.gpkg`, then the unit tables' JSON and CSV files, then the count
/// tables' CSV files, noting each file in `report`.
#[allow(clippy::too_many_arguments)]
fn write_outputs(
    grid: &GridSpec,
    admin: &Admin,
    counts: &[&UnitCounts],
    unit_risk: &[crate::loss::UnitRisk],
    extra: &[(&Deliverable, Option<String>)],
    zoned: Zoned,
    out: &Path,
    report: &mut ZoningReport,
) -> Result<(), EngineError> {
    // Townships in `unit_levels` / `unit_summary`; villages in `village_levels` /
    // `village_summary` (the same columns plus the village's township), written
    // only when the census has village polygons.
    let parents = tables::parents(&admin.villages, &admin.townships);
    let mut unit_tables = vec![UnitTables::new(
        "unit",
        &zoned.summaries,
        None,
        &zoned.schemes,
    )];
    if !admin.villages.is_empty() {
        unit_tables.push(UnitTables::new(
            "village",
            &zoned.v_summaries,
            Some(&parents),
            &zoned.schemes,
        ));
    }
    let count_tables: Vec<CountTable> = counts
        .iter()
        .map(|c| CountTable::new(c, &admin.townships))
        .collect();
    let path = out.join("zoning.gpkg");
    let contents = gpkg::Contents {
        townships: &admin.townships,
        villages: &admin.villages,
        zones: zoned.zones,
        tables: &unit_tables,
        counts: &count_tables,
        unit_risk,
        extra,
    };
    gpkg::write(&path, &grid.crs, contents)?;
    report.files.push(path.clone());
    report.gpkg = Some(path);
    for t in &unit_tables {
        report.files.extend(t.write_files(out)?);
    }
    for c in &count_tables {
        report.files.push(c.write_csv(out)?);
    }
    Ok(())
}

/// The zoning stage's id.
pub const ID: &str = "zoning";

/// The zoning stage (see [`zoning`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct ZoningStage;

impl crate::stage::Stage for ZoningStage {
    fn id(&self) -> &str {
        ID
    }

    /// A level grid to zone. The prevention rules (every hazard's) are read and
    /// checked here, so the run's plan refuses a bad rules file before any stage
    /// computes anything.
    fn needs(&self, cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        load_rules(cx.library)?;
        Ok(crate::stage::Needs {
            a_level_grid: true,
            ..Default::default()
        })
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec!["<risk layer>_prevention"],
            files: vec![
                "zoning.gpkg",
                "unit_summary.csv",
                "unit_summary.json",
                "unit_levels.csv",
                "village_summary.csv",
                "village_summary.json",
                "village_levels.csv",
                "<published counts>.csv",
            ],
        }
    }

    fn selected(&self, _filter: &[String]) -> bool {
        true
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let rules = load_rules(cx.library)?;
        let counts: Vec<&UnitCounts> = cx.published::<UnitCounts>().collect();
        let unit_risk: Vec<crate::loss::UnitRisk> = cx
            .published::<Vec<crate::loss::UnitRisk>>()
            .flatten()
            .cloned()
            .collect();
        let extra: Vec<&Deliverable> = cx.published::<Deliverable>().collect();
        let out = cx.layout.assess();
        let zoned = zoning_with(
            cx.census,
            &cx.stack,
            &rules,
            &Published {
                counts: &counts,
                unit_risk: &unit_risk,
                extra: &extra,
            },
            cx.vocabulary,
            &out,
        )?;
        let mut outcome = crate::stage::StageOutcome::with_details(zoned.clone());
        if !zoned.layers.is_empty() {
            outcome.operators = rules
                .all()
                .map(|r| {
                    crate::run::operator_entry(
                        r.id(),
                        r.version(),
                        r,
                        "<risk>_prevention, unit_summary",
                    )
                })
                .collect();
        }
        Ok(outcome)
    }
}
