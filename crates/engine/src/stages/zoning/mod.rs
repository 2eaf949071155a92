//! The zoning stage of a run: from the level grids of the assessed models to what
//! planners use — mappable zones, township statistics, prevention zoning and the
//! `zoning.gpkg` that opens styled in QGIS.
//!
//! For every level grid of the run (a `<layer>_level` of the stack: u8, 0 = nodata,
//! its scheme read from the grid's class names):
//! 1. **Township statistics** ([`crate::units`]): exact-coverage area shares, score
//!    mean/max, population, buildings, value and hidden dangers per level, and the
//!    unit's level.
//! 2. **Zones**: the grid is cleaned — optionally one pass of the 8-neighbour
//!    majority filter ([`ZoningOptions::majority_filter`], `[zoning]` of
//!    `census.toml`), then GDAL's sieve filter to the minimum mapping unit
//!    (8-connected; regions smaller than [`ZoningOptions::mmu_m2`] merge into their
//!    largest neighbour) — cut by townships (each cell belongs to the township
//!    covering most of it) and polygonized with GDAL: one feature per connected
//!    region of one level in one township, with its level, names, township code and
//!    area (m², planar area in the census CRS).
//! 3. **Prevention zoning** for risk grids (schemes with five levels, and the
//!    geohazard risk): per cell by the cell rules of `models/prevention.toml` from the
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
//! `village_levels.csv`, `unit_seismic_grades.csv`. The GeoPackage is
//! written with a fixed timestamp, so the same inputs give the same bytes.

pub mod prevention;
pub mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::Area;
use ndarray::Array2;
use riskcensus_core::LevelScheme;
use riskcensus_io::files::write_atomic;
use riskcensus_io::vector::{
    FieldDef, FieldType, FieldValue, GeometryType, VectorDriver, VectorLayerSpec, VectorWriter,
    WriteOptions,
};
use riskcensus_io::{CogOptions, RasterReader};
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::Census;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;
use crate::stages::zoning::prevention::{PreventionRules, Scale};
use crate::stages::zoning::units::{
    unit_stats, AdminLevel, LevelInput, PointRecords, Unit, UnitStats,
};
use riskcensus_zoning::{UnitCountRow, UnitCounts};

pub use crate::output::FIXED_TIMESTAMP;

pub use crate::config::ZoningOptions;

/// One zoned level grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonedLayer {
    pub layer: String,
    pub scheme: String,
    pub breaks: Option<String>,
    pub zones: usize,
    pub prevention: Option<PathBuf>,
}

/// What the zoning stage wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ZoningReport {
    pub layers: Vec<ZonedLayer>,
    pub units: usize,
    pub gpkg: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    /// The `[zoning]` options of the census used.
    pub options: ZoningOptions,
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
    pub hidden_dangers_without_village: usize,
}

/// A unit's statistics and prevention placement for one layer (townships in
/// `unit_summary`, villages in `village_summary`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    #[serde(flatten)]
    pub stats: UnitStats,
    pub prevention_tier: Option<u8>,
    pub prevention_name: Option<String>,
    pub prevention_rule: Option<String>,
    pub prevention_trace: Option<String>,
}

/// The level scheme of a level grid, from its class names.
fn scheme_of(r: &RasterReader) -> Option<LevelScheme> {
    // CLASS_0 (nodata) plus one name per level.
    match r.class_names().len() {
        6 => Some(LevelScheme::Risk),
        5 => Some(LevelScheme::Geohazard),
        4 => Some(LevelScheme::Prevention),
        _ => None,
    }
}

fn is_risk_layer(layer: &str) -> bool {
    layer.ends_with("_risk") || layer.starts_with("comprehensive")
}

