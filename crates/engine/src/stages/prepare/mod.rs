//! The `prepare` stage: the census layer stack on the census grid.
//!
//! Every raster survey layer is warped onto the census grid (GDAL's warper, the
//! resampling chosen by the layer's kind) and written as a COG
//! `<layers>/<id>.tif` (float32, NaN nodata). Layers are cached by content: the
//! cache key hashes the engine version, the grid, the resampling and the source
//! file's SHA-256, and is stored in the COG's `RISKCENSUS_CACHE_KEY` tag, so a second
//! run with the same inputs reuses the layer and a changed input rebuilds it.
//! Layers are independent and are warped in parallel, one GDAL handle per task.
//!
//! Then, from the warped `dem` layer (if the census has one), the [`terrain`](mod@terrain)
//! step writes slope, aspect, curvature, relief, hillshade and the hydrology layers
//! (filled DEM, D8, accumulation, streams, HAND, TWI) beside it, and every line or
//! point vector source gets a [`distance`] layer `dist_<id>.tif`. From the census
//! database come the building [`exposure`] grids and, with the `population` layer,
//! the shelter accessibility grid ([`shelter`]; the 2SFCA itself is
//! [`riskcensus_models::capacity`]).

pub mod distance;
pub mod exposure;
pub mod shelter;
pub mod terrain;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use riskcensus_io::{digest, warp, RasterReader};

use riskcensus_io::CogOptions;

use crate::config::{CensusConfig, RasterKind, RasterSource};
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stages::prepare::distance::{
    distance_layer, distance_sources, table_distance_layer, table_distance_sources, DistanceLayer,
};
use crate::stages::prepare::terrain::{terrain, TerrainOptions, TerrainReport};

/// One layer of the stack.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLayer {
    /// Layer id: the raster source's id, or `<id>_per_km2` for a density.
    pub id: String,
    /// The COG on the census grid, `<layers>/<id>.tif` (float32, NaN nodata).
    pub path: PathBuf,
    /// How the source resampled (a density is continuous).
    pub kind: RasterKind,
    /// The units `census.toml` declares (`<units>/km2` for a density), if any.
    pub units: Option<String>,
    /// SHA-256 (hex) of the source file (for a density, of its count layer's source).
    pub source_sha256: String,
    /// True when an up-to-date layer was reused.
    pub cached: bool,
}

/// What `prepare` produced.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareReport {
    /// Survey rasters warped onto the grid.
    pub layers: Vec<PreparedLayer>,
    /// Densities per km² of the count layers (`<id>_per_km2`).
    pub densities: Vec<PreparedLayer>,
    /// Terrain and hydrology derivatives of the `dem` layer, if any.
    pub terrain: Option<TerrainReport>,
    /// Distance layers of line and point vector sources.
    pub distances: Vec<DistanceLayer>,
    /// Building exposure grids from the census database, when it has buildings.
    pub exposure: Vec<crate::stages::prepare::exposure::ExposureLayer>,
}

impl PrepareReport {
    /// The warped survey raster `id`, if there is one (densities not included).
    pub fn layer(&self, id: &str) -> Option<&PreparedLayer> {
        self.layers.iter().find(|l| l.id == id)
    }

    /// The layer stack with units, for the model library: warped rasters with the
    /// units `census.toml` declares, terrain layers and distances with theirs.
    pub fn stack(&self) -> crate::stack::LayerStack {
        let mut st = crate::stack::LayerStack::default();
        for l in self.layers.iter().chain(&self.densities) {
            st.insert(
                l.id.clone(),
                l.path.clone(),
                l.units.clone().unwrap_or_default(),
            );
        }
        if let Some(t) = &self.terrain {
            for (id, p) in &t.layers {
                st.insert(
                    id.clone(),
                    p.clone(),
                    crate::stages::prepare::terrain::unit_of(id),
                );
            }
        }
        for d in &self.distances {
            st.insert(d.id.clone(), d.path.clone(), "m");
        }
        for e in &self.exposure {
            st.insert(e.id.clone(), e.path.clone(), e.unit.clone());
        }
        st
    }

