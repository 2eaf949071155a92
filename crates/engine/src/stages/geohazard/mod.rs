//! Geological-hazard susceptibility, hazard and hidden-danger candidates (issue 7).
//!
//! Two entries share one core ([`fit_grid`]):
//!
//! - [`train_standalone`] — the `riskcensus susceptibility` command: aligned factor
//!   **class rasters** (any integer codes; each distinct value is a class) and an
//!   inventory of points (CSV with `x`, `y` in the rasters' CRS and an optional
//!   `type` column, or any OGR vector file in that CRS) → `susceptibility.tif`,
//!   `susceptibility_level.tif` and the model report;
//! - [`run_geohazard`] — the census stage: the factors of `models/geohazard.toml`
//!   classified from the prepared layer stack (lithology rasterized from the
//!   `lithology` source's `code` field, I–IV → 1–4), the `hidden_dangers` of the
//!   census database as inventory → `geohazard_susceptibility`, `geohazard_hazard`,
//!   their `_level` grids, the report, and the hidden-danger candidates.
//!
//! Core, in order: class grids → valid mask (every factor has a class) → hazard
//! cells, buffered seeded non-hazard cells and the stratified split
//! (`models::geohazard::sampling`) → the minimum-count check → class counts over
//! the study area (every valid cell) and the training hazard cells → the model
//! (IV/FR/CF/LR/expert) → raw scores per cell → ROC/AUC on the test samples, success
//! rate (training hazard cells) and prediction rate (test hazard cells) → the index
//! normalised to [0, 1] (min–max over valid cells, reported) → four levels
//! (geohazard4: 1 极高 … 4 低, 0 nodata) by natural or fixed breaks.
//!
//! **Hazard** = S_n · (base + (1 − base) · T), T = clamp((R − x0)/(x1 − x0), 0, 1), R the
//! trigger rainfall layer (`[trigger]` of the parameter file); NaN where either is
//! nodata. **Candidates** (隐患点候选): cells of susceptibility level 1 or 2 with at
//! least one building (`buildings_count` > 0) and no registered hidden-danger point
//! (any type) within the sampling buffer — the next field check's list, written as a
//! u8 grid (1 = candidate, 0 = not) and a CSV table per cell with its township and
//! village, plus a per-village summary.
//!
//! Grids: census CRS, (x, y) axis order, north-up; f32 outputs with NaN nodata, u8
//! levels with 0 nodata. Everything is deterministic for a given seed (the seed is
//! in the report).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_io::raster::RasterReader;
use riskcensus_io::rasterize::{rasterize, RasterizeSpec};
use riskcensus_io::vector_read::{RawValue, VectorSource};
use riskcensus_io::{CogOptions, CogWriter};
use riskcensus_models::geohazard::levels;
use riskcensus_models::geohazard::logistic::LogisticFit;
use riskcensus_models::geohazard::params::ThreatSpec;
use riskcensus_models::geohazard::params::HAZARD_TYPES;
use riskcensus_models::geohazard::roc::{rate_curve, roc_curve, RateCurve, RocCurve};
use riskcensus_models::geohazard::sampling::{draw, SampleSet};
use riskcensus_models::geohazard::threat::{grade_name, threat_grids, ThreatPoint};
use riskcensus_models::geohazard::{
    check_count, class_table, ClassCounts, ClassRow, Classifier, GeohazardError, LevelRule,
    SampleTable, TrainedModel,
};
pub use riskcensus_models::geohazard::{GeohazardParams, Method};
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;
use crate::executor::ExecOptions;
use crate::output::{write_f32, write_levels, write_text};
use crate::progress::Progress;
use crate::provenance::{self, tag};
use crate::stack::{read_on_grid, row_major, LayerStack};

/// Path of the parameter file in the model library.
pub const PATH: &str = "geohazard/geohazard.toml";

const MODEL: &str = "geohazard";

/// The parameters: `<census>/models/geohazard/geohazard.toml` when present, else the
/// built-in. (A subfolder: every `*.toml` directly in `<census>/models/` is read as a
/// weighted-overlay model by `assess::load_models`.)
pub fn load_params(census_dir: &Path) -> Result<GeohazardParams, EngineError> {
    params_of(&riskcensus_models::Library::for_census(census_dir)?)
}

/// The parameters of a model library (`geohazard/geohazard.toml`).
pub fn params_of(library: &riskcensus_models::Library) -> Result<GeohazardParams, EngineError> {
    let f = library.require(PATH)?;
    GeohazardParams::from_toml(&f.text, &f.origin).map_err(model_err)
}

/// The parameters of a file, or the built-in ones.
pub fn params_from(path: Option<&Path>) -> Result<GeohazardParams, EngineError> {
    match path {
        Some(p) => GeohazardParams::read(p).map_err(model_err),
        None => params_of(&riskcensus_models::Library::shipped()),
    }
}

fn model_err(e: GeohazardError) -> EngineError {
    EngineError::Model {
        model: MODEL.into(),
        msg: e.to_string(),
    }
}

/// Class grids of the factors on one grid: `columns[f][cell]` (1-based, 0 nodata).
pub struct FactorGrids {
    pub ids: Vec<String>,
    pub classifiers: Vec<Classifier>,
    pub columns: Vec<Vec<u16>>,
}

/// An inventory point: (x, y) in the grid CRS, its type code and record number.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryPoint {
    pub x: f64,
    pub y: f64,
    pub kind: Option<String>,
    /// 1-based record (CSV data row or feature position).
    pub record: usize,
}

/// What training produced (everything the report holds).
#[derive(Debug, Clone, Serialize)]
pub struct ModelReport {
    pub method: Method,
    pub seed: u64,
    pub negative_ratio: f64,
    pub buffer_m: f64,
    pub test_fraction: f64,
    pub min_hazard_cells: usize,
    pub hazard_types: Vec<String>,
    pub inventory_points: usize,
    pub points_used: usize,
    pub points_on_nodata: usize,
    pub hazard_cells: usize,
    pub train_samples: usize,
    pub test_samples: usize,
    pub study_area_cells: usize,
    pub factors: Vec<String>,
    /// AUC of the test samples (ROC, Mann–Whitney, ties ½).
    pub auc_test: f64,
    /// AUC of the training samples.
    pub auc_train: f64,
    /// Area under the success-rate curve (training hazard cells).
    pub success_rate_auc: f64,
    /// Area under the prediction-rate curve (test hazard cells).
    pub prediction_rate_auc: f64,
    pub index_min: f64,
    pub index_max: f64,
    /// Inner upper bounds of the normalised index: the largest value of levels 4, 3
    /// and 2 (a value equal to a bound stays in the lower level).
    pub level_breaks: Vec<f64>,
    /// All four upper bounds (the last is the maximum for natural breaks, +∞ for
    /// fixed breaks).
    pub level_bounds: Vec<f64>,
    pub level_method: &'static str,
    /// Share of the study area per level 1..=4 and of all hazard cells in it.
    pub level_area_share: Vec<f64>,
    pub level_hazard_share: Vec<f64>,
    pub logistic: Option<LogisticFit>,
    #[serde(skip)]
    pub classes: Vec<ClassRow>,
    #[serde(skip)]
    pub roc: Option<RocCurve>,
    #[serde(skip)]
    pub success: Option<RateCurve>,
    #[serde(skip)]
    pub prediction: Option<RateCurve>,
}

