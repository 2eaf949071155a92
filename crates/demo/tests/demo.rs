//! Integration tests of the demo census, at coarse resolutions so they run in seconds.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use gdal::vector::LayerAccess;
use gdal::Dataset;
use riskcensus_demo::config::CensusConfig;
use riskcensus_demo::landscape::Landscape;
use riskcensus_demo::{generate, DemoOptions, FIXTURE_RESOLUTION_M};

fn opts(res: f64, seed: u64) -> DemoOptions {
    DemoOptions {
        resolution_m: res,
        seed,
    }
}

fn read_config(dir: &Path) -> CensusConfig {
    toml::from_str(&std::fs::read_to_string(dir.join("census.toml")).unwrap()).unwrap()
}

/// All files of a folder, recursively, as (relative path, bytes), sorted.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb));
    for ((n, x), (_, y)) in ta.iter().zip(&tb) {
        assert!(x == y, "{n} differs");
    }
}

#[test]
fn every_layer_in_census_toml_opens_with_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let s = generate(dir.path(), &opts(300.0, 20260101)).unwrap();
    let cfg = read_config(dir.path());
    assert_eq!(cfg.grid, s.grid);
    assert_eq!(cfg.census.code, "370999");
    assert_eq!((s.grid.rows, s.grid.cols), (87, 105));
    for r in &cfg.raster {
        let ds = Dataset::open(dir.path().join(&r.path)).unwrap();
        assert!(!ds.projection().is_empty(), "{} has no CRS", r.id);
        assert!(["continuous", "categorical", "count"].contains(&r.kind.as_str()));
    }
    let dem = cfg.raster.iter().find(|r| r.id == "dem").unwrap();
    let ds = Dataset::open(dir.path().join(&dem.path)).unwrap();
    assert_eq!(ds.spatial_ref().unwrap().auth_code().unwrap(), 4326);
    for v in &cfg.vector {
        let ds = Dataset::open(dir.path().join(&v.path)).unwrap();
        let layer = match &v.layer {
            Some(l) => ds.layer_by_name(l).unwrap(),
            None => ds.layer(0).unwrap(),
        };
        assert!(layer.spatial_ref().is_some(), "{} has no CRS", v.id);
        let n = s.files.iter().find(|f| f.0 == v.id).unwrap().2;
        assert_eq!(layer.feature_count(), n, "{}", v.id);
        assert!(n > 0, "{}", v.id);
        assert!(layer.defn().fields().count() >= 2, "{}", v.id);
    }
    for t in &cfg.table {
        let bytes = std::fs::read(dir.path().join(&t.path)).unwrap();
        let text = if t.encoding == "GBK" {
            encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .unwrap()
                .into_owned()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let n = s.files.iter().find(|f| f.0 == t.id).unwrap().2;
        assert_eq!(text.lines().count() as u64, n + 1, "{}", t.id);
        if let Some(x) = &t.x {
            assert!(
                text.lines().next().unwrap().split(',').any(|c| c == x),
                "{}",
                t.id
            );
        }
    }
    // 12 townships with distinct 9-digit codes under the county code, tiling the county.
    let ds = Dataset::open(dir.path().join("survey/admin.gpkg")).unwrap();
    let mut towns = ds.layer_by_name("townships").unwrap();
    let mut codes = BTreeSet::new();
    let mut area = 0.0;
    for f in towns.features() {
        let code = f
            .field_as_string(f.field_index("code").unwrap())
            .unwrap()
            .unwrap();
        assert!(code.len() == 9 && code.starts_with("370999"), "{code}");
        codes.insert(code);
        area += f
            .field_as_double(f.field_index("area_km2").unwrap())
            .unwrap()
            .unwrap();
    }
    assert_eq!(codes.len(), 12);
    let mut county = ds.layer_by_name("county").unwrap();
    let c = county.features().next().unwrap();
    let county_area = c
        .field_as_double(c.field_index("area_km2").unwrap())
        .unwrap()
        .unwrap();
    assert!((area - county_area).abs() < 0.05, "{area} vs {county_area}");
    assert!((650.0..815.0).contains(&county_area), "{county_area}");
}

