//! The assess stage: the census's model library (`models/*.toml`, overridden or
//! extended by `<census>/models/`) scored over the layer stack in dependency order
//! ([`crate::score`]), and the sensitivity of the index-route risk grids to the
//! mitigation effectiveness α ([`sensitivity`]).

pub mod sensitivity;

use riskcensus_models::Model;

use crate::error::EngineError;
use crate::score::{assess, load_models};

/// The assess stage's id.
pub const ID: &str = "assess";

/// The assess stage: the model library of the census over the layer stack.
#[derive(Debug, Default, Clone, Copy)]
pub struct AssessStage;

impl crate::stage::Stage for AssessStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs::default())
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec!["<model output>", "<model output>_level"],
            files: vec![sensitivity::ALPHA_SENSITIVITY_CSV],
        }
    }

    fn selected(&self, _filter: &[String]) -> bool {
        true
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        // The filter's ids that name models of the library; a filter that names
        // none (only stages) runs no model.
        let all = load_models(cx.library, &cx.scored_by_stages)?;
        let only: Vec<String> = cx
            .filter
            .iter()
            .filter(|f| all.iter().any(|m| m.id() == f.as_str()))
            .cloned()
            .collect();
        let models: Vec<Model> = if cx.filter.is_empty() {
            all
        } else {
            all.into_iter()
                .filter(|m| only.iter().any(|o| o == m.id()))
                .collect()
        };
        let out = cx.layout.assess();
        let report = assess(
            &cx.census.grid,
            &mut cx.stack,
            &models,
            &out,
            cx.exec,
            cx.progress,
        )?;
        let rows = sensitivity::alpha_rows(&cx.census.grid, &cx.stack, &models)?;
        sensitivity::write_csv(&rows, &out)?;
        Ok(crate::stage::StageOutcome::with_details(report))
    }
}
