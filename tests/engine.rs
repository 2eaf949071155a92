//! Engine integration tests: the tiled executor (determinism across threads and
//! tile sizes, equality with a whole-array reference) and the prepare stage (warp
//! onto the grid, cache by content digest).

use std::path::{Path, PathBuf};

use ndarray::{Array2, ArrayView2, ArrayViewMut2};
use riskcensus::config::CensusConfig;
use riskcensus::contracts::RunLayout;
use riskcensus::executor::{run_tiled, ExecOptions, PerCell, TileKernel};
use riskcensus::progress::NoProgress;
use riskcensus::stages::prepare::prepare;
use riskcensus::RunOptions;
use riskcensus_core::{GridSpec, Tile};
use riskcensus_io::cog::{CogOptions, CogWriter};
use riskcensus_io::RasterReader;
use riskcensus_testkit::read_raster;
use riskcensus_testkit::{fixtures_dir, write_synthetic_layer, PipelineTester};

fn grid() -> GridSpec {
    GridSpec::new("EPSG:4548", 484_000.0, 4_020_000.0, 30.0, 301, 277).unwrap()
}

/// 3×3 mean of valid neighbours (a focal kernel with a 1-cell halo); NaN where the
/// centre is NaN. Written plainly: the point is the executor, not the kernel.
struct Mean3;

impl TileKernel for Mean3 {
    fn halo(&self) -> usize {
        1
    }
    fn outputs(&self) -> usize {
        2
    }
    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]) {
        let core = tile.core_in_read();
        let a = &inputs[0];
        let (rows, cols) = a.dim();
        for r in 0..core.rows {
            for c in 0..core.cols {
                let (rr, cc) = (r + core.row_off, c + core.col_off);
                outputs[0][(r, c)] = mean3(a, rr, cc, rows, cols);
                outputs[1][(r, c)] = a[(rr, cc)] * 2.0 + inputs[1][(rr, cc)];
            }
        }
    }
}

fn mean3(a: &ArrayView2<f32>, r: usize, c: usize, rows: usize, cols: usize) -> f32 {
    if a[(r, c)].is_nan() {
        return f32::NAN;
    }
    let (mut s, mut n) = (0f32, 0f32);
    for rr in r.saturating_sub(1)..(r + 2).min(rows) {
        for cc in c.saturating_sub(1)..(c + 2).min(cols) {
            let v = a[(rr, cc)];
            if !v.is_nan() {
                s += v;
                n += 1.0;
            }
        }
    }
    s / n
}

fn inputs(dir: &Path) -> (Vec<PathBuf>, Array2<f32>, Array2<f32>) {
    let g = grid();
    let a = dir.join("a.tif");
    let b = dir.join("b.tif");
    let xa = write_synthetic_layer(&a, &g, 7, 0.02);
    let xb = write_synthetic_layer(&b, &g, 8, 0.0);
    (vec![a, b], xa, xb)
}

fn writers(dir: &Path, names: &[&str]) -> Vec<CogWriter<f32>> {
    names
        .iter()
        .map(|n| {
            CogWriter::create(&dir.join(n), &grid(), Some(f64::NAN), CogOptions::default()).unwrap()
        })
        .collect()
}

#[test]
fn executor_is_bit_identical_across_threads_and_tile_sizes() {
    let src = tempfile::tempdir().unwrap();
    let (ins, _, _) = inputs(src.path());
    let files = PipelineTester::default().assert_identical(|p, out| {
        let opts = ExecOptions {
            threads: Some(p.threads),
            tile_size: p.tile_size,
        };
        let stats = run_tiled(
            &grid(),
            &ins,
            &Mean3,
            writers(out, &["mean.tif", "combo.tif"]),
            &opts,
            &NoProgress,
            "test",
        )
        .unwrap();
        assert_eq!(stats.threads, p.threads);
        assert_eq!(stats.cells, 301 * 277);
    });
    assert_eq!(files, vec!["combo.tif".to_string(), "mean.tif".to_string()]);
}

