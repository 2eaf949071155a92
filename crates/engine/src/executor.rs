//! The tiled executor: read → score with rayon → write in tile order.
//!
//! The grid is cut into a [`TilePlan`] whose halo is the kernel's reach. Tiles are
//! taken in batches of `2 × threads`; within a batch each worker reads its tiles'
//! windows (core + halo) through its own dataset handles (GDAL datasets are `Send`,
//! not `Sync`), runs the kernel, and the calling thread then writes the batch's core
//! windows through the one writer per output, in tile order. Memory is bounded by
//! `batch × (inputs + outputs) × (tile + 2·halo)² × 4 bytes`, whatever the raster
//! size, and the output is bit-identical for any thread count and tile size because
//! every cell is computed from the same neighbourhood by the same code.

use std::path::PathBuf;

use ndarray::{ArrayView2, ArrayViewMut2};
use rayon::prelude::*;
use riskcensus_core::{GridSpec, Tile, TilePlan};
use riskcensus_io::{CogWriter, RasterReader};

use crate::error::EngineError;
use crate::progress::Progress;

/// How to run a tiled stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOptions {
    /// Worker threads; `None` runs in the caller's current rayon pool.
    pub threads: Option<usize>,
    /// Tile edge in cells.
    pub tile_size: usize,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self {
            threads: None,
            tile_size: 512,
        }
    }
}

impl ExecOptions {
    /// Run `f` inside a local pool of `threads` threads (never the global pool).
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> Result<R, EngineError> {
        match self.threads {
            None => Ok(f()),
            Some(n) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(n.max(1))
                    .thread_name(|i| format!("riskcensus-{i}"))
                    .build()
                    .map_err(|e| EngineError::Threads {
                        threads: n,
                        msg: e.to_string(),
                    })?;
                Ok(pool.install(f))
            }
        }
    }
}

/// Where one kernel output goes: a float COG, or a u8 COG (level codes, masks) whose
/// cells are the kernel's values converted with NaN → the writer's nodata (0 unless
/// set) and values rounded to the nearest integer in 0–255.
pub enum Sink {
    /// A float32 COG; cells are written as the kernel computed them (NaN = nodata).
    F32(CogWriter<f32>),
    /// A byte COG; NaN → the writer's nodata (0 unless set), other values rounded
    /// and clamped to 0–255.
    U8(CogWriter<u8>),
}

impl From<CogWriter<f32>> for Sink {
    fn from(w: CogWriter<f32>) -> Self {
        Sink::F32(w)
    }
}

impl From<CogWriter<u8>> for Sink {
    fn from(w: CogWriter<u8>) -> Self {
        Sink::U8(w)
    }
}

impl Sink {
    fn write(
        &mut self,
        window: riskcensus_core::Window,
        data: &[f32],
    ) -> Result<(), riskcensus_io::IoError> {
        match self {
            Sink::F32(w) => w.write_window(window, data),
            Sink::U8(w) => {
                let nd = w.nodata().unwrap_or(0.0) as u8;
                let bytes: Vec<u8> = data
                    .iter()
                    .map(|v| {
                        if v.is_nan() {
                            nd
                        } else {
                            v.round().clamp(0.0, 255.0) as u8
                        }
                    })
                    .collect();
                w.write_window(window, &bytes)
            }
        }
    }

    fn finish(self) -> Result<PathBuf, riskcensus_io::IoError> {
        match self {
            Sink::F32(w) => w.finish(),
            Sink::U8(w) => w.finish(),
        }
    }
}

/// A per-tile computation over aligned `f32` layers (nodata = NaN).
pub trait TileKernel: Sync {
    /// Cells of neighbourhood the kernel needs around each output cell.
    fn halo(&self) -> usize {
        0
    }

    /// Number of output layers.
    fn outputs(&self) -> usize {
        1
    }

    /// Compute the tile. `inputs` are shaped like `tile.read` (core + halo, clipped
    /// at the grid edge); `outputs` like `tile.core`. `tile.core_in_read()` says
    /// where the core sits inside the inputs.
    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]);
}

/// What a run did.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecStats {
    /// Tiles in the plan.
    pub tiles: usize,
    /// Cells of the grid (rows × cols).
    pub cells: usize,
    /// Threads of the rayon pool the tiles were scored in.
    pub threads: usize,
    /// Tile edge in cells (without the halo).
    pub tile_size: usize,
    /// Upper bound of tile buffers alive at once, in bytes.
    pub buffer_bytes: usize,
    /// Wall time reading and scoring tiles (the parallel part), in seconds.
    pub seconds_read_score: f64,
    /// Wall time writing tiles into the writers' intermediates, in seconds.
    pub seconds_write: f64,
    /// Wall time building the COGs (compression, overviews), in seconds.
    pub seconds_finish: f64,
}

/// Run `kernel` over `grid`, reading band 1 of each input (which must lie on the
/// grid's lattice) and writing each output through its writer, then finishing the
/// writers (atomic COGs). On error the writers are dropped and leave nothing.
pub fn run_tiled<K: TileKernel>(
    grid: &GridSpec,
    inputs: &[PathBuf],
    kernel: &K,
    writers: Vec<impl Into<Sink>>,
    opts: &ExecOptions,
    progress: &dyn Progress,
    stage: &str,
) -> Result<ExecStats, EngineError> {
    let writers: Vec<Sink> = writers.into_iter().map(Into::into).collect();
    if writers.len() != kernel.outputs() {
        return Err(EngineError::WriterCount {
            stage: stage.into(),
            outputs: kernel.outputs(),
            writers: writers.len(),
        });
    }
    for p in inputs {
        let r = RasterReader::open(p, 1)?;
        let g = r.info().grid()?;
        if (g.x_min, g.y_max, g.cell_size, g.rows, g.cols)
            != (grid.x_min, grid.y_max, grid.cell_size, grid.rows, grid.cols)
        {
            return Err(EngineError::OffGrid {
                path: p.clone(),
                detail: format!(
                    " (origin ({}, {}), cell {} m, {}×{})",
                    g.x_min, g.y_max, g.cell_size, g.rows, g.cols
                ),
            });
        }
    }
    opts.install(|| run_in_pool(grid, inputs, kernel, writers, opts, progress, stage))?
}