    /// Every layer of the stack: (id, path, reused from cache).
    pub fn all_layers(&self) -> Vec<(String, PathBuf, bool)> {
        let mut v: Vec<_> = self
            .layers
            .iter()
            .chain(&self.densities)
            .map(|l| (l.id.clone(), l.path.clone(), l.cached))
            .collect();
        if let Some(t) = &self.terrain {
            v.extend(
                t.layers
                    .iter()
                    .map(|(id, p)| (id.clone(), p.clone(), t.cached)),
            );
        }
        v.extend(
            self.distances
                .iter()
                .map(|d| (d.id.clone(), d.path.clone(), d.cached)),
        );
        v.extend(
            self.exposure
                .iter()
                .map(|e| (e.id.clone(), e.path.clone(), e.cached)),
        );
        v
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

    // Counts per cell depend on the cell size; models read densities per km².
    let mut densities = Vec::new();
    for l in layers.iter().filter(|l| l.kind == RasterKind::Count) {
        densities.push(density_layer(census, l, layers_dir, opts, progress)?);
    }

    let terrain = match layers.iter().find(|l| l.id == "dem") {
        Some(dem) => Some(terrain(
            &dem.path,
            layers_dir,
            &TerrainOptions::default(),
            opts,
            progress,
        )?),
        None => None,
    };

    let sources: Vec<_> = distance_sources(census).collect();
    let cog = CogOptions::default();
    progress.start("prepare: distances", sources.len() as u64);
    let distances = opts.install(|| {
        sources
            .par_iter()
            .map(|src| {
                let d = distance_layer(census, src, layers_dir, &cog);
                progress.advance(1);
                d
            })
            .collect::<Result<Vec<_>, _>>()
    })??;
    progress.finish("prepare: distances");
    // Point tables read the census database: one after another.
    let mut distances = distances;
    for src in table_distance_sources(census) {
        distances.push(table_distance_layer(census, src, layers_dir, &cog)?);
    }
    let mut exposure = crate::stages::prepare::exposure::building_grids(census, layers_dir)?;
    if let Some(pop) = layers.iter().find(|l| l.id == "population") {
        if let Some((id, path, cached)) =
            crate::stages::prepare::shelter::shelter_grid(census, &pop.path, layers_dir)?
        {
            exposure.push(crate::stages::prepare::exposure::ExposureLayer {
                id,
                path,
                unit: "places/person".into(),
                cached,
            });
        }
    }
    Ok(PrepareReport {
        layers,
        densities,
        terrain,
        distances,
        exposure,
    })
}

/// `<id>_per_km2.tif` from a count layer: count / cell area in km², cached by the
/// count layer's source digest and the cell size.
fn density_layer(
    census: &CensusConfig,
    l: &PreparedLayer,
    dir: &Path,
    opts: &ExecOptions,
    progress: &dyn Progress,
) -> Result<PreparedLayer, EngineError> {
    let id = format!("{}_per_km2", l.id);
    let dest = dir.join(format!("{id}.tif"));
    let km2 = census.grid.cell_area() / 1.0e6;
    let key = digest::bytes_sha256(
        format!(
            "engine={}\nsource={}\ncell_km2={km2}\n",
            crate::ENGINE_VERSION,
            l.source_sha256
        )
        .as_bytes(),
    );
    let units = l.units.as_ref().map(|u| format!("{u}/km2"));
    let cached = crate::output::is_cached(&dest, &key);
    if !cached {
        let mut tags = provenance::base();
        tags.insert(tag::LAYER.into(), id.clone());
        // The layer's id, not its path: outputs must not depend on where they live.
        tags.insert(tag::SOURCE.into(), l.id.clone());
        tags.insert(tag::SOURCE_SHA256.into(), l.source_sha256.clone());
        tags.insert(tag::CACHE_KEY.into(), key);
        if let Some(u) = &units {
            tags.insert(tag::UNITS.into(), u.clone());
        }
        let mut w = riskcensus_io::CogWriter::<f32>::create(
            &dest,
            &census.grid,
            Some(f64::NAN),
            CogOptions::default(),
        )?;
        w.set_tags(&tags);
        let inv = (1.0 / km2) as f32;
        let kernel = crate::executor::PerCell(move |v: &[f32]| v[0] * inv);
        crate::executor::run_tiled(
            &census.grid,
            std::slice::from_ref(&l.path),
            &kernel,
            vec![w],
            opts,
            progress,
            &format!("prepare: {id}"),
        )?;
    }
    Ok(PreparedLayer {
        id,
        path: dest,
        kind: RasterKind::Continuous,
        units,
        source_sha256: l.source_sha256.clone(),
        cached,
    })
}

fn prepare_one(
    census: &CensusConfig,
    src: &RasterSource,
    layers_dir: &Path,
    grid_text: &str,
) -> Result<PreparedLayer, EngineError> {
    let src_path = census.source_path(&src.path);
    let resampling =
        crate::config::resampling_of(src).map_err(|source| EngineError::Resampling {
            layer: src.id.clone(),
            source,
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

/// The prepare stage's id.
pub const ID: &str = "prepare";

/// The prepare stage: the layer stack of the census in `<run>/layers`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PrepareStage;

impl crate::stage::Stage for PrepareStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs::default())
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec![
                "<raster id>",
                "<count raster id>_per_km2",
                "slope_deg, aspect_deg, hillshade, curvature, relief, tri",
                "filled, d8, accumulation, streams, hand, twi",
                "dist_<line or point source id>",
                "buildings_count, buildings_occupants, buildings_value, buildings_value_per_km2",
                "shelter_places_per_person",
            ],
            files: Vec::new(),
        }
    }

