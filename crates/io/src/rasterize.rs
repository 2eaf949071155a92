//! Rasterizing vector layers onto the census grid with GDAL's rasterizer (the library
//! behind `gdal_rasterize`, called through `GDALRasterize` so results match the
//! command line).
//!
//! Rules: by default a cell is burnt when its centre falls inside a polygon or on the
//! path GDAL traces for a line or point (the cell-centre rule); `all_touched` burns
//! every cell a geometry touches. Values are a constant or an attribute; `add` sums
//! overlapping burns (counts, occupants and value per cell). The layer's features are
//! reprojected to the grid's CRS by GDAL when the CRSs differ; a layer without a CRS
//! is refused.

use std::path::Path;

use gdal::raster::{Buffer, RasterCreationOptions};
use gdal::{Dataset, DriverManager, GdalOpenFlags};
use ndarray::Array2;
use riskcensus_core::GridSpec;

use crate::error::IoError;
use crate::gdal_util::{failed, Argv};

/// What to burn.
#[derive(Debug, Clone, PartialEq)]
pub enum Burn {
    /// A constant (e.g. 1 for a feature mask).
    Value(f64),
    /// A numeric attribute field.
    Field(String),
}

/// A rasterization request.
#[derive(Debug, Clone, PartialEq)]
pub struct RasterizeSpec {
    /// Layer name; `None` for the first (single-layer formats).
    pub layer: Option<String>,
    /// The value burnt into covered cells.
    pub burn: Burn,
    /// Burn every touched cell instead of the cell-centre rule.
    pub all_touched: bool,
    /// Sum overlapping burns instead of replacing.
    pub add: bool,
    /// An OGR SQL attribute filter.
    pub where_clause: Option<String>,
    /// Value of cells no feature burns.
    pub init: f32,
}

impl RasterizeSpec {
    /// A 0/1 mask of the layer's features.
    pub fn mask(layer: Option<&str>, all_touched: bool) -> Self {
        Self {
            layer: layer.map(str::to_string),
            burn: Burn::Value(1.0),
            all_touched,
            add: false,
            where_clause: None,
            init: 0.0,
        }
    }
}

