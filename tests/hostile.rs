//! Hostile names, paths and values, and resource bounds (issue 24, items 5 and 6).
//!
//! Survey values, source file names, layer names, census names and run ids with path
//! separators, `..`, shell and SQL metacharacters, 10,000-byte names and non-UTF-8
//! bytes: nothing is written outside the census folder (the temporary root is listed
//! before and after), nothing is executed (`$(touch …)`, backticks and `;` leave no
//! sentinel file, with the command's working directory in the listed root), values
//! are stored verbatim (read back from `census.gpkg`), names that must be refused are
//! refused naming the value and the rule, and no command panics or is killed.
//!
//! Bounds: a CSV field just above the 16 MiB cap, a GeoTIFF declaring 100,000 ×
//! 100,000 cells in a 2 KB file, a census grid of 10^10 cells — each refused before it
//! is allocated; and reading and validating a source grows peak memory by less than
//! 120 bytes per record between 50,000 and 450,000 records (41 measured; 193 when the
//! CSV was read and decoded whole).

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::{bin, copy_census, stderr};
use riskcensus_io::gpkg::{DbGeometry, GpkgDb, TableSpec};
use riskcensus_io::vector::{FieldDef, FieldType, FieldValue};
use riskcensus_survey::census::{Census, Query};
use riskcensus_testkit::fixtures_dir;

/// Every file and folder under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            out.insert(p.strip_prefix(root).unwrap().to_path_buf());
            if p.is_dir() && !p.is_symlink() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// Paths of `after` that are not in `before` and not under `inside` (relative).
fn new_outside(
    before: &BTreeSet<PathBuf>,
    after: &BTreeSet<PathBuf>,
    inside: &Path,
) -> Vec<PathBuf> {
    after
        .difference(before)
        .filter(|p| !p.starts_with(inside))
        .cloned()
        .collect()
}

/// The exit code of a command that ended by itself (not killed by a signal: an
/// out-of-memory kill or an abort) and did not panic (101).
fn code(o: &Output, what: &str) -> i32 {
    let c = o.status.code().unwrap_or_else(|| {
        panic!(
            "{what}: killed by a signal ({:?}):\n{}",
            o.status,
            stderr(o)
        )
    });
    assert_ne!(c, 101, "{what} panicked:\n{}", stderr(o));
    assert!(
        !stderr(o).contains("panicked"),
        "{what} panicked:\n{}",
        stderr(o)
    );
    c
}

/// A census of the bad-input corpus's study area (no sources) in `root/census`.
fn small_census(root: &Path) -> PathBuf {
    let c = root.join("census");
    std::fs::create_dir_all(c.join("survey")).unwrap();
    std::fs::copy(
        fixtures_dir().join("bad/census.toml"),
        c.join("census.toml"),
    )
    .unwrap();
    c
}

/// Write a buildings CSV (id, name, lon, lat, structure, storeys) with the `csv`
/// crate, one row per `(id, name)`, every point in the study area.
fn buildings_csv(path: &Path, rows: &[(String, String)]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["id", "name", "lon", "lat", "structure", "storeys"])
        .unwrap();
    for (i, (id, name)) in rows.iter().enumerate() {
        let lon = format!("{:.7}", 116.90 + i as f64 * 0.001);
        w.write_record([id.as_str(), name, &lon, "36.1500000", "砖混", "3"])
            .unwrap();
    }
    w.flush().unwrap();
}

/// `riskcensus ingest <census> <src> --layer buildings --source-crs EPSG:4490`, run
/// in `cwd`.
fn ingest(cwd: &Path, census: &Path, src: &Path, extra: &[&OsStr]) -> Output {
    crate::util::ingest_buildings(census, src)
        .current_dir(cwd)
        .args(extra)
        .output()
        .unwrap()
}

