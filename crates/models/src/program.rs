//! The fused scoring kernel: a validated [`Model`] compiled into a flat program of
//! vectorised operations over contiguous tile slices.
//!
//! A tile is processed in chunks of `chunk` cells (default [`DEFAULT_CHUNK`]). For
//! each chunk, each factor step reads its input slice once and, in one monomorphic
//! loop, applies the transform, replaces NaN inputs by the factor's nodata score and
//! folds the score into the accumulator (the output slice itself, or a stack buffer
//! when only levels are wanted); then the chunk is classified. Dispatch happens once
//! per step per chunk (a `match` selecting a generic loop instantiated for every
//! transform × combine pair), never per cell, and nothing is allocated while scoring.
//!
//! Order of operations: per cell, factor by factor in [`Model::factors`] order, with
//! the combine rules of [`crate::Aggregation`] — the same order as the scalar
//! [`crate::reference`](mod@crate::reference) evaluator, so both give identical bits, for any chunk size
//! (chunking only splits the cell range, never a cell's computation).

use ndarray::{s, ArrayView1, ArrayView2, ArrayViewMut2};
use riskcensus_core::Tile;

use crate::classify::classify_into;
use crate::error::ScoreError;
use crate::model::{Aggregation, Model};
use crate::transform::*;

/// Largest chunk (cells): the stack buffers are this long (16 KiB + 4 KiB).
pub const MAX_CHUNK: usize = 4096;
/// Default chunk: 8 inputs × 1024 × 4 B = 32 KiB of inputs stay in L1/L2.
pub const DEFAULT_CHUNK: usize = 1024;

/// Scores tiles given as equal-length contiguous slices, one per model input (in
/// [`Model::inputs`] order); nodata is NaN.
pub trait TileScorer: Sync {
    /// Number of input slices expected.
    fn input_count(&self) -> usize;

    /// Score every cell: `out[i]` = aggregated score of cell i (NaN = nodata).
    fn score_tile(&self, inputs: &[&[f32]], out: &mut [f32]) -> Result<(), ScoreError>;

    /// Score and classify: `levels[i]` = level code (0 = nodata, 1 = highest class);
    /// `score`, when given, receives the scores too.
    fn score_classify_tile(
        &self,
        inputs: &[&[f32]],
        score: Option<&mut [f32]>,
        levels: &mut [u8],
    ) -> Result<(), ScoreError>;
}

enum Op {
    Identity,
    Ramp(RampXf),
    FuzzyLarge(FuzzyLargeXf),
    FuzzySmall(FuzzySmallXf),
    Gaussian(GaussianXf),
    Sigmoid(SigmoidXf),
    Piecewise {
        x: Vec<f32>,
        y: Vec<f32>,
    },
    Lookup {
        table: Vec<f32>,
        unknown: f32,
        error: bool,
    },
    Log(LogXf),
}

/// How a factor's score folds into the accumulator.
#[derive(Clone, Copy, Debug)]
enum Comb {
    /// acc = s
    Set,
    /// acc = w·s
    SetScaled(f32),
    /// acc = s^w
    SetPow(f32),
    /// acc = acc + w·s
    AddScaled(f32),
    /// acc = acc · s^w
    MulPow(f32),
    /// acc = nan_max(acc, s)
    Max,
    /// acc = acc · s
    Mul,
    /// acc = acc · (1 − α·s)
    MulOneMinus(f32),
}

struct Step {
    factor: String,
    input: usize,
    op: Op,
    fill: f32,
    comb: Comb,
}

