//! The distance stage: distance in metres from every cell to the nearest feature of a
//! vector survey layer (rivers, faults, roads, settlements, shelters …).
//!
//! Features are reprojected to the census CRS and rasterized with the all-touched
//! rule (a line burns every cell it crosses; a point its cell), then the exact
//! Euclidean distance transform (Felzenszwalb & Huttenlocher 2012) measures from cell
//! centre to the nearest burnt cell centre. Only features inside the grid are seen: a
//! feature just outside the study area does not shorten distances (pad the grid if
//! that matters). A layer with no feature inside the grid gives +∞ everywhere.
//! Outputs are `dist_<id>.tif` (float32 metres), cached by the source file's digest.
//!
//! A `[[table]]` source with coordinates (`x`, `y`) and a census `kind` — shelters or
//! rescue stations delivered as a spreadsheet, the usual case — gets its distance
//! layer too ([`table_distance_layer`]): to every point of that census table as the
//! database holds it (reprojected at ingest, GCJ-02 and BD-09 corrected), each
//! point burning its cell, cached by the digest of the points.

use std::path::{Path, PathBuf};

use riskcensus_io::digest;
use riskcensus_io::rasterize::{rasterize, RasterizeSpec};
use riskcensus_kernels::distance::euclidean_distance;
use riskcensus_kernels::CellSize;

use crate::config::{CensusConfig, GeometryKind, TableSource, VectorSource};
use crate::error::EngineError;
use crate::output::{is_cached, write_array as write_cog};
use crate::provenance::{self, tag};

/// One distance layer.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceLayer {
    /// Layer id, `dist_<source id>`.
    pub id: String,
    /// The vector source's id in `census.toml`.
    pub source: String,
    /// `dist_<id>.tif`: distance in metres from each cell centre to the nearest
    /// burnt cell centre (float32 on the census grid; +∞ everywhere when no feature
    /// lies inside the grid).
    pub path: PathBuf,
    /// True when an up-to-date layer was reused.
    pub cached: bool,
    /// Cells burnt by the source's features (0 when the layer was reused: a cached
    /// layer is not rasterized again).
    pub feature_cells: usize,
}

/// The vector sources that get a distance layer: lines and points.
pub fn distance_sources(census: &CensusConfig) -> impl Iterator<Item = &VectorSource> {
    census
        .vectors
        .iter()
        .filter(|v| matches!(v.geometry, GeometryKind::Line | GeometryKind::Point))
}

/// The table sources that get a distance layer: points (`x` and `y` given) loaded
/// into a census table (`kind`).
pub fn table_distance_sources(census: &CensusConfig) -> impl Iterator<Item = &TableSource> {
    census.tables.iter().filter(|t| {
        t.x.is_some()
            && t.y.is_some()
            && t.kind
                .as_deref()
                .is_some_and(|k| k != riskcensus_contracts::census_toml::REFERENCE_KIND)
    })
}

/// Build (or reuse) `dist_<id>.tif` for one table source: the distance to every
/// point of its census table (`kind`).
pub fn table_distance_layer(
    census: &CensusConfig,
    src: &TableSource,
    out: &Path,
    cog: &riskcensus_io::CogOptions,
) -> Result<DistanceLayer, EngineError> {
    let kind = src.kind.as_deref().unwrap_or_default();
    let grid = &census.grid;
    let mut features = ndarray::Array2::<bool>::from_elem((grid.rows, grid.cols), false);
    let mut coords = Vec::new();
    if census
        .dir
        .join(riskcensus_contracts::layout::CENSUS_DB)
        .exists()
    {
        let db = crate::ingest::Census::open(&census.dir)?;
        for f in db.query(kind, &crate::ingest::Query::default())? {
            if let Some(geo_types::Geometry::Point(p)) = f.geometry {
                coords.extend_from_slice(&p.x().to_le_bytes());
                coords.extend_from_slice(&p.y().to_le_bytes());
                if let Some(cell) = grid.cell_of(p.x(), p.y()) {
                    features[cell] = true;
                }
            }
        }
    }
    let sha = digest::bytes_sha256(&coords);
    let grid_text = toml::to_string(grid).expect("grid serialises");
    let key = digest::bytes_sha256(
        format!(
            "engine={}\ngrid={grid_text}\ntable={kind}\npoints={sha}\nrule=point_cell\n",
            crate::ENGINE_VERSION
        )
        .as_bytes(),
    );
    let source = format!("census.gpkg:{kind} (source {})", src.path.display());
    measure_or_reuse(
        census,
        &src.id,
        key,
        vec![(tag::SOURCE, source)],
        out,
        cog,
        || Ok(features),
    )
}

/// The one way a distance layer is made: reuse `dist_<source>.tif` when it carries
/// `key`, else measure from the cells `burn` marks and write it with `tags`
/// (besides the cache key and unit).
fn measure_or_reuse(
    census: &CensusConfig,
    source: &str,
    key: String,
    tags: Vec<(&str, String)>,
    out: &Path,
    cog: &riskcensus_io::CogOptions,
    burn: impl FnOnce() -> Result<ndarray::Array2<bool>, EngineError>,
) -> Result<DistanceLayer, EngineError> {
    let id = format!("dist_{source}");
    let dest = out.join(format!("{id}.tif"));
    if is_cached(&dest, &key) {
        return Ok(DistanceLayer {
            id,
            source: source.to_string(),
            path: dest,
            cached: true,
            feature_cells: 0,
        });
    }
    let features = burn()?;
    let feature_cells = features.iter().filter(|b| **b).count();
    let kernel = |source| EngineError::Kernel {
        layer: id.clone(),
        source,
    };
    let cell = CellSize::new(census.grid.cell_size).map_err(kernel)?;
    let d = euclidean_distance(features.view(), cell, None).map_err(kernel)?;
    let mut t = provenance::base();
    for (k, v) in tags {
        t.insert(k.into(), v);
    }
    t.insert(tag::CACHE_KEY.into(), key);
    t.insert(tag::UNITS.into(), "m".into());
    write_cog(out, &id, &census.grid, d.view(), Some(f64::NAN), &t, cog)?;
    Ok(DistanceLayer {
        id,
        source: source.to_string(),
        path: dest,
        cached: false,
        feature_cells,
    })
}

/// Build (or reuse) `dist_<id>.tif` for one vector source.
pub fn distance_layer(
    census: &CensusConfig,
    src: &VectorSource,
    out: &Path,
    cog: &riskcensus_io::CogOptions,
) -> Result<DistanceLayer, EngineError> {
    let path = census.source_path(&src.path);
    let sha = digest::file_sha256(&path)?;
    let grid_text = toml::to_string(&census.grid).expect("grid serialises");
    let key = digest::bytes_sha256(
        format!(
            "engine={}\ngrid={grid_text}\nlayer={:?}\nsource={sha}\nrule=all_touched\n",
            crate::ENGINE_VERSION,
            src.layer
        )
        .as_bytes(),
    );
    let tags = vec![
        (tag::SOURCE, src.path.display().to_string()),
        (tag::SOURCE_SHA256, sha),
    ];
    measure_or_reuse(census, &src.id, key, tags, out, cog, || {
        let mask = rasterize(
            &path,
            &census.grid,
            &RasterizeSpec::mask(src.layer.as_deref(), true),
        )?;
        Ok(mask.mapv(|v| v != 0.0))
    })
}
