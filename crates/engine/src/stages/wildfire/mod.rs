//! The wildfire stage (森林火灾): daily FWI per weather station, the fire-danger
//! climatology, the fire-weather grid, the hazard factor grids, the hazard model
//! (`models/wildfire.toml`) and the wildland–urban interface exposure and
//! vulnerability grids and the wildfire capacity (`models/wildfire_capacity.toml`)
//! that `models/wildfire_risk.toml` composes in `assess`.
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
//! | `fwi_p90.tif` | 90th-percentile FWI of the fire season per cell (IDW of daily weather with lapse-rate temperature; FWI run on the weather lattice, trilinear to the cells) | fwi |
//! | `dist_farmland_edge.tif` | distance to cropland bordering forest, shrub or grass | m |
//! | `fire_density.tif` | quartic kernel density of fire points, bandwidth 2 km | per_km2 |
//! | `wildfire_hazard.tif`, `wildfire_hazard_level.tif` | hazard index and 5 levels | index, level |
//! | `wildfire_exposure.tif`, `wildfire_vulnerability.tif` | WUI exposure and vulnerability | index |
//! | `fire_rescue_potential.tif` | Hansen potential of fire-fighting personnel (Gaussian impedance, d₀ 5 km) | persons |
//! | `dist_water.tif` | distance to the nearest water source (land cover 60, rivers, reservoirs) | m |
//! | `wildfire_capacity.tif` | wildfire capacity index (`models/wildfire_capacity.toml`) | index |
//!
//! Float grids are NaN where land cover (or the DEM, for `fwi_p90`) is nodata.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_io::CogOptions;
use riskcensus_kernels::{distance::euclidean_distance, CellSize};
use riskcensus_models::wildfire::{
    capacity::{rescue_potential_rows, water_mask, Crew},
    climatology::{climatology, StationClimate},
    compute_seasons,
    fwi::{self, Codes, DayWeather},
    hazard::{class_edge, kernel_density, wui, WuiParams},
    interpolate::{idw_weights, interpolate, interpolate_temperature, Idw, LAPSE_RATE_C_PER_M},
    weather::{self, parse_csv, Date, GapPolicy, RawRecord},
    StationDay,
};
use riskcensus_survey::{Census, FieldValue, Query};
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::score::assess;
use crate::stack::LayerStack;

/// The hazard model file (library path), scored by this stage.
pub const HAZARD_MODEL: &str = "wildfire/wildfire.toml";

