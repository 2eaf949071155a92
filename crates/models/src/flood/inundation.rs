//! The HAND inundation screen (洪水淹没水深): the flood depth of each design event
//! from the height above nearest drainage (HAND),
//!
//! ```text
//! depth_T = max(0, h_T − HAND)
//! ```
//!
//! where h_T is the water stage (metres above the drainage network) of return period
//! T: every cell lower above its drainage than the stage is flooded by the
//! difference (Nobre et al. 2016, HAND contour as a proxy of inundation extent; Zheng
//! et al. 2018, stages from synthetic rating curves on HAND). Depths are metres
//! above ground; a cell whose HAND is nodata (NaN) stays nodata.
//!
//! The stages come from `models/flood/flood_depth.toml`, checked once by
//! [`DepthScreenSpec::check`]: the operator is `hand_inundation`, at least one
//! stage, return periods ≥ 1 year and strictly ascending, stages finite, > 0 m and
//! never lower than the stage of a more frequent event, sources cited.

use std::path::{Path, PathBuf};

use ndarray::{ArrayView2, ArrayViewMut2};
use serde::{Deserialize, Serialize};

use super::{at, k, parse_toml, Checker};
use crate::error::ModelError;

/// The depth screen's parameter file in the model library.
pub const PATH: &str = "flood/flood_depth.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "hand_inundation";

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    crate::library::shipped_text(PATH)
}

/// One design event: its return period and its stage above drainage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignStage {
    /// Return period T, years (≥ 1).
    pub return_period_years: u32,
    /// Water stage h_T, metres above the drainage network (> 0).
    pub stage_m: f64,
}

/// `models/flood/flood_depth.toml` as written (unknown keys refused), not yet
/// checked; [`DepthScreenSpec::check`] turns it into a [`DepthScreen`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthScreenSpec {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version, recorded with the outputs.
    pub version: String,
    /// The built-in operator that reads the file: [`OPERATOR`].
    pub operator: String,
    /// Layer id of the HAND grid in the layer stack (metres).
    pub input: String,
    /// References to the method's sources (at least one).
    pub sources: Vec<String>,
    /// Design events, ascending by return period.
    pub stages: Vec<DesignStage>,
    /// The flood-control standard of the protected area, years (0 = none):
    /// events up to it are held by the defences and damage nothing.
    pub protection_years: u32,
    #[serde(skip)]
    origin: PathBuf,
    #[serde(skip)]
    text: String,
}

impl DepthScreenSpec {
    /// Parse the file's text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin = origin.as_ref();
        let mut spec: DepthScreenSpec = parse_toml(text, origin)?;
        spec.origin = origin.to_path_buf();
        spec.text = text.to_string();
        Ok(spec)
    }

    /// Validate everything and build the [`DepthScreen`]; every problem is reported,
    /// each with its line and key.
    pub fn check(&self) -> Result<DepthScreen, ModelError> {
        let mut c = Checker::new(&self.text);
        c.operator(&self.operator, OPERATOR);
        if self.stages.is_empty() {
            c.err(&[k("stages")], "at least one return period is needed");
        }
        let (mut last_t, mut last_h) = (0u32, 0.0);
        for (i, st) in self.stages.iter().enumerate() {
            let (t, h) = (st.return_period_years, st.stage_m);
            if !(h.is_finite() && h > 0.0) || t == 0 {
                c.err(
                    &at("stages", i),
                    format!("return period {t} years, stage {h} m: periods are ≥ 1 year and stages > 0 m"),
                );
            } else if i > 0 && (t <= last_t || h < last_h) {
                c.err(
                    &at("stages", i),
                    format!("{t} years at {h} m must follow {last_t} years at {last_h} m in ascending order, with a stage no lower"),
                );
            }
            (last_t, last_h) = (t, h);
        }
        c.sources(&self.sources);
        c.finish(
            &self.origin,
            DepthScreen {
                id: self.id.clone(),
                version: self.version.clone(),
                operator: self.operator.clone(),
                input: self.input.clone(),
                sources: self.sources.clone(),
                stages: self.stages.clone(),
                protection_years: self.protection_years,
            },
        )
    }
}

/// The validated depth screen: what [`DepthScreenSpec::check`] returns. Its JSON
/// serialisation is the screen's parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthScreen {
    id: String,
    version: String,
    operator: String,
    input: String,
    sources: Vec<String>,
    stages: Vec<DesignStage>,
    protection_years: u32,
}

