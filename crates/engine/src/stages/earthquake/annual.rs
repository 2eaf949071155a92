//! The annual loss of every building over its site's hazard curve: the four
//! probability levels of GB 18306-2015 from the zoning map's basic PGA at its cell
//! (`[hazard_curve]`, [`riskcensus_models::earthquake::hazard_curve`]), the annual
//! damage-state rates of its fragility curve, and from them its AAL and expected
//! annual deaths, and its loss and deaths at each level — the points of the
//! loss-exceedance curve ([`fragility::assess_annual`]). Buildings in parallel, each
//! independent; totals in building-id order (identical for any thread count).
//!
//! The curve needs the basic PGA: without the zoning source the annual loss is not
//! computed (a scenario alone has no annual rate), and the stage says so.

use rayon::prelude::*;
use riskcensus_models::earthquake::fragility;

use super::buildings::Located;
use super::model::EarthquakeModel;
use crate::executor::ExecOptions;
use crate::loss::{BuildingLoss, EarthquakeExposure, HazardLosses, LossEvent};
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
) -> Result<(HazardLosses, EarthquakeExposure), EngineError> {
    let p = &model.params;
    let fp = &p.fragility.params;
    let levels = &p.hazard_curve.levels;
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
                let (event_loss_wan, event_deaths) = a.events.iter().copied().unzip();
                Some(BuildingLoss {
                    id: b.building.id.clone(),
                    cell: b.cell,
                    structure: b.building.structure.code().to_string(),
                    value_wan: b.building.value,
                    occupants: b.building.occupants,
                    event_loss_wan,
                    event_deaths,
                    event_displaced: a.event_displaced,
                    aal_wan: a.aal,
                    deaths_per_year: a.deaths_per_year,
                })
            })
            .collect()
    })?;
    let rows: Vec<BuildingLoss> = rows.into_iter().flatten().collect();
    // The inputs of the buildings assessed, for the scenarios stage.
    let mut k = 0;
    let mut exposure = EarthquakeExposure {
        buildings: Vec::new(),
        basic: basic.to_vec(),
        params: model.params.clone(),
        table: model.table.clone(),
    };
    for b in located {
        if k < rows.len() && rows[k].id == b.building.id && rows[k].cell == b.cell {
            exposure.buildings.push((b.building.clone(), b.cell));
            k += 1;
        }
    }
    let losses = HazardLosses {
        hazard: "earthquake".into(),
        models: vec![format!("{}@{}", p.id, p.version)],
        events: levels
            .iter()
            .map(|l| LossEvent {
                name: l.name.clone(),
                rate: l.annual_rate(),
            })
            .collect(),
        buildings: rows,
        aal_layer: AAL_LAYER.into(),
        deaths_layer: DEATHS_LAYER.into(),
    };
    Ok((losses, exposure))
}
