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

/// True when a failed write to `path` (GDAL's message `msg`) is a full file system:
/// the message says so (GDAL passes on SQLite's "database or disk is full", the
/// C library's "No space left on device", GTiff's free-space check), or the file
/// system holding `path` has less than 256 KiB left for unprivileged writers
/// (statvfs(3)). GDAL's errors do not carry the OS error number, hence the check.
pub fn out_of_space(path: &Path, msg: &str) -> bool {
    says_out_of_space(msg) || free_bytes(path).is_some_and(|b| b < 256 * 1024)
}

/// True when a message of GDAL or the OS says the file system is full.
pub fn says_out_of_space(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("no space left")
        || m.contains("disk is full")
        || m.contains("free disk space available")
}

/// Bytes free for unprivileged writers on the file system holding `path` (or its
/// nearest existing ancestor); `None` when it cannot be asked.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let mut p = path;
    while !p.exists() {
        p = p.parent()?;
    }
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).ok()?;
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: `c` is a valid NUL-terminated path and `st` points to writable memory
    // of the struct's size; statvfs(3) fills it when it returns 0.
    let rc = unsafe { libc::statvfs(c.as_ptr(), st.as_mut_ptr()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: statvfs returned 0, so the struct is initialised.
    let st = unsafe { st.assume_init() };
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Check, before any work, that `dir` (created if missing) can be written: a probe
/// file is created and removed. A read-only file system or missing permission is
/// [`IoError::ReadOnly`] naming `dir` and `what` the command writes there.
pub fn check_writable_dir(dir: &Path, what: &str) -> Result<(), IoError> {
    let ro = |path: &Path| {
        let (path, what) = (path.to_path_buf(), what.to_string());
        move |source: std::io::Error| {
            if is_read_only(&source) {
                IoError::ReadOnly { path, what, source }
            } else {
                IoError::fs(path)(source)
            }
        }
    };
    std::fs::create_dir_all(dir).map_err(ro(dir))?;
    let probe = temp_sibling(&dir.join("write-check"), "probe");
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
        .map_err(ro(dir))?;
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
        .map_err(|source| {
            if is_read_only(&source) {
                IoError::ReadOnly {
                    path: path.to_path_buf(),
                    what: what.to_string(),
                    source,
                }
            } else {
                IoError::fs(path)(source)
            }
        })
}

fn is_read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

/// Move a finished temporary file onto its final name — the one step of every
/// atomic write that makes an output visible. Fault points
/// ([`crate::fault::point`]) `rename:<name>` just before and `renamed:<name>` just
/// after, so the kill sweep dies on both sides of every output.
pub fn rename_into_place(tmp: &Path, path: &Path) -> Result<(), IoError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::fault::point(&format!("rename:{name}"));
    std::fs::rename(tmp, path).map_err(IoError::fs(path))?;
    crate::fault::point(&format!("renamed:{name}"));
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
