//! `riskcensus inspect`: describe a raster or a census folder.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::inspect::{inspect, Inspection};

use crate::Global;

/// Describe a raster (size, CRS, geotransform, nodata, layout, provenance tags,
/// statistics) or a census folder (grid and survey sources).
///
/// Examples:
///   riskcensus inspect out/demo/layers/dem.tif
///   riskcensus inspect out/demo/census --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// A raster file or a census folder.
    path: PathBuf,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let i = inspect(&a.path)?;
    if g.json {
        super::print_json(&i);
        return Ok(());
    }
    match i {
        Inspection::Raster(r) => {
            println!("raster    {}", r.path.display());
            println!(
                "driver    {}  layout {}",
                r.driver,
                r.layout.as_deref().unwrap_or("-")
            );
            println!(
                "size      {} rows × {} cols × {} band(s), {} overview(s)",
                r.rows, r.cols, r.bands, r.overviews
            );
            println!("crs       {}", r.crs);
            println!("transform {:?}", r.geotransform);
            println!("type      {}  nodata {:?}", r.band_type, r.nodata);
            if let Some(s) = &r.stats {
                println!(
                    "stats     valid {} of {} cells, min {}, max {}, mean {}",
                    s.valid, s.cells, s.min, s.max, s.mean
                );
            }
            for (k, v) in &r.tags {
                println!("tag       {k} = {v}");
            }
        }
        Inspection::Census(c) => {
            println!("census    {} ({})", c.name, c.code);
            let gr = &c.grid;
            println!(
                "grid      {} rows × {} cols, {} m cells, {} from ({}, {})",
                gr.rows, gr.cols, gr.cell_size, gr.crs, gr.x_min, gr.y_max
            );
            for s in &c.sources {
                println!("{:<9} {:<22} {}", s.kind, s.id, s.path.display());
            }
        }
    }
    Ok(())
}
