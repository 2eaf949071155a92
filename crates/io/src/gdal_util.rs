//! Calling GDAL's utility library (`GDALWarp`, `GDALRasterize`,
//! `GDALVectorTranslate`): argv building and error messages, in one place.

use std::ffi::{c_char, CStr, CString};
use std::path::Path;

use crate::error::IoError;

/// An argv for `GDAL*OptionsNew`: owned C strings and a NULL-terminated pointer list.
pub(crate) struct Argv {
    _strings: Vec<CString>,
    ptrs: Vec<*mut c_char>,
}

impl Argv {
    pub(crate) fn new(path: &Path, args: &[String]) -> Result<Self, IoError> {
        let strings: Vec<CString> = args
            .iter()
            .map(|a| {
                CString::new(a.as_str()).map_err(|_| IoError::Invalid {
                    path: path.to_path_buf(),
                    what: format!("GDAL option {a:?} holds a NUL byte"),
                })
            })
            .collect::<Result<_, _>>()?;
        let mut ptrs: Vec<*mut c_char> =
            strings.iter().map(|c| c.as_ptr() as *mut c_char).collect();
        ptrs.push(std::ptr::null_mut());
        Ok(Self {
            _strings: strings,
            ptrs,
        })
    }

    /// The argv pointer, valid while `self` lives. GDAL copies what it keeps.
    pub(crate) fn as_mut_ptr(&mut self) -> *mut *mut c_char {
        self.ptrs.as_mut_ptr()
    }
}

/// GDAL's last error message on this thread.
pub(crate) fn last_error() -> String {
    // SAFETY: CPLGetLastErrorMsg returns a valid, NUL-terminated thread-local string.
    unsafe { CStr::from_ptr(gdal_sys::CPLGetLastErrorMsg()) }
        .to_string_lossy()
        .into_owned()
}

/// The error for a failed utility call.
pub(crate) fn failed(path: &Path, what: &str, args: &[String]) -> IoError {
    let msg = last_error();
    IoError::Invalid {
        path: path.to_path_buf(),
        what: if msg.is_empty() {
            format!("{what} failed (options {args:?})")
        } else {
            format!("{what} failed: {msg}")
        },
    }
}