/// The fitted grid: normalised susceptibility, levels, report.
pub struct Fitted {
    pub susceptibility: Vec<f32>,
    pub levels: Vec<u8>,
    pub report: ModelReport,
    pub samples: SampleSet,
}

/// Train on class grids and points; score every cell. `method` overrides the
/// parameter file's when given.
pub fn fit_grid(
    grid: &GridSpec,
    f: &FactorGrids,
    points: &[InventoryPoint],
    params: &GeohazardParams,
    method: Method,
    expert: Option<Vec<Vec<f64>>>,
) -> Result<Fitted, EngineError> {
    let n = grid.cell_count();
    let nf = f.ids.len();
    let valid: Vec<bool> = (0..n)
        .map(|i| f.columns.iter().all(|c| c[i] != 0))
        .collect();
    let pts: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            (
                (p.x - grid.x_min) / grid.cell_size,
                (grid.y_max - p.y) / grid.cell_size,
            )
        })
        .collect();
    let classes: Vec<usize> = f.classifiers.iter().map(Classifier::classes).collect();
    // Study-area counts.
    let mut counts = ClassCounts::zeros(&classes);
    let mut row = vec![0u16; nf];
    let mut area_cells = 0usize;
    for i in 0..n {
        for (k, c) in f.columns.iter().enumerate() {
            row[k] = c[i];
        }
        area_cells += counts.add_area(&row) as usize;
    }
    let samples = if method.is_statistical() {
        let (hz, _) = riskcensus_models::geohazard::sampling::hazard_cells(
            &pts, grid.rows, grid.cols, &valid,
        )
        .map_err(model_err)?;
        check_count(method, hz.len(), params.min_hazard_cells).map_err(model_err)?;
        draw(
            &pts,
            grid.rows,
            grid.cols,
            grid.cell_size,
            &valid,
            &params.sampling,
        )
        .map_err(model_err)?
    } else {
        SampleSet {
            cells: Vec::new(),
            labels: Vec::new(),
            train: Vec::new(),
            test: Vec::new(),
            points: pts.len(),
            points_on_nodata: 0,
            eligible_negatives: 0,
        }
    };
    let table = |idx: &[usize]| -> Result<SampleTable, EngineError> {
        let mut codes = Vec::with_capacity(idx.len() * nf);
        for &k in idx {
            codes.extend(f.columns.iter().map(|c| c[samples.cells[k]]));
        }
        let labels = idx.iter().map(|&k| samples.labels[k]).collect();
        SampleTable::new(f.ids.clone(), classes.clone(), codes, labels).map_err(model_err)
    };
    let train = table(&samples.train)?;
    let test = table(&samples.test)?;
    for r in 0..train.len() {
        if train.labels[r] == 1 {
            counts.add_hazard(train.row(r));
        }
    }
    let model = if method == Method::Expert {
        TrainedModel::train(method, &f.ids, &counts, &train, expert).map_err(model_err)?
    } else {
        TrainedModel::train(method, &f.ids, &counts, &train, None).map_err(model_err)?
    };
    let cols: Vec<&[u16]> = f.columns.iter().map(Vec::as_slice).collect();
    let mut score = vec![f32::NAN; n];
    model.score_columns(&cols, &mut score);
    let (roc, auc_test, auc_train, success, prediction) = if method.is_statistical() {
        let roc = roc_curve(&model.score_table(&test), &test.labels).map_err(model_err)?;
        let auc_train = roc_curve(&model.score_table(&train), &train.labels)
            .map_err(model_err)?
            .auc;
        let haz = |t: &SampleTable| -> Vec<f32> {
            (0..t.len())
                .filter(|&r| t.labels[r] == 1)
                .map(|r| model.score_row(t.row(r)) as f32)
                .collect()
        };
        let success = rate_curve(&score, &haz(&train)).map_err(model_err)?;
        let prediction = rate_curve(&score, &haz(&test)).map_err(model_err)?;
        let auc = roc.auc;
        (Some(roc), auc, auc_train, Some(success), Some(prediction))
    } else {
        (None, f64::NAN, f64::NAN, None, None)
    };
    let (lo, hi) = levels::range(&score).ok_or_else(|| EngineError::Model {
        model: MODEL.into(),
        msg: "no cell has a class in every factor: the factor grids do not overlap".into(),
    })?;
    levels::normalise(&mut score, lo, hi);
    let (breaks, level_method) = level_breaks(&score, &params.levels)?;
    let lv: Vec<u8> = score.iter().map(|&v| breaks.classify(v)).collect();
    let mut area_share = vec![0.0; 4];
    let mut hazard_share = vec![0.0; 4];
    for &l in &lv {
        if l > 0 {
            area_share[l as usize - 1] += 1.0;
        }
    }
    let hz_cells: Vec<usize> = samples
        .cells
        .iter()
        .zip(&samples.labels)
        .filter(|(_, &l)| l == 1)
        .map(|(&c, _)| c)
        .collect();
    for &c in &hz_cells {
        if lv[c] > 0 {
            hazard_share[lv[c] as usize - 1] += 1.0;
        }
    }
    let ta: f64 = area_share.iter().sum();
    let th: f64 = hazard_share.iter().sum();
    area_share.iter_mut().for_each(|v| *v /= ta.max(1.0));
    hazard_share.iter_mut().for_each(|v| *v /= th.max(1.0));
    let labels: Vec<Vec<String>> = f
        .classifiers
        .iter()
        .map(|c| (1..=c.classes()).map(|k| c.label(k)).collect())
        .collect();
    let report = ModelReport {
        method,
        seed: params.sampling.seed,
        negative_ratio: params.sampling.negative_ratio,
        buffer_m: params.sampling.buffer_m,
        test_fraction: params.sampling.test_fraction,
        min_hazard_cells: params.min_hazard_cells,
        hazard_types: params.hazard_types.clone(),
        inventory_points: points.len(),
        points_used: points.len() - samples.points_on_nodata,
        points_on_nodata: samples.points_on_nodata,
        hazard_cells: hz_cells.len(),
        train_samples: train.len(),
        test_samples: test.len(),
        study_area_cells: area_cells,
        factors: f.ids.clone(),
        auc_test,
        auc_train,
        success_rate_auc: success.as_ref().map_or(f64::NAN, |c| c.auc),
        prediction_rate_auc: prediction.as_ref().map_or(f64::NAN, |c| c.auc),
        index_min: lo as f64,
        index_max: hi as f64,
        level_breaks: breaks.inner().to_vec(),
        level_bounds: breaks.bounds.clone(),
        level_method,
        level_area_share: area_share,
        level_hazard_share: hazard_share,
        logistic: model.logistic.clone(),
        classes: class_table(&f.ids, &labels, &counts),
        roc,
        success,
        prediction,
    };
    Ok(Fitted {
        susceptibility: score,
        levels: lv,
        report,
        samples,
    })
}

