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
        let mut f = std::fs::File::create(&tmp).map_err(IoError::fs(&tmp))?;
        f.write_all(bytes).map_err(IoError::fs(&tmp))?;
        f.sync_all().map_err(IoError::fs(&tmp))?;
        std::fs::rename(&tmp, path).map_err(IoError::fs(path))
    })();
    if r.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    r
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
