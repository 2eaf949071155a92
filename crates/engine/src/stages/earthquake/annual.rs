//! The annual loss of every building over its site's hazard curve: the four
//! probability levels of GB 18306-2015 from the zoning map's basic PGA at its cell
//! (`[hazard_curve]`, [`riskcensus_models::earthquake::hazard_curve`]), the annual
//! damage-state rates of its fragility curve, and from them its AAL and expected
//! annual deaths ([`fragility::assess_annual`]); plus its loss and deaths at each
//! level, the points of the loss-exceedance curve. Buildings in parallel, each
//! independent; totals in building-id order (identical for any thread count).
//!
//! The curve needs the basic PGA: without the zoning source the annual loss is not
//! computed (a scenario alone has no annual rate), and the stage says so.

use rayon::prelude::*;
use riskcensus_models::earthquake::fragility;

use super::buildings::Located;
use super::model::EarthquakeModel;
use crate::executor::ExecOptions;
use crate::loss::{BuildingLoss, HazardLosses, LossEvent};
use crate::EngineError;

/// The layer of the earthquake AAL (万元/yr per cell).
pub const AAL_LAYER: &str = "earthquake_aal";

/// The layer of the expected annual earthquake deaths (persons/yr per cell).
pub const DEATHS_LAYER: &str = "earthquake_deaths_annual";

/// The annual losses of the located buildings on the basic PGA grid `basic`
/// (row-major g, NaN nodata); buildings without a basic PGA or refused by the
/// fragility model are left out (the damage tally names them already).
pub fn annual_losses(
    located: &[Located],
    basic: &[f32],
    model: &EarthquakeModel,
    exec: &ExecOptions,
) -> Result<HazardLosses, EngineError> {
    let p = &model.params;
    let fp = &p.fragility.params;
    let levels = &p.hazard_curve.levels;
    let annual_occ = fp.annual_occupancy_factor();
    let scenario_occ = fp.occupancy_factor();
    let rows: Vec<Option<BuildingLoss>> = exec.install(|| {
        located
            .par_iter()
            .map(|b| {
                let g = f64::from(basic[b.cell]);
                if g.is_nan() || g <= 0.0 {
                    return None;
                }
                let curve = p.hazard_curve.curve(g);
                let a = fragility::assess_annual(&model.table, fp, &b.building, &curve).ok()?;
                let mut event_loss_wan = Vec::with_capacity(levels.len());
                let mut event_deaths = Vec::with_capacity(levels.len());
                for l in levels {
                    let d = fragility::assess(&model.table, fp, &b.building, l.pga_factor * g, 0)
                        .ok()?;
                    event_loss_wan.push(d.expected_loss);
                    // The level's deaths at the annual (hours-weighted) occupancy.
                    let per_occupancy = if scenario_occ > 0.0 {
                        d.deaths / scenario_occ
                    } else {
                        0.0
                    };
                    event_deaths.push(per_occupancy * annual_occ);
                }
                Some(BuildingLoss {
                    id: b.building.id.clone(),
                    cell: b.cell,
                    structure: b.building.structure.code().to_string(),
                    value_wan: b.building.value,
                    occupants: b.building.occupants,
                    event_loss_wan,
                    event_deaths,
                    aal_wan: a.aal,
                    deaths_per_year: a.deaths_per_year,
                })
            })
            .collect()
    })?;
    Ok(HazardLosses {
        hazard: "earthquake".into(),
        models: vec![format!("{}@{}", p.id, p.version)],
        events: levels
            .iter()
            .map(|l| LossEvent {
                name: l.name.clone(),
                rate: l.annual_rate(),
            })
            .collect(),
        buildings: rows.into_iter().flatten().collect(),
        aal_layer: AAL_LAYER.into(),
        deaths_layer: DEATHS_LAYER.into(),
    })
}

/// Per-cell sums of the buildings' AAL and annual deaths (row-major, 0 where no
/// building stands).
pub fn cell_sums(losses: &HazardLosses, cells: usize) -> (Vec<f32>, Vec<f32>) {
    let mut aal = vec![0f64; cells];
    let mut deaths = vec![0f64; cells];
    for b in &losses.buildings {
        aal[b.cell] += b.aal_wan;
        deaths[b.cell] += b.deaths_per_year;
    }
    (
        aal.into_iter().map(|v| v as f32).collect(),
        deaths.into_iter().map(|v| v as f32).collect(),
    )
}
