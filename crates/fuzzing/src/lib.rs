//! The bodies of the fuzz targets of RiskCensus (the `fuzz/` folder at the root of
//! the repository, run with `cargo fuzz`; docs/fuzzing.md): one function per target,
//! taking the fuzzer's bytes, so the seed corpora and every input that once crashed
//! replay on the stable toolchain in this crate's tests.
//!
//! Each function feeds the bytes to a parser of hostile input through the same
//! public entry point a run or a command uses (a file is written to a temporary
//! folder first where the entry point reads a file) and returns what the parser
//! said: `Ok` when it accepted the input, the error otherwise. A target panics —
//! a finding for the fuzzer — when the parser panics, or when the parser's error
//! does not name the file it is about (DESIGN.md §7: errors say where).
//!
//! | target | input | entry points |
//! |---|---|---|
//! | [`csv_source`] | a survey CSV | `Source::open` + `Source::for_each` (encoding detection, quoting, line numbers) |
//! | [`survey_values`] | layer byte, mapping TOML, `\n%%\n`, survey CSV | `Census::validate`: mapping file, field plan, value typing (numbers, dates, codes), coordinates, duplicate keys |
//! | [`geojson_source`] | a GeoJSON file | `Source::open` + `for_each` through OGR, then `Census::validate` |
//! | [`census_toml`] | a `census.toml` | `CensusConfig::parse` (schema, grid, CRS, sources), `CensusFile` round trip |
//! | [`model_files`] | selector byte, a model file | every model-file parser (scoring models, declarations, operators, prevention rules, the fragility CSV) |
//! | [`ground_motion_csv`] | GMM byte, IMT byte, a cases CSV | `ground_motion_csv` (`riskcensus ground-motion`) |
//! | [`fwi_csv`] | a weather CSV | `fwi_from_csv` (`riskcensus fwi`, the wildfire stage) |
//! | [`inventory_csv`] | an inventory CSV | `read_inventory` (`riskcensus susceptibility --inventory / --negatives`) |

use std::error::Error;
use std::path::Path;

use riskcensus_core::GridSpec;

/// What a target's parser said: `Ok(())` when it accepted the input, else its error.
pub type Outcome = Result<(), Box<dyn Error>>;

/// A fuzz target: its name (the file under `fuzz/fuzz_targets/` and the folders
/// under `fuzz/corpus/` and `fuzz/regressions/`) and its body.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Name of the target.
    pub name: &'static str,
    /// The body: parse the fuzzer's bytes.
    pub run: fn(&[u8]) -> Outcome,
}

/// Every target, in the order `make fuzz` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "csv_source",
        run: csv_source,
    },
    Target {
        name: "survey_values",
        run: survey_values,
    },
    Target {
        name: "geojson_source",
        run: geojson_source,
    },
    Target {
        name: "census_toml",
        run: census_toml,
    },
    Target {
        name: "model_files",
        run: model_files,
    },
    Target {
        name: "ground_motion_csv",
        run: ground_motion_csv,
    },
    Target {
        name: "fwi_csv",
        run: fwi_csv,
    },
    Target {
        name: "inventory_csv",
        run: inventory_csv,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The census of the demo county (`fixtures/demo-small/census.toml`): code 370999,
/// grid CGCS2000 / 3-degree Gauss–Krüger CM 117E (EPSG:4548), 150 m, 176 × 230.
fn demo_grid() -> GridSpec {
    GridSpec {
        crs: "EPSG:4548".into(),
        x_min: 484_000.0,
        y_max: 4_020_000.0,
        cell_size: 150.0,
        rows: 176,
        cols: 230,
    }
}

const DEMO_CODE: &str = "370999";

/// A fresh temporary folder (removed when dropped).
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("riskcensus-fuzz")
        .tempdir()
        .expect("a temporary folder can be created")
}

/// Write `bytes` to `dir/name` and return the path.
fn put(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("the temporary file can be written");
    p
}