/// `id → name` of the census's buildings, read through the survey API.
fn stored_buildings(census: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Census::open(census)
        .unwrap()
        .query("buildings", &Query::default())
        .unwrap()
        .iter()
        .map(|f| (f.text("id"), f.text("name")))
        .collect();
    v.sort();
    v
}

/// Text values that are syntax somewhere: SQL, shells, paths, HTML, format strings;
/// and a 10,002-byte name. `root` is where a command that ran would leave its
/// sentinel (`SENTINEL<n>`), also the commands' working directory.
fn hostile_values(root: &Path) -> Vec<String> {
    let s = |i: u32| root.join(format!("SENTINEL{i}")).display().to_string();
    vec![
        "'; DROP TABLE buildings; --".into(),
        "\"; DROP TABLE _batches; --".into(),
        format!("$(touch {})", s(1)),
        format!("`touch {}`", s(2)),
        format!("x; touch {} | cat && echo", s(3)),
        "$(touch SENTINEL4)".into(),
        "../../../../etc/passwd".into(),
        "..\\..\\Windows\\system32".into(),
        "<script>alert(1)</script>&amp;".into(),
        "%s%n%x {0} ${HOME} \\N".into(),
        "长".repeat(3334),
    ]
}

fn assert_no_sentinel(root: &Path) {
    let left: Vec<_> = tree(root)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("SENTINEL"))
        })
        .collect();
    assert!(left.is_empty(), "a command ran: {left:?}");
}

#[test]
fn hostile_values_and_file_names_are_stored_verbatim_and_never_run() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let census = small_census(root);
    let values = hostile_values(root);
    // Each value is an id and a name (`B<i>` names the row in failures).
    let rows: Vec<(String, String)> = values.iter().map(|v| (v.clone(), v.clone())).collect();
    // A file name with every metacharacter a file name may hold.
    let src = census
        .join("survey")
        .join("'; DROP TABLE _batches; -- $(touch SENTINEL5) `touch SENTINEL6` | x.csv");
    buildings_csv(&src, &rows);
    let before = tree(root);
    let o = ingest(root, &census, &src, &[]);
    assert_eq!(code(&o, "ingest"), 0, "{}", stderr(&o));
    assert_no_sentinel(root);
    let outside = new_outside(&before, &tree(root), Path::new("census"));
    assert!(
        outside.is_empty(),
        "written outside the census: {outside:?}"
    );
    let sidecars: Vec<_> = tree(&census.join("survey"))
        .into_iter()
        .filter(|p| !p.starts_with(src.file_name().unwrap()))
        .collect();
    assert!(
        sidecars.is_empty(),
        "written beside the source: {sidecars:?}"
    );

    // Every value stored as given, in both fields; the tables the SQL values name
    // are still there.
    let mut want = rows.clone();
    want.sort();
    assert_eq!(stored_buildings(&census), want);
    let c = Census::open(&census).unwrap();
    let batches = c.batches().unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].text("source"), src.to_str().unwrap());
    assert_eq!(batches[0].text("loaded"), values.len().to_string());
    let db = GpkgDb::open_read(&c.db_path()).unwrap();
    assert!(db.integrity_ok().unwrap());
    for t in ["buildings", "_batches", "_rejects"] {
        assert!(db.has_table(t), "{t} is gone: {:?}", db.tables());
    }

    // Loading it again changes nothing (the hostile keys match themselves).
    let o = ingest(root, &census, &src, &[]);
    assert_eq!(code(&o, "second ingest"), 0, "{}", stderr(&o));
    assert_eq!(stored_buildings(&census), want);
    assert_no_sentinel(root);
}