    fn folder(&self) -> crate::stage::Folder {
        crate::stage::Folder::Layers
    }

    /// The warped rasters (and densities of count rasters), the terrain layers of a
    /// `dem`, a distance layer per line or point source, the building grids when
    /// the census has buildings, and the shelter grid when it also has a population
    /// raster and shelters.
    fn plans(&self, cx: &crate::stage::Context<'_>) -> Result<Vec<String>, EngineError> {
        use riskcensus_contracts::tables::census as t;
        let c = cx.census;
        let mut out: Vec<String> = Vec::new();
        for r in &c.rasters {
            out.push(r.id.clone());
            if r.kind == RasterKind::Count {
                out.push(format!("{}_per_km2", r.id));
            }
        }
        if c.rasters.iter().any(|r| r.id == "dem") {
            out.extend(
                terrain::FOCAL_LAYERS
                    .iter()
                    .chain(&terrain::HYDRO_LAYERS)
                    .filter(|l| **l != "slope_for_twi")
                    .map(|l| l.to_string()),
            );
        }
        out.extend(distance_sources(c).map(|v| format!("dist_{}", v.id)));
        out.extend(table_distance_sources(c).map(|t| format!("dist_{}", t.id)));
        if crate::plan::will_have_records(cx, t::BUILDINGS)? {
            out.extend(exposure::LAYER_IDS.iter().map(|l| l.to_string()));
        }
        if c.rasters.iter().any(|r| r.id == "population")
            && crate::plan::will_have_records(cx, t::SHELTERS)?
        {
            out.push(shelter::LAYER_ID.to_string());
        }
        Ok(out)
    }

    fn selected(&self, _filter: &[String]) -> bool {
        true
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let report = prepare(cx.census, &cx.layout.layers(), cx.exec, cx.progress)?;
        cx.stack = report.stack();
        let summary = serde_json::json!({
            "layers": report
                .all_layers()
                .iter()
                .map(|(id, p, c)| serde_json::json!({"id": id, "path": p, "cached": c}))
                .collect::<Vec<_>>(),
        });
        Ok(crate::stage::StageOutcome {
            summary,
            details: Some(std::sync::Arc::new(report)),
            ..Default::default()
        })
    }
}
