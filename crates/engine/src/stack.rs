//! The census layer stack: every layer a stage may read (prepared survey layers,
//! terrain and hydrology derivatives, distances, exposure grids, and the outputs of
//! the stages that ran before), by layer id, with its file and unit. All layers lie
//! on the census grid (float32 COGs, NaN nodata; level grids u8, 0 nodata).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::EngineError;

/// A layer of the census stack: file and unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackLayer {
    /// The layer's file (a COG on the census grid).
    pub path: PathBuf,
    /// The layer's unit as models declare it (`m`, `index`, `level`, `class`, …);
    /// checked against what a model or stage expects.
    pub unit: String,
}

/// The census layer stack: layer id → file and unit. All layers share the grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LayerStack {
    /// Layer id → file and unit, in id order.
    pub layers: BTreeMap<String, StackLayer>,
}

impl LayerStack {
    /// Add layer `id` with its file and unit, replacing any layer of that id.
    pub fn insert(
        &mut self,
        id: impl Into<String>,
        path: impl Into<PathBuf>,
        unit: impl Into<String>,
    ) {
        self.layers.insert(
            id.into(),
            StackLayer {
                path: path.into(),
                unit: unit.into(),
            },
        );
    }

    /// The layer `id`, if the stack has it.
    pub fn get(&self, id: &str) -> Option<&StackLayer> {
        self.layers.get(id)
    }

    /// Read layer `id` over the whole census `grid` (row-major f32, NaN nodata),
    /// checking that the stack has it, that it declares `unit` (when given) and that
    /// it lies on the census lattice. Errors name the layer and `needed_by` (the stage
    /// or file that asks for it).
    pub fn read_grid(
        &self,
        id: &str,
        unit: Option<&str>,
        grid: &riskcensus_core::GridSpec,
        needed_by: &str,
    ) -> Result<ndarray::Array2<f32>, EngineError> {
        let l = self.get(id).ok_or_else(|| EngineError::NeedsLayer {
            needed_by: needed_by.into(),
            layer: id.into(),
            unit: None,
            hint: None,
        })?;
        if let Some(unit) = unit {
            if l.unit != unit {
                return Err(EngineError::LayerUnit {
                    layer: id.into(),
                    needed_by: needed_by.into(),
                    found: l.unit.clone(),
                    expected: unit.into(),
                });
            }
        }
        read_on_grid(&l.path, grid)
    }
}

/// The cells of a grid read by [`LayerStack::read_grid`] or [`read_on_grid`] as a
/// row-major vector (no copy for the standard layout those return).
pub fn row_major(a: ndarray::Array2<f32>) -> Vec<f32> {
    if a.is_standard_layout() {
        let (v, offset) = a.into_raw_vec_and_offset();
        debug_assert_eq!(offset.unwrap_or(0), 0);
        v
    } else {
        a.iter().copied().collect()
    }
}

/// Read band 1 of `path` over the whole census `grid`; an error if the raster is not
/// on the census lattice.
pub fn read_on_grid(
    path: &Path,
    grid: &riskcensus_core::GridSpec,
) -> Result<ndarray::Array2<f32>, EngineError> {
    let r = riskcensus_io::RasterReader::open(path, 1)?;
    let g = r.info().grid()?;
    if !g.same_lattice(grid) || g.rows != grid.rows || g.cols != grid.cols {
        return Err(EngineError::OffGrid {
            path: path.to_path_buf(),
            detail: String::new(),
        });
    }
    Ok(r.read_f32(grid.full_window())?)
}
