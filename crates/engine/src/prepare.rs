//! The `prepare` stage: the census layer stack on the census grid.
//!
//! Every raster survey layer is warped onto the census grid (GDAL's warper, the
//! resampling chosen by the layer's kind) and written as a COG
//! `<layers>/<id>.tif` (float32, NaN nodata). Layers are cached by content: the
//! cache key hashes the engine version, the grid, the resampling and the source
//! file's SHA-256, and is stored in the COG's `RISKCENSUS_CACHE_KEY` tag, so a second
//! run with the same inputs reuses the layer and a changed input rebuilds it.
//! Layers are independent and are warped in parallel, one GDAL handle per task.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use riskcensus_io::{digest, warp, RasterReader};

use crate::config::{CensusConfig, RasterKind, RasterSource};
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::provenance::{self, tag};

/// One layer of the stack.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLayer {
    pub id: String,
    pub path: PathBuf,
    pub kind: RasterKind,
    pub units: Option<String>,
    pub source_sha256: String,
    /// True when an up-to-date layer was reused.
    pub cached: bool,
}

/// What `prepare` produced.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareReport {
    pub layers: Vec<PreparedLayer>,
}

impl PrepareReport {
    pub fn layer(&self, id: &str) -> Option<&PreparedLayer> {
        self.layers.iter().find(|l| l.id == id)
    }
}

/// Build (or reuse) every raster layer of `census` under `layers_dir`.
pub fn prepare(
    census: &CensusConfig,
    layers_dir: &Path,
    opts: &ExecOptions,
    progress: &dyn Progress,
) -> Result<PrepareReport, EngineError> {
    std::fs::create_dir_all(layers_dir).map_err(EngineError::fs(layers_dir))?;
    let grid_text = toml::to_string(&census.grid).expect("grid serialises");
    progress.start("prepare: warp survey rasters", census.rasters.len() as u64);
    let layers = opts.install(|| {
        census
            .rasters
            .par_iter()
            .map(|src| {
                let l = prepare_one(census, src, layers_dir, &grid_text);
                progress.advance(1);
                l
            })
            .collect::<Result<Vec<_>, _>>()
    })??;
    progress.finish("prepare: warp survey rasters");
    Ok(PrepareReport { layers })
}

fn prepare_one(
    census: &CensusConfig,
    src: &RasterSource,
    layers_dir: &Path,
    grid_text: &str,
) -> Result<PreparedLayer, EngineError> {
    let src_path = census.source_path(&src.path);
    let resampling = src.resampling().map_err(|msg| EngineError::Layer {
        layer: src.id.clone(),
        msg,
    })?;
    let sha = digest::file_sha256(&src_path)?;
    let key = digest::bytes_sha256(
        format!(
            "engine={}\ngrid={grid_text}\nresampling={}\nkind={:?}\nsource={sha}\n",
            crate::ENGINE_VERSION,
            resampling.name(),
            src.kind
        )
        .as_bytes(),
    );
    let dest = layers_dir.join(format!("{}.tif", src.id));
    let cached = dest.exists()
        && RasterReader::open(&dest, 1)
            .ok()
            .and_then(|r| r.metadata(tag::CACHE_KEY))
            .is_some_and(|k| k == key);
    if !cached {
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), src.id.clone());
        tags.insert(tag::SOURCE.into(), src.path.display().to_string());
        tags.insert(tag::SOURCE_SHA256.into(), sha.clone());
        tags.insert(tag::RESAMPLING.into(), resampling.name().into());
        tags.insert(tag::CACHE_KEY.into(), key);
        if let Some(u) = &src.units {
            tags.insert(tag::UNITS.into(), u.clone());
        }
        warp::warp_to_grid(&src_path, &census.grid, resampling, &dest, &tags)?;
    }
    Ok(PreparedLayer {
        id: src.id.clone(),
        path: dest,
        kind: src.kind,
        units: src.units.clone(),
        source_sha256: sha,
        cached,
    })
}
