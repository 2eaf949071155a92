//! `riskcensus ingest`: load a survey source into the census database.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::ingest::{engine_error, Census, IngestOptions, IngestReport};

use crate::Global;

/// Load a survey source (GeoPackage, Shapefile, GeoJSON or CSV) into the census
/// database <census-dir>/census.gpkg: map fields, validate every record, reproject
/// to the census CRS, assign township/village codes, write in one transaction.
///
/// Valid records are loaded even when others are rejected; rejected records go to
/// the `_rejects` table and the command exits 2. Re-loading a source is idempotent.
///
/// Examples:
///   riskcensus ingest out/demo/census out/demo/census/survey/admin.gpkg --layer admin_units --source-layer townships
///   riskcensus ingest out/demo/census survey/buildings.csv --layer buildings --source-crs EPSG:4490
///   riskcensus ingest census teams/a.csv --layer shelters --source-crs GCJ02 --mapping map.toml --json
///   riskcensus ingest census 统计用区划代码.csv --layer admin_units --allow-foreign
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
#[group(skip)]
pub struct Args {
    /// The census folder (holds census.toml).
    pub census: PathBuf,
    /// The survey source file (relative paths are tried against the census folder
    /// too).
    pub source: PathBuf,
    /// Census layer to load into (buildings, hidden_dangers, admin_units, …).
    #[arg(long)]
    pub layer: String,
    /// Layer inside a multi-layer source (GeoPackage).
    #[arg(long)]
    pub source_layer: Option<String>,
    /// Mapping file (TOML): source field → schema field, code values.
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Source CRS: EPSG:n, CGCS2000, XIAN1980, BEIJING1954, WGS84, GCJ02 or BD09.
    #[arg(long)]
    pub source_crs: Option<String>,
    /// Text encoding: GBK or UTF-8 (detected when omitted; a .cpg wins).
    #[arg(long)]
    pub encoding: Option<String>,
    /// CSV x / longitude column.
    #[arg(long)]
    pub x: Option<String>,
    /// CSV y / latitude column.
    #[arg(long)]
    pub y: Option<String>,
    /// Admin units: also load units whose code lies outside the census area
    /// (rejected with rule foreign_code otherwise).
    #[arg(long)]
    pub allow_foreign: bool,
}

impl Args {
    pub fn options(&self) -> IngestOptions {
        IngestOptions {
            layer: self.layer.clone(),
            source_layer: self.source_layer.clone(),
            mapping: self.mapping.clone(),
            source_crs: self.source_crs.clone(),
            encoding: self.encoding.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            allow_foreign: self.allow_foreign,
        }
    }

    pub fn source_path(&self) -> PathBuf {
        if !self.source.exists() && self.census.join(&self.source).exists() {
            self.census.join(&self.source)
        } else {
            self.source.clone()
        }
    }
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    // census.toml is checked as every command checks it (a bad grid CRS is blamed
    // on census.toml, not on the survey file).
    riskcensus::config::CensusConfig::load_lenient(&a.census)?;
    let census = Census::open(&a.census).map_err(engine_error)?;
    let report = census
        .ingest(&a.source_path(), &a.options())
        .map_err(engine_error)?;
    finish(&report, g)
}

/// Print a report (table or JSON) and turn rejects into exit code 2.
pub fn finish(r: &IngestReport, g: &Global) -> Result<(), CliError> {
    if g.json {
        super::print_json(r);
    } else if !g.quiet {
        print_report(r);
    }
    if r.rejected > 0 {
        let what = if r.dry_run {
            format!("{} records are valid (dry run: nothing written)", r.loaded)
        } else {
            format!(
                "the {} valid records were loaded; rejects are in the _rejects table (batch {})",
                r.loaded, r.batch_id
            )
        };
        return Err(CliError::Rejected(format!(
            "layer {}: {}: {} of {} records rejected ({}); {what}",
            r.layer,
            r.source,
            r.rejected,
            r.read,
            rule_counts(r),
        )));
    }
    Ok(())
}

fn rule_counts(r: &IngestReport) -> String {
    let mut m = std::collections::BTreeMap::new();
    for p in &r.problems {
        *m.entry(p.rule.name()).or_insert(0usize) += 1;
    }
    m.iter()
        .map(|(k, v)| format!("{v} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn print_report(r: &IngestReport) {
    println!(
        "{} {} → {}{}",
        if r.dry_run { "validate" } else { "ingest  " },
        r.source,
        r.layer,
        if r.dry_run { " (dry run)" } else { "" }
    );
    println!(
        "  format {}  encoding {}  crs {}",
        r.format,
        r.encoding.as_deref().unwrap_or("-"),
        r.crs.as_deref().unwrap_or("-")
    );
    if r.dry_run {
        println!(
            "  read {}  valid {}  rejected {}",
            r.read, r.loaded, r.rejected
        );
    } else {
        println!(
            "  read {}  loaded {} (new {}, updated {}, unchanged {})  rejected {}  batch {}",
            r.read, r.loaded, r.inserted, r.updated, r.unchanged, r.rejected, r.batch_id
        );
    }
    for n in &r.notes {
        println!("  note: {n}");
    }
    if !r.problems.is_empty() {
        println!(
            "  {:<22} {:<16} {:<14} {:<18} {:<24} message",
            "record", "key", "field", "rule", "value"
        );
        for p in &r.problems {
            println!(
                "  {:<22} {:<16} {:<14} {:<18} {:<24} {}",
                p.record,
                p.key.as_deref().unwrap_or("-"),
                p.field,
                p.rule.name(),
                truncate(&p.value, 24),
                p.message
            );
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
