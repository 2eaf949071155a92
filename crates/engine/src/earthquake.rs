//! Earthquake (issue 6): the standalone ground-motion table behind
//! `riskcensus ground-motion`, with the model library's GMMs
//! (`riskcensus_models::earthquake`).

use std::fmt::Write as _;
use std::path::Path;

use riskcensus_models::earthquake::{EarthquakeError, GmInput, Gmm, Imt};

use crate::EngineError;

/// Columns the ground-motion table understands (others are refused by name).
pub const GM_COLUMNS: &[&str] = &[
    "id",
    "mag",
    "rake",
    "dip",
    "ztor_km",
    "rjb_km",
    "rrup_km",
    "rx_km",
    "vs30",
    "repi_km",
    "azimuth_deg",
];

/// Median and σ(ln) of `imt` for every row of a CSV of rupture–site cases.
///
/// The header names the columns (any order); `gmm.required_columns()` must be
/// present; a column outside [`GM_COLUMNS`] is an error naming it, so a typo never
/// silently drops a parameter. Output: the input columns, then `median_g` (or
/// `median_cm_s` for PGV) and `sigma_ln`, one line per input row, numbers with 6
/// significant digits. Errors name the file, line and column (Config, exit 2) or
/// the model and line (Model, exit 2: magnitude outside the model's range).
pub fn ground_motion_csv(gmm_name: &str, imt: &str, input: &Path) -> Result<String, EngineError> {
    let cfg = |msg: String| EngineError::Config {
        path: input.to_path_buf(),
        msg,
    };
    let gmm = Gmm::from_name(gmm_name).map_err(|e| cfg(e.to_string()))?;
    let imt: Imt = imt
        .parse()
        .map_err(|e: EarthquakeError| cfg(e.to_string()))?;
    let text = std::fs::read_to_string(input).map_err(EngineError::fs(input))?;
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let (_, header) = lines
        .next()
        .ok_or_else(|| cfg("empty file: no header".into()))?;
    let cols: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|c| c.trim().to_string())
        .collect();
    for c in &cols {
        if !GM_COLUMNS.contains(&c.as_str()) {
            return Err(cfg(format!(
                "line 1: unknown column `{c}` (known: {})",
                GM_COLUMNS.join(", ")
            )));
        }
    }
    for r in gmm.required_columns() {
        if !cols.iter().any(|c| c == r) {
            return Err(cfg(format!(
                "line 1: column `{r}` required by {} is missing (needs {})",
                gmm.name(),
                gmm.required_columns().join(", ")
            )));
        }
    }
    let median_col = if imt == Imt::Pgv {
        "median_cm_s"
    } else {
        "median_g"
    };
    let mut out = format!("{},{median_col},sigma_ln\n", cols.join(","));
    for (i, line) in lines {
        let n = i + 1;
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != cols.len() {
            return Err(cfg(format!(
                "line {n}: {} fields, header has {}",
                f.len(),
                cols.len()
            )));
        }
        let mut x = GmInput::nan();
        for (c, v) in cols.iter().zip(&f) {
            let slot = match c.as_str() {
                "mag" => &mut x.mag,
                "rake" => &mut x.rake,
                "rjb_km" => &mut x.rjb_km,
                "vs30" => &mut x.vs30,
                "repi_km" => &mut x.repi_km,
                "azimuth_deg" => &mut x.azimuth_deg,
                _ => continue,
            };
            *slot = v
                .parse::<f64>()
                .map_err(|_| cfg(format!("line {n}: column `{c}`: `{v}` is not a number")))?;
        }
        let gm = gmm.ground_motion(imt, &x).map_err(|e| match e {
            EarthquakeError::MagnitudeOutOfRange { .. } => EngineError::Model {
                model: gmm.name().to_string(),
                msg: format!("{}: line {n}: {e}", input.display()),
            },
            other => cfg(format!("line {n}: {other}")),
        })?;
        let _ = writeln!(out, "{},{:.6e},{:.6}", f.join(","), gm.median, gm.sigma_ln);
    }
    Ok(out)
}
