//! Raster survey layers: DEM (EPSG:4326), land cover (EPSG:4548 on a shifted
//! lattice), population (EPSG:4548, coarser cells) and 24 h design rainfall for three
//! return periods (EPSG:4490, 0.01°).

use ndarray::Array2;
use riskcensus_io::crs::Transformer;
use riskcensus_io::geotiff::write_geotiff;

use crate::config::{RasterKind, RasterSource};
use crate::landscape::{smoothstep, X0, X1, Y0, Y1};
use crate::{Ctx, DemoError};

/// Land-cover codes (GlobeLand30 classes) with Chinese and English names.
pub const LANDCOVER: [(u8, &str, &str); 8] = [
    (10, "耕地", "cropland"),
    (20, "林地", "forest"),
    (30, "草地", "grassland"),
    (40, "灌木地", "shrubland"),
    (50, "湿地", "wetland"),
    (60, "水体", "water"),
    (80, "人造地表", "built-up"),
    (90, "裸地", "bare land"),
];

pub(crate) fn write_all(ctx: &mut Ctx) -> Result<(), DemoError> {
    dem(ctx)?;
    landcover(ctx)?;
    population(ctx)?;
    rainfall(ctx)?;
    Ok(())
}

/// Declare `src` in `census.toml` and record its file (`n` cells) for the summary.
fn add(ctx: &mut Ctx, src: RasterSource, n: u64) {
    let (id, rel) = (src.id.clone(), src.path.to_string_lossy().into_owned());
    ctx.cfg.raster.push(src);
    ctx.record(&id, &rel, n);
}

/// Geographic extent (lon/lat) of the study area plus `margin_deg`, snapped outward
/// to multiples of `step`.
fn geographic_extent(
    to: &str,
    margin_deg: f64,
    step: f64,
) -> Result<(f64, f64, f64, f64), riskcensus_io::IoError> {
    let t = Transformer::new(crate::landscape::CRS, to)?;
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for i in 0..=8 {
        let f = i as f64 / 8.0;
        for (x, y) in [
            (X0 + f * (X1 - X0), Y0),
            (X0 + f * (X1 - X0), Y1),
            (X0, Y0 + f * (Y1 - Y0)),
            (X1, Y0 + f * (Y1 - Y0)),
        ] {
            xs.push(x);
            ys.push(y);
        }
    }
    t.transform(&mut xs, &mut ys)?;
    let fold = |v: &[f64]| {
        v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, &b| {
            (a.0.min(b), a.1.max(b))
        })
    };
    let ((lo0, lo1), (la0, la1)) = (fold(&xs), fold(&ys));
    let snap_lo = |v: f64| ((v - margin_deg) / step).floor() * step;
    let snap_hi = |v: f64| ((v + margin_deg) / step).ceil() * step;
    Ok((snap_lo(lo0), snap_lo(la0), snap_hi(lo1), snap_hi(la1)))
}

/// Sample `f(x, y)` (census CRS) at the centres of a geographic grid, transforming
/// whole rows at once.
fn sample_geographic(
    crs: &str,
    west: f64,
    north: f64,
    step: f64,
    rows: usize,
    cols: usize,
    mut f: impl FnMut(f64, f64) -> f32,
) -> Result<Array2<f32>, riskcensus_io::IoError> {
    let t = Transformer::new(crs, crate::landscape::CRS)?;
    let mut out = Array2::<f32>::zeros((rows, cols));
    let mut xs = vec![0.0; cols];
    let mut ys = vec![0.0; cols];
    for r in 0..rows {
        let lat = north - (r as f64 + 0.5) * step;
        for c in 0..cols {
            xs[c] = west + (c as f64 + 0.5) * step;
            ys[c] = lat;
        }
        t.transform(&mut xs, &mut ys)?;
        let mut row = out.row_mut(r);
        for c in 0..cols {
            row[c] = f(xs[c], ys[c]);
        }
    }
    Ok(out)
}

fn dem(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("dem", "survey/dem.tif");
    // 1 arc-second at a 30 m census, scaled with the census resolution.
    let step = ctx.opts.resolution_m / 30.0 / 3_600.0;
    let (w, s, e, n) = geographic_extent("EPSG:4326", 0.01, step).map_err(ctx.io_err(id, rel))?;
    let cols = ((e - w) / step).round() as usize;
    let rows = ((n - s) / step).round() as usize;
    let land = &ctx.land;
    let data = sample_geographic("EPSG:4326", w, n, step, rows, cols, |x, y| {
        // Whole decimetres, as DEM products store.
        ((land.elevation(x, y) * 10.0).round() / 10.0) as f32
    })
    .map_err(ctx.io_err(id, rel))?;
    let gt = [w, step, 0.0, n, 0.0, -step];
    write_geotiff(&ctx.path(rel), data.view(), gt, "EPSG:4326", Some(-9999.0))
        .map_err(ctx.io_err(id, rel))?;
    add(
        ctx,
        RasterSource {
            id: id.into(),
            path: rel.into(),
            kind: RasterKind::Continuous,
            resampling: Some("bilinear".into()),
            units: Some("m".into()),
            description: Some("数字高程模型 DEM, WGS 84 geographic (EPSG:4326), ~1 arc-second at the 30 m census; study area plus a 0.01° margin".into()),
        },
        (rows * cols) as u64,
    );
    Ok(())
}