#[test]
fn executor_equals_whole_array_reference() {
    let src = tempfile::tempdir().unwrap();
    let (ins, xa, xb) = inputs(src.path());
    let out = tempfile::tempdir().unwrap();
    let opts = ExecOptions {
        threads: Some(2),
        tile_size: 64,
    };
    run_tiled(
        &grid(),
        &ins,
        &Mean3,
        writers(out.path(), &["mean.tif", "combo.tif"]),
        &opts,
        &NoProgress,
        "test",
    )
    .unwrap();
    let mean = read_raster(&out.path().join("mean.tif"));
    let combo = read_raster(&out.path().join("combo.tif"));
    let (rows, cols) = xa.dim();
    for r in 0..rows {
        for c in 0..cols {
            let e = mean3(&xa.view(), r, c, rows, cols);
            assert!(
                e.to_bits() == mean[(r, c)].to_bits() || (e.is_nan() && mean[(r, c)].is_nan()),
                "mean at ({r}, {c})"
            );
            let e2 = xa[(r, c)] * 2.0 + xb[(r, c)];
            assert!(
                e2.to_bits() == combo[(r, c)].to_bits() || (e2.is_nan() && combo[(r, c)].is_nan()),
                "combo at ({r}, {c})"
            );
        }
    }
    assert!(mean.iter().any(|v| v.is_nan()), "nodata carried through");
}

#[test]
fn per_cell_kernel_and_misaligned_input() {
    let src = tempfile::tempdir().unwrap();
    let (ins, xa, xb) = inputs(src.path());
    let out = tempfile::tempdir().unwrap();
    let k = PerCell(|v: &[f32]| v[0] - v[1]);
    run_tiled(
        &grid(),
        &ins,
        &k,
        writers(out.path(), &["d.tif"]),
        &ExecOptions::default(),
        &NoProgress,
        "diff",
    )
    .unwrap();
    let d = read_raster(&out.path().join("d.tif"));
    assert_eq!(d[(5, 9)].to_bits(), (xa[(5, 9)] - xb[(5, 9)]).to_bits());

    // An input on another lattice is refused by name, and nothing is written.
    let shifted = GridSpec::new("EPSG:4548", 484_015.0, 4_020_000.0, 30.0, 301, 277).unwrap();
    let bad = src.path().join("shifted.tif");
    write_synthetic_layer(&bad, &shifted, 9, 0.0);
    let out2 = tempfile::tempdir().unwrap();
    let e = run_tiled(
        &grid(),
        &[bad],
        &k,
        writers(out2.path(), &["x.tif"]),
        &ExecOptions::default(),
        &NoProgress,
        "diff",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("shifted.tif") && e.to_string().contains("not on the census grid"),
        "{e}"
    );
    assert_eq!(std::fs::read_dir(out2.path()).unwrap().count(), 0);
}

fn census_with_warp_fixture(dir: &Path) {
    std::fs::create_dir_all(dir.join("survey")).unwrap();
    std::fs::copy(
        fixtures_dir().join("warp/src_4326.tif"),
        dir.join("survey/dem.tif"),
    )
    .unwrap();
    std::fs::write(
        dir.join("census.toml"),
        r#"[census]
name = "测试县"
code = "370999"
[grid]
crs = "EPSG:4548"
x_min = 484500.0
y_max = 4005600.0
cell_size = 30.0
rows = 100
cols = 110
[[raster]]
id = "dem"
path = "survey/dem.tif"
kind = "continuous"
units = "m"
"#,
    )
    .unwrap();
}

