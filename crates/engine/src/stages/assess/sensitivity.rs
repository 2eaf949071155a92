//! Sensitivity of the index-route risk grids to the mitigation effectiveness α of
//! R = H·E·V·(1 − α·C) (`[risk] alpha` of a risk model, 0.5 by the project's
//! convention, `models/wildfire/wildfire_risk.toml`, `geohazard/geohazard_risk.toml`):
//! each risk model with a capacity factor and fixed breaks is scored again, in
//! memory, with α = 0, 0.25, 0.5 and 0.75 by the same compiled program as the
//! assess stage, and [`ALPHA_SENSITIVITY_CSV`] records per model and α the mean
//! risk index, the share of the classified area on levels I–II and the share of
//! cells whose level differs from the model's own α. The report prints the table.

use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_core::{GridSpec, Tile};
use riskcensus_io::RasterReader;
use riskcensus_models::Model;

use crate::error::EngineError;
use crate::stack::LayerStack;

pub use riskcensus_contracts::tables::risk::ALPHA_SENSITIVITY_CSV;

/// The values of α the table shows.
pub const ALPHAS: [f64; 4] = [0.0, 0.25, 0.5, 0.75];

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct AlphaRow {
    /// The risk model's id.
    pub model: String,
    /// Its hazard, if the file names one.
    pub hazard: String,
    /// α of this row.
    pub alpha: f64,
    /// True for the model file's own α.
    pub model_alpha: bool,
    /// Mean risk index over the scored cells.
    pub mean_score: f64,
    /// Share of the classified cells on levels I–II.
    pub top2_share: f64,
    /// Share of the classified cells whose level differs from the model's own α.
    pub changed_share: f64,
}

/// The rows of every risk model of `models` with a capacity factor, fixed breaks
/// and all inputs in `stack` (models without are passed over).
pub fn alpha_rows(
    grid: &GridSpec,
    stack: &LayerStack,
    models: &[Model],
) -> Result<Vec<AlphaRow>, EngineError> {
    let mut rows = Vec::new();
    for model in models {
        let riskcensus_models::model::Aggregation::Risk {
            alpha: own,
            capacity: true,
        } = *model.aggregation()
        else {
            continue;
        };
        if !model.classification().is_some_and(|c| c.has_breaks()) {
            continue;
        }
        let ids = model.compile().input_ids().to_vec();
        let Some(paths) = ids
            .iter()
            .map(|id| stack.get(id).map(|l| l.path.clone()))
            .collect::<Option<Vec<PathBuf>>>()
        else {
            continue;
        };
        let inputs: Vec<Array2<f32>> = paths
            .iter()
            .map(|p| Ok(RasterReader::open(p, 1)?.read_f32(grid.full_window())?))
            .collect::<Result<_, EngineError>>()?;
        let levels_at = |a: f64| -> Result<(Array2<f32>, Array2<u8>), EngineError> {
            let m = model.with_alpha(a).expect("a risk model with capacity");
            let program = m.compile();
            let tile = Tile {
                index: 0,
                core: grid.full_window(),
                read: grid.full_window(),
            };
            let views: Vec<_> = inputs.iter().map(|x| x.view()).collect();
            let mut score = Array2::<f32>::from_elem((grid.rows, grid.cols), f32::NAN);
            let mut levels = Array2::<u8>::zeros((grid.rows, grid.cols));
            // The assess stage scored these inputs with the same program but α.
            program
                .score_views(
                    &tile,
                    &views,
                    &mut score.view_mut(),
                    Some(&mut levels.view_mut()),
                )
                .expect("inputs the assess stage scored");
            Ok((score, levels))
        };
        let runs: Vec<(f64, Array2<f32>, Array2<u8>)> = ALPHAS
            .iter()
            .map(|&a| levels_at(a).map(|(s, l)| (a, s, l)))
            .collect::<Result<_, _>>()?;
        // The levels at the model's own α: one of the rows, else scored once more.
        let scored_again;
        let own_levels: &Array2<u8> = match runs.iter().find(|(a, _, _)| *a == own) {
            Some((_, _, l)) => l,
            None => {
                scored_again = levels_at(own)?.1;
                &scored_again
            }
        };
        for (a, score, levels) in &runs {
            let scored: Vec<f64> = score
                .iter()
                .filter(|v| !v.is_nan())
                .map(|&v| f64::from(v))
                .collect();
            let classified = levels.iter().filter(|&&l| l > 0).count().max(1) as f64;
            let top2 = levels.iter().filter(|&&l| (1..=2).contains(&l)).count() as f64;
            let changed = levels
                .iter()
                .zip(own_levels)
                .filter(|(l, b)| **l > 0 && l != b)
                .count() as f64;
            rows.push(AlphaRow {
                model: model.id().to_string(),
                hazard: model.hazard().unwrap_or("").to_string(),
                alpha: *a,
                model_alpha: *a == own,
                mean_score: scored.iter().sum::<f64>() / scored.len().max(1) as f64,
                top2_share: top2 / classified,
                changed_share: changed / classified,
            });
        }
    }
    Ok(rows)
}

/// Write [`ALPHA_SENSITIVITY_CSV`] into `out` (nothing when there are no rows).
pub fn write_csv(rows: &[AlphaRow], out: &Path) -> Result<Option<PathBuf>, EngineError> {
    if rows.is_empty() {
        return Ok(None);
    }
    let mut text =
        String::from("model,hazard,alpha,model_alpha,mean_score,top2_share,changed_share\n");
    for r in rows {
        text.push_str(&format!(
            "{},{},{},{},{:.6},{:.6},{:.6}\n",
            r.model,
            r.hazard,
            r.alpha,
            u8::from(r.model_alpha),
            r.mean_score,
            r.top2_share,
            r.changed_share
        ));
    }
    let p = out.join(ALPHA_SENSITIVITY_CSV);
    riskcensus_io::files::write_atomic(&p, text.as_bytes())?;
    Ok(Some(p))
}