impl DepthScreen {
    /// Parse and check the file's text; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        DepthScreenSpec::parse(text, origin)?.check()
    }

    /// The shipped screen (`models/flood/flood_depth.toml`).
    pub fn builtin() -> Self {
        Self::from_toml(builtin_text(), Path::new("models").join(PATH))
            .expect("the shipped depth screen is valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Layer id of the HAND grid (metres) the screen reads.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// References to the method's sources.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The design events, ascending by return period (at least one).
    pub fn stages(&self) -> &[DesignStage] {
        &self.stages
    }

    /// The flood-control standard (years, 0 = none): events of return period up to
    /// it damage nothing (the depth grids still map them as hazard).
    pub fn protection_years(&self) -> u32 {
        self.protection_years
    }

    /// True when the defences hold the event of return period `t` years.
    pub fn protected(&self, t: u32) -> bool {
        t <= self.protection_years
    }

    /// Output layer id of the depth of return period `t` years: `flood_depth_<t>y`.
    pub fn layer_id(t: u32) -> String {
        format!("flood_depth_{t}y")
    }
}

/// Depth (m) of a cell at HAND `hand_m` (m) under the stage `stage_m` (m above
/// drainage): max(0, h − HAND); NaN HAND (nodata) gives NaN.
#[inline]
pub fn depth(stage_m: f32, hand_m: f32) -> f32 {
    if hand_m.is_nan() {
        f32::NAN
    } else {
        (stage_m - hand_m).max(0.0)
    }
}

/// [`depth`] of every cell of `hand` into `out` (same shape; a tile's core).
///
/// # Panics
/// When the shapes differ.
pub fn inundate(stage_m: f32, hand: ArrayView2<f32>, mut out: ArrayViewMut2<f32>) {
    out.zip_mut_with(&hand, |o, &h| *o = depth(stage_m, h));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DepthScreen, ModelError> {
        DepthScreen::from_toml(text, "models/flood/flood_depth.toml")
    }

    #[test]
    fn builtin_screen_parses() {
        let s = DepthScreen::builtin();
        let periods: Vec<u32> = s.stages().iter().map(|s| s.return_period_years).collect();
        assert_eq!(periods, [10, 20, 50, 100, 200]);
        assert_eq!(s.protection_years(), 20);
        assert!(s.protected(20) && !s.protected(50));
        assert_eq!((s.id(), s.input()), ("flood_depth", "hand"));
    }

    #[test]
    fn bad_files_are_named_with_line_and_key() {
        let e = parse(&builtin_text().replace("stage_m = 2.5", "stage_m = 1.0")).unwrap_err();
        let p = e.problems();
        assert_eq!(p.len(), 1, "{e}");
        assert_eq!(p[0].key, "stages[2]");
        // The line of the 50-year stage in the shipped file.
        let line = builtin_text()
            .lines()
            .position(|l| l.contains("return_period_years = 50"))
            .unwrap()
            + 1;
        assert_eq!(p[0].line, line);
        assert!(e.to_string().contains("flood_depth.toml"), "{e}");

        // Every problem is reported, not only the first.
        let e = parse(
            &builtin_text()
                .replace("operator = \"hand_inundation\"", "operator = \"bathtub\"")
                .replace("stage_m = 1.5", "stage_m = -1.0"),
        )
        .unwrap_err();
        let keys: Vec<&str> = e.problems().iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["operator", "stages[0]"], "{e}");
        assert!(e.to_string().contains("bathtub"), "{e}");

        // Unknown keys are refused by the parser, with their line.
        let e = parse(&builtin_text().replace("input = \"hand\"", "input = \"hand\"\ncolour = 1"))
            .unwrap_err();
        assert!(
            matches!(&e, ModelError::Syntax { line, msg, .. } if *line > 0 && msg.contains("colour")),
            "{e}"
        );
    }

    #[test]
    fn depth_is_stage_minus_hand_clamped_at_zero() {
        // Hand calculation: stage 2.5 m; HAND 0 → 2.5, 1.0 → 1.5, 2.5 → 0, 7 → 0,
        // NaN → NaN, 0.5 → 2.0.
        let hand = ndarray::arr2(&[[0.0f32, 1.0, 2.5], [7.0, f32::NAN, 0.5]]);
        let mut out = ndarray::Array2::<f32>::zeros((2, 3));
        inundate(2.5, hand.view(), out.view_mut());
        assert_eq!(out.row(0).to_vec(), vec![2.5, 1.5, 0.0]);
        assert_eq!(out[(1, 0)], 0.0);
        assert!(out[(1, 1)].is_nan());
        assert_eq!(out[(1, 2)], 2.0);
    }
}