#[test]
fn a_nul_byte_in_a_value_is_rejected_not_cut() {
    let d = tempfile::tempdir().unwrap();
    let census = small_census(d.path());
    let src = census.join("survey/nul.csv");
    buildings_csv(
        &src,
        &[
            ("B1".into(), "plain".into()),
            ("B2".into(), "before\0after".into()),
        ],
    );
    let o = ingest(d.path(), &census, &src, &[]);
    assert_eq!(code(&o, "ingest"), 2, "{}", stderr(&o));
    // The clean row is loaded; the other is rejected naming the field, with the
    // NUL shown, not loaded as "beforeafter".
    assert_eq!(
        stored_buildings(&census),
        vec![("B1".to_string(), "plain".to_string())]
    );
    let c = Census::open(&census).unwrap();
    let batch = c.batches().unwrap()[0].text("batch_id");
    let rejects = c.rejects(&batch).unwrap();
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0].text("field"), "name");
    assert_eq!(rejects[0].text("rule"), "type");
    assert_eq!(rejects[0].text("value"), "before\\0after");
    assert!(rejects[0].text("message").contains("NUL"));
}

#[test]
fn non_utf8_file_names_and_hostile_layer_names_are_recorded_as_given() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let census = small_census(root);
    let survey = census.join("survey");
    // 房屋 in GBK: a name from a Windows archive, not UTF-8.
    let gbk = OsStr::from_bytes(b"\xB7\xBF\xCE\xDD");
    let mut csv_name = gbk.to_os_string();
    csv_name.push(".csv");
    let csv_src = survey.join(&csv_name);
    buildings_csv(&csv_src, &[("B1".into(), "one".into())]);

    // A GeoPackage (GBK file name too) whose layer name is SQL and shell (GDAL
    // refuses to create a layer whose name starts with a special character).
    let layer = "房屋'; DROP TABLE buildings; -- \"x\" $(touch SENTINEL7)";
    let mut gpkg_name = gbk.to_os_string();
    gpkg_name.push(".gpkg");
    let gpkg_src = survey.join(&gpkg_name);
    let made = survey.join("made.gpkg");
    {
        let mut db = GpkgDb::open(&made, true).unwrap();
        let spec = TableSpec {
            name: layer.into(),
            geometry: DbGeometry::Point,
            crs: Some("EPSG:4490".into()),
            fields: vec![
                FieldDef::new("id", FieldType::String),
                FieldDef::new("name", FieldType::String),
                FieldDef::new("structure", FieldType::String),
                FieldDef::new("storeys", FieldType::Integer),
            ],
            unique: Vec::new(),
        };
        db.transaction::<_, riskcensus_io::IoError>(|t| {
            t.ensure_table(&spec)?;
            let w = t.writer(layer, &["id", "name", "structure", "storeys"])?;
            w.insert(
                Some(&geo_types::Point::new(116.95, 36.2).into()),
                &[
                    FieldValue::String("B2".into()),
                    FieldValue::String("two".into()),
                    FieldValue::String("砖混".into()),
                    FieldValue::Integer(2),
                ],
            )?;
            Ok(())
        })
        .unwrap();
    }
    std::fs::rename(&made, &gpkg_src).unwrap();
    // A Shapefile (its layer is its file name) named in GBK bytes and SQL.
    let mut stem = gbk.to_os_string();
    stem.push("'; DROP TABLE hidden_dangers; -- $(touch SENTINEL8)");
    for ext in ["shp", "shx", "dbf", "prj"] {
        let mut n = stem.clone();
        n.push(format!(".{ext}"));
        std::fs::copy(
            fixtures_dir().join(format!("demo-small/survey/hidden_dangers.{ext}")),
            survey.join(n),
        )
        .unwrap();
    }
    let mut shp_name = stem.clone();
    shp_name.push(".shp");
    let shp_src = survey.join(&shp_name);
    let before = tree(root);
    let o = ingest(root, &census, &csv_src, &[]);
    assert_eq!(code(&o, "ingest csv"), 0, "{}", stderr(&o));
    let o = ingest(
        root,
        &census,
        &gpkg_src,
        &[OsStr::new("--source-layer"), OsStr::new(layer)],
    );
    assert_eq!(code(&o, "ingest gpkg"), 0, "{}", stderr(&o));
    let o = bin()
        .current_dir(root)
        .arg("ingest")
        .arg(&census)
        .arg(&shp_src)
        .args(["--layer", "hidden_dangers", "--quiet"])
        .output()
        .unwrap();
    // Records outside the small census's area are rejected (exit 2); the point is
    // that the file opens and is recorded.
    assert!([0, 2].contains(&code(&o, "ingest shp")), "{}", stderr(&o));
    assert_no_sentinel(root);
    let outside = new_outside(&before, &tree(root), Path::new("census"));
    assert!(
        outside.is_empty(),
        "written outside the census: {outside:?}"
    );

    assert_eq!(
        stored_buildings(&census),
        vec![("B1".into(), "one".into()), ("B2".into(), "two".into())]
    );
    let batches = Census::open(&census).unwrap().batches().unwrap();
    let dir = survey.to_str().unwrap();
    // The undecodable bytes are written \xNN (never U+FFFD); the layer verbatim.
    assert_eq!(
        batches[0].text("source"),
        format!("{dir}/\\xB7\\xBF\\xCE\\xDD.csv")
    );
    assert_eq!(
        batches[1].text("source"),
        format!("{dir}/\\xB7\\xBF\\xCE\\xDD.gpkg")
    );
    assert_eq!(batches[1].text("source_layer"), layer);
    assert_eq!(
        batches[2].text("source"),
        format!(
            "{dir}/\\xB7\\xBF\\xCE\\xDD'; DROP TABLE hidden_dangers; -- $(touch SENTINEL8).shp"
        )
    );
    assert!(batches[2].text("read").parse::<u64>().unwrap() > 0);
    // A second load of the same layer is recognised as loaded (the filter on the
    // layer name is an escaped literal).
    let c = Census::open(&census).unwrap();
    let opts = riskcensus_survey::census::IngestOptions {
        layer: "buildings".into(),
        source_layer: Some(layer.into()),
        source_crs: Some("EPSG:4490".into()),
        ..Default::default()
    };
    assert!(c.is_loaded(&gpkg_src, &opts).unwrap());
}

