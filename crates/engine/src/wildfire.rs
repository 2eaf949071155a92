//! The wildfire stage (森林火灾): daily FWI per weather station, the fire-danger
//! climatology, the fire-weather grid, the hazard factor grids, the hazard model
//! (`models/wildfire.toml`) and the wildland–urban interface exposure and
//! vulnerability grids that `models/wildfire_risk.toml` composes in `assess`.
//!
//! Method and choices: `docs/wildfire.md`; the algorithms live in
//! `riskcensus_models::wildfire`.
//!
//! Outputs in `out_dir`:
//!
//! | file | what | unit |
//! |---|---|---|
//! | `wildfire_fwi_daily.csv` | `station,date,ffmc,dmc,dc,isi,bui,fwi,dsr`, every station-day | — |
//! | `wildfire_fwi_climatology.csv` | per station: days, FWI p90/mean/max, SSR, days per EFFIS class | — |
//! | `fwi_p90.tif` | 90th-percentile FWI of the fire season per cell (IDW of daily weather with lapse-rate temperature, FWI run per cell) | fwi |
//! | `dist_farmland_edge.tif` | distance to cropland bordering forest, shrub or grass | m |
//! | `fire_density.tif` | quartic kernel density of fire points, bandwidth 2 km | per_km2 |
//! | `wildfire_hazard.tif`, `wildfire_hazard_level.tif` | hazard index and 5 levels | index, level |
//! | `wildfire_exposure.tif`, `wildfire_vulnerability.tif` | WUI exposure and vulnerability | index |
//!
//! Float grids are NaN where land cover (or the DEM, for `fwi_p90`) is nodata.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_io::{CogOptions, RasterReader};
use riskcensus_kernels::{distance::euclidean_distance, CellSize};
use riskcensus_models::wildfire::{
    climatology::{climatology, StationClimate},
    compute_seasons,
    fwi::{self, Codes, DayWeather},
    hazard::{class_edge, kernel_density, wui, WuiParams},
    interpolate::{idw_weights, interpolate, interpolate_temperature, Idw, LAPSE_RATE_C_PER_M},
    weather::{self, parse_csv, Date, GapPolicy, RawRecord},
    StationDay,
};
use riskcensus_models::Model;
use riskcensus_survey::{Census, FieldValue, Query};
use serde::Serialize;

use crate::assess::{assess, LayerStack};
use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::provenance::{self, tag};

/// The hazard model file built into the engine.
pub const WILDFIRE_MODEL: &str = include_str!("../../../models/wildfire.toml");

/// A daily FWI table: every station-day in source-row order.
#[derive(Debug, Clone, PartialEq)]
pub struct FwiTable {
    /// True when the source had a station column (written back out).
    pub has_station: bool,
    pub days: Vec<StationDay>,
    /// Where each station's series starts again from the start-up codes.
    pub seasons: Vec<SeasonSpan>,
}

/// One fire season of one station (a continuous run of days).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeasonSpan {
    pub station: String,
    pub first: String,
    pub last: String,
    pub days: usize,
}

fn weather_error(source: &Path, e: weather::WeatherError) -> EngineError {
    EngineError::Config {
        path: source.to_path_buf(),
        msg: format!(
            "{} weather problem(s):\n  {}",
            e.problems.len(),
            e.problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n  ")
        ),
    }
}

/// The FWI table of raw weather records (validated first: every bad row is
/// reported, none is filled in; see `riskcensus_models::wildfire::weather`).
pub fn fwi_from_records(
    raw: &[RawRecord],
    has_station: bool,
    source: &Path,
) -> Result<(FwiTable, Vec<weather::Season>), EngineError> {
    let name = source.display().to_string();
    let seasons = weather::validate(raw, GapPolicy::default(), &name)
        .map_err(|e| weather_error(source, e))?;
    let mut days = compute_seasons(&seasons);
    days.sort_by_key(|d| d.row);
    let spans = seasons
        .iter()
        .map(|s| SeasonSpan {
            station: s.station.clone(),
            first: s.first.to_string(),
            last: s.last.to_string(),
            days: s.records.len(),
        })
        .collect();
    Ok((
        FwiTable {
            has_station,
            days,
            seasons: spans,
        },
        seasons,
    ))
}

