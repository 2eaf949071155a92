//! The standalone ground-motion table behind `riskcensus ground-motion`: median and
//! σ(ln) of an intensity measure for every row of a CSV of rupture–site cases,
//! with the model library's ground-motion models.

use std::path::Path;

use riskcensus_models::csv_table::LineMap;
use riskcensus_models::earthquake::{GmInput, Gmm, Imt};

use crate::output::CsvOut;
use crate::EngineError;

/// Columns the ground-motion table understands (others are refused by name).
pub const GM_COLUMNS: &[&str] = &[
    "id",
    "mag",
    "rake",
    "dip",
    "ztor_km",
    "width_km",
    "zhyp_km",
    "rjb_km",
    "rrup_km",
    "rx_km",
    "ry0_km",
    "vs30",
    "z1pt0_m",
    "z2pt5_km",
    "repi_km",
    "azimuth_deg",
];

/// Median and σ(ln) of `imt` for every row of a CSV of rupture–site cases.
///
/// The header names the columns (any order); `gmm.required_columns()` must be
/// present; a column outside [`GM_COLUMNS`] is an error naming it, so a typo never
/// silently drops a parameter. An empty field is "not given" (NaN): for Z1.0 and
/// Z2.5 the model then takes its default from Vs30, for a column the model needs it
/// is an error naming the line and field. Lines starting with `#` and blank lines
/// are skipped; fields are trimmed. Output: the input columns, then `median_g` (or
/// `median_cm_s` for PGV) and `sigma_ln`, one line per input row, numbers with 6
/// significant digits. Errors name the file, line and column, or the line and the
/// model's reason (a magnitude outside the model's range); all are input errors
/// (exit 2).
pub fn ground_motion_csv(gmm_name: &str, imt: &str, input: &Path) -> Result<String, EngineError> {
    let model_err = |source| EngineError::GroundMotionModel {
        path: input.to_path_buf(),
        source,
    };
    let gmm = Gmm::from_name(gmm_name).map_err(model_err)?;
    let imt: Imt = imt.parse().map_err(model_err)?;
    let bytes = std::fs::read(input).map_err(EngineError::fs(input))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(bytes.as_slice());
    let mut records = rdr
        .records()
        .filter(|r| !r.as_ref().is_ok_and(|r| r.iter().all(str::is_empty)));
    let csv_err = |source| EngineError::Csv {
        path: input.to_path_buf(),
        source,
    };
    let header = records
        .next()
        .ok_or_else(|| EngineError::CsvEmpty {
            path: input.to_path_buf(),
        })?
        .map_err(csv_err)?;
    let lines = LineMap::new(&bytes, Some(b'#'));
    let cols = check_header(&gmm, &header, &lines, input)?;
    let median_col = if imt == Imt::Pgv {
        "median_cm_s"
    } else {
        "median_g"
    };
    let mut out = CsvOut::new("<ground-motion table>");
    out.record(
        cols.iter()
            .map(String::as_str)
            .chain([median_col, "sigma_ln"]),
    )?;
    for rec in records {
        let rec = rec.map_err(csv_err)?;
        let pos = rec
            .position()
            .expect("a record read from a reader has a position");
        let line = lines.line(pos);
        if rec.len() != cols.len() {
            return Err(EngineError::CsvFieldCount {
                path: input.to_path_buf(),
                line,
                found: rec.len(),
                expected: cols.len(),
            });
        }
        let x = case(&cols, &rec, line, input)?;
        let gm = gmm
            .ground_motion(imt, &x)
            .map_err(|source| EngineError::GroundMotionRow {
                path: input.to_path_buf(),
                line,
                source,
            })?;
        out.record(
            rec.iter()
                .map(str::to_string)
                .chain([format!("{:.6e}", gm.median), format!("{:.6}", gm.sigma_ln)]),
        )?;
    }
    Ok(String::from_utf8(out.into_bytes()?).expect("UTF-8 fields give UTF-8 CSV"))
}

