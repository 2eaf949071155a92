//! The HAND inundation screen: flood depth per return period from the height above
//! nearest drainage, `depth_T = max(0, h_T − HAND)` (Nobre et al. 2016; Zheng et al.
//! 2018), with the stages h_T (metres above drainage) from `models/flood_depth.toml`.
//! The file is validated once: operator name, at least one stage, return periods and
//! stages strictly ascending, stages > 0, sources cited.
//! Writes `flood_depth_<T>y.tif` (float32 metres; NaN where HAND is nodata).

use std::path::{Path, PathBuf};

use ndarray::{ArrayView2, ArrayViewMut2};
use riskcensus_core::{GridSpec, Tile};
use riskcensus_io::cog::{CogOptions, CogWriter};
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::executor::{run_tiled, ExecOptions, TileKernel};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;

/// The depth screen's parameter file in the model library.
pub const PATH: &str = "flood/flood_depth.toml";

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    riskcensus_models::library::shipped_text(PATH)
}

/// `models/flood_depth.toml`, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthScreen {
    pub id: String,
    pub version: String,
    pub operator: String,
    pub input: String,
    pub sources: Vec<String>,
    /// Return period (years) and stage above drainage (m), ascending.
    pub stages: Vec<Stage>,
}

/// One design stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub return_period_years: u32,
    pub stage_m: f64,
}

impl DepthScreen {
    /// Parse and validate (`origin` names the file in errors).
    pub fn parse(text: &str, origin: &Path) -> Result<Self, EngineError> {
        let err = |msg: String| EngineError::Config {
            path: origin.to_path_buf(),
            msg,
        };
        let s: DepthScreen =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        if s.operator != "hand_inundation" {
            return Err(err(format!(
                "operator {:?}: only \"hand_inundation\" is known",
                s.operator
            )));
        }
        if s.stages.is_empty() {
            return Err(err("stages: at least one return period is needed".into()));
        }
        let (mut last_t, mut last_h) = (0u32, 0.0);
        for (i, st) in s.stages.iter().enumerate() {
            let (t, h) = (st.return_period_years, st.stage_m);
            if !(h.is_finite() && h > 0.0) || t == 0 {
                return Err(err(format!("stages[{i}]: return period {t} years, stage {h} m: periods are ≥ 1 year and stages > 0 m")));
            }
            if t <= last_t || h < last_h {
                return Err(err(format!(
                    "stages[{i}]: {t} years at {h} m must follow {last_t} years at {last_h} m in ascending order, with a stage no lower"
                )));
            }
            (last_t, last_h) = (t, h);
        }
        if s.sources.is_empty() {
            return Err(err("sources: cite at least one".into()));
        }
        Ok(s)
    }

    pub fn builtin() -> Self {
        Self::parse(builtin_text(), Path::new("models/flood/flood_depth.toml"))
            .expect("built-in screen is valid")
    }

    /// Output layer id for a return period.
    pub fn layer_id(t: u32) -> String {
        format!("flood_depth_{t}y")
    }
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
            out.zip_mut_with(&hand, |o, &h| {
                *o = if h.is_nan() {
                    f32::NAN
                } else {
                    (stage - h).max(0.0)
                }
            });
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
        .get(&screen.input)
        .filter(|l| l.unit == "m")
        .ok_or_else(|| EngineError::Layer {
            layer: screen.id.clone(),
            msg: format!(
                "needs the layer {:?} in metres (run prepare with a DEM)",
                screen.input
            ),
        })?
        .path
        .clone();
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", screen.id, screen.version),
    );
    tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(screen));
    tags.insert(tag::UNITS.into(), "m".into());
    let mut layers = Vec::new();
    let mut writers = Vec::new();
    for st in &screen.stages {
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
    let kernel = Depths(screen.stages.iter().map(|s| s.stage_m as f32).collect());
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
    fn builtin_screen_parses_and_bad_files_are_named() {
        let s = DepthScreen::builtin();
        assert_eq!(s.stages.len(), 3);
        let p = Path::new("models/flood_depth.toml");
        let e = DepthScreen::parse(&builtin_text().replace("stage_m = 2.5", "stage_m = 1.0"), p)
            .unwrap_err();
        assert!(
            e.to_string().contains("stages[1]") && e.to_string().contains("flood_depth.toml"),
            "{e}"
        );
        let e = DepthScreen::parse(
            &builtin_text().replace("operator = \"hand_inundation\"", "operator = \"bathtub\""),
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("bathtub"), "{e}");
        let e = DepthScreen::parse(
            &builtin_text().replace("input = \"hand\"", "input = \"hand\"\ncolour = 1"),
            p,
        )
        .unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn depth_is_stage_minus_hand_clamped_at_zero() {
        // Hand calculation: stage 2.5 m; HAND 0 → 2.5, 1.0 → 1.5, 2.5 → 0, 7 → 0, NaN → NaN.
        let hand = ndarray::arr2(&[[0.0f32, 1.0, 2.5], [7.0, f32::NAN, 0.5]]);
        let tile = riskcensus_core::TilePlan::new(2, 3, 8, 0).tile(0).unwrap();
        let mut out = ndarray::Array2::<f32>::zeros((2, 3));
        Depths(vec![2.5]).run(&tile, &[hand.view()], &mut [out.view_mut()]);
        assert_eq!(out.row(0).to_vec(), vec![2.5, 1.5, 0.0]);
        assert_eq!(out[(1, 0)], 0.0);
        assert!(out[(1, 1)].is_nan());
        assert_eq!(out[(1, 2)], 2.0);
    }
}
