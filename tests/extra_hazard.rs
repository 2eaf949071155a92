//! A hazard the engine does not ship goes through the whole run: one models folder
//! (`<census>/models/hail/`: `hazard.toml`, the hazard index and the risk model),
//! one stage (here, in the test, passed through `RunOptions::extra_stages`), and
//! nothing else — the assess stage scores it, its level grids carry the schemes its
//! model files name (hazard levels 高危险 …, never risk), zoning tabulates its risk,
//! the manifest lists the hazard in its order, and the report maps it with its name.
//!
//! The "hail" hazard here is a TEST FIXTURE with no science: hail days rise linearly
//! with elevation.

use std::path::Path;
use std::sync::Arc;

use riskcensus::output::write_f32;
use riskcensus::progress::NoProgress;
use riskcensus::stage::{Context, Needs, Writes};
use riskcensus::{EngineError, RunOptions, Stage, StageOutcome};
use riskcensus_io::RasterReader;
use riskcensus_testkit::{fixtures_dir, repo_dir};

use crate::util::copy_census;

/// The test-only hazard's stage: `hail_days` = 0.5 + elevation / 400 (d/yr).
struct HailStage;

impl Stage for HailStage {
    fn id(&self) -> &str {
        "hail"
    }

    fn needs(&self, _cx: &Context<'_>) -> Result<Needs, EngineError> {
        Ok(Needs {
            layers: vec!["dem".into()],
            ..Needs::default()
        })
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: vec!["hail_days"],
            files: Vec::new(),
        }
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let grid = &cx.census.grid;
        let dem = cx.stack.read_grid("dem", Some("m"), grid, "hail")?;
        let days: Vec<f32> = dem.iter().map(|z| 0.5 + z / 400.0).collect();
        let dir = cx.layout.assess();
        let path = write_f32(
            &dir,
            "hail_days",
            grid,
            &days,
            &Default::default(),
            Some("d/yr"),
        )?;
        cx.stack.insert("hail_days", path, "d/yr");
        Ok(StageOutcome::default())
    }
}

fn copy_models(to: &Path) {
    let from = repo_dir().join("tests/data/hail");
    std::fs::create_dir_all(to).unwrap();
    for f in ["hazard.toml", "hail.toml", "hail_risk.toml"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
}

#[test]
fn a_hazard_of_ones_own_runs_end_to_end_with_maps() {
    let d = tempfile::tempdir().unwrap();
    let census = d.path().join("census");
    copy_census(&fixtures_dir().join("demo-small"), &census);
    copy_models(&census.join("models/hail"));

    let opts = RunOptions {
        run_id: "hail".into(),
        extra_stages: vec![Arc::new(HailStage)],
        ..RunOptions::default()
    };
    let report = riskcensus::run(&census, &opts, &NoProgress).unwrap();
    let assess = report.layout.assess();

    // The stage ran and the assess stage scored its model files.
    assert!(report
        .stages
        .iter()
        .any(|s| s.id == "hail" && s.skipped.is_none()));
    for f in [
        "hail_days",
        "hail_hazard",
        "hail_hazard_level",
        "hail_risk",
        "hail_risk_level",
    ] {
        assert!(assess.join(format!("{f}.tif")).exists(), "{f}.tif");
    }
    // Levels carry the schemes the model files name: a hazard map is labelled as
    // hazard, the risk map as risk.
    let r = RasterReader::open(&assess.join("hail_hazard_level.tif"), 1).unwrap();
    assert_eq!(r.level_scheme_id().as_deref(), Some("hazard5"));
    let names = r.class_names();
    assert_eq!(names[1], "高危险 I high hazard");
    assert!(names.iter().all(|n| !n.contains("风险")), "{names:?}");
    let r = RasterReader::open(&assess.join("hail_risk_level.tif"), 1).unwrap();
    assert_eq!(r.level_scheme_id().as_deref(), Some("risk5"));
    assert_eq!(r.class_names()[5], "低风险 V low");

    // The manifest lists the hazard in the plan's order (after flood, before
    // earthquake) and the model files with their versions.
    let m = riskcensus::contracts::manifest::Manifest::from_json(
        &std::fs::read_to_string(&report.manifest).unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = m.hazards.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "flood",
            "hail",
            "earthquake",
            "geohazard",
            "wildfire",
            "comprehensive"
        ]
    );
    assert!(m
        .models
        .iter()
        .any(|e| e.id == "hail_risk" && e.version == "0.0.1-test"));

    // Zoning tabulates its risk per township.
    let units = std::fs::read_to_string(assess.join("unit_summary.csv")).unwrap();
    assert!(
        units.lines().any(|l| l.contains(",hail_risk,")),
        "no hail_risk rows"
    );

    // The report maps it, titled with its declared names.
    let maps = report.layout.maps();
    for m in ["hail_hazard_level_web.png", "hail_risk_level_web.png"] {
        assert!(maps.join(m).exists(), "{m}");
    }
    let html = std::fs::read_to_string(report.layout.report_html()).unwrap();
    assert!(
        html.contains("冰雹危险性等级图"),
        "the report lacks the hail hazard map"
    );
    assert!(
        html.contains("冰雹风险等级图"),
        "the report lacks the hail risk map"
    );
}

/// The same model folder with a risk scheme on the hazard index is refused before
/// anything runs, naming the file and the rule.
#[test]
fn a_hazard_index_labelled_as_risk_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let census = d.path().join("census");
    copy_census(&fixtures_dir().join("demo-small"), &census);
    let models = census.join("models/hail");
    copy_models(&models);
    let f = models.join("hail.toml");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(
        &f,
        text.replace("scheme = \"hazard5\"", "scheme = \"risk5\""),
    )
    .unwrap();
    let opts = RunOptions {
        run_id: "bad".into(),
        extra_stages: vec![Arc::new(HailStage)],
        report: false,
        ..RunOptions::default()
    };
    let e = riskcensus::run(&census, &opts, &NoProgress).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("hail.toml") && msg.contains("never labelled as risk"),
        "{msg}"
    );
    assert!(e.is_input_error());
}
