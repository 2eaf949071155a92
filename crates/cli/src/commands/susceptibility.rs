//! `riskcensus susceptibility`: train and score a geological-hazard susceptibility
//! model on any aligned factor class rasters and an inventory of hazard points.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::stages::geohazard::{
    params_from, train_standalone, CvBy, LrPredictors, Method, NegativeSource, StandaloneOptions,
};

use crate::Global;

/// Geological-hazard susceptibility from factor class rasters and a hazard inventory
/// (information value, frequency ratio, certainty factor or logistic regression).
///
/// Factor rasters must share one grid (CRS, origin, cell size, shape) and hold
/// integer class codes (each distinct value is a class; nodata is excluded). The
/// inventory is a CSV with columns x, y (the rasters' CRS, x = easting) and an
/// optional type (landslide, collapse, debris_flow, subsidence, ground_fissure or
/// 滑坡/崩塌/泥石流/地面塌陷/地裂缝), or any vector file of points in that CRS.
/// Sampling (1 non-hazard cell per hazard cell, none within 300 m of a point, 30 %
/// stratified test set), the hazard types that train (landslide, collapse, debris
/// flow), the minimum of 30 hazard cells, the cross-validation (2000 m blocks, 5
/// folds) and the four levels (exact Fisher–Jenks natural breaks over every valid
/// cell, the zoning crate's upper bounds) come from models/geohazard/geohazard.toml
/// or --params; the flags below override them.
///
/// Non-hazard sample: by default drawn at random (seeded) among the valid cells
/// farther than the buffer from every inventory point. With --negatives the cells
/// of the given points are the non-hazard sample instead (no buffer, no ratio):
/// a point outside the grid is an error naming the file and record; a point on a
/// cell where a factor has no class, or on a cell holding an inventory point, is
/// dropped and counted in report.json (negatives); several points in one cell make
/// one sample.
///
/// A class with no hazard cell (N_i = 0; N, S the totals, S_i the class's cells):
///   FR = (N_i/N)/(S_i/S) = 0 (finite; no logarithm);
///   IV = ln[(N_i/N)/(S_i/S)] would be −∞: the zero count is taken as ½
///        (Haldane–Anscombe), IV = ln[(0.5/N)/(S_i/S)], below every observed class;
///   CF = −1 (its conditional probability is 0, below the prior).
/// A class with no cell in the study area scores 0 in all three. No value is NaN.
///
/// Evaluation. The random split's test AUC (auc_test) and the training AUC
/// (auc_train); with --test-fraction 0 every hazard cell trains (all count in FR
/// and IV), there is no hold-out, and roc.csv is the training-set ROC:
/// report.json says roc_samples = "training", auc_test is null, and the output
/// line reads "training-set AUC". Spatially blocked k-fold cross-validation
/// (Roberts et al. 2017, Ecography 40:913–929; blocks as in Valavi et al. 2019,
/// blockCV): whole blocks (or townships) are held out in turn, the model is trained
/// on the other folds, and report.json blocked_cv gives the mean and per-fold
/// held-out AUC beside the same k-fold over single samples (random_folds_auc_mean).
/// Folds are dealt deterministically: groups shuffled by the seed, then each, largest
/// first, to the fold with the fewest hazard samples.
///
/// Outputs in --out:
///   susceptibility.tif        normalised index in [0, 1], f32, NaN nodata
///   susceptibility_level.tif  u8 levels 1 极高 very high … 4 低 low, 0 nodata
///   report.json               method, seed, samples, AUCs, blocked CV, rate-curve areas, breaks
///   classes.csv               per factor class: cells, hazard cells, IV, FR, CF
///   roc.csv                   ROC of the test samples (training samples with --test-fraction 0)
///   success_rate.csv          success-rate curve (training hazard cells)
///   prediction_rate.csv       prediction-rate curve (test hazard cells; empty without them)
///   cv_folds.csv              per fold: groups, held-out samples, AUC (blocked and random)
///   coefficients.csv          logistic regression terms, standard errors, z (lr)
///
/// Examples:
///   riskcensus susceptibility --factors slope_cls.tif litho_cls.tif --inventory points.csv --method iv --out susc/
///   riskcensus susceptibility --factors f/*.tif --inventory hidden_dangers.gpkg --method lr --lr-predictors fr --seed 7 --out susc_lr/
///   riskcensus susceptibility --factors f/*.tif --inventory pts.csv --negatives stable.csv --cv blocks:1000 --folds 10 --method fr --out s/
///   riskcensus susceptibility --factors f/*.tif --inventory pts.csv --cv townships:townships.gpkg --test-fraction 0 --method iv --out s/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Factor class rasters (aligned).
    #[arg(long, required = true, num_args = 1..)]
    factors: Vec<PathBuf>,
    /// Inventory of hazard points (CSV x,y[,type] or a vector file).
    #[arg(long)]
    inventory: PathBuf,
    /// Non-hazard points (CSV x,y or a vector file of points, the rasters' CRS): the
    /// non-hazard sample instead of the random draw.
    #[arg(long, value_name = "POINTS")]
    negatives: Option<PathBuf>,
    /// Method: iv, fr, cf or lr.
    #[arg(long, value_parser = ["iv", "fr", "cf", "lr"])]
    method: String,
    /// Predictor of logistic regression (lr): each factor's class information value
    /// (iv, the default) or frequency ratio (fr).
    #[arg(long, value_parser = ["iv", "fr"])]
    lr_predictors: Option<String>,
    /// Share of the hazard and of the non-hazard samples held out, in [0, 1); 0 =
    /// no hold-out (ROC on the training set, said so). Default: the parameter file's
    /// (0.3).
    #[arg(long, value_name = "F")]
    test_fraction: Option<f64>,
    /// Cross-validation groups: blocks:<metres> (square blocks), townships:<vector
    /// file> (polygons in the rasters' CRS, one township each) or none. Default: the
    /// parameter file's (blocks:2000).
    #[arg(long, value_name = "blocks:<m>|townships:<file>|none")]
    cv: Option<String>,
    /// Number of cross-validation folds k (≥ 2). Default: the parameter file's (5).
    #[arg(long, value_name = "K")]
    folds: Option<usize>,
    /// Seed of the sampling, split and fold assignment (default: the parameter
    /// file's).
    #[arg(long)]
    seed: Option<u64>,
    /// Parameter file (default: the built-in models/geohazard/geohazard.toml).
    #[arg(long)]
    params: Option<PathBuf>,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

