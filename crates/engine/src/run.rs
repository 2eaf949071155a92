//! A whole census run as a library call: ingest what the census database lacks →
//! the stages in order (prepare, the hazard stages, assess, zoning) → `manifest.json`
//! → maps and `report.html`. The command line (`riskcensus run`) and the demo both
//! call [`run`]; a service does too.
//!
//! Outputs go to the run folder ([`RunLayout`]): `<census>/out/<run-id>/` by default.
//! A run killed at any point and started again resumes: sources no committed batch
//! loaded are loaded, outputs whose provenance says they are current are kept, the
//! rest are rebuilt, and the result equals an uninterrupted run byte for byte.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use riskcensus_contracts::layout::{self, RunLayout};
use riskcensus_contracts::manifest::ModelEntry;
use riskcensus_models::Library;
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::ingest::IngestReport;
use crate::progress::Progress;
use crate::stack::LayerStack;
use crate::stage::{unmet, Context, Stage, StageOutcome};
use crate::stages;

/// How to run a census.
#[derive(Clone)]
pub struct RunOptions {
    /// Name of the run: outputs go to `<census>/out/<run_id>/`.
    pub run_id: String,
    /// Run only these models and stages (ids; a stage runs when an id starts with
    /// its own); empty: everything.
    pub models: Vec<String>,
    /// Threads and tiling.
    pub exec: ExecOptions,
    /// Draw the maps and write `report.html` at the end (default true).
    pub report: bool,
    /// Options of the report (web-only maps, font).
    pub report_options: riskcensus_report::ReportOptions,
    /// Stages of the caller's own (e.g. a hazard the engine does not ship), run
    /// after the built-in hazard stages and before assess, so their outputs can feed
    /// model files.
    pub extra_stages: Vec<Arc<dyn Stage>>,
    /// The scenario files the scenarios stage runs (None: the census's
    /// `scenarios/*.toml`, docs/scenarios.md).
    pub scenarios: Option<Vec<PathBuf>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            run_id: layout::DEFAULT_RUN_ID.to_string(),
            models: Vec::new(),
            exec: ExecOptions::default(),
            report: true,
            report_options: riskcensus_report::ReportOptions::default(),
            extra_stages: Vec::new(),
            scenarios: None,
        }
    }
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("run_id", &self.run_id)
            .field("models", &self.models)
            .field("exec", &self.exec)
            .field("report", &self.report)
            .field(
                "extra_stages",
                &self.extra_stages.iter().map(|s| s.id()).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// One stage of a run: what it handed back, or why it was skipped.
#[derive(Debug, Clone)]
pub struct StageRun {
    /// The stage id.
    pub id: String,
    /// What the stage handed back, when it ran.
    pub outcome: Option<StageOutcome>,
    /// Why the stage did not run (its needs were not met, or the model filter left
    /// it out).
    pub skipped: Option<String>,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The census that ran.
    pub census: CensusConfig,
    /// The run's folders.
    pub layout: RunLayout,
    /// What the run planned: per hazard, what it produces and what it lacks.
    pub plan: crate::plan::Plan,
    /// Why the maps and report were not drawn, when they were asked for and not.
    pub report_skipped: Option<String>,
    /// Sources loaded into the census database by this run (id and report, or the
    /// error that refused the whole source).
    pub ingested: Vec<(String, Result<IngestReport, String>)>,
    /// Every stage, in run order.
    pub stages: Vec<StageRun>,
    /// The layer stack at the end of the run.
    pub stack: LayerStack,
    /// Wall time per step, seconds (the only part of a run that is not reproducible).
    pub timings: Vec<(String, f64)>,
    /// The hazards of the census's model library, in order.
    pub hazards: Vec<riskcensus_core::HazardInfo>,
    /// `manifest.json`.
    pub manifest: PathBuf,
    /// The maps and report, when drawn.
    pub report: Option<riskcensus_report::ReportSummary>,
}

impl RunReport {
    /// The stage `id`, if it is part of the run.
    pub fn stage(&self, id: &str) -> Option<&StageRun> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The typed report of stage `id` (e.g.
    /// `details::<riskcensus_engine::stages::zoning::ZoningReport>("zoning")`), when
    /// the stage ran.
    pub fn details<T: 'static>(&self, id: &str) -> Option<&T> {
        self.stage(id)?
            .outcome
            .as_ref()?
            .details
            .as_ref()?
            .downcast_ref::<T>()
    }

    /// The prepare stage's report.
    pub fn prepared(&self) -> Option<&stages::prepare::PrepareReport> {
        self.details(stages::prepare::ID)
    }

    /// The flood stage's report.
    pub fn flood(&self) -> Option<&stages::flood::FloodReport> {
        self.details(stages::flood::ID)
    }

    /// The assess stage's report.
    pub fn assessed(&self) -> Option<&crate::score::AssessReport> {
        self.details(stages::assess::ID)
    }

    /// The comprehensive stage's report.
    pub fn comprehensive(&self) -> Option<&stages::comprehensive::ComprehensiveReport> {
        self.details(stages::comprehensive::ID)
    }

    /// The trends stage's report.
    pub fn trends(&self) -> Option<&stages::trends::TrendsReport> {
        self.details(stages::trends::ID)
    }

    /// The capacity-gaps stage's report.
    pub fn capacity_gaps(&self) -> Option<&stages::capacity_gaps::CapacityReport> {
        self.details(stages::capacity_gaps::ID)
    }

    /// The scenarios stage's report.
    pub fn scenarios(&self) -> Option<&stages::scenarios::ScenariosReport> {
        self.details(stages::scenarios::ID)
    }

    /// The zoning stage's report.
    pub fn zoned(&self) -> Option<&stages::zoning::ZoningReport> {
        self.details(stages::zoning::ID)
    }

    /// Built-in operators of every stage, as manifest entries.
    pub fn operators(&self) -> impl Iterator<Item = &ModelEntry> {
        self.stages
            .iter()
            .filter_map(|s| s.outcome.as_ref())
            .flat_map(|o| o.operators.iter())
    }

    /// Seeds of every stage (name → seed).
    pub fn seeds(&self) -> impl Iterator<Item = &(String, u64)> {
        self.stages
            .iter()
            .filter_map(|s| s.outcome.as_ref())
            .flat_map(|o| o.seeds.iter())
    }

    /// The run as JSON: ingested sources, and per stage its report or why it was
    /// skipped.
    pub fn summary(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Ingested<'a> {
            id: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            report: Option<&'a IngestReport>,
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<&'a str>,
        }
        let ingested: Vec<Ingested> = self
            .ingested
            .iter()
            .map(|(id, r)| Ingested {
                id,
                report: r.as_ref().ok(),
                error: r.as_ref().err().map(|s| s.as_str()),
            })
            .collect();
        let stages: serde_json::Map<String, serde_json::Value> = self
            .stages
            .iter()
            .map(|s| {
                let v = match (&s.outcome, &s.skipped) {
                    (Some(o), _) => o.summary.clone(),
                    (None, Some(why)) => serde_json::json!({ "skipped": why }),
                    (None, None) => serde_json::Value::Null,
                };
                (s.id.clone(), v)
            })
            .collect();
        serde_json::json!({
            "run_dir": self.layout.dir,
            "ingested": ingested,
            "stages": stages,
            "plan": self.plan,
            "manifest": self.manifest,
            "report": self.report.as_ref().map(|r| &r.html),
            "report_skipped": self.report_skipped,
        })
    }
}