#[test]
fn bad_run_ids_layer_names_and_ids_are_refused_naming_the_value_and_the_rule() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let census = small_census(root);
    let before = tree(root);
    let long = "r".repeat(10_000);
    for (run_id, rule) in [
        ("../escape", "no '/'"),
        ("..", "not starting with '.'"),
        ("a/../../b", "no '/'"),
        ("/tmp/abs", "no '/'"),
        ("a\\b", "no '/' or '\\'"),
        ("a\nb", "no control characters"),
        (long.as_str(), "longer than 100 bytes"),
    ] {
        for cmd in ["run", "scenario"] {
            let o = bin()
                .current_dir(root)
                .arg(cmd)
                .args(["--quiet", "--run-id", run_id])
                .arg(&census)
                .output()
                .unwrap();
            let e = stderr(&o);
            assert_eq!(code(&o, cmd), 2, "{cmd} {run_id:?}: {e}");
            assert!(e.contains("run id") && e.contains(rule), "{run_id:?}: {e}");
            assert!(e.len() < 1000, "the message repeats a long id whole: {e}");
        }
    }
    assert_eq!(tree(root), before, "a refused run wrote files");

    // A census layer that is a path is unknown, not a table name.
    let src = census.join("survey/b.csv");
    buildings_csv(&src, &[("B1".into(), "one".into())]);
    for layer in ["../../x", "buildings; DROP TABLE _batches", "buildings\""] {
        let o = bin()
            .args(["ingest", "--quiet", "--layer", layer])
            .arg(&census)
            .arg(&src)
            .output()
            .unwrap();
        let e = stderr(&o);
        assert_eq!(code(&o, "ingest"), 2, "{layer:?}: {e}");
        assert!(e.contains("unknown census layer"), "{layer:?}: {e}");
    }

    // Source ids name files (`layers/<id>.tif`): a path, a shell command or a
    // 10,000-byte id is refused, before any work, naming the id and the rule.
    std::fs::copy(
        fixtures_dir().join("demo-small/survey/dem.tif"),
        census.join("survey/dem.tif"),
    )
    .unwrap();
    let toml = std::fs::read_to_string(census.join("census.toml")).unwrap();
    for id in ["../../evil", "$(touch SENTINEL8)", &"d".repeat(10_000)] {
        std::fs::write(
            census.join("census.toml"),
            format!("{toml}\n[[raster]]\nid = {id:?}\npath = \"survey/dem.tif\"\nkind = \"continuous\"\n"),
        )
        .unwrap();
        let before = tree(root);
        let o = bin()
            .current_dir(root)
            .args(["run", "--quiet"])
            .arg(&census)
            .output()
            .unwrap();
        let e = stderr(&o);
        assert_eq!(code(&o, "run"), 2, "{id:?}: {e}");
        assert!(
            e.contains("[[raster]] id") && e.contains("an id names files: use 1 to 64"),
            "{id:?}: {e}"
        );
        assert!(e.len() < 2000, "the message repeats a long id whole: {e}");
        let outside = new_outside(&before, &tree(root), Path::new("census"));
        assert!(outside.is_empty(), "{id:?}: {outside:?}");
        assert!(!root.join("evil.tif").exists() && !root.join("evil").exists());
    }
    assert_no_sentinel(root);
}

