//! The built-in stages of a run, one folder each, in run order:
//!
//! | stage | folder | needs | writes |
//! |---|---|---|---|
//! | [`prepare`] | `layers/` | `census.toml` sources | the layer stack: warped rasters, densities, terrain and hydrology, distances, building and shelter grids |
//! | [`flood`] | `assess/` | `hand` | flood depth per design event, building damage and deaths, AAL and annual deaths, flood risk and levels (loss route) |
//! | [`earthquake`] | `assess/` | buildings | PGA, intensity, hazard, building damage and hidden-danger grades, AAL and annual deaths over the hazard curve, earthquake risk and levels (loss route) |
//! | [`geohazard`] | `assess/` | hidden dangers | susceptibility, hazard, threat of the hidden-danger points, candidates |
//! | [`wildfire`] | `assess/` | daily weather | FWI, fire weather, hazard, WUI exposure and vulnerability, capacity |
//! | [`assess`] | `assess/` | — | the model library (`models/*.toml`) in dependency order |
//! | [`comprehensive`] | `assess/` | — | comprehensive AAL, deaths, risk and levels; risk per township and county, loss-exceedance curves, AAL per structure type, the record beside the assessment |
//! | [`trends`] | `assess/` | disaster events | Mann–Kendall and Sen's slope (Hamed–Rao beside) on yearly events, deaths and losses of the county and townships and on station rainfall extremes (`trends.csv`) |
//! | [`capacity_gaps`] | `assess/` | admin units, population | grassroots capacity index and grades, people without a shelter place per scenario, shelter site safety, reserve days, rescue travel times (`rescue_minutes`), 三高一低 townships |
//! | [`scenarios`] | `assess/` | comprehensive AAL | the loss route under the baseline, every scenario (`<census>/scenarios/*.toml`) and each measure: AAL, deaths and levels per unit, change maps, measures' benefit–cost ratios, Monte Carlo bands and sensitivity, the hindcast |
//! | [`zoning`] | `assess/` | — | zones, township and village tables, prevention zoning, `zoning.gpkg` |
//!
//! A stage reads what earlier stages left in the layer stack or published in the
//! [`Context`](crate::stage::Context), never another stage's code. A new hazard is a
//! new folder here (its stage), its science in `riskcensus-models`, its model files
//! in `models/`, and one line in [`builtin`].

pub mod assess;
pub mod capacity_gaps;
pub mod comprehensive;
pub mod earthquake;
pub mod flood;
pub mod geohazard;
pub mod prepare;
pub mod scenarios;
pub mod trends;
pub mod wildfire;
pub mod zoning;

use std::sync::Arc;

use crate::stage::Stage;

/// The built-in stages in run order (hazard stages between prepare and assess).
pub fn builtin() -> Vec<Arc<dyn Stage>> {
    vec![
        Arc::new(prepare::PrepareStage),
        Arc::new(flood::FloodStage),
        Arc::new(earthquake::EarthquakeStage),
        Arc::new(geohazard::GeohazardStage),
        Arc::new(wildfire::WildfireStage),
        Arc::new(assess::AssessStage),
        Arc::new(comprehensive::ComprehensiveStage),
        Arc::new(trends::TrendsStage),
        Arc::new(capacity_gaps::CapacityGapsStage),
        Arc::new(scenarios::ScenariosStage),
        Arc::new(zoning::ZoningStage),
    ]
}
