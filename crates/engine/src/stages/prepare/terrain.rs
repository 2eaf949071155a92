//! The terrain and hydrology stage: derivatives of a projected DEM as COG layers.
//!
//! Focal layers stream through the tiled executor with a halo (memory bounded by the
//! tile size): slope (degrees and percent), aspect, hillshade, plan and profile
//! curvature, relief and terrain ruggedness (radius `relief_radius`). Hydrology is
//! global — a depression's spill point or a cell's drainage can lie anywhere — so it
//! runs in memory on the whole grid: priority-flood + ε filling, D8 directions,
//! accumulation, streams, HAND and TWI. While the grid fits: the arrays held at once
//! are the DEM, the filled DEM, D8 codes, accumulation and one output, ≈ 17 bytes per
//! cell (≈ 140 MB at 8 M cells, ≈ 1.1 GB at 64 M cells).
//!
//! Outputs (all on the DEM's own grid, which must be north-up with square cells in a
//! projected CRS in metres; nodata NaN unless stated):
//!
//! | file | content | units / encoding |
//! |---|---|---|
//! | slope_deg.tif | slope, Horn or Zevenbergen–Thorne | degrees 0–90 |
//! | slope_pct.tif | slope | percent, 100·tan |
//! | aspect_deg.tif | direction the slope faces | degrees clockwise from north, −1 flat |
//! | hillshade.tif | Horn hillshade, azimuth 315°, altitude 45° | 1–255, 0 = nodata |
//! | curv_plan.tif, curv_profile.tif | Zevenbergen–Thorne curvature | 1/m |
//! | relief.tif, tri.tif | max − min and Riley TRI over radius r | m |
//! | filled.tif | depression-filled DEM | m |
//! | d8.tif | D8 flow direction, ESRI codes E=1 SE=2 S=4 SW=8 W=16 NW=32 N=64 NE=128, 0 outlet | u8, 255 = nodata |
//! | accumulation.tif | upstream cells including the cell itself | u32 count, 0 = nodata |
//! | upstream_area.tif | upstream area | m² |
//! | streams.tif | accumulation ≥ threshold | u8 1 = stream, 0 = not, 255 = nodata |
//! | hand.tif | height above nearest drainage (Nobre et al. 2011) | m, NaN where the D8 path leaves the grid first |
//! | twi.tif | topographic wetness index ln(a / tan β) | dimensionless |
//!
//! Every output carries the DEM's SHA-256, the parameters and the engine version in
//! its tags, and is reused when those match (the cache).

use std::path::{Path, PathBuf};
use std::time::Instant;

use ndarray::{s, Array2, ArrayView2, ArrayViewMut2};
use riskcensus_core::{GridSpec, Tile, Window};
use riskcensus_io::cog::{CogOptions, CogWriter, Provenance};
use riskcensus_io::{digest, RasterReader};
use riskcensus_kernels::hydro::{
    accumulation, d8, fill_depressions, hand, streams, twi, upstream_area, DEFAULT_MIN_TAN_SLOPE,
};
pub use riskcensus_kernels::terrain::GradientAlg;
use riskcensus_kernels::terrain::{
    aspect, curvature, hillshade, relief, slope, tri_riley, Edges, HillshadeParams, SlopeUnits,
};
use riskcensus_kernels::CellSize;
use serde::Serialize;

use crate::error::EngineError;
use crate::executor::{run_tiled, ExecOptions, TileKernel};
use crate::output::{is_cached, with_layer, write_array};
use crate::progress::Progress;
use crate::provenance::{self, tag};

/// Parameters of the terrain stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerrainOptions {
    /// Gradient method for slope, aspect and hillshade.
    #[serde(serialize_with = "ser_alg")]
    pub method: GradientAlg,
    /// Accumulation threshold (cells) for streams; `None` = 1 km² of upstream area.
    pub stream_threshold_cells: Option<u32>,
    /// Radius (cells) of relief and TRI windows.
    pub relief_radius: usize,
    /// Floor on tan β for TWI on flats.
    pub twi_min_tan_slope: f64,
}

fn ser_alg<S: serde::Serializer>(a: &GradientAlg, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match a {
        GradientAlg::Horn => "horn",
        GradientAlg::ZevenbergenThorne => "zt",
    })
}