/// Open a vector dataset (any OGR format), naming the path on failure.
pub fn open_vector(path: &Path) -> Result<Dataset, IoError> {
    crate::init();
    if !path.exists() {
        return Err(IoError::Fs {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    crate::gdal_util::open_ex(path, GdalOpenFlags::GDAL_OF_VECTOR, &[], &[])
}

/// Rasterize a vector layer onto `grid` as `f32` (rows × cols).
pub fn rasterize(
    src: &Path,
    grid: &GridSpec,
    spec: &RasterizeSpec,
) -> Result<Array2<f32>, IoError> {
    let src_ds = open_vector(src)?;
    // Resolve and check the layer (its CRS above all) before handing it to GDAL.
    let layer_name = {
        use gdal::vector::LayerAccess;
        let layer = match &spec.layer {
            Some(name) => src_ds.layer_by_name(name).map_err(|_| IoError::Invalid {
                path: src.to_path_buf(),
                what: format!("no layer named {name:?}"),
            })?,
            None => src_ds.layer(0).map_err(|_| IoError::Invalid {
                path: src.to_path_buf(),
                what: "no vector layer".into(),
            })?,
        };
        if layer.spatial_ref().is_none() {
            return Err(IoError::NoCrs {
                path: src.to_path_buf(),
            });
        }
        if let Burn::Field(f) = &spec.burn {
            if layer.defn().field_index(f).is_err() {
                return Err(IoError::Invalid {
                    path: src.to_path_buf(),
                    what: format!("layer {:?} has no field {f:?} to burn", layer.name()),
                });
            }
        }
        layer.name()
    };
    // gdal_rasterize does not reproject on the fly: bring the layer to the grid's
    // CRS first.
    let src_ds = reproject_layer(src, &src_ds, &layer_name, &grid.crs)?;
    let drv = DriverManager::get_driver_by_name("MEM").map_err(IoError::gdal(src, "MEM driver"))?;
    let mut dst = drv
        .create_with_band_type_with_options::<f32, _>(
            "",
            grid.cols,
            grid.rows,
            1,
            &RasterCreationOptions::new(),
        )
        .map_err(IoError::gdal(src, "creating the in-memory grid"))?;
    dst.set_geo_transform(&grid.geotransform())
        .map_err(IoError::gdal(src, "setting geotransform"))?;
    dst.set_spatial_ref(&crate::crs::spatial_ref(&grid.crs)?)
        .map_err(IoError::gdal(src, "setting CRS"))?;
    dst.rasterband(1)
        .and_then(|mut b| b.fill(spec.init as f64, None))
        .map_err(IoError::gdal(src, "initialising the grid"))?;

    let mut args: Vec<String> = vec!["-l".into(), layer_name.clone()];
    match &spec.burn {
        Burn::Value(v) => args.extend(["-burn".into(), format!("{v}")]),
        Burn::Field(f) => args.extend(["-a".into(), f.clone()]),
    }
    if spec.all_touched {
        args.push("-at".into());
    }
    if spec.add {
        args.push("-add".into());
    }
    if let Some(w) = &spec.where_clause {
        args.extend(["-where".into(), w.clone()]);
    }
    run_gdal_rasterize(src, &src_ds, &dst, &args)?;
    let band = dst.rasterband(1).map_err(IoError::gdal(src, "band 1"))?;
    let buf: Buffer<f32> = band
        .read_as((0, 0), (grid.cols, grid.rows), (grid.cols, grid.rows), None)
        .map_err(IoError::gdal(src, "reading the rasterized grid"))?;
    let (_, data) = buf.into_shape_and_vec();
    Ok(Array2::from_shape_vec((grid.rows, grid.cols), data).expect("grid shape"))
}

fn run_gdal_rasterize(
    src: &Path,
    src_ds: &Dataset,
    dst: &Dataset,
    args: &[String],
) -> Result<(), IoError> {
    let mut argv = Argv::new(src, args)?;
    // SAFETY: the argv outlives the call; both dataset handles are valid and used on
    // this thread only; the options are freed on every path.
    unsafe {
        let opts = gdal_sys::GDALRasterizeOptionsNew(argv.as_mut_ptr(), std::ptr::null_mut());
        if opts.is_null() {
            return Err(failed(src, "parsing rasterize options", args));
        }
        let mut usage_error: std::ffi::c_int = 0;
        gdal_sys::CPLErrorReset();
        let out = gdal_sys::GDALRasterize(
            std::ptr::null(),
            dst.c_dataset(),
            src_ds.c_dataset(),
            opts,
            &mut usage_error,
        );
        gdal_sys::GDALRasterizeOptionsFree(opts);
        if out.is_null() || usage_error != 0 {
            return Err(failed(src, "rasterizing onto the census grid", args));
        }
    }
    Ok(())
}

/// Reproject one layer of `src_ds` into an in-memory dataset in `crs` (GDAL's
/// vector translator, as `ogr2ogr -f Memory -t_srs <crs> … <layer>` does).
pub fn reproject_layer(
    src: &Path,
    src_ds: &Dataset,
    layer: &str,
    crs: &str,
) -> Result<Dataset, IoError> {
    let args: Vec<String> = vec![
        "-f".into(),
        "Memory".into(),
        "-t_srs".into(),
        crs.into(),
        "-nln".into(),
        layer.into(),
        layer.into(),
    ];
    let mut argv = Argv::new(src, &args)?;
    // SAFETY: as above; the returned handle is owned by the new `Dataset`.
    unsafe {
        let opts = gdal_sys::GDALVectorTranslateOptionsNew(argv.as_mut_ptr(), std::ptr::null_mut());
        if opts.is_null() {
            return Err(failed(src, "parsing vector translate options", &args));
        }
        let mut srcs = [src_ds.c_dataset()];
        let mut usage_error: std::ffi::c_int = 0;
        gdal_sys::CPLErrorReset();
        let c_dest = std::ffi::CString::new("").expect("no NUL");
        let out = gdal_sys::GDALVectorTranslate(
            c_dest.as_ptr(),
            std::ptr::null_mut(),
            1,
            srcs.as_mut_ptr(),
            opts,
            &mut usage_error,
        );
        gdal_sys::GDALVectorTranslateOptionsFree(opts);
        if out.is_null() || usage_error != 0 {
            return Err(failed(
                src,
                &format!("reprojecting layer {layer:?} to {crs}"),
                &args,
            ));
        }
        Ok(Dataset::from_c_dataset(out))
    }
}
