//! The flood stage (洪涝): the HAND inundation screen gives the flood depth of each
//! design event ([`depth`]), and the buildings' depth–damage curves give their loss
//! per event and the expected annual damage ([`damage`]). The science of both is in
//! [`riskcensus_models::flood`]; this folder reads the stack and the census database
//! and writes the grids and tables; the deaths per event come from the depth
//! mortality function. The stage publishes its losses ([`crate::loss`]) for the
//! risk stage, which turns them into risk levels. The flood hazard index is a
//! model file scored by the assess stage.

pub mod damage;
pub mod depth;
pub mod prevention;

use serde::Serialize;

use crate::error::EngineError;
use crate::run::operator_entry;
use crate::stage::{Context, Needs, Stage, StageOutcome, Writes};
use damage::{flood_damage, DamageReport};
use depth::flood_depths;
use riskcensus_models::flood::DepthScreen;

/// What the flood stage wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FloodReport {
    /// (layer id, path) of the depth grids, one per design event.
    pub depths: Vec<(String, std::path::PathBuf)>,
    /// Per-building damage and the loss grids.
    pub damage: DamageReport,
    /// (layer id, path) of `flood_risk` and `flood_risk_level` (the loss route).
    pub risk: Vec<(String, std::path::PathBuf)>,
}

/// The flood stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct FloodStage;

/// The flood stage's id.
pub const ID: &str = "flood";

impl Stage for FloodStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError> {
        // The damage curves and the mortality function are read and checked here,
        // with the plan, so a bad file stops the run before anything is computed.
        damage::load(cx.library)?;
        damage::load_mortality(cx.library)?;
        Ok(Needs {
            layers: vec![depth::load(cx.library)?.input().to_string()],
            ..Needs::default()
        })
    }

    /// The depth grids of the screen's return periods and the damage grids (NaN
    /// where no building stands, all NaN without buildings).
    fn plans(&self, cx: &Context<'_>) -> Result<Vec<String>, EngineError> {
        let screen = depth::load(cx.library)?;
        let periods: Vec<u32> = screen
            .stages()
            .iter()
            .map(|s| s.return_period_years)
            .collect();
        let mut out: Vec<String> = periods.iter().map(|&t| DepthScreen::layer_id(t)).collect();
        for t in &periods {
            out.push(format!("flood_loss_{t}y"));
            out.push(format!("flood_damage_ratio_{t}y"));
        }
        // The annual loss and the risk need surveyed buildings.
        if crate::plan::will_have_records(cx, riskcensus_contracts::tables::census::BUILDINGS)? {
            out.push(damage::AAL_LAYER.into());
            out.push(damage::DEATHS_LAYER.into());
            out.push("flood_risk".into());
            out.push("flood_risk_level".into());
        }
        Ok(out)
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: vec![
                "flood_depth_<T>y",
                "flood_loss_<T>y",
                "flood_damage_ratio_<T>y",
                damage::AAL_LAYER,
                damage::DEATHS_LAYER,
                "flood_risk",
                "flood_risk_level",
            ],
            files: vec!["flood_building_damage.csv"],
        }
    }

    /// The screen runs when no filter is given or the filter names its id.
    fn selected(&self, filter: &[String]) -> bool {
        filter.is_empty() || filter.iter().any(|m| m == "flood_depth")
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let screen = depth::load(cx.library)?;
        let out = cx.layout.assess();
        let depths = flood_depths(
            &cx.census.grid,
            &mut cx.stack,
            &screen,
            &out,
            cx.exec,
            cx.progress,
        )?;
        let curves = damage::load(cx.library)?;
        let events: Vec<(u32, String)> = screen
            .stages()
            .iter()
            .map(|s| {
                (
                    s.return_period_years,
                    DepthScreen::layer_id(s.return_period_years),
                )
            })
            .collect();
        let mortality = damage::load_mortality(cx.library)?;
        let mut damage = flood_damage(
            cx.census,
            &mut cx.stack,
            &events,
            &curves,
            &mortality,
            screen.protection_years(),
            &out,
        )?;
        let mut risk = Vec::new();
        // The per-cell totals feed the risk and are dropped (three grid-sized
        // vectors the run need not keep); the losses go to the comprehensive stage.
        if let (Some(l), Some(totals)) = (damage.losses.take(), damage.totals.take()) {
            risk = crate::loss::write_risk(cx, ID, &totals)?;
            cx.publish(l);
            cx.publish(std::sync::Arc::new(crate::loss::FloodExposure {
                buildings: std::mem::take(&mut damage.inputs),
                stages: screen
                    .stages()
                    .iter()
                    .map(|s| (s.return_period_years, s.stage_m))
                    .collect(),
                protection_years: screen.protection_years(),
                hand_layer: screen.input().to_string(),
                curves: curves.clone(),
                mortality: mortality.clone(),
            }));
        }
        let mut outcome = StageOutcome::with_details(FloodReport {
            depths,
            damage,
            risk,
        });
        outcome.operators = vec![
            operator_entry(screen.id(), screen.version(), &screen, "flood_depth_<T>y"),
            operator_entry(
                curves.id(),
                curves.version(),
                &curves,
                "flood_loss_<T>y, flood_damage_ratio_<T>y, flood_aal",
            ),
            operator_entry(
                mortality.id(),
                mortality.version(),
                &mortality,
                "flood_deaths_annual",
            ),
        ];
        Ok(outcome)
    }
}
