//! GDAL I/O
