//! The `assess` stage: run the model library over the census layer stack.
//!
//! Each model file (`models/*.toml`, see docs/models.md) is validated once, checked
//! against the stack (every input layer present with the declared unit), compiled
//! into the fused scoring program of `riskcensus-models`, and run tile by tile
//! through the executor. A model writes its score as `<output>.tif` (float32, NaN
//! nodata) and, when it classifies, its levels as `<output>_level.tif` (u8, 0 =
//! nodata, colour table and class names). The output id is the model's id for risk
//! models and `<id>_hazard` for hazard models (so `flood` writes `flood_hazard`, the
//! input of `flood_risk`). Outputs join the stack, so models run in dependency order;
//! a model whose inputs are missing is skipped and the report says which.
//!
//! The model library ships inside the binary (the repository's `models/` folder);
//! a census may override a model by putting a file of the same id in
//! `<census>/models/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ndarray::{ArrayView2, ArrayViewMut2};
use riskcensus_core::{LevelScheme, Tile};
use riskcensus_io::cog::{CogOptions, CogWriter, LevelLegend, Provenance};
use riskcensus_models::{Aggregation, Model, Program};
use serde::Serialize;

use crate::error::EngineError;
use crate::executor::{run_tiled, ExecOptions, Sink, TileKernel};
use crate::progress::Progress;
use crate::provenance::{self, tag};

/// The model files built into the engine: (file name, text).
pub const BUILTIN_MODELS: &[(&str, &str)] = &[
    ("flood.toml", include_str!("../../../models/flood.toml")),
    (
        "flood_risk.toml",
        include_str!("../../../models/flood_risk.toml"),
    ),
    (
        "exposure.toml",
        include_str!("../../../models/exposure.toml"),
    ),
    (
        "flood_vulnerability.toml",
        include_str!("../../../models/flood_vulnerability.toml"),
    ),
    (
        "capacity.toml",
        include_str!("../../../models/capacity.toml"),
    ),
    (
        "comprehensive.toml",
        include_str!("../../../models/comprehensive.toml"),
    ),
];

/// A layer of the census stack: file and unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackLayer {
    pub path: PathBuf,
    pub unit: String,
}

/// The census layer stack: layer id → file and unit. All layers share the grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LayerStack {
    pub layers: BTreeMap<String, StackLayer>,
}

impl LayerStack {
    pub fn insert(
        &mut self,
        id: impl Into<String>,
        path: impl Into<PathBuf>,
        unit: impl Into<String>,
    ) {
        self.layers.insert(
            id.into(),
            StackLayer {
                path: path.into(),
                unit: unit.into(),
            },
        );
    }

    pub fn get(&self, id: &str) -> Option<&StackLayer> {
        self.layers.get(id)
    }
}

/// One model's run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRun {
    pub model: String,
    pub version: String,
    pub param_hash: String,
    pub output: String,
    pub score_path: PathBuf,
    pub level_path: Option<PathBuf>,
    pub breaks: Option<Vec<f64>>,
}

/// What `assess` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AssessReport {
    pub runs: Vec<ModelRun>,
    /// Models not run: (model id, reason).
    pub skipped: Vec<(String, String)>,
}

/// The output layer id of a model: the file's `output`, else the model id for risk
/// and comprehensive models and `<id>_hazard` for hazard indices.
pub fn output_id(model: &Model) -> String {
    if let Some(o) = model.output() {
        return o.to_string();
    }
    match model.aggregation() {
        Aggregation::Risk { .. } => model.id().to_string(),
        _ if model.id().starts_with("comprehensive") => model.id().to_string(),
        _ => format!("{}_hazard", model.id()),
    }
}