fn run_in_pool<K: TileKernel>(
    grid: &GridSpec,
    inputs: &[PathBuf],
    kernel: &K,
    mut writers: Vec<Sink>,
    opts: &ExecOptions,
    progress: &dyn Progress,
    stage: &str,
) -> Result<ExecStats, EngineError> {
    let plan = TilePlan::new(grid.rows, grid.cols, opts.tile_size, kernel.halo());
    let threads = rayon::current_num_threads();
    let batch = (2 * threads).max(1);
    let n_out = kernel.outputs();
    progress.start(stage, plan.len() as u64);
    let (mut t_score, mut t_write) = (0f64, 0f64);
    let mut start = 0;
    while start < plan.len() {
        let t0 = std::time::Instant::now();
        let end = (start + batch).min(plan.len());
        let results: Vec<Result<Vec<Vec<f32>>, EngineError>> = (start..end)
            .into_par_iter()
            .map_init(
                || open_inputs(inputs),
                |readers, i| {
                    let tile = plan.tile(i).expect("index in plan");
                    let readers = readers.as_ref().map_err(|e| EngineError::TileInputs {
                        stage: stage.into(),
                        source: e.clone(),
                    })?;
                    let arrays = readers
                        .iter()
                        .map(|r| r.read_f32(tile.read))
                        .collect::<Result<Vec<_>, _>>()?;
                    let views: Vec<ArrayView2<f32>> = arrays.iter().map(|a| a.view()).collect();
                    let mut outs: Vec<Vec<f32>> = (0..n_out)
                        .map(|_| vec![f32::NAN; tile.core.len()])
                        .collect();
                    {
                        let mut out_views: Vec<ArrayViewMut2<f32>> = outs
                            .iter_mut()
                            .map(|o| {
                                ArrayViewMut2::from_shape(
                                    (tile.core.rows, tile.core.cols),
                                    o.as_mut_slice(),
                                )
                                .expect("core shape")
                            })
                            .collect();
                        kernel.run(&tile, &views, &mut out_views);
                    }
                    progress.advance(1);
                    Ok(outs)
                },
            )
            .collect();
        let t1 = std::time::Instant::now();
        t_score += (t1 - t0).as_secs_f64();
        for (i, res) in (start..end).zip(results) {
            let tile = plan.tile(i).expect("index in plan");
            for (w, data) in writers.iter_mut().zip(res?) {
                w.write(tile.core, &data)?;
            }
        }
        t_write += t1.elapsed().as_secs_f64();
        start = end;
    }
    let t2 = std::time::Instant::now();
    // The COG encodings (compression and overviews: most of a stage's time) of the
    // outputs run side by side. Each file is still encoded by one thread, so its
    // bytes do not depend on the scheduling; every file is atomic on its own.
    writers
        .into_par_iter()
        .map(Sink::finish)
        .collect::<Result<Vec<_>, _>>()?;
    let t_finish = t2.elapsed().as_secs_f64();
    progress.finish(stage);
    let read_side = (opts.tile_size + 2 * kernel.halo()).pow(2);
    Ok(ExecStats {
        tiles: plan.len(),
        cells: grid.cell_count(),
        threads,
        tile_size: opts.tile_size,
        buffer_bytes: batch * (inputs.len() * read_side + n_out * opts.tile_size.pow(2)) * 4,
        seconds_read_score: t_score,
        seconds_write: t_write,
        seconds_finish: t_finish,
    })
}

fn open_inputs(
    inputs: &[PathBuf],
) -> Result<Vec<RasterReader>, std::sync::Arc<riskcensus_io::IoError>> {
    inputs
        .iter()
        .map(|p| RasterReader::open(p, 1).map_err(std::sync::Arc::new))
        .collect()
}

/// A kernel from a per-cell function of the inputs' values at that cell (no halo).
pub struct PerCell<F>(pub F);

impl<F> TileKernel for PerCell<F>
where
    F: Fn(&[f32]) -> f32 + Sync,
{
    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]) {
        let core = tile.core_in_read();
        let (c0, c1) = (core.col_off, core.col_off + core.cols);
        let mut vals = vec![0f32; inputs.len()];
        let mut rows: Vec<&[f32]> = Vec::with_capacity(inputs.len());
        for (r, mut out_row) in outputs[0].rows_mut().into_iter().enumerate() {
            rows.clear();
            rows.extend(inputs.iter().map(|a| {
                let row = a.row(r + core.row_off);
                &row.to_slice().expect("inputs are standard layout")[c0..c1]
            }));
            let out = out_row.as_slice_mut().expect("outputs are standard layout");
            for (c, o) in out.iter_mut().enumerate() {
                for (v, row) in vals.iter_mut().zip(&rows) {
                    *v = row[c];
                }
                *o = (self.0)(&vals);
            }
        }
    }
}
