//! Every model, scenario and census file is read and checked before the first
//! stage runs: a typo anywhere stops `riskcensus run` at once — exit 2, the file
//! named — with nothing loaded and nothing computed (no census.gpkg, no run folder).
//!
//! Each file of the shipped model library (the list is the library's own, so a new
//! file is covered without editing this test) is put into a census's `models/`
//! folder with three kinds of mistake in turn: broken syntax, an unknown key (a
//! misspelt parameter) and a value of the wrong type (text where a number belongs);
//! CSV tables get a short row and text in a number column. The census's scenario
//! files and `census.toml` get the same.

use std::path::Path;

use crate::util::{bin, copy_census, demo_census};

/// The mistakes made in a TOML file's text: (kind, broken text).
fn toml_mistakes(text: &str) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("syntax", format!("{text}\nthis is = = not toml\n")),
        ("unknown key", format!("misspelt_parameter = 1\n{text}")),
    ];
    // The first `key = <number>` line: its value becomes text.
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        if let Some((key, value)) = code.split_once('=') {
            let (key, value) = (key.trim(), value.trim());
            if !key.is_empty() && !key.starts_with('[') && value.parse::<f64>().is_ok() {
                let start = at + line.find(value).unwrap();
                let mut t = text.to_string();
                t.replace_range(start..start + value.len(), "\"oops\"");
                v.push(("wrong type", t));
                break;
            }
        }
        at += line.len();
    }
    v
}

/// The mistakes made in a CSV table's text.
fn csv_mistakes(text: &str) -> Vec<(&'static str, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap();
    let mut cells: Vec<&str> = lines[last].split(',').collect();
    let short = cells[..cells.len() - 1].join(",");
    *cells.last_mut().unwrap() = "abc";
    let texty = cells.join(",");
    let with = |row: &str| {
        let mut l: Vec<&str> = lines.clone();
        l[last] = row;
        l.join("\n") + "\n"
    };
    vec![
        ("short row", with(&short)),
        ("text in a number column", with(&texty)),
    ]
}

/// `riskcensus run` on `census` must stop at once naming `file`: exit 2, no census
/// database, no run folder.
fn refused_before_anything(census: &Path, file: &str, kind: &str) {
    let o = bin().args(["run", "--quiet"]).arg(census).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{file} with {kind}: exit {:?}: {err}",
        o.status.code()
    );
    assert!(
        err.contains(file),
        "{file} with {kind}: not named in: {err}"
    );
    assert!(
        !census.join("census.gpkg").exists(),
        "{file} with {kind}: the survey was loaded before the file was checked: {err}"
    );
    assert!(
        !census.join("out").exists(),
        "{file} with {kind}: a run folder was made before the file was checked: {err}"
    );
}

#[test]
fn a_mistake_in_any_model_scenario_or_census_file_stops_the_run_before_it_starts() {
    let d = tempfile::tempdir().unwrap();
    let demo = demo_census(&d.path().join("demo"), 600.0);
    let census = d.path().join("census");
    let fresh = |census: &Path| {
        let _ = std::fs::remove_dir_all(census);
        copy_census(&demo, census);
    };
    let mut checked = 0;
    let library = riskcensus_models::Library::shipped();
    for f in library.files() {
        let mistakes = if f.path.ends_with(".csv") {
            csv_mistakes(&f.text)
        } else {
            toml_mistakes(&f.text)
        };
        for (kind, text) in mistakes {
            fresh(&census);
            let path = census.join("models").join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            refused_before_anything(&census, &format!("models/{}", f.path), kind);
            checked += 1;
        }
    }
    assert!(checked >= 3 * 30, "only {checked} broken model files tried");

    // The census's own files: its scenarios and census.toml.
    fresh(&census);
    let mut own: Vec<String> = std::fs::read_dir(census.join("scenarios"))
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.ends_with(".toml").then(|| format!("scenarios/{n}"))
        })
        .collect();
    own.sort();
    assert!(!own.is_empty(), "the demo census has scenario files");
    own.push("census.toml".into());
    for file in own {
        fresh(&census);
        let text = std::fs::read_to_string(census.join(&file)).unwrap();
        for (kind, broken) in toml_mistakes(&text) {
            fresh(&census);
            std::fs::write(census.join(&file), broken).unwrap();
            refused_before_anything(&census, &file, kind);
        }
    }
}
