//! Stages behind one interface: a run is a sequence of [`Stage`]s (prepare, flood,
//! earthquake, geological hazards, wildfire, assess, zoning, …), each of which says
//! what it needs and what it writes, and runs from one shared [`Context`]: the
//! census, the run's folders, the layer stack, the options, progress, and what the
//! stages before it published.
//!
//! A stage whose needs are not met (a census table without records, a layer the
//! stack lacks) is skipped, and the run's report says why. A stage publishes what
//! later stages may use — layers into the [`LayerStack`], typed values through
//! [`Context::publish`] — so no stage reaches into another stage's code.
//!
//! A service adds a hazard of its own by implementing [`Stage`] and passing it in
//! [`crate::RunOptions::extra_stages`]; the built-in stages are listed in
//! [`crate::stages::builtin`].

use std::any::Any;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use riskcensus_contracts::layout::RunLayout;
use riskcensus_contracts::manifest::ModelEntry;
use riskcensus_models::{Library, Vocabulary};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::stack::LayerStack;

/// What a stage needs before it can run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    /// Census database tables that must hold records (see
    /// `riskcensus_contracts::tables::census`).
    pub tables: Vec<&'static str>,
    /// Layers the stack must hold.
    pub layers: Vec<String>,
    /// `census.toml` sources the stage reads from their files, by id, with what
    /// they must hold (e.g. `pga_zoning`: "seismic zoning polygons with field
    /// pga_g").
    pub sources: Vec<(String, String)>,
    /// At least one level grid (`<layer>_level`) must be in the stack.
    pub a_level_grid: bool,
    /// At least one of these layers must be in the stack (empty: no such need).
    pub any_layer: Vec<String>,
}

/// What a stage writes, for people and for the run's report: layer ids (with
/// `<T>`-style placeholders for families such as `flood_depth_<T>y`) and files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Writes {
    /// Layers added to the stack (and files `<id>.tif` in the stage's folder).
    pub layers: Vec<&'static str>,
    /// Other files (tables, reports).
    pub files: Vec<&'static str>,
}

/// Where a stage writes its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// The layer stack (`<run>/layers`): survey layers and their derivatives.
    Layers,
    /// The assessment (`<run>/assess`): hazard, risk, level grids and tables.
    Assess,
}

/// One stage of a run.
pub trait Stage: Send + Sync {
    /// Stable id, e.g. `flood` (also the key of its timing and report).
    fn id(&self) -> &str;

    /// What the stage needs; the run skips the stage, with the reason, when the
    /// census or the stack cannot provide it.
    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError>;

    /// What the stage writes.
    fn writes(&self) -> Writes;

    /// The folder the stage writes into (default: the assessment).
    fn folder(&self) -> Folder {
        Folder::Assess
    }

    /// Model files (paths in the model library) the stage scores itself; the assess
    /// stage leaves them out.
    fn scores_itself(&self) -> &[&'static str] {
        &[]
    }

    /// Whether the stage runs under the run's model filter (`--model`): by default
    /// when the filter is empty or names a model id starting with the stage id.
    fn selected(&self, filter: &[String]) -> bool {
        filter.is_empty() || filter.iter().any(|m| m.starts_with(self.id()))
    }

    /// The layers the stage would add to the stack of this census (concrete ids),
    /// for the run's plan ([`crate::plan`]); by default the layers of
    /// [`Stage::writes`] that are not placeholders.
    fn plans(&self, _cx: &Context<'_>) -> Result<Vec<String>, EngineError> {
        Ok(self
            .writes()
            .layers
            .iter()
            .filter(|l| !l.contains('<') && !l.contains(','))
            .map(|l| l.to_string())
            .collect())
    }

    /// Run the stage.
    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError>;
}

/// What a stage hands back to the run.
#[derive(Clone, Default)]
pub struct StageOutcome {
    /// Built-in operators the stage ran, as manifest entries (parameter files with
    /// their versions and hashes).
    pub operators: Vec<ModelEntry>,
    /// Seeds the stage used (name → seed), recorded in the manifest.
    pub seeds: Vec<(String, u64)>,
    /// The stage's own report, for library users ([`crate::RunReport::details`]).
    pub details: Option<Arc<dyn Any + Send + Sync>>,
    /// The stage's report as JSON (`riskcensus run --json`).
    pub summary: serde_json::Value,
}