#[test]
fn prepare_warps_then_reuses_cache_and_rebuilds_on_change() {
    let d = tempfile::tempdir().unwrap();
    census_with_warp_fixture(d.path());
    let census = CensusConfig::load(d.path()).unwrap();
    let layers = d.path().join("layers");
    let r1 = prepare(&census, &layers, &ExecOptions::default(), &NoProgress).unwrap();
    assert!(!r1.layers[0].cached);
    // Same lattice and method as the gdalwarp golden: identical cells.
    riskcensus_testkit::assert_rasters_close(
        &layers.join("dem.tif"),
        &fixtures_dir().join("warp/gdalwarp_bilinear.tif"),
        0.0,
    );
    let rd = RasterReader::open(&layers.join("dem.tif"), 1).unwrap();
    assert_eq!(rd.info().layout.as_deref(), Some("COG"));
    assert_eq!(rd.metadata("RISKCENSUS_UNITS").as_deref(), Some("m"));
    assert_eq!(
        rd.metadata("RISKCENSUS_SOURCE_SHA256").as_deref(),
        Some(r1.layers[0].source_sha256.as_str())
    );
    let before = std::fs::read(layers.join("dem.tif")).unwrap();

    let r2 = prepare(&census, &layers, &ExecOptions::default(), &NoProgress).unwrap();
    assert!(r2.layers[0].cached);
    assert_eq!(std::fs::read(layers.join("dem.tif")).unwrap(), before);

    // A changed source (one more nodata value declared) is rebuilt.
    riskcensus_testkit::synthetic::write_synthetic_layer(
        &d.path().join("survey/dem.tif"),
        &GridSpec::new("EPSG:4548", 484_000.0, 4_006_000.0, 20.0, 300, 300).unwrap(),
        3,
        0.0,
    );
    let r3 = prepare(&census, &layers, &ExecOptions::default(), &NoProgress).unwrap();
    assert!(!r3.layers[0].cached);
    assert_ne!(r3.layers[0].source_sha256, r1.layers[0].source_sha256);
}

#[test]
fn prepare_names_a_bad_raster() {
    let d = tempfile::tempdir().unwrap();
    census_with_warp_fixture(d.path());
    std::fs::write(d.path().join("survey/dem.tif"), b"II*\x00 not a tiff").unwrap();
    let census = CensusConfig::load(d.path()).unwrap();
    let e = prepare(
        &census,
        &d.path().join("layers"),
        &ExecOptions::default(),
        &NoProgress,
    )
    .unwrap_err();
    assert!(e.is_input_error());
    assert!(e.to_string().contains("dem.tif"), "{e}");
    assert!(!d.path().join("layers/dem.tif").exists());
}

mod terrain_stage {
    use super::*;
    use riskcensus::stages::prepare::terrain::{terrain, TerrainOptions};
    use riskcensus_kernels::terrain::{slope, Edges, GradientAlg, SlopeUnits};
    use riskcensus_kernels::CellSize;

    /// The real DEM of the kernel validation (Jacksboro fault, USGS, UTM 16N 90 m).
    fn real_dem() -> PathBuf {
        fixtures_dir().join("terrain/dem.tif")
    }

    #[test]
    fn tiled_focal_layers_equal_whole_grid_kernels_and_are_thread_and_tile_invariant() {
        let files = PipelineTester::default().assert_identical(|p, out| {
            let exec = ExecOptions {
                threads: Some(p.threads),
                tile_size: p.tile_size,
            };
            terrain(
                &real_dem(),
                out,
                &TerrainOptions::default(),
                &exec,
                &NoProgress,
            )
            .unwrap();
        });
        assert!(
            files.contains(&"hand.tif".to_string()) && files.contains(&"slope_deg.tif".to_string())
        );

        // Tiles with a halo give exactly the whole-grid kernel's result.
        let out = tempfile::tempdir().unwrap();
        let exec = ExecOptions {
            threads: Some(2),
            tile_size: 50,
        };
        terrain(
            &real_dem(),
            out.path(),
            &TerrainOptions::default(),
            &exec,
            &NoProgress,
        )
        .unwrap();
        let dem = read_raster(&real_dem());
        let whole = slope(
            dem.view(),
            CellSize::new(90.0).unwrap(),
            GradientAlg::Horn,
            SlopeUnits::Degrees,
            Edges::Compute,
        );
        let tiled = read_raster(&out.path().join("slope_deg.tif"));
        for (a, b) in whole.iter().zip(tiled.iter()) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
    }