fn landcover(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("landcover", "survey/landcover.tif");
    let res = ctx.opts.resolution_m;
    // A lattice shifted against the census grid by a fraction of a cell, one cell wider.
    let x0 = X0 - 1.37 * res;
    let y1 = Y1 + 1.41 * res;
    let cols = ((X1 + res - x0) / res).ceil() as usize;
    let rows = ((y1 - (Y0 - res)) / res).ceil() as usize;
    let land = &ctx.land;
    let nz = land.noise.derive(70);
    let town = land.town;
    let mut data = Array2::<u8>::zeros((rows, cols));
    for r in 0..rows {
        let y = y1 - (r as f64 + 0.5) * res;
        for c in 0..cols {
            let x = x0 + (c as f64 + 0.5) * res;
            let m = land.hill(x, y);
            let v = nz.fbm(x, y, 1_800.0, 4);
            let river = land.nearest_river(x, y);
            let dt = ((x - town.x).powi(2) + (y - town.y).powi(2)).sqrt();
            let code = if land.reservoir.rel_radius(x, y) < 1.0
                || river.is_some_and(|(d, _, ri)| d < land.rivers[ri].half_width.max(0.5 * res))
            {
                60
            } else if dt / 3_300.0 + 0.3 * v < 1.0 {
                80
            } else if m > 0.75 && v > 0.55 {
                90
            } else if m > 0.45 {
                if v > -0.45 {
                    20
                } else {
                    30
                }
            } else if m > 0.18 {
                if v > 0.15 {
                    20
                } else if v > -0.25 {
                    40
                } else {
                    10
                }
            } else if river.is_some_and(|(d, _, _)| d < 300.0) && v > 0.25 {
                50
            } else if v < -0.6 {
                30
            } else {
                10
            };
            data[[r, c]] = code;
        }
    }
    // Villages are built-up patches, sized with their population.
    for vl in &ctx.admin.villages {
        let rad = 90.0 + (vl.population as f64).sqrt() * 3.2;
        let (c0, c1) = (
            ((vl.pos.x - rad - x0) / res).floor().max(0.0) as usize,
            ((vl.pos.x + rad - x0) / res).ceil() as usize,
        );
        let (r0, r1) = (
            ((y1 - vl.pos.y - rad) / res).floor().max(0.0) as usize,
            ((y1 - vl.pos.y + rad) / res).ceil() as usize,
        );
        for r in r0..r1.min(rows) {
            for c in c0..c1.min(cols) {
                let (x, y) = (x0 + (c as f64 + 0.5) * res, y1 - (r as f64 + 0.5) * res);
                if (x - vl.pos.x).powi(2) + (y - vl.pos.y).powi(2) <= rad * rad
                    && data[[r, c]] != 60
                {
                    data[[r, c]] = 80;
                }
            }
        }
    }
    let gt = [x0, res, 0.0, y1, 0.0, -res];
    write_geotiff(
        &ctx.path(rel),
        data.view(),
        gt,
        crate::landscape::CRS,
        Some(0.0),
    )
    .map_err(ctx.io_err(id, rel))?;
    let legend: Vec<String> = LANDCOVER
        .iter()
        .map(|(c, zh, en)| format!("{c} {zh} {en}"))
        .collect();
    add(
        ctx,
        RasterSource {
            id: id.into(),
            path: rel.into(),
            kind: RasterKind::Categorical,
            resampling: Some("mode".into()),
            units: Some("class".into()),
            description: Some(format!("土地覆盖 land cover (GlobeLand30 codes: {}; 0 = nodata), EPSG:4548 on a lattice shifted against the census grid", legend.join(", "))),
        },
        (rows * cols) as u64,
    );
    Ok(())
}

/// Population cell size: 100 m at the 30 m census (WorldPop-like), scaled beyond.
pub fn population_cell(res: f64) -> f64 {
    (res * 10.0 / 3.0).max(100.0)
}