#[test]
fn a_full_run_with_a_hostile_run_id_and_census_name_stays_in_its_folder() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let census = root.join("census");
    copy_census(&fixtures_dir().join("demo-small"), &census);
    let name = format!(
        "<script>alert(1)</script> '; DROP TABLE buildings; -- $(touch {})",
        root.join("SENTINEL9").display()
    );
    let toml = std::fs::read_to_string(census.join("census.toml")).unwrap();
    let toml = toml.replace("name = \"演示县 Demo County\"", &format!("name = {name:?}"));
    std::fs::write(census.join("census.toml"), toml).unwrap();
    let run_id = "$(touch SENTINEL10) '; DROP TABLE result_eq_buildings; -- `id` 春";
    let before = tree(root);
    let o = bin()
        .current_dir(root)
        .args(["run", "--quiet", "--run-id", run_id])
        .arg(&census)
        .output()
        .unwrap();
    assert_eq!(code(&o, "run"), 0, "{}", stderr(&o));
    let run = census.join("out").join(run_id);
    let o = bin()
        .current_dir(root)
        .arg("report")
        .arg(&run)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(code(&o, "report"), 0, "{}", stderr(&o));
    assert_no_sentinel(root);
    let outside = new_outside(&before, &tree(root), Path::new("census"));
    assert!(
        outside.is_empty(),
        "written outside the census: {outside:?}"
    );
    // Inside the census: the database, its lock and the run's folder only.
    let inside: BTreeSet<_> = tree(&census)
        .difference(&tree_of(&before, "census"))
        .filter(|p| p.components().count() == 1 || p.starts_with("out"))
        .map(|p| p.components().next().unwrap().as_os_str().to_owned())
        .collect();
    let allowed: BTreeSet<_> = ["census.gpkg", "census.gpkg.lock", "out"]
        .map(std::ffi::OsString::from)
        .into_iter()
        .collect();
    assert!(inside.is_subset(&allowed), "{inside:?}");
    assert_eq!(
        std::fs::read_dir(census.join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect::<Vec<_>>(),
        vec![std::ffi::OsString::from(run_id)]
    );

    // The result table keeps the run id verbatim (and is still there).
    let db = GpkgDb::open_read(&census.join("census.gpkg")).unwrap();
    let runs: BTreeSet<String> = db
        .query("result_eq_buildings", None, None)
        .unwrap()
        .iter()
        .map(|f| f.text("run"))
        .collect();
    assert_eq!(runs, BTreeSet::from([run_id.to_string()]));
    // The report shows the census name escaped, never as markup.
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains(&riskcensus::report::html::esc(&name)));
}

