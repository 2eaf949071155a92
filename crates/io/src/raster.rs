//! Opening, validating and reading rasters.
//!
//! Validation refuses what the engine must never guess: a raster without a CRS, a
//! rotated or missing geotransform, a band that does not exist. Reads return `f32`
//! arrays shaped `(rows, cols)` with the band's declared nodata (and NaN) mapped to
//! NaN, whatever the band's data type.
//!
//! Resource bounds, checked before anything is allocated: a GeoTIFF whose header
//! declares more data than the file holds (its first or last block lies past the end
//! of the file: a truncated download or copy) is refused when opened, naming the
//! file, its declared size and its length; one read holds at most
//! [`MAX_READ_CELLS`] cells (a window above that is refused, naming the file and the
//! bound, instead of allocating it). Reads through GDAL's warper and the tiled
//! executor never hold more than a tile or GDAL's block cache.

use std::path::{Path, PathBuf};

use gdal::raster::GdalDataType;
use gdal::Dataset;
use ndarray::Array2;
use riskcensus_core::{nodata, GridSpec, Window};

use crate::error::IoError;

/// Most cells one read may hold in memory: 2^28 (268 435 456; 1 GiB as `f32`), the
/// bound of a census grid too (`riskcensus_core::grid::MAX_GRID_CELLS`).
pub const MAX_READ_CELLS: usize = riskcensus_core::grid::MAX_GRID_CELLS;

/// What the engine needs to know about a raster file.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterInfo {
    /// The file as opened.
    pub path: PathBuf,
    /// GDAL's short driver name (`GTiff`, `GPKG`, …).
    pub driver: String,
    /// Columns (x size) and rows (y size).
    pub cols: usize,
    /// Rows (y size).
    pub rows: usize,
    /// Number of bands (≥ 1).
    pub bands: usize,
    /// GDAL geotransform; north-up (`gt[2] = gt[4] = 0`, `gt[5] < 0`) once validated.
    pub geotransform: [f64; 6],
    /// CRS as WKT.
    pub crs_wkt: String,
    /// `EPSG:n` if the CRS identifies as one.
    pub crs_code: Option<String>,
    /// True for a geographic (lon/lat) CRS, which a census grid must not be.
    pub crs_is_geographic: bool,
    /// Per band: data type name and declared nodata.
    pub band_types: Vec<String>,
    /// Declared nodata value per band (index 0 = band 1), `None` when the band declares
    /// none.
    pub nodata: Vec<Option<f64>>,
    /// GeoTIFF layout (`COG` for Cloud-Optimized GeoTIFFs), from the IMAGE_STRUCTURE
    /// metadata domain.
    pub layout: Option<String>,
    /// Number of overview levels of band 1.
    pub overviews: usize,
}

impl RasterInfo {
    /// The raster's lattice as a [`GridSpec`] (only for north-up, square-cell rasters).
    pub fn grid(&self) -> Result<GridSpec, IoError> {
        let crs = self
            .crs_code
            .clone()
            .unwrap_or_else(|| self.crs_wkt.clone());
        GridSpec::from_geotransform(crs, self.geotransform, self.rows, self.cols).map_err(|e| {
            IoError::Invalid {
                path: self.path.clone(),
                what: e.to_string(),
            }
        })
    }
}

