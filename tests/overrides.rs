//! One override rule for every shipped model file (`riskcensus_models::library`): a
//! census file `<census>/models/<path>` replaces the shipped `models/<path>`, and the
//! run uses it — checked for EVERY shipped file in one run, through the manifest
//! (each model and operator entry carries its file's version and parameter hash).

use riskcensus::contracts::Manifest;
use riskcensus::progress::NoProgress;
use riskcensus::RunOptions;
use riskcensus_models::Library;

/// `version = "x"` → `version = "x-census"` (the first, top-level one).
fn bump_version(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("version = \""))
        .expect("a top-level version");
    let new = format!("{}-census\"", line.trim_end_matches('"'));
    text.replacen(line, &new, 1)
}

fn id_of(text: &str) -> String {
    let t: toml::Table = text.parse().unwrap();
    t["id"].as_str().unwrap().to_string()
}

#[test]
fn a_census_file_at_a_shipped_path_overrides_that_file_for_every_shipped_file() {
    let d = tempfile::tempdir().unwrap();
    let census = crate::util::demo_census(&d.path().join("census"), 300.0);
    let shipped = Library::shipped();
    let mut overridden = Vec::new();
    for f in shipped.files() {
        let text = if f.is_declaration() {
            // A hazard or level-scheme declaration: a changed English name.
            let text = f
                .text
                .replacen("name_en = \"I high\"", "name_en = \"I high (census)\"", 1);
            let at = text
                .find("\nname_en = \"")
                .map(|i| i + "\nname_en = \"".len());
            match at {
                Some(i) if f.path.ends_with("hazard.toml") => {
                    let end = i + text[i..].find('"').unwrap();
                    format!("{} (census){}", &text[..end], &text[end..])
                }
                _ => text,
            }
        } else if f.path.ends_with(".toml") {
            bump_version(&f.text)
        } else {
            // A table: the same rows with one more line end, so its digest differs.
            format!("{}\n", f.text)
        };
        let dest = census.join("models").join(&f.path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, &text).unwrap();
        overridden.push((f.path.clone(), text));
    }
    assert!(overridden.len() >= 19, "{} shipped files", overridden.len());

    let opts = RunOptions {
        report: false,
        ..RunOptions::default()
    };
    let r = riskcensus::run(&census, &opts, &NoProgress).unwrap();
    let m = Manifest::from_json(&std::fs::read_to_string(&r.manifest).unwrap()).unwrap();
    for (path, text) in &overridden {
        if riskcensus_models::vocabulary::is_declaration(path) {
            assert_ne!(
                text,
                &shipped.file(path).unwrap().text,
                "{path}: not changed"
            );
            if path.ends_with("hazard.toml") {
                let id = id_of(text);
                let h = m.hazards.iter().find(|h| h.id == id).unwrap();
                assert!(h.name_en.ends_with(" (census)"), "{path}: {h:?}");
            } else {
                // The risk5 scheme's first class, as the risk level grids carry it.
                let r = riskcensus_io::RasterReader::open(
                    &r.layout.assess().join("flood_risk_level.tif"),
                    1,
                )
                .unwrap();
                assert_eq!(r.class_names()[1], "高风险 I high (census)", "{path}");
            }
        } else if path.ends_with(".toml") {
            let id = id_of(text);
            let e = m
                .models
                .iter()
                .find(|e| e.id == id)
                .unwrap_or_else(|| panic!("{path}: no manifest entry for model {id}"));
            assert!(
                e.version.ends_with("-census"),
                "{path}: the run used version {} (the shipped file, not the census's)",
                e.version
            );
        } else {
            // The fragility table enters the earthquake stage's parameter hash.
            assert_eq!(path, "earthquake/seismic_fragility.csv");
            let params = &overridden
                .iter()
                .find(|(p, _)| p == "earthquake/earthquake.toml")
                .unwrap()
                .1;
            let want = riskcensus_io::digest::bytes_sha256(format!("{params}\n{text}").as_bytes());
            let e = m.models.iter().find(|e| e.id == "earthquake").unwrap();
            assert_eq!(
                e.param_hash, want,
                "{path}: the census's table was not used"
            );
        }
    }
}

#[test]
fn a_census_model_at_another_path_with_a_shipped_id_is_refused_naming_both_files() {
    let d = tempfile::tempdir().unwrap();
    let census = crate::util::demo_census(&d.path().join("census"), 600.0);
    // The old habit: a flat copy directly under models/ (id "flood").
    std::fs::create_dir_all(census.join("models")).unwrap();
    std::fs::write(
        census.join("models/flood.toml"),
        Library::shipped()
            .require("flood/flood.toml")
            .unwrap()
            .text
            .clone(),
    )
    .unwrap();
    let e = riskcensus::run(&census, &RunOptions::default(), &NoProgress).unwrap_err();
    let msg = e.to_string();
    assert!(e.is_input_error(), "{msg}");
    assert!(
        msg.contains("\"flood\"")
            && msg.contains("models/flood/flood.toml")
            && msg.contains("models/flood.toml"),
        "{msg}"
    );
}
