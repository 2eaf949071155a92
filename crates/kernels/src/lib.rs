//! Pure kernels over `ndarray` views: no I/O, no global thread pool.
