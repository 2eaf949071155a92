//! Flood depth–damage (房屋洪水深度–损失率): the damage ratio of a building from the
//! water depth at it, its loss per design event, and the expected annual damage.
//!
//! - Damage ratio *d*(h) of a structure type: piecewise-linear in the depth h (m above
//!   ground) between the points of the type's curve, constant beyond the last point
//!   (total loss stays total). Curves: `models/flood/flood_depth_damage.toml` (JRC
//!   global depth–damage functions, Huizinga et al. 2017, Asia residential; compressed
//!   depth axes for non-engineered houses after Englhardt et al. 2019).
//! - Loss of event T: *L*_T = *d*(h_T) · value (万元).
//! - Expected annual damage by the trapezoidal rule over the annual exceedance
//!   probability *p* = 1/T, events sorted by decreasing *p*, plus the rarest event's
//!   loss for the tail beyond it (Olsen et al. 2015, eq. 2, with the common
//!   truncation: no damage more frequent than the most frequent event, the rarest
//!   event's damage for everything rarer):
//!
//!   ```text
//!   EAD = Σᵢ (pᵢ − pᵢ₊₁)(Lᵢ + Lᵢ₊₁)/2 + pₙ·Lₙ
//!   ```
//!
//! The file is checked once by [`DepthDamageSpec::check`]: the operator is
//! `depth_damage`, sources are cited, every structure code of the census schema
//! ([`STRUCTURES`]) has exactly one curve, and each curve starts at depth 0 with
//! finite, strictly ascending depths and ratios in [0, 1] that never decrease.
//!
//! Per cell ([`DepthDamage::event`]) the losses of the cell's buildings add up, and
//! the damage ratio is the value-weighted mean of theirs — or, in a cell without a
//! valued building, the reference curve ([`REFERENCE`]) at the cell's depth: the
//! vulnerability of the building stock a cell would have. A building's EAD
//! ([`building_ead`]) comes from its losses over the events; a cell's is the sum of
//! its buildings' (summed by the engine with their deaths and occupants).

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{at, k, parse_toml, Checker};
use crate::error::ModelError;
use crate::locate::Step;

/// The depth–damage curves' file in the model library.
pub const PATH: &str = "flood/flood_depth_damage.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "depth_damage";

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    crate::library::shipped_text(PATH)
}

/// The structure codes of the census schema (`buildings.structure`), each of which
/// needs a curve.
pub const STRUCTURES: [&str; 6] = [
    "rc_frame",
    "brick_concrete",
    "brick_wood",
    "earth_stone",
    "steel",
    "other",
];

/// The structure whose curve serves buildings of an unknown structure and cells
/// without a valued building.
pub const REFERENCE: &str = "other";

/// `models/flood/flood_depth_damage.toml` as written (unknown keys refused), not yet
/// checked; [`DepthDamageSpec::check`] turns it into a [`DepthDamage`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthDamageSpec {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version, recorded with the outputs.
    pub version: String,
    /// The built-in operator that reads the file: [`OPERATOR`].
    pub operator: String,
    /// References to the curves' sources (at least one).
    pub sources: Vec<String>,
    /// One `[[curves]]` entry per structure code.
    pub curves: Vec<CurveSpec>,
    #[serde(skip)]
    origin: PathBuf,
    #[serde(skip)]
    text: String,
}

/// A `[[curves]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurveSpec {
    /// Structure code (one of [`STRUCTURES`]).
    pub structure: String,
    /// Where the curve comes from (free text).
    pub basis: String,
    /// (depth m, damage ratio) points.
    pub points: Vec<[f64; 2]>,
}

