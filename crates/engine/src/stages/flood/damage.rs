//! Flood damage per building and per cell: the depth of the HAND screen at every
//! building, its structure type's depth–damage curve (`models/flood_depth_damage.toml`)
//! and its replacement value give the loss of each return period and the expected
//! annual damage (EAD).
//!
//! - Damage ratio *d*(h): piecewise-linear in the depth h (m above ground) between the
//!   curve's points, constant beyond the last point (total loss stays total).
//! - Loss of event T: *L*_T = *d*(h_T) · value (万元).
//! - EAD by the trapezoidal rule over annual exceedance probability *p* = 1/T, events
//!   sorted by decreasing *p*, plus the rarest event's loss for the tail beyond it:
//!   EAD = Σᵢ (*p*ᵢ − *p*ᵢ₊₁)(*L*ᵢ + *L*ᵢ₊₁)/2 + *p*ₙ·*L*ₙ (Olsen et al. 2015, eq. 2,
//!   with the common truncation: no damage more frequent than the most frequent
//!   event, the rarest event's damage for everything rarer).
//!
//! Outputs (census grid, f32, NaN nodata):
//! - `flood_loss_<T>y.tif` (万元 per cell): the sum over the cell's buildings; 0 where
//!   the cell has no building; NaN where a building stands on a cell whose depth is
//!   nodata (a sum over nodata is nodata);
//! - `flood_ead.tif` (万元/yr per cell), same rules;
//! - `flood_damage_ratio_<T>y.tif` (0–1): the value-weighted mean damage ratio of the
//!   cell's buildings; where the cell has no valued building, the reference (`other`)
//!   curve at the cell's depth — the vulnerability of the building stock a cell would
//!   have; NaN where the depth is nodata;
//! - `flood_building_damage.csv`: one row per building (id, township, structure,
//!   value, depth, ratio and loss per event, EAD), sorted by id.
//!
//! Buildings are the census database's `buildings` layer (points in the census CRS);
//! a building outside the grid is reported, not dropped silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ndarray::Array2;
use riskcensus_io::{CogOptions, RasterReader};
use serde::{Deserialize, Serialize};

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::output::write_array as write_cog;
use crate::provenance::{self, tag};
use crate::stack::LayerStack;

/// The depth–damage curves' file in the model library.
pub const PATH: &str = "flood/flood_depth_damage.toml";

/// The shipped text of [`PATH`].
pub fn builtin_text() -> &'static str {
    riskcensus_models::library::shipped_text(PATH)
}

/// The structure codes of the census schema, each of which needs a curve.
pub const STRUCTURES: [&str; 6] = [
    "rc_frame",
    "brick_concrete",
    "brick_wood",
    "earth_stone",
    "steel",
    "other",
];

/// The curve used where a cell has no valued building.
pub const REFERENCE: &str = "other";

/// `models/flood_depth_damage.toml`, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepthDamage {
    pub id: String,
    pub version: String,
    /// Always `"depth_damage"`: the built-in operator that reads this file.
    pub operator: String,
    pub sources: Vec<String>,
    pub curves: Vec<Curve>,
}

/// One curve: (depth m, damage ratio) points, depths strictly ascending from 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curve {
    pub structure: String,
    pub basis: String,
    pub points: Vec<[f64; 2]>,
}

impl Curve {
    /// Damage ratio at depth `h` (m); NaN in, NaN out.
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

impl DepthDamage {
    /// Parse and validate (`origin` names the file in errors): every schema structure
    /// code has exactly one curve; points start at depth 0, depths strictly ascend,
    /// ratios lie in [0, 1] and never decrease.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, EngineError> {
        let err = |msg: String| EngineError::Config {
            path: origin.to_path_buf(),
            msg,
        };
        let s: DepthDamage =
            toml::from_str(text).map_err(|e| err(e.to_string().trim_end().to_string()))?;
        if s.operator != "depth_damage" {
            return Err(err(format!(
                "operator {:?}: only \"depth_damage\" is known",
                s.operator
            )));
        }
        if s.sources.is_empty() {
            return Err(err("sources: cite where the curves come from".into()));
        }
        for (i, c) in s.curves.iter().enumerate() {
            let at = format!("curves[{i}] ({})", c.structure);
            if !STRUCTURES.contains(&c.structure.as_str()) {
                return Err(err(format!(
                    "{at}: unknown structure code (known: {})",
                    STRUCTURES.join(", ")
                )));
            }
            if s.curves[..i].iter().any(|o| o.structure == c.structure) {
                return Err(err(format!("{at}: a second curve for the same structure")));
            }
            if c.points.len() < 2 || c.points[0][0] != 0.0 {
                return Err(err(format!(
                    "{at}.points: at least two points, the first at depth 0"
                )));
            }
            for (j, w) in c.points.windows(2).enumerate() {
                if !(w[1][0] > w[0][0]) || w[1][1] < w[0][1] {
                    return Err(err(format!(
                        "{at}.points[{}]: depths must ascend strictly and ratios never decrease",
                        j + 1
                    )));
                }
            }
            if c.points.iter().any(|p| !(0.0..=1.0).contains(&p[1])) {
                return Err(err(format!("{at}.points: ratios must lie in [0, 1]")));
            }
        }
        if let Some(m) = STRUCTURES
            .iter()
            .find(|k| !s.curves.iter().any(|c| c.structure == **k))
        {
            return Err(err(format!("curves: no curve for structure {m:?}")));
        }
        Ok(s)
    }

