//! The `riskcensus` binary as users run it: exit codes (0 ok, 1 failure, 2 bad
//! input), named errors, JSON output, and the demo end to end on a coarse grid.

use crate::util::{run, stderr};
use riskcensus_testkit::fixtures_dir;

#[test]
fn inspect_raster_as_json() {
    let src = fixtures_dir().join("warp/src_4326.tif");
    let o = run(&["inspect", src.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["type"], "raster");
    assert_eq!(v["crs"], "EPSG:4326");
    assert_eq!(v["rows"], 80);
    // 42 cells of the 80 × 80 source are declared nodata (-9999).
    assert_eq!(v["stats"]["valid"], 80 * 80 - 42);
}

#[test]
fn corrupt_raster_exits_2_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("broken.tif");
    std::fs::write(&p, b"II*\x00\x08\x00\x00\x00 truncated").unwrap();
    let o = run(&["inspect", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.tif"), "{}", stderr(&o));
}

#[test]
fn raster_without_crs_exits_2() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("nocrs.asc");
    // An ESRI ASCII grid carries no CRS.
    std::fs::write(
        &p,
        "ncols 2\nnrows 2\nxllcorner 0\nyllcorner 0\ncellsize 1\n1 2\n3 4\n",
    )
    .unwrap();
    let o = run(&["inspect", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("nocrs.asc") && stderr(&o).contains("no CRS"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_file_and_bad_arguments_exit_2() {
    let o = run(&["inspect", "no/such/raster.tif"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/raster.tif"));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["--threads", "0", "inspect", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["demo", "--resolution", "0.01"]).status.code(),
        Some(2)
    );
}

#[test]
fn bad_census_config_exits_2_naming_key() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("census.toml"),
        "[census]\nname = \"x\"\ncode = \"1\"\nregion = \"?\"\n[grid]\ncrs = \"EPSG:4548\"\nx_min = 0.0\ny_max = 0.0\ncell_size = 30.0\nrows = 1\ncols = 1\n",
    )
    .unwrap();
    let o = run(&["prepare", d.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("census.toml") && e.contains("region") && e.contains("line 4"),
        "{e}"
    );
}

#[test]
fn unwritable_output_is_a_failure_not_bad_input() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("c/survey")).unwrap();
    std::fs::copy(
        fixtures_dir().join("warp/src_4326.tif"),
        d.path().join("c/survey/dem.tif"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("c/census.toml"),
        "[census]\nname = \"x\"\ncode = \"1\"\n[grid]\ncrs = \"EPSG:4548\"\nx_min = 484500.0\ny_max = 4005600.0\ncell_size = 30.0\nrows = 100\ncols = 110\n[[raster]]\nid = \"dem\"\npath = \"survey/dem.tif\"\nkind = \"continuous\"\n",
    )
    .unwrap();
    // The output "folder" is a file: the environment, not the input, is at fault.
    let blocker = d.path().join("blocker");
    std::fs::write(&blocker, b"").unwrap();
    let o = run(&[
        "prepare",
        d.path().join("c").to_str().unwrap(),
        "--out",
        blocker.join("layers").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The same census prepares fine into a real folder.
    let o = run(&["--quiet", "prepare", d.path().join("c").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path().join("c/layers/dem.tif").exists());
}

/// The demo end to end on a coarse grid: census generated, every survey raster
/// warped onto the census grid as a COG with CRS, nodata and provenance, and a
/// second run reuses the cached layers.
#[test]
fn demo_end_to_end_on_a_coarse_grid() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    let o = run(&[
        "demo",
        "--out",
        out.to_str().unwrap(),
        "--resolution",
        "250",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["grid"]["crs"], "EPSG:4548");
    assert_eq!(v["grid"]["cell_size"], 250.0);
    // Every survey layer is ingested; the reject report holds exactly the demo's five
    // deliberately bad records (docs/demo-census.md), and loaded + rejected = read.
    let ingested = v["ingested"].as_array().unwrap();
    assert!(ingested.len() >= 15, "{ingested:?}");
    let mut rules: Vec<String> = Vec::new();
    for l in ingested {
        assert!(l.get("error").is_none(), "{l}");
        assert_eq!(
            l["loaded"].as_u64().unwrap() + l["rejected"].as_u64().unwrap(),
            l["read"].as_u64().unwrap(),
            "{l}"
        );
        rules.extend(
            l["problems"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["rule"].as_str().unwrap().to_string()),
        );
    }
    rules.sort();
    assert_eq!(
        rules,
        [
            "domain",
            "duplicate_id",
            "future_date",
            "lonlat_swapped",
            "range"
        ]
    );
    assert!(out.join("census/census.gpkg").exists());
    // Exposure grids from the database: every loaded building is counted in one cell.
    let loaded = ingested.iter().find(|l| l["id"] == "buildings").unwrap()["loaded"]
        .as_u64()
        .unwrap();
    let o = run(&[
        "inspect",
        out.join("layers/buildings_count.tif").to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let i: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = i["stats"]["mean"].as_f64().unwrap() * i["stats"]["valid"].as_f64().unwrap();
    assert!(
        (total - loaded as f64).abs() < 0.5,
        "buildings counted {total}, loaded {loaded}"
    );
    let layers = v["layers"].as_array().unwrap();
    let ids: Vec<&str> = layers.iter().map(|l| l["id"].as_str().unwrap()).collect();
    for want in [
        "dem",
        "landcover",
        "population",
        "rain24h_100y",
        "slope_deg",
        "hand",
        "twi",
        "d8",
        "dist_rivers",
        "dist_faults",
        "dist_roads",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    for l in layers {
        let path = l["path"].as_str().unwrap();
        let o = run(&["inspect", path, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let i: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(i["layout"], "COG", "{path}");
        assert_eq!(i["crs"], "EPSG:4548", "{path}");
        // Every layer of the stack declares its nodata (NaN for float layers).
        assert!(!i["nodata"].is_null(), "{path}: no nodata declared");
        let tags = i["tags"].as_array().unwrap();
        assert!(
            tags.iter().any(|t| t[0] == "RISKCENSUS_ENGINE_VERSION"),
            "{path}: {tags:?}"
        );
        assert!(
            tags.iter()
                .any(|t| t[0] == "RISKCENSUS_SOURCE_SHA256" || t[0] == "RISKCENSUS_CACHE_KEY"),
            "{path}: no digest in {tags:?}"
        );
        assert!(
            i["stats"]["valid"].as_u64().unwrap() > 0,
            "{path} has no valid cell"
        );
    }
    // The DEM came in EPSG:4326 and now spans plain to hills.
    let dem = run(&[
        "inspect",
        out.join("layers/dem.tif").to_str().unwrap(),
        "--json",
    ]);
    let i: serde_json::Value = serde_json::from_slice(&dem.stdout).unwrap();
    assert!(
        i["stats"]["min"].as_f64().unwrap() < 100.0 && i["stats"]["max"].as_f64().unwrap() > 500.0,
        "{i}"
    );

    let o = run(&[
        "demo",
        "--out",
        out.to_str().unwrap(),
        "--resolution",
        "250",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["layers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["cached"] == true),
        "second run rebuilt layers: {v}"
    );
    // Re-ingesting the same survey is idempotent for every layer, including keys
    // holding dates (weather_daily: station + date; regression: OGR reads dates back
    // as YYYY/MM/DD and the reload tried to insert duplicates).
    for l in v["ingested"].as_array().unwrap() {
        assert!(l.get("error").is_none(), "re-ingest failed: {l}");
    }
}