/// A compiled model, ready to score tiles (`Send + Sync`; share it across threads).
pub struct Program {
    model_id: String,
    input_ids: Vec<String>,
    steps: Vec<Step>,
    breaks: Option<Vec<f32>>,
    chunk: usize,
    /// Run the AVX2 build of the chunk loop (set only when the CPU has AVX2).
    avx2: bool,
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// max that propagates NaN from either side (f32::max would drop it).
#[inline(always)]
pub(crate) fn nan_max(acc: f32, s: f32) -> f32 {
    if acc >= s || acc.is_nan() {
        acc
    } else {
        s
    }
}

trait Combine: Copy {
    fn comb(self, acc: f32, s: f32) -> f32;
}
#[derive(Clone, Copy)]
struct CSet;
impl Combine for CSet {
    #[inline(always)]
    fn comb(self, _acc: f32, s: f32) -> f32 {
        s
    }
}
#[derive(Clone, Copy)]
struct CSetScaled(f32);
impl Combine for CSetScaled {
    #[inline(always)]
    fn comb(self, _acc: f32, s: f32) -> f32 {
        self.0 * s
    }
}
#[derive(Clone, Copy)]
struct CSetPow(f32);
impl Combine for CSetPow {
    #[inline(always)]
    fn comb(self, _acc: f32, s: f32) -> f32 {
        s.powf(self.0)
    }
}
#[derive(Clone, Copy)]
struct CAddScaled(f32);
impl Combine for CAddScaled {
    #[inline(always)]
    fn comb(self, acc: f32, s: f32) -> f32 {
        acc + self.0 * s
    }
}
#[derive(Clone, Copy)]
struct CMulPow(f32);
impl Combine for CMulPow {
    #[inline(always)]
    fn comb(self, acc: f32, s: f32) -> f32 {
        acc * s.powf(self.0)
    }
}
#[derive(Clone, Copy)]
struct CMax;
impl Combine for CMax {
    #[inline(always)]
    fn comb(self, acc: f32, s: f32) -> f32 {
        nan_max(acc, s)
    }
}
#[derive(Clone, Copy)]
struct CMul;
impl Combine for CMul {
    #[inline(always)]
    fn comb(self, acc: f32, s: f32) -> f32 {
        acc * s
    }
}
#[derive(Clone, Copy)]
struct CMulOneMinus(f32);
impl Combine for CMulOneMinus {
    #[inline(always)]
    fn comb(self, acc: f32, s: f32) -> f32 {
        acc * (1.0 - self.0 * s)
    }
}

/// Hint the cache to fetch `x` (one prefetch per 64-byte line). No effect on results.
#[inline(always)]
fn prefetch(x: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        for line in x.chunks(16) {
            // SAFETY: prefetch is a hint; it never faults, and the pointer is in
            // bounds of `x` anyway.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(line.as_ptr() as *const i8) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// The fused inner loop: transform, nodata fill and combine, one pass over a chunk.
#[inline(always)]
fn pass<T: Xf, C: Combine>(t: T, c: C, fill: f32, x: &[f32], acc: &mut [f32]) {
    let acc = &mut acc[..x.len()];
    for (a, &xi) in acc.iter_mut().zip(x) {
        let s = t.eval(xi);
        let s = if xi.is_nan() { fill } else { s };
        *a = c.comb(*a, s);
    }
}

#[inline(always)]
fn with_comb<T: Xf>(t: T, c: Comb, fill: f32, x: &[f32], acc: &mut [f32]) {
    match c {
        Comb::Set => pass(t, CSet, fill, x, acc),
        Comb::SetScaled(w) => pass(t, CSetScaled(w), fill, x, acc),
        Comb::SetPow(w) => pass(t, CSetPow(w), fill, x, acc),
        Comb::AddScaled(w) => pass(t, CAddScaled(w), fill, x, acc),
        Comb::MulPow(w) => pass(t, CMulPow(w), fill, x, acc),
        Comb::Max => pass(t, CMax, fill, x, acc),
        Comb::Mul => pass(t, CMul, fill, x, acc),
        Comb::MulOneMinus(a) => pass(t, CMulOneMinus(a), fill, x, acc),
    }
}

impl Step {
    #[inline(always)]
    fn run(&self, x: &[f32], acc: &mut [f32]) {
        let (c, f) = (self.comb, self.fill);
        match &self.op {
            Op::Identity => with_comb(IdentityXf, c, f, x, acc),
            Op::Ramp(t) => with_comb(*t, c, f, x, acc),
            Op::FuzzyLarge(t) => with_comb(*t, c, f, x, acc),
            Op::FuzzySmall(t) => with_comb(*t, c, f, x, acc),
            Op::Gaussian(t) => with_comb(*t, c, f, x, acc),
            Op::Sigmoid(t) => with_comb(*t, c, f, x, acc),
            Op::Piecewise { x: xs, y: ys } => with_comb(PiecewiseXf { x: xs, y: ys }, c, f, x, acc),
            Op::Lookup { table, unknown, .. } => with_comb(
                LookupXf {
                    table,
                    unknown: *unknown,
                },
                c,
                f,
                x,
                acc,
            ),
            Op::Log(t) => with_comb(*t, c, f, x, acc),
        }
    }

    /// For lookups with `unknown = "error"`: the first non-NaN value that is not a
    /// known class code.
    fn first_unknown(&self, x: &[f32]) -> Option<(usize, f32)> {
        if let Op::Lookup {
            table, error: true, ..
        } = &self.op
        {
            x.iter().enumerate().find_map(|(i, &v)| {
                let c = v as u32;
                let known = !v.is_nan()
                    && c as f32 == v
                    && (c as usize) < table.len()
                    && !table[c as usize].is_nan();
                (!v.is_nan() && !known).then_some((i, v))
            })
        } else {
            None
        }
    }
}

impl Model {
    /// Compile into a fused [`Program`] with the default chunk size.
    pub fn compile(&self) -> Program {
        let mut steps = Vec::new();
        let weights = self.aggregation().weights();
        for (i, f) in self.factors().iter().enumerate() {
            let op = match &f.transform {
                Transform::Identity => Op::Identity,
                Transform::Ramp { x0, x1 } => Op::Ramp(RampXf {
                    x0: *x0 as f32,
                    r: (1.0 / (*x1 - *x0)) as f32,
                }),
                Transform::FuzzyLarge { midpoint, spread } => Op::FuzzyLarge(FuzzyLargeXf {
                    m: *midpoint as f32,
                    neg_k: -(*spread as f32),
                }),
                Transform::FuzzySmall { midpoint, spread } => Op::FuzzySmall(FuzzySmallXf {
                    m: *midpoint as f32,
                    k: *spread as f32,
                }),
                Transform::FuzzyGaussian { midpoint, spread } => Op::Gaussian(GaussianXf {
                    m: *midpoint as f32,
                    neg_k: -(*spread as f32),
                }),
                Transform::Sigmoid { midpoint, slope } => Op::Sigmoid(SigmoidXf {
                    m: *midpoint as f32,
                    neg_a: -(*slope as f32),
                }),
                Transform::Piecewise { points } => Op::Piecewise {
                    x: points.iter().map(|p| p.0 as f32).collect(),
                    y: points.iter().map(|p| p.1 as f32).collect(),
                },
                Transform::Lookup { classes, unknown } => {
                    let unknown_score = match unknown {
                        Unknown::Default(v) => *v as f32,
                        Unknown::Nodata | Unknown::Error => f32::NAN,
                    };
                    let len = classes
                        .iter()
                        .map(|c| c.code as usize + 1)
                        .max()
                        .unwrap_or(0);
                    let mut table = vec![unknown_score; len];
                    for c in classes {
                        table[c.code as usize] = c.score as f32;
                    }
                    Op::Lookup {
                        table,
                        unknown: unknown_score,
                        error: *unknown == Unknown::Error,
                    }
                }
                Transform::Log { max } => Op::Log(LogXf {
                    denom: (*max as f32).ln_1p(),
                }),
            };
            let w = weights.map(|w| w[i] as f32).unwrap_or(1.0);
            let comb = match (self.aggregation(), i) {
                (Aggregation::WeightedSum { .. }, 0) => Comb::SetScaled(w),
                (Aggregation::WeightedSum { .. }, _) => Comb::AddScaled(w),
                (Aggregation::WeightedProduct { .. }, 0) => Comb::SetPow(w),
                (Aggregation::WeightedProduct { .. }, _) => Comb::MulPow(w),
                (Aggregation::Max, 0) => Comb::Set,
                (Aggregation::Max, _) => Comb::Max,
                (Aggregation::Risk { .. }, 0) => Comb::Set,
                (Aggregation::Risk { alpha, .. }, 3) => Comb::MulOneMinus(*alpha as f32),
                (Aggregation::Risk { .. }, _) => Comb::Mul,
            };
            steps.push(Step {
                factor: f.id.clone(),
                input: f.input_index,
                op,
                fill: f.nodata.fill(),
                comb,
            });
        }
        Program {
            model_id: self.id().to_string(),
            input_ids: self.inputs().iter().map(|i| i.id.clone()).collect(),
            steps,
            breaks: self
                .classification()
                .filter(|c| c.has_breaks())
                .map(|c| c.breaks_f32()),
            chunk: DEFAULT_CHUNK,
            avx2: has_avx2(),
        }
    }
}

/// One chunk: every step (prefetching the next chunk of its input), then the levels.
#[inline(always)]
fn chunk_body(
    p: &Program,
    inputs: &[&[f32]],
    start: usize,
    end: usize,
    next: usize,
    acc: &mut [f32],
    levels: Option<&mut [u8]>,
) {
    for step in &p.steps {
        let x = inputs[step.input];
        // Chunks of 1024 f32 are one 4 KiB page per input, and hardware prefetchers
        // stop at page boundaries: ask for the next chunk of this input now.
        prefetch(&x[end..next]);
        step.run(&x[start..end], acc);
    }
    if let (Some(l), Some(b)) = (levels, &p.breaks) {
        classify_into(b, acc, l);
    }
}

#[inline(never)]
fn chunk_generic(
    p: &Program,
    inputs: &[&[f32]],
    start: usize,
    end: usize,
    next: usize,
    acc: &mut [f32],
    levels: Option<&mut [u8]>,
) {
    chunk_body(p, inputs, start, end, next, acc, levels)
}

/// The same code compiled for AVX2 (8 f32 lanes). Only IEEE add/sub/mul/div,
/// compares and selects are vectorised — no FMA contraction (Rust never fuses
/// `a * b + c`) — and libm calls are the same functions, so the bits equal the
/// generic path's.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline(never)]
unsafe fn chunk_avx2(
    p: &Program,
    inputs: &[&[f32]],
    start: usize,
    end: usize,
    next: usize,
    acc: &mut [f32],
    levels: Option<&mut [u8]>,
) {
    chunk_body(p, inputs, start, end, next, acc, levels)
}

impl Program {
    /// Use (or not) the AVX2 build of the kernel when the CPU has it. Results are
    /// identical either way; this exists so tests can prove it.
    pub fn with_avx2(mut self, on: bool) -> Program {
        self.avx2 = on && has_avx2();
        self
    }

    /// The same program with another chunk size (1..=[`MAX_CHUNK`]); results do not
    /// depend on it.
    pub fn with_chunk(mut self, chunk: usize) -> Result<Program, ScoreError> {
        if chunk == 0 || chunk > MAX_CHUNK {
            return Err(ScoreError::Chunk {
                model: self.model_id.clone(),
                chunk,
                max: MAX_CHUNK,
            });
        }
        self.chunk = chunk;
        Ok(self)
    }

    /// Cells per chunk (1..=[`MAX_CHUNK`]).
    pub fn chunk(&self) -> usize {
        self.chunk
    }

    /// Id of the model the program was compiled from.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// Input layer ids, in the order the slices must be given.
    pub fn input_ids(&self) -> &[String] {
        &self.input_ids
    }

    /// Whether the model has a classification (levels can be produced).
    pub fn classifies(&self) -> bool {
        self.breaks.is_some()
    }

    fn check_shapes(&self, inputs: &[&[f32]], n: usize) -> Result<(), ScoreError> {
        if inputs.len() != self.input_ids.len() {
            return Err(ScoreError::InputCount {
                model: self.model_id.clone(),
                expected: self.input_ids.len(),
                got: inputs.len(),
            });
        }
        for (x, id) in inputs.iter().zip(&self.input_ids) {
            if x.len() != n {
                return Err(ScoreError::InputLength {
                    model: self.model_id.clone(),
                    input: id.clone(),
                    expected: n,
                    got: x.len(),
                });
            }
        }
        Ok(())
    }

    /// Score and/or classify `n` cells. `score` (if given) is used as the
    /// accumulator; otherwise a stack buffer is.
    fn run(
        &self,
        inputs: &[&[f32]],
        mut score: Option<&mut [f32]>,
        mut levels: Option<&mut [u8]>,
    ) -> Result<(), ScoreError> {
        let n = match (&score, &levels) {
            (Some(s), Some(l)) if s.len() != l.len() => {
                return Err(ScoreError::InputLength {
                    model: self.model_id.clone(),
                    input: "<levels>".into(),
                    expected: s.len(),
                    got: l.len(),
                })
            }
            (Some(s), _) => s.len(),
            (None, Some(l)) => l.len(),
            (None, None) => return Ok(()),
        };
        self.check_shapes(inputs, n)?;
        if levels.is_some() && self.breaks.is_none() {
            return Err(ScoreError::NoClassification {
                model: self.model_id.clone(),
            });
        }
        let mut stack = [0f32; MAX_CHUNK];
        let mut start = 0;
        while start < n {
            let end = (start + self.chunk).min(n);
            for step in &self.steps {
                let x = &inputs[step.input][start..end];
                if let Some((i, v)) = step.first_unknown(x) {
                    return Err(ScoreError::UnknownClass {
                        model: self.model_id.clone(),
                        factor: step.factor.clone(),
                        value: v,
                        cell: start + i,
                    });
                }
            }
            let acc: &mut [f32] = match score.as_deref_mut() {
                Some(s) => &mut s[start..end],
                None => &mut stack[..end - start],
            };
            let next = (end + self.chunk).min(n);
            let lv = levels.as_deref_mut().map(|l| &mut l[start..end]);
            #[cfg(target_arch = "x86_64")]
            if self.avx2 {
                // SAFETY: `avx2` is only set when the CPU reports AVX2 (compile()).
                unsafe { chunk_avx2(self, inputs, start, end, next, acc, lv) };
                start = end;
                continue;
            }
            chunk_generic(self, inputs, start, end, next, acc, lv);
            start = end;
        }
        Ok(())
    }

    /// Score the core of `tile` from inputs shaped like `tile.read` (as the engine's
    /// executor hands them) into `score` shaped like `tile.core`, row by row; rows
    /// that are not contiguous in memory are copied first.
    pub fn score_views(
        &self,
        tile: &Tile,
        inputs: &[ArrayView2<f32>],
        score: &mut ArrayViewMut2<f32>,
        mut levels: Option<&mut ArrayViewMut2<u8>>,
    ) -> Result<(), ScoreError> {
        let w = tile.core_in_read();
        let (rows, cols) = (tile.core.rows, tile.core.cols);
        if score.dim() != (rows, cols) || levels.as_ref().is_some_and(|l| l.dim() != (rows, cols)) {
            return Err(ScoreError::InputLength {
                model: self.model_id.clone(),
                input: "<output>".into(),
                expected: rows * cols,
                got: score.len(),
            });
        }
        for (x, id) in inputs.iter().zip(&self.input_ids) {
            if x.dim() != (tile.read.rows, tile.read.cols) {
                return Err(ScoreError::InputLength {
                    model: self.model_id.clone(),
                    input: id.clone(),
                    expected: tile.read.rows * tile.read.cols,
                    got: x.len(),
                });
            }
        }
        let mut copies: Vec<Vec<f32>> = vec![Vec::new(); inputs.len()];
        let mut out_row = vec![0f32; cols];
        let mut lev_row = vec![0u8; cols];
        for r in 0..rows {
            let views: Vec<ArrayView1<f32>> = inputs
                .iter()
                .map(|x| {
                    x.row(w.row_off + r)
                        .slice_move(s![w.col_off..w.col_off + cols])
                })
                .collect();
            for (k, v) in views.iter().enumerate() {
                if v.as_slice().is_none() {
                    copies[k].clear();
                    copies[k].extend(v.iter().copied());
                }
            }
            let rows_in: Vec<&[f32]> = views
                .iter()
                .zip(&copies)
                .map(|(v, c)| v.as_slice().unwrap_or(c.as_slice()))
                .collect();
            let lv = levels.is_some().then_some(&mut lev_row[..]);
            self.run(&rows_in, Some(&mut out_row), lv)?;
            score
                .row_mut(r)
                .iter_mut()
                .zip(&out_row)
                .for_each(|(o, v)| *o = *v);
            if let Some(l) = levels.as_deref_mut() {
                l.row_mut(r)
                    .iter_mut()
                    .zip(&lev_row)
                    .for_each(|(o, v)| *o = *v);
            }
        }
        Ok(())
    }
}

impl TileScorer for Program {
    fn input_count(&self) -> usize {
        self.input_ids.len()
    }

    fn score_tile(&self, inputs: &[&[f32]], out: &mut [f32]) -> Result<(), ScoreError> {
        self.run(inputs, Some(out), None)
    }

    fn score_classify_tile(
        &self,
        inputs: &[&[f32]],
        score: Option<&mut [f32]>,
        levels: &mut [u8],
    ) -> Result<(), ScoreError> {
        self.run(inputs, score, Some(levels))
    }
}