/// The four-level breaks of a normalised index, in the zoning crate's upper-bound
/// convention (`riskcensus_zoning::Breaks`: a value belongs to the first ascending
/// class whose bound it does not exceed; level code = 4 − class). Natural breaks are
/// the exact Fisher–Jenks optimum over the full population of valid cells quantised
/// to `riskcensus_zoning::breaks::DEFAULT_STEP` = 1e-4 (issue 9: full-population breaks), the
/// same solver `assess` uses for `natural_breaks` models; fixed breaks are the three
/// inner upper bounds of the parameter file. An index with fewer than four distinct
/// quantised values gets one level per value, counted from level 1 down.
fn level_breaks(
    values: &[f32],
    rule: &LevelRule,
) -> Result<(riskcensus_zoning::Breaks, &'static str), EngineError> {
    let zerr = |e: riskcensus_zoning::ZoningError| EngineError::Model {
        model: MODEL.into(),
        msg: format!("four-level classification: {e}"),
    };
    Ok(match rule {
        LevelRule::NaturalBreaks => {
            let mut h = riskcensus_zoning::Histogram::new(riskcensus_zoning::breaks::DEFAULT_STEP)
                .map_err(zerr)?;
            h.add(values).map_err(zerr)?;
            // Coarse factors can leave fewer than four distinct values: then one
            // class per value, the highest level 1 (as many levels as values).
            let k = h.bins().len().clamp(1, 4);
            (h.jenks(k).map_err(zerr)?, "natural_breaks")
        }
        LevelRule::FixedBreaks { breaks } => (
            riskcensus_zoning::Breaks::from_inner(breaks).map_err(zerr)?,
            "fixed_breaks",
        ),
    })
}

// ---------------------------------------------------------------- standalone

/// What [`train_standalone`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SusceptibilityOutput {
    pub susceptibility: PathBuf,
    pub levels: PathBuf,
    pub report: PathBuf,
    pub model: ModelReport,
}

/// Options of the standalone trainer.
#[derive(Debug, Clone)]
pub struct StandaloneOptions {
    pub method: Method,
    /// Overrides the parameter file's seed.
    pub seed: Option<u64>,
    /// Sampling, minimum count, hazard types and level rule (the built-in
    /// `models/geohazard.toml` by default; its factor list is not used).
    pub params: GeohazardParams,
}

/// Train and score on aligned factor class rasters and an inventory; write
/// `susceptibility.tif` (f32, normalised index, NaN nodata), `susceptibility_level.tif`
/// (u8 geohazard4), `report.json`, `classes.csv`, `roc.csv`, `success_rate.csv`,
/// `prediction_rate.csv` and (lr) `coefficients.csv` into `out_dir`.
pub fn train_standalone(
    factors: &[PathBuf],
    inventory: &Path,
    opts: &StandaloneOptions,
    out_dir: &Path,
) -> Result<SusceptibilityOutput, EngineError> {
    if factors.is_empty() {
        return Err(EngineError::Model {
            model: MODEL.into(),
            msg: "no factor rasters given".into(),
        });
    }
    if opts.method == Method::Expert {
        return Err(EngineError::Model {
            model: MODEL.into(),
            msg: "the standalone trainer runs the statistical methods iv|fr|cf|lr; expert \
                  mode needs the class scores of a parameter file (census stage)"
                .into(),
        });
    }
    let mut params = opts.params.clone();
    if let Some(s) = opts.seed {
        params.sampling.seed = s;
    }
    let mut grid: Option<GridSpec> = None;
    let mut fg = FactorGrids {
        ids: Vec::new(),
        classifiers: Vec::new(),
        columns: Vec::new(),
    };
    for path in factors {
        let r = RasterReader::open(path, 1)?;
        let g = r.info().grid()?;
        match &grid {
            None => grid = Some(g.clone()),
            Some(g0) => {
                if !g0.same_lattice(&g) || g0.rows != g.rows || g0.cols != g.cols {
                    return Err(EngineError::Layer {
                        layer: path.display().to_string(),
                        msg: format!(
                            "not aligned with {}: every factor raster must share the first one's CRS, origin, cell size and shape",
                            factors[0].display()
                        ),
                    });
                }
            }
        }
        let a = r.read_f32(g.full_window())?;
        let values = a.as_standard_layout();
        let values = values.as_slice().expect("standard layout");
        let mut codes: Vec<i64> = Vec::new();
        for (i, &v) in values.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            if v.fract() != 0.0 {
                return Err(EngineError::Layer {
                    layer: path.display().to_string(),
                    msg: format!(
                        "cell (row {}, col {}) holds {v}: a factor class raster holds integer class codes",
                        i / g.cols,
                        i % g.cols
                    ),
                });
            }
            codes.push(v as i64);
        }
        codes.sort_unstable();
        codes.dedup();
        if codes.len() > 1000 {
            return Err(EngineError::Layer {
                layer: path.display().to_string(),
                msg: format!("{} distinct values: classify the factor first (a class raster holds a few codes)", codes.len()),
            });
        }
        let c = Classifier::Codes { codes };
        let mut col = vec![0u16; values.len()];
        c.classify(values, &mut col);
        fg.ids.push(
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| format!("f{}", fg.ids.len())),
        );
        fg.classifiers.push(c);
        fg.columns.push(col);
    }
    let grid = grid.expect("at least one factor");
    let points = read_inventory(inventory, &grid)?;
    let points = filter_types(points, &params.hazard_types, inventory)?;
    check_inside(&points, &grid, inventory)?;
    let fitted = fit_grid(&grid, &fg, &points, &params, opts.method, None)?;
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("susceptibility-{}", opts.method.id()),
    );
    tags.insert(tag::SOURCE.into(), file_name(inventory));
    tags.insert("RISKCENSUS_SEED".into(), params.sampling.seed.to_string());
    tags.insert(
        "RISKCENSUS_CLASS_BREAKS".into(),
        join(&fitted.report.level_breaks),
    );
    let s_path = write_f32(
        out_dir,
        "susceptibility",
        &grid,
        &fitted.susceptibility,
        &tags,
        Some("index"),
    )?;
    let l_path = write_levels(
        out_dir,
        "susceptibility_level",
        &grid,
        &fitted.levels,
        LevelScheme::Geohazard,
        &tags,
    )?;
    let report = write_report(out_dir, &fitted.report, &[])?;
    Ok(SusceptibilityOutput {
        susceptibility: s_path,
        levels: l_path,
        report,
        model: fitted.report,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn join(v: &[f64]) -> String {
    v.iter()
        .map(|b| format!("{b}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn inv_err(path: &Path, msg: String) -> EngineError {
    EngineError::Config {
        path: path.to_path_buf(),
        msg,
    }
}

/// Read an inventory: a CSV (`x`, `y` columns, optional `type`) or a vector file
/// of points (field `type` if present), in the grid's CRS.
pub fn read_inventory(path: &Path, grid: &GridSpec) -> Result<Vec<InventoryPoint>, EngineError> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return read_csv_inventory(path);
    }
    let src = VectorSource::open(path)?;
    let info = src.info(None)?;
    if let (Some(epsg), true) = (&info.crs_epsg, grid.crs.starts_with("EPSG:")) {
        if !epsg.eq_ignore_ascii_case(&grid.crs) {
            return Err(inv_err(
                path,
                format!(
                    "the inventory is in {epsg} but the factor rasters in {}: reproject it first",
                    grid.crs
                ),
            ));
        }
    }
    let type_field = info
        .fields
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case("type"));
    let mut pts = Vec::new();
    src.read(None, |feat| -> Result<(), EngineError> {
        let record = feat.index as usize + 1;
        let g = feat
            .geometry
            .map_err(|e| inv_err(path, format!("record {record}: {e}")))?;
        let (x, y) = match g {
            Some(geo_types::Geometry::Point(p)) => (p.x(), p.y()),
            Some(geo_types::Geometry::MultiPoint(mp)) if mp.0.len() == 1 => {
                (mp.0[0].x(), mp.0[0].y())
            }
            _ => {
                return Err(inv_err(
                    path,
                    format!("record {record}: geometry is not a point"),
                ))
            }
        };
        let kind = type_field.and_then(|i| match &feat.values[i] {
            RawValue::Text(b) => Some(String::from_utf8_lossy(b).trim().to_string()),
            _ => None,
        });
        pts.push(InventoryPoint { x, y, kind, record });
        Ok(())
    })?;
    Ok(pts)
}

fn read_csv_inventory(path: &Path) -> Result<Vec<InventoryPoint>, EngineError> {
    let text = std::fs::read_to_string(path).map_err(EngineError::fs(path))?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(xi), Some(yi)) = (col("x"), col("y")) else {
        return Err(inv_err(
            path,
            format!("the header must name columns `x` and `y` (grid CRS); found {header:?}"),
        ));
    };
    let ti = col("type");
    let mut pts = Vec::new();
    for (k, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = k + 1;
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let num = |i: usize, name: &str| -> Result<f64, EngineError> {
            cells
                .get(i)
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    inv_err(
                        path,
                        format!(
                            "record {record} (line {}): field `{name}`: {:?} is not a number",
                            record + 1,
                            cells.get(i).copied().unwrap_or("")
                        ),
                    )
                })
        };
        let x = num(xi, "x")?;
        let y = num(yi, "y")?;
        let kind = ti.and_then(|i| cells.get(i)).map(|s| s.to_string());
        pts.push(InventoryPoint { x, y, kind, record });
    }
    Ok(pts)
}

