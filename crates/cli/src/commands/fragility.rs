//! `riskcensus fragility`: damage-state probabilities of a lognormal fragility
//! curve at given ground motions — the functions the earthquake stage uses
//! (`riskcensus_models::earthquake::fragility::Curve`), for an engineer who wants
//! the numbers of one building type.

use std::path::PathBuf;

use riskcensus::models::earthquake::fragility::{CodeLevel, Curve, FragilityTable, STATE_NAMES};

use crate::{CliError, Global};

/// Damage-state probabilities of a lognormal fragility curve (HAZUS equivalent-PGA
/// form): P(DS ≥ ds) = Φ(ln(PGA / median_ds) / β) for slight, moderate, extensive
/// and complete, and P(DS = ds) for none … complete (differences; they sum to 1).
/// The curve is a row of a fragility table (the shipped
/// models/earthquake/seismic_fragility.csv, or --table; by HAZUS type and design
/// level, a level the table lacks falls back to the next lower one, as in the
/// earthquake stage) or given by --medians and --beta. PGA ≤ 0 gives "none" with
/// probability 1. Φ is the engine's (Numerical Recipes erfc, relative error
/// < 1.2e-7).
///
/// Output: CSV (pga_g, p_ge_slight … p_ge_complete, p_none … p_complete) or --json.
///
/// Examples:
///   riskcensus fragility --type URML --code pre --pga 0.05,0.1,0.2,0.4
///   riskcensus fragility --medians 0.14,0.28,0.54,0.84 --beta 0.64 --pga 0.3 --json
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// HAZUS model building type of the table (C1L, RM2M, URML, …).
    #[arg(long = "type", value_name = "HAZUS_TYPE")]
    hazus_type: Option<String>,
    /// Design level of the table: high, moderate, low or pre.
    #[arg(long)]
    code: Option<String>,
    /// A fragility table of one's own (CSV in the shipped table's format).
    #[arg(long)]
    table: Option<PathBuf>,
    /// Median PGA (g) of slight, moderate, extensive, complete (instead of a table).
    #[arg(long, value_delimiter = ',')]
    medians: Vec<f64>,
    /// Lognormal β of the given medians.
    #[arg(long)]
    beta: Option<f64>,
    /// Ground motions, PGA in g (comma-separated).
    #[arg(long, value_delimiter = ',', required = true, num_args = 1..)]
    pga: Vec<f64>,
}

/// The curve the arguments name.
fn curve(a: &Args) -> Result<(Curve, String), CliError> {
    let bad = |m: String| CliError::Args(m);
    match (&a.hazus_type, a.medians.is_empty()) {
        (Some(t), true) => {
            if a.beta.is_some() {
                return Err(bad("--beta goes with --medians, not with --type".into()));
            }
            let code = a.code.as_deref().unwrap_or("moderate");
            let level = CodeLevel::parse(code).ok_or_else(|| {
                bad(format!(
                    "--code {code:?}: expected high, moderate, low or pre"
                ))
            })?;
            let table = match &a.table {
                Some(p) => {
                    let text = std::fs::read_to_string(p)
                        .map_err(|e| bad(format!("--table {}: {e}", p.display())))?;
                    FragilityTable::parse(&text, &p.display().to_string())
                        .map_err(|e| bad(e.to_string()))?
                }
                None => FragilityTable::builtin(),
            };
            let (c, used) = table.curve(t, level).map_err(|e| bad(e.to_string()))?;
            Ok((c, format!("{t} at {} design level", used.name())))
        }
        (None, false) => {
            if a.medians.len() != 4 {
                return Err(bad(format!(
                    "--medians: four values (slight, moderate, extensive, complete), got {}",
                    a.medians.len()
                )));
            }
            let beta = a.beta.ok_or_else(|| bad("--medians needs --beta".into()))?;
            let m = [a.medians[0], a.medians[1], a.medians[2], a.medians[3]];
            if !(m[0] > 0.0 && m.windows(2).all(|w| w[1] > w[0]) && m[3].is_finite()) {
                return Err(bad(format!(
                    "--medians {:?}: positive and strictly ascending",
                    a.medians
                )));
            }
            if !(beta > 0.0 && beta.is_finite()) {
                return Err(bad(format!("--beta {beta}: must be positive")));
            }
            Ok((Curve { medians_g: m, beta }, "given medians".into()))
        }
        (Some(_), false) => Err(bad("give --type or --medians, not both".into())),
        (None, true) => Err(bad(
            "give --type (with --code) or --medians with --beta".into()
        )),
    }
}

pub fn run(a: Args, g: &Global) -> Result<(), CliError> {
    if let Some(p) = a.pga.iter().find(|p| !p.is_finite()) {
        return Err(CliError::Args(format!("--pga {p}: not a number")));
    }
    let (c, what) = curve(&a)?;
    let rows: Vec<(f64, [f64; 4], [f64; 5])> = a
        .pga
        .iter()
        .map(|&p| (p, c.exceedance(p), c.state_probabilities(p)))
        .collect();
    if g.json {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(p, e, s)| {
                serde_json::json!({
                    "pga_g": p,
                    "p_ge": {"slight": e[0], "moderate": e[1], "extensive": e[2], "complete": e[3]},
                    "p": {"none": s[0], "slight": s[1], "moderate": s[2], "extensive": s[3], "complete": s[4]},
                })
            })
            .collect();
        super::print_json(&serde_json::json!({
            "curve": what,
            "medians_g": c.medians_g,
            "beta": c.beta,
            "rows": v,
        }));
        return Ok(());
    }
    let mut head = vec!["pga_g".to_string()];
    head.extend(STATE_NAMES[1..].iter().map(|s| format!("p_ge_{s}")));
    head.extend(STATE_NAMES.iter().map(|s| format!("p_{s}")));
    if !g.quiet {
        eprintln!("{what}: medians {:?} g, beta {}", c.medians_g, c.beta);
    }
    println!("{}", head.join(","));
    for (p, e, s) in rows {
        let mut line = vec![format!("{p}")];
        line.extend(e.iter().map(|v| format!("{v}")));
        line.extend(s.iter().map(|v| format!("{v}")));
        println!("{}", line.join(","));
    }
    Ok(())
}
