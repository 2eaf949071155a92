//! The spatially blocked cross-validation of a fit (the rule and the citations are in
//! `riskcensus_models::geohazard::spatial_cv`): the samples' groups — square blocks
//! of the parameter file's size, or the township holding each sample cell's centre
//! (the census's admin units, or the polygons of a vector file for the standalone
//! command) — then k trainings, each scored on its held-out fold, and the same
//! k-fold with each sample its own group as the like-for-like random reference.
//! The figures go into `report.json` (`blocked_cv`) and `cv_folds.csv`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use riskcensus_core::GridSpec;
use riskcensus_io::vector_read::{RawValue, VectorSource};
use riskcensus_models::geohazard::fit::{cross_validate, random_folds, Fit};
use riskcensus_models::geohazard::spatial_cv::{block_groups, CvOutcome};
use riskcensus_models::geohazard::{CvBy, GeohazardParams, Method};
use riskcensus_survey::admin::AdminIndex;
use serde::Serialize;

use crate::config::CensusConfig;
use crate::error::EngineError;

/// Township polygons for the cross-validation by townships, and where they came from.
pub struct Townships {
    index: AdminIndex,
    source: PathBuf,
}

impl Townships {
    /// The township polygons of the census database (`admin_units`, level
    /// `township`); an error when it has none.
    pub fn of_census(census: &CensusConfig) -> Result<Self, EngineError> {
        let db = census.dir.join("census.gpkg");
        let index = riskcensus_survey::Census::open(&census.dir)?.admin_index()?;
        if index.is_empty() {
            return Err(EngineError::CvTownships {
                path: db,
                problem: "no township polygons (admin_units of level township) to group the \
                          samples by; use by = \"blocks\" in [cross_validation]"
                    .into(),
            });
        }
        Ok(Self { index, source: db })
    }

    /// The polygons of a vector file in `grid`'s CRS, one township per feature,
    /// named by its `code` field (any case), else its `name` field, else its
    /// 1-based record number. A feature that is not a polygon is an error naming it.
    pub fn from_file(path: &Path, grid: &GridSpec) -> Result<Self, EngineError> {
        let src = VectorSource::open(path)?;
        let info = src.info(None)?;
        if let (Some(epsg), true) = (&info.crs_epsg, grid.crs.starts_with("EPSG:")) {
            if !epsg.eq_ignore_ascii_case(&grid.crs) {
                return Err(EngineError::CvTownships {
                    path: path.to_path_buf(),
                    problem: format!(
                        "the township polygons are in {epsg} but the factor rasters in {}: \
                         reproject them first",
                        grid.crs
                    ),
                });
            }
        }
        let field = |n: &str| {
            info.fields
                .iter()
                .position(|(f, _)| f.eq_ignore_ascii_case(n))
        };
        let key = field("code").or_else(|| field("name"));
        let mut units = Vec::new();
        src.read(None, |feat| -> Result<(), EngineError> {
            let record = feat.index as usize + 1;
            let bad = |problem: String| EngineError::CvTownships {
                path: path.to_path_buf(),
                problem: format!("record {record}: {problem}"),
            };
            let g = feat.geometry.map_err(bad)?;
            let g = match g {
                Some(g @ (geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_))) => g,
                _ => return Err(bad("geometry is not a polygon".into())),
            };
            let code = key
                .and_then(|i| match &feat.values[i] {
                    RawValue::Text(b) => Some(String::from_utf8_lossy(b).trim().to_string()),
                    RawValue::Integer(v) => Some(v.to_string()),
                    RawValue::Real(v) => Some(v.to_string()),
                    RawValue::Null => None,
                })
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| format!("record {record}"));
            units.push((code, "township".to_string(), g));
            Ok(())
        })?;
        let index = AdminIndex::new(units);
        if index.is_empty() {
            return Err(EngineError::CvTownships {
                path: path.to_path_buf(),
                problem: "no polygon features".into(),
            });
        }
        Ok(Self {
            index,
            source: path.to_path_buf(),
        })
    }

    /// The township of each cell (row-major index on `grid`), by its centre; ids
    /// number the distinct township codes in ascending order.
    fn groups(&self, cells: &[usize], grid: &GridSpec) -> Vec<Option<u64>> {
        let codes: Vec<Option<String>> = cells
            .iter()
            .map(|&i| {
                let (x, y) = grid.cell_center(i / grid.cols, i % grid.cols);
                self.index
                    .assign(&geo::Geometry::Point(geo::Point::new(x, y)))
                    .0
            })
            .collect();
        let ids: BTreeMap<&String, u64> = codes
            .iter()
            .flatten()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .zip(0..)
            .collect();
        codes.iter().map(|c| c.as_ref().map(|c| ids[c])).collect()
    }
}

