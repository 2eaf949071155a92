//! Progress reporting: the library calls this trait; the CLI renders it (indicatif
//! bars), a service may forward it, tests ignore it. Implementations must be cheap
//! and thread-safe: `advance` is called from worker threads.

/// Receives progress of stages.
pub trait Progress: Sync {
    /// A stage starts with `total` units of work (tiles, layers).
    fn start(&self, stage: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The stage is over.
    fn finish(&self, stage: &str);
    /// The run's plan, once made, before anything is computed (what each hazard
    /// produces and lacks); ignored by default.
    fn plan(&self, _plan: &crate::plan::Plan) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _stage: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
    fn finish(&self, _stage: &str) {}
}