/// Chinese names of the hidden-danger types (the census schema's code list).
const TYPE_NAMES: &[(&str, &str)] = &[
    ("滑坡", "landslide"),
    ("崩塌", "collapse"),
    ("危岩", "collapse"),
    ("泥石流", "debris_flow"),
    ("地面塌陷", "subsidence"),
    ("塌陷", "subsidence"),
    ("岩溶塌陷", "subsidence"),
    ("采空塌陷", "subsidence"),
    ("地裂缝", "ground_fissure"),
];

/// Keep the points whose type is one of `keep`; an unknown type is an error naming
/// the record; points without a type column are all kept.
pub fn filter_types(
    points: Vec<InventoryPoint>,
    keep: &[String],
    path: &Path,
) -> Result<Vec<InventoryPoint>, EngineError> {
    let mut out = Vec::with_capacity(points.len());
    for p in points {
        match &p.kind {
            None => out.push(p),
            Some(k) if k.is_empty() => out.push(p),
            Some(k) => {
                let code = if HAZARD_TYPES.contains(&k.as_str()) {
                    k.as_str()
                } else if let Some((_, c)) = TYPE_NAMES.iter().find(|(n, _)| n == k) {
                    c
                } else {
                    return Err(inv_err(
                        path,
                        format!(
                            "record {}: field `type`: unknown hazard type {k:?}; known: {} (or 滑坡, 崩塌, 泥石流, 地面塌陷, 地裂缝)",
                            p.record,
                            HAZARD_TYPES.join(", ")
                        ),
                    ));
                };
                if keep.iter().any(|t| t == code) {
                    out.push(p);
                }
            }
        }
    }
    Ok(out)
}

/// Every point must fall inside the grid.
pub fn check_inside(
    points: &[InventoryPoint],
    grid: &GridSpec,
    path: &Path,
) -> Result<(), EngineError> {
    for p in points {
        if grid.cell_of(p.x, p.y).is_none() {
            let (x0, y0, x1, y1) = grid.bounds();
            return Err(inv_err(
                path,
                format!(
                    "record {}: point (x {}, y {}) lies outside the grid [{x0}, {x1}] × [{y0}, {y1}] ({}); inventory coordinates are (x, y) in the rasters' CRS",
                    p.record, p.x, p.y, grid.crs
                ),
            ));
        }
    }
    Ok(())
}

fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{v}")
    } else {
        String::new()
    }
}

/// `report.json`, `classes.csv`, `roc.csv`, `success_rate.csv`,
/// `prediction_rate.csv`, `coefficients.csv` (lr). `extra` adds keys to the JSON.
fn write_report(
    dir: &Path,
    r: &ModelReport,
    extra: &[(&str, serde_json::Value)],
) -> Result<PathBuf, EngineError> {
    std::fs::create_dir_all(dir).map_err(EngineError::fs(dir))?;
    let mut json = serde_json::to_value(r).expect("serialisable");
    if let serde_json::Value::Object(m) = &mut json {
        m.insert("engine_version".into(), crate::ENGINE_VERSION.into());
        m.insert(
            "files".into(),
            serde_json::json!({
                "classes": "classes.csv", "roc": "roc.csv",
                "success_rate": "success_rate.csv", "prediction_rate": "prediction_rate.csv",
                "coefficients": if r.logistic.is_some() { "coefficients.csv" } else { "" },
            }),
        );
        for (k, v) in extra {
            m.insert((*k).into(), v.clone());
        }
    }
    let path = dir.join("report.json");
    write_text(
        &path,
        &(serde_json::to_string_pretty(&json).expect("serialisable") + "\n"),
    )?;
    let mut s = String::from(
        "factor,class,label,area_cells,hazard_cells,information_value,frequency_ratio,certainty_factor\n",
    );
    for c in &r.classes {
        let _ = writeln!(
            s,
            "{},{},\"{}\",{},{},{},{},{}",
            c.factor,
            c.class,
            c.label,
            c.area_cells,
            c.hazard_cells,
            num(c.information_value),
            num(c.frequency_ratio),
            num(c.certainty_factor)
        );
    }
    write_text(&dir.join("classes.csv"), &s)?;
    let mut s = String::from("threshold,fpr,tpr\n");
    if let Some(roc) = &r.roc {
        for i in 0..roc.fpr.len() {
            let _ = writeln!(
                s,
                "{},{},{}",
                num(roc.thresholds[i]),
                roc.fpr[i],
                roc.tpr[i]
            );
        }
    }
    write_text(&dir.join("roc.csv"), &s)?;
    for (name, c) in [
        ("success_rate", &r.success),
        ("prediction_rate", &r.prediction),
    ] {
        let mut s = String::from("threshold,area_fraction,hazard_fraction\n");
        if let Some(c) = c {
            for i in 0..c.area_fraction.len() {
                let _ = writeln!(
                    s,
                    "{},{},{}",
                    num(c.thresholds[i]),
                    c.area_fraction[i],
                    c.hazard_fraction[i]
                );
            }
        }
        write_text(&dir.join(format!("{name}.csv")), &s)?;
    }
    if let Some(l) = &r.logistic {
        let mut s = String::from("term,coefficient,std_error,z\n");
        for i in 0..l.names.len() {
            let _ = writeln!(
                s,
                "{},{},{},{}",
                l.names[i], l.coefficients[i], l.std_errors[i], l.z[i]
            );
        }
        write_text(&dir.join("coefficients.csv"), &s)?;
    }
    Ok(path)
}