/// The blocked cross-validation's figures (`report.json` `blocked_cv`).
#[derive(Debug, Clone, Serialize)]
pub struct BlockedCv {
    /// `blocks` or `townships`.
    pub by: &'static str,
    /// Block side, metres (blocks).
    pub block_m: Option<f64>,
    /// The township polygons (townships): the census database or the file given.
    pub townships: Option<String>,
    /// Number of folds k.
    pub folds: usize,
    /// Seed of the fold assignment.
    pub seed: u64,
    /// Groups (blocks or townships) holding samples.
    pub groups: usize,
    /// Mean held-out AUC over the folds with an AUC (NaN, JSON `null`, when none).
    pub auc_mean: f64,
    /// Held-out AUC of each fold (NaN, JSON `null`, for a fold without one).
    pub auc_per_fold: Vec<f64>,
    /// Mean AUC of the same k-fold with each sample its own group (random k-fold),
    /// the like-for-like reference of `auc_mean`.
    pub random_folds_auc_mean: f64,
    /// Groups per fold.
    pub fold_groups: Vec<usize>,
    /// Hazard samples held out per fold.
    pub fold_test_hazard: Vec<usize>,
    /// Non-hazard samples held out per fold.
    pub fold_test_non_hazard: Vec<usize>,
    /// Why a fold has no AUC (`null` for a scored fold).
    pub fold_notes: Vec<Option<String>>,
    /// Samples outside every township (townships), not used.
    pub unassigned_samples: usize,
    /// The outcome of the random reference, per fold (`cv_folds.csv`).
    #[serde(skip)]
    pub random: CvOutcome,
}

/// The blocked cross-validation of `fit` by the rule of `params` (`None` for
/// `by = "none"` and the expert method). `townships` must be given for
/// `by = "townships"`; `missing` describes where they should have come from.
pub fn blocked_cv(
    grid: &GridSpec,
    fit: &Fit,
    params: &GeohazardParams,
    method: Method,
    townships: Option<&Townships>,
    missing: &str,
) -> Result<Option<BlockedCv>, EngineError> {
    let rule = &params.cross_validation;
    if rule.by == CvBy::None || !method.is_statistical() {
        return Ok(None);
    }
    let cells = &fit.samples.cells;
    let (groups, block_m, source) = match rule.by {
        CvBy::Blocks { size_m } => (
            block_groups(cells, grid.cols, grid.cell_size, size_m),
            Some(size_m),
            None,
        ),
        CvBy::Townships => {
            let t = townships.ok_or_else(|| EngineError::CvTownships {
                path: PathBuf::from(missing),
                problem: "the township polygons are needed, and none were given".into(),
            })?;
            (
                t.groups(cells, grid),
                None,
                Some(t.source.display().to_string()),
            )
        }
        CvBy::None => unreachable!("returned above"),
    };
    let model_err = |source| EngineError::GeohazardModel { source };
    let lr = params.lr_predictors;
    let outcome = cross_validate(fit, &groups, rule, method, lr).map_err(model_err)?;
    let random = random_folds(fit, rule, method, lr).map_err(model_err)?;
    let n_groups = groups
        .iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    Ok(Some(BlockedCv {
        by: rule.by.id(),
        block_m,
        townships: source,
        folds: rule.folds,
        seed: rule.seed,
        groups: n_groups,
        auc_mean: outcome.auc_mean,
        auc_per_fold: outcome.auc_per_fold(),
        random_folds_auc_mean: random.auc_mean,
        fold_groups: outcome.folds.iter().map(|f| f.groups).collect(),
        fold_test_hazard: outcome.folds.iter().map(|f| f.test_hazard).collect(),
        fold_test_non_hazard: outcome.folds.iter().map(|f| f.test_non_hazard).collect(),
        fold_notes: outcome.folds.iter().map(|f| f.note.clone()).collect(),
        unassigned_samples: outcome.unassigned_samples,
        random,
    }))
}