impl Default for TerrainOptions {
    fn default() -> Self {
        Self {
            method: GradientAlg::Horn,
            stream_threshold_cells: None,
            relief_radius: 3,
            twi_min_tan_slope: DEFAULT_MIN_TAN_SLOPE,
        }
    }
}

impl TerrainOptions {
    /// The stream threshold in cells for a grid of `cell_size` metres.
    pub fn threshold_cells(&self, cell_size: f64) -> u32 {
        self.stream_threshold_cells
            .unwrap_or_else(|| (1.0e6 / (cell_size * cell_size)).ceil().max(1.0) as u32)
    }
}

/// The focal layers the stage writes (through the tiled executor), in order.
pub const FOCAL_LAYERS: [&str; 8] = [
    "slope_deg",
    "slope_pct",
    "aspect_deg",
    "hillshade",
    "curv_plan",
    "curv_profile",
    "relief",
    "tri",
];
/// The hydrology steps, in the order they run on the whole grid; every one is
/// written as `<id>.tif` except `slope_for_twi` (the DEM's slope that TWI uses).
pub const HYDRO_LAYERS: [&str; 8] = [
    "filled",
    "d8",
    "accumulation",
    "upstream_area",
    "streams",
    "hand",
    "slope_for_twi",
    "twi",
];

/// The unit of a terrain layer, as the model library names units.
pub fn unit_of(id: &str) -> &'static str {
    match id {
        "slope_deg" | "aspect_deg" => "deg",
        "slope_pct" => "percent",
        "hillshade" => "grey",
        "curv_plan" | "curv_profile" => "1/m",
        "relief" | "tri" | "filled" | "hand" => "m",
        "d8" => "d8_code",
        "accumulation" => "cells",
        "upstream_area" => "m2",
        "streams" => "flag",
        "twi" => "index",
        _ => "",
    }
}

/// What the stage produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TerrainReport {
    /// (layer id, `<out>/<id>.tif`) of every output: the focal layers, then the
    /// hydrology layers.
    pub layers: Vec<(String, PathBuf)>,
    /// True when every output was up to date and reused (nothing computed).
    pub cached: bool,
    /// The accumulation threshold of `streams`, in cells.
    pub stream_threshold_cells: u32,
    /// Wall time of the focal layers, in seconds (0 when cached).
    pub seconds_focal: f64,
    /// Wall time of the hydrology layers, in seconds (0 when cached).
    pub seconds_hydro: f64,
}

impl TerrainReport {
    /// The file of output layer `id`, if the stage writes one.
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.layers
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, p)| p.as_path())
    }
}

fn output_ids() -> impl Iterator<Item = &'static str> {
    FOCAL_LAYERS
        .iter()
        .chain(HYDRO_LAYERS.iter().filter(|l| **l != "slope_for_twi"))
        .copied()
}