    /// The built-in curves.
    pub fn builtin() -> Self {
        Self::parse(
            builtin_text(),
            Path::new("models/flood/flood_depth_damage.toml"),
        )
        .expect("valid")
    }

    /// The curve of a structure code.
    pub fn curve(&self, structure: &str) -> Option<&Curve> {
        self.curves.iter().find(|c| c.structure == structure)
    }
}

/// Expected annual damage from (return period years, loss) pairs; see the module doc.
pub fn expected_annual_damage(events: &[(u32, f64)]) -> f64 {
    let mut ev: Vec<(f64, f64)> = events.iter().map(|&(t, l)| (1.0 / t as f64, l)).collect();
    ev.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut ead = 0.0;
    for w in ev.windows(2) {
        ead += (w[0].0 - w[1].0) * (w[0].1 + w[1].1) / 2.0;
    }
    if let Some(&(p, l)) = ev.last() {
        ead += p * l;
    }
    ead
}

/// What the damage stage wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DamageReport {
    /// (layer id, path) of the grids.
    pub layers: Vec<(String, PathBuf)>,
    pub buildings_csv: Option<PathBuf>,
    pub buildings: usize,
    /// Buildings outside the grid or without a structure curve: (id, why).
    pub skipped: Vec<(String, String)>,
    /// County totals per return period (years → 万元) and EAD (万元/yr).
    pub loss_by_period: BTreeMap<u32, f64>,
    pub ead: f64,
}

struct Building {
    id: String,
    township: String,
    structure: String,
    value: Option<f64>,
    cell: (usize, usize),
}