// ---------------------------------------------------------------- threat grids

/// What [`threat_layers`] wrote and counted.
#[derive(Debug, Clone, Serialize)]
pub struct ThreatSummary {
    pub points: usize,
    /// Σ people threatened over the points (persons).
    pub people: f64,
    /// Σ property threatened over the points (万元).
    pub property_wan: f64,
    /// Points per danger grade 1 特大型 … 4 小型, and with none (nothing threatened).
    pub grade_counts: [usize; 5],
    /// Points per monitoring code as used: professional, mass, none.
    pub monitoring_counts: [usize; 3],
    /// Points whose `threat_pop` / `threat_value_wan` / `monitoring` / `scale` is not
    /// recorded (counted as 0 persons, 0 万元, `default_monitoring`,
    /// `default_radius_m`).
    pub missing_threat_pop: usize,
    pub missing_threat_value: usize,
    pub missing_monitoring: usize,
    pub missing_scale: usize,
    /// Points whose people have been relocated (`relocation = done`): they keep their
    /// row in the table but threaten no one in the grids; and the people and property
    /// so removed from the threat.
    pub relocated_points: usize,
    pub relocated_people: f64,
    pub relocated_property_wan: f64,
    /// Points with relocation planned (reported; no effect until done).
    pub relocation_planned: usize,
    /// Cells inside at least one threat zone.
    pub zone_cells: usize,
    /// The files (paths are left out of the report, which names them relative to
    /// the output folder, so two runs into different folders write the same report).
    #[serde(skip)]
    pub people_grid: PathBuf,
    #[serde(skip)]
    pub property_grid: PathBuf,
    #[serde(skip)]
    pub grade_grid: PathBuf,
    #[serde(skip)]
    pub capacity_grid: PathBuf,
    #[serde(skip)]
    pub table: PathBuf,
    /// Output-relative file names of the grids and the table.
    pub files: [&'static str; 5],
}

/// The threat grids of the hidden-danger points (`riskcensus_models::geohazard::threat`):
/// `geohazard_threat_pop` (persons/km², 0 outside every zone), `geohazard_threat_value`
/// (万元/km²), `geohazard_threat_grade` (u8 1 特大型 … 4 小型, 0 none) and
/// `geohazard_point_capacity` (monitoring index, NaN outside every zone), inserted
/// into `stack` for `models/geohazard_exposure.toml` and
/// `models/geohazard_capacity.toml`, plus `geohazard/threat_points.csv` (one row per
/// point). `records` come from the census database, already checked by the survey
/// validator at ingest (a negative `threat_pop` or an unknown `monitoring` code is
/// rejected there and listed in `_rejects`); a record that still breaks the rules
/// (a database written by another tool) is a named error here. Every point counts,
/// whatever its type: a subsidence threatens people as a landslide does.
pub fn threat_layers(
    grid: &GridSpec,
    records: &[HiddenDanger],
    spec: &ThreatSpec,
    source: &Path,
    out_dir: &Path,
    stack: &mut LayerStack,
    tags: &riskcensus_io::Provenance,
) -> Result<ThreatSummary, EngineError> {
    let bad = |h: &HiddenDanger, field: &str, msg: String| {
        inv_err(
            source,
            format!(
                "layer hidden_dangers, record {} (id {:?}): field `{field}`: {msg}",
                h.point.record, h.id
            ),
        )
    };
    let mut pts = Vec::with_capacity(records.len());
    let mut caps = Vec::with_capacity(records.len());
    let mut sum = ThreatSummary {
        points: records.len(),
        people: 0.0,
        property_wan: 0.0,
        grade_counts: [0; 5],
        monitoring_counts: [0; 3],
        missing_threat_pop: 0,
        missing_threat_value: 0,
        missing_monitoring: 0,
        missing_scale: 0,
        relocated_points: 0,
        relocated_people: 0.0,
        relocated_property_wan: 0.0,
        relocation_planned: 0,
        zone_cells: 0,
        people_grid: out_dir.join("geohazard_threat_pop.tif"),
        property_grid: out_dir.join("geohazard_threat_value.tif"),
        grade_grid: out_dir.join("geohazard_threat_grade.tif"),
        capacity_grid: out_dir.join("geohazard_point_capacity.tif"),
        table: out_dir.join("geohazard").join("threat_points.csv"),
        files: [
            "geohazard_threat_pop.tif",
            "geohazard_threat_value.tif",
            "geohazard_threat_grade.tif",
            "geohazard_point_capacity.tif",
            "geohazard/threat_points.csv",
        ],
    };
    for h in records {
        let nonneg = |v: Option<f64>, field: &str, unit: &str| match v {
            Some(x) if !(x.is_finite() && x >= 0.0) => {
                Err(bad(h, field, format!("{x} {unit} is not a count ≥ 0")))
            }
            _ => Ok(v),
        };
        let people = nonneg(h.threat_pop, "threat_pop", "persons")?;
        let property = nonneg(h.threat_value_wan, "threat_value_wan", "万元")?;
        sum.missing_threat_pop += usize::from(people.is_none());
        sum.missing_threat_value += usize::from(property.is_none());
        sum.missing_monitoring += usize::from(h.monitoring.is_none());
        sum.missing_scale += usize::from(h.scale.is_none());
        let radius = spec.radius(h.scale.as_deref()).ok_or_else(|| {
            bad(
                h,
                "scale",
                format!(
                    "unknown code {:?}; known: small, medium, large, huge",
                    h.scale.as_deref().unwrap_or("")
                ),
            )
        })?;
        let capacity = spec.capacity(h.monitoring.as_deref()).ok_or_else(|| {
            bad(
                h,
                "monitoring",
                format!(
                    "unknown code {:?}; known: professional (专业监测), mass (群测群防), none (未监测)",
                    h.monitoring.as_deref().unwrap_or("")
                ),
            )
        })?;
        let used = h.monitoring.as_deref().unwrap_or(&spec.default_monitoring);
        let k = ["professional", "mass", "none"]
            .iter()
            .position(|m| *m == used)
            .expect("checked by capacity()");
        sum.monitoring_counts[k] += 1;
        let (mut people, mut property) = (people.unwrap_or(0.0), property.unwrap_or(0.0));
        // Relocation (搬迁避让): once the people have moved, the point threatens no one
        // and nothing there; a planned relocation changes nothing yet.
        match h.relocation.as_deref() {
            None | Some("none") => {}
            Some("planned") => sum.relocation_planned += 1,
            Some("done") => {
                sum.relocated_points += 1;
                sum.relocated_people += people;
                sum.relocated_property_wan += property;
                people = 0.0;
                property = 0.0;
            }
            Some(other) => {
                return Err(bad(
                    h,
                    "relocation",
                    format!("unknown code {other:?}; known: done (已搬迁), planned (计划搬迁), none (未搬迁)"),
                ))
            }
        }
        sum.people += people;
        sum.property_wan += property;
        pts.push(ThreatPoint {
            col: (h.point.x - grid.x_min) / grid.cell_size,
            row: (grid.y_max - h.point.y) / grid.cell_size,
            radius_m: radius,
            people,
            property_wan: property,
            capacity,
        });
        caps.push(capacity);
    }
    let g = threat_grids(&pts, grid.rows, grid.cols, grid.cell_size);
    for z in &g.points {
        sum.grade_counts[if z.grade == 0 {
            4
        } else {
            z.grade as usize - 1
        }] += 1;
    }
    sum.zone_cells = g.capacity.iter().filter(|c| !c.is_nan()).count();
    let mut t = tags.clone();
    t.insert(tag::SOURCE.into(), "census.gpkg:hidden_dangers".into());
    t.insert(
        "RISKCENSUS_THREAT_RULE".into(),
        format!(
            "radius_m small={} medium={} large={} huge={} default={}; monitoring professional={} mass={} none={} default={}",
            spec.radius_m.small, spec.radius_m.medium, spec.radius_m.large, spec.radius_m.huge,
            spec.default_radius_m, spec.monitoring.professional, spec.monitoring.mass,
            spec.monitoring.none, spec.default_monitoring
        ),
    );
    let p = write_f32(
        out_dir,
        "geohazard_threat_pop",
        grid,
        &g.people_per_km2,
        &t,
        Some("persons/km2"),
    )?;
    stack.insert("geohazard_threat_pop", p, "persons/km2");
    let p = write_f32(
        out_dir,
        "geohazard_threat_value",
        grid,
        &g.property_per_km2,
        &t,
        Some("wan_cny/km2"),
    )?;
    stack.insert("geohazard_threat_value", p, "wan_cny/km2");
    let p = write_f32(
        out_dir,
        "geohazard_point_capacity",
        grid,
        &g.capacity,
        &t,
        Some("index"),
    )?;
    stack.insert("geohazard_point_capacity", p, "index");
    {
        let path = &sum.grade_grid;
        let mut w = CogWriter::<u8>::create(path, grid, Some(0.0), CogOptions::default())?;
        w.write_window(grid.full_window(), &g.grade)?;
        let mut tt = t.clone();
        tt.insert(tag::LAYER.into(), "geohazard_threat_grade".into());
        tt.insert(tag::UNITS.into(), "class".into());
        tt.insert(
            "RISKCENSUS_CLASS_NAMES".into(),
            (1..=4u8).map(grade_name).collect::<Vec<_>>().join(","),
        );
        w.set_tags(&tt);
        w.finish()?;
        stack.insert("geohazard_threat_grade", path.clone(), "class");
    }
    let mut s = String::from(
        "record,id,x,y,type,scale,radius_m,zone_cells,threat_pop,threat_value_wan,grade,grade_name,monitoring,capacity,relocation\n",
    );
    for (i, h) in records.iter().enumerate() {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            h.point.record,
            h.id,
            h.point.x,
            h.point.y,
            h.point.kind.as_deref().unwrap_or(""),
            h.scale.as_deref().unwrap_or(""),
            pts[i].radius_m,
            g.points[i].cells,
            pts[i].people,
            pts[i].property_wan,
            g.points[i].grade,
            grade_name(g.points[i].grade),
            h.monitoring.as_deref().unwrap_or(""),
            caps[i],
            h.relocation.as_deref().unwrap_or("")
        );
    }
    std::fs::create_dir_all(out_dir.join("geohazard")).map_err(EngineError::fs(out_dir))?;
    write_text(&sum.table, &s)?;
    Ok(sum)
}

