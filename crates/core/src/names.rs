//! User-supplied names that become file or folder names, written once: the rule of
//! each kind of name and the check that refuses a name breaking it, with an error that
//! names the value and the rule.
//!
//! - An *id* names a file (a layer `<id>.tif`, a model's output, a scenario's
//!   tables): [`check_id`] — 1 to [`MAX_ID_BYTES`] ASCII letters, digits, `_` and
//!   `-`, so it is the same file name on every file system and never a path.
//! - A *folder name* given by a user (a run id, `out/<run-id>`): [`check_folder_name`]
//!   — any text of 1 to [`MAX_FOLDER_NAME_BYTES`] bytes without a path separator or a
//!   control character that does not start with `.` (so never `..`, never hidden).
//!
//! Names that are data (survey values, township and village names, a census's name)
//! are never checked: they are stored verbatim and escaped where they are written
//! (SQL literals, HTML), never used as paths. A file name that is not UTF-8 (Linux
//! allows any bytes) is recorded with [`path_text`].

use std::path::Path;

/// Longest id, in bytes (ids are ASCII: characters).
pub const MAX_ID_BYTES: usize = 64;
/// Longest folder name, in bytes of UTF-8 (file systems allow 255).
pub const MAX_FOLDER_NAME_BYTES: usize = 100;

/// A name that breaks its rule: what it names, the value (shortened in the message
/// when long) and the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {}: {rule}", shown(.value))]
pub struct NameError {
    /// What the name names (`run id`, `[[raster]] id`, `model id`).
    pub what: String,
    /// The name as given.
    pub value: String,
    /// The rule it breaks.
    pub rule: String,
}

/// The value for a message: quoted and escaped; a long one cut after 60 characters
/// with its length in bytes.
fn shown(v: &str) -> String {
    if v.len() <= 80 {
        format!("{v:?}")
    } else {
        let head: String = v.chars().take(60).collect();
        format!("{head:?}… ({} bytes)", v.len())
    }
}

/// The rule of an id, for messages.
pub const ID_RULE: &str =
    "an id names files: use 1 to 64 of the ASCII letters A-Z a-z, digits 0-9, '_' and '-'";

/// Check an id that names files: 1 to [`MAX_ID_BYTES`] characters, each an ASCII
/// letter, digit, `_` or `-`. `what` says what it is, for the error.
pub fn check_id(what: &str, id: &str) -> Result<(), NameError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_BYTES
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(NameError {
            what: what.into(),
            value: id.into(),
            rule: ID_RULE.into(),
        })
    }
}

/// Check a folder name given by a user (a run id): 1 to
/// [`MAX_FOLDER_NAME_BYTES`] bytes, no `/` or `\`, no control character (NUL, line
/// breaks, tabs, escapes), not starting with `.` (neither `.`, `..` nor hidden).
/// Spaces, non-ASCII letters and shell or SQL metacharacters are allowed: the name
/// is only ever a path component and escaped data, never run or spliced.
pub fn check_folder_name(what: &str, name: &str) -> Result<(), NameError> {
    let rule = if name.is_empty() {
        Some("must not be empty")
    } else if name.len() > MAX_FOLDER_NAME_BYTES {
        Some("is longer than 100 bytes (it names a folder)")
    } else if name.contains(['/', '\\']) {
        Some("must be a plain folder name: no '/' or '\\'")
    } else if name.starts_with('.') {
        Some("must be a plain folder name: not starting with '.' (no '.', '..' or hidden folders)")
    } else if name.chars().any(char::is_control) {
        Some("must be a plain folder name: no control characters (NUL, line breaks, tabs)")
    } else {
        None
    };
    match rule {
        None => Ok(()),
        Some(rule) => Err(NameError {
            what: what.into(),
            value: name.into(),
            rule: rule.into(),
        }),
    }
}

/// A path as text, verbatim when it is UTF-8; else its valid UTF-8 parts verbatim
/// and each byte that does not decode written `\xNN` (two uppercase hex digits), so
/// a file name in GBK bytes is recorded recognisably and reversibly instead of with
/// `�` replacement characters.
#[cfg(unix)]
pub fn path_text(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// A path as text (non-Unix systems: lossy).
#[cfg(not(unix))]
pub fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["dem", "rain24h_10y", "a-b", &"x".repeat(64)] {
            assert!(check_id("id", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            "a\\b",
            "..",
            "a b",
            "$(touch x)",
            "'; DROP TABLE x; --",
            "高程",
            &"x".repeat(65),
        ] {
            let e = check_id("[[raster]] id", bad).unwrap_err();
            assert!(e.to_string().starts_with("[[raster]] id "), "{e}");
            assert!(e.to_string().contains("1 to 64"), "{e}");
        }
    }

    #[test]
    fn folder_names() {
        for ok in [
            "latest",
            "2026-spring",
            "2026年春 普查",
            "$(touch x)",
            "a;b|c",
            "'x'",
        ] {
            assert!(check_folder_name("run id", ok).is_ok(), "{ok}");
        }
        for (bad, rule) in [
            ("", "empty"),
            ("a/b", "'/'"),
            ("..", "'.'"),
            (".", "'.'"),
            (".hidden", "'.'"),
            ("a\\b", "'\\'"),
            ("a\nb", "control"),
            ("a\0b", "control"),
        ] {
            let e = check_folder_name("run id", bad).unwrap_err().to_string();
            assert!(e.contains(rule), "{bad:?}: {e}");
            assert!(e.starts_with("run id "), "{e}");
        }
        // A long name is refused and shown shortened, with its length.
        let long = "长".repeat(3334);
        let e = check_folder_name("run id", &long).unwrap_err().to_string();
        assert!(
            e.contains("(10002 bytes)") && e.contains("100 bytes"),
            "{e}"
        );
        assert!(e.len() < 400, "{e}");
    }

    #[test]
    fn non_utf8_paths_are_escaped_not_replaced() {
        use std::os::unix::ffi::OsStrExt;
        // "房屋.csv" in GBK.
        let p = Path::new(std::ffi::OsStr::from_bytes(b"survey/\xB7\xBF\xCE\xDD.csv"));
        assert_eq!(path_text(p), "survey/\\xB7\\xBF\\xCE\\xDD.csv");
        assert_eq!(path_text(Path::new("调查/房屋.csv")), "调查/房屋.csv");
    }
}