/// Run the stage on `dem`, writing `<out>/<layer>.tif`.
pub fn terrain(
    dem: &Path,
    out: &Path,
    opts: &TerrainOptions,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<TerrainReport, EngineError> {
    let reader = RasterReader::open(dem, 1)?;
    let info = reader.info().clone();
    if info.crs_is_geographic {
        return Err(EngineError::GeographicDem {
            path: dem.to_path_buf(),
        });
    }
    let grid = info.grid()?;
    let cell = CellSize::new(grid.cell_size).map_err(|source| EngineError::DemGrid {
        path: dem.to_path_buf(),
        source,
    })?;
    check_options(opts)?;
    let threshold = opts.threshold_cells(grid.cell_size);
    std::fs::create_dir_all(out).map_err(EngineError::fs(out))?;
    let dem_sha = digest::file_sha256(dem)?;
    let params = serde_json::to_string(&(opts, threshold)).expect("options serialise");
    let key = digest::bytes_sha256(
        format!(
            "engine={}\ndem={dem_sha}\nparams={params}\n",
            crate::ENGINE_VERSION
        )
        .as_bytes(),
    );
    let mut report = TerrainReport {
        layers: output_ids()
            .map(|id| (id.to_string(), out.join(format!("{id}.tif"))))
            .collect(),
        cached: true,
        stream_threshold_cells: threshold,
        seconds_focal: 0.0,
        seconds_hydro: 0.0,
    };
    if report.layers.iter().all(|(_, p)| is_cached(p, &key)) {
        return Ok(report);
    }
    report.cached = false;
    let w = Outputs {
        out,
        grid: &grid,
        tags: terrain_tags(dem, dem_sha, key, params),
        cog: CogOptions::default(),
    };
    let t0 = Instant::now();
    w.focal(dem, cell, opts, exec, progress)?;
    report.seconds_focal = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    progress.start(HYDRO_STEP, 7);
    let z = reader.read_f32(grid.full_window())?;
    drop(reader);
    w.hydrology(&z, cell, opts, threshold, progress)?;
    progress.finish(HYDRO_STEP);
    report.seconds_hydro = t1.elapsed().as_secs_f64();
    Ok(report)
}

/// The progress step of the hydrology.
const HYDRO_STEP: &str = "terrain: fill, D8, accumulation, HAND, TWI";

/// Relief radius in 1–64 cells; the TWI floor on tan β finite and > 0.
fn check_options(opts: &TerrainOptions) -> Result<(), EngineError> {
    if opts.relief_radius == 0 || opts.relief_radius > 64 {
        return Err(EngineError::TerrainOption {
            option: "relief_radius",
            value: opts.relief_radius as f64,
            allowed: "1–64 cells",
        });
    }
    if !(opts.twi_min_tan_slope > 0.0 && opts.twi_min_tan_slope.is_finite()) {
        return Err(EngineError::TerrainOption {
            option: "twi_min_tan_slope",
            value: opts.twi_min_tan_slope,
            allowed: "finite values > 0",
        });
    }
    Ok(())
}

/// The tags of every output: the DEM's file name and digest, the cache key, the
/// parameters and their hash.
fn terrain_tags(dem: &Path, dem_sha: String, key: String, params: String) -> Provenance {
    let mut tags = provenance::base();
    // The file name, not the path: outputs must not depend on where they live (the
    // digest identifies the content).
    tags.insert(
        tag::SOURCE.into(),
        dem.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    tags.insert(tag::SOURCE_SHA256.into(), dem_sha);
    tags.insert(tag::CACHE_KEY.into(), key);
    tags.insert(
        tag::PARAM_HASH.into(),
        digest::bytes_sha256(params.as_bytes()),
    );
    tags.insert("RISKCENSUS_TERRAIN_PARAMS".into(), params);
    tags
}

/// Where the stage's layers go: COGs `<out>/<id>.tif` on the DEM's grid, tagged.
struct Outputs<'a> {
    out: &'a Path,
    grid: &'a GridSpec,
    tags: Provenance,
    cog: CogOptions,
}

impl Outputs<'_> {
    /// Write one whole-grid layer with its nodata value.
    fn write<T: riskcensus_io::CellType + Copy>(
        &self,
        id: &str,
        a: ArrayView2<T>,
        nodata: Option<f64>,
    ) -> Result<(), EngineError> {
        write_array(self.out, id, self.grid, a, nodata, &self.tags, &self.cog)?;
        Ok(())
    }

    /// The focal layers, streamed tile by tile with a halo.
    fn focal(
        &self,
        dem: &Path,
        cell: CellSize,
        opts: &TerrainOptions,
        exec: &ExecOptions,
        progress: &dyn Progress,
    ) -> Result<(), EngineError> {
        let writers = FOCAL_LAYERS
            .iter()
            .map(|id| {
                let mut w = CogWriter::<f32>::create(
                    &self.out.join(format!("{id}.tif")),
                    self.grid,
                    Some(f64::NAN),
                    self.cog.clone(),
                )?;
                w.set_tags(&with_layer(&self.tags, id));
                Ok(w)
            })
            .collect::<Result<Vec<_>, EngineError>>()?;
        let focal = Focal {
            cell,
            alg: opts.method,
            radius: opts.relief_radius,
            shade: HillshadeParams::default(),
        };
        run_tiled(
            self.grid,
            &[dem.to_path_buf()],
            &focal,
            writers,
            exec,
            progress,
            "terrain: slope, aspect, curvature, relief",
        )?;
        Ok(())
    }

    /// The hydrology layers of the DEM `z`, global and in memory, each written as
    /// soon as it is computed and dropped when no later layer needs it.
    fn hydrology(
        &self,
        z: &Array2<f32>,
        cell: CellSize,
        opts: &TerrainOptions,
        threshold: u32,
        progress: &dyn Progress,
    ) -> Result<(), EngineError> {
        let filled = fill_depressions(z.view());
        self.write("filled", filled.view(), Some(f64::NAN))?;
        progress.advance(1);
        let dirs = d8(filled.view());
        self.write("d8", dirs.view(), Some(255.0))?;
        progress.advance(1);
        let acc = accumulation(dirs.view()).map_err(kernel_err("accumulation"))?;
        self.write("accumulation", acc.view(), Some(0.0))?;
        progress.advance(1);
        let area = upstream_area(acc.view(), cell);
        self.write("upstream_area", area.view(), Some(f64::NAN))?;
        progress.advance(1);
        let st = streams(acc.view(), threshold).map_err(kernel_err("streams"))?;
        drop(acc);
        let st_codes = Array2::from_shape_fn(st.dim(), |(r, c)| {
            if z[(r, c)].is_nan() {
                255u8
            } else {
                st[(r, c)] as u8
            }
        });
        self.write("streams", st_codes.view(), Some(255.0))?;
        drop(st_codes);
        progress.advance(1);
        let h = hand(filled.view(), dirs.view(), st.view()).map_err(kernel_err("hand"))?;
        drop((st, dirs, filled));
        self.write("hand", h.view(), Some(f64::NAN))?;
        drop(h);
        progress.advance(1);
        // TWI's slope is the DEM's (not the filled surface's, whose ε gradients are
        // artificial), by the same method as slope_deg.
        let beta = slope(
            z.view(),
            cell,
            opts.method,
            SlopeUnits::Degrees,
            Edges::Compute,
        );
        let w = twi(area.view(), beta.view(), cell, opts.twi_min_tan_slope)
            .map_err(kernel_err("twi"))?;
        self.write("twi", w.view(), Some(f64::NAN))?;
        progress.advance(1);
        Ok(())
    }
}