/// Run the damage stage for the depth layers `depths` ((return period, layer id) of
/// the stack), writing into `out` and adding the grids to `stack`.
pub fn flood_damage(
    census: &CensusConfig,
    stack: &mut LayerStack,
    depths: &[(u32, String)],
    curves: &DepthDamage,
    out: &Path,
) -> Result<DamageReport, EngineError> {
    let grid = &census.grid;
    let mut report = DamageReport::default();
    if depths.is_empty() {
        return Ok(report);
    }
    let mut buildings = Vec::new();
    if census.dir.join("census.gpkg").exists() {
        let db = Census::open(&census.dir)?;
        for f in db.query("buildings", &Query::default())? {
            let id = f.text("id");
            let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
                report.skipped.push((id, "no point geometry".into()));
                continue;
            };
            let Some(cell) = grid.cell_of(p.x(), p.y()) else {
                report.skipped.push((id, "outside the census grid".into()));
                continue;
            };
            buildings.push(Building {
                id,
                township: f.text("township_code"),
                structure: f.text("structure"),
                value: f.number("value_wan"),
                cell,
            });
        }
    }
    buildings.sort_by(|a, b| a.id.cmp(&b.id));
    let reference = curves.curve(REFERENCE).expect("validated");
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}@{}", curves.id, curves.version),
    );
    tags.insert(tag::PARAM_HASH.into(), provenance::param_hash(curves));
    let cog = CogOptions::default();
    let (rows, cols) = (grid.rows, grid.cols);
    let mut per_building: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); buildings.len()];
    let mut ead_grid = Array2::<f64>::zeros((rows, cols));
    for (t, layer) in depths {
        let path = &stack
            .get(layer)
            .ok_or_else(|| EngineError::Layer {
                layer: layer.clone(),
                msg: "flood damage needs this depth layer in the stack".into(),
            })?
            .path;
        let depth = RasterReader::open(path, 1)?.read_f32(grid.full_window())?;
        let mut loss = Array2::<f64>::zeros((rows, cols));
        let mut weighted = Array2::<f64>::zeros((rows, cols));
        let mut value = Array2::<f64>::zeros((rows, cols));
        for (b, rec) in buildings.iter().zip(per_building.iter_mut()) {
            let h = depth[b.cell] as f64;
            let curve = curves.curve(&b.structure).unwrap_or(reference);
            let d = curve.ratio(h);
            let l = if d.is_nan() {
                f64::NAN
            } else {
                b.value.map(|v| v * d).unwrap_or(0.0)
            };
            rec.push((h, d, l));
            loss[b.cell] += l;
            if let Some(v) = b.value.filter(|v| *v > 0.0) {
                weighted[b.cell] += v * d;
                value[b.cell] += v;
            }
        }
        let total: f64 = loss.iter().filter(|l| !l.is_nan()).sum();
        let loss32 = loss.mapv(|l| l as f32);
        let ratio32 = Array2::from_shape_fn((rows, cols), |c| {
            if value[c] > 0.0 {
                (weighted[c] / value[c]) as f32
            } else {
                reference.ratio(depth[c] as f64) as f32
            }
        });
        report.loss_by_period.insert(*t, total);
        for (id, a, unit) in [
            (format!("flood_loss_{t}y"), loss32, "wan_cny"),
            (format!("flood_damage_ratio_{t}y"), ratio32, "ratio"),
        ] {
            let mut tt = tags.clone();
            tt.insert(tag::LAYER.into(), id.clone());
            tt.insert(tag::UNITS.into(), unit.into());
            write_cog(out, &id, grid, a.view(), Some(f64::NAN), &tt, &cog)?;
            let p = out.join(format!("{id}.tif"));
            stack.insert(id.clone(), p.clone(), unit);
            report.layers.push((id, p));
        }
    }
    let periods: Vec<u32> = depths.iter().map(|(t, _)| *t).collect();
    // EAD once per building, used by the grid and the table.
    let eads: Vec<f64> = per_building
        .iter()
        .map(|rec| {
            let ev: Vec<(u32, f64)> = periods.iter().zip(rec).map(|(t, r)| (*t, r.2)).collect();
            expected_annual_damage(&ev)
        })
        .collect();
    for (b, e) in buildings.iter().zip(&eads) {
        ead_grid[b.cell] += e;
    }
    report.ead = ead_grid.iter().filter(|v| v.is_finite()).sum();
    let ead32 = ead_grid.mapv(|v| v as f32);
    let mut tt = tags.clone();
    tt.insert(tag::LAYER.into(), "flood_ead".into());
    tt.insert(tag::UNITS.into(), "wan_cny/yr".into());
    write_cog(
        out,
        "flood_ead",
        grid,
        ead32.view(),
        Some(f64::NAN),
        &tt,
        &cog,
    )?;
    let p = out.join("flood_ead.tif");
    stack.insert("flood_ead", p.clone(), "wan_cny/yr");
    report.layers.push(("flood_ead".into(), p));

    if !buildings.is_empty() {
        let f = |v: f64| {
            if v.is_nan() {
                String::new()
            } else {
                format!("{v:.6}")
            }
        };
        let mut body = String::from("id,township_code,structure,value_wan");
        for t in &periods {
            body.push_str(&format!(",depth_{t}y_m,ratio_{t}y,loss_{t}y_wan"));
        }
        body.push_str(",ead_wan_per_yr\n");
        for ((b, rec), e) in buildings.iter().zip(&per_building).zip(&eads) {
            body.push_str(&format!(
                "{},{},{},{}",
                b.id,
                b.township,
                b.structure,
                b.value.map(|v| v.to_string()).unwrap_or_default()
            ));
            for (h, d, l) in rec {
                body.push_str(&format!(",{},{},{}", f(*h), f(*d), f(*l)));
            }
            body.push_str(&format!(",{}\n", f(*e)));
        }
        let csv = out.join("flood_building_damage.csv");
        riskcensus_io::files::write_atomic(&csv, body.as_bytes())?;
        report.buildings_csv = Some(csv);
    }
    report.buildings = buildings.len();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn bad_curve_files_are_named() {
        let p = Path::new("models/flood_depth_damage.toml");
        let e = DepthDamage::parse(
            &builtin_text().replace("structure = \"steel\"", "structure = \"bamboo\""),
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("bamboo") && e.contains("flood_depth_damage.toml"),
            "{e}"
        );
        let e = DepthDamage::parse(
            &builtin_text().replace("[0.5, 0.33], [1.0, 0.49]", "[0.5, 0.53], [1.0, 0.49]"),
            p,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("never decrease"), "{e}");
        let e = DepthDamage::parse(&builtin_text().replace("basis =", "colour = 1\nbasis ="), p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("colour"), "{e}");
    }
}