fn population(ctx: &mut Ctx) -> Result<(), DemoError> {
    let (id, rel) = ("population", "survey/population.tif");
    let cell = population_cell(ctx.opts.resolution_m);
    let cols = ((X1 - X0) / cell).ceil() as usize;
    let rows = ((Y1 - Y0) / cell).ceil() as usize;
    let land = &ctx.land;
    let mut data = Array2::<f32>::zeros((rows, cols));
    let mut acc = Array2::<f64>::zeros((rows, cols));
    // Rural background: 40 persons/km² on the plain, fewer in the hills.
    let bg = 40.0 * cell * cell / 1e6;
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = (X0 + (c as f64 + 0.5) * cell, Y1 - (r as f64 + 0.5) * cell);
            acc[[r, c]] = bg * (1.0 - 0.8 * land.hill(x, y));
        }
    }
    // Each settlement spreads its population with a Gaussian kernel normalised to
    // the settlement total (σ 150 m for villages, 500 m for urban communities).
    let mut w = Vec::new();
    for v in &ctx.admin.villages {
        let sigma: f64 = if v.kind == "村委会" { 150.0 } else { 500.0 };
        let rad = (3.0 * sigma).max(cell);
        let c0 = ((v.pos.x - rad - X0) / cell).floor().max(0.0) as usize;
        let c1 = (((v.pos.x + rad - X0) / cell).ceil() as usize).min(cols);
        let r0 = ((Y1 - v.pos.y - rad) / cell).floor().max(0.0) as usize;
        let r1 = (((Y1 - v.pos.y + rad) / cell).ceil() as usize).min(rows);
        w.clear();
        let mut sum = 0.0;
        for r in r0..r1 {
            for c in c0..c1 {
                let (x, y) = (X0 + (c as f64 + 0.5) * cell, Y1 - (r as f64 + 0.5) * cell);
                let d2 = (x - v.pos.x).powi(2) + (y - v.pos.y).powi(2);
                let k = (-d2 / (2.0 * sigma * sigma)).exp();
                w.push((r, c, k));
                sum += k;
            }
        }
        if sum > 0.0 {
            for &(r, c, k) in &w {
                acc[[r, c]] += v.population as f64 * k / sum;
            }
        }
    }
    for (d, a) in data.iter_mut().zip(acc.iter()) {
        *d = ((a * 100.0).round() / 100.0) as f32;
    }
    let gt = [X0, cell, 0.0, Y1, 0.0, -cell];
    write_geotiff(
        &ctx.path(rel),
        data.view(),
        gt,
        crate::landscape::CRS,
        Some(-9999.0),
    )
    .map_err(ctx.io_err(id, rel))?;
    add(
        ctx,
        RasterSource {
            id: id.into(),
            path: rel.into(),
            kind: RasterKind::Count,
            resampling: Some("sum".into()),
            units: Some("persons".into()),
            description: Some("常住人口 resident population, persons per cell (100 m cells at the 30 m census), EPSG:4548".into()),
        },
        (rows * cols) as u64,
    );
    Ok(())
}

/// 24 h design rainfall (mm) for 10, 50 and 100 years: a Shandong-piedmont-like
/// base (≈ 150 / 215 / 245 mm) with an orographic increase of 22 % per 1 000 m of
/// mean elevation and a gentle south-east → north-west decrease.
fn rainfall(ctx: &mut Ctx) -> Result<(), DemoError> {
    let step = 0.01;
    let rel0 = "survey/rain24h_10y.tif";
    let (w, s, e, n) =
        geographic_extent("EPSG:4490", 0.03, step).map_err(ctx.io_err("rain24h_10y", rel0))?;
    let cols = ((e - w) / step).round() as usize;
    let rows = ((n - s) / step).round() as usize;
    let land = &ctx.land;
    let nz = land.noise.derive(80);
    // Mean elevation over the ~1 km cell from a 3 × 3 sample.
    let base = sample_geographic("EPSG:4490", w, n, step, rows, cols, |x, y| {
        let mut z = 0.0;
        for i in -1..=1 {
            for j in -1..=1 {
                z += land.elevation(x + 300.0 * i as f64, y + 300.0 * j as f64);
            }
        }
        let z = z / 9.0;
        let grad = 1.0 + 0.04 * ((x - X0) / (X1 - X0) - (y - Y0) / (Y1 - Y0));
        ((1.0 + 0.22 * z / 1_000.0) * grad * (1.0 + 0.03 * nz.fbm(x, y, 15_000.0, 2))) as f32
    })
    .map_err(ctx.io_err("rain24h_10y", rel0))?;
    for (t, p) in [(10, 150.0f32), (50, 215.0), (100, 245.0)] {
        let id = format!("rain24h_{t}y");
        let rel = format!("survey/rain24h_{t}y.tif");
        let data = base.mapv(|f| (f * p * 10.0).round() / 10.0);
        let gt = [w, step, 0.0, n, 0.0, -step];
        write_geotiff(&ctx.path(&rel), data.view(), gt, "EPSG:4490", Some(-9999.0))
            .map_err(ctx.io_err(&id, &rel))?;
        add(
            ctx,
            RasterSource {
                id,
                path: rel.into(),
                kind: RasterKind::Continuous,
                resampling: Some("bilinear".into()),
                units: Some("mm".into()),
                description: Some(format!("{t} 年一遇 24 小时设计暴雨 24 h rainfall for a {t}-year return period, CGCS2000 geographic (EPSG:4490), 0.01° cells")),
            },
            (rows * cols) as u64,
        );
    }
    let _ = smoothstep(0.0);
    Ok(())
}