impl DepthDamageSpec {
    /// Parse the file's text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin = origin.as_ref();
        let mut spec: DepthDamageSpec = parse_toml(text, origin)?;
        spec.origin = origin.to_path_buf();
        spec.text = text.to_string();
        Ok(spec)
    }

    /// Validate everything and build the [`DepthDamage`]; every problem is reported,
    /// each with its line and key.
    pub fn check(&self) -> Result<DepthDamage, ModelError> {
        let mut c = Checker::new(&self.text);
        c.operator(&self.operator, OPERATOR);
        if self.sources.is_empty() {
            c.err(&[k("sources")], "cite where the curves come from");
        }
        for (i, cv) in self.curves.iter().enumerate() {
            let key = |sub: &str| -> Vec<Step> {
                let mut p = at("curves", i);
                p.push(k(sub));
                p
            };
            if !STRUCTURES.contains(&cv.structure.as_str()) {
                c.err(
                    &key("structure"),
                    format!(
                        "unknown structure code {:?} (known: {})",
                        cv.structure,
                        STRUCTURES.join(", ")
                    ),
                );
            } else if self.curves[..i].iter().any(|o| o.structure == cv.structure) {
                c.err(
                    &key("structure"),
                    format!("a second curve for {:?}", cv.structure),
                );
            }
            let p = &cv.points;
            if p.len() < 2 || p[0][0] != 0.0 {
                c.err(&key("points"), "at least two points, the first at depth 0");
            }
            if let Some(j) = p.iter().position(|q| !q[0].is_finite()) {
                let mut path = key("points");
                path.push(Step::Index(j));
                c.err(&path, format!("depth {} must be finite", p[j][0]));
            }
            if let Some(j) = p.windows(2).position(|w| {
                w[1][0].partial_cmp(&w[0][0]) != Some(Ordering::Greater) || w[1][1] < w[0][1]
            }) {
                let mut path = key("points");
                path.push(Step::Index(j + 1));
                c.err(
                    &path,
                    "depths must ascend strictly and ratios never decrease",
                );
            }
            if p.iter().any(|q| !(0.0..=1.0).contains(&q[1])) {
                c.err(&key("points"), "ratios must lie in [0, 1]");
            }
        }
        for m in STRUCTURES
            .iter()
            .filter(|s| !self.curves.iter().any(|c| c.structure == **s))
        {
            c.err(&[k("curves")], format!("no curve for structure {m:?}"));
        }
        c.finish(
            &self.origin,
            DepthDamage {
                id: self.id.clone(),
                version: self.version.clone(),
                operator: self.operator.clone(),
                sources: self.sources.clone(),
                curves: self
                    .curves
                    .iter()
                    .map(|c| Curve {
                        structure: c.structure.clone(),
                        basis: c.basis.clone(),
                        points: c.points.clone(),
                    })
                    .collect(),
            },
        )
    }
}

/// A checked depth–damage curve: (depth m, damage ratio) points, at least two, the
/// first at depth 0, depths strictly ascending, ratios in [0, 1] never decreasing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    structure: String,
    basis: String,
    points: Vec<[f64; 2]>,
}

impl Curve {
    /// The structure code.
    pub fn structure(&self) -> &str {
        &self.structure
    }

    /// Where the curve comes from.
    pub fn basis(&self) -> &str {
        &self.basis
    }

    /// The (depth m, damage ratio) points.
    pub fn points(&self) -> &[[f64; 2]] {
        &self.points
    }

    /// Damage ratio *d*(h) at depth `h` (m): linear between the points, the first
    /// point's ratio at or below depth 0, the last point's beyond it; NaN in, NaN out.
    pub fn ratio(&self, h: f64) -> f64 {
        if h.is_nan() {
            return f64::NAN;
        }
        let p = &self.points;
        if h <= p[0][0] {
            return p[0][1];
        }
        for w in p.windows(2) {
            let ([h0, d0], [h1, d1]) = (w[0], w[1]);
            if h <= h1 {
                return d0 + (d1 - d0) * (h - h0) / (h1 - h0);
            }
        }
        p[p.len() - 1][1]
    }
}

/// The checked curves of `models/flood/flood_depth_damage.toml`: one per structure
/// code of [`STRUCTURES`]. Its JSON serialisation is the operator's parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthDamage {
    id: String,
    version: String,
    operator: String,
    sources: Vec<String>,
    curves: Vec<Curve>,
}

/// A building as the damage model sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// Structure code (a code outside [`STRUCTURES`] takes the [`REFERENCE`] curve).
    pub structure: String,
    /// Replacement value, 万元 (`None`: unknown, no loss counted).
    pub value_wan: Option<f64>,
    /// The grid cell (row, col) it stands on.
    pub cell: (usize, usize),
}

/// What one design event does to one building.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuildingDamage {
    /// Water depth at the building, m (NaN where the depth is nodata).
    pub depth_m: f64,
    /// Damage ratio *d*(h) (NaN with the depth).
    pub ratio: f64,
    /// Loss *d*·value, 万元 (0 without a value; NaN with the depth).
    pub loss_wan: f64,
}

/// What one design event does to a building stock, per building and per cell.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDamage {
    /// Per building, in the order given.
    pub buildings: Vec<BuildingDamage>,
    /// Loss per cell, 万元: the sum over the cell's buildings (0 without a building;
    /// NaN where a building stands on a nodata depth — a sum over nodata is nodata).
    pub loss_wan: Array2<f64>,
    /// Damage ratio per cell: the value-weighted mean ratio of the cell's valued
    /// buildings, else the [`REFERENCE`] curve at the cell's depth (NaN where the
    /// depth is nodata).
    pub ratio: Array2<f64>,
}