/// The oracle of errors that concern a file: the error, or one of its causes, names
/// the file (`needle` is its file name). Panics otherwise; returns the error boxed.
fn naming<E: Error + 'static>(e: E, needle: &str) -> Box<dyn Error> {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    assert!(
        text.contains(needle),
        "the error does not name the file {needle}: {text}"
    );
    Box::new(e)
}

/// The text of `bytes`, or an error for bytes that are not UTF-8 (model files and
/// `census.toml` are read with `read_to_string`, which refuses them the same way).
fn utf8(bytes: &[u8]) -> Result<&str, Box<dyn Error>> {
    Ok(std::str::from_utf8(bytes)?)
}

/// The survey CSV reader: `bytes` is a CSV file (any encoding), opened as a survey
/// source that may carry coordinates, and every record read.
pub fn csv_source(bytes: &[u8]) -> Outcome {
    use riskcensus_survey::source::{ReadOptions, Source};
    let dir = scratch();
    let path = put(dir.path(), "source.csv", bytes);
    let opts = ReadOptions {
        wants_geometry: true,
        ..Default::default()
    };
    let src = Source::open(&path, &opts).map_err(|e| naming(e, "source.csv"))?;
    let ncol = src.columns.len();
    let mut last = 0;
    let rows = src
        .for_each(|r| {
            assert_eq!(r.values.len(), ncol, "a record has one value per column");
            assert!(r.at.row > last, "rows are numbered in order");
            last = r.at.row;
            Ok(())
        })
        .map_err(|e| naming(e, "source.csv"))?;
    assert_eq!(rows, last, "for_each counts the rows it read");
    Ok(())
}

/// Mapping files, field plans and value parsers: `bytes` is a selector byte (the
/// census layer, modulo their number), then either a survey CSV alone, read with
/// source CRS `EPSG:4490`, or a mapping file (TOML), a line `%%`, and the CSV.
/// The source is validated against the demo census without touching a database.
pub fn survey_values(bytes: &[u8]) -> Outcome {
    use riskcensus_survey::{schema, Census, IngestOptions};
    let Some((&sel, rest)) = bytes.split_first() else {
        return Err("empty input".into());
    };
    let layers = schema::layer_names();
    let layer = layers[sel as usize % layers.len()];
    let dir = scratch();
    let (mapping, csv) = match find(rest, b"\n%%\n") {
        Some(i) => (Some(&rest[..i]), &rest[i + 4..]),
        None => (None, rest),
    };
    let source = put(dir.path(), "survey.csv", csv);
    let opts = IngestOptions {
        layer: layer.into(),
        mapping: mapping.map(|m| put(dir.path(), "mapping.toml", m)),
        source_crs: mapping.is_none().then(|| "EPSG:4490".into()),
        ..Default::default()
    };
    let census = Census::from_parts(dir.path(), "fuzz", DEMO_CODE, demo_grid());
    let report = census.validate(&source, &opts).map_err(|e| {
        let needle = if e.to_string().contains("mapping.toml") {
            "mapping.toml"
        } else {
            "survey.csv"
        };
        naming(e, needle)
    })?;
    assert_eq!(
        report.loaded + report.rejected,
        report.read,
        "every record read is loaded or rejected"
    );
    assert!(report.dry_run, "a validation is a dry run");
    Ok(())
}

