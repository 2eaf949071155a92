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
//!
//! The stage's files, one job each:
//!
//! - [`options`]: the stage's options and their checks;
//! - [`fwi_table`]: daily FWI tables from weather records or a CSV (the standalone
//!   `riskcensus fwi`), written as CSV;
//! - [`weather`]: the census's daily weather records and stations;
//! - [`climatology`](mod@climatology): the per-station fire-danger climatology and its CSV;
//! - [`fire_weather`]: the fire-weather grid `fwi_p90` (per cell or on the weather
//!   lattice);
//! - [`factors`]: land-cover distances, fire density and the WUI grids;
//! - [`capacity`]: fire-fighting personnel potential and distance to water;
//! - [`layers`]: writing the grids into the output folder and the stack, and
//!   scoring the hazard and capacity models.

pub mod capacity;
pub mod climatology;
pub mod factors;
pub mod fire_weather;
pub mod fwi_table;
pub mod layers;
pub mod options;
pub mod prevention;
pub mod weather;

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_models::wildfire::climatology::climatology;
use riskcensus_models::wildfire::field::{Calendar, WeatherField};
use riskcensus_survey::Census;
use serde::Serialize;

pub use climatology::ClimateRow;
pub use fwi_table::{
    format_fwi_csv, fwi_from_csv, fwi_from_records, write_fwi_csv, FwiTable, SeasonSpan,
};
pub use options::WildfireOptions;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::stack::LayerStack;

/// The hazard model file (library path), scored by this stage.
pub const HAZARD_MODEL: &str = "wildfire/wildfire.toml";

/// The wildfire capacity model file (library path), scored by this stage.
pub const CAPACITY_MODEL: &str = "wildfire/wildfire_capacity.toml";

/// What the wildfire stage did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WildfireReport {
    /// The hazard and capacity models this stage scored.
    pub models: Vec<crate::score::ModelRun>,
    /// `wildfire_fwi_daily.csv`.
    pub fwi_daily_csv: PathBuf,
    /// `wildfire_fwi_climatology.csv`.
    pub climatology_csv: PathBuf,
    /// The fire seasons of every station.
    pub seasons: Vec<SeasonSpan>,
    /// The climatology of every station.
    pub stations: Vec<ClimateRow>,
    /// Fire points in the kernel density.
    pub fire_points: usize,
    /// Layers added to the stack: (id, path, unit).
    pub layers: Vec<(String, PathBuf, String)>,
    /// Hazard index (`models/wildfire.toml`).
    pub hazard: PathBuf,
    /// Its levels.
    pub hazard_level: Option<PathBuf>,
    /// Rescue teams counted as fire-fighting crews, and those left out by kind.
    pub fire_crews: usize,
    /// Rescue teams left out by kind.
    pub other_rescue_teams: usize,
    /// Wildfire capacity index (`models/wildfire_capacity.toml`).
    pub capacity: PathBuf,
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

/// Layer `id` of the stack over the census grid.
fn read_layer(stack: &LayerStack, id: &str, grid: &GridSpec) -> Result<Array2<f32>, EngineError> {
    stack.read_grid(id, None, grid, "the wildfire stage")
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
    opts.check()?;
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let grid = &census.grid;
    let db = Census::open(&census.dir)?;
    // 1. Daily FWI per station from the census weather table.
    let (raw, stations) = weather::read_weather(&db, grid)?;
    let source = PathBuf::from(format!("census.gpkg:{}", weather::TABLE));
    let (table, seasons) = fwi_from_records(&raw, true, &source)?;
    let fwi_daily_csv = out_dir.join("wildfire_fwi_daily.csv");
    write_fwi_csv(&table, &fwi_daily_csv, 4)?;
    // 2. Climatology per station.
    let climate = climatology(&table.days, &opts.season_months);
    let climatology_csv = out_dir.join("wildfire_fwi_climatology.csv");
    climatology::write_climatology(&climate, &climatology_csv)?;
    // 3. Fire-weather grid: IDW of daily weather (temperature lapse-rate corrected)
    //    and the FWI run in every cell or on the weather lattice.
    let dem = read_layer(stack, "dem", grid)?;
    let stations = weather::with_elevations(stations, grid, &dem)?;
    let calendar = Calendar::new(&stations, &seasons);
    let params = opts.field();
    let field = WeatherField::new(&stations, &calendar, &params);
    let (cell_m, dz_m) = (opts.weather_cell_m, opts.weather_dz_m);
    let p90 =
        exec.install(|| fire_weather::fwi_grid(grid, &dem, &field, cell_m, dz_m, progress))?;
    // 4. Factor and exposure grids; 5. capacity inputs.
    let lc = read_layer(stack, "landcover", grid)?;
    let f = factors::factors(&db, stack, grid, &lc, opts)?;
    let c = capacity::capacity_inputs(&db, stack, grid, &lc, opts, exec)?;
    let layers = layers::write_layers(
        out_dir,
        grid,
        stack,
        opts,
        [
            ("fwi_p90", &p90, "fwi"),
            ("dist_farmland_edge", &f.dist_edge, "m"),
            ("fire_density", &f.density, "per_km2"),
            ("wildfire_exposure", &f.exposure, "index"),
            ("wildfire_vulnerability", &f.vulnerability, "index"),
            ("fire_rescue_potential", &c.potential, "persons"),
            ("dist_water", &c.dist_water, "m"),
        ],
    )?;
    // 6. The hazard and capacity models of the census's model library.
    let scored = layers::score_models(census, stack, out_dir, exec, progress)?;
    Ok(WildfireReport {
        models: scored.runs,
        fwi_daily_csv,
        climatology_csv,
        seasons: table.seasons,
        stations: climate,
        fire_points: f.fire_points,
        layers,
        hazard: scored.hazard.score_path,
        hazard_level: scored.hazard.level_path,
        fire_crews: c.fire_crews,
        other_rescue_teams: c.other_teams,
        capacity: scored.capacity.score_path,
    })
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

    /// Daily weather, the DEM and land cover, and every input of its hazard model
    /// that the stage does not compute itself.
    fn needs(&self, cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        let own = self.writes().layers;
        let mut layers: Vec<String> = vec!["dem".into(), "landcover".into()];
        for file in [HAZARD_MODEL, CAPACITY_MODEL] {
            for i in cx.library.model(file)?.inputs() {
                if !own.contains(&i.id.as_str()) && !layers.contains(&i.id) {
                    layers.push(i.id.clone());
                }
            }
        }
        Ok(crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::WEATHER_DAILY],
            layers,
            ..Default::default()
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
