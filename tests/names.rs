//! Township and village names are data, not syntax: a census whose names contain a
//! comma, a double quote, an apostrophe, markup and a line break goes through
//! `riskcensus run` and `riskcensus report`, and every table (CSV read back with the
//! `csv` crate, the zoning GeoPackage) and the HTML report (townships; it lists no
//! villages) give the names back
//! exactly, with the rows and columns of a census with plain names.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::{bin, copy_census, ok};
use riskcensus_io::gpkg::GpkgDb;
use riskcensus_testkit::fixtures_dir;

/// The township renamed, and its new name.
const TOWNSHIP: (&str, &str) = ("370999001", "岱阳,\"东\"街道\n(Dai'yang) <b>&");
/// Its first village, and its new name.
const VILLAGE: &str = "三里街, \"老\"社区\r\n二组";

/// Rows of a CSV file as header → value maps, read by the `csv` crate.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(rec.len(), head.len(), "{}: ragged row", path.display());
            head.iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn names_with_commas_quotes_and_line_breaks_survive_tables_and_report() {
    let d = tempfile::tempdir().unwrap();
    let census = d.path().join("census");
    copy_census(&fixtures_dir().join("demo-small"), &census);
    let admin = census.join("survey/admin.gpkg");
    let db = GpkgDb::open(&admin, false).unwrap();
    let sql_text = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let (tcode, tname) = TOWNSHIP;
    db.sql(&format!(
        "UPDATE townships SET name = {} WHERE code = '{tcode}'",
        sql_text(tname)
    ))
    .unwrap();
    let vcode = format!("{tcode}001");
    for layer in ["villages", "village_boundaries"] {
        db.sql(&format!(
            "UPDATE {layer} SET name = {} WHERE code = '{vcode}'",
            sql_text(VILLAGE)
        ))
        .unwrap();
    }
    drop(db);

    ok(
        bin()
            .args(["run", "--quiet", "--run-id", "r1"])
            .arg(&census)
            .output()
            .unwrap(),
        "riskcensus run",
    );
    let run = census.join("out/r1");
    ok(
        bin()
            .arg("report")
            .arg(&run)
            .arg("--quiet")
            .output()
            .unwrap(),
        "riskcensus report",
    );
    let assess = run.join("assess");

    // Township tables: every row of the township carries the name, whole.
    for table in [
        "unit_summary.csv",
        "unit_levels.csv",
        "unit_seismic_grades.csv",
    ] {
        let rows = csv_rows(&assess.join(table));
        let mine: Vec<_> = rows.iter().filter(|r| r["unit_code"] == tcode).collect();
        assert!(!mine.is_empty(), "{table}: no row of {tcode}");
        for r in &mine {
            assert_eq!(r["unit_name"], tname, "{table}");
        }
        // Twelve townships (buildings outside every mapped township have a row
        // without a code).
        let codes: std::collections::BTreeSet<_> = rows
            .iter()
            .map(|r| &r["unit_code"])
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(codes.len(), 12, "{table}: twelve townships: {codes:?}");
    }
    // Village tables: the village's own name and its township's.
    for table in ["village_summary.csv", "village_levels.csv"] {
        let rows = csv_rows(&assess.join(table));
        let mine: Vec<_> = rows.iter().filter(|r| r["unit_code"] == vcode).collect();
        assert!(!mine.is_empty(), "{table}: no row of {vcode}");
        for r in &mine {
            assert_eq!(r["unit_name"], VILLAGE, "{table}");
            assert_eq!(r["township_name"], tname, "{table}");
        }
        for r in rows.iter().filter(|r| r["township_code"] == tcode) {
            assert_eq!(r["township_name"], tname, "{table}");
        }
    }
    // The zoning GeoPackage holds the same names.
    let z = GpkgDb::open_read(&assess.join("zoning.gpkg")).unwrap();
    let names: Vec<String> = z
        .query("unit_summary", None, None)
        .unwrap()
        .iter()
        .filter(|f| f.text("unit_code") == tcode)
        .map(|f| f.text("unit_name"))
        .collect();
    assert!(
        !names.is_empty() && names.iter().all(|n| n == tname),
        "{names:?}"
    );

    // The report shows them escaped, once per township row, and no raw markup.
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let escaped = riskcensus::report::html::esc(tname);
    assert!(html.contains(&escaped), "the report lacks {escaped}");
    assert!(
        !html.contains("<b>&"),
        "raw markup of a name reached the report"
    );
    // One row per layer of the township in the report's township table, as in the
    // table it is read from (a broken quote would merge or split rows).
    let summary_rows = csv_rows(&assess.join("unit_summary.csv"))
        .into_iter()
        .filter(|r| r["unit_code"] == tcode)
        .count();
    assert_eq!(
        html.matches(&format!("data-unit=\"{tcode}\"")).count(),
        summary_rows,
        "report rows of {tcode}"
    );
}