// ---------------------------------------------------------------- census stage

/// What the census stage did.
#[derive(Debug, Clone, Serialize)]
pub struct GeohazardReport {
    pub model: ModelReport,
    pub susceptibility: PathBuf,
    pub susceptibility_level: PathBuf,
    pub hazard: Option<PathBuf>,
    pub hazard_level: Option<PathBuf>,
    pub hazard_breaks: Vec<f64>,
    pub candidates: Option<PathBuf>,
    pub candidate_table: Option<PathBuf>,
    pub candidate_cells: usize,
    /// The threat grids of the hidden-danger points (`[threat]` of the parameters).
    pub threat: Option<ThreatSummary>,
    pub report: PathBuf,
}

/// The census stage (see the module doc). Inserts `lithology` (class),
/// `geohazard_susceptibility` and `geohazard_hazard` (index) into `stack`; writes
/// into `out_dir` (the report under `out_dir/geohazard/`).
pub fn run_geohazard(
    census: &CensusConfig,
    stack: &mut LayerStack,
    out_dir: &Path,
    _exec: &ExecOptions,
    progress: &dyn Progress,
) -> Result<GeohazardReport, EngineError> {
    let params = load_params(&census.dir)?;
    let grid = &census.grid;
    progress.start("geohazard", params.factors.len() as u64 + 3);
    std::fs::create_dir_all(out_dir).map_err(EngineError::fs(out_dir))?;
    if params.factors.iter().any(|f| f.layer == "lithology") && stack.get("lithology").is_none() {
        let path = rasterize_lithology(census, out_dir)?;
        stack.insert("lithology", path, "class");
    }
    let mut fg = FactorGrids {
        ids: Vec::new(),
        classifiers: Vec::new(),
        columns: Vec::new(),
    };
    for f in &params.factors {
        let values = read_layer(stack, &f.layer, &f.unit, grid)?;
        let mut col = vec![0u16; values.len()];
        f.classifier.classify(&values, &mut col);
        fg.ids.push(f.id.clone());
        fg.classifiers.push(f.classifier.clone());
        fg.columns.push(col);
        progress.advance(1);
    }
    let records = read_hidden_dangers(census)?;
    let all: Vec<InventoryPoint> = records.iter().map(|h| h.point.clone()).collect();
    let db = census.dir.join("census.gpkg");
    check_inside(&all, grid, &db)?;
    let training = filter_types(all.clone(), &params.hazard_types, &db)?;
    let expert = riskcensus_models::geohazard::expert::expert_tables(&params);
    let fitted = fit_grid(grid, &fg, &training, &params, params.method, expert)?;
    progress.advance(1);
    let mut tags = provenance::base();
    tags.insert(
        tag::MODEL_ID.into(),
        format!("{}-{}", params.id, params.method.id()),
    );
    tags.insert("RISKCENSUS_MODEL_VERSION".into(), params.version.clone());
    tags.insert(tag::SOURCE.into(), "census.gpkg:hidden_dangers".into());
    tags.insert("RISKCENSUS_SEED".into(), params.sampling.seed.to_string());
    let mut st = tags.clone();
    st.insert(
        "RISKCENSUS_CLASS_BREAKS".into(),
        join(&fitted.report.level_breaks),
    );
    let s_path = write_f32(
        out_dir,
        "geohazard_susceptibility",
        grid,
        &fitted.susceptibility,
        &st,
        Some("index"),
    )?;
    let sl_path = write_levels(
        out_dir,
        "geohazard_susceptibility_level",
        grid,
        &fitted.levels,
        LevelScheme::Geohazard,
        &st,
    )?;
    stack.insert("geohazard_susceptibility", &s_path, "index");
    // Hazard.
    let (mut hazard_path, mut hazard_level_path, mut hazard_breaks) = (None, None, Vec::new());
    if let Some(t) = &params.trigger {
        let rain = read_layer(stack, &t.layer, &t.unit, grid)?;
        let h: Vec<f32> = fitted
            .susceptibility
            .iter()
            .zip(&rain)
            .map(|(&s, &r)| {
                if s.is_nan() || r.is_nan() {
                    return f32::NAN;
                }
                let tt = ((r as f64 - t.x0) / (t.x1 - t.x0)).clamp(0.0, 1.0);
                (s as f64 * (t.base + (1.0 - t.base) * tt)) as f32
            })
            .collect();
        let (breaks, _) = level_breaks(&h, &params.levels)?;
        let hl: Vec<u8> = h.iter().map(|&v| breaks.classify(v)).collect();
        let mut ht = tags.clone();
        ht.insert("RISKCENSUS_CLASS_BREAKS".into(), join(breaks.inner()));
        ht.insert("RISKCENSUS_CLASS_BOUNDS".into(), join(&breaks.bounds));
        ht.insert(
            "RISKCENSUS_TRIGGER".into(),
            format!("{} x0={} x1={} base={}", t.layer, t.x0, t.x1, t.base),
        );
        let hp = write_f32(out_dir, "geohazard_hazard", grid, &h, &ht, Some("index"))?;
        let hlp = write_levels(
            out_dir,
            "geohazard_hazard_level",
            grid,
            &hl,
            LevelScheme::Geohazard,
            &ht,
        )?;
        stack.insert("geohazard_hazard", &hp, "index");
        hazard_path = Some(hp);
        hazard_level_path = Some(hlp);
        hazard_breaks = breaks.inner().to_vec();
    }
    progress.advance(1);
    // Candidates.
    let (mut cand_path, mut cand_table, mut cand_cells) = (None, None, 0);
    if let Some(b) = stack.get("buildings_count") {
        let b = b.path.clone();
        let buildings = read_path(&b, grid)?;
        let pts: Vec<(f64, f64)> = all
            .iter()
            .map(|p| {
                (
                    (p.x - grid.x_min) / grid.cell_size,
                    (grid.y_max - p.y) / grid.cell_size,
                )
            })
            .collect();
        let near = riskcensus_models::geohazard::sampling::buffer_mask(
            &pts,
            grid.rows,
            grid.cols,
            grid.cell_size,
            params.sampling.buffer_m,
        );
        let cand: Vec<u8> = (0..grid.cell_count())
            .map(|i| u8::from(matches!(fitted.levels[i], 1 | 2) && buildings[i] > 0.0 && !near[i]))
            .collect();
        cand_cells = cand.iter().filter(|&&c| c == 1).count();
        let path = out_dir.join("geohazard_candidates.tif");
        let mut w = CogWriter::<u8>::create(&path, grid, Some(0.0), CogOptions::default())?;
        w.write_window(grid.full_window(), &cand)?;
        let mut t = tags.clone();
        t.insert(tag::LAYER.into(), "geohazard_candidates".into());
        t.insert(tag::UNITS.into(), "flag".into());
        w.set_tags(&t);
        w.finish()?;
        cand_path = Some(path);
        cand_table = Some(candidate_tables(
            census, grid, &cand, &fitted, &buildings, out_dir,
        )?);
    }
    progress.advance(1);
    // What the points threaten (risk inputs).
    let threat = match &params.threat {
        Some(spec) => Some(threat_layers(
            grid, &records, spec, &db, out_dir, stack, &tags,
        )?),
        None => None,
    };
    let extra = [
        ("hazard_breaks", serde_json::json!(hazard_breaks)),
        (
            "trigger",
            serde_json::to_value(&params.trigger).expect("serialisable"),
        ),
        ("candidate_cells", serde_json::json!(cand_cells)),
        ("model_id", serde_json::json!(params.id)),
        ("model_version", serde_json::json!(params.version)),
        (
            "threat",
            serde_json::to_value(&threat).expect("serialisable"),
        ),
    ];
    let report = write_report(&out_dir.join("geohazard"), &fitted.report, &extra)?;
    progress.finish("geohazard");
    Ok(GeohazardReport {
        model: fitted.report,
        susceptibility: s_path,
        susceptibility_level: sl_path,
        hazard: hazard_path,
        hazard_level: hazard_level_path,
        hazard_breaks,
        candidates: cand_path,
        candidate_table: cand_table,
        candidate_cells: cand_cells,
        threat,
        report,
    })
}

