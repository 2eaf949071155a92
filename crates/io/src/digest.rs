//! Content digests (SHA-256) of files, for the layer cache and provenance.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::IoError;

/// Hex SHA-256 of a file's bytes.
pub fn file_sha256(path: &Path) -> Result<String, IoError> {
    let mut f = std::fs::File::open(path).map_err(IoError::fs(path))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(IoError::fs(path))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Hex SHA-256 of a byte string.
pub fn bytes_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            bytes_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(file_sha256(&p).unwrap(), bytes_sha256(b"abc"));
        assert!(file_sha256(&d.path().join("missing"))
            .unwrap_err()
            .to_string()
            .contains("missing"));
    }
}