/// `--cv` → the grouping and, for townships, the polygon file.
fn parse_cv(s: &str) -> Result<(CvBy, Option<PathBuf>), CliError> {
    let bad = || {
        CliError::Args(format!(
            "--cv {s:?}: use blocks:<metres> (e.g. blocks:2000), townships:<vector file> or none"
        ))
    };
    if s == "none" {
        return Ok((CvBy::None, None));
    }
    match s.split_once(':') {
        Some(("blocks", m)) => match m.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok((CvBy::Blocks { size_m: v }, None)),
            _ => Err(CliError::Args(format!(
                "--cv {s:?}: the block side must be a number of metres > 0"
            ))),
        },
        Some(("townships", f)) if !f.is_empty() => Ok((CvBy::Townships, Some(PathBuf::from(f)))),
        _ => Err(bad()),
    }
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let mut params = params_from(a.params.as_deref())?;
    if let Some(p) = &a.lr_predictors {
        params.lr_predictors = LrPredictors::parse(p).expect("clap checked the predictor");
    }
    if let Some(f) = a.test_fraction {
        if !(0.0..1.0).contains(&f) {
            return Err(CliError::Args(format!(
                "--test-fraction {f}: must be in [0, 1) (0 = no hold-out)"
            )));
        }
        params.sampling.test_fraction = f;
    }
    let mut townships = None;
    if let Some(cv) = &a.cv {
        let (by, file) = parse_cv(cv)?;
        params.cross_validation.by = by;
        townships = file;
    }
    if let Some(k) = a.folds {
        if k < 2 {
            return Err(CliError::Args(format!(
                "--folds {k}: k-fold cross-validation needs at least 2 folds"
            )));
        }
        params.cross_validation.folds = k;
    } else if params.cross_validation.folds < 2 {
        // A parameter file without [cross_validation] and a --cv on the command line.
        params.cross_validation.folds = 5;
    }
    let opts = StandaloneOptions {
        method: Method::parse(&a.method).expect("clap checked the method"),
        seed: a.seed,
        params,
        negatives: a.negatives,
        townships,
    };
    let r = train_standalone(&a.factors, &a.inventory, &opts, &a.out)?;
    if g.json {
        super::print_json(&r);
    } else if !g.quiet {
        let m = &r.model;
        let lr = m
            .lr_predictors
            .map(|p| format!(" on {}", p.id()))
            .unwrap_or_default();
        let neg = match m.negatives {
            NegativeSource::Drawn => "drawn".to_string(),
            NegativeSource::Given {
                points,
                on_nodata,
                on_hazard_cells,
            } => format!(
                "given ({points} points, {on_nodata} on nodata, {on_hazard_cells} on hazard cells dropped)"
            ),
        };
        println!(
            "method {}{lr}  seed {}  hazard cells {} (of {} points)  non-hazard {neg}  train {}  test {}",
            m.method.id(),
            m.seed,
            m.hazard_cells,
            m.inventory_points,
            m.train_samples,
            m.test_samples
        );
        if m.test_samples == 0 {
            println!(
                "training-set AUC {:.4} (no hold-out: test fraction 0; roc.csv is the training-set ROC)  success-rate area {:.4}",
                m.auc_train, m.success_rate_auc
            );
        } else {
            println!(
                "AUC test {:.4}  train {:.4}  success-rate area {:.4}  prediction-rate area {:.4}",
                m.auc_test, m.auc_train, m.success_rate_auc, m.prediction_rate_auc
            );
        }
        if let Some(cv) = &m.blocked_cv {
            let what = match (cv.block_m, &cv.townships) {
                (Some(b), _) => format!("{b} m blocks"),
                (None, Some(t)) => format!("townships of {t}"),
                _ => cv.by.to_string(),
            };
            let per: Vec<String> = cv
                .auc_per_fold
                .iter()
                .map(|a| {
                    if a.is_nan() {
                        "–".into()
                    } else {
                        format!("{a:.4}")
                    }
                })
                .collect();
            println!(
                "blocked {}-fold CV ({what}, {} groups): mean AUC {:.4}  per fold [{}]  random {}-fold mean {:.4}",
                cv.folds,
                cv.groups,
                cv.auc_mean,
                per.join(", "),
                cv.folds,
                cv.random_folds_auc_mean
            );
        }
        println!("susceptibility  {}", r.susceptibility.display());
        println!("levels          {}", r.levels.display());
        println!("report          {}", r.report.display());
    }
    Ok(())
}