/// The FWI table of a weather CSV (`date,month,lat,temp_c,rh_pct,wind_kmh,rain_mm`,
/// optional `station`; other columns ignored).
pub fn fwi_from_csv(path: &Path) -> Result<FwiTable, EngineError> {
    let text = std::fs::read_to_string(path).map_err(EngineError::fs(path))?;
    let raw = parse_csv(&text, &path.display().to_string()).map_err(|e| weather_error(path, e))?;
    let has_station = text.lines().next().is_some_and(|h| {
        h.split(',')
            .any(|c| c.trim().trim_matches('"').eq_ignore_ascii_case("station"))
    });
    Ok(fwi_from_records(&raw, has_station, path)?.0)
}

/// Writes [`format_fwi_csv`] atomically (temporary file, then rename).
pub fn write_fwi_csv(table: &FwiTable, path: &Path, decimals: usize) -> Result<(), EngineError> {
    write_atomic(path, format_fwi_csv(table, decimals).as_bytes())
}

/// The table as CSV text: `[station,]date,ffmc,dmc,dc,isi,bui,fwi,dsr`, values with
/// `decimals` decimals (rounded only here; the codes are carried unrounded).
pub fn format_fwi_csv(table: &FwiTable, decimals: usize) -> String {
    let mut s = String::new();
    if table.has_station {
        s.push_str("station,");
    }
    s.push_str("date,ffmc,dmc,dc,isi,bui,fwi,dsr\n");
    for d in &table.days {
        if table.has_station {
            s.push_str(&d.station);
            s.push(',');
        }
        let f = &d.fwi;
        s.push_str(&d.date.to_string());
        for v in [f.ffmc, f.dmc, f.dc, f.isi, f.bui, f.fwi, f.dsr] {
            s.push_str(&format!(",{v:.decimals$}"));
        }
        s.push('\n');
    }
    s
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(EngineError::fs(dir))?;
    }
    Ok(riskcensus_io::files::write_atomic(path, bytes)?)
}

/// Options of the wildfire stage (defaults documented in docs/wildfire.md).
#[derive(Debug, Clone, PartialEq)]
pub struct WildfireOptions {
    pub idw: Idw,
    /// Temperature lapse rate, °C per metre (6.5 °C/km).
    pub lapse_c_per_m: f64,
    /// Months of the fire season for the climatology and `fwi_p90`.
    pub season_months: Vec<u8>,
    /// Percentile of the daily FWI for the fire-weather grid.
    pub percentile: f64,
    /// Kernel-density bandwidth for fire points, metres.
    pub kde_bandwidth_m: f64,
    pub wui: WuiParams,
}

impl Default for WildfireOptions {
    fn default() -> Self {
        WildfireOptions {
            idw: Idw::default(),
            lapse_c_per_m: LAPSE_RATE_C_PER_M,
            season_months: vec![2, 3, 4, 5],
            percentile: 90.0,
            kde_bandwidth_m: 2000.0,
            wui: WuiParams::default(),
        }
    }
}

/// Per-station climatology row (serialisable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClimateRow {
    pub station: String,
    pub days: usize,
    pub fwi_p90: f64,
    pub fwi_mean: f64,
    pub fwi_max: f64,
    pub ssr: f64,
    pub days_in_class: [usize; 6],
}

impl From<&StationClimate> for ClimateRow {
    fn from(c: &StationClimate) -> Self {
        ClimateRow {
            station: c.station.clone(),
            days: c.days,
            fwi_p90: c.fwi_p90,
            fwi_mean: c.fwi_mean,
            fwi_max: c.fwi_max,
            ssr: c.ssr,
            days_in_class: c.days_in_class,
        }
    }
}

/// What the wildfire stage did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WildfireReport {
    pub fwi_daily_csv: PathBuf,
    pub climatology_csv: PathBuf,
    pub seasons: Vec<SeasonSpan>,
    pub stations: Vec<ClimateRow>,
    pub fire_points: usize,
    /// Layers added to the stack: (id, path, unit).
    pub layers: Vec<(String, PathBuf, String)>,
    pub hazard: PathBuf,
    pub hazard_level: Option<PathBuf>,
}

/// A weather station: position (census CRS), elevation and its validated days.
struct Station {
    id: String,
    x: f64,
    y: f64,
    z: f64,
}