/// The header's columns, each known, with every column the model needs.
fn check_header(
    gmm: &Gmm,
    header: &csv::StringRecord,
    lines: &LineMap,
    input: &Path,
) -> Result<Vec<String>, EngineError> {
    let line = header.position().map_or(1, |p| lines.line(p));
    let cols: Vec<String> = header.iter().map(str::to_string).collect();
    for c in &cols {
        if !GM_COLUMNS.contains(&c.as_str()) {
            return Err(EngineError::CsvUnknownColumn {
                path: input.to_path_buf(),
                line,
                column: c.clone(),
                known: GM_COLUMNS.join(", "),
            });
        }
    }
    for r in gmm.required_columns() {
        if !cols.iter().any(|c| c == r) {
            return Err(EngineError::CsvMissingColumn {
                path: input.to_path_buf(),
                line,
                column: r.to_string(),
                needed_by: format!(
                    "{} (needs {})",
                    gmm.name(),
                    gmm.required_columns().join(", ")
                ),
            });
        }
    }
    Ok(cols)
}

/// The rupture–site case of a record (at `line`): the columns the models read,
/// parsed.
fn case(
    cols: &[String],
    rec: &csv::StringRecord,
    line: u64,
    input: &Path,
) -> Result<GmInput, EngineError> {
    let pos = rec
        .position()
        .expect("a record read from a reader has a position");
    let mut x = GmInput::nan();
    for (c, v) in cols.iter().zip(rec.iter()) {
        let slot = match c.as_str() {
            "mag" => &mut x.mag,
            "rake" => &mut x.rake,
            "dip" => &mut x.dip,
            "ztor_km" => &mut x.ztor_km,
            "width_km" => &mut x.width_km,
            "zhyp_km" => &mut x.zhyp_km,
            "rjb_km" => &mut x.rjb_km,
            "rrup_km" => &mut x.rrup_km,
            "rx_km" => &mut x.rx_km,
            "ry0_km" => &mut x.ry0_km,
            "vs30" => &mut x.vs30,
            "z1pt0_m" => &mut x.z1pt0_m,
            "z2pt5_km" => &mut x.z2pt5_km,
            "repi_km" => &mut x.repi_km,
            "azimuth_deg" => &mut x.azimuth_deg,
            _ => continue,
        };
        if v.is_empty() {
            // Not given: NaN, which the model refuses by name where it needs a value.
            continue;
        }
        *slot = v.parse::<f64>().map_err(|source| EngineError::CsvNumber {
            path: input.to_path_buf(),
            // Data records: the header is record 0.
            record: pos.record(),
            line,
            field: c.clone(),
            value: v.to_string(),
            source: Some(source),
        })?;
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn run(text: &str) -> Result<String, EngineError> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("cases.csv");
        std::fs::write(&p, text).unwrap();
        ground_motion_csv("YuEtAl2013Ms", "PGA", &p)
    }

    /// A value that is not a number names the file, the record, its line (comment
    /// and blank lines counted) and the column, keeps the parse error as its cause,
    /// and is the user's fault (exit 2).
    #[test]
    fn a_bad_number_keeps_its_cause() {
        let e = run("# case table\nmag,repi_km,azimuth_deg\n\n6,x,0\n").unwrap_err();
        assert!(
            matches!(&e, EngineError::CsvNumber { record: 1, line: 4, field, .. } if field == "repi_km"),
            "{e}"
        );
        assert!(e.to_string().contains("cases.csv"), "{e}");
        assert!(e.source().unwrap().is::<std::num::ParseFloatError>());
        assert!(e.is_input_error());
    }

    /// Quoted fields and padded values read as the plain table does.
    #[test]
    fn quoted_fields_read_like_plain_ones() {
        let plain = run("mag,repi_km,azimuth_deg\n6,10,0\n").unwrap();
        let quoted = run("\"mag\",repi_km, azimuth_deg\n\"6\", 10 ,0\n").unwrap();
        assert_eq!(plain, quoted);
        assert!(plain.starts_with("mag,repi_km,azimuth_deg,median_g,sigma_ln\n6,10,0,"));
    }
}