/// Run the zoning stage over the level grids of `stack` with the prevention `rules`,
/// writing into `out`; each of `counts` (records per class per township that
/// earlier stages published, e.g. the earthquake stage's buildings per
/// hidden-danger grade) becomes a table of every township.
pub fn zoning(
    census: &CensusConfig,
    stack: &LayerStack,
    rules: &PreventionRules,
    counts: &[&UnitCounts],
    out: &Path,
) -> Result<ZoningReport, EngineError> {
    let grid = &census.grid;
    let opts = &census.zoning;
    let mut report = ZoningReport {
        mmu_cells: (opts.mmu_m2 / grid.cell_area()).ceil().max(1.0) as usize,
        options: opts.clone(),
        ..Default::default()
    };
    if !census.dir.join("census.gpkg").exists() {
        return Ok(report);
    }
    let db = Census::open(&census.dir)?;
    let units = crate::stages::zoning::units::units(&db, grid, AdminLevel::Township)?.units;
    report.units = units.len();
    let v = crate::stages::zoning::units::units(&db, grid, AdminLevel::Village)?;
    let villages = v.units;
    let with_villages = !villages.is_empty();
    report.villages = villages.len();
    report.villages_without_polygon = v.without_polygon;
    report.villages_outside_townships = villages
        .iter()
        .filter(|v| units.binary_search_by(|t| t.code.cmp(&v.parent)).is_err())
        .map(|v| v.code.clone())
        .collect();
    let count_tables: Vec<(&UnitCounts, Vec<UnitCountRow>)> = counts
        .iter()
        .map(|c| {
            (
                *c,
                c.rows(
                    units.iter().map(|u| (u.code.as_str(), u.name.as_str())),
                    NO_TOWNSHIP,
                ),
            )
        })
        .collect();
    let building_points = PointRecords::load(&db, grid, "buildings", Some("value_wan"))?;
    let danger_points = PointRecords::load(&db, grid, "hidden_dangers", None)?;
    let (buildings, v_buildings) = (
        building_points.by(AdminLevel::Township),
        building_points.by(AdminLevel::Village),
    );
    let (dangers, v_dangers) = (
        danger_points.by(AdminLevel::Township),
        danger_points.by(AdminLevel::Village),
    );
    if with_villages {
        let t: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
        let v: Vec<&str> = villages.iter().map(|u| u.code.as_str()).collect();
        report.buildings_without_village = building_points.in_township_without_village(&t, &v);
        report.hidden_dangers_without_village = danger_points.in_township_without_village(&t, &v);
    }
    let read_f32 = |id: &str| -> Result<Option<Array2<f32>>, EngineError> {
        match stack.get(id) {
            Some(l) => Ok(Some(
                RasterReader::open(&l.path, 1)?.read_f32(grid.full_window())?,
            )),
            None => Ok(None),
        }
    };
    let population = read_f32("population")?;
    let exposure = read_f32("exposure")?;
    let capacity = read_f32("capacity")?;
    // Area-weighted mean capacity per unit (the same for every risk grid).
    let capacity_mean = mean_per_unit(&units, capacity.as_ref());
    let v_capacity_mean = mean_per_unit(&villages, capacity.as_ref());

    // Each cell's township: the unit covering most of it (ties: the lower code).
    let mut owner = Array2::<i32>::zeros((grid.rows, grid.cols));
    let mut best = Array2::<f64>::zeros((grid.rows, grid.cols));
    for (i, u) in units.iter().enumerate() {
        for &(r, c, f) in &u.cells {
            if f > best[(r, c)] {
                best[(r, c)] = f;
                owner[(r, c)] = i as i32 + 1;
            }
        }
    }

    let mut level_layers: Vec<(String, PathBuf)> = stack
        .layers
        .iter()
        .filter(|(id, l)| id.ends_with("_level") && l.unit == "level")
        .map(|(id, l)| (id.trim_end_matches("_level").to_string(), l.path.clone()))
        .collect();
    level_layers.sort();

    let mut summaries: Vec<UnitSummary> = Vec::new();
    let mut v_summaries: Vec<UnitSummary> = Vec::new();
    let mut zones_layers: Vec<(
        String,
        LevelScheme,
        Vec<(geo_types::Geometry<f64>, Vec<FieldValue>)>,
    )> = Vec::new();
    for (layer, path) in &level_layers {
        let reader = RasterReader::open(path, 1)?;
        let Some(scheme) = scheme_of(&reader) else {
            continue;
        };
        let breaks = reader.metadata("RISKCENSUS_CLASS_BREAKS");
        let levels = reader.read_u8(grid.full_window())?;
        let score = read_f32(layer)?;
        let stats = unit_stats(
            grid,
            &units,
            &LevelInput {
                layer,
                scheme,
                levels: &levels,
                score: score.as_ref(),
            },
            population.as_ref(),
            &buildings,
            &dangers,
        );
        let v_stats = unit_stats(
            grid,
            &villages,
            &LevelInput {
                layer,
                scheme,
                levels: &levels,
                score: score.as_ref(),
            },
            population.as_ref(),
            &v_buildings,
            &v_dangers,
        );

        // Zones: (majority filter,) sieve, cut by township, polygonize.
        let mut clean = if opts.majority_filter {
            riskcensus_kernels::majority::majority_filter(&levels, 0)
        } else {
            levels.clone()
        };
        riskcensus_io::zones::sieve(&mut clean, grid, report.mmu_cells, true)?;
        let codes = Array2::from_shape_fn(clean.dim(), |c| {
            let l = clean[c] as i32;
            if l == 0 || owner[c] == 0 {
                0
            } else {
                owner[c] * 16 + l
            }
        });
        let polys = riskcensus_io::zones::polygonize(&codes, grid)?;
        let mut feats = Vec::with_capacity(polys.len());
        for (code, p) in polys {
            let (u, l) = ((code / 16 - 1) as usize, (code % 16) as u8);
            let class = scheme.class(l).expect("level of the scheme");
            feats.push((
                geo_types::Geometry::MultiPolygon(geo_types::MultiPolygon(vec![p.clone()])),
                vec![
                    FieldValue::Integer(l as i32),
                    FieldValue::String(class.name_zh.into()),
                    FieldValue::String(class.name_en.into()),
                    FieldValue::String(units[u].code.clone()),
                    FieldValue::Real((p.unsigned_area() * 100.0).round() / 100.0),
                ],
            ));
        }
        let zones = feats.len();
        zones_layers.push((format!("zones_{layer}"), scheme, feats));

        // Prevention zoning for risk grids.
        let mut prevention = None;
        let risky = is_risk_layer(layer);
        if risky {
            let tiers = Array2::from_shape_fn(levels.dim(), |c| {
                rules.cell_tier(
                    levels[c],
                    exposure.as_ref().map(|a| a[c]).unwrap_or(f32::NAN),
                    capacity.as_ref().map(|a| a[c]).unwrap_or(f32::NAN),
                )
            });
            let id = format!("{layer}_prevention");
            let mut tags = provenance::base();
            tags.insert(tag::LAYER.into(), id.clone());
            tags.insert(
                tag::MODEL_ID.into(),
                format!("{}@{}", rules.id, rules.version),
            );
            tags.insert(tag::PARAM_HASH.into(), rules.param_hash());
            let p = out.join(format!("{id}.tif"));
            let mut w =
                riskcensus_io::CogWriter::<u8>::create(&p, grid, Some(0.0), CogOptions::default())?;
            w.set_tags(&tags);
            w.set_legend(riskcensus_io::cog::LevelLegend(LevelScheme::Prevention));
            w.write_window(
                grid.full_window(),
                tiers.as_slice().expect("standard layout"),
            )?;
            w.finish()?;
            report.files.push(p.clone());
            prevention = Some(p);
        }
        // `unit_stats` returns one row per unit, in unit order.
        summaries.extend(place(stats, &capacity_mean, rules, risky));
        v_summaries.extend(place(v_stats, &v_capacity_mean, rules, risky));
        report.layers.push(ZonedLayer {
            layer: layer.clone(),
            scheme: scheme.id().to_string(),
            breaks,
            zones,
            prevention,
        });
    }

    // zoning.gpkg
    let gpkg = out.join("zoning.gpkg");
    let mut w = VectorWriter::create(
        &gpkg,
        VectorDriver::GeoPackage,
        &WriteOptions {
            fixed_timestamp: Some(FIXED_TIMESTAMP.into()),
        },
    )?;
    let crs = grid.crs.clone();
    // Unit outlines: townships, and villages (with their township) when present.
    let outlines = [
        ("townships", &units, false, township_qml()),
        ("villages", &villages, true, village_qml()),
    ];
    let mut styles: Vec<(String, String)> = Vec::new();
    for (name, list, with_parent, qml) in outlines {
        if with_parent && !with_villages {
            continue;
        }
        let mut fields = vec![
            FieldDef::new("code", FieldType::String),
            FieldDef::new("name", FieldType::String),
        ];
        if with_parent {
            fields.push(FieldDef::new("township_code", FieldType::String));
        }
        fields.push(FieldDef::new("area_km2", FieldType::Real));
        let spec = VectorLayerSpec::new(
            VectorDriver::GeoPackage,
            name,
            &crs,
            GeometryType::MultiPolygon,
        )
        .fields(fields);
        w.add_layer(
            &spec,
            list.iter().map(|u| {
                let mut v = vec![
                    FieldValue::String(u.code.clone()),
                    FieldValue::String(u.name.clone()),
                ];
                if with_parent {
                    v.push(FieldValue::String(u.parent.clone()));
                }
                v.push(FieldValue::Real(u.area_m2 / 1.0e6));
                (geo_types::Geometry::MultiPolygon(u.geometry.clone()), v)
            }),
        )?;
        styles.push((name.into(), qml));
    }
    for (name, scheme, feats) in zones_layers {
        let spec = VectorLayerSpec::new(
            VectorDriver::GeoPackage,
            &name,
            &crs,
            GeometryType::MultiPolygon,
        )
        .fields([
            FieldDef::new("level", FieldType::Integer),
            FieldDef::new("level_zh", FieldType::String),
            FieldDef::new("level_en", FieldType::String),
            FieldDef::new("township_code", FieldType::String),
            FieldDef::new("area_m2", FieldType::Real),
        ]);
        w.add_layer(&spec, feats)?;
        styles.push((name, level_qml(scheme)));
    }
    // Unit tables: townships in `unit_levels` / `unit_summary`, villages in
    // `village_levels` / `village_summary` (the same columns plus the village's
    // township), written only when the census has village polygons.
    let parents: Parents = villages
        .iter()
        .map(|v| {
            let name = units
                .binary_search_by(|t| t.code.cmp(&v.parent))
                .map(|i| units[i].name.clone())
                .unwrap_or_else(|_| NO_TOWNSHIP.to_string());
            (v.code.clone(), (v.parent.clone(), name))
        })
        .collect();
    let mut tables = vec![(
        "unit",
        level_rows(&summaries, None),
        summary_rows(&summaries, None),
    )];
    if with_villages {
        tables.push((
            "village",
            level_rows(&v_summaries, Some(&parents)),
            summary_rows(&v_summaries, Some(&parents)),
        ));
    }
    for (prefix, lrows, srows) in &tables {
        let with_parent = *prefix == "village";
        let spec = VectorLayerSpec::new(
            VectorDriver::GeoPackage,
            &format!("{prefix}_levels"),
            &crs,
            GeometryType::None,
        )
        .fields(level_fields(with_parent));
        w.add_table(&spec, lrows.clone())?;
        let spec = VectorLayerSpec::new(
            VectorDriver::GeoPackage,
            &format!("{prefix}_summary"),
            &crs,
            GeometryType::None,
        )
        .fields(summary_fields(with_parent));
        w.add_table(&spec, srows.clone())?;
    }
    for (c, rows) in &count_tables {
        let spec =
            VectorLayerSpec::new(VectorDriver::GeoPackage, &c.table, &crs, GeometryType::None)
                .fields(count_columns(c).iter().enumerate().map(|(i, name)| {
                    FieldDef::new(
                        name,
                        if i < 2 {
                            FieldType::String
                        } else {
                            FieldType::Integer64
                        },
                    )
                }));
        w.add_table(
            &spec,
            rows.iter().map(|r| {
                let mut v = vec![
                    FieldValue::String(r.code.clone()),
                    FieldValue::String(r.name.clone()),
                ];
                v.extend(r.counts.iter().map(|&n| FieldValue::Integer64(n as i64)));
                v.push(FieldValue::Integer64(r.total() as i64));
                v
            }),
        )?;
    }
    // QGIS reads the default style of a layer from the `layer_styles` table.
    let style_spec = VectorLayerSpec::new(
        VectorDriver::GeoPackage,
        "layer_styles",
        &crs,
        GeometryType::None,
    )
    .fields([
        FieldDef::new("f_table_catalog", FieldType::String),
        FieldDef::new("f_table_schema", FieldType::String),
        FieldDef::new("f_table_name", FieldType::String),
        FieldDef::new("f_geometry_column", FieldType::String),
        FieldDef::new("styleName", FieldType::String),
        FieldDef::new("styleQML", FieldType::String),
        FieldDef::new("styleSLD", FieldType::String),
        FieldDef::new("useAsDefault", FieldType::Integer),
        FieldDef::new("description", FieldType::String),
        FieldDef::new("owner", FieldType::String),
        FieldDef::new("ui", FieldType::String),
        FieldDef::new("update_time", FieldType::String),
    ]);
    w.add_table(
        &style_spec,
        styles.iter().map(|(t, qml)| {
            vec![
                FieldValue::String(String::new()),
                FieldValue::String(String::new()),
                FieldValue::String(t.clone()),
                FieldValue::String("geom".into()),
                FieldValue::String(format!("{t} (RiskCensus)")),
                FieldValue::String(qml.clone()),
                FieldValue::String(String::new()),
                FieldValue::Integer(1),
                FieldValue::String("RiskCensus level colours".into()),
                FieldValue::String(String::new()),
                FieldValue::Null,
                FieldValue::String(FIXED_TIMESTAMP.into()),
            ]
        }),
    )?;
    w.finish()?;
    report.files.push(gpkg.clone());
    report.gpkg = Some(gpkg);

    // CSV and JSON tables (the summary CSV leaves out the rule text, which every row
    // repeats; the GeoPackage and JSON keep it).
    for (prefix, lrows, srows) in &tables {
        let with_parent = *prefix == "village";
        let json = out.join(format!("{prefix}_summary.json"));
        let body = if with_parent {
            let rows: Vec<VillageSummary> = v_summaries
                .iter()
                .map(|s| {
                    let (tc, tn) = parents[&s.stats.unit_code].clone();
                    VillageSummary {
                        township_code: tc,
                        township_name: tn,
                        summary: s.clone(),
                    }
                })
                .collect();
            serde_json::to_string_pretty(&rows)
        } else {
            serde_json::to_string_pretty(&summaries)
        }
        .expect("serialisable");
        write_atomic(&json, body.as_bytes())?;
        let csv_path = out.join(format!("{prefix}_summary.csv"));
        write_atomic(
            &csv_path,
            csv_text(&summary_fields(with_parent), srows, &["unit_level_rule"]).as_bytes(),
        )?;
        let lcsv_path = out.join(format!("{prefix}_levels.csv"));
        write_atomic(
            &lcsv_path,
            csv_text(&level_fields(with_parent), lrows, &[]).as_bytes(),
        )?;
        report.files.extend([json, csv_path, lcsv_path]);
    }
    for (c, rows) in &count_tables {
        let mut text = count_columns(c).join(",") + "\n";
        for r in rows {
            let counts: Vec<String> = r.counts.iter().map(|n| n.to_string()).collect();
            text.push_str(&format!(
                "{},{},{},{}\n",
                r.code,
                quote(&r.name),
                counts.join(","),
                r.total()
            ));
        }
        let p = out.join(format!("{}.csv", c.table));
        write_atomic(&p, text.as_bytes())?;
        report.files.push(p);
    }
    Ok(report)
}

