//! Scoring model files over the census layer stack: the machinery of the `assess`
//! stage, shared with the hazard stages that score a model file of their own (the
//! wildfire hazard and capacity).
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
use riskcensus_models::{Aggregation, Library, Model, Program};
use serde::Serialize;

use crate::error::EngineError;
use crate::executor::{run_tiled, ExecOptions, Sink, TileKernel};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;

/// One model's run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRun {
    /// The model id.
    pub model: String,
    /// The model's version.
    pub version: String,
    /// SHA-256 (hex) of the model's validated parameters ([`Model::param_hash`]).
    pub param_hash: String,
    /// The output layer id ([`output_id`]): the file's `output`, else the model id
    /// for a risk model and `<id>_hazard` for a hazard model.
    pub output: String,
    /// The score grid `<output>.tif` (float32, NaN nodata, census grid).
    pub score_path: PathBuf,
    /// The level grid `<output>_level.tif` (u8, 0 = nodata), when the model
    /// classifies.
    pub level_path: Option<PathBuf>,
    /// The inner class breaks (K − 1 for K levels), when the model classifies; for a
    /// data-driven method, the breaks computed on this run's score grid.
    pub breaks: Option<Vec<f64>>,
    /// Classification method (`fixed_breaks`, `natural_breaks`, …).
    pub method: Option<String>,
    /// True when the outputs of an earlier run were current and kept (resume).
    pub cached: bool,
}

impl ModelRun {
    /// The run as a manifest entry.
    pub fn entry(&self) -> riskcensus_contracts::manifest::ModelEntry {
        riskcensus_contracts::manifest::ModelEntry {
            id: self.model.clone(),
            version: self.version.clone(),
            param_hash: self.param_hash.clone(),
            output: self.output.clone(),
            method: self.method.clone(),
            breaks: self.breaks.clone(),
        }
    }
}

/// What `assess` did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AssessReport {
    /// The models run (or kept from an earlier run), in the order they ran.
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

