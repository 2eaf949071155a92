//! `riskcensus terrain`: terrain and hydrology derivatives of any projected DEM.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::stages::prepare::terrain::GradientAlg;
use riskcensus::stages::prepare::terrain::{terrain, TerrainOptions};

use crate::Global;

/// Terrain and hydrology layers of a DEM, as COGs, like gdaldem but for the whole
/// hydrological stack. The DEM must be north-up with square cells in a projected CRS
/// (metres); cells are sampled at their centres; nodata is NaN unless stated.
///
/// Outputs in --out:
///   slope_deg.tif      slope, degrees 0–90 (Horn 1981, or Zevenbergen–Thorne 1987)
///   slope_pct.tif      slope, percent (100·tan β)
///   aspect_deg.tif     direction the slope faces, degrees clockwise from north; −1 flat
///   hillshade.tif      Horn hillshade, azimuth 315°, altitude 45°, 1–255
///   curv_plan.tif      plan curvature, 1/m (> 0 converging hollows)
///   curv_profile.tif   profile curvature, 1/m (> 0 convex shoulders)
///   relief.tif         max − min over a (2r+1)² window, m
///   tri.tif            terrain ruggedness index (Riley 1999) over the window, m
///   filled.tif         depression-filled DEM (priority-flood + ε, Barnes 2014), m
///   d8.tif             D8 steepest-descent direction, u8 ESRI codes E=1 SE=2 S=4 SW=8
///                      W=16 NW=32 N=64 NE=128; 0 outlet (every border cell); 255 nodata
///   accumulation.tif   upstream cells including the cell itself, u32; 0 nodata
///   upstream_area.tif  upstream area, m²
///   streams.tif        1 where accumulation ≥ threshold, else 0; 255 nodata
///   hand.tif           height above nearest drainage along the D8 path (Nobre 2011),
///                      m; 0 on streams; nodata where the path leaves the grid first
///   twi.tif            topographic wetness index ln(a / tan β), a = upstream area per
///                      unit contour width (m), tan β floored on flats
///
/// Examples:
///   riskcensus terrain dem.tif --out terrain/
///   riskcensus terrain dem.tif --out terrain/ --stream-threshold 500 --method zt
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// DEM (any GDAL raster, projected CRS in metres).
    dem: PathBuf,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
    /// Stream threshold in cells of accumulation (default: 1 km² of upstream area).
    #[arg(long, value_name = "CELLS")]
    stream_threshold: Option<u32>,
    /// Gradient method: horn (Horn 1981) or zt (Zevenbergen–Thorne 1987).
    #[arg(long, default_value = "horn", value_parser = ["horn", "zt"])]
    method: String,
    /// Radius in cells of the relief and TRI windows.
    #[arg(long, default_value_t = 3)]
    relief_radius: usize,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let opts = TerrainOptions {
        method: if a.method == "zt" {
            GradientAlg::ZevenbergenThorne
        } else {
            GradientAlg::Horn
        },
        stream_threshold_cells: a.stream_threshold,
        relief_radius: a.relief_radius,
        ..TerrainOptions::default()
    };
    let progress = crate::progress::for_cli(g.quiet || g.json);
    let r = terrain(
        &a.dem,
        &a.out,
        &opts,
        &super::exec_options(g),
        progress.as_ref(),
    )?;
    if g.json {
        super::print_json(&r);
    } else if !g.quiet {
        for (id, p) in &r.layers {
            println!("{id:<15} {}", p.display());
        }
        println!(
            "stream threshold {} cells; {}",
            r.stream_threshold_cells,
            if r.cached {
                "all layers up to date (cached)".to_string()
            } else {
                format!(
                    "focal layers {:.1} s, hydrology {:.1} s",
                    r.seconds_focal, r.seconds_hydro
                )
            }
        );
    }
    Ok(())
}