/// Load the model library: built-in models, overridden or extended by
/// `<census>/models/*.toml`; `only` keeps the models whose id is listed.
pub fn load_models(census_dir: &Path, only: &[String]) -> Result<Vec<Model>, EngineError> {
    let mut by_id: BTreeMap<String, Model> = BTreeMap::new();
    for (name, text) in BUILTIN_MODELS {
        let m = Model::from_toml(text, Path::new("models").join(name)).map_err(model_err)?;
        by_id.insert(m.id().to_string(), m);
    }
    let local = census_dir.join("models");
    if local.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&local)
            .map_err(EngineError::fs(&local))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        for f in files {
            let m = Model::load(&f).map_err(model_err)?;
            by_id.insert(m.id().to_string(), m);
        }
    }
    for want in only {
        if !by_id.contains_key(want) {
            return Err(EngineError::Layer {
                layer: "assess".into(),
                msg: format!(
                    "no model with id {want:?} (known: {})",
                    by_id.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    Ok(by_id
        .into_values()
        .filter(|m| only.is_empty() || only.iter().any(|o| o == m.id()))
        .collect())
}

fn model_err(e: riskcensus_models::ModelError) -> EngineError {
    EngineError::Config {
        path: PathBuf::from("models"),
        msg: e.to_string(),
    }
}

/// Run `models` over `stack` on `grid`, writing outputs into `out`. Outputs are added
/// to `stack`.
pub fn assess(
    grid: &riskcensus_core::GridSpec,
    stack: &mut LayerStack,
    models: &[Model],
    out: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<AssessReport, EngineError> {
    std::fs::create_dir_all(out).map_err(EngineError::fs(out))?;
    let mut report = AssessReport::default();
    let mut pending: Vec<&Model> = models.iter().collect();
    // Dependency order: run whatever has all its inputs, until nothing changes.
    loop {
        let ready = pending.iter().position(|m| {
            m.check_stack(
                stack
                    .layers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.unit.as_str())),
            )
            .is_ok()
        });
        let Some(i) = ready else { break };
        let model = pending.remove(i);
        let run = run_model(grid, stack, model, out, exec, progress)?;
        stack.insert(run.output.clone(), run.score_path.clone(), "index");
        if let Some(lp) = &run.level_path {
            stack.insert(format!("{}_level", run.output), lp.clone(), "level");
        }
        report.runs.push(run);
    }
    for m in pending {
        let why = m
            .check_stack(
                stack
                    .layers
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.unit.as_str())),
            )
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        report.skipped.push((m.id().to_string(), why));
    }
    Ok(report)
}

fn run_model(
    grid: &riskcensus_core::GridSpec,
    stack: &LayerStack,
    model: &Model,
    out: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<ModelRun, EngineError> {
    let program = model.compile();
    let inputs: Vec<PathBuf> = program
        .input_ids()
        .iter()
        .map(|id| {
            stack
                .get(id)
                .expect("checked against the stack")
                .path
                .clone()
        })
        .collect();
    let output = output_id(model);
    let mut tags: Provenance = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", model.id(), model.version()),
    );
    tags.insert(tag::PARAM_HASH.into(), model.param_hash());
    tags.insert(tag::LAYER.into(), output.clone());
    let digests: Vec<String> = program
        .input_ids()
        .iter()
        .map(|id| {
            let p = &stack.get(id).expect("checked").path;
            riskcensus_io::digest::file_sha256(p).map(|d| format!("{id}={d}"))
        })
        .collect::<Result<_, _>>()?;
    tags.insert(tag::INPUT_DIGESTS.into(), digests.join(";"));
    let cog = CogOptions::default();
    let score_path = out.join(format!("{output}.tif"));
    let mut score = CogWriter::<f32>::create(&score_path, grid, Some(f64::NAN), cog.clone())?;
    score.set_tags(&tags);
    let mut sinks: Vec<Sink> = vec![score.into()];
    let classification = model.classification();
    let mut level_path = None;
    if let Some(c) = classification {
        let p = out.join(format!("{output}_level.tif"));
        let mut w = CogWriter::<u8>::create(&p, grid, Some(0.0), cog)?;
        let mut t = tags.clone();
        t.insert("RISKCENSUS_CLASS_BREAKS".into(), format!("{:?}", c.breaks));
        t.insert("RISKCENSUS_CLASS_METHOD".into(), c.method.into());
        w.set_tags(&t);
        let scheme = c.scheme.unwrap_or(if c.breaks.len() + 1 == 4 {
            LevelScheme::Geohazard
        } else {
            LevelScheme::Risk
        });
        w.set_legend(LevelLegend(scheme));
        sinks.push(w.into());
        level_path = Some(p);
    }
    let kernel = ModelKernel {
        program,
        levels: classification.is_some(),
    };
    run_tiled(
        grid,
        &inputs,
        &kernel,
        sinks,
        exec,
        progress,
        &format!("assess: {}", model.id()),
    )?;
    Ok(ModelRun {
        model: model.id().to_string(),
        version: model.version().to_string(),
        param_hash: model.param_hash(),
        output,
        score_path,
        level_path,
        breaks: classification.map(|c| c.breaks.clone()),
    })
}

/// The fused program of a model as a tile kernel: score (+ levels as f32 codes).
struct ModelKernel {
    program: Program,
    levels: bool,
}

impl TileKernel for ModelKernel {
    fn outputs(&self) -> usize {
        1 + self.levels as usize
    }

    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]) {
        let (score, rest) = outputs.split_first_mut().expect("one output at least");
        if self.levels {
            let mut lv = ndarray::Array2::<u8>::zeros(score.dim());
            self.program
                .score_views(tile, inputs, score, Some(&mut lv.view_mut()))
                .expect("inputs checked against the stack");
            rest[0].zip_mut_with(&lv, |o, l| *o = if *l == 0 { f32::NAN } else { *l as f32 });
        } else {
            self.program
                .score_views(tile, inputs, score, None)
                .expect("inputs checked against the stack");
        }
    }
}
