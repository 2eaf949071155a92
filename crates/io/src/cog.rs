//! Cloud-Optimized GeoTIFF writer: tile-by-tile writes, atomic finish.
//!
//! Windows are written into a tiled intermediate GeoTIFF beside the destination
//! (memory stays bounded by GDAL's block cache, not by raster size); `finish` then
//! has GDAL's COG driver copy it into a COG — DEFLATE-compressed, 512-cell internal
//! tiles, internal overviews, nodata, provenance tags, and for u8 level rasters a
//! colour table and class names — under a second temporary name that is renamed onto
//! the destination. A writer dropped before `finish` (an error, a panic) removes its
//! temporary files: a half-written output never appears under the final name.
//!
//! Float rasters use NaN as nodata; level rasters use 0.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use gdal::raster::{
    Buffer, ColorEntry, ColorTable, GdalType, PaletteInterpretation, RasterCreationOptions,
};
use gdal::{Dataset, DriverManager, Metadata};
use riskcensus_core::{GridSpec, LevelScheme, Window};

use crate::error::IoError;

/// A name beside `path` for temporary files: `.<name>.<tag>-<pid>-<n>`.
pub fn temp_sibling(path: &Path, tag: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{tag}-{}-{n}{ext}", std::process::id()))
}

/// Remove the temporary siblings ([`temp_sibling`]) that a killed process left in
/// `dir`: hidden files named `.<name>.<tag>-<pid>-<n>[.ext]` whose process `<pid>` is
/// not this one and no longer runs (checked through `/proc/<pid>`). Returns what was
/// removed. Atomic writes mean such files are never taken for outputs; sweeping them
/// keeps a resumed run's folder equal to an uninterrupted one.
pub fn sweep_stale_temps(dir: &Path) -> Result<Vec<PathBuf>, IoError> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(removed);
    };
    for e in entries {
        let e = e.map_err(IoError::fs(dir))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else {
            continue;
        };
        // SQLite's companions of a temporary GeoPackage (a killed writer's journal)
        // belong to it: ".<name>.<tag>-<pid>-<n>.gpkg-journal".
        let rest = ["-journal", "-wal", "-shm"]
            .iter()
            .find_map(|s| rest.strip_suffix(s))
            .unwrap_or(rest);
        // ".<name>.<tag>-<pid>-<n>[.ext]": the pid is the second-last '-' field.
        let stem = rest.split('.').rfind(|p| p.contains('-'));
        let pid = stem.and_then(|s| {
            let parts: Vec<&str> = s.rsplitn(3, '-').collect();
            (parts.len() == 3 && parts[0].chars().all(|c| c.is_ascii_digit()))
                .then(|| parts[1].parse::<u32>().ok())
                .flatten()
        });
        let Some(pid) = pid else { continue };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let p = e.path();
        let r = if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        r.map_err(IoError::fs(&p))?;
        removed.push(p);
    }
    removed.sort();
    Ok(removed)
}

/// Options of the COG layout.
#[derive(Debug, Clone, PartialEq)]
pub struct CogOptions {
    /// Internal tile size in cells (COG BLOCKSIZE).
    pub block_size: usize,
    /// DEFLATE level 1–9.
    pub deflate_level: u8,
    /// Overview resampling; `None` chooses AVERAGE for float and NEAREST for u8.
    pub overview_resampling: Option<String>,
    /// Threads GDAL may use to compress blocks. Keep 1 for engine outputs: with more,
    /// GDAL 3.6 writes the same cell values but may lay the blocks out in another
    /// order, so the file's bytes would depend on scheduling (the pipeline test
    /// caught this).
    pub compress_threads: usize,
}

impl Default for CogOptions {
    fn default() -> Self {
        Self {
            block_size: 512,
            deflate_level: 6,
            overview_resampling: None,
            compress_threads: 1,
        }
    }
}

/// Provenance written as GeoTIFF metadata tags (default domain): engine version,
/// model id, parameter hash, input digests, class breaks, …
pub type Provenance = BTreeMap<String, String>;

/// Colour table and class names for a u8 level raster.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelLegend(pub LevelScheme);

/// Writes one band of type `T` (f32 for grids, u8 for levels) as a COG.
pub struct CogWriter<T: GdalType + Copy> {
    dest: PathBuf,
    work: PathBuf,
    ds: Option<Dataset>,
    rows: usize,
    cols: usize,
    options: CogOptions,
    tags: Provenance,
    legend: Option<LevelLegend>,
    nodata: Option<f64>,
    _t: PhantomData<T>,
}