    #[test]
    fn hydrology_outputs_hold_their_invariants_and_cache() {
        let out = tempfile::tempdir().unwrap();
        let opts = TerrainOptions {
            stream_threshold_cells: Some(100),
            ..TerrainOptions::default()
        };
        let r = terrain(
            &real_dem(),
            out.path(),
            &opts,
            &ExecOptions::default(),
            &NoProgress,
        )
        .unwrap();
        assert!(!r.cached);
        let dem = read_raster(&real_dem());
        let filled = read_raster(r.path("filled").unwrap());
        let hand = read_raster(r.path("hand").unwrap());
        let streams = read_raster(r.path("streams").unwrap());
        let acc = read_raster(r.path("accumulation").unwrap());
        let mut on_stream = 0;
        for i in 0..dem.len() {
            let (rr, cc) = (i / 256, i % 256);
            assert!(
                filled[(rr, cc)] >= dem[(rr, cc)],
                "filled below DEM at ({rr}, {cc})"
            );
            if !hand[(rr, cc)].is_nan() {
                assert!(hand[(rr, cc)] >= 0.0);
            }
            if streams[(rr, cc)] == 1.0 {
                on_stream += 1;
                assert_eq!(hand[(rr, cc)], 0.0);
                assert!(acc[(rr, cc)] >= 100.0);
            }
        }
        assert!(on_stream > 200, "streams: {on_stream}");
        // Accumulation conserves cells: the outlets' accumulations sum to the valid
        // cells (every valid cell drains to exactly one outlet).
        let d8 = read_raster(r.path("d8").unwrap());
        let outlets: f64 = d8
            .iter()
            .zip(acc.iter())
            .filter(|(d, _)| **d == 0.0)
            .map(|(_, a)| *a as f64)
            .sum();
        assert_eq!(outlets, dem.iter().filter(|v| !v.is_nan()).count() as f64);

        let again = terrain(
            &real_dem(),
            out.path(),
            &opts,
            &ExecOptions::default(),
            &NoProgress,
        )
        .unwrap();
        assert!(again.cached);
        let other = TerrainOptions {
            stream_threshold_cells: Some(200),
            ..opts
        };
        assert!(
            !terrain(
                &real_dem(),
                out.path(),
                &other,
                &ExecOptions::default(),
                &NoProgress
            )
            .unwrap()
            .cached
        );
    }

    #[test]
    fn geographic_dem_is_refused() {
        let out = tempfile::tempdir().unwrap();
        let e = terrain(
            &fixtures_dir().join("warp/src_4326.tif"),
            out.path(),
            &TerrainOptions::default(),
            &ExecOptions::default(),
            &NoProgress,
        )
        .unwrap_err();
        assert!(e.is_input_error());
        assert!(
            e.to_string().contains("src_4326.tif") && e.to_string().contains("geographic"),
            "{e}"
        );
    }
}

