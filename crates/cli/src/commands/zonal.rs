//! `riskcensus zonal`: zonal statistics of a raster over polygons.

use std::io::Write;
use std::path::PathBuf;

use crate::CliError;
use riskcensus::tools::zonal::{stats_csv, zonal_stats, PolygonSpec, Rule};

use crate::Global;

/// Zonal statistics of a raster's band 1 over each polygon, keyed by the polygon's
/// id field (default: `code`, else `id`, else the feature id). Polygons are
/// reprojected to the raster's CRS when they differ.
///
/// Rules: fraction (each cell weighted by the exact fraction f of it the polygon
/// covers: count = Σf, sum = Σv·f, mean = sum/count, min/max over cells with f > 0 —
/// as exactextract) or center (a cell counts iff its centre is inside). Nodata cells
/// are left out; a polygon with no valid cell gets count 0, sum 0 and empty
/// mean/min/max. count is in cells.
///
/// Examples:
///   riskcensus zonal out/demo/assess/flood_risk.tif census/census.gpkg --layer townships
///   riskcensus zonal pop.tif towns.shp --id-field CODE --stats count,sum --rule center --out pop.csv
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The raster (band 1).
    raster: PathBuf,
    /// A polygon layer (GeoPackage, Shapefile, GeoJSON, …).
    polygons: PathBuf,
    /// The layer of a multi-layer dataset.
    #[arg(long)]
    layer: Option<String>,
    /// The field keying each polygon.
    #[arg(long)]
    id_field: Option<String>,
    /// Statistics, comma-separated: count, sum, mean, min, max.
    #[arg(long, default_value = "count,sum,mean,min,max")]
    stats: String,
    /// fraction or center.
    #[arg(long, default_value = "fraction")]
    rule: String,
    /// Write a CSV table here instead of printing it.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let bad = |msg: String| CliError::Args(msg);
    let rule = Rule::parse(&a.rule)
        .ok_or_else(|| bad(format!("--rule {:?}: expected fraction or center", a.rule)))?;
    let stats: Vec<&str> = a.stats.split(',').map(str::trim).collect();
    // Checked before the work, so a typo fails at once.
    stats_csv(&[], &stats).map_err(|e| bad(format!("--stats: {e}")))?;
    let spec = PolygonSpec {
        path: a.polygons.clone(),
        layer: a.layer.clone(),
        id_field: a.id_field.clone(),
    };
    let rows = zonal_stats(&a.raster, &spec, rule)?;
    if g.json && a.out.is_none() {
        super::print_json(&rows);
        return Ok(());
    }
    let text = stats_csv(&rows, &stats).map_err(|e| bad(format!("--stats: {e}")))?;
    match &a.out {
        Some(p) => {
            riskcensus::write_atomic(p, text.as_bytes()).map_err(riskcensus::EngineError::from)?;
            if !g.quiet {
                eprintln!("{} zones → {}", rows.len(), p.display());
            }
        }
        None => {
            std::io::stdout()
                .write_all(text.as_bytes())
                .map_err(|source| CliError::Output {
                    path: "<stdout>".into(),
                    source,
                })?;
        }
    }
    Ok(())
}