/// A manifest entry for a built-in operator's validated parameters.
pub fn operator_entry<T: Serialize>(
    id: &str,
    version: &str,
    params: &T,
    output: &str,
) -> ModelEntry {
    ModelEntry {
        id: id.to_string(),
        version: version.to_string(),
        param_hash: crate::provenance::param_hash(params),
        output: output.to_string(),
        method: None,
        breaks: None,
    }
}

/// Run the census in `census_dir` into `<census_dir>/out/<run_id>/`.
///
/// ```no_run
/// use riskcensus_engine::{run, RunOptions, progress::NoProgress};
/// let report = run(std::path::Path::new("my-county"), &RunOptions::default(), &NoProgress)?;
/// println!("manifest: {}", report.manifest.display());
/// # Ok::<(), riskcensus_engine::EngineError>(())
/// ```
pub fn run(
    census_dir: &Path,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunReport, EngineError> {
    layout::check_run_id(&opts.run_id).map_err(|msg| EngineError::Config {
        path: census_dir.to_path_buf(),
        msg,
    })?;
    run_in(
        census_dir,
        &RunLayout::of_census(census_dir, &opts.run_id),
        opts,
        progress,
    )
}

/// Run the census in `census_dir` into the run folder `layout` (the demo writes its
/// run beside its census: `out/demo/{census,layers,assess,…}`).
pub fn run_in(
    census_dir: &Path,
    layout: &RunLayout,
    opts: &RunOptions,
    progress: &dyn Progress,
) -> Result<RunReport, EngineError> {
    let census = CensusConfig::load(census_dir)?;
    with_context(&census, layout, opts, progress, |mut cx, stages| {
        // The plan first: every model file (and the stages' parameter files, through
        // their needs) is read and checked before anything is loaded or computed,
        // and nothing is when no hazard can run. Sources not loaded yet count as
        // present: the run loads them next.
        let plan = crate::plan::plan(&cx, stages)?;
        progress.plan(&plan);
        if let Some(why) = plan.nothing_runs() {
            return Err(EngineError::NothingToRun {
                census: census_dir.to_path_buf(),
                why,
            });
        }
        // Every place the run writes is checked before anything is loaded or
        // computed: a read-only census or run folder is named now, not half-way.
        riskcensus_survey::census::check_writable(&cx.census.dir)?;
        riskcensus_io::files::check_writable_dir(&layout.dir, "the run's outputs")?;
        let mut timings: Vec<(String, f64)> = Vec::new();

        // Ingest if needed: every source no committed batch has loaded (all of them
        // for a census without its database; the rest of a load that was killed).
        let t = Instant::now();
        progress.start("ingest: survey sources", 1);
        let mut ingested = Vec::new();
        for (id, r) in crate::ingest::ingest_pending_sources(cx.census)? {
            match r {
                Ok(rep) => ingested.push((id, Ok(rep))),
                Err(e) => return Err(crate::ingest::engine_error(e)),
            }
        }
        progress.advance(1);
        progress.finish("ingest: survey sources");
        timings.push(("ingest".into(), t.elapsed().as_secs_f64()));

        // Resume after a kill: drop the temporary files the killed process left.
        for d in layout.output_dirs() {
            riskcensus_io::cog::sweep_stale_temps(&d)?;
        }
        let mut runs = Vec::new();
        for stage in stages {
            let t = Instant::now();
            let skipped = if !stage.selected(&opts.models) {
                Some("not selected by --model".to_string())
            } else {
                unmet(&stage.needs(&cx)?, &cx)?
            };
            let outcome = match &skipped {
                Some(_) => None,
                None => {
                    let dir = cx.dir(stage.folder());
                    std::fs::create_dir_all(&dir).map_err(EngineError::fs(&dir))?;
                    riskcensus_io::fault::point("stage-start", stage.id());
                    let outcome = {
                        let _fault = riskcensus_io::fault::context(stage.id());
                        stage.run(&mut cx)?
                    };
                    riskcensus_io::fault::point("stage-done", stage.id());
                    Some(outcome)
                }
            };
            let seconds = t.elapsed().as_secs_f64();
            if outcome.is_some() {
                timings.push((stage.id().to_string(), seconds));
            }
            runs.push(StageRun {
                id: stage.id().to_string(),
                outcome,
                skipped,
                seconds,
            });
        }
        let has_levels = cx.stack.layers.keys().any(|l| l.ends_with("_level"));
        let mut report = RunReport {
            census: cx.census.clone(),
            layout: layout.clone(),
            plan,
            report_skipped: None,
            ingested,
            stages: runs,
            hazards: cx.vocabulary.hazards().cloned().collect(),
            stack: cx.stack,
            timings,
            manifest: layout.manifest(),
            report: None,
        };
        crate::manifest::write(&report)?;
        if opts.report && !has_levels {
            report.report_skipped = Some(
                "no level grid in the run: the maps and report show levels (see the plan)".into(),
            );
        }
        if opts.report && has_levels {
            let t = Instant::now();
            let summary = riskcensus_report::render_report(&layout.dir, &opts.report_options)
                .map_err(|source| EngineError::Report {
                    run_dir: layout.dir.clone(),
                    source,
                })?;
            report
                .timings
                .push(("report".into(), t.elapsed().as_secs_f64()));
            report.report = Some(summary);
        }
        Ok(report)
    })
}

/// The stages of a run: the built-in ones with the caller's extra stages before
/// assess (and so before the comprehensive and zoning stages).
fn stages_of(opts: &RunOptions) -> Vec<Arc<dyn Stage>> {
    let mut stages = stages::builtin();
    let at = stages
        .iter()
        .position(|s| s.id() == stages::assess::ID)
        .expect("the built-in stages hold assess");
    for (i, s) in opts.extra_stages.iter().enumerate() {
        stages.insert(at + i, s.clone());
    }
    stages
}

/// `f` on the context of a run of `census` (its model library read, the model
/// filter checked) and the run's stages.
fn with_context<R>(
    census: &CensusConfig,
    layout: &RunLayout,
    opts: &RunOptions,
    progress: &dyn Progress,
    f: impl FnOnce(Context<'_>, &[Arc<dyn Stage>]) -> Result<R, EngineError>,
) -> Result<R, EngineError> {
    let stages = stages_of(opts);
    let library = Library::for_census(&census.dir)?;
    let vocabulary = library.vocabulary()?;
    check_filter(&library, &stages, &opts.models)?;
    let mut cx = Context::new(
        census,
        layout,
        &opts.exec,
        progress,
        &opts.models,
        &library,
        &vocabulary,
    );
    cx.scenario_files = opts.scenarios.clone();
    cx.scored_by_stages = stages
        .iter()
        .flat_map(|s| s.scores_itself().iter().copied())
        .collect();
    f(cx, &stages)
}

/// The plan of a run of the census in `census_dir` as it stands (the census
/// database as loaded; sources declared in `census.toml` and not yet loaded count as
/// present, since the run loads them first), without computing anything. A
/// `census.toml` whose source files are missing still has a plan.
pub fn plan_census(census_dir: &Path, opts: &RunOptions) -> Result<crate::plan::Plan, EngineError> {
    let (census, _problems) = CensusConfig::load_lenient(census_dir)?;
    let layout = RunLayout::of_census(census_dir, &opts.run_id);
    with_context(
        &census,
        &layout,
        opts,
        &crate::progress::NoProgress,
        |cx, stages| crate::plan::plan(&cx, stages),
    )
}

/// Every id of the model filter must name a model of the library or select a stage.
fn check_filter(
    library: &Library,
    stages: &[Arc<dyn Stage>],
    filter: &[String],
) -> Result<(), EngineError> {
    if filter.is_empty() {
        return Ok(());
    }
    let library: Vec<String> = crate::score::load_models(library, &[])?
        .iter()
        .map(|m| m.id().to_string())
        .collect();
    for want in filter {
        let one = std::slice::from_ref(want);
        let by_stage = stages
            .iter()
            .filter(|s| s.id() != stages::assess::ID && s.id() != stages::zoning::ID)
            .any(|s| s.selected(one));
        if !by_stage && !library.contains(want) {
            return Err(EngineError::UnknownModel {
                id: want.clone(),
                known: library.join(", "),
            });
        }
    }
    Ok(())
}