/// The part of a tree listing under `dir`, relative to it.
fn tree_of(t: &BTreeSet<PathBuf>, dir: &str) -> BTreeSet<PathBuf> {
    t.iter()
        .filter_map(|p| p.strip_prefix(dir).ok())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect()
}

// ---- resource bounds ----

#[test]
fn a_csv_field_above_16_mib_is_refused_naming_file_record_and_field() {
    let d = tempfile::tempdir().unwrap();
    let census = small_census(d.path());
    let src = census.join("survey/huge_field.csv");
    let cap = riskcensus_survey::source::MAX_FIELD_BYTES;
    // Row 1 holds a field of exactly the cap (allowed); row 2 one byte more.
    buildings_csv(
        &src,
        &[
            ("B1".into(), "a".repeat(cap)),
            ("B2".into(), "b".repeat(cap + 1)),
        ],
    );
    let o = ingest(d.path(), &census, &src, &[]);
    let e = stderr(&o);
    assert_eq!(code(&o, "ingest"), 2, "{e}");
    for part in [
        "huge_field.csv",
        "row 2 (line 3)",
        "field \"name\" (column 2)",
        "16777216 bytes",
    ] {
        assert!(e.contains(part), "{part}: {e}");
    }
    // Refused as a whole: nothing was loaded.
    assert!(!census.join("census.gpkg").exists() || stored_buildings(&census).is_empty());
}

/// A BigTIFF whose header declares `cols × rows` float32 cells (one uncompressed
/// strip, EPSG:4548, 1 m cells from (480000, 4030000)) followed by 1 KiB of data:
/// the rest of the 40 GB is missing.
fn truncated_geotiff(path: &Path, cols: u64, rows: u64) {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const DOUBLE: u16 = 12;
    const LONG8: u16 = 16;
    enum V {
        S(Vec<u16>),
        L(u32),
        D(Vec<f64>),
        Q(u64),
    }
    let geokeys = vec![1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 4548];
    // The strip is placed after the directory and its out-of-line values.
    let entries = |strip: u64| {
        vec![
            (256u16, V::L(cols as u32)),
            (257, V::L(rows as u32)),
            (258, V::S(vec![32])),
            (259, V::S(vec![1])),
            (262, V::S(vec![1])),
            (273, V::Q(strip)),
            (277, V::S(vec![1])),
            (278, V::L(rows as u32)),
            (279, V::Q(cols * rows * 4)),
            (284, V::S(vec![1])),
            (339, V::S(vec![3])),
            (33550, V::D(vec![1.0, 1.0, 0.0])),
            (
                33922,
                V::D(vec![0.0, 0.0, 0.0, 480_000.0, 4_030_000.0, 0.0]),
            ),
            (34735, V::S(geokeys.clone())),
        ]
    };
    let n = entries(0).len() as u64;
    let ifd_at = 16u64;
    let extra_at = ifd_at + 8 + 20 * n + 8;
    let build = |strip: u64| {
        let mut ifd = n.to_le_bytes().to_vec();
        let mut extra: Vec<u8> = Vec::new();
        for (tag, v) in entries(strip) {
            let (ty, count, bytes): (u16, u64, Vec<u8>) = match v {
                V::S(s) => (
                    SHORT,
                    s.len() as u64,
                    s.iter().flat_map(|x| x.to_le_bytes()).collect(),
                ),
                V::L(x) => (LONG, 1, x.to_le_bytes().to_vec()),
                V::D(d) => (
                    DOUBLE,
                    d.len() as u64,
                    d.iter().flat_map(|x| x.to_le_bytes()).collect(),
                ),
                V::Q(x) => (LONG8, 1, x.to_le_bytes().to_vec()),
            };
            ifd.extend(tag.to_le_bytes());
            ifd.extend(ty.to_le_bytes());
            ifd.extend(count.to_le_bytes());
            if bytes.len() <= 8 {
                let mut b = bytes;
                b.resize(8, 0);
                ifd.extend(b);
            } else {
                ifd.extend((extra_at + extra.len() as u64).to_le_bytes());
                extra.extend(bytes);
                while !extra.len().is_multiple_of(8) {
                    extra.push(0);
                }
            }
        }
        ifd.extend(0u64.to_le_bytes());
        (ifd, extra)
    };
    let (_, extra) = build(0);
    let strip = extra_at + extra.len() as u64;
    let (ifd, extra) = build(strip);
    let mut f = b"II".to_vec();
    f.extend(43u16.to_le_bytes());
    f.extend(8u16.to_le_bytes());
    f.extend(0u16.to_le_bytes());
    f.extend(ifd_at.to_le_bytes());
    f.extend(ifd);
    f.extend(extra);
    f.extend([0u8; 1024]);
    std::fs::write(path, f).unwrap();
}

