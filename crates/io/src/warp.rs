//! Warping any raster onto the census grid with GDAL's warper (the library behind
//! `gdalwarp`, called through `GDALWarp` so results match the command line).
//!
//! The resampling is chosen by the layer's kind: nearest or mode for categorical
//! layers (land cover, lithology codes), bilinear or average for continuous ones
//! (elevation, rainfall), sum for counts (population per cell). The source band's
//! nodata is honoured and cells without source data become the destination's nodata.

use std::path::Path;

use gdal::raster::GdalType;

use crate::cog::CogWriter;
use crate::error::IoError;
use crate::gdal_util::{failed, Argv};
use crate::raster::open_validated;

/// Resampling methods offered for warping (GDAL's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resampling {
    /// Nearest neighbour (`near`): categorical layers, no new values.
    Nearest,
    /// Most frequent source value in the cell (`mode`): categorical layers when
    /// downsampling.
    Mode,
    /// Bilinear interpolation (`bilinear`): continuous layers at similar resolution.
    Bilinear,
    /// Cubic convolution (`cubic`): smooth continuous layers such as elevation.
    Cubic,
    /// Area-weighted mean of the source cells (`average`): continuous layers when
    /// downsampling.
    Average,
    /// Sum of the source cells (`sum`): counts such as population per cell, conserving the
    /// total.
    Sum,
}

impl Resampling {
    /// GDAL's name of the method (as `gdalwarp -r` takes it).
    pub fn name(self) -> &'static str {
        match self {
            Resampling::Nearest => "near",
            Resampling::Mode => "mode",
            Resampling::Bilinear => "bilinear",
            Resampling::Cubic => "cubic",
            Resampling::Average => "average",
            Resampling::Sum => "sum",
        }
    }

    /// Parse a GDAL method name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "near" | "nearest" => Resampling::Nearest,
            "mode" => Resampling::Mode,
            "bilinear" => Resampling::Bilinear,
            "cubic" => Resampling::Cubic,
            "average" => Resampling::Average,
            "sum" => Resampling::Sum,
            _ => return None,
        })
    }
}

/// Warp the (single) band of `src` into the grid of `writer` (whose CRS, geotransform and
/// nodata define the destination). The source must validate (CRS, north-up).
pub fn warp_into<T: GdalType + Copy>(
    writer: &mut CogWriter<T>,
    src: &Path,
    resampling: Resampling,
) -> Result<(), IoError> {
    let (src_ds, _info) = open_validated(src)?;
    let dst = writer.dataset_handle();
    let dst_nodata = writer.nodata();
    let mut args: Vec<String> = vec!["-r".into(), resampling.name().into()];
    if let Some(nd) = dst_nodata {
        args.extend(["-dstnodata".into(), gdal_number(nd)]);
        args.extend(["-wo".into(), "INIT_DEST=NO_DATA".into()]);
    }
    run_gdalwarp(src, &src_ds, dst, &args)
}

fn gdal_number(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else {
        format!("{v}")
    }
}

fn run_gdalwarp(
    src: &Path,
    src_ds: &gdal::Dataset,
    dst: gdal_sys::GDALDatasetH,
    args: &[String],
) -> Result<(), IoError> {
    let mut argv = Argv::new(src, args)?;
    // SAFETY: the argv outlives the call; both dataset handles are valid and used on
    // this thread only; the options are freed on every path.
    unsafe {
        let opts = gdal_sys::GDALWarpAppOptionsNew(argv.as_mut_ptr(), std::ptr::null_mut());
        if opts.is_null() {
            return Err(failed(src, "parsing warp options", args));
        }
        let mut srcs = [src_ds.c_dataset()];
        let mut usage_error: std::ffi::c_int = 0;
        gdal_sys::CPLErrorReset();
        let out = gdal_sys::GDALWarp(
            std::ptr::null(),
            dst,
            1,
            srcs.as_mut_ptr(),
            opts,
            &mut usage_error,
        );
        gdal_sys::GDALWarpAppOptionsFree(opts);
        if out.is_null() || usage_error != 0 {
            return Err(failed(src, "warping onto the census grid", args));
        }
    }
    Ok(())
}

/// Warp band 1 of `src` onto `grid` and write it as a COG at `dest` (atomically),
/// as `f32` with NaN nodata.
pub fn warp_to_grid(
    src: &Path,
    grid: &riskcensus_core::GridSpec,
    resampling: Resampling,
    dest: &Path,
    tags: &crate::cog::Provenance,
) -> Result<(), IoError> {
    let mut w = CogWriter::<f32>::create(dest, grid, Some(f64::NAN), Default::default())?;
    warp_into(&mut w, src, resampling)?;
    w.set_tags(tags);
    w.finish()?;
    Ok(())
}