impl std::fmt::Debug for StageOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StageOutcome")
            .field("operators", &self.operators)
            .field("seeds", &self.seeds)
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl StageOutcome {
    /// An outcome carrying a typed report (and its JSON form).
    pub fn with_details<T: serde::Serialize + Any + Send + Sync>(details: T) -> Self {
        Self {
            summary: serde_json::to_value(&details).unwrap_or(serde_json::Value::Null),
            details: Some(Arc::new(details)),
            ..Self::default()
        }
    }
}

/// What every stage runs from.
pub struct Context<'a> {
    /// The validated census.
    pub census: &'a CensusConfig,
    /// The run's folders.
    pub layout: &'a RunLayout,
    /// The layer stack; stages add their outputs.
    pub stack: LayerStack,
    /// Threads and tiling.
    pub exec: &'a ExecOptions,
    /// Where progress goes.
    pub progress: &'a dyn Progress,
    /// The run's model filter (empty: everything).
    pub filter: &'a [String],
    /// The census's model library (shipped files with the census's own over them).
    pub library: &'a Library,
    /// The hazards and level schemes the library declares (read once per run).
    pub vocabulary: &'a Vocabulary,
    /// Model files that stages score themselves (the assess stage leaves them out).
    pub scored_by_stages: Vec<&'static str>,
    /// The scenario files of the run (None: the census's `scenarios/*.toml`).
    pub scenario_files: Option<Vec<PathBuf>>,
    published: Vec<Arc<dyn Any + Send + Sync>>,
}

impl<'a> Context<'a> {
    /// A context for a run of `census` laid out as `layout`.
    pub fn new(
        census: &'a CensusConfig,
        layout: &'a RunLayout,
        exec: &'a ExecOptions,
        progress: &'a dyn Progress,
        filter: &'a [String],
        library: &'a Library,
        vocabulary: &'a Vocabulary,
    ) -> Self {
        Self {
            census,
            layout,
            stack: LayerStack::default(),
            exec,
            progress,
            filter,
            library,
            vocabulary,
            scored_by_stages: Vec::new(),
            scenario_files: None,
            published: Vec::new(),
        }
    }

    /// The folder a stage writes into.
    pub fn dir(&self, folder: Folder) -> PathBuf {
        match folder {
            Folder::Layers => self.layout.layers(),
            Folder::Assess => self.layout.assess(),
        }
    }

    /// The census folder.
    pub fn census_dir(&self) -> &Path {
        &self.census.dir
    }

    /// Publish a value for later stages (e.g. the earthquake stage's buildings per
    /// hidden-danger grade, which the zoning stage tabulates per township).
    pub fn publish<T: Any + Send + Sync>(&mut self, value: T) {
        self.published.push(Arc::new(value));
    }

    /// Everything of type `T` that earlier stages published, in publication order.
    pub fn published<T: Any + Send + Sync>(&self) -> impl Iterator<Item = &T> {
        self.published.iter().filter_map(|v| v.downcast_ref::<T>())
    }

    /// The number of records of a census table (0 when the database or the table
    /// does not exist).
    pub fn table_rows(&self, table: &str) -> Result<u64, EngineError> {
        let db = self
            .census
            .dir
            .join(riskcensus_contracts::layout::CENSUS_DB);
        if !db.exists() {
            return Ok(0);
        }
        Ok(riskcensus_io::gpkg::GpkgDb::open_read(&db)?.count(table))
    }
}

/// Why a stage did not run, when its needs are not met: `None` when they are. Each
/// reason says how to provide what is missing ([`crate::plan::how_to_provide`]).
pub fn unmet(needs: &Needs, cx: &Context<'_>) -> Result<Option<String>, EngineError> {
    let layers: Vec<&str> = cx.stack.layers.keys().map(String::as_str).collect();
    let missing = crate::plan::missing(needs, cx, &layers)?;
    Ok((!missing.is_empty()).then(|| crate::plan::describe(&missing)))
}
