//! Integration tests of the io crate: warping against GDAL's command line, COG
//! round-trip, atomic writes, and named errors for bad rasters.

use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, LevelScheme, Window};
use riskcensus_io::cog::{CogOptions, CogWriter, LevelLegend, Provenance};
use riskcensus_io::{raster, warp, IoError, RasterReader, Resampling};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn golden_grid() -> GridSpec {
    // Same lattice as validate/warp/make_golden.py (see fixtures/warp/golden.json).
    GridSpec::new("EPSG:4548", 484_500.0, 4_005_600.0, 30.0, 100, 110).unwrap()
}

fn read_all(path: &Path) -> (Vec<f32>, RasterReader) {
    let r = RasterReader::open(path, 1).unwrap();
    let w = Window::new(0, 0, r.info().rows, r.info().cols);
    (r.read_f32(w).unwrap().into_raw_vec_and_offset().0, r)
}

/// Reference: `gdalwarp -t_srs EPSG:4548 -te … -ts 110 100 -r <alg> -dstnodata nan`
/// run by validate/warp/make_golden.py (GDAL version recorded in golden.json). Our
/// warper must reproduce it cell by cell, nodata included.
fn check_warp_against_gdalwarp(alg: Resampling, golden: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("warped.tif");
    let src = fixtures().join("warp/src_4326.tif");
    warp::warp_to_grid(&src, &golden_grid(), alg, &out, &Provenance::new()).unwrap();
    let (ours, reader) = read_all(&out);
    let (theirs, _) = read_all(&fixtures().join("warp").join(golden));
    assert_eq!(reader.info().layout.as_deref(), Some("COG"));
    assert_eq!(ours.len(), theirs.len());
    let mut valid = 0;
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a.is_nan(), b.is_nan(), "nodata differs at cell {i}");
        if !a.is_nan() {
            valid += 1;
            assert!(
                a.to_bits() == b.to_bits(),
                "cell ({}, {}): ours {a}, gdalwarp {b}",
                i / 110,
                i % 110
            );
        }
    }
    // The lattice overlaps the source edge and its nodata block: both kinds occur.
    assert!(valid > 5000 && valid < ours.len(), "valid cells: {valid}");
}

#[test]
fn warp_bilinear_matches_gdalwarp_cli() {
    check_warp_against_gdalwarp(Resampling::Bilinear, "gdalwarp_bilinear.tif");
}

#[test]
fn warp_nearest_matches_gdalwarp_cli() {
    check_warp_against_gdalwarp(Resampling::Nearest, "gdalwarp_near.tif");
}