/// The position of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The GeoJSON reader path: `bytes` is a `.geojson` file opened through OGR as a
/// survey source, every feature read, then validated as a census layer (the first
/// spatial layer whose required fields the source has, else one picked by length).
pub fn geojson_source(bytes: &[u8]) -> Outcome {
    use riskcensus_survey::schema::{self, Geom};
    use riskcensus_survey::source::{ReadOptions, Source};
    use riskcensus_survey::validate::FieldPlan;
    use riskcensus_survey::{Census, IngestOptions};
    let dir = scratch();
    let path = put(dir.path(), "source.geojson", bytes);
    let src =
        Source::open(&path, &ReadOptions::default()).map_err(|e| naming(e, "source.geojson"))?;
    let ncol = src.columns.len();
    src.for_each(|r| {
        assert_eq!(r.values.len(), ncol, "a record has one value per field");
        Ok(())
    })
    .map_err(|e| naming(e, "source.geojson"))?;
    let spatial: Vec<&'static schema::Layer> = schema::layer_names()
        .into_iter()
        .filter_map(schema::layer)
        .filter(|l| l.geometry != Geom::None)
        .collect();
    // The first layer whose required fields the source has, else one by length.
    let layer = spatial
        .iter()
        .find(|l| FieldPlan::resolve(l, &src.columns, None, &path, &[]).is_ok())
        .unwrap_or(&spatial[bytes.len() % spatial.len()])
        .name;
    drop(src);
    let census = Census::from_parts(dir.path(), "fuzz", DEMO_CODE, demo_grid());
    let opts = IngestOptions {
        layer: layer.into(),
        ..Default::default()
    };
    let report = census
        .validate(&path, &opts)
        .map_err(|e| naming(e, "source.geojson"))?;
    assert_eq!(report.loaded + report.rejected, report.read);
    Ok(())
}

/// `census.toml`: parsed and checked as a run reads it (in an empty census folder,
/// so every source file is missing); a file that parses is written back with
/// `CensusFile::to_toml` and must read back equal.
pub fn census_toml(bytes: &[u8]) -> Outcome {
    use riskcensus_contracts::CensusFile;
    use riskcensus_engine::config::CensusConfig;
    let text = utf8(bytes)?;
    let dir = scratch();
    let path = dir.path().join("census.toml");
    let file = CensusFile::parse(text, &path).map_err(|e| naming(e, "census.toml"));
    if let Ok(file) = &file {
        let _ = file.problems(dir.path());
        let _ = file.sources().count();
        if let Ok(again) = file.to_toml("# round trip\n") {
            let back = CensusFile::parse(&again, &path).unwrap_or_else(|e| {
                panic!("to_toml wrote a file that does not read: {e}\n{again}")
            });
            assert_eq!(&back, file, "census.toml does not survive a round trip");
        }
    }
    CensusConfig::parse(dir.path(), &path, text).map_err(|e| naming(e, "census.toml"))?;
    file?;
    Ok(())
}

/// The model-file parsers, `bytes` = a selector byte, then the file. The selector
/// (modulo [`MODEL_PARSERS`]'s length) picks the parser.
pub fn model_files(bytes: &[u8]) -> Outcome {
    let Some((&sel, rest)) = bytes.split_first() else {
        return Err("empty input".into());
    };
    let (_, parse) = MODEL_PARSERS[sel as usize % MODEL_PARSERS.len()];
    parse(utf8(rest)?)
}

/// A parser of one kind of model file, given the file's text.
pub type ModelParser = fn(&str) -> Outcome;

/// The parsers [`model_files`] dispatches to: the file they read (as named in errors)
/// and the parser. The order is that of the selector byte of the corpus files.
pub const MODEL_PARSERS: &[(&str, ModelParser)] = &[
    ("models/flood/flood.toml", scoring_model),
    ("models/flood/hazard.toml", hazard_declaration),
    ("models/common/levels.toml", level_schemes),
    ("models/zoning/prevention.toml", prevention_rules),
    ("models/earthquake/earthquake.toml", earthquake_params),
    ("models/earthquake/seismic_fragility.csv", fragility_table),
    ("models/geohazard/geohazard.toml", geohazard_params),
    ("models/trend/trends.toml", trend_params),
    ("models/scenario/scenarios.toml", scenario_params),
    ("scenarios/2030_growth.toml", scenario_file),
    ("models/common/loss_levels.toml", loss_levels),
    ("models/comprehensive/comprehensive.toml", loss_sum),
    ("models/flood/flood_depth.toml", depth_screen),
    ("models/flood/flood_depth_damage.toml", depth_damage),
    ("models/flood/flood_mortality.toml", depth_mortality),
    ("models/capacity/capacity_gaps.toml", capacity_gaps),
    (
        "models/capacity/grassroots_capacity.toml",
        grassroots_capacity,
    ),
];