impl EventDamage {
    /// The event's total loss, 万元 (the cells' losses that are not nodata, summed
    /// row-major).
    pub fn total_loss_wan(&self) -> f64 {
        self.loss_wan.iter().filter(|l| !l.is_nan()).sum()
    }
}

impl DepthDamage {
    /// Parse and check the file's text; `origin` names the file in errors.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        DepthDamageSpec::parse(text, origin)?.check()
    }

    /// The shipped curves (`models/flood/flood_depth_damage.toml`).
    pub fn builtin() -> Self {
        Self::from_toml(builtin_text(), Path::new("models").join(PATH))
            .expect("the shipped depth-damage curves are valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// References to the curves' sources.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// The curves, in file order.
    pub fn curves(&self) -> &[Curve] {
        &self.curves
    }

    /// The curve of a structure code, if it is one of [`STRUCTURES`].
    pub fn curve(&self, structure: &str) -> Option<&Curve> {
        self.curves.iter().find(|c| c.structure == structure)
    }

    /// The [`REFERENCE`] curve.
    pub fn reference(&self) -> &Curve {
        self.curve(REFERENCE)
            .expect("checked: every structure code has a curve")
    }

    /// The damage of one building of structure `structure` and value `value_wan`
    /// (None: unknown, no loss counted) at water depth `h` m (NaN: unknown depth,
    /// NaN ratio and loss).
    pub fn damage(&self, structure: &str, value_wan: Option<f64>, h: f64) -> BuildingDamage {
        let d = self
            .curve(structure)
            .unwrap_or_else(|| self.reference())
            .ratio(h);
        let l = if d.is_nan() {
            f64::NAN
        } else {
            value_wan.map(|v| v * d).unwrap_or(0.0)
        };
        BuildingDamage {
            depth_m: h,
            ratio: d,
            loss_wan: l,
        }
    }

    /// The damage of one design event: `depth` is the event's depth grid (m, NaN
    /// nodata; every building's cell inside it), `buildings` the stock. Sums run in
    /// the buildings' order, in f64.
    ///
    /// # Panics
    /// When a building's cell is outside `depth`.
    pub fn event(&self, buildings: &[Building], depth: ArrayView2<f32>) -> EventDamage {
        let reference = self.reference();
        let mut loss = Array2::<f64>::zeros(depth.dim());
        let mut weighted = Array2::<f64>::zeros(depth.dim());
        let mut value = Array2::<f64>::zeros(depth.dim());
        let mut per_building = Vec::with_capacity(buildings.len());
        for b in buildings {
            let one = self.damage(&b.structure, b.value_wan, depth[b.cell] as f64);
            let (d, l) = (one.ratio, one.loss_wan);
            per_building.push(one);
            loss[b.cell] += l;
            if let Some(v) = b.value_wan.filter(|v| *v > 0.0) {
                weighted[b.cell] += v * d;
                value[b.cell] += v;
            }
        }
        let ratio = Array2::from_shape_fn(depth.dim(), |c| {
            if value[c] > 0.0 {
                weighted[c] / value[c]
            } else {
                reference.ratio(depth[c] as f64)
            }
        });
        EventDamage {
            buildings: per_building,
            loss_wan: loss,
            ratio,
        }
    }
}

/// Expected annual damage from (return period years, loss) pairs, in any order, by
/// the truncated trapezoidal rule of the module doc
/// ([`crate::loss::expected_annual`] with λ = 1/T); 0 without an event.
pub fn expected_annual_damage(events: &[(u32, f64)]) -> f64 {
    let ev: Vec<(f64, f64)> = events
        .iter()
        .map(|&(t, l)| (1.0 / f64::from(t), l))
        .collect();
    crate::loss::expected_annual(&ev)
}

/// The expected annual damage of one building (万元/yr) from its damage in each
/// design event, `periods[i]` being the return period (years) of `damage[i]`
/// ([`expected_annual_damage`]; NaN when a loss is NaN).
pub fn building_ead(periods: &[u32], damage: &[BuildingDamage]) -> f64 {
    let ev: Vec<(u32, f64)> = periods
        .iter()
        .zip(damage)
        .map(|(t, d)| (*t, d.loss_wan))
        .collect();
    expected_annual_damage(&ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<DepthDamage, ModelError> {
        DepthDamage::from_toml(text, "models/flood/flood_depth_damage.toml")
    }

    #[test]
    fn curves_interpolate_and_saturate() {
        let c = DepthDamage::builtin();
        let r = c.curve("rc_frame").unwrap();
        // Hand values: 0.75 m is halfway between 0.5 m (0.33) and 1.0 m (0.49) → 0.41.
        assert!((r.ratio(0.75) - 0.41).abs() < 1e-12);
        assert_eq!(r.ratio(0.0), 0.0);
        assert_eq!(r.ratio(10.0), 1.0);
        assert!(r.ratio(f64::NAN).is_nan());
        // Earth/stone houses reach 0.72 at 1 m, where RC frames are at 0.49.
        assert!((c.curve("earth_stone").unwrap().ratio(1.0) - 0.72).abs() < 1e-12);
    }

    #[test]
    fn ead_trapezoid_by_hand() {
        // p = 0.1, 0.02, 0.01 with losses 10, 50, 80:
        // (0.1 − 0.02)(10 + 50)/2 + (0.02 − 0.01)(50 + 80)/2 + 0.01·80 = 2.4 + 0.65 + 0.8.
        let e = expected_annual_damage(&[(100, 80.0), (10, 10.0), (50, 50.0)]);
        assert!((e - 3.85).abs() < 1e-12, "{e}");
        assert_eq!(expected_annual_damage(&[]), 0.0);
    }

    #[test]
    fn building_ead_by_hand() {
        // Losses 10, 50, 80 at 10, 50, 100 years: 3.85 (ead_trapezoid_by_hand).
        let d = |l: f64| BuildingDamage {
            depth_m: 1.0,
            ratio: 0.5,
            loss_wan: l,
        };
        let e = building_ead(&[10, 50, 100], &[d(10.0), d(50.0), d(80.0)]);
        assert!((e - 3.85).abs() < 1e-12, "{e}");
        assert!(building_ead(&[10], &[d(f64::NAN)]).is_nan());
        // The per-cell sums of the buildings' EAD are the engine's
        // (`riskcensus_engine::loss::HazardLosses::cell_totals`, tested there).
    }

    #[test]
    fn event_damage_by_hand() {
        // 1 × 3 cells at depths 0.5 m, 1.0 m and nodata.
        // Cell 0: an RC frame of 100 万元 (d(0.5) = 0.33) and an earth/stone house of
        // 50 万元 (d(0.5) = 0.49, a point of its compressed curve): loss 33 + 24.5 =
        // 57.5, ratio 57.5/150. Cell 1: a house without a value (loss 0) → the
        // reference curve, d(1.0) = 0.49. Cell 2: nodata depth → NaN loss and ratio.
        let c = DepthDamage::builtin();
        let depth = ndarray::arr2(&[[0.5f32, 1.0, f32::NAN]]);
        let b = |s: &str, v: Option<f64>, col: usize| Building {
            structure: s.into(),
            value_wan: v,
            cell: (0, col),
        };
        let stock = [
            b("rc_frame", Some(100.0), 0),
            b("earth_stone", Some(50.0), 0),
            b("brick_wood", None, 1),
            b("steel", Some(10.0), 2),
        ];
        let e = c.event(&stock, depth.view());
        assert!((e.loss_wan[(0, 0)] - 57.5).abs() < 1e-9);
        assert!((e.ratio[(0, 0)] - 57.5 / 150.0).abs() < 1e-12);
        assert_eq!(e.loss_wan[(0, 1)], 0.0);
        assert!((e.ratio[(0, 1)] - 0.49).abs() < 1e-12);
        assert!(e.loss_wan[(0, 2)].is_nan() && e.ratio[(0, 2)].is_nan());
        assert_eq!(e.buildings[2].loss_wan, 0.0);
        assert!(e.buildings[3].ratio.is_nan());
        assert!((e.total_loss_wan() - 57.5).abs() < 1e-9);
    }

    #[test]
    fn bad_curve_files_are_named_with_every_problem() {
        let e = parse(&builtin_text().replace("structure = \"steel\"", "structure = \"bamboo\""))
            .unwrap_err();
        let keys: Vec<&str> = e.problems().iter().map(|p| p.key.as_str()).collect();
        // The unknown code, and the steel curve it leaves missing.
        assert_eq!(keys, ["curves[1].structure", "curves"], "{e}");
        assert!(e.problems()[0].line > 0);
        let s = e.to_string();
        assert!(
            s.contains("bamboo") && s.contains("flood_depth_damage.toml"),
            "{s}"
        );

        let e = parse(&builtin_text().replacen(
            "[0.5, 0.33], [1.0, 0.49]",
            "[0.5, 0.53], [1.0, 0.49]",
            1,
        ))
        .unwrap_err();
        assert_eq!(e.problems()[0].key, "curves[0].points[2]", "{e}");
        assert!(e.to_string().contains("never decrease"), "{e}");

        let e = parse(&builtin_text().replace("basis =", "colour = 1\nbasis =")).unwrap_err();
        assert!(
            matches!(&e, ModelError::Syntax { msg, .. } if msg.contains("colour")),
            "{e}"
        );
    }
}