#[test]
fn cog_round_trip_with_tags_legend_and_overviews() {
    let dir = tempfile::tempdir().unwrap();
    let grid = GridSpec::new("EPSG:4548", 484_000.0, 4_020_000.0, 30.0, 700, 650).unwrap();
    // Float layer, written in four windows.
    let f_path = dir.path().join("hazard.tif");
    let mut w =
        CogWriter::<f32>::create(&f_path, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
    let value = |r: usize, c: usize| {
        if (r + c).is_multiple_of(97) {
            f32::NAN
        } else {
            (r * 1000 + c) as f32 * 0.5
        }
    };
    for (r0, c0) in [(0, 0), (0, 300), (350, 0), (350, 300)] {
        let win = Window::new(r0, c0, 350, if c0 == 0 { 300 } else { 350 });
        let data: Vec<f32> = (win.row_off..win.row_end())
            .flat_map(|r| (win.col_off..win.col_end()).map(move |c| value(r, c)))
            .collect();
        w.write_window(win, &data).unwrap();
    }
    let mut tags = Provenance::new();
    tags.insert("RISKCENSUS_ENGINE_VERSION".into(), "0.1.0".into());
    tags.insert("RISKCENSUS_MODEL_ID".into(), "flood@1".into());
    tags.insert("RISKCENSUS_PARAM_HASH".into(), "abc123".into());
    w.set_tags(&tags);
    w.finish().unwrap();

    let (data, r) = read_all(&f_path);
    let info = r.info();
    assert_eq!(info.layout.as_deref(), Some("COG"));
    assert_eq!((info.rows, info.cols), (700, 650));
    assert_eq!(info.crs_code.as_deref(), Some("EPSG:4548"));
    assert!(info.nodata[0].unwrap().is_nan());
    assert!(info.overviews >= 1, "overviews: {}", info.overviews);
    assert_eq!(info.grid().unwrap(), grid);
    for (i, v) in data.iter().enumerate() {
        let e = value(i / 650, i % 650);
        assert!(
            v.to_bits() == e.to_bits() || (v.is_nan() && e.is_nan()),
            "cell {i}"
        );
    }
    assert_eq!(
        r.metadata("RISKCENSUS_MODEL_ID").as_deref(),
        Some("flood@1")
    );
    assert_eq!(
        r.metadata("RISKCENSUS_PARAM_HASH").as_deref(),
        Some("abc123")
    );

    // Level layer: u8 with colour table and class names.
    let l_path = dir.path().join("levels.tif");
    let mut w = CogWriter::<u8>::create(&l_path, &grid, Some(0.0), CogOptions::default()).unwrap();
    let levels: Vec<u8> = (0..grid.cell_count()).map(|i| (i % 6) as u8).collect();
    w.write_window(grid.full_window(), &levels).unwrap();
    let mut scheme = LevelScheme::generic(5);
    scheme.id = "risk5".into();
    scheme.classes[0].name_zh = "高风险".into();
    scheme.classes[0].name_en = "I high".into();
    w.set_legend(LevelLegend(scheme));
    w.finish().unwrap();
    let r = RasterReader::open(&l_path, 1).unwrap();
    assert_eq!(r.info().layout.as_deref(), Some("COG"));
    assert_eq!(
        r.read_u8(grid.full_window())
            .unwrap()
            .into_raw_vec_and_offset()
            .0,
        levels
    );
    let ct = r.color_table_rgba();
    assert_eq!(ct[1], [0xD7, 0x19, 0x1C, 255]);
    assert_eq!(ct[5], [0x1A, 0x96, 0x41, 255]);
    assert_eq!(ct[0][3], 0, "nodata is transparent");
    let names = r.class_names();
    assert_eq!(names.len(), 6);
    assert!(
        names[1].contains("高风险") && names[1].contains("I high"),
        "{names:?}"
    );
    assert_eq!(names[5], "5级 level 5");
    assert_eq!(r.level_scheme_id().as_deref(), Some("risk5"));
}

#[test]
fn failed_write_leaves_no_output_and_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let grid = GridSpec::new("EPSG:4548", 0.0, 1000.0, 10.0, 100, 100).unwrap();
    let path = dir.path().join("risk.tif");
    {
        let mut w =
            CogWriter::<f32>::create(&path, &grid, Some(f64::NAN), CogOptions::default()).unwrap();
        w.write_window(Window::new(0, 0, 50, 100), &vec![1.0; 5000])
            .unwrap();
        // A window outside the grid fails mid-write …
        let err = w
            .write_window(Window::new(90, 0, 20, 100), &vec![1.0; 2000])
            .unwrap_err();
        assert!(err.to_string().contains("risk.tif"), "{err}");
        // … and the writer is dropped without finishing.
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!path.exists());

    // A panic while writing also leaves nothing behind.
    let p2 = path.clone();
    let g2 = grid.clone();
    let res = std::thread::spawn(move || {
        let mut w =
            CogWriter::<f32>::create(&p2, &g2, Some(f64::NAN), CogOptions::default()).unwrap();
        w.write_window(Window::new(0, 0, 10, 10), &[2.0; 100])
            .unwrap();
        panic!("simulated crash mid-write");
    })
    .join();
    assert!(res.is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn raster_without_crs_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nocrs.tif");
    let status = std::process::Command::new("gdal_translate")
        .args(["-q", "-a_srs", "", "-of", "GTiff"])
        .arg(fixtures().join("warp/src_4326.tif"))
        .arg(&p)
        .status();
    // Build a CRS-less raster without the CLI if it is unavailable.
    if !matches!(status, Ok(s) if s.success()) || raster::open_validated(&p).is_ok() {
        write_raster_without_crs(&p);
    }
    match raster::open_validated(&p) {
        Err(IoError::NoCrs { path }) => assert_eq!(path, p),
        other => panic!("expected NoCrs, got {other:?}"),
    }
}

fn write_raster_without_crs(p: &Path) {
    use gdal::DriverManager;
    let drv = DriverManager::get_driver_by_name("GTiff").unwrap();
    let mut ds = drv.create_with_band_type::<f32, _>(p, 4, 4, 1).unwrap();
    ds.set_geo_transform(&[0.0, 1.0, 0.0, 4.0, 0.0, -1.0])
        .unwrap();
}

#[test]
fn corrupt_and_missing_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("corrupt.tif");
    // A TIFF header followed by garbage.
    std::fs::write(&p, b"II*\x00\x08\x00\x00\x00garbage garbage garbage").unwrap();
    let e = raster::open_validated(&p).unwrap_err();
    assert!(matches!(e, IoError::Open { .. }), "{e:?}");
    assert!(e.to_string().contains("corrupt.tif"), "{e}");

    let missing = dir.path().join("missing.tif");
    let e = raster::open_validated(&missing).unwrap_err();
    assert!(e.to_string().contains("missing.tif"), "{e}");
}

