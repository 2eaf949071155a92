//! Whole-file writes that never leave a half-written file under the final name.

use std::io::Write;
use std::path::Path;

use crate::cog::temp_sibling;
use crate::error::IoError;

/// Write `bytes` to `path` through a hidden temporary sibling ([`temp_sibling`]),
/// synced, then renamed into place; the temporary file is removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IoError> {
    let tmp = temp_sibling(path, "partial");
    let r = (|| {
        // Errors name the final path: the temporary name means nothing to a user.
        let mut f = std::fs::File::create(&tmp).map_err(IoError::fs(path))?;
        f.write_all(bytes).map_err(IoError::fs(path))?;
        f.sync_all().map_err(IoError::fs(path))?;
        rename_into_place(&tmp, path)
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
}

/// True when a message of GDAL or the OS says the file system is full (SQLite's
/// "database or disk is full" as GDAL passes it on, the C library's "No space left
/// on device", GTiff's free-space check).
pub(crate) fn says_out_of_space(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("no space left")
        || m.contains("disk is full")
        || m.contains("free disk space available")
}

/// Check, before any work, that `dir` (created if missing) can be written: a probe
/// file is created and removed. A read-only file system or missing permission is
/// [`IoError::ReadOnly`] naming `dir` and `what` the command writes there.
pub fn check_writable_dir(dir: &Path, what: &str) -> Result<(), IoError> {
    std::fs::create_dir_all(dir).map_err(read_only(dir, what))?;
    let probe = temp_sibling(&dir.join("write-check"), "probe");
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(read_only(dir, what))?;
    std::fs::remove_file(&probe).map_err(IoError::fs(&probe))
}

/// Check, before any work, that the existing file `path` can be opened for writing
/// (nothing is written); a missing file passes, and so does anything that is not a
/// regular file (opening it for its purpose names what is wrong better).
pub fn check_writable_file(path: &Path, what: &str) -> Result<(), IoError> {
    if !path.is_file() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map(drop)
        .map_err(read_only(path, what))
}

/// [`IoError::ReadOnly`] for a read-only file system or a missing permission at
/// `path`, else [`IoError::Fs`].
fn read_only(path: &Path, what: &str) -> impl FnOnce(std::io::Error) -> IoError {
    let (path, what) = (path.to_path_buf(), what.to_string());
    move |source| match source.kind() {
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => {
            IoError::ReadOnly { path, what, source }
        }
        _ => IoError::fs(path)(source),
    }
}

/// Move a finished temporary file onto its final name — the one step of every
/// atomic write that makes an output visible. Fault points
/// ([`crate::fault::point`]) `rename:<name>` just before and `renamed:<name>` just
/// after, so the kill sweep dies on both sides of every output.
pub fn rename_into_place(tmp: &Path, path: &Path) -> Result<(), IoError> {
    crate::fault::point_at("rename", path);
    std::fs::rename(tmp, path).map_err(IoError::fs(path))?;
    crate::fault::point_at("renamed", path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("t.csv");
        write_atomic(&p, b"a\n").unwrap();
        write_atomic(&p, b"b\n").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"b\n");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
        let e = write_atomic(&d.path().join("no/such/dir/t.csv"), b"x").unwrap_err();
        assert!(e.to_string().contains("no/such/dir"), "{e}");
    }
}
