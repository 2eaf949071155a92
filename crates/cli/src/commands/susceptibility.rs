//! `riskcensus susceptibility`: train and score a geological-hazard susceptibility
//! model on any aligned factor class rasters and an inventory of hazard points.

use std::path::PathBuf;

use crate::CliError;
use riskcensus::stages::geohazard::{params_from, train_standalone, Method, StandaloneOptions};

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
/// flow), the minimum of 30 hazard cells and the four levels (exact Fisher–Jenks
/// natural breaks over every valid cell, the zoning crate's upper bounds) come from
/// models/geohazard.toml or --params.
///
/// Outputs in --out:
///   susceptibility.tif        normalised index in [0, 1], f32, NaN nodata
///   susceptibility_level.tif  u8 levels 1 极高 very high … 4 低 low, 0 nodata
///   report.json               method, seed, samples, AUC, rate-curve areas, breaks
///   classes.csv               per factor class: cells, hazard cells, IV, FR, CF
///   roc.csv                   ROC of the test samples
///   success_rate.csv          success-rate curve (training hazard cells)
///   prediction_rate.csv       prediction-rate curve (test hazard cells)
///   coefficients.csv          logistic regression terms, standard errors, z (lr)
///
/// Examples:
///   riskcensus susceptibility --factors slope_cls.tif litho_cls.tif --inventory points.csv --method iv --out susc/
///   riskcensus susceptibility --factors f/*.tif --inventory hidden_dangers.gpkg --method lr --seed 7 --out susc_lr/
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Factor class rasters (aligned).
    #[arg(long, required = true, num_args = 1..)]
    factors: Vec<PathBuf>,
    /// Inventory of hazard points (CSV x,y[,type] or a vector file).
    #[arg(long)]
    inventory: PathBuf,
    /// Method: iv, fr, cf or lr.
    #[arg(long, value_parser = ["iv", "fr", "cf", "lr"])]
    method: String,
    /// Seed of the sampling and split (default: the parameter file's).
    #[arg(long)]
    seed: Option<u64>,
    /// Parameter file (default: the built-in models/geohazard.toml).
    #[arg(long)]
    params: Option<PathBuf>,
    /// Output folder.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    let params = params_from(a.params.as_deref())?;
    let opts = StandaloneOptions {
        method: Method::parse(&a.method).expect("clap checked the method"),
        seed: a.seed,
        params,
    };
    let r = train_standalone(&a.factors, &a.inventory, &opts, &a.out)?;
    if g.json {
        super::print_json(&r);
    } else if !g.quiet {
        let m = &r.model;
        println!(
            "method {}  seed {}  hazard cells {} (of {} points)  train {}  test {}",
            m.method.id(),
            m.seed,
            m.hazard_cells,
            m.inventory_points,
            m.train_samples,
            m.test_samples
        );
        println!(
            "AUC test {:.4}  train {:.4}  success-rate area {:.4}  prediction-rate area {:.4}",
            m.auc_test, m.auc_train, m.success_rate_auc, m.prediction_rate_auc
        );
        println!("susceptibility  {}", r.susceptibility.display());
        println!("levels          {}", r.levels.display());
        println!("report          {}", r.report.display());
    }
    Ok(())
}
