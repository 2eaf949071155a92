//! From level grids to mappable zones with GDAL's raster algorithms: polygonize
//! (`GDALPolygonize`). The minimum-mapping-unit sieve, which must not merge across
//! township lines, is `riskcensus_zoning::sieve`.
//!
//! It runs on in-memory datasets built from the census grid (north-up, square
//! cells, the grid's CRS); polygons come back as [`geo_types::Polygon`] in the grid
//! CRS, (x, y) order. Code 0 is nodata: it is not polygonized.
//!
//! - Polygonize: one polygon per 4-connected region of equal code (GDAL's default
//!   connectedness), with holes, in GDAL's output order (a scan of the raster), so
//!   the same grid always gives the same polygons in the same order.

use std::ffi::CString;
use std::ptr;

use gdal::vector::LayerAccess;
use gdal::{DriverManager, Metadata};
use gdal_sys::{CPLErr, OGRFieldType, OGRwkbGeometryType};
use ndarray::Array2;
use riskcensus_core::GridSpec;

use crate::error::IoError;

fn mem_err(what: impl Into<String>) -> impl FnOnce(gdal::errors::GdalError) -> IoError {
    let what = what.into();
    move |e| IoError::Invalid {
        path: "<memory>".into(),
        what: format!("{what}: {e}"),
    }
}

fn mem_dataset<T: gdal::raster::GdalType + Copy>(
    grid: &GridSpec,
    data: &Array2<T>,
) -> Result<gdal::Dataset, IoError> {
    crate::init();
    let drv = DriverManager::get_driver_by_name("MEM").map_err(mem_err("MEM driver"))?;
    let mut ds = drv
        .create_with_band_type::<T, _>("", grid.cols, grid.rows, 1)
        .map_err(mem_err("MEM dataset"))?;
    ds.set_geo_transform(&grid.geotransform())
        .map_err(mem_err("geotransform"))?;
    let srs = crate::crs::spatial_ref(&grid.crs).map_err(|e| IoError::Invalid {
        path: "<memory>".into(),
        what: format!("CRS {}: {e}", grid.crs),
    })?;
    ds.set_spatial_ref(&srs).map_err(mem_err("CRS"))?;
    {
        let mut band = ds.rasterband(1).map_err(mem_err("band"))?;
        let data = data.as_standard_layout();
        let mut buf = gdal::raster::Buffer::new(
            (grid.cols, grid.rows),
            data.as_slice().expect("standard layout").to_vec(),
        );
        band.write((0, 0), (grid.cols, grid.rows), &mut buf)
            .map_err(mem_err("writing band"))?;
        band.set_no_data_value(Some(0.0))
            .map_err(mem_err("nodata"))?;
    }
    let _ = ds.set_metadata_item("RISKCENSUS", "zones", "");
    Ok(ds)
}

/// Polygonize `codes` (0 = nodata): one polygon per 4-connected region of equal
/// code, as (code, polygon in the grid CRS).
pub fn polygonize(
    codes: &Array2<i32>,
    grid: &GridSpec,
) -> Result<Vec<(i32, geo_types::Polygon<f64>)>, IoError> {
    let ds = mem_dataset(grid, codes)?;
    let band = ds.rasterband(1).map_err(mem_err("band"))?;
    let drv = DriverManager::get_driver_by_name("Memory").map_err(mem_err("Memory driver"))?;
    let mut out = drv
        .create_vector_only("")
        .map_err(mem_err("Memory vector dataset"))?;
    let srs = crate::crs::spatial_ref(&grid.crs).map_err(|e| IoError::Invalid {
        path: "<memory>".into(),
        what: format!("CRS {}: {e}", grid.crs),
    })?;
    let layer = out
        .create_layer(gdal::vector::LayerOptions {
            name: "zones",
            srs: Some(&srs),
            ty: OGRwkbGeometryType::wkbPolygon,
            options: None,
        })
        .map_err(mem_err("zones layer"))?;
    let name = CString::new("code").expect("no NUL");
    // SAFETY: the layer and band handles are valid for the duration of the calls; the
    // field definition is created, added and destroyed here; no progress callback.
    let rc = unsafe {
        let fd = gdal_sys::OGR_Fld_Create(name.as_ptr(), OGRFieldType::OFTInteger);
        let e = gdal_sys::OGR_L_CreateField(layer.c_layer(), fd, 1);
        gdal_sys::OGR_Fld_Destroy(fd);
        if e != gdal_sys::OGRErr::OGRERR_NONE {
            return Err(IoError::Invalid {
                path: "<memory>".into(),
                what: "creating the code field".into(),
            });
        }
        let h = band.c_rasterband();
        let mask = gdal_sys::GDALGetMaskBand(h);
        gdal_sys::GDALPolygonize(
            h,
            mask,
            layer.c_layer(),
            0,
            ptr::null_mut(),
            None,
            ptr::null_mut(),
        )
    };
    if rc != CPLErr::CE_None {
        return Err(IoError::Invalid {
            path: "<memory>".into(),
            what: format!("GDALPolygonize failed: {}", crate::gdal_util::last_error()),
        });
    }
    let mut layer = out.layer(0).map_err(mem_err("zones layer"))?;
    let mut polys = Vec::new();
    for f in layer.features() {
        let code = f
            .field_as_integer(0)
            .map_err(mem_err("code field"))?
            .unwrap_or(0);
        let Some(g) = f.geometry() else { continue };
        let geo: geo_types::Geometry<f64> = g.to_geo().map_err(mem_err("geometry"))?;
        match geo {
            geo_types::Geometry::Polygon(p) => polys.push((code, p)),
            geo_types::Geometry::MultiPolygon(mp) => {
                polys.extend(mp.0.into_iter().map(|p| (code, p)))
            }
            _ => {}
        }
    }
    Ok(polys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn grid(rows: usize, cols: usize) -> GridSpec {
        GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 10.0, rows, cols).unwrap()
    }

    #[test]
    fn polygonize_gives_regions_with_areas() {
        let a = ndarray::arr2(&[[1i32, 1, 2], [1, 0, 2], [1, 1, 2]]);
        let p = polygonize(&a, &grid(3, 3)).unwrap();
        let area = |c: i32| -> f64 {
            p.iter()
                .filter(|(k, _)| *k == c)
                .map(|(_, g)| g.unsigned_area())
                .sum()
        };
        // 10 m cells: code 1 holds 5 cells (a ring around the nodata cell), code 2 3.
        assert_eq!(area(1), 500.0);
        assert_eq!(area(2), 300.0);
        assert!(p.iter().all(|(k, _)| *k != 0));
    }
}