/// The flood model on the demo county must look right on the terrain: cells low
/// above the drainage network score higher than the hills, and the 100-year depth
/// screen floods only cells with HAND below its stage.
#[test]
fn demo_flood_hazard_follows_the_terrain() {
    use riskcensus::demo::{run_demo, DemoOptions};
    let d = tempfile::tempdir().unwrap();
    let opts = DemoOptions {
        resolution_m: 150.0,
        ..DemoOptions::default()
    };
    let r = run_demo(d.path(), &opts, &RunOptions::default(), &NoProgress).unwrap();
    let hazard = read_raster(&r.assess_dir().join("flood_hazard.tif"));
    let level = read_raster(&r.assess_dir().join("flood_hazard_level.tif"));
    let hand = read_raster(&r.layers_dir().join("hand.tif"));
    let slope = read_raster(&r.layers_dir().join("slope_deg.tif"));
    let depth = read_raster(&r.assess_dir().join("flood_depth_100y.tif"));
    let mean = |pick: &dyn Fn(usize) -> bool| {
        let (mut s, mut n) = (0f64, 0usize);
        for (i, v) in hazard.iter().enumerate() {
            if !v.is_nan() && pick(i) {
                s += *v as f64;
                n += 1;
            }
        }
        assert!(n > 30, "too few cells ({n}) in a comparison group");
        s / n as f64
    };
    let (h, sl) = (hand.as_slice().unwrap(), slope.as_slice().unwrap());
    let low = mean(&|i| h[i] < 2.0);
    let hills = mean(&|i| sl[i] > 12.0 && h[i] > 30.0);
    assert!(
        low > hills + 0.25,
        "low-HAND mean {low:.3} vs hills {hills:.3}"
    );
    // Level 1 (highest) cells are low above drainage on average; level 5 cells are not.
    let mean_hand_at = |code: f32| {
        let v: Vec<f64> = level
            .iter()
            .zip(h)
            .filter(|(l, hh)| **l == code && !hh.is_nan())
            .map(|(_, hh)| *hh as f64)
            .collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    assert!(mean_hand_at(1.0) < mean_hand_at(5.0));
    // Depth screen: depth = max(0, 3.2 − HAND).
    for (dv, hv) in depth.iter().zip(h) {
        if hv.is_nan() {
            assert!(dv.is_nan());
        } else {
            assert_eq!(*dv, (3.2f32 - hv).max(0.0));
        }
    }
    assert!(
        depth.iter().filter(|v| **v > 0.0).count() > 50,
        "the 100-year screen floods something"
    );

    // Risk is the loss route (docs/risk.md): `flood_risk` is the AAL density —
    // flood_aal / cell area — inside the townships; its level is never milder than
    // the density's own level (the risk level is the more severe of the density's
    // and the death rate's), and a cell that loses nothing is level V (5).
    let grid = &r.run.census.grid;
    let km2 = grid.cell_area() / 1.0e6;
    let levels = riskcensus_models::loss::LossLevels::builtin();
    let aal = read_raster(&r.assess_dir().join("flood_aal.tif"));
    let risk = read_raster(&r.assess_dir().join("flood_risk.tif"));
    let level = read_raster(&r.assess_dir().join("flood_risk_level.tif"));
    let mut positive = 0;
    for ((&a, &rv), &lv) in aal.iter().zip(risk.iter()).zip(level.iter()) {
        if rv.is_nan() {
            assert!(lv.is_nan() || lv == 0.0, "nodata risk, nodata level: {lv}");
            continue;
        }
        assert!(
            (f64::from(rv) - f64::from(a) / km2).abs() <= 1e-4 * (f64::from(a) / km2).max(1.0),
            "density {rv} vs AAL {a}"
        );
        let economic = levels.level(riskcensus_models::loss::Measure::AalDensity, f64::from(rv));
        assert!(
            lv as u8 <= economic && lv >= 1.0,
            "level {lv} vs economic {economic}"
        );
        if a == 0.0 {
            assert_eq!(lv, 5.0);
        }
        positive += (rv > 0.0) as usize;
    }
    assert!(positive > 20, "AAL > 0 in {positive} cells");

    // Flood damage per building: losses grow with the return period; the per-cell
    // loss grid sums to the per-building table; at equal depth an earth/stone house
    // loses a larger share than an RC frame (their curves,
    // models/flood/flood_depth_damage.toml).
    let dmg = &r.run.flood().unwrap().damage;
    assert!(dmg.buildings > 100, "{} buildings", dmg.buildings);
    // Events up to the flood-control standard (20 years) are held by the defences;
    // the rarer ones lose more and more.
    let l: Vec<(u32, f64)> = dmg.loss_by_period.iter().map(|(t, l)| (*t, *l)).collect();
    assert!(l.iter().all(|&(t, v)| t > 20 || v == 0.0), "{l:?}");
    let open: Vec<f64> = l.iter().filter(|(t, _)| *t > 20).map(|(_, v)| *v).collect();
    assert!(
        open[0] > 0.0 && open.windows(2).all(|w| w[0] < w[1]),
        "{l:?}"
    );
    assert!(dmg.ead > 0.0 && dmg.deaths_per_year > 0.0);
    let aal_grid: f64 = aal
        .iter()
        .filter(|v| v.is_finite())
        .map(|&v| f64::from(v))
        .sum();
    assert!(
        (aal_grid - dmg.ead).abs() <= 1e-4 * dmg.ead,
        "{aal_grid} vs {}",
        dmg.ead
    );
    // The county row of risk_units.csv holds the same AAL, and the townships' rows
    // add up to it (every building stands in a township of the demo).
    let mut units = csv::Reader::from_path(r.assess_dir().join("risk_units.csv")).unwrap();
    let uh = units.headers().unwrap().clone();
    let uc = |n: &str| uh.iter().position(|c| c == n).unwrap();
    let (ch, cl, ca) = (uc("hazard"), uc("unit_level"), uc("aal_wan_per_yr"));
    let urows: Vec<csv::StringRecord> = units.records().map(Result::unwrap).collect();
    let sum_of = |level: &str| -> f64 {
        urows
            .iter()
            .filter(|u| &u[ch] == "flood" && &u[cl] == level)
            .map(|u| u[ca].parse::<f64>().unwrap())
            .sum()
    };
    let county = sum_of("county");
    assert!(
        (county - dmg.ead).abs() <= 1e-3 * dmg.ead,
        "{county} vs {}",
        dmg.ead
    );
    assert!((sum_of("township") - county).abs() <= 1e-3 * county);
    let mut table = csv::Reader::from_path(dmg.buildings_csv.as_ref().unwrap()).unwrap();
    let header = table.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = table.records().map(Result::unwrap).collect();
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    let (cs, cd, cr, cl) = (
        col("structure"),
        col("depth_100y_m"),
        col("ratio_100y"),
        col("loss_100y_wan"),
    );
    let csv_loss: f64 = rows.iter().filter_map(|r| r[cl].parse::<f64>().ok()).sum();
    let grid_loss: f64 = read_raster(&r.assess_dir().join("flood_loss_100y.tif"))
        .iter()
        .filter(|v| v.is_finite())
        .map(|v| *v as f64)
        .sum();
    assert!(
        (csv_loss - grid_loss).abs() <= 1e-4 * csv_loss,
        "{csv_loss} vs {grid_loss}"
    );
    let mean_ratio = |s: &str| {
        let v: Vec<f64> = rows
            .iter()
            .filter(|r| &r[cs] == s && r[cd].parse::<f64>().is_ok_and(|d| d > 0.0 && d < 3.0))
            .map(|r| r[cr].parse::<f64>().unwrap() / r[cd].parse::<f64>().unwrap())
            .collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    assert!(mean_ratio("earth_stone") > mean_ratio("rc_frame"));

    // Shelter places per person (2SFCA) are ≥ 0 everywhere and > 0 near shelters.
    let places = read_raster(&r.layers_dir().join("shelter_places_per_person.tif"));
    assert!(places.iter().all(|v| *v >= 0.0));
    assert!(places.iter().filter(|v| **v > 0.0).count() > 100);
}

/// The whole run (ingest → every stage → manifest) on the small demo census is
/// byte-identical for 1/2/4 threads and any tile size.
#[test]
fn pipeline_is_byte_identical_across_threads_and_tiles() {
    use riskcensus_testkit::pipeline::ExecPath;
    // The small demo census (the committed fixture's generator settings), with its
    // survey layers ingested so the building-based stages run too.
    let src = tempfile::tempdir().unwrap();
    let census = riskcensus::demo::ingested_demo_census(
        src.path(),
        &riskcensus::demo::DemoOptions {
            resolution_m: 150.0,
            ..Default::default()
        },
    )
    .unwrap();
    let tester = PipelineTester {
        paths: vec![
            ExecPath {
                threads: 1,
                tile_size: 512,
            },
            ExecPath {
                threads: 2,
                tile_size: 61,
            },
            ExecPath {
                threads: 4,
                tile_size: 100,
            },
        ],
    };
    let files = tester.assert_identical(|p, out| {
        let exec = ExecOptions {
            threads: Some(p.threads),
            tile_size: p.tile_size,
        };
        let opts = RunOptions {
            exec,
            report: false,
            ..RunOptions::default()
        };
        riskcensus::run_in(&census.dir, &RunLayout::new(out), &opts, &NoProgress).unwrap();
        // The manifest carries wall times; its reproducible part is checked in the
        // zoning module.
        std::fs::remove_file(out.join("manifest.json")).unwrap();
    });
    for want in [
        "assess/flood_risk.tif",
        "assess/flood_hazard_level.tif",
        "assess/flood_aal.tif",
        "assess/flood_deaths_annual.tif",
        "assess/comprehensive_risk_level.tif",
        "assess/risk_units.csv",
        "assess/loss_exceedance.csv",
        "assess/shelter_gaps.csv",
        "assess/capacity_units.csv",
        "assess/rescue_minutes.tif",
        "assess/trends.csv",
        "layers/hand.tif",
        "layers/shelter_places_per_person.tif",
        "layers/dist_rivers.tif",
    ] {
        assert!(
            files.iter().any(|f| f == want),
            "{want} not compared: {files:?}"
        );
    }
}