#[test]
fn wrong_band_is_named() {
    let src = fixtures().join("warp/src_4326.tif");
    match RasterReader::open(&src, 3) {
        Err(IoError::NoSuchBand {
            band: 3,
            count: 1,
            path,
        }) => assert_eq!(path, src),
        Err(other) => panic!("expected NoSuchBand, got {other:?}"),
        Ok(_) => panic!("band 3 of a one-band raster opened"),
    }
}

#[test]
fn rotated_geotransform_is_refused() {
    use gdal::DriverManager;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rotated.tif");
    {
        let drv = DriverManager::get_driver_by_name("GTiff").unwrap();
        let mut ds = drv.create_with_band_type::<f32, _>(&p, 4, 4, 1).unwrap();
        ds.set_geo_transform(&[0.0, 1.0, 0.2, 4.0, 0.1, -1.0])
            .unwrap();
        ds.set_spatial_ref(&riskcensus_io::crs::spatial_ref("EPSG:4548").unwrap())
            .unwrap();
    }
    let e = raster::open_validated(&p).unwrap_err();
    assert!(matches!(e, IoError::BadGeotransform { .. }), "{e:?}");
}

#[test]
fn windowed_reads_equal_full_reads() {
    let src = fixtures().join("warp/src_4326.tif");
    let (full, r) = read_all(&src);
    let w = Window::new(25, 38, 15, 12);
    let part = r.read_f32(w).unwrap();
    for rr in 0..w.rows {
        for cc in 0..w.cols {
            let a = part[(rr, cc)];
            let b = full[(rr + w.row_off) * 80 + cc + w.col_off];
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
        }
    }
    // The -9999 block is read as NaN.
    assert!(part[(30 - 25, 40 - 38)].is_nan());
}

/// Reference: `ogr2ogr -t_srs EPSG:4548` then `gdal_rasterize` (cell-centre, `-at`,
/// `-a value -add`), run by validate/rasterize/make_golden.py (GDAL version in
/// fixtures/rasterize/golden.json). Our rasterizer must give the same cells.
#[test]
fn rasterize_matches_gdal_rasterize_cli() {
    use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
    let src = fixtures().join("rasterize/features.geojson");
    let cases = [
        ("mask_center.tif", RasterizeSpec::mask(None, false)),
        ("mask_touched.tif", RasterizeSpec::mask(None, true)),
        (
            "sum_value.tif",
            RasterizeSpec {
                burn: Burn::Field("value".into()),
                add: true,
                ..RasterizeSpec::mask(None, false)
            },
        ),
    ];
    let mut burnt = Vec::new();
    for (golden, spec) in cases {
        let ours = rasterize(&src, &golden_grid(), &spec).unwrap();
        let (theirs, _) = read_all(&fixtures().join("rasterize").join(golden));
        let ours = ours.into_raw_vec_and_offset().0;
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "{golden}: cell ({}, {})",
                i / 110,
                i % 110
            );
        }
        burnt.push(ours.iter().filter(|v| **v != 0.0).count());
        if golden == "sum_value.tif" {
            // Two points in one cell add up: 7 + 4; overlapping polygons: 5 + 3.
            assert_eq!(ours.iter().cloned().fold(0f32, f32::max), 11.0);
            assert!(ours.contains(&8.0));
        }
    }
    // All-touched burns strictly more cells than the cell-centre rule.
    assert!(burnt[1] > burnt[0] && burnt[0] > 500, "{burnt:?}");
}

#[test]
fn rasterize_names_missing_layer_and_field() {
    use riskcensus_io::rasterize::{rasterize, Burn, RasterizeSpec};
    let src = fixtures().join("rasterize/features.geojson");
    let e = rasterize(
        &src,
        &golden_grid(),
        &RasterizeSpec::mask(Some("rivers"), false),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("features.geojson") && e.to_string().contains("rivers"),
        "{e}"
    );
    let spec = RasterizeSpec {
        burn: Burn::Field("occupants".into()),
        ..RasterizeSpec::mask(None, false)
    };
    let e = rasterize(&src, &golden_grid(), &spec).unwrap_err();
    assert!(e.to_string().contains("occupants"), "{e}");
}