/// The scoring models of a census's library ([`Library::scoring_models`]) but those
/// at `except` (files a stage scores itself), in id order. Two files declaring the
/// same id are an error naming both: a census overrides a shipped model by putting
/// its file at the shipped file's path (`<census>/models/flood/flood.toml`).
pub fn load_models(library: &Library, except: &[&str]) -> Result<Vec<Model>, EngineError> {
    let mut by_id: BTreeMap<String, Model> = BTreeMap::new();
    for m in library.scoring_models(except)? {
        if let Some(first) = by_id.get(m.id()) {
            return Err(EngineError::DuplicateModel {
                id: m.id().to_string(),
                first: first.origin().to_path_buf(),
                second: m.origin().to_path_buf(),
            });
        }
        by_id.insert(m.id().to_string(), m);
    }
    Ok(by_id.into_values().collect())
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
    // Resume: outputs are written atomically, so a score (and level grid) carrying
    // this model's parameter hash and these input digests is complete and current.
    let level_file = out.join(format!("{output}_level.tif"));
    let current = |p: &Path| {
        p.exists()
            && riskcensus_io::RasterReader::open(p, 1).is_ok_and(|r| {
                r.metadata(tag::PARAM_HASH).as_deref()
                    == tags.get(tag::PARAM_HASH).map(|s| s.as_str())
                    && r.metadata(tag::INPUT_DIGESTS).as_deref()
                        == tags.get(tag::INPUT_DIGESTS).map(|s| s.as_str())
            })
    };
    if let Some(c) = model.classification().filter(|c| c.has_breaks()) {
        if current(&score_path) && current(&level_file) {
            return Ok(ModelRun {
                model: model.id().to_string(),
                version: model.version().to_string(),
                param_hash: model.param_hash(),
                output,
                score_path,
                level_path: Some(level_file),
                breaks: Some(c.breaks.clone()),
                method: Some(c.method.to_string()),
                cached: true,
            });
        }
    } else if model.classification().is_none() && current(&score_path) {
        return Ok(ModelRun {
            model: model.id().to_string(),
            version: model.version().to_string(),
            param_hash: model.param_hash(),
            output,
            score_path,
            level_path: None,
            breaks: None,
            method: None,
            cached: true,
        });
    }
    let mut score = CogWriter::<f32>::create(&score_path, grid, Some(f64::NAN), cog.clone())?;
    score.set_tags(&tags);
    let mut sinks: Vec<Sink> = vec![score.into()];
    let classification = model.classification();
    let mut level_path = None;
    if let Some(c) = classification.filter(|c| c.has_breaks()) {
        let p = level_file.clone();
        let mut w = CogWriter::<u8>::create(&p, grid, Some(0.0), cog)?;
        let mut t = tags.clone();
        t.insert("RISKCENSUS_CLASS_BREAKS".into(), format!("{:?}", c.breaks));
        t.insert("RISKCENSUS_CLASS_METHOD".into(), c.method.into());
        w.set_tags(&t);
        // A model naming no scheme gets neutral level names, never hazard or risk.
        let scheme = c
            .scheme
            .clone()
            .unwrap_or_else(|| LevelScheme::generic(c.breaks.len() + 1));
        w.set_legend(LevelLegend(scheme));
        sinks.push(w.into());
        level_path = Some(p);
    }
    let kernel = ModelKernel {
        program,
        levels: classification.is_some_and(|c| c.has_breaks()),
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
    let mut resolved = classification.cloned();
    if let Some(c) = classification.filter(|c| !c.has_breaks()) {
        let (p, r) = classify_from_data(grid, model, c, &score_path, &level_file, &tags)?;
        level_path = Some(p);
        resolved = Some(r);
    }
    let classification = resolved.as_ref();
    Ok(ModelRun {
        model: model.id().to_string(),
        version: model.version().to_string(),
        param_hash: model.param_hash(),
        output,
        score_path,
        level_path,
        breaks: classification.map(|c| c.breaks.clone()),
        method: classification.map(|c| c.method.to_string()),
        cached: false,
    })
}

/// Levels of a data-driven classification (natural breaks, quantile, equal interval):
/// the breaks are computed on the FULL population of the score grid just written
/// (`riskcensus_zoning`: exact Fisher–Jenks on the score quantised to the model's
/// step, exact two-pass Hyndman–Fan type 7 quantiles, or equal intervals), then every
/// cell is classified with them. Returns the level file and the resolved
/// classification (inner breaks); the K upper bounds, the last being the maximum,
/// are recorded in the level grid's tags.
fn classify_from_data(
    grid: &riskcensus_core::GridSpec,
    model: &Model,
    c: &riskcensus_models::Classification,
    score_path: &Path,
    level_path: &Path,
    tags: &Provenance,
) -> Result<(PathBuf, riskcensus_models::Classification), EngineError> {
    let score = riskcensus_io::RasterReader::open(score_path, 1)?.read_f32(grid.full_window())?;
    let values = score.as_slice().expect("standard layout");
    let zerr = |source: riskcensus_zoning::ZoningError| EngineError::Breaks {
        what: format!("model {}", model.id()),
        method: c.method.to_string(),
        source,
    };
    let step = c.step.unwrap_or(riskcensus_models::classify::DEFAULT_STEP);
    let mut h = riskcensus_zoning::Histogram::new(step).map_err(zerr)?;
    h.add(values).map_err(zerr)?;
    let k = c.classes();
    let breaks = match c.method {
        "natural_breaks" => h.jenks(k).map_err(zerr)?,
        "quantile" => {
            let mut plan = h.quantile_plan(k).map_err(zerr)?;
            plan.add(values);
            plan.finish().map_err(zerr)?
        }
        _ => h.equal(k).map_err(zerr)?,
    };
    let resolved = c.with_breaks(breaks.inner().to_vec());
    let mut levels = vec![0u8; values.len()];
    resolved.classify(values, &mut levels);
    let mut w = CogWriter::<u8>::create(level_path, grid, Some(0.0), CogOptions::default())?;
    let mut t = tags.clone();
    t.insert(
        "RISKCENSUS_CLASS_BREAKS".into(),
        format!("{:?}", resolved.breaks),
    );
    t.insert(
        "RISKCENSUS_CLASS_BOUNDS".into(),
        format!("{:?}", breaks.bounds),
    );
    t.insert("RISKCENSUS_CLASS_METHOD".into(), c.method.into());
    if let Some(st) = breaks.step {
        t.insert("RISKCENSUS_CLASS_STEP".into(), format!("{st}"));
    }
    w.set_tags(&t);
    w.set_legend(LevelLegend(
        c.scheme.clone().unwrap_or_else(|| LevelScheme::generic(k)),
    ));
    w.write_window(grid.full_window(), &levels)?;
    w.finish()?;
    Ok((level_path.to_path_buf(), resolved))
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