#[test]
fn rivers_shapefile_is_gbk_without_cpg() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &opts(600.0, 7)).unwrap();
    for stem in ["rivers", "hidden_dangers"] {
        let shp = dir.path().join(format!("survey/{stem}.shp"));
        assert!(!shp.with_extension("cpg").exists(), "{stem}");
        let dbf = std::fs::read(shp.with_extension("dbf")).unwrap();
        assert!(
            std::str::from_utf8(&dbf).is_err(),
            "{stem} DBF must not be valid UTF-8"
        );
    }
    let dbf = std::fs::read(dir.path().join("survey/rivers.dbf")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("泮汶河");
    assert!(dbf.windows(gbk.len()).any(|w| w == &gbk[..]));
    let (text, _, bad) = encoding_rs::GBK.decode(&dbf[dbf.len().min(400)..]);
    assert!(!bad || text.contains("汶"));
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_a_different_dem() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    generate(a.path(), &opts(600.0, 42)).unwrap();
    generate(b.path(), &opts(600.0, 42)).unwrap();
    assert_same_tree(a.path(), b.path());
    generate(c.path(), &opts(600.0, 43)).unwrap();
    let dem = |d: &Path| std::fs::read(d.join("survey/dem.tif")).unwrap();
    assert_ne!(dem(a.path()), dem(c.path()));
}

#[test]
fn hills_stand_above_the_western_plain() {
    let land = Landscape::new(20260101);
    let (x0, x1, y0, y1) = (484_000.0, 515_500.0, 3_994_100.0, 4_020_000.0);
    let mean = |pts: &mut dyn Iterator<Item = (f64, f64)>| {
        let v: Vec<f64> = pts.map(|(x, y)| land.elevation(x, y)).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let step = |a: f64, b: f64| (0..40).map(move |i| a + (b - a) * (i as f64 + 0.5) / 40.0);
    let north = mean(&mut step(x0, x1).flat_map(|x| step(y1 - 2_000.0, y1).map(move |y| (x, y))));
    let east = mean(&mut step(x1 - 2_000.0, x1).flat_map(|x| step(y0, y1).map(move |y| (x, y))));
    let south = mean(
        &mut step(x0 + 12_000.0, x1).flat_map(|x| step(y0, y0 + 2_000.0).map(move |y| (x, y))),
    );
    let plain = mean(
        &mut step(x0 + 1_000.0, x0 + 9_000.0)
            .flat_map(|x| step(4_003_000.0, 4_010_000.0).map(move |y| (x, y))),
    );
    assert!(plain < 120.0, "plain {plain}");
    for (name, h) in [("north", north), ("east", east), ("south", south)] {
        assert!(h > plain + 200.0, "{name} band {h} vs plain {plain}");
    }
}

#[test]
fn hidden_dangers_sit_on_steeper_than_average_terrain() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &opts(600.0, 20260101)).unwrap();
    let land = Landscape::new(20260101);
    let ds = Dataset::open(dir.path().join("survey/hidden_dangers.shp")).unwrap();
    let mut l = ds.layer(0).unwrap();
    let mut slopes = Vec::new();
    for f in l.features() {
        let (x, y, _) = f.geometry().unwrap().get_point(0);
        slopes.push(land.slope_deg(x, y, 30.0));
    }
    let pts = slopes.iter().sum::<f64>() / slopes.len() as f64;
    // Average slope of the county area on a 500 m lattice.
    let mut all = Vec::new();
    let mut y = 3_994_350.0;
    while y < 4_020_000.0 {
        let mut x = 484_250.0;
        while x < 515_500.0 {
            all.push(land.slope_deg(x, y, 30.0));
            x += 500.0;
        }
        y += 500.0;
    }
    let avg = all.iter().sum::<f64>() / all.len() as f64;
    assert!(
        pts > 1.5 * avg,
        "hidden-danger mean slope {pts:.1}° vs area mean {avg:.1}°"
    );
}

#[test]
fn buildings_carry_the_four_documented_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &opts(900.0, 20260101)).unwrap();
    let bytes = std::fs::read(dir.path().join("survey/buildings.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "buildings.csv is GBK");
    let text = encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 24_000);
    let swapped = rows
        .iter()
        .filter(|r| r[1].parse::<f64>().unwrap() < 90.0)
        .count();
    assert_eq!(swapped, 1);
    assert_eq!(rows.iter().filter(|r| r[5] == "-2").count(), 1);
    assert_eq!(
        rows.iter()
            .filter(|r| r[6].parse::<i32>().unwrap() > 2026)
            .count(),
        1
    );
    let mut ids = HashSet::new();
    assert_eq!(rows.iter().filter(|r| !ids.insert(r[0])).count(), 1);
}

/// The committed fixture is what the generator writes today. After changing the
/// generator, regenerate it: `cargo run -p riskcensus-demo --example write_fixture`.
#[test]
fn committed_fixture_matches_the_generator() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo-small");
    let dir = tempfile::tempdir().unwrap();
    generate(
        dir.path(),
        &opts(FIXTURE_RESOLUTION_M, DemoOptions::default().seed),
    )
    .unwrap();
    assert_same_tree(dir.path(), &fixture);
}