#[test]
fn a_truncated_raster_declaring_100000_square_cells_is_refused_before_it_is_read() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    let big = root.join("big.tif");
    truncated_geotiff(&big, 100_000, 100_000);
    assert!(std::fs::metadata(&big).unwrap().len() < 4096);
    let want = |e: &str, file: &str| {
        e.contains(file)
            && e.contains("truncated")
            && e.contains("100000 × 100000 cells")
            && e.contains("but the file has")
    };
    // Read directly by the commands that take a raster, …
    for args in [vec!["inspect"], vec!["terrain", "--out", "t"]] {
        let o = bin()
            .current_dir(root)
            .args(&args[..1])
            .arg(&big)
            .args(&args[1..])
            .arg("--quiet")
            .output()
            .unwrap();
        let e = stderr(&o);
        assert_eq!(code(&o, args[0]), 2, "{args:?}: {e}");
        assert!(want(&e, "big.tif"), "{args:?}: {e}");
    }
    // … and as the census DEM a run warps onto its grid.
    let census = root.join("census");
    copy_census(&fixtures_dir().join("demo-small"), &census);
    std::fs::copy(&big, census.join("survey/dem.tif")).unwrap();
    let o = bin()
        .args(["run", "--quiet"])
        .arg(&census)
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(code(&o, "run"), 2, "{e}");
    assert!(want(&e, "survey/dem.tif"), "{e}");
    assert!(!census.join("out/latest/layers/dem.tif").exists());
}

#[test]
fn a_census_grid_of_ten_billion_cells_is_refused_naming_the_bound() {
    let d = tempfile::tempdir().unwrap();
    let census = small_census(d.path());
    let toml = std::fs::read_to_string(census.join("census.toml"))
        .unwrap()
        .replace("rows = 87", "rows = 100000")
        .replace("cols = 105", "cols = 100000");
    std::fs::write(census.join("census.toml"), toml).unwrap();
    let o = bin()
        .args(["run", "--quiet"])
        .arg(&census)
        .output()
        .unwrap();
    let e = stderr(&o);
    assert_eq!(code(&o, "run"), 2, "{e}");
    assert!(
        e.contains("census.toml") && e.contains("100000×100000") && e.contains("268435456"),
        "{e}"
    );
}

/// Environment variable of [`peak_rss_helper`]: the command and its arguments,
/// separated by U+001F.
const PEAK_ARGS_ENV: &str = "RISKCENSUS_TEST_PEAK_ARGS";

