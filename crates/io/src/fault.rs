//! Fault points: the places where a killed process could leave state behind — just
//! before and just after an output file is renamed into place, inside a database
//! transaction before its commit and just after it, and at the start and end of
//! every stage of a run. A test makes the process die at one of them, as `kill -9`
//! would, and checks that the next run recovers (the kill sweep of `tests/resume.rs`
//! and `tests/ingest.rs`).
//!
//! Off unless the environment variable [`SWEEP_ENV`] names a file (the sweep's
//! journal). Then every point the process reaches gets a key, `<name>#<n>` (`n`
//! counts how often this process reached `name`); the first key not yet listed in
//! the journal is appended to it (and synced) and the process sends itself
//! `SIGKILL`. Run the same command again and again with the same journal and each
//! run dies one point further, until a run completes: a kill at every point the
//! command passes, each followed by a resumed run. [`TRACE_ENV`] instead appends
//! every key reached, to list the points without killing.
//!
//! This project's own test hook (the `fail` crate's points cannot list the points a
//! run passes, which the sweep needs). Reading the variables costs one lookup per
//! process; without them a point is one check of an initialised `OnceLock`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The environment variable naming the sweep's journal file.
pub const SWEEP_ENV: &str = "RISKCENSUS_FAULT_SWEEP";
/// The environment variable naming a file to which every point reached is appended.
pub const TRACE_ENV: &str = "RISKCENSUS_FAULT_TRACE";
/// The environment variable restricting the points to those whose name starts with
/// one of its comma-separated prefixes (e.g. `stage-,commit:census.gpkg`); all
/// points when unset.
pub const KINDS_ENV: &str = "RISKCENSUS_FAULT_KINDS";

enum Mode {
    Sweep {
        journal: PathBuf,
        done: BTreeSet<String>,
    },
    Trace(PathBuf),
}

struct State {
    mode: Mode,
    kinds: Option<Vec<String>>,
    seen: BTreeMap<String, u64>,
}

/// The points' state; `None` (no lock, nothing allocated) unless [`SWEEP_ENV`] or
/// [`TRACE_ENV`] is set.
fn state() -> Option<&'static Mutex<State>> {
    static STATE: OnceLock<Option<Mutex<State>>> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let mode = if let Some(p) = std::env::var_os(SWEEP_ENV) {
                let journal = PathBuf::from(p);
                let done = std::fs::read_to_string(&journal)
                    .unwrap_or_default()
                    .lines()
                    .map(str::to_string)
                    .collect();
                Mode::Sweep { journal, done }
            } else {
                Mode::Trace(PathBuf::from(std::env::var_os(TRACE_ENV)?))
            };
            let kinds = std::env::var(KINDS_ENV)
                .ok()
                .map(|k| k.split(',').map(str::to_string).collect());
            Some(Mutex::new(State {
                mode,
                kinds,
                seen: BTreeMap::new(),
            }))
        })
        .as_ref()
}

fn append(path: &PathBuf, key: &str) {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path);
    if let Ok(mut f) = f {
        let _ = writeln!(f, "{key}");
        let _ = f.sync_all();
    }
}

thread_local! {
    static CONTEXT: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// While the guard lives, the points this thread reaches carry `label` in their
/// names (`commit:census.gpkg[buildings:buildings.csv]`), so a point keeps its key
/// when a resumed run skips work an earlier run finished (the n-th commit of a
/// resumed run is another source's).
pub fn context(label: &str) -> ContextGuard {
    let on = state().is_some();
    if on {
        CONTEXT.with(|c| c.borrow_mut().push(label.to_string()));
    }
    ContextGuard(on)
}

/// Ends a [`context`] when dropped.
#[must_use = "the context ends when the guard is dropped"]
pub struct ContextGuard(bool);

impl Drop for ContextGuard {
    fn drop(&mut self) {
        if self.0 {
            CONTEXT.with(|c| {
                c.borrow_mut().pop();
            });
        }
    }
}

/// The fault point `<kind>:<subject>` (e.g. `rename:flood_depth_100y.tif`,
/// `commit:census.gpkg`, `stage-start:flood`). See the module documentation.
pub fn point(kind: &str, subject: &str) {
    let Some(state) = state() else {
        return;
    };
    let ctx = CONTEXT.with(|c| c.borrow().join("/"));
    let name = if ctx.is_empty() {
        format!("{kind}:{subject}")
    } else {
        format!("{kind}:{subject}[{ctx}]")
    };
    let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(kinds) = &st.kinds {
        if !kinds.iter().any(|k| name.starts_with(k.as_str())) {
            return;
        }
    }
    let n = st.seen.entry(name.clone()).or_insert(0);
    *n += 1;
    let key = format!("{name}#{n}");
    match &st.mode {
        Mode::Trace(path) => append(path, &key),
        Mode::Sweep { journal, done } => {
            if !done.contains(&key) {
                append(journal, &key);
                // SAFETY: raise(3) with a valid signal number has no preconditions;
                // SIGKILL cannot be caught, so the process ends here, as a kill -9
                // from outside would end it.
                unsafe {
                    libc::raise(libc::SIGKILL);
                }
            }
        }
    }
}

/// [`point`] whose subject is the file name of `path`.
pub fn point_at(kind: &str, path: &std::path::Path) {
    if state().is_some() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        point(kind, &name);
    }
}
