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
    assert_eq!((s.grid.rows, s.grid.cols), (88, 115));
    for r in &cfg.raster {
        let ds = Dataset::open(dir.path().join(&r.path)).unwrap();
        assert!(!ds.projection().is_empty(), "{} has no CRS", r.id);
        assert!(r.units.is_some() && r.resampling.is_some(), "{}", r.id);
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
        let text = if t.encoding.as_deref() == Some("GBK") {
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
    assert!((800.0..830.0).contains(&county_area), "{county_area}");
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

#[test]
fn county_is_815_km2_inside_the_study_area() {
    let land = Landscape::new(20260101);
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(20260101);
    rng.set_stream(1);
    let admin = riskcensus_demo::admin::build(&land, &mut rng);
    let area = geo::Area::unsigned_area(&admin.county) / 1e6;
    assert!((800.0..=830.0).contains(&area), "county {area} km²");
    let rect = geo::BoundingRect::bounding_rect(&admin.county).unwrap();
    use riskcensus_demo::landscape::{X0, X1, Y0, Y1};
    assert!(rect.min().x > X0 + 100.0 && rect.max().x < X1 - 100.0);
    assert!(rect.min().y > Y0 + 100.0 && rect.max().y < Y1 - 100.0);
    let sum: f64 = admin
        .townships
        .iter()
        .map(|t| geo::Area::unsigned_area(&t.area) / 1e6)
        .sum();
    assert!((sum - area).abs() < 0.5, "townships {sum} vs county {area}");
    assert_eq!(
        riskcensus_demo::study_area_m2(),
        (X1 - X0) * (Y1 - Y0),
        "study area"
    );
}

/// Beds fall downstream, tributaries end on the main-stem bed, the DEM along the
/// main rivers falls downstream, and the plain 100 m from a river stands above its
/// bed.
#[test]
fn rivers_are_sinuous_and_the_dem_drains_along_them() {
    let land = Landscape::new(20260101);
    for r in &land.rivers {
        for w in r.bed.windows(2) {
            assert!(w[1] < w[0], "{}: bed rises downstream", r.name);
        }
    }
    for r in &land.rivers[..2] {
        let s = r.sinuosity();
        assert!((1.2..=1.6).contains(&s), "{} sinuosity {s}", r.name);
    }
    for r in &land.rivers[2..] {
        let end = *r.pts.last().unwrap();
        let main = land.rivers[..2]
            .iter()
            .find(|m| m.pts.contains(&end))
            .unwrap_or_else(|| panic!("{} does not end on a main stem", r.name));
        let k = main.pts.iter().position(|p| *p == end).unwrap();
        assert_eq!(
            *r.bed.last().unwrap(),
            main.bed[k],
            "{} confluence bed",
            r.name
        );
        // Joins pointing downstream: the last reach heads west (the mains flow west).
        let a = r.pts[r.pts.len().saturating_sub(8)];
        assert!(end.x < a.x, "{} joins against the flow", r.name);
    }
    for r in &land.rivers {
        let z: Vec<f64> = r.pts.iter().map(|p| land.elevation(p.x, p.y)).collect();
        for (i, w) in z.windows(2).enumerate() {
            assert!(
                w[1] <= w[0] + 0.05,
                "{}: DEM rises downstream at vertex {i}: {} → {}",
                r.name,
                w[0],
                w[1]
            );
        }
    }
    let mut checked = 0;
    for r in &land.rivers[..2] {
        for k in (1..r.pts.len() - 1).step_by(10) {
            let p = r.pts[k];
            if land.hill(p.x, p.y) > 0.02 {
                continue;
            }
            let (a, b) = (r.pts[k - 1], r.pts[k + 1]);
            let l = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
            for side in [-1.0, 1.0] {
                let q = (
                    p.x - side * 100.0 * (b.y - a.y) / l,
                    p.y + side * 100.0 * (b.x - a.x) / l,
                );
                let (d, bed, _) = land.nearest_river(q.0, q.1).unwrap();
                if d < 90.0 {
                    continue; // a neighbouring bend
                }
                let z = land.elevation(q.0, q.1);
                assert!(z > bed + 1.0, "{} at {q:?}: {z} vs bed {bed}", r.name);
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// D8 on the DEM sampled at 150 m: almost every plain cell has a lower neighbour,
/// and the streams with the largest catchments follow the mapped rivers.
#[test]
fn d8_streams_follow_the_mapped_rivers() {
    use riskcensus_demo::landscape::{X0, X1, Y0, Y1};
    let land = Landscape::new(20260101);
    let h = 150.0;
    let (nc, nr) = (((X1 - X0) / h) as usize, ((Y1 - Y0) / h) as usize);
    let xy = |r: usize, c: usize| (X0 + (c as f64 + 0.5) * h, Y1 - (r as f64 + 0.5) * h);
    let mut z = vec![0.0f64; nr * nc];
    for r in 0..nr {
        for c in 0..nc {
            let (x, y) = xy(r, c);
            z[r * nc + c] = land.elevation(x, y);
        }
    }
    const D8: [(i64, i64); 8] = [
        (0, 1),
        (1, 1),
        (1, 0),
        (1, -1),
        (0, -1),
        (-1, -1),
        (-1, 0),
        (-1, 1),
    ];
    // Pits on the plain (interior cells without a strictly lower neighbour).
    let (mut plain, mut pits) = (0, 0);
    for r in 1..nr - 1 {
        for c in 1..nc - 1 {
            let (x, y) = xy(r, c);
            if land.hill(x, y) > 0.0 || land.reservoir.rel_radius(x, y) < 1.0 {
                continue;
            }
            plain += 1;
            let v = z[r * nc + c];
            if D8
                .iter()
                .all(|&(dr, dc)| z[(r as i64 + dr) as usize * nc + (c as i64 + dc) as usize] >= v)
            {
                pits += 1;
            }
        }
    }
    println!("plain cells {plain}, pits {pits}");
    assert!(pits * 200 < plain, "{pits} pits among {plain} plain cells");
    // Priority-flood fill (Barnes et al. 2014, with ε), then D8 and accumulation.
    let n = nr * nc;
    let mut filled = z.clone();
    let mut done = vec![false; n];
    let mut heap = std::collections::BinaryHeap::new();
    let key = |v: f64| std::cmp::Reverse((v * 1e6) as i64);
    for r in 0..nr {
        for c in 0..nc {
            if r == 0 || c == 0 || r == nr - 1 || c == nc - 1 {
                done[r * nc + c] = true;
                heap.push((key(filled[r * nc + c]), r * nc + c));
            }
        }
    }
    while let Some((_, i)) = heap.pop() {
        let (r, c) = ((i / nc) as i64, (i % nc) as i64);
        for (dr, dc) in D8 {
            let (rr, cc) = (r + dr, c + dc);
            if rr < 0 || cc < 0 || rr >= nr as i64 || cc >= nc as i64 {
                continue;
            }
            let j = rr as usize * nc + cc as usize;
            if !done[j] {
                done[j] = true;
                filled[j] = filled[j].max(filled[i] + 1e-4);
                heap.push((key(filled[j]), j));
            }
        }
    }
    let mut down = vec![usize::MAX; n];
    for r in 0..nr {
        for c in 0..nc {
            let i = r * nc + c;
            let mut best = (0.0, usize::MAX);
            for (dr, dc) in D8 {
                let (rr, cc) = (r as i64 + dr, c as i64 + dc);
                if rr < 0 || cc < 0 || rr >= nr as i64 || cc >= nc as i64 {
                    continue;
                }
                let j = rr as usize * nc + cc as usize;
                let len = if dr != 0 && dc != 0 { 1.414 } else { 1.0 };
                let s = (filled[i] - filled[j]) / len;
                if s > best.0 {
                    best = (s, j);
                }
            }
            down[i] = best.1;
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| filled[b].total_cmp(&filled[a]));
    let mut acc = vec![1u32; n];
    for &i in &order {
        if down[i] != usize::MAX {
            acc[down[i]] += acc[i];
        }
    }
    // Streams draining more than 25 km² (1 111 cells) inside the area, away from
    // the grid edges.
    let thr = (25.0e6 / (h * h)) as u32;
    let (mut streams, mut on_river) = (0, 0);
    for r in 2..nr - 2 {
        for c in 2..nc - 2 {
            if acc[r * nc + c] < thr {
                continue;
            }
            streams += 1;
            let (x, y) = xy(r, c);
            if land
                .nearest_river(x, y)
                .is_some_and(|(d, _, _)| d <= 2.0 * h)
            {
                on_river += 1;
            }
        }
    }
    println!("stream cells {streams}, within 2 cells of a river {on_river}");
    assert!(streams > 300, "{streams}");
    assert!(
        on_river as f64 >= 0.9 * streams as f64,
        "{on_river} of {streams}"
    );
}

/// Village boundaries (村界) tile their township: per township the village areas sum
/// to the township's area (within 1e-6 relative: boolean-op rounding), every village
/// seat lies inside its own polygon and in no other village's of its township, and
/// every township has villages.
#[test]
fn village_boundaries_tile_their_township_and_hold_their_seat() {
    use geo::Contains;
    let land = Landscape::new(20260101);
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(20260101);
    rng.set_stream(1);
    let admin = riskcensus_demo::admin::build(&land, &mut rng);
    assert!(admin.villages.len() > 300, "{}", admin.villages.len());
    for (ti, t) in admin.townships.iter().enumerate() {
        let town = geo::Area::unsigned_area(&t.area);
        let vs: Vec<_> = admin.villages.iter().filter(|v| v.township == ti).collect();
        assert!(!vs.is_empty(), "{} has no village", t.code);
        let sum: f64 = vs.iter().map(|v| geo::Area::unsigned_area(&v.area)).sum();
        assert!(
            ((sum - town) / town).abs() < 1e-6,
            "{}: villages {sum} m² vs township {town} m²",
            t.code
        );
        for v in &vs {
            assert!(
                v.code.starts_with(&t.code) && v.code.len() == 12,
                "{}",
                v.code
            );
            let p = geo::Point::from(v.pos);
            assert!(v.area.contains(&p), "{} not in its own polygon", v.code);
            for w in &vs {
                if w.code != v.code {
                    assert!(!w.area.contains(&p), "{} inside {}", v.code, w.code);
                }
            }
        }
    }
}

/// The grassroots capacity survey (`survey/community_capacity.csv`, GBK, Chinese
/// headers): one row per township and village of `admin.gpkg`, with the answers and
/// ranges docs/demo-census.md gives; and every shelter carries its GB 51143 class.
#[test]
fn capacity_survey_covers_every_unit_with_the_documented_answers() {
    use gdal::vector::LayerAccess;
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &opts(900.0, 20260101)).unwrap();
    let ds = Dataset::open(dir.path().join("survey/admin.gpkg")).unwrap();
    let mut units = BTreeSet::new();
    for layer in ["townships", "villages"] {
        let mut l = ds.layer_by_name(layer).unwrap();
        for f in l.features() {
            units.insert(
                f.field_as_string(f.field_index("code").unwrap())
                    .unwrap()
                    .unwrap(),
            );
        }
    }
    let bytes = std::fs::read(dir.path().join("survey/community_capacity.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the survey is GBK");
    let text = encoding_rs::GBK
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "行政区划代码",
            "名称",
            "灾害信息员",
            "应急预案",
            "年度应急演练次数",
            "预警信息覆盖率(%)",
            "应急广播/大喇叭",
            "减灾志愿者",
            "综合减灾示范社区",
            "灾害风险隐患图/清单",
            "调查年份"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let codes: BTreeSet<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(codes.len(), rows.len(), "one row per unit");
    assert_eq!(codes, units);
    let num = |r: &csv::StringRecord, i: usize| r[i].parse::<f64>().unwrap();
    let (mut villages, mut without_plan, mut demo) = (0, 0, 0);
    for r in &rows {
        let village = r[0].len() == 12;
        let officers = num(r, 2);
        if village {
            villages += 1;
            assert!((1.0..=4.0).contains(&officers), "{r:?}");
            assert!(["是", "否"].contains(&&r[8]), "{r:?}");
            without_plan += usize::from(&r[3] == "无");
            demo += usize::from(&r[8] == "是");
        } else {
            assert!((4.0..=12.0).contains(&officers), "{r:?}");
            assert_eq!((&r[3], &r[8]), ("有", ""), "{r:?}");
        }
        assert!(
            ["有", "无"].contains(&&r[3]) && ["有", "无"].contains(&&r[9]),
            "{r:?}"
        );
        assert!(["是", "否"].contains(&&r[6]), "{r:?}");
        assert!((0.0..=6.0).contains(&num(r, 4)), "{r:?}");
        assert!((60.0..=100.0).contains(&num(r, 5)), "{r:?}");
        assert!(num(r, 7) >= 2.0, "{r:?}");
        assert!(["2023", "2024"].contains(&&r[10]), "{r:?}");
    }
    // A few villages go without a plan; a few are demonstration communities.
    assert!(
        without_plan > 0 && without_plan * 10 < villages,
        "{without_plan} of {villages}"
    );
    assert!(demo > 0 && demo * 5 < villages, "{demo} of {villages}");

    let ds = Dataset::open(dir.path().join("survey/shelters.geojson")).unwrap();
    let mut l = ds.layer(0).unwrap();
    let classes: BTreeSet<String> = l
        .features()
        .map(|f| {
            f.field_as_string(f.field_index("shelter_type").unwrap())
                .unwrap()
                .unwrap()
        })
        .collect();
    assert_eq!(
        classes.into_iter().collect::<Vec<_>>(),
        [
            "中心避难场所",
            "中期固定避难场所",
            "短期固定避难场所",
            "紧急避难场所",
            "长期固定避难场所"
        ]
    );
}
