//! The flood depth screen's tiled I/O: the stack's HAND layer in, one depth grid per
//! design event out. The science — `depth_T = max(0, h_T − HAND)` and the checked
//! stages of `models/flood/flood_depth.toml` — is
//! [`riskcensus_models::flood::inundation`].
//!
//! Writes `flood_depth_<T>y.tif` (float32 metres; NaN where HAND is nodata), tagged
//! with the screen's model id, parameter hash and stage.

use std::path::{Path, PathBuf};

use ndarray::{ArrayView2, ArrayViewMut2};
use riskcensus_core::{GridSpec, Tile};
use riskcensus_io::cog::{CogOptions, CogWriter};
use riskcensus_models::flood::inundation::{inundate, DepthScreen};

use crate::error::EngineError;
use crate::executor::{run_tiled, ExecOptions, TileKernel};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;

pub use riskcensus_models::flood::inundation::PATH;

/// The screen of a census's model library (`flood/flood_depth.toml`).
pub fn load(library: &riskcensus_models::Library) -> Result<DepthScreen, EngineError> {
    let f = library.require(PATH)?;
    Ok(DepthScreen::from_toml(&f.text, &f.origin)?)
}

struct Depths(Vec<f32>);

impl TileKernel for Depths {
    fn outputs(&self) -> usize {
        self.0.len()
    }

    fn run(&self, tile: &Tile, inputs: &[ArrayView2<f32>], outputs: &mut [ArrayViewMut2<f32>]) {
        let core = tile.core_in_read();
        let hand = inputs[0].slice(ndarray::s![
            core.row_off..core.row_end(),
            core.col_off..core.col_end()
        ]);
        for (out, &stage) in outputs.iter_mut().zip(&self.0) {
            inundate(stage, hand, out.view_mut());
        }
    }
}

/// Run the screen on the stack's HAND layer; returns (layer id, path) per period.
pub fn flood_depths(
    grid: &GridSpec,
    stack: &mut LayerStack,
    screen: &DepthScreen,
    out: &Path,
    exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<Vec<(String, PathBuf)>, EngineError> {
    let hand = stack
        .get(screen.input())
        .filter(|l| l.unit == "m")
        .ok_or_else(|| EngineError::NeedsLayer {
            needed_by: format!("flood depth screen {}", screen.id()),
            layer: screen.input().to_string(),
            unit: Some("m"),
            hint: Some("run prepare with a DEM"),
        })?
        .path
        .clone();
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", screen.id(), screen.version()),
    );
    tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(screen));
    tags.insert(tag::UNITS.into(), "m".into());
    let mut layers = Vec::new();
    let mut writers = Vec::new();
    for st in screen.stages() {
        let (t, h) = (st.return_period_years, st.stage_m);
        let id = DepthScreen::layer_id(t);
        let path = out.join(format!("{id}.tif"));
        let mut w = CogWriter::<f32>::create(&path, grid, Some(f64::NAN), CogOptions::default())?;
        let mut tt = tags.clone();
        tt.insert(tag::LAYER.into(), id.clone());
        tt.insert("RISKCENSUS_STAGE_M".into(), format!("{h}"));
        w.set_tags(&tt);
        writers.push(w);
        layers.push((id, path));
    }
    let kernel = Depths(screen.stages().iter().map(|s| s.stage_m as f32).collect());
    run_tiled(
        grid,
        &[hand],
        &kernel,
        writers,
        exec,
        progress,
        "assess: flood depth screen",
    )?;
    for (id, p) in &layers {
        stack.insert(id.clone(), p.clone(), "m");
    }
    Ok(layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kernel_writes_one_depth_per_stage_on_the_tile_core() {
        // Hand calculation: stages 1.5 and 2.5 m; HAND 0 → 1.5 / 2.5, 1.0 → 0.5 / 1.5,
        // 2.0 → 0 / 0.5, NaN → NaN.
        let hand = ndarray::arr2(&[[0.0f32, 1.0], [2.0, f32::NAN]]);
        let tile = riskcensus_core::TilePlan::new(2, 2, 8, 0).tile(0).unwrap();
        let mut a = ndarray::Array2::<f32>::zeros((2, 2));
        let mut b = ndarray::Array2::<f32>::zeros((2, 2));
        Depths(vec![1.5, 2.5]).run(&tile, &[hand.view()], &mut [a.view_mut(), b.view_mut()]);
        assert_eq!(
            a.iter().take(3).copied().collect::<Vec<_>>(),
            [1.5, 0.5, 0.0]
        );
        assert_eq!(
            b.iter().take(3).copied().collect::<Vec<_>>(),
            [2.5, 1.5, 0.5]
        );
        assert!(a[(1, 1)].is_nan() && b[(1, 1)].is_nan());
    }
}
