//! Plain GeoTIFF writing in one call, for survey-style inputs and test data.
//! Engine outputs go through [`crate::cog::CogWriter`] instead.

use std::path::Path;

use gdal::raster::{Buffer, GdalType, RasterCreationOptions};
use gdal::DriverManager;
use ndarray::ArrayView2;

use crate::error::IoError;

/// Write `data` (rows × cols) as a single-band, deflate-compressed GeoTIFF with the
/// given GDAL geotransform, CRS (`EPSG:n` or WKT) and optional nodata value.
/// Written to a temporary name and renamed, so a failure leaves no file behind.
pub fn write_geotiff<T: GdalType + Copy>(
    path: &Path,
    data: ArrayView2<T>,
    geotransform: [f64; 6],
    crs: &str,
    nodata: Option<f64>,
) -> Result<(), IoError> {
    crate::init();
    let tmp = crate::cog::temp_sibling(path, "partial");
    let result = (|| {
        let drv = DriverManager::get_driver_by_name("GTiff")
            .map_err(IoError::gdal(path, "GTiff driver"))?;
        let (rows, cols) = data.dim();
        let opts = RasterCreationOptions::from_iter(["COMPRESS=DEFLATE", "TILED=YES"]);
        let mut ds = drv
            .create_with_band_type_with_options::<T, _>(&tmp, cols, rows, 1, &opts)
            .map_err(IoError::gdal(path, "creating GeoTIFF"))?;
        ds.set_geo_transform(&geotransform)
            .map_err(IoError::gdal(path, "setting geotransform"))?;
        let srs = crate::crs::spatial_ref(crs)?;
        ds.set_spatial_ref(&srs)
            .map_err(IoError::gdal(path, "setting CRS"))?;
        {
            let mut band = ds.rasterband(1).map_err(IoError::gdal(path, "band 1"))?;
            band.set_no_data_value(nodata)
                .map_err(IoError::gdal(path, "setting nodata"))?;
            let mut buf = Buffer::new((cols, rows), data.iter().copied().collect());
            band.write((0, 0), (cols, rows), &mut buf)
                .map_err(IoError::gdal(path, "writing band 1"))?;
        }
        ds.close().map_err(IoError::gdal(path, "closing"))?;
        crate::files::rename_into_place(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