fn read_path(path: &Path, grid: &GridSpec) -> Result<Vec<f32>, EngineError> {
    Ok(row_major(read_on_grid(path, grid)?))
}

fn read_layer(
    stack: &LayerStack,
    id: &str,
    unit: &str,
    grid: &GridSpec,
) -> Result<Vec<f32>, EngineError> {
    Ok(row_major(stack.read_grid(
        id,
        Some(unit),
        grid,
        "the geohazard model (models/geohazard.toml)",
    )?))
}

/// Rasterize the `lithology` source's `code` field (Roman I–IV, or 1–4) onto the
/// grid as class codes 1–4 (cell-centre rule; 0 → NaN outside every polygon).
fn rasterize_lithology(census: &CensusConfig, out_dir: &Path) -> Result<PathBuf, EngineError> {
    let src = census
        .vectors
        .iter()
        .find(|v| v.id == "lithology")
        .ok_or_else(|| EngineError::Layer {
            layer: "lithology".into(),
            msg: "census.toml lists no [[vector]] with id = \"lithology\" (engineering rock groups, field `code` I–IV)".into(),
        })?;
    let path = census.dir.join(&src.path);
    let mut out = vec![f32::NAN; census.grid.cell_count()];
    for (k, codes) in [
        ("1", ["I", "1"]),
        ("2", ["II", "2"]),
        ("3", ["III", "3"]),
        ("4", ["IV", "4"]),
    ] {
        let spec = RasterizeSpec {
            where_clause: Some(format!("code IN ('{}', '{}')", codes[0], codes[1])),
            ..RasterizeSpec::mask(src.layer.as_deref(), false)
        };
        let a = rasterize(&path, &census.grid, &spec)?;
        for (o, &v) in out.iter_mut().zip(a.iter()) {
            if v > 0.0 {
                *o = k.parse().expect("digit");
            }
        }
    }
    let mut tags = provenance::base();
    tags.insert(tag::SOURCE.into(), format!("{}:code", src.id));
    write_f32(
        out_dir,
        "lithology",
        &census.grid,
        &out,
        &tags,
        Some("class"),
    )
}

