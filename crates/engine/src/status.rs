//! `riskcensus status`: what a census holds and what it can run — per census table
//! the records, batches, last load and rejects; per `census.toml` source whether its
//! file is present and loaded; and the run's [`Plan`]: for every
//! hazard what it produces, or exactly which inputs it lacks.

use std::path::{Path, PathBuf};

use riskcensus_contracts::layout::CENSUS_DB;
use riskcensus_contracts::tables::census as tables;
use riskcensus_io::gpkg::GpkgDb;
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::Census;
use crate::plan::Plan;
use crate::run::RunOptions;

/// One census table.
#[derive(Debug, Clone, Serialize)]
pub struct TableStatus {
    /// Table name (`buildings`, `admin_units`, …).
    pub table: String,
    /// Records in the table.
    pub records: u64,
    /// Batches that loaded into it.
    pub batches: u64,
    /// When the last batch finished (UTC, ISO 8601).
    pub last_load: Option<String>,
    /// Records rejected by the last batch of each source, summed.
    pub rejected: u64,
}

/// One source of `census.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct SourceStatus {
    /// `raster`, `vector` or `table`.
    pub section: String,
    /// Source id.
    pub id: String,
    /// File, relative to the census folder.
    pub path: PathBuf,
    /// Its `kind` (the census table it loads into, `reference`, or the raster kind).
    pub kind: String,
    /// True when the file exists.
    pub present: bool,
    /// For a source loaded into the census database: whether a committed batch
    /// loaded this very file (`None` for rasters and reference layers).
    pub loaded: Option<bool>,
}

/// What `riskcensus status` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// The census folder.
    pub dir: PathBuf,
    /// `[census] name`.
    pub name: String,
    /// `[census] code`.
    pub code: String,
    /// The census grid.
    pub grid: riskcensus_core::GridSpec,
    /// Census tables that exist in the database (empty ones left out).
    pub tables: Vec<TableStatus>,
    /// Every source `census.toml` declares.
    pub sources: Vec<SourceStatus>,
    /// Problems of `census.toml` a run would refuse (a file missing, …).
    pub problems: Vec<String>,
    /// What a run would do.
    pub plan: Plan,
}

/// The status of the census in `dir`.
pub fn status(dir: &Path, opts: &RunOptions) -> Result<Status, EngineError> {
    let (config, problems) = CensusConfig::load_lenient(dir)?;
    let plan = crate::run::plan_census(dir, opts)?;
    let db_path = dir.join(CENSUS_DB);
    let mut table_status = Vec::new();
    if db_path.exists() {
        let db = GpkgDb::open_read(&db_path)?;
        let batches = if db.has_table(tables::BATCHES) {
            db.query(tables::BATCHES, None, None)?
        } else {
            Vec::new()
        };
        for t in tables::ALL {
            if !db.has_table(t) {
                continue;
            }
            let mine: Vec<_> = batches.iter().filter(|b| b.text("layer") == *t).collect();
            // The last batch of each source file.
            let mut last: std::collections::BTreeMap<String, &riskcensus_io::gpkg::DbFeature> =
                Default::default();
            for b in &mine {
                let key = format!("{}|{}", b.text("source"), b.text("source_layer"));
                match last.get(&key) {
                    Some(prev) if prev.text("finished_at") > b.text("finished_at") => {}
                    _ => {
                        last.insert(key, b);
                    }
                }
            }
            table_status.push(TableStatus {
                table: t.to_string(),
                records: db.count(t),
                batches: mine.len() as u64,
                last_load: mine.iter().map(|b| b.text("finished_at")).max(),
                rejected: last
                    .values()
                    .map(|b| b.number("rejected").unwrap_or(0.0) as u64)
                    .sum(),
            });
        }
    }
    let census = Census::from_parts(
        dir,
        &config.census.name,
        &config.census.code,
        config.grid.clone(),
    );
    let mut sources = Vec::new();
    for r in &config.rasters {
        sources.push(SourceStatus {
            section: "raster".into(),
            id: r.id.clone(),
            path: r.path.clone(),
            kind: format!("{:?}", r.kind).to_lowercase(),
            present: config.source_path(&r.path).exists(),
            loaded: None,
        });
    }
    let jobs = crate::ingest::source_jobs(&config);
    let declared = config
        .vectors
        .iter()
        .map(|v| ("vector", &v.id, &v.path, &v.kind))
        .chain(
            config
                .tables
                .iter()
                .map(|t| ("table", &t.id, &t.path, &t.kind)),
        );
    for (section, id, path, kind) in declared {
        let file = config.source_path(path);
        let present = file.exists();
        // A reference layer is not loaded; a source that cannot even be opened is
        // not loaded.
        let loaded = jobs
            .iter()
            .find(|j| &j.id == id)
            .map(|j| present && census.is_loaded(&file, &j.opts).unwrap_or(false));
        sources.push(SourceStatus {
            section: section.into(),
            id: id.clone(),
            path: path.clone(),
            kind: kind.clone().unwrap_or_default(),
            present,
            loaded,
        });
    }
    Ok(Status {
        dir: dir.to_path_buf(),
        name: config.census.name,
        code: config.census.code,
        grid: config.grid,
        tables: table_status,
        sources,
        problems,
        plan,
    })
}