/// Peak resident memory (KiB) and exit code of `riskcensus args…`. The kernel's
/// `ru_maxrss` of a child also counts the memory of the process it was forked
/// from (the high-water mark of the memory map it replaced at exec), and this test
/// process holds other tests' data; so the command is run by a fresh copy of this
/// test binary ([`peak_rss_helper`]), whose own memory is small.
fn peak_rss_kib(args: &[&OsStr]) -> (i32, i64) {
    let mut list = vec![OsStr::new(env!("CARGO_BIN_EXE_riskcensus"))];
    list.extend_from_slice(args);
    let joined: Vec<String> = list
        .iter()
        .map(|a| a.to_str().expect("UTF-8 arguments").to_string())
        .collect();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "hostile::peak_rss_helper",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PEAK_ARGS_ENV, joined.join("\u{1f}"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |k: &str| -> i64 {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(k))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {k} from the helper:\n{text}\n{}", stderr(&out)))
    };
    (field("RC=") as i32, field("PEAK_KIB="))
}

/// Not a test of its own (ignored in the suite): the helper process of
/// [`peak_rss_kib`], which runs it with `--ignored` and [`PEAK_ARGS_ENV`] set: run
/// that command, wait for it with `wait4` and print its exit code and peak RSS
/// (`ru_maxrss`, KiB).
#[test]
#[ignore = "the helper process of the memory test, run by peak_rss_kib"]
fn peak_rss_helper() {
    let args = std::env::var(PEAK_ARGS_ENV)
        .expect("run by peak_rss_kib, which names the command in RISKCENSUS_TEST_PEAK_ARGS");
    let args: Vec<&str> = args.split('\u{1f}').collect();
    let child = Command::new(args[0])
        .args(&args[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to overwrite; `pid` is our
    // own child, reaped here once (the `Child` is then dropped without waiting).
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    drop(child);
    assert!(
        libc::WIFEXITED(status),
        "killed by signal {}",
        libc::WTERMSIG(status)
    );
    println!("RC={} PEAK_KIB={}", libc::WEXITSTATUS(status), ru.ru_maxrss);
}

#[test]
fn reading_and_validating_a_source_holds_no_memory_per_record_beyond_its_key() {
    // `riskcensus validate` reads, decodes, types, checks, reprojects and
    // de-duplicates every record exactly as `ingest` does, without the database,
    // whose page cache and deferred spatial index are bounded by SQLite and GDAL
    // (docs/census-schema.md gives the ingest's own figures).
    let d = tempfile::tempdir().unwrap();
    let mut peaks = Vec::new();
    let sizes = [50_000u64, 450_000];
    for n in sizes {
        let census = small_census(&d.path().join(n.to_string()));
        let src = census.join("survey/b.csv");
        let mut s = String::from("id,lon,lat,structure,storeys,name\n");
        for k in 0..n {
            s += &format!(
                "B{k:09},{:.7},{:.7},砖混,{},某某街道某某社区第{k}号楼\n",
                116.90 + (k % 200) as f64 * 0.001,
                36.15 + (k / 200 % 100) as f64 * 0.001,
                1 + k % 5
            );
        }
        std::fs::write(&src, s).unwrap();
        let (rc, kib) = peak_rss_kib(&[
            OsStr::new("validate"),
            census.as_os_str(),
            src.as_os_str(),
            OsStr::new("--layer"),
            OsStr::new("buildings"),
            OsStr::new("--source-crs"),
            OsStr::new("EPSG:4490"),
            OsStr::new("--quiet"),
        ]);
        assert_eq!(rc, 0, "validate of {n} records");
        peaks.push(kib);
    }
    // Bytes of peak memory per record added: the duplicate-key map (a 16-byte key
    // digest and the record's row and line, ≈ 40 B with the table's growth) and
    // noise. Reading the CSV whole (the file, then its decoded text) and keeping
    // each first place as text measured 193 B per record.
    let per_record = (peaks[1] - peaks[0]) as f64 * 1024.0 / (sizes[1] - sizes[0]) as f64;
    eprintln!(
        "validate peak memory: {} KiB ({} records) → {} KiB ({} records): {per_record:.0} B per record",
        peaks[0], sizes[0], peaks[1], sizes[1]
    );
    assert!(
        per_record < 120.0,
        "peak memory {} KiB → {} KiB: {per_record:.0} B per record",
        peaks[0],
        peaks[1]
    );
}
