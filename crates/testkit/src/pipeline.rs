//! The pipeline tester: run the same stage through every execution path (thread
//! counts × tile sizes) and demand byte-identical outputs.

use std::path::{Path, PathBuf};

/// One execution path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecPath {
    /// Worker threads of the run.
    pub threads: usize,
    /// Tile edge length, in cells.
    pub tile_size: usize,
}

/// Runs a stage through several paths and compares the files it writes.
pub struct PipelineTester {
    /// The paths run, in order; the first one's outputs are the reference.
    pub paths: Vec<ExecPath>,
}

/// The files under an output folder: `(path relative to the folder, bytes)`,
/// sorted by path.
type Tree = Vec<(String, Vec<u8>)>;

impl Default for PipelineTester {
    /// 1, 2 and 4 threads crossed with small, odd and large tiles.
    fn default() -> Self {
        let mut paths = Vec::new();
        for threads in [1, 2, 4] {
            for tile_size in [37, 128, 1024] {
                paths.push(ExecPath { threads, tile_size });
            }
        }
        Self { paths }
    }
}

impl PipelineTester {
    /// `run(path, out_dir)` must write the stage's outputs into `out_dir`. Every
    /// file it writes must be byte-identical across all paths; returns the file
    /// names compared (sorted) so the caller can assert what was covered.
    pub fn assert_identical<F>(&self, mut run: F) -> Vec<String>
    where
        F: FnMut(ExecPath, &Path),
    {
        let root = tempfile::tempdir().expect("temp dir");
        let mut reference: Option<(ExecPath, Tree)> = None;
        for (i, p) in self.paths.iter().enumerate() {
            let dir = root.path().join(format!("path{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            run(*p, &dir);
            let files = read_tree(&dir);
            assert!(!files.is_empty(), "stage wrote nothing for {p:?}");
            match &reference {
                None => reference = Some((*p, files)),
                Some((rp, rf)) => {
                    let names: Vec<_> = files.iter().map(|f| &f.0).collect();
                    let rnames: Vec<_> = rf.iter().map(|f| &f.0).collect();
                    assert_eq!(names, rnames, "{p:?} wrote other files than {rp:?}");
                    for ((name, bytes), (_, rbytes)) in files.iter().zip(rf) {
                        assert!(
                            bytes == rbytes,
                            "{name}: bytes differ between {p:?} and {rp:?}"
                        );
                    }
                }
            }
        }
        reference
            .map(|(_, f)| f.into_iter().map(|(n, _)| n).collect())
            .unwrap_or_default()
    }
}

fn read_tree(dir: &Path) -> Tree {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
