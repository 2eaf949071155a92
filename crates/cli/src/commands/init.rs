//! `riskcensus init`: start a census of one's own from a county boundary.

use std::path::PathBuf;

use riskcensus::init::{init_census, CrsChoice, InitOptions, InitReport};

use crate::{CliError, Global};

/// Start a census from a county boundary: choose the census CRS (the CGCS2000
/// 3-degree Gauss–Krüger zone of the boundary's centroid unless --crs is given), snap
/// a grid of whole cells over the boundary plus a margin, write a commented
/// census.toml, create census.gpkg and load the boundary as the county unit.
///
/// The boundary may be a GeoPackage, Shapefile or GeoJSON in any CRS; web-map exports
/// in GCJ-02 or BD-09 need --source-crs GCJ02 / BD09. Several polygons (e.g. the
/// townships of the county) are merged into one county unit.
///
/// Examples:
///   riskcensus init taian --name 泰安市 --code 370900 --boundary taian.geojson
///   riskcensus init county --name 某某县 --code 370999 --boundary 县界.shp --crs EPSG:4548 --resolution 10
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The census folder to create (must not hold a census unless --force).
    pub dir: PathBuf,
    /// Name of the county or city, e.g. 泰安市.
    #[arg(long)]
    pub name: String,
    /// Administrative code (GB/T 2260, 6 digits), e.g. 370900.
    #[arg(long)]
    pub code: String,
    /// The county boundary (GeoPackage, Shapefile, GeoJSON).
    #[arg(long)]
    pub boundary: PathBuf,
    /// Layer inside a multi-layer boundary source (GeoPackage).
    #[arg(long)]
    pub source_layer: Option<String>,
    /// CRS of the boundary when it declares none or the wrong one: EPSG:n, CGCS2000,
    /// XIAN1980, BEIJING1954, WGS84, GCJ02 or BD09.
    #[arg(long)]
    pub source_crs: Option<String>,
    /// Census CRS: `auto` (the CGCS2000 3-degree Gauss–Krüger zone of the centroid)
    /// or a projected CRS such as EPSG:4548.
    #[arg(long, default_value = "auto")]
    pub crs: String,
    /// Cell size of the census grid, metres.
    #[arg(long, default_value_t = 30.0)]
    pub resolution: f64,
    /// Margin of the grid around the boundary, metres.
    #[arg(long, default_value_t = 2000.0)]
    pub margin: f64,
    /// Replace the census.toml and census.gpkg of an existing census.
    #[arg(long)]
    pub force: bool,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let opts = InitOptions {
        name: a.name,
        code: a.code,
        boundary: a.boundary,
        source_layer: a.source_layer,
        source_crs: a.source_crs,
        crs: if a.crs.eq_ignore_ascii_case("auto") {
            CrsChoice::Auto
        } else {
            CrsChoice::Given(a.crs)
        },
        resolution: a.resolution,
        margin: a.margin,
        force: a.force,
    };
    let r = init_census(&a.dir, &opts)?;
    if g.json {
        super::print_json(&r);
    } else if !g.quiet {
        print(&r);
    }
    Ok(())
}

fn print(r: &InitReport) {
    let g = &r.grid;
    println!("census {} created", r.dir.display());
    println!(
        "  boundary   {} ({} polygon{}, {}; {:.1} km²)",
        r.boundary.display(),
        r.polygons,
        if r.polygons == 1 { "" } else { "s" },
        r.source_crs,
        r.area_km2
    );
    println!("  crs        {} ({})", r.crs, r.crs_reason);
    println!(
        "  grid       {} × {} cells of {} m, x {} – {}, y {} – {} ({} cells)",
        g.cols,
        g.rows,
        g.cell_size,
        g.x_min,
        g.x_max(),
        g.y_min(),
        g.y_max,
        g.cell_count()
    );
    println!(
        "  county     loaded into {} (batch {})",
        r.county.layer, r.county.batch_id
    );
    for n in r.notes.iter().chain(&r.county.notes) {
        println!("  note: {n}");
    }
    println!(
        "next: add survey sources to {}/census.toml (docs/getting-started.md), then `riskcensus status {}`",
        r.dir.display(),
        r.dir.display()
    );
}