impl<T: GdalType + Copy> CogWriter<T> {
    /// Start a COG at `dest` on `grid`, with the band's nodata value.
    pub fn create(
        dest: &Path,
        grid: &GridSpec,
        nodata: Option<f64>,
        options: CogOptions,
    ) -> Result<Self, IoError> {
        crate::init();
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(IoError::fs(parent))?;
        }
        let work = temp_sibling(dest, "partial");
        let drv = DriverManager::get_driver_by_name("GTiff")
            .map_err(IoError::gdal(dest, "GTiff driver"))?;
        let bs = options.block_size.to_string();
        let opts = RasterCreationOptions::from_iter([
            "TILED=YES".to_string(),
            format!("BLOCKXSIZE={bs}"),
            format!("BLOCKYSIZE={bs}"),
            // The intermediate is read once by the COG driver: uncompressed is cheapest.
            "COMPRESS=NONE".to_string(),
            "BIGTIFF=IF_SAFER".to_string(),
        ]);
        let mut w = Self {
            dest: dest.to_path_buf(),
            work,
            ds: None,
            rows: grid.rows,
            cols: grid.cols,
            options,
            tags: Provenance::new(),
            legend: None,
            nodata,
            _t: PhantomData,
        };
        let mut ds = drv
            .create_with_band_type_with_options::<T, _>(&w.work, grid.cols, grid.rows, 1, &opts)
            .map_err(IoError::gdal(dest, "creating intermediate GeoTIFF"))?;
        ds.set_geo_transform(&grid.geotransform())
            .map_err(IoError::gdal(dest, "setting geotransform"))?;
        let srs = crate::crs::spatial_ref(&grid.crs)?;
        ds.set_spatial_ref(&srs)
            .map_err(IoError::gdal(dest, "setting CRS"))?;
        {
            let mut band = ds.rasterband(1).map_err(IoError::gdal(dest, "band 1"))?;
            band.set_no_data_value(nodata)
                .map_err(IoError::gdal(dest, "setting nodata"))?;
            if let Some(nd) = nodata {
                // Cells never written stay nodata.
                band.fill(nd, None)
                    .map_err(IoError::gdal(dest, "initialising band"))?;
            }
        }
        w.ds = Some(ds);
        Ok(w)
    }

    /// The final path of the COG; nothing exists there until [`CogWriter::finish`] renames
    /// the intermediate into place.
    pub fn destination(&self) -> &Path {
        &self.dest
    }

    /// The band's nodata value.
    pub fn nodata(&self) -> Option<f64> {
        self.nodata
    }

    /// Raw handle of the intermediate dataset, for GDAL operations that write into
    /// it (the warper). Valid until `finish`.
    pub(crate) fn dataset_handle(&self) -> gdal_sys::GDALDatasetH {
        self.ds.as_ref().expect("open until finish").c_dataset()
    }

    /// Write `data` (row-major, `window.len()` cells) at `window`.
    pub fn write_window(&mut self, window: Window, data: &[T]) -> Result<(), IoError> {
        if window.row_end() > self.rows
            || window.col_end() > self.cols
            || data.len() != window.len()
        {
            return Err(IoError::Invalid {
                path: self.dest.clone(),
                what: format!(
                    "window {window:?} with {} cells does not fit the {}×{} grid",
                    data.len(),
                    self.rows,
                    self.cols
                ),
            });
        }
        let ds = self.ds.as_mut().expect("open until finish");
        let mut band = ds
            .rasterband(1)
            .map_err(IoError::gdal(&self.dest, "band 1"))?;
        let mut buf = Buffer::new((window.cols, window.rows), data.to_vec());
        band.write(
            (window.col_off as isize, window.row_off as isize),
            (window.cols, window.rows),
            &mut buf,
        )
        .map_err(|source| IoError::write(&self.dest, 1, window, source))
    }

    /// Add provenance tags (merged; later values win).
    pub fn set_tags(&mut self, tags: &Provenance) {
        self.tags
            .extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    }

    /// Attach a level legend (colour table and class names); for u8 level rasters.
    pub fn set_legend(&mut self, legend: LevelLegend) {
        self.legend = Some(legend);
    }

    /// Build the COG and move it onto the destination (a full file system is
    /// [`IoError::NoSpace`] naming the destination).
    pub fn finish(self) -> Result<PathBuf, IoError> {
        let dest = self.dest.clone();
        let (r, messages) = crate::gdal_util::with_gdal_messages(move || self.build());
        r.map_err(|e| crate::gdal_util::no_space(&dest, &messages).unwrap_or(e))
    }

    fn build(mut self) -> Result<PathBuf, IoError> {
        let mut ds = self.ds.take().expect("open until finish");
        for (k, v) in &self.tags {
            ds.set_metadata_item(k, v, "")
                .map_err(IoError::gdal(&self.dest, format!("setting tag {k}")))?;
        }
        let is_u8 = T::datatype() == gdal::raster::GdalDataType::UInt8;
        if let Some(LevelLegend(scheme)) = &self.legend {
            let mut band = ds
                .rasterband(1)
                .map_err(IoError::gdal(&self.dest, "band 1"))?;
            let mut ct = ColorTable::new(PaletteInterpretation::Rgba);
            ct.set_color_entry(0, &ColorEntry::rgba(0, 0, 0, 0));
            for c in scheme.classes() {
                let [r, g, b] = c.rgb;
                ct.set_color_entry(
                    c.code as u16,
                    &ColorEntry::rgba(r.into(), g.into(), b.into(), 255),
                );
            }
            band.set_color_table(&ct);
            // GeoTIFF keeps GDAL category names only in a .aux.xml sidecar, which a
            // COG must not need; class names travel as band metadata in the TIFF's
            // GDAL_METADATA tag instead: LEVEL_SCHEME and CLASS_<code>=<zh> <en>.
            band.set_metadata_item("LEVEL_SCHEME", scheme.id(), "")
                .map_err(IoError::gdal(&self.dest, "setting level scheme"))?;
            band.set_metadata_item("CLASS_0", "无数据 nodata", "")
                .map_err(IoError::gdal(&self.dest, "setting class names"))?;
            for c in scheme.classes() {
                band.set_metadata_item(
                    &format!("CLASS_{}", c.code),
                    &format!("{} {}", c.name_zh, c.name_en),
                    "",
                )
                .map_err(IoError::gdal(&self.dest, "setting class names"))?;
            }
        }
        ds.flush_cache()
            .map_err(IoError::gdal(&self.dest, "flushing"))?;
        let cog = temp_sibling(&self.dest, "cog");
        let resampling = self
            .options
            .overview_resampling
            .clone()
            .unwrap_or_else(|| if is_u8 { "NEAREST" } else { "AVERAGE" }.into());
        let mut opts = vec![
            "COMPRESS=DEFLATE".to_string(),
            format!("LEVEL={}", self.options.deflate_level),
            format!("BLOCKSIZE={}", self.options.block_size),
            "OVERVIEWS=IGNORE_EXISTING".to_string(),
            format!("RESAMPLING={resampling}"),
            "BIGTIFF=IF_SAFER".to_string(),
            format!("NUM_THREADS={}", self.options.compress_threads.max(1)),
        ];
        if !is_u8 {
            opts.push("PREDICTOR=YES".into());
        }
        let drv = DriverManager::get_driver_by_name("COG")
            .map_err(IoError::gdal(&self.dest, "COG driver"))?;
        let copy = ds.create_copy(&drv, &cog, &RasterCreationOptions::from_iter(opts));
        drop(ds);
        let _ = std::fs::remove_file(&self.work);
        let out = match copy {
            Ok(out) => out,
            Err(e) => {
                let _ = std::fs::remove_file(&cog);
                return Err(IoError::gdal(&self.dest, "writing COG")(e));
            }
        };
        if let Err(e) = out.close() {
            let _ = std::fs::remove_file(&cog);
            return Err(IoError::gdal(&self.dest, "closing COG")(e));
        }
        crate::files::rename_into_place(&cog, &self.dest).inspect_err(|_| {
            let _ = std::fs::remove_file(&cog);
        })?;
        Ok(self.dest.clone())
    }
}