/// A hidden-danger record of the census database: its location (census CRS, x/y),
/// type, and what it threatens, as the survey validator stored it (codes of the
/// schema's `scale` and `monitoring` domains).
#[derive(Debug, Clone, PartialEq)]
pub struct HiddenDanger {
    pub point: InventoryPoint,
    /// The record's `id` (统一编号).
    pub id: String,
    pub scale: Option<String>,
    /// People threatened, persons (`threat_pop`); `None` when not recorded.
    pub threat_pop: Option<f64>,
    /// Property threatened, 万元 (`threat_value_wan`); `None` when not recorded.
    pub threat_value_wan: Option<f64>,
    /// `professional`, `mass` or `none`; `None` when not recorded.
    pub monitoring: Option<String>,
    /// Relocation (搬迁避让) `done`, `planned` or `none`; `None` when not recorded.
    pub relocation: Option<String>,
}

/// The `hidden_dangers` of the census database (census CRS), in feature order.
pub fn read_hidden_dangers(census: &CensusConfig) -> Result<Vec<HiddenDanger>, EngineError> {
    let c = riskcensus_survey::Census::open(&census.dir)?;
    let feats = c.query(
        "hidden_dangers",
        &riskcensus_survey::census::Query::default(),
    )?;
    let mut out = Vec::new();
    for f in feats {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let text = |k: &str| {
            f.get(k)
                .map(|v| v.text().trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let num = |k: &str| f.get(k).and_then(|v| v.number());
        out.push(HiddenDanger {
            point: InventoryPoint {
                x: p.x(),
                y: p.y(),
                kind: f.get("type").map(|v| v.text()),
                record: f.fid as usize,
            },
            id: text("id").unwrap_or_default(),
            scale: text("scale"),
            threat_pop: num("threat_pop"),
            threat_value_wan: num("threat_value_wan"),
            monitoring: text("monitoring"),
            relocation: text("relocation"),
        });
    }
    Ok(out)
}

/// Candidate cells (CSV, by susceptibility descending) and their villages (CSV).
fn candidate_tables(
    census: &CensusConfig,
    grid: &GridSpec,
    cand: &[u8],
    fitted: &Fitted,
    buildings: &[f32],
    out_dir: &Path,
) -> Result<PathBuf, EngineError> {
    let c = riskcensus_survey::Census::open(&census.dir)?;
    let admin = c.admin_index()?;
    let mut rows: Vec<usize> = (0..cand.len()).filter(|&i| cand[i] == 1).collect();
    rows.sort_by(|&a, &b| {
        fitted.susceptibility[b]
            .total_cmp(&fitted.susceptibility[a])
            .then(a.cmp(&b))
    });
    let mut s =
        String::from("row,col,x,y,susceptibility,level,buildings,township_code,village_code\n");
    let mut villages: BTreeMap<String, (usize, f64, f32)> = BTreeMap::new();
    for &i in &rows {
        let (r, col) = (i / grid.cols, i % grid.cols);
        let (x, y) = grid.cell_center(r, col);
        let (town, village) =
            admin.assign(&geo_types::Geometry::Point(geo_types::Point::new(x, y)));
        let v = village.clone().unwrap_or_default();
        let e = villages.entry(v.clone()).or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += buildings[i] as f64;
        e.2 = e.2.max(fitted.susceptibility[i]);
        let _ = writeln!(
            s,
            "{r},{col},{x},{y},{},{},{},{},{}",
            fitted.susceptibility[i],
            fitted.levels[i],
            buildings[i],
            town.unwrap_or_default(),
            v
        );
    }
    let path = out_dir.join("geohazard_candidates.csv");
    write_text(&path, &s)?;
    let mut vs: Vec<(String, (usize, f64, f32))> = villages.into_iter().collect();
    vs.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut s = String::from("village_code,candidate_cells,buildings,max_susceptibility\n");
    for (v, (n, b, m)) in vs {
        let _ = writeln!(s, "{v},{n},{b},{m}");
    }
    write_text(&out_dir.join("geohazard_candidate_villages.csv"), &s)?;
    Ok(path)
}

/// The geological-hazard stage's id.
pub const ID: &str = "geohazard";

/// The geological-hazard stage (see [`run_geohazard`]); it runs when the census has
/// hidden-danger points, and adds its level grids to the stack for zoning.
#[derive(Debug, Default, Clone, Copy)]
pub struct GeohazardStage;

impl crate::stage::Stage for GeohazardStage {
    fn id(&self) -> &str {
        ID
    }

    fn needs(&self, _cx: &crate::stage::Context<'_>) -> Result<crate::stage::Needs, EngineError> {
        Ok(crate::stage::Needs {
            tables: vec![riskcensus_contracts::tables::census::HIDDEN_DANGERS],
            layers: Vec::new(),
        })
    }

    fn writes(&self) -> crate::stage::Writes {
        crate::stage::Writes {
            layers: vec![
                "lithology",
                "geohazard_susceptibility",
                "geohazard_susceptibility_level",
                "geohazard_hazard",
                "geohazard_hazard_level",
                "geohazard_threat_pop",
                "geohazard_threat_value",
                "geohazard_threat_grade",
                "geohazard_point_capacity",
                "geohazard_candidates",
            ],
            files: vec![
                "geohazard/report.json",
                "geohazard_candidates.csv",
                "geohazard_candidate_villages.csv",
            ],
        }
    }

    fn run(
        &self,
        cx: &mut crate::stage::Context<'_>,
    ) -> Result<crate::stage::StageOutcome, EngineError> {
        let out = cx.layout.assess();
        let g = run_geohazard(cx.census, &mut cx.stack, &out, cx.exec, cx.progress)?;
        // Its level grids are zoned like those of assess.
        cx.stack.insert(
            "geohazard_susceptibility_level",
            g.susceptibility_level.clone(),
            "level",
        );
        if let Some(p) = &g.hazard_level {
            cx.stack
                .insert("geohazard_hazard_level", p.clone(), "level");
        }
        let seed = g.model.seed;
        let params = params_of(cx.library)?;
        let file = cx.library.require(PATH)?;
        let entry = riskcensus_contracts::manifest::ModelEntry {
            id: params.id.clone(),
            version: params.version.clone(),
            // The parameter file's text: the stage's parameters are all in it.
            param_hash: riskcensus_io::digest::bytes_sha256(file.text.as_bytes()),
            output: "geohazard_susceptibility, geohazard_hazard, geohazard_threat_*, geohazard_candidates".into(),
            method: Some(params.method.id().to_string()),
            breaks: Some(g.hazard_breaks.clone()),
        };
        let mut outcome = crate::stage::StageOutcome::with_details(g);
        outcome.seeds = vec![("geohazard_sampling".to_string(), seed)];
        outcome.operators = vec![entry];
        Ok(outcome)
    }
}
