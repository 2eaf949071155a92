//! The inputs of the wildfire capacity model (`models/wildfire_capacity.toml`):
//! the Hansen potential of fire-fighting personnel (the census's rescue teams whose
//! kind fights forest fires; `riskcensus_models::wildfire::capacity`, rows in
//! parallel) and the distance to the nearest water source (land-cover water and the
//! stack's river and reservoir distance layers).

use ndarray::Array2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use riskcensus_models::wildfire::capacity::{rescue_potential_rows, water_mask, Crew};
use riskcensus_survey::{Census, Query};

use super::factors::{distance, mask_nan};
use super::options::WildfireOptions;
use super::read_layer;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::stack::LayerStack;

/// The census table of rescue teams.
const TEAMS: &str = "rescue_teams";

/// The capacity grids.
pub struct CapacityInputs {
    /// `fire_rescue_potential`, persons.
    pub potential: Array2<f32>,
    /// `dist_water`, m.
    pub dist_water: Array2<f32>,
    /// Rescue teams counted as fire-fighting crews.
    pub fire_crews: usize,
    /// Rescue teams left out by kind.
    pub other_teams: usize,
}

/// The fire crews of the census (`kind` containing one of `opts.fire_crew_kinds`)
/// and the number of other teams; a crew without a personnel count is an error
/// naming the record.
pub fn fire_crews(db: &Census, opts: &WildfireOptions) -> Result<(Vec<Crew>, usize), EngineError> {
    let mut crews = Vec::new();
    let mut other_teams = 0usize;
    for f in db.query(TEAMS, &Query::default())? {
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
        let personnel = f
            .number("personnel")
            .ok_or_else(|| EngineError::RescueTeamField {
                layer: TEAMS.into(),
                id: f.text("id"),
                kind: kind.clone(),
                field: "personnel",
            })?;
        crews.push(Crew {
            x: p.x(),
            y: p.y(),
            personnel,
        });
    }
    Ok((crews, other_teams))
}

/// The capacity grids over land cover `lc`.
pub fn capacity_inputs(
    db: &Census,
    stack: &LayerStack,
    grid: &GridSpec,
    lc: &Array2<f32>,
    opts: &WildfireOptions,
    exec: &ExecOptions,
) -> Result<CapacityInputs, EngineError> {
    let (crews, other_teams) = fire_crews(db, opts)?;
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
    let dist_water = mask_nan(distance(&water, grid, None, "dist_water")?, lc);
    Ok(CapacityInputs {
        potential,
        dist_water,
        fire_crews: crews.len(),
        other_teams,
    })
}