impl<T: GdalType + Copy> Drop for CogWriter<T> {
    fn drop(&mut self) {
        if self.ds.take().is_some() {
            // Not finished: nothing may remain that looks like an output.
            let _ = std::fs::remove_file(&self.work);
        }
    }
}

#[cfg(test)]
mod sweep_tests {
    use super::*;

    #[test]
    fn stale_temps_of_dead_processes_are_swept() {
        let d = tempfile::tempdir().unwrap();
        // pid 4294967 cannot exist (above the kernel's pid limit); ours must stay.
        let dead = d.path().join(".hand.tif.partial-4294967-3.tif");
        let ours = temp_sibling(&d.path().join("slope.tif"), "cog");
        let output = d.path().join("hand.tif");
        let other = d.path().join(".gitignore");
        // The journal of a temporary GeoPackage whose writer was killed mid-transaction.
        let journal = d.path().join(".zoning.gpkg.partial-4294967-9.gpkg-journal");
        for p in [&dead, &ours, &output, &other, &journal] {
            std::fs::write(p, b"x").unwrap();
        }
        let removed = sweep_stale_temps(d.path()).unwrap();
        assert_eq!(removed, vec![dead.clone(), journal.clone()]);
        assert!(!dead.exists() && ours.exists() && output.exists() && other.exists());
    }
}