/// `township_name` of a village whose township code is no mapped township.
const NO_TOWNSHIP: &str = "(不在乡镇图内 not a mapped township)";

/// Village code → (township code, township name).
type Parents = BTreeMap<String, (String, String)>;

/// A village row of `village_summary.json`: the unit summary with its township.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageSummary {
    pub township_code: String,
    pub township_name: String,
    #[serde(flatten)]
    pub summary: UnitSummary,
}

/// Area-weighted mean of `layer` per unit (Σ f·v / Σ f over valid cells; NaN
/// without a layer or a valid cell).
fn mean_per_unit(units: &[Unit], layer: Option<&Array2<f32>>) -> Vec<f64> {
    units
        .iter()
        .map(|u| {
            let Some(c) = layer else {
                return f64::NAN;
            };
            let (mut sf, mut sv) = (0.0, 0.0);
            for &(r, cc, f) in &u.cells {
                let v = c[(r, cc)];
                if v.is_finite() {
                    sf += f;
                    sv += f * v as f64;
                }
            }
            if sf > 0.0 {
                sv / sf
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Each unit's prevention placement by the unit rules (risk grids only), from its
/// statistics and mean capacity; `stats` and `capacity_mean` are in unit order.
fn place(
    stats: Vec<UnitStats>,
    capacity_mean: &[f64],
    rules: &PreventionRules,
    risky: bool,
) -> Vec<UnitSummary> {
    stats
        .into_iter()
        .zip(capacity_mean)
        .map(|(s, cap_mean)| {
            let placement = risky.then(|| {
                let top2 = s.share_by_level.iter().take(2).sum::<f64>();
                let pop_total: f64 = s.population_by_level.iter().sum();
                let pop_top2 = s.population_by_level.iter().take(2).sum::<f64>();
                let hd: f64 =
                    s.hidden_dangers_by_level.iter().sum::<f64>() + s.hidden_dangers_unclassified;
                let ind = BTreeMap::from([
                    (
                        "risk_level",
                        if s.unit_level == 0 {
                            f64::NAN
                        } else {
                            s.unit_level as f64
                        },
                    ),
                    ("top2_share", top2),
                    (
                        "population_top2_share",
                        if pop_total > 0.0 {
                            pop_top2 / pop_total
                        } else {
                            0.0
                        },
                    ),
                    (
                        "hidden_danger_density",
                        if s.area_km2 > 0.0 {
                            hd / s.area_km2
                        } else {
                            0.0
                        },
                    ),
                    ("capacity_mean", *cap_mean),
                ]);
                rules.place(Scale::Unit, &ind)
            });
            UnitSummary {
                prevention_tier: placement.as_ref().map(|p| p.tier),
                prevention_name: placement.as_ref().map(|p| {
                    LevelScheme::Prevention
                        .class(p.tier)
                        .map(|c| c.name_zh.to_string())
                        .unwrap_or_default()
                }),
                prevention_rule: placement.as_ref().map(|p| p.rule.clone()),
                prevention_trace: placement.map(|p| p.trace),
                stats: s,
            }
        })
        .collect()
}

/// The unit code and name columns, then the township columns of village tables.
fn key_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = vec![
        FieldDef::new("unit_code", FieldType::String),
        FieldDef::new("unit_name", FieldType::String),
    ];
    if with_parent {
        v.push(FieldDef::new("township_code", FieldType::String));
        v.push(FieldDef::new("township_name", FieldType::String));
    }
    v
}

fn key_values(s: &UnitSummary, parents: Option<&Parents>) -> Vec<FieldValue> {
    let mut v = vec![
        FieldValue::String(s.stats.unit_code.clone()),
        FieldValue::String(s.stats.unit_name.clone()),
    ];
    if let Some(p) = parents {
        let (tc, tn) = p
            .get(&s.stats.unit_code)
            .cloned()
            .unwrap_or_else(|| (String::new(), NO_TOWNSHIP.into()));
        v.push(FieldValue::String(tc));
        v.push(FieldValue::String(tn));
    }
    v
}

/// Columns of `unit_levels` / `village_levels`: one row per unit, layer and level.
fn level_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = key_fields(with_parent);
    v.push(FieldDef::new("layer", FieldType::String));
    v.push(FieldDef::new("level", FieldType::Integer));
    v.push(FieldDef::new("level_zh", FieldType::String));
    for f in [
        "area_km2",
        "share",
        "population",
        "buildings",
        "value_wan",
        "hidden_dangers",
    ] {
        v.push(FieldDef::new(f, FieldType::Real));
    }
    v
}

fn level_rows(summaries: &[UnitSummary], parents: Option<&Parents>) -> Vec<Vec<FieldValue>> {
    let k_max = 5;
    let mut rows = Vec::new();
    for s in summaries {
        let scheme = match s.stats.scheme.as_str() {
            "geohazard4" => LevelScheme::Geohazard,
            "prevention3" => LevelScheme::Prevention,
            _ => LevelScheme::Risk,
        };
        for l in 0..s.stats.area_km2_by_level.len().min(k_max) {
            let mut row = key_values(s, parents);
            row.extend([
                FieldValue::String(s.stats.layer.clone()),
                FieldValue::Integer(l as i32 + 1),
                FieldValue::String(
                    scheme
                        .class(l as u8 + 1)
                        .map(|c| c.name_zh)
                        .unwrap_or("")
                        .into(),
                ),
                FieldValue::Real(s.stats.area_km2_by_level[l]),
                FieldValue::Real(s.stats.share_by_level[l]),
                FieldValue::Real(s.stats.population_by_level[l]),
                FieldValue::Real(s.stats.buildings_by_level[l]),
                FieldValue::Real(s.stats.value_wan_by_level[l]),
                FieldValue::Real(s.stats.hidden_dangers_by_level[l]),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// Columns of `unit_summary` / `village_summary`: one row per unit and layer.
fn summary_fields(with_parent: bool) -> Vec<FieldDef> {
    let mut v = key_fields(with_parent);
    v.extend([
        FieldDef::new("layer", FieldType::String),
        FieldDef::new("area_km2", FieldType::Real),
        FieldDef::new("score_mean", FieldType::Real),
        FieldDef::new("score_max", FieldType::Real),
        FieldDef::new("unit_level", FieldType::Integer),
        FieldDef::new("unit_level_rule", FieldType::String),
        FieldDef::new("prevention_tier", FieldType::Integer),
        FieldDef::new("prevention_name", FieldType::String),
        FieldDef::new("prevention_rule", FieldType::String),
        FieldDef::new("prevention_trace", FieldType::String),
    ]);
    v
}

fn summary_rows(summaries: &[UnitSummary], parents: Option<&Parents>) -> Vec<Vec<FieldValue>> {
    let opt_r = |v: Option<f64>| v.map(FieldValue::Real).unwrap_or(FieldValue::Null);
    let opt_s = |v: &Option<String>| {
        v.clone()
            .map(FieldValue::String)
            .unwrap_or(FieldValue::Null)
    };
    summaries
        .iter()
        .map(|s| {
            let mut row = key_values(s, parents);
            row.extend([
                FieldValue::String(s.stats.layer.clone()),
                FieldValue::Real(s.stats.area_km2),
                opt_r(s.stats.score_mean),
                opt_r(s.stats.score_max),
                FieldValue::Integer(s.stats.unit_level as i32),
                FieldValue::String(s.stats.unit_level_rule.clone()),
                s.prevention_tier
                    .map(|t| FieldValue::Integer(t as i32))
                    .unwrap_or(FieldValue::Null),
                opt_s(&s.prevention_name),
                opt_s(&s.prevention_rule),
                opt_s(&s.prevention_trace),
            ]);
            row
        })
        .collect()
}

/// CSV text of table rows (header from the fields), leaving out the `skip` columns;
/// null → empty, reals in Rust's shortest round-trip form.
fn csv_text(fields: &[FieldDef], rows: &[Vec<FieldValue>], skip: &[&str]) -> String {
    let keep: Vec<usize> = (0..fields.len())
        .filter(|&i| !skip.contains(&fields[i].name.as_str()))
        .collect();
    let mut text = keep
        .iter()
        .map(|&i| fields[i].name.clone())
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for r in rows {
        let cells: Vec<String> = keep
            .iter()
            .map(|&i| match &r[i] {
                FieldValue::String(s) => quote(s),
                FieldValue::Integer(i) => i.to_string(),
                FieldValue::Integer64(i) => i.to_string(),
                FieldValue::Real(x) => format!("{x}"),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

/// Columns of a table of counts per township: code, name, the classes, the total.
fn count_columns(c: &UnitCounts) -> Vec<String> {
    let mut v = vec!["unit_code".to_string(), "unit_name".to_string()];
    v.extend(c.classes.iter().cloned());
    v.push(c.total.clone());
    v
}

/// The prevention rules of a census's model library (`zoning/prevention.toml`).
pub fn load_rules(library: &riskcensus_models::Library) -> Result<PreventionRules, EngineError> {
    let f = library.require(prevention::PATH)?;
    PreventionRules::parse(&f.text, &f.origin)
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn qml_fill(rgb: [u8; 3], outline: &str) -> String {
    format!(
        r#"<symbol type="fill" alpha="1" clip_to_extent="1" force_rhr="0" name="{{NAME}}"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="{},{},{},255"/><Option type="QString" name="outline_color" value="{outline}"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.1"/><Option type="QString" name="style" value="solid"/></Option></layer></symbol>"#,
        rgb[0], rgb[1], rgb[2]
    )
}

/// A QGIS categorized style on `level` with the scheme's colours and names.
pub fn level_qml(scheme: LevelScheme) -> String {
    let mut cats = String::new();
    let mut syms = String::new();
    for (i, c) in scheme.classes().iter().enumerate() {
        cats.push_str(&format!(
            r#"<category value="{}" symbol="{i}" label="{} {}" render="true"/>"#,
            c.code, c.name_zh, c.name_en
        ));
        syms.push_str(&qml_fill(c.rgb, "90,90,90,255").replace("{NAME}", &i.to_string()));
    }
    format!(
        r#"<qgis version="3.28.0" styleCategories="Symbology"><renderer-v2 type="categorizedSymbol" attr="level" symbollevels="0" enableorderby="0" forceraster="0"><categories>{cats}</categories><symbols>{syms}</symbols></renderer-v2></qgis>"#
    )
}

/// Township outlines: no fill, dark outline.
fn township_qml() -> String {
    r#"<qgis version="3.28.0" styleCategories="Symbology"><renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols><symbol type="fill" alpha="1" clip_to_extent="1" force_rhr="0" name="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="0,0,0,0"/><Option type="QString" name="outline_color" value="40,40,40,255"/><Option type="QString" name="outline_width" value="0.4"/><Option type="QString" name="style" value="no"/></Option></layer></symbol></symbols></renderer-v2></qgis>"#.to_string()
}

/// Village outlines: no fill, thin grey outline.
fn village_qml() -> String {
    township_qml()
        .replace("40,40,40,255", "120,120,120,255")
        .replace(
            r#"name="outline_width" value="0.4""#,
            r#"name="outline_width" value="0.15""#,
        )
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

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs::default())
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
        let out = cx.layout.assess();
        let zoned = zoning(cx.census, &cx.stack, &rules, &counts, &out)?;
        let mut outcome = crate::stage::StageOutcome::with_details(zoned.clone());
        if !zoned.layers.is_empty() {
            outcome.operators = vec![crate::run::operator_entry(
                &rules.id,
                &rules.version,
                &rules,
                "<risk>_prevention, unit_summary",
            )];
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_style_names_every_level_with_its_colour() {
        let q = level_qml(LevelScheme::Risk);
        assert!(
            q.contains(r#"value="215,25,28,255""#) && q.contains(r#"value="26,150,65,255""#),
            "{q}"
        );
        assert!(q.contains("高风险") && q.contains(r#"attr="level""#));
        assert_eq!(q.matches("<category ").count(), 5);
    }
}