/// The wildfire capacity model file (library path), scored by this stage.
pub const CAPACITY_MODEL: &str = "wildfire/wildfire_capacity.toml";

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
    crate::output::write_bytes(path, format_fwi_csv(table, decimals).as_bytes())
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
    /// Spacing of the weather lattice on which the FWI system runs, metres; 0 (or
    /// any value ≤ the census cell size) runs it in every census cell. Default
    /// 1000 m (docs/wildfire.md, "From stations to the grid").
    pub weather_cell_m: f64,
    /// Elevation step of the lattice levels for the lapse-rate temperature, metres
    /// (default 50 m = 0.325 °C at 6.5 °C/km).
    pub weather_dz_m: f64,
    /// Rescue teams whose `kind` contains one of these words fight forest fires and
    /// count in the rescue potential (others, e.g. mine or water rescue, do not).
    pub fire_crew_kinds: Vec<String>,
    /// Distance d₀ (m) of the Gaussian impedance exp(−(d/d₀)²) of the rescue
    /// potential (`riskcensus_models::wildfire::capacity`).
    pub rescue_decay_m: f64,
    /// Land-cover classes that are water sources (GlobeLand30 60 water bodies).
    pub water_classes: Vec<u16>,
    /// Distance layers of the stack whose zero cells are water sources too, used
    /// when present (the `dist_<source id>` grids of prepare).
    pub water_layers: Vec<String>,
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
            weather_cell_m: 1000.0,
            weather_dz_m: 50.0,
            fire_crew_kinds: ["消防", "扑火", "fire"].map(String::from).to_vec(),
            rescue_decay_m: 5000.0,
            water_classes: vec![60],
            water_layers: ["dist_rivers", "dist_reservoirs"]
                .map(String::from)
                .to_vec(),
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
    /// The hazard and capacity models this stage scored.
    pub models: Vec<crate::score::ModelRun>,
    pub fwi_daily_csv: PathBuf,
    pub climatology_csv: PathBuf,
    pub seasons: Vec<SeasonSpan>,
    pub stations: Vec<ClimateRow>,
    pub fire_points: usize,
    /// Layers added to the stack: (id, path, unit).
    pub layers: Vec<(String, PathBuf, String)>,
    pub hazard: PathBuf,
    pub hazard_level: Option<PathBuf>,
    /// Rescue teams counted as fire-fighting crews, and those left out by kind.
    pub fire_crews: usize,
    pub other_rescue_teams: usize,
    /// Wildfire capacity index (`models/wildfire_capacity.toml`).
    pub capacity: PathBuf,
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
    stack.read_grid(id, None, grid, "the wildfire stage")
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
    let calendar = Calendar::new(&stations, &seasons);
    let field = WeatherField::new(&stations, &calendar, opts);
    let p90 = exec.install(|| fwi_grid(grid, &dem, &field, progress))??;

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

    // 5. Capacity inputs: fire-fighting personnel potential and distance to water.
    if !(opts.rescue_decay_m.is_finite() && opts.rescue_decay_m > 0.0) {
        return Err(layer_err(
            "fire_rescue_potential",
            format!(
                "rescue_decay_m = {}: must be a finite distance > 0 m",
                opts.rescue_decay_m
            ),
        ));
    }
    let mut crews = Vec::new();
    let mut other_teams = 0usize;
    for f in db.query("rescue_teams", &Query::default())? {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let kind = f.text("kind");
        if !opts
            .fire_crew_kinds
            .iter()
            .any(|k| kind.contains(k.as_str()))
        {
            other_teams += 1;
            continue;
        }
        let personnel = f.number("personnel").ok_or_else(|| {
            layer_err(
                "rescue_teams",
                format!(
                    "record {:?} ({kind}): field personnel is missing or not a number",
                    f.text("id")
                ),
            )
        })?;
        crews.push(Crew {
            x: p.x(),
            y: p.y(),
            personnel,
        });
    }
    let potential = exec.install(|| {
        let rows: Vec<f32> = (0..grid.rows)
            .into_par_iter()
            .flat_map_iter(|r| {
                rescue_potential_rows(grid, &crews, opts.rescue_decay_m, lc.view(), r..r + 1)
            })
            .collect();
        Array2::from_shape_vec((grid.rows, grid.cols), rows).expect("rows × cols")
    })?;
    let water_features = opts
        .water_layers
        .iter()
        .filter(|id| stack.get(id).is_some())
        .map(|id| read_layer(stack, id, grid))
        .collect::<Result<Vec<_>, _>>()?;
    let water = water_mask(
        lc.view(),
        &opts.water_classes,
        &water_features.iter().map(|a| a.view()).collect::<Vec<_>>(),
    );
    let dist_water = mask_nan(
        euclidean_distance(water.view(), cell, None)
            .map_err(|e| layer_err("dist_water", e.to_string()))?,
    );

    let mut layers = Vec::new();
    let params = format!("{opts:?}");
    for (id, a, unit) in [
        ("fwi_p90", &p90, "fwi"),
        ("dist_farmland_edge", &dist_edge, "m"),
        ("fire_density", &density, "per_km2"),
        ("wildfire_exposure", &exposure, "index"),
        ("wildfire_vulnerability", &vulnerability, "index"),
        ("fire_rescue_potential", &potential, "persons"),
        ("dist_water", &dist_water, "m"),
    ] {
        let mut tags = provenance::base();
        tags.insert(
            tag::SOURCE.into(),
            "census.gpkg:weather_daily,fire_points,rescue_teams; stack:dem,landcover,buildings_value,dist_rivers,dist_reservoirs".into(),
        );
        tags.insert(tag::UNITS.into(), unit.into());
        tags.insert(
            tag::PARAM_HASH.into(),
            riskcensus_io::digest::bytes_sha256(params.as_bytes()),
        );
        crate::output::write_array(
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

    // 6. The hazard and capacity models of the census's model library.
    let library = riskcensus_models::Library::for_census(&census.dir)?;
    let models = [library.model(HAZARD_MODEL)?, library.model(CAPACITY_MODEL)?];
    let rep = assess(grid, stack, &models, out_dir, exec, progress)?;
    let run_of = |id: &str| {
        rep.runs
            .iter()
            .find(|r| r.model == id)
            .cloned()
            .ok_or_else(|| EngineError::Model {
                model: id.into(),
                msg: rep
                    .skipped
                    .iter()
                    .find(|s| s.0 == id)
                    .map(|s| s.1.clone())
                    .unwrap_or_else(|| "not run".into()),
            })
    };
    let run = run_of(models[0].id())?;
    let capacity = run_of(models[1].id())?.score_path;

    Ok(WildfireReport {
        models: rep.runs.clone(),
        fwi_daily_csv,
        climatology_csv,
        seasons: table.seasons,
        stations: climate.iter().map(ClimateRow::from).collect(),
        fire_points: points.len(),
        layers,
        hazard: run.score_path,
        hazard_level: run.level_path,
        fire_crews: crews.len(),
        other_rescue_teams: other_teams,
        capacity,
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
    crate::output::write_bytes(path, s.as_bytes())
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

/// The daily weather of the stations and how it reaches a point: IDW weights with
/// the lapse-rate temperature (see `riskcensus_models::wildfire::interpolate`).
struct WeatherField<'a> {
    xy: Vec<(f64, f64)>,
    zs: Vec<f64>,
    cal: &'a Calendar,
    opts: &'a WildfireOptions,
}

/// Reusable buffers of [`WeatherField::percentile_at`].
struct Scratch {
    t: Vec<f64>,
    h: Vec<f64>,
    w: Vec<f64>,
    p: Vec<f64>,
    fwis: Vec<f64>,
}

impl<'a> WeatherField<'a> {
    fn new(stations: &[Station], cal: &'a Calendar, opts: &'a WildfireOptions) -> Self {
        WeatherField {
            xy: stations.iter().map(|s| (s.x, s.y)).collect(),
            zs: stations.iter().map(|s| s.z).collect(),
            cal,
            opts,
        }
    }

    fn scratch(&self) -> Scratch {
        let n = self.xy.len();
        Scratch {
            t: vec![0.0; n],
            h: vec![0.0; n],
            w: vec![0.0; n],
            p: vec![0.0; n],
            fwis: Vec::new(),
        }
    }

    /// The percentile FWI of the fire-season days at (x, y) (census CRS, metres) and
    /// elevation `z` (m): the FWI system run from the start-up codes through every
    /// season on the interpolated daily weather. NaN when no station reaches the
    /// point on some day (its running balance cannot continue).
    fn percentile_at(&self, x: f64, y: f64, z: f64, s: &mut Scratch) -> f32 {
        let opts = self.opts;
        let weights = idw_weights(&self.xy, x, y, &opts.idw);
        if weights.is_empty() {
            return f32::NAN;
        }
        s.fwis.clear();
        for season in &self.cal.seasons {
            let mut codes = Codes::STARTUP;
            for (month, obs) in season {
                for (i, o) in obs.iter().enumerate() {
                    s.t[i] = o[0];
                    s.h[i] = o[1];
                    s.w[i] = o[2];
                    s.p[i] = o[3];
                }
                let day = DayWeather {
                    month: *month,
                    temp_c: interpolate_temperature(
                        &weights,
                        &s.t,
                        &self.zs,
                        z,
                        opts.lapse_c_per_m,
                    ),
                    rh_pct: interpolate(&weights, &s.h),
                    wind_kmh: interpolate(&weights, &s.w),
                    rain_mm: interpolate(&weights, &s.p),
                };
                if day.temp_c.is_nan() {
                    return f32::NAN;
                }
                let out = fwi::step(&mut codes, &day);
                if opts.season_months.contains(month) {
                    s.fwis.push(out.fwi);
                }
            }
        }
        riskcensus_models::wildfire::climatology::percentile(&s.fwis, opts.percentile) as f32
    }
}

/// The percentile FWI of the fire-season days in every cell: per cell when
/// `weather_cell_m` ≤ the census cell size, else on the weather lattice
/// ([`fwi_grid_lattice`]).
fn fwi_grid(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    progress: &dyn Progress,
) -> Result<Array2<f32>, EngineError> {
    let o = field.opts;
    if !(o.weather_cell_m.is_finite() && o.weather_cell_m >= 0.0) {
        return Err(layer_err(
            "fwi_p90",
            format!(
                "weather_cell_m = {}: must be a finite length ≥ 0 m (0 = every census cell)",
                o.weather_cell_m
            ),
        ));
    }
    if !(o.weather_dz_m.is_finite() && o.weather_dz_m > 0.0) {
        return Err(layer_err(
            "fwi_p90",
            format!(
                "weather_dz_m = {}: must be a finite length > 0 m",
                o.weather_dz_m
            ),
        ));
    }
    if o.weather_cell_m <= grid.cell_size {
        return Ok(fwi_grid_cells(grid, dem, field, progress));
    }
    Ok(fwi_grid_lattice(grid, dem, field, progress))
}

/// The exact grid: the FWI system run in every census cell (cells × days steps).
fn fwi_grid_cells(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    progress: &dyn Progress,
) -> Array2<f32> {
    progress.start("wildfire: fire weather grid", grid.rows as u64);
    let rows: Vec<Vec<f32>> = (0..grid.rows)
        .into_par_iter()
        .map(|r| {
            let mut s = field.scratch();
            let row: Vec<f32> = (0..grid.cols)
                .map(|c| {
                    let z = dem[(r, c)] as f64;
                    if z.is_nan() {
                        return f32::NAN;
                    }
                    let (x, y) = grid.cell_center(r, c);
                    field.percentile_at(x, y, z, &mut s)
                })
                .collect();
            progress.advance(1);
            row
        })
        .collect();
    progress.finish("wildfire: fire weather grid");
    Array2::from_shape_vec((grid.rows, grid.cols), rows.into_iter().flatten().collect())
        .expect("rows × cols")
}

/// Where a census cell lies on the weather lattice: the lattice node above-left
/// (j0, i0) and the fractions (ty, tx) towards the next node, in [0, 1].
fn lattice_cell(
    grid: &GridSpec,
    w: f64,
    ny: usize,
    nx: usize,
    r: usize,
    c: usize,
) -> (usize, usize, f64, f64) {
    let (x, y) = grid.cell_center(r, c);
    let fx = (x - grid.x_min) / w;
    let fy = (grid.y_max - y) / w;
    let i0 = (fx.floor().max(0.0) as usize).min(nx - 2);
    let j0 = (fy.floor().max(0.0) as usize).min(ny - 2);
    (j0, i0, fy - j0 as f64, fx - i0 as f64)
}

/// The fire-weather grid on a coarser weather lattice, interpolated to the cells.
///
/// Lattice nodes stand every `weather_cell_m` metres from the grid's upper-left
/// corner (x_min + i·W, y_max − j·W) until they enclose the grid, so every cell
/// centre lies inside a lattice square (no extrapolation). At each node the FWI
/// system runs at the elevation levels z₀ + k·Δz (Δz = `weather_dz_m`, z₀ the DEM
/// minimum) that bracket the DEM elevations of the cells the node serves; a cell
/// takes the linear interpolation between its two levels at each of its four nodes,
/// then the bilinear interpolation of the four: trilinear in (x, y, z). The IDW
/// weights vary smoothly between stations and the lapse rate is the only elevation
/// term, so (x, y) is sampled at W and elevation at Δz instead of every cell —
/// with the same elevation effect as the per-cell run (a mean elevation per coarse
/// cell would flatten the ridges and valleys that the lapse rate resolves).
/// Deterministic: every node level and every cell is computed independently, and
/// results are collected in a fixed order. A cell is NaN where its DEM is NaN or a
/// node level it uses is NaN.
fn fwi_grid_lattice(
    grid: &GridSpec,
    dem: &Array2<f32>,
    field: &WeatherField,
    progress: &dyn Progress,
) -> Array2<f32> {
    let w = field.opts.weather_cell_m;
    let dz = field.opts.weather_dz_m;
    let nx = ((grid.cols as f64 * grid.cell_size) / w).ceil() as usize + 1;
    let ny = ((grid.rows as f64 * grid.cell_size) / w).ceil() as usize + 1;
    // Elevation range each node serves.
    let mut zlo = vec![f64::INFINITY; nx * ny];
    let mut zhi = vec![f64::NEG_INFINITY; nx * ny];
    let mut z0 = f64::INFINITY;
    for ((r, c), z) in dem.indexed_iter() {
        let z = *z as f64;
        if z.is_nan() {
            continue;
        }
        z0 = z0.min(z);
        let (j0, i0, _, _) = lattice_cell(grid, w, ny, nx, r, c);
        for n in [
            j0 * nx + i0,
            j0 * nx + i0 + 1,
            (j0 + 1) * nx + i0,
            (j0 + 1) * nx + i0 + 1,
        ] {
            zlo[n] = zlo[n].min(z);
            zhi[n] = zhi[n].max(z);
        }
    }
    if !z0.is_finite() {
        return Array2::from_elem((grid.rows, grid.cols), f32::NAN);
    }
    // Jobs: (node, level), node by node; `first[n]` = (first level, index of its job).
    let mut jobs: Vec<(usize, i64)> = Vec::new();
    let mut first: Vec<(i64, usize)> = vec![(0, usize::MAX); nx * ny];
    for n in 0..nx * ny {
        if zlo[n] > zhi[n] {
            continue;
        }
        let k0 = ((zlo[n] - z0) / dz).floor() as i64;
        let k1 = ((zhi[n] - z0) / dz).ceil() as i64;
        first[n] = (k0, jobs.len());
        jobs.extend((k0..=k1).map(|k| (n, k)));
    }
    progress.start("wildfire: fire weather grid", jobs.len() as u64);
    let values: Vec<f32> = jobs
        .par_iter()
        .map_init(
            || field.scratch(),
            |s, &(n, k)| {
                let (j, i) = (n / nx, n % nx);
                let x = grid.x_min + i as f64 * w;
                let y = grid.y_max - j as f64 * w;
                let v = field.percentile_at(x, y, z0 + k as f64 * dz, s);
                progress.advance(1);
                v
            },
        )
        .collect();
    progress.finish("wildfire: fire weather grid");
    let at = |n: usize, z: f64| -> f64 {
        let (k0, base) = first[n];
        let kz = (z - z0) / dz;
        let kf = kz.floor();
        let tz = kz - kf;
        let idx = base + (kf as i64 - k0) as usize;
        let v0 = values[idx] as f64;
        if tz > 0.0 {
            v0 + tz * (values[idx + 1] as f64 - v0)
        } else {
            v0
        }
    };
    let rows: Vec<Vec<f32>> = (0..grid.rows)
        .into_par_iter()
        .map(|r| {
            (0..grid.cols)
                .map(|c| {
                    let z = dem[(r, c)] as f64;
                    if z.is_nan() {
                        return f32::NAN;
                    }
                    let (j0, i0, ty, tx) = lattice_cell(grid, w, ny, nx, r, c);
                    let mut v = 0.0;
                    for (n, wt) in [
                        (j0 * nx + i0, (1.0 - ty) * (1.0 - tx)),
                        (j0 * nx + i0 + 1, (1.0 - ty) * tx),
                        ((j0 + 1) * nx + i0, ty * (1.0 - tx)),
                        ((j0 + 1) * nx + i0 + 1, ty * tx),
                    ] {
                        if wt > 0.0 {
                            v += wt * at(n, z);
                        }
                    }
                    v as f32
                })
                .collect()
        })
        .collect();
    Array2::from_shape_vec((grid.rows, grid.cols), rows.into_iter().flatten().collect())
        .expect("rows × cols")
}

/// The wildfire stage's id.
pub const ID: &str = "wildfire";

/// The wildfire stage (see [`run_wildfire_with`]); it runs when the census has daily
/// weather.
#[derive(Debug, Default, Clone, Copy)]
pub struct WildfireStage;

impl crate::stage::Stage for WildfireStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::WEATHER_DAILY],
            layers: Vec::new(),
        })
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec![
                "fwi_p90",
                "dist_farmland_edge",
                "fire_density",
                "wildfire_hazard",
                "wildfire_hazard_level",
                "wildfire_exposure",
                "wildfire_vulnerability",
                "fire_rescue_potential",
                "dist_water",
                "wildfire_capacity",
            ],
            files: vec!["wildfire_fwi_daily.csv", "wildfire_fwi_climatology.csv"],
        }
    }

    fn scores_itself(&self) -> &[&'static str] {
        &[HAZARD_MODEL, CAPACITY_MODEL]
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let out = cx.layout.assess();
        let w = run_wildfire(cx.census, &mut cx.stack, &out, cx.exec, cx.progress)?;
        let operators = w.models.iter().map(crate::score::ModelRun::entry).collect();
        let mut outcome = crate::stage::StageOutcome::with_details(w);
        outcome.operators = operators;
        Ok(outcome)
    }
}