fn scoring_model(text: &str) -> Outcome {
    use riskcensus_models::{reference, Model};
    let m = Model::from_toml(text, "flood.toml").map_err(|e| naming(e, "flood.toml"))?;
    let _ = m.param_hash();
    let _ = m.compile();
    let n = m.inputs().len();
    for v in [0.0f32, 0.5, 1.0, -1.0, 1e30, f32::NAN] {
        let _ = reference::score_cell(&m, &vec![v; n]);
    }
    Ok(())
}

fn vocabulary(path: &str, text: &str) -> Outcome {
    use riskcensus_models::Vocabulary;
    let origin = Path::new(path);
    Vocabulary::from_files([(path, text, origin)]).map_err(|e| naming(e, path))?;
    Ok(())
}

fn hazard_declaration(text: &str) -> Outcome {
    vocabulary("flood/hazard.toml", text)
}

fn level_schemes(text: &str) -> Outcome {
    vocabulary("common/levels.toml", text)
}

fn prevention_rules(text: &str) -> Outcome {
    // The rules do not know their file; the engine names it (EngineError::PreventionRules).
    riskcensus_zoning::PreventionRules::from_toml(text)?;
    Ok(())
}

fn earthquake_params(text: &str) -> Outcome {
    use riskcensus_models::earthquake::EarthquakeParams;
    let p = EarthquakeParams::parse(text, "earthquake.toml")
        .map_err(|e| naming(e, "earthquake.toml"))?;
    let _ = p.gmm_tree();
    Ok(())
}

fn fragility_table(text: &str) -> Outcome {
    use riskcensus_models::earthquake::fragility::{CodeLevel, FragilityTable};
    let t = FragilityTable::parse(text, "seismic_fragility.csv")
        .map_err(|e| naming(e, "seismic_fragility.csv"))?;
    for code in ["pre", "low", "moderate", "high"] {
        let level = CodeLevel::parse(code).expect("a code level");
        if let Ok((curve, _)) = t.curve("URML", level) {
            for pga in [0.0, 0.1, 1.0, 10.0] {
                let p = curve.state_probabilities(pga);
                assert!(
                    p.iter().all(|x| !x.is_nan()),
                    "a NaN damage-state probability"
                );
            }
        }
    }
    Ok(())
}

fn geohazard_params(text: &str) -> Outcome {
    use riskcensus_models::geohazard::GeohazardParams;
    GeohazardParams::from_toml(text, "geohazard.toml").map_err(|e| naming(e, "geohazard.toml"))?;
    Ok(())
}

fn trend_params(text: &str) -> Outcome {
    use riskcensus_models::trend::params::TrendParams;
    TrendParams::from_toml(text, "trends.toml").map_err(|e| naming(e, "trends.toml"))?;
    Ok(())
}

fn scenario_params(text: &str) -> Outcome {
    use riskcensus_models::scenario::ScenarioParams;
    ScenarioParams::from_toml(text, "scenarios.toml").map_err(|e| naming(e, "scenarios.toml"))?;
    Ok(())
}

fn scenario_file(text: &str) -> Outcome {
    use riskcensus_models::scenario::Scenario;
    Scenario::from_toml(text, "2030_growth.toml").map_err(|e| naming(e, "2030_growth.toml"))?;
    Ok(())
}

fn loss_levels(text: &str) -> Outcome {
    use riskcensus_models::loss::LossLevels;
    LossLevels::from_toml(text, "loss_levels.toml").map_err(|e| naming(e, "loss_levels.toml"))?;
    Ok(())
}

fn loss_sum(text: &str) -> Outcome {
    use riskcensus_models::loss::Comprehensive;
    Comprehensive::from_toml(text, "comprehensive.toml")
        .map_err(|e| naming(e, "comprehensive.toml"))?;
    Ok(())
}