fn kernel_err(what: &'static str) -> impl Fn(riskcensus_kernels::KernelError) -> EngineError {
    move |source| EngineError::Kernel {
        layer: what.into(),
        source,
    }
}

/// Slope, aspect, hillshade, curvature, relief and TRI of one tile.
struct Focal {
    cell: CellSize,
    alg: GradientAlg,
    radius: usize,
    shade: HillshadeParams,
}

impl TileKernel for Focal {
    fn halo(&self) -> usize {
        self.radius.max(1)
    }

    fn outputs(&self) -> usize {
        FOCAL_LAYERS.len()
    }

    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]) {
        let dem = inputs[0];
        let core = tile.core_in_read();
        let cut =
            |a: &Array2<f32>, o: &mut ArrayViewMut2<f32>| o.assign(&a.slice(window_slice(core)));
        let e = Edges::Compute;
        cut(
            &slope(dem, self.cell, self.alg, SlopeUnits::Degrees, e),
            &mut outputs[0],
        );
        cut(
            &slope(dem, self.cell, self.alg, SlopeUnits::Percent, e),
            &mut outputs[1],
        );
        cut(&aspect(dem, self.alg, e), &mut outputs[2]);
        let hs = hillshade(dem, self.cell, self.alg, self.shade, e).mapv(|v| {
            if v == 0 {
                f32::NAN
            } else {
                v as f32
            }
        });
        cut(&hs, &mut outputs[3]);
        let cv = curvature(dem, self.cell, e);
        cut(&cv.plan, &mut outputs[4]);
        cut(&cv.profile, &mut outputs[5]);
        cut(&relief(dem, self.radius), &mut outputs[6]);
        cut(&tri_riley(dem, self.radius), &mut outputs[7]);
    }
}

fn window_slice(
    w: Window,
) -> ndarray::SliceInfo<[ndarray::SliceInfoElem; 2], ndarray::Ix2, ndarray::Ix2> {
    s![w.row_off..w.row_end(), w.col_off..w.col_end()]
}
