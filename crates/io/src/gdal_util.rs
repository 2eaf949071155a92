//! Calling GDAL's utility library (`GDALWarp`, `GDALRasterize`,
//! `GDALVectorTranslate`): argv building and error messages, in one place.

use std::ffi::{c_char, CStr, CString};
use std::path::Path;

use gdal::{Dataset, GdalOpenFlags};

use crate::error::IoError;

/// Open `path` with GDAL (`GDALOpenEx`), handing GDAL the file name's bytes as they
/// are. The gdal crate converts a path lossily, so a file name that is not UTF-8 (a
/// GBK name from a Windows archive) became `�` and was "not found"; here it opens.
/// `drivers` and `options` are GDAL's allowed drivers and open options.
pub(crate) fn open_ex(
    path: &Path,
    flags: GdalOpenFlags,
    drivers: &[&str],
    options: &[&str],
) -> Result<Dataset, IoError> {
    use std::os::unix::ffi::OsStrExt;
    crate::init();
    let invalid = |what: String| IoError::Invalid {
        path: path.to_path_buf(),
        what,
    };
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| invalid("the file name holds a NUL byte".into()))?;
    let list = |items: &[&str]| -> Result<Vec<CString>, IoError> {
        items
            .iter()
            .map(|s| CString::new(*s).map_err(|_| invalid(format!("GDAL option {s:?}"))))
            .collect()
    };
    let (drv, opt) = (list(drivers)?, list(options)?);
    let ptrs = |v: &[CString]| {
        let mut p: Vec<*const c_char> = v.iter().map(|c| c.as_ptr()).collect();
        p.push(std::ptr::null());
        p
    };
    let (drv_p, opt_p) = (ptrs(&drv), ptrs(&opt));
    // SAFETY: every pointer is a NUL-terminated string or a NULL-terminated list
    // that outlives the call; GDAL copies what it keeps. A non-null handle is owned
    // by the returned Dataset, which closes it once.
    unsafe {
        gdal_sys::CPLErrorReset();
        let h = gdal_sys::GDALOpenEx(
            c_path.as_ptr(),
            flags.bits(),
            if drivers.is_empty() {
                std::ptr::null()
            } else {
                drv_p.as_ptr()
            },
            if options.is_empty() {
                std::ptr::null()
            } else {
                opt_p.as_ptr()
            },
            std::ptr::null(),
        );
        if h.is_null() {
            return Err(IoError::Open {
                path: path.to_path_buf(),
                source: gdal::errors::GdalError::NullPointer {
                    method_name: "GDALOpenEx",
                    msg: last_error(),
                },
            });
        }
        Ok(Dataset::from_c_dataset(h))
    }
}

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

thread_local! {
    static MESSAGES: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

unsafe extern "C" fn keep_message(
    class: gdal_sys::CPLErr::Type,
    no: gdal_sys::CPLErrorNum,
    msg: *const c_char,
) {
    if !msg.is_null() {
        // SAFETY: GDAL passes a NUL-terminated message valid for this call.
        let m = unsafe { CStr::from_ptr(msg) }
            .to_string_lossy()
            .into_owned();
        MESSAGES.with(|l| l.borrow_mut().push(m));
    }
    // SAFETY: the arguments are GDAL's own, passed on unchanged; the default
    // handler prints them as GDAL would without this one.
    unsafe { gdal_sys::CPLDefaultErrorHandler(class, no, msg) };
}

/// Pops the handler [`with_gdal_messages`] pushed, also when `f` unwinds.
struct PopHandler;

impl Drop for PopHandler {
    fn drop(&mut self) {
        // SAFETY: pops the handler pushed on this thread by `with_gdal_messages`
        // (GDAL's handler stack is per thread).
        unsafe { gdal_sys::CPLPopErrorHandler() };
    }
}

/// Run `f` and return, beside its result, the error messages GDAL emitted on this
/// thread meanwhile (still printed as GDAL prints them). OGR's errors carry only a
/// code ("returned error: '6'"); the reason — SQLite's "database or disk is full",
/// the C library's "No space left on device" — is only in these messages.
pub(crate) fn with_gdal_messages<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let start = MESSAGES.with(|l| l.borrow().len());
    // SAFETY: `keep_message` has the handler's signature and touches only this
    // thread's buffer; the guard pops it.
    unsafe { gdal_sys::CPLPushErrorHandler(Some(keep_message)) };
    let guard = PopHandler;
    let r = f();
    drop(guard);
    let msgs = MESSAGES.with(|l| l.borrow_mut().split_off(start));
    (r, msgs)
}

/// [`IoError::NoSpace`] naming `path` when GDAL's `messages` say the file system is
/// full (the reason an OGR or COG failure carries only there); `None` otherwise.
pub(crate) fn no_space(path: &Path, messages: &[String]) -> Option<IoError> {
    let full: Vec<&str> = messages
        .iter()
        .map(String::as_str)
        .filter(|m| crate::files::says_out_of_space(m))
        .collect();
    (!full.is_empty()).then(|| IoError::NoSpace {
        path: path.to_path_buf(),
        what: format!("GDAL: {}", full.join("; ")),
    })
}