fn depth_screen(text: &str) -> Outcome {
    use riskcensus_models::flood::DepthScreen;
    DepthScreen::from_toml(text, "flood_depth.toml").map_err(|e| naming(e, "flood_depth.toml"))?;
    Ok(())
}

fn depth_damage(text: &str) -> Outcome {
    use riskcensus_models::flood::DepthDamage;
    DepthDamage::from_toml(text, "flood_depth_damage.toml")
        .map_err(|e| naming(e, "flood_depth_damage.toml"))?;
    Ok(())
}

fn depth_mortality(text: &str) -> Outcome {
    use riskcensus_models::flood::Mortality;
    Mortality::from_toml(text, "flood_mortality.toml")
        .map_err(|e| naming(e, "flood_mortality.toml"))?;
    Ok(())
}

fn capacity_gaps(text: &str) -> Outcome {
    use riskcensus_models::capacity::gaps::CapacityGaps;
    CapacityGaps::from_toml(text, "capacity_gaps.toml")
        .map_err(|e| naming(e, "capacity_gaps.toml"))?;
    Ok(())
}

fn grassroots_capacity(text: &str) -> Outcome {
    use riskcensus_models::capacity::grassroots::GrassrootsCapacity;
    GrassrootsCapacity::from_toml(text, "grassroots_capacity.toml")
        .map_err(|e| naming(e, "grassroots_capacity.toml"))?;
    Ok(())
}

/// IMTs the ground-motion target asks for, picked by its second byte.
const IMTS: &[&str] = &["PGA", "PGV", "SA(0.2)", "SA(1.0)", "SA(3.0)"];

/// The ground-motion table: `bytes` = a byte picking the ground-motion model (among
/// `Gmm::names()`), a byte picking the IMT (PGA, PGV, SA(0.2), SA(1.0), SA(3.0)),
/// then a CSV of rupture–site cases.
pub fn ground_motion_csv(bytes: &[u8]) -> Outcome {
    use riskcensus_models::earthquake::Gmm;
    let [g, i, csv @ ..] = bytes else {
        return Err("input shorter than its two selector bytes".into());
    };
    let names = Gmm::names();
    let gmm = names[*g as usize % names.len()];
    let imt = IMTS[*i as usize % IMTS.len()];
    let dir = scratch();
    let path = put(dir.path(), "cases.csv", csv);
    let out = riskcensus_engine::stages::earthquake::ground_motion_csv(gmm, imt, &path)
        .map_err(|e| naming(e, "cases.csv"))?;
    assert!(out.ends_with('\n') || out.is_empty());
    Ok(())
}

/// The Fire Weather Index table: `bytes` is a daily weather CSV.
pub fn fwi_csv(bytes: &[u8]) -> Outcome {
    use riskcensus_engine::stages::wildfire::{format_fwi_csv, fwi_from_csv};
    let dir = scratch();
    let path = put(dir.path(), "weather.csv", bytes);
    let table = fwi_from_csv(&path).map_err(|e| naming(e, "weather.csv"))?;
    let _ = format_fwi_csv(&table, 3);
    Ok(())
}

/// The susceptibility inventory (and negatives) reader: `bytes` is a CSV of points,
/// read against the demo census grid, then filtered by type and checked inside.
pub fn inventory_csv(bytes: &[u8]) -> Outcome {
    use riskcensus_engine::stages::geohazard::{check_inside, filter_types, read_inventory};
    let dir = scratch();
    let path = put(dir.path(), "inventory.csv", bytes);
    let grid = demo_grid();
    let pts = read_inventory(&path, &grid).map_err(|e| naming(e, "inventory.csv"))?;
    for p in &pts {
        let _ = p.cell_position(&grid);
    }
    let kept = filter_types(pts, &["滑坡".to_string(), "崩塌".to_string()], &path)
        .map_err(|e| naming(e, "inventory.csv"))?;
    check_inside(&kept, &grid, &path).map_err(|e| naming(e, "inventory.csv"))?;
    Ok(())
}