/// Open a raster and validate it: at least one band, a CRS, a north-up geotransform.
pub fn open_validated(path: &Path) -> Result<(Dataset, RasterInfo), IoError> {
    crate::init();
    if !path.exists() {
        return Err(IoError::Fs {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let ds = crate::gdal_util::open_ex(path, gdal::GdalOpenFlags::GDAL_OF_READONLY, &[], &[])?;
    let info = describe(&ds, path)?;
    Ok((ds, info))
}

/// Describe an open dataset, refusing rasters the engine cannot use.
pub fn describe(ds: &Dataset, path: &Path) -> Result<RasterInfo, IoError> {
    use gdal::Metadata;
    let p = || path.to_path_buf();
    let bands = ds.raster_count();
    if bands == 0 {
        return Err(IoError::NoBands { path: p() });
    }
    let crs_wkt = ds.projection();
    if crs_wkt.trim().is_empty() {
        return Err(IoError::NoCrs { path: p() });
    }
    let gt = ds.geo_transform().map_err(|_| IoError::BadGeotransform {
        path: p(),
        gt: [0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
    })?;
    if gt[2] != 0.0 || gt[4] != 0.0 || gt[1] <= 0.0 || gt[5] >= 0.0 {
        return Err(IoError::BadGeotransform { path: p(), gt });
    }
    let srs = ds
        .spatial_ref()
        .map_err(IoError::gdal(path, "reading CRS"))?;
    let crs_code = match (srs.auth_name(), srs.auth_code()) {
        (Some(a), Ok(c)) => Some(format!("{a}:{c}")),
        _ => None,
    };
    let mut band_types = Vec::with_capacity(bands);
    let mut nodata = Vec::with_capacity(bands);
    for b in 1..=bands {
        let band = ds.rasterband(b).map_err(|source| IoError::Read {
            path: p(),
            band: b,
            window: Window::new(0, 0, 0, 0),
            source,
        })?;
        band_types.push(band.band_type().name());
        nodata.push(band.no_data_value());
    }
    let (cols, rows) = ds.raster_size();
    check_blocks_in_file(ds, path, bands, (cols, rows), &band_types)?;
    let overviews = ds
        .rasterband(1)
        .ok()
        .and_then(|b| b.overview_count().ok())
        .unwrap_or(0)
        .max(0) as usize;
    Ok(RasterInfo {
        path: p(),
        driver: ds.driver().short_name(),
        cols,
        rows,
        bands,
        geotransform: gt,
        crs_wkt,
        crs_code,
        crs_is_geographic: srs.is_geographic(),
        band_types,
        nodata,
        layout: ds.metadata_item("LAYOUT", "IMAGE_STRUCTURE"),
        overviews,
    })
}

/// Refuse a GeoTIFF whose header declares data past the end of the file: the first
/// and the last block of every band (by the offsets and sizes the TIFF directory
/// declares; a sparse block, at offset 0, holds nothing) must end inside the file.
/// Other formats are not checked here; their reads fail, naming the window.
fn check_blocks_in_file(
    ds: &Dataset,
    path: &Path,
    bands: usize,
    (cols, rows): (usize, usize),
    band_types: &[String],
) -> Result<(), IoError> {
    use gdal::Metadata;
    if ds.driver().short_name() != "GTiff" {
        return Ok(());
    }
    let Ok(len) = std::fs::metadata(path).map(|m| m.len()) else {
        return Ok(());
    };
    for b in 1..=bands {
        let Ok(band) = ds.rasterband(b) else {
            continue;
        };
        let (bx, by) = band.block_size();
        if bx == 0 || by == 0 {
            continue;
        }
        let last = (cols.div_ceil(bx) - 1, rows.div_ceil(by) - 1);
        for (x, y) in [(0, 0), last] {
            let item = |k: &str| {
                band.metadata_item(&format!("BLOCK_{k}_{x}_{y}"), "TIFF")
                    .and_then(|v| v.trim().parse::<u64>().ok())
            };
            let (Some(off), Some(size)) = (item("OFFSET"), item("SIZE")) else {
                continue;
            };
            if off > 0 && off.saturating_add(size) > len {
                return Err(IoError::Invalid {
                    path: path.to_path_buf(),
                    what: format!(
                        "truncated: the header declares {cols} × {rows} cells × {bands} band(s) of {}, and band {b}'s block ({x}, {y}) ends at byte {}, but the file has {len} bytes",
                        band_types.get(b - 1).map(String::as_str).unwrap_or("?"),
                        off.saturating_add(size)
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Refuse a read of more than [`MAX_READ_CELLS`] cells before allocating it.
fn check_read_size(path: &Path, band: usize, window: Window) -> Result<(), IoError> {
    let cells = window.rows.saturating_mul(window.cols);
    if cells > MAX_READ_CELLS {
        return Err(IoError::Invalid {
            path: path.to_path_buf(),
            what: format!(
                "band {band}: a read of {} × {} cells ({cells}) is more than the {MAX_READ_CELLS} cells (1 GiB of float32) the engine holds in memory at once",
                window.rows, window.cols
            ),
        });
    }
    Ok(())
}

/// A raster opened for windowed reads of one band. Each worker thread opens its own
/// (GDAL datasets are `Send`, not `Sync`).
pub struct RasterReader {
    ds: Dataset,
    info: RasterInfo,
    band: usize,
}

impl RasterReader {
    /// Open `path` and select band `band` (1-based).
    pub fn open(path: &Path, band: usize) -> Result<Self, IoError> {
        let (ds, info) = open_validated(path)?;
        if band == 0 || band > info.bands {
            return Err(IoError::NoSuchBand {
                path: path.to_path_buf(),
                band,
                count: info.bands,
            });
        }
        Ok(Self { ds, info, band })
    }

    /// What was found when the raster was opened and validated.
    pub fn info(&self) -> &RasterInfo {
        &self.info
    }

    /// The selected band, 1-based.
    pub fn band(&self) -> usize {
        self.band
    }

    /// Read `window` as `f32`, nodata → NaN. The window must lie inside the raster.
    pub fn read_f32(&self, window: Window) -> Result<Array2<f32>, IoError> {
        check_read_size(&self.info.path, self.band, window)?;
        let mut out = Array2::<f32>::zeros((window.rows, window.cols));
        self.read_f32_into(window, out.as_slice_mut().expect("standard layout"))?;
        Ok(out)
    }

    /// Read `window` as `f32` into a row-major buffer of `window.len()` cells.
    pub fn read_f32_into(&self, window: Window, buf: &mut [f32]) -> Result<(), IoError> {
        let err = |what: String| IoError::Invalid {
            path: self.info.path.clone(),
            what,
        };
        if window.row_end() > self.info.rows || window.col_end() > self.info.cols {
            return Err(err(format!(
                "band {}: window {window:?} lies outside the {}×{} raster",
                self.band, self.info.rows, self.info.cols
            )));
        }
        if buf.len() != window.len() {
            return Err(err(format!(
                "buffer of {} cells for window of {}",
                buf.len(),
                window.len()
            )));
        }
        let read_err = self.read_error(window);
        self.ds
            .rasterband(self.band)
            .and_then(|band| {
                band.read_into_slice::<f32>(
                    (window.col_off as isize, window.row_off as isize),
                    (window.cols, window.rows),
                    (window.cols, window.rows),
                    buf,
                    None,
                )
            })
            .map_err(read_err)?;
        let nd = self.info.nodata[self.band - 1];
        if nd.is_some() {
            for v in buf.iter_mut() {
                *v = nodata::normalise(*v, nd);
            }
        }
        Ok(())
    }

    /// The error for a failed read of `window`, naming path, band and window.
    fn read_error(&self, window: Window) -> impl FnOnce(gdal::errors::GdalError) -> IoError + '_ {
        move |source| IoError::Read {
            path: self.info.path.clone(),
            band: self.band,
            window,
            source,
        }
    }

    /// Read `window` as `u8` (for level and categorical layers), no nodata mapping.
    pub fn read_u8(&self, window: Window) -> Result<Array2<u8>, IoError> {
        check_read_size(&self.info.path, self.band, window)?;
        let band = self
            .ds
            .rasterband(self.band)
            .map_err(self.read_error(window))?;
        let buf = band
            .read_as::<u8>(
                (window.col_off as isize, window.row_off as isize),
                (window.cols, window.rows),
                (window.cols, window.rows),
                None,
            )
            .map_err(self.read_error(window))?;
        let (_, data) = buf.into_shape_and_vec();
        Ok(Array2::from_shape_vec((window.rows, window.cols), data).expect("shape matches"))
    }

    /// Metadata item of the dataset's default domain.
    pub fn metadata(&self, key: &str) -> Option<String> {
        use gdal::Metadata;
        self.ds.metadata_item(key, "")
    }

    /// All `KEY=VALUE` items of the dataset's default metadata domain, sorted.
    pub fn metadata_all(&self) -> Vec<(String, String)> {
        use gdal::Metadata;
        let mut out: Vec<(String, String)> = self
            .ds
            .metadata_domain("")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
        out.sort();
        out
    }

    /// Class names of a level raster, indexed by code (`CLASS_<code>` band metadata
    /// written by [`crate::CogWriter`]); empty for other rasters.
    pub fn class_names(&self) -> Vec<String> {
        use gdal::Metadata;
        let Ok(band) = self.ds.rasterband(self.band) else {
            return Vec::new();
        };
        (0..=255u16)
            .map_while(|code| band.metadata_item(&format!("CLASS_{code}"), ""))
            .collect()
    }

    /// The id of the level scheme of a level raster (`LEVEL_SCHEME` band metadata
    /// written by [`crate::CogWriter`] with its legend), `None` for other rasters.
    pub fn level_scheme_id(&self) -> Option<String> {
        use gdal::Metadata;
        self.ds
            .rasterband(self.band)
            .ok()?
            .metadata_item("LEVEL_SCHEME", "")
    }

    /// Colour table entries as RGBA, if the band has one.
    pub fn color_table_rgba(&self) -> Vec<[i16; 4]> {
        let Ok(band) = self.ds.rasterband(self.band) else {
            return Vec::new();
        };
        let Some(ct) = band.color_table() else {
            return Vec::new();
        };
        (0..ct.entry_count())
            .filter_map(|i| ct.entry_as_rgb(i))
            .map(|e| [e.r, e.g, e.b, e.a])
            .collect()
    }

    /// The underlying GDAL data type of the band.
    pub fn band_type(&self) -> GdalDataType {
        self.ds
            .rasterband(self.band)
            .map(|b| b.band_type())
            .unwrap_or(GdalDataType::Unknown)
    }
}