/// Runs the wildfire stage with default options (see [`run_wildfire_with`]).
pub fn run_wildfire(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<WildfireReport, EngineError> {
    run_wildfire_with(
        census,
        stack,
        out_dir,
        exec,
        progress,
        &WildfireOptions::default(),
    )
}

fn layer_err(layer: &str, msg: impl Into<String>) -> EngineError {
    EngineError::Layer {
        layer: layer.into(),
        msg: msg.into(),
    }
}

fn read_layer(stack: &LayerStack, id: &str, grid: &GridSpec) -> Result<Array2<f32>, EngineError> {
    let l = stack.get(id).ok_or_else(|| {
        layer_err(
            id,
            "missing from the layer stack (needed by the wildfire stage)",
        )
    })?;
    let r = RasterReader::open(&l.path, 1)?;
    Ok(r.read_f32(grid.full_window())?)
}

fn text_of(v: Option<&FieldValue>) -> Option<String> {
    match v? {
        FieldValue::Null => None,
        FieldValue::Integer(i) => Some(i.to_string()),
        FieldValue::Integer64(i) => Some(i.to_string()),
        FieldValue::Real(r) => Some(r.to_string()),
        FieldValue::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        FieldValue::Date { year, month, day } => Some(format!("{year:04}-{month:02}-{day:02}")),
    }
}

/// Runs the wildfire stage: FWI tables, climatology, factor grids, the hazard model
/// and the WUI grids, all written into `out_dir` and inserted into `stack`.
pub fn run_wildfire_with(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
    opts: &WildfireOptions,
) -> Result<WildfireReport, EngineError> {
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let grid = &census.grid;
    let db = Census::open(&census.dir)?;
    let db_path = PathBuf::from("census.gpkg:weather_daily");

    // 1. Daily FWI per station from the census weather table.
    let rows = db.query("weather_daily", &Query::default())?;
    if rows.is_empty() {
        return Err(layer_err(
            "weather_daily",
            "the census database has no daily weather records (ingest weather_daily first)",
        ));
    }
    let to_geo = riskcensus_io::crs::Transformer::new(&grid.crs, "EPSG:4326")?;
    let mut stations: Vec<Station> = Vec::new();
    let mut raw = Vec::with_capacity(rows.len());
    for (i, f) in rows.iter().enumerate() {
        let station = text_of(f.get("station"));
        let pos = match &f.geometry {
            Some(geo_types::Geometry::Point(p)) => Some((p.x(), p.y())),
            _ => None,
        };
        let lat = match pos {
            Some((x, y)) => Some(to_geo.point(x, y)?.1.to_string()),
            None => None,
        };
        if let (Some(s), Some((x, y))) = (&station, pos) {
            if !stations.iter().any(|st| &st.id == s) {
                let z = f
                    .get("elevation")
                    .and_then(|v| text_of(Some(v)))
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(f64::NAN);
                stations.push(Station {
                    id: s.clone(),
                    x,
                    y,
                    z,
                });
            }
        }
        raw.push(RawRecord {
            row: i + 1,
            station,
            date: text_of(f.get("date")),
            month: text_of(f.get("month")),
            lat,
            temp_c: text_of(f.get("temp_c")),
            rh_pct: text_of(f.get("rh_pct")),
            wind_kmh: text_of(f.get("wind_kmh")),
            rain_mm: text_of(f.get("rain_mm")),
        });
    }
    let (table, seasons) = fwi_from_records(&raw, true, &db_path)?;
    let fwi_daily_csv = out_dir.join("wildfire_fwi_daily.csv");
    write_fwi_csv(&table, &fwi_daily_csv, 4)?;

    // 2. Climatology per station.
    let climate = climatology(&table.days, &opts.season_months);
    let climatology_csv = out_dir.join("wildfire_fwi_climatology.csv");
    write_climatology(&climate, &climatology_csv)?;

    // 3. Fire-weather grid: IDW of daily weather (temperature lapse-rate corrected)
    //    and the FWI run in every cell.
    let dem = read_layer(stack, "dem", grid)?;
    stations.sort_by(|a, b| a.id.cmp(&b.id));
    for s in &mut stations {
        if s.z.is_nan() {
            s.z = grid
                .cell_of(s.x, s.y)
                .map(|(r, c)| dem[(r, c)] as f64)
                .unwrap_or(f64::NAN);
        }
        if s.z.is_nan() {
            return Err(layer_err(
                "weather_daily",
                format!(
                    "station {}: no elevation recorded and none on the DEM",
                    s.id
                ),
            ));
        }
    }
    progress.start("wildfire: fire weather grid", grid.rows as u64);
    let calendar = Calendar::new(&stations, &seasons);
    let p90 = exec.install(|| fwi_grid(grid, &dem, &stations, &calendar, opts, progress))?;
    progress.finish("wildfire: fire weather grid");

    // 4. Factor and exposure grids.
    let lc = read_layer(stack, "landcover", grid)?;
    let cell = CellSize::new(grid.cell_size).map_err(|e| layer_err("landcover", e.to_string()))?;
    let mask_nan = |mut a: Array2<f32>| {
        a.zip_mut_with(&lc, |v, l| {
            if l.is_nan() {
                *v = f32::NAN
            }
        });
        a
    };
    let edge = class_edge(lc.view(), 10, &[20, 30, 40]);
    let dist_edge = mask_nan(
        euclidean_distance(edge.view(), cell, None)
            .map_err(|e| layer_err("dist_farmland_edge", e.to_string()))?,
    );
    let fires = db.query("fire_points", &Query::default())?;
    let points: Vec<(f64, f64)> = fires
        .iter()
        .filter_map(|f| match &f.geometry {
            Some(geo_types::Geometry::Point(p)) => Some((p.x(), p.y())),
            _ => None,
        })
        .collect();
    let density = mask_nan(kernel_density(grid, &points, opts.kde_bandwidth_m));
    let wild = lc.mapv(|v| {
        !v.is_nan()
            && opts
                .wui
                .wildland
                .iter()
                .any(|&w| v.round() as i64 == w as i64)
    });
    let dist_wild = euclidean_distance(wild.view(), cell, Some(opts.wui.buffer_m * 4.0))
        .map_err(|e| layer_err("wildfire_exposure", e.to_string()))?;
    let value = match stack.get("buildings_value") {
        Some(_) => read_layer(stack, "buildings_value", grid)?,
        None => Array2::zeros((grid.rows, grid.cols)),
    };
    let (exposure, vulnerability) = wui(lc.view(), dist_wild.view(), value.view(), &opts.wui);

    let mut layers = Vec::new();
    let params = format!("{opts:?}");
    for (id, a, unit) in [
        ("fwi_p90", &p90, "fwi"),
        ("dist_farmland_edge", &dist_edge, "m"),
        ("fire_density", &density, "per_km2"),
        ("wildfire_exposure", &exposure, "index"),
        ("wildfire_vulnerability", &vulnerability, "index"),
    ] {
        let mut tags = provenance::base();
        tags.insert(
            tag::SOURCE.into(),
            "census.gpkg:weather_daily,fire_points; stack:dem,landcover,buildings_value".into(),
        );
        tags.insert(tag::UNITS.into(), unit.into());
        tags.insert(
            tag::PARAM_HASH.into(),
            riskcensus_io::digest::bytes_sha256(params.as_bytes()),
        );
        crate::terrain::write_cog(
            out_dir,
            id,
            grid,
            a.view(),
            Some(f64::NAN),
            &tags,
            &CogOptions::default(),
        )?;
        let path = out_dir.join(format!("{id}.tif"));
        stack.insert(id, path.clone(), unit);
        layers.push((id.to_string(), path, unit.to_string()));
    }

    // 5. The hazard model (a census may override it with <census>/models/wildfire.toml).
    let local = census.dir.join("models").join("wildfire.toml");
    let model = if local.exists() {
        Model::load(&local)
    } else {
        Model::from_toml(WILDFIRE_MODEL, Path::new("models/wildfire.toml"))
    }
    .map_err(|e| EngineError::Model {
        model: "wildfire".into(),
        msg: e.to_string(),
    })?;
    let rep = assess(
        grid,
        stack,
        std::slice::from_ref(&model),
        out_dir,
        exec,
        progress,
    )?;
    let run = rep
        .runs
        .into_iter()
        .next()
        .ok_or_else(|| EngineError::Model {
            model: "wildfire".into(),
            msg: rep
                .skipped
                .first()
                .map(|s| s.1.clone())
                .unwrap_or_else(|| "not run".into()),
        })?;

    Ok(WildfireReport {
        fwi_daily_csv,
        climatology_csv,
        seasons: table.seasons,
        stations: climate.iter().map(ClimateRow::from).collect(),
        fire_points: points.len(),
        layers,
        hazard: run.score_path,
        hazard_level: run.level_path,
    })
}

fn write_climatology(c: &[StationClimate], path: &Path) -> Result<(), EngineError> {
    // Class columns: EFFIS very low … extreme (bounds in riskcensus_models::wildfire::climatology).
    let mut s = String::from(
        "station,days,fwi_p90,fwi_mean,fwi_max,ssr,days_very_low,days_low,days_moderate,days_high,days_very_high,days_extreme\n",
    );
    for r in c {
        s.push_str(&format!(
            "{},{},{:.4},{:.4},{:.4},{:.4}",
            r.station, r.days, r.fwi_p90, r.fwi_mean, r.fwi_max, r.ssr
        ));
        for n in r.days_in_class {
            s.push_str(&format!(",{n}"));
        }
        s.push('\n');
    }
    write_atomic(path, s.as_bytes())
}

/// The days of the grid run: the union of the stations' dates, split into seasons
/// by the same gap policy, with each station's weather per day (NaN where a station
/// did not report that day).
struct Calendar {
    /// Per season: per day (month, [temp, rh, wind, rain] per station).
    seasons: Vec<Vec<(u8, Vec<[f64; 4]>)>>,
}

impl Calendar {
    fn new(stations: &[Station], seasons: &[weather::Season]) -> Calendar {
        use std::collections::BTreeMap;
        let mut days: BTreeMap<Date, Vec<[f64; 4]>> = BTreeMap::new();
        for s in seasons {
            let Some(si) = stations.iter().position(|st| st.id == s.station) else {
                continue;
            };
            for r in &s.records {
                let w = &r.weather;
                days.entry(r.date)
                    .or_insert_with(|| vec![[f64::NAN; 4]; stations.len()])[si] =
                    [w.temp_c, w.rh_pct, w.wind_kmh, w.rain_mm];
            }
        }
        let policy = GapPolicy::default();
        let mut out: Vec<Vec<(u8, Vec<[f64; 4]>)>> = Vec::new();
        let mut last: Option<Date> = None;
        for (d, w) in days {
            let new = last.map_or(true, |l| d.days() - l.days() > policy.season_break_days);
            if new {
                out.push(Vec::new());
            }
            out.last_mut().expect("pushed").push((d.month, w));
            last = Some(d);
        }
        Calendar { seasons: out }
    }
}

/// The percentile FWI of the fire-season days in every cell.
fn fwi_grid(
    grid: &GridSpec,
    dem: &Array2<f32>,
    stations: &[Station],
    cal: &Calendar,
    opts: &WildfireOptions,
    progress: &dyn Progress,
) -> Array2<f32> {
    let xy: Vec<(f64, f64)> = stations.iter().map(|s| (s.x, s.y)).collect();
    let zs: Vec<f64> = stations.iter().map(|s| s.z).collect();
    let rows: Vec<Vec<f32>> = (0..grid.rows)
        .into_par_iter()
        .map(|r| {
            let mut t = vec![0.0; stations.len()];
            let mut h = vec![0.0; stations.len()];
            let mut w = vec![0.0; stations.len()];
            let mut p = vec![0.0; stations.len()];
            let mut fwis = Vec::new();
            let row: Vec<f32> = (0..grid.cols)
                .map(|c| {
                    let z = dem[(r, c)] as f64;
                    if z.is_nan() {
                        return f32::NAN;
                    }
                    let (x, y) = grid.cell_center(r, c);
                    let weights = idw_weights(&xy, x, y, &opts.idw);
                    if weights.is_empty() {
                        return f32::NAN;
                    }
                    fwis.clear();
                    for season in &cal.seasons {
                        let mut codes = Codes::STARTUP;
                        for (month, obs) in season {
                            for (i, o) in obs.iter().enumerate() {
                                t[i] = o[0];
                                h[i] = o[1];
                                w[i] = o[2];
                                p[i] = o[3];
                            }
                            let day = DayWeather {
                                month: *month,
                                temp_c: interpolate_temperature(
                                    &weights,
                                    &t,
                                    &zs,
                                    z,
                                    opts.lapse_c_per_m,
                                ),
                                rh_pct: interpolate(&weights, &h),
                                wind_kmh: interpolate(&weights, &w),
                                rain_mm: interpolate(&weights, &p),
                            };
                            if day.temp_c.is_nan() {
                                // No station within the search reported this day: the
                                // cell's balance cannot continue; stated as nodata.
                                return f32::NAN;
                            }
                            let out = fwi::step(&mut codes, &day);
                            if opts.season_months.contains(month) {
                                fwis.push(out.fwi);
                            }
                        }
                    }
                    riskcensus_models::wildfire::climatology::percentile(&fwis, opts.percentile)
                        as f32
                })
                .collect();
            progress.advance(1);
            row
        })
        .collect();
    Array2::from_shape_vec((grid.rows, grid.cols), rows.into_iter().flatten().collect())
        .expect("rows × cols")
}
