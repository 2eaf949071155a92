//! The library API end to end: open a census, ingest admin units and a survey
//! source, query by admin unit and by bounding box.
//!
//! `cargo run -p riskcensus-survey --example census_query -- <census-dir>`
//! (a demo census: `riskcensus demo --out /tmp/demo300 --resolution 300`, then
//! `<census-dir>` = /tmp/demo300/census or wherever its census.toml is).

use std::path::PathBuf;

use riskcensus_survey::{Census, IngestOptions, Query};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: census_query <census-dir>")?,
    );
    let census = Census::open(&dir)?;
    for layer in ["townships", "villages"] {
        let r = census.ingest(
            &dir.join("survey/admin.gpkg"),
            &IngestOptions {
                layer: "admin_units".into(),
                source_layer: Some(layer.into()),
                ..Default::default()
            },
        )?;
        println!(
            "admin_units ← {layer}: read {}, loaded {}",
            r.read, r.loaded
        );
    }
    let r = census.ingest(
        &dir.join("survey/buildings.csv"),
        &IngestOptions {
            layer: "buildings".into(),
            source_crs: Some("EPSG:4490".into()),
            ..Default::default()
        },
    )?;
    println!(
        "buildings: read {}, loaded {} (new {}, updated {}, unchanged {}), rejected {}",
        r.read, r.loaded, r.inserted, r.updated, r.unchanged, r.rejected
    );
    for p in &r.problems {
        println!(
            "  reject {} {} = {:?}: {} ({})",
            p.record,
            p.field,
            p.value,
            p.rule.name(),
            p.message
        );
    }
    let town = census.query(
        "buildings",
        &Query {
            admin: Some("370999001".into()),
            ..Default::default()
        },
    )?;
    println!("buildings in township 370999001: {}", town.len());
    let [x0, y0, x1, y1] = census.study_area();
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let bbox = [cx - 1000.0, cy - 1000.0, cx + 1000.0, cy + 1000.0];
    let near = census.query(
        "buildings",
        &Query {
            bbox: Some(bbox),
            ..Default::default()
        },
    )?;
    println!(
        "buildings within 1 km of the grid centre (bbox {bbox:?}): {}",
        near.len()
    );
    if let Some(f) = near.first() {
        println!(
            "  first: id {:?}, structure {:?}, township {:?}",
            f.get("id"),
            f.get("structure"),
            f.get("township_code")
        );
    }
    Ok(())
}
