//! Damage of every located building at its cell's PGA (the fragility model of the
//! parameters, in parallel, one building independent of another) and its
//! hidden-danger grade (the provisional rule of
//! `riskcensus_models::earthquake::hidden_danger`, from the zone level of the
//! zoning PGA), then the per-building rows and per-cell totals in building-id
//! order.

use std::collections::BTreeMap;

use rayon::prelude::*;
use riskcensus_models::earthquake::cells::CellDamage;
use riskcensus_models::earthquake::fragility::{self, BuildingDamage, Structure};
use riskcensus_models::earthquake::hidden_danger::{self, Graded};
use riskcensus_models::earthquake::intensity::ZoneLevel;
use riskcensus_models::earthquake::EarthquakeError;

use super::buildings::{Located, SkipReason, SkippedBuilding};
use super::model::EarthquakeModel;
use crate::executor::ExecOptions;
use crate::EngineError;

/// One assessed building: its damage at `pga_g` and its hidden-danger grade
/// against the zone level of its site.
#[derive(Debug, Clone, Copy)]
pub struct Assessed<'a> {
    /// The building and where it stands.
    pub at: &'a Located,
    /// PGA at its cell, g.
    pub pga_g: f32,
    /// The zone level of the zoning PGA at its cell (`None`: no zoning map).
    pub zone: Option<ZoneLevel>,
    /// The fragility model's result.
    pub damage: BuildingDamage,
    /// The hidden-danger grade and what decided it.
    pub grade: Graded,
}

/// What the buildings add up to.
#[derive(Debug, Clone)]
pub struct Damage<'a> {
    /// The assessed buildings, by id.
    pub rows: Vec<Assessed<'a>>,
    /// Per-cell totals.
    pub cells: CellDamage,
    /// Buildings per township code: [重点, 一般, 轻微].
    pub grades: BTreeMap<String, [usize; 3]>,
    /// Buildings per structure type: [重点, 一般, 轻微].
    pub grades_by_structure: BTreeMap<Structure, [usize; 3]>,
    /// Σ expected loss (万元) and Σ expected deaths.
    pub total_loss: f64,
    /// Σ expected deaths.
    pub total_deaths: f64,
}

/// A building's damage, zone level and grade; `None` without ground motion, the
/// model's refusal as the error.
pub type Outcome = Result<Option<(BuildingDamage, Option<ZoneLevel>, Graded)>, EarthquakeError>;

/// The damage of every building at its cell's PGA (`pga`, row-major g), and its
/// grade against the zone level of the zoning PGA when there is one. `None` for a
/// cell without ground motion.
pub fn assess(
    located: &[Located],
    pga: &[f32],
    zoning: Option<&[f32]>,
    model: &EarthquakeModel,
    exec: &ExecOptions,
) -> Result<Vec<Outcome>, EngineError> {
    let fp = &model.params.fragility.params;
    let hp = &model.params.hidden_danger;
    exec.install(|| {
        located
            .par_iter()
            .map(|b| {
                let g = pga[b.cell];
                if g.is_nan() {
                    return Ok(None);
                }
                let zone = zoning.and_then(|z| ZoneLevel::of_pga(z[b.cell] as f64));
                let graded = hidden_danger::grade(&b.building, zone, hp, fp);
                fragility::assess(&model.table, fp, &b.building, g as f64)
                    .map(|d| Some((d, zone, graded)))
            })
            .collect()
    })
}

/// The rows and totals of the assessed buildings, in `located` order; buildings
/// without ground motion or refused by the model go to `skipped`.
pub fn tally<'a>(
    located: &'a [Located],
    assessed: Vec<Outcome>,
    pga: &[f32],
    skipped: &mut Vec<SkippedBuilding>,
) -> Damage<'a> {
    let mut d = Damage {
        rows: Vec::new(),
        cells: CellDamage::new(pga.len()),
        grades: BTreeMap::new(),
        grades_by_structure: BTreeMap::new(),
        total_loss: 0.0,
        total_deaths: 0.0,
    };
    for (at, res) in located.iter().zip(assessed) {
        let (damage, zone, grade) = match res {
            Ok(Some(v)) => v,
            Ok(None) => {
                skipped.push(SkippedBuilding {
                    id: at.building.id.clone(),
                    reason: SkipReason::NoGroundMotion,
                });
                continue;
            }
            Err(e) => {
                skipped.push(SkippedBuilding {
                    id: at.building.id.clone(),
                    reason: e.into(),
                });
                continue;
            }
        };
        d.cells
            .add(at.cell, at.building.value, &damage, grade.grade);
        d.total_loss += damage.expected_loss;
        d.total_deaths += damage.deaths;
        let k = usize::from(grade.grade - 1);
        d.grades.entry(at.township.clone()).or_insert([0; 3])[k] += 1;
        d.grades_by_structure
            .entry(at.building.structure)
            .or_insert([0; 3])[k] += 1;
        d.rows.push(Assessed {
            at,
            pga_g: pga[at.cell],
            zone,
            damage,
            grade,
        });
    }
    d
}
