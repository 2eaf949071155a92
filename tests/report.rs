//! `riskcensus report` through the binary on a 150 m demo run (generated once per test
//! binary with `riskcensus demo`): the PNG maps decode at the page sizes, carry the
//! legend colours of DESIGN.md, Chinese text renders as real glyphs (not .notdef
//! boxes), every number of the HTML township tables equals `unit_summary` in
//! zoning.gpkg, the section of expected annual loss shows the county's AAL / GDP
//! from `unit_risk` with its verdict against the 1 % target and one exceedance-curve
//! chart per loss-model hazard, a second render gives the same bytes, and — where Chromium is
//! installed — the page loads headless without console errors and draws a non-blank
//! screenshot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::util::{bin, ok};
use riskcensus_io::gpkg::GpkgDb;
use riskcensus_io::vector::FieldValue;
use riskcensus_io::RasterReader;

/// The demo run with its report, made once for all tests of this binary.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::Builder::new()
            .prefix("rc-report-")
            .tempdir()
            .unwrap()
            .keep();
        let out = tmp.join("run");
        ok(
            bin()
                .args(["demo", "--resolution", "150", "--quiet", "--out"])
                .arg(&out)
                .output()
                .unwrap(),
            "riskcensus demo",
        );
        ok(
            bin()
                .arg("report")
                .arg(&out)
                .arg("--quiet")
                .output()
                .unwrap(),
            "riskcensus report",
        );
        out
    })
}

/// Decoded RGBA8 page.
struct Png {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

fn decode(path: &Path) -> Png {
    let dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    ));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", path.display());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf[..info.buffer_size()].to_vec(),
        png::ColorType::Rgb => buf[..info.buffer_size()]
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    Png {
        width: info.width,
        height: info.height,
        rgba,
    }
}

fn count_rgb(p: &Png, rgb: [u8; 3]) -> usize {
    p.rgba
        .chunks(4)
        .filter(|px| px[0] == rgb[0] && px[1] == rgb[1] && px[2] == rgb[2] && px[3] == 255)
        .count()
}

/// Level grids of the run: `(file stem, path)`.
fn level_grids(run: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(run.join("assess"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let stem = p.file_name()?.to_str()?.strip_suffix(".tif")?.to_string();
            (stem.ends_with("_level") || stem.ends_with("_prevention")).then_some((stem, p))
        })
        .collect();
    v.sort();
    v
}

/// DESIGN.md §4: five risk colours I→V; prevention tiers use I, II and IV of them.
const DESIGN_RISK: [[u8; 3]; 5] = [
    [0xD7, 0x19, 0x1C],
    [0xFD, 0xAE, 0x61],
    [0xFF, 0xFF, 0xBF],
    [0xA6, 0xD9, 0x6A],
    [0x1A, 0x96, 0x41],
];

#[test]
fn every_level_grid_has_a4_and_web_maps_with_the_legend_colours() {
    let run = run_dir();
    let grids = level_grids(run);
    assert!(
        grids.iter().any(|(s, _)| s == "flood_risk_level")
            && grids.iter().any(|(s, _)| s == "flood_risk_prevention"),
        "demo grids: {grids:?}"
    );
    for (stem, tif) in &grids {
        let table = RasterReader::open(tif, 1).unwrap().color_table_rgba();
        let codes: Vec<usize> = if stem.ends_with("_prevention") {
            vec![1, 2, 3]
        } else if stem.starts_with("geohazard") {
            vec![1, 2, 3, 4]
        } else {
            vec![1, 2, 3, 4, 5]
        };
        for (page, (w, h)) in [("a4", (2339, 1654)), ("web", (1200, 849))] {
            let path = run.join("maps").join(format!("{stem}_{page}.png"));
            let png = decode(&path);
            assert_eq!((png.width, png.height), (w, h), "{}", path.display());
            // Swatch 64 × 40 px on A4 (× 1200/2339 on the web page), drawn unblended.
            let swatch = if page == "a4" { 64 * 40 } else { 32 * 20 };
            for code in &codes {
                let [r, g, b, _] = table[*code];
                let rgb = [r as u8, g as u8, b as u8];
                let n = count_rgb(&png, rgb);
                assert!(
                    n >= swatch * 9 / 10,
                    "{}: legend colour {rgb:02X?} of code {code}: {n} px",
                    path.display()
                );
            }
            // The grid's colours are DESIGN.md's.
            if !stem.ends_with("_prevention") && codes.len() == 5 {
                for (i, c) in DESIGN_RISK.iter().enumerate() {
                    let t = table[i + 1];
                    assert_eq!(
                        [t[0] as u8, t[1] as u8, t[2] as u8],
                        *c,
                        "{stem} code {}",
                        i + 1
                    );
                }
            }
        }
    }
}

/// Coverage (alpha) of a rendered text line.
struct Gray {
    width: usize,
    alpha: Vec<u8>,
}

/// Ink = pixels with any coverage.
fn ink(p: &Gray) -> usize {
    p.alpha.iter().filter(|a| **a > 0).count()
}

fn render(text: &str, notdef: bool) -> Gray {
    use riskcensus::report::font::{Align, CjkFont, TextStyle};
    use riskcensus::report::tiny_skia::{Color, Pixmap};
    let font =
        CjkFont::find().expect("a CJK font (scripts/install-deps.sh installs fonts-noto-cjk)");
    let px = 48.0;
    let width = (px as usize) * text.chars().count() + 16;
    let mut pm = Pixmap::new(width as u32, 72).unwrap();
    let style = TextStyle::new(px, Color::BLACK);
    if notdef {
        font.draw_notdef(&mut pm, text, 8.0, 54.0, &style);
    } else {
        font.draw(&mut pm, text, 8.0, 54.0, Align::Left, &style);
    }
    Gray {
        width,
        alpha: pm.pixels().iter().map(|p| p.alpha()).collect(),
    }
}

/// Columns `[8 + i·48, 8 + (i+1)·48)` of character `i` (CJK glyphs advance 1 em).
fn cell(g: &Gray, i: usize) -> Vec<u8> {
    let rows = g.alpha.len() / g.width;
    let mut out = Vec::new();
    for r in 0..rows {
        let row = &g.alpha[r * g.width..(r + 1) * g.width];
        out.extend_from_slice(&row[8 + i * 48..8 + (i + 1) * 48]);
    }
    out
}

#[test]
fn chinese_text_renders_real_glyphs_not_tofu() {
    let text = "洪涝风险等级图";
    let font = riskcensus::report::CjkFont::find().unwrap();
    assert!(
        text.chars().all(|c| font.has_glyph(c)),
        "{}",
        font.path().display()
    );
    let real = render(text, false);
    let tofu = render(text, true);
    let (n_real, n_tofu) = (ink(&real), ink(&tofu));
    // Seven ideographs at 48 px: strokes cover well over 1 000 px.
    assert!(n_real > 3000, "real glyphs ink {n_real}");
    assert!(n_tofu > 0, ".notdef draws a box");
    let differ = real
        .alpha
        .iter()
        .zip(&tofu.alpha)
        .filter(|(a, b)| (**a as i32 - **b as i32).abs() > 64)
        .count();
    assert!(
        differ * 3 > n_real,
        "real vs tofu differ in {differ} px of {n_real}"
    );
    // Every .notdef box is the same picture; real glyphs are all different.
    let tofu_cells: Vec<Vec<u8>> = (0..7).map(|i| cell(&tofu, i)).collect();
    let real_cells: Vec<Vec<u8>> = (0..7).map(|i| cell(&real, i)).collect();
    assert!(tofu_cells.windows(2).all(|w| w[0] == w[1]));
    for i in 0..7 {
        for j in i + 1..7 {
            assert_ne!(real_cells[i], real_cells[j], "glyphs {i} and {j} identical");
        }
    }
}

fn unit_summary(run: &Path) -> BTreeMap<(String, String), BTreeMap<String, Option<f64>>> {
    let db = GpkgDb::open_read(&run.join("assess/zoning.gpkg")).unwrap();
    let mut out = BTreeMap::new();
    for f in db.query("unit_summary", None, None).unwrap() {
        let text = |k: &str| match f.get(k) {
            Some(FieldValue::String(s)) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        let mut nums = BTreeMap::new();
        for k in [
            "area_km2",
            "score_mean",
            "score_max",
            "unit_level",
            "prevention_tier",
        ] {
            let v = match f.get(k) {
                Some(FieldValue::Real(v)) => Some(*v),
                Some(FieldValue::Integer(v)) => Some(*v as f64),
                Some(FieldValue::Integer64(v)) => Some(*v as f64),
                Some(FieldValue::Null) => None,
                other => panic!("{k}: {other:?}"),
            };
            nums.insert(k.to_string(), v);
        }
        out.insert((text("layer"), text("unit_code")), nums);
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(&tag[i..i + tag[i..].find('"')?])
}

#[test]
fn every_number_of_the_township_tables_equals_unit_summary() {
    let run = run_dir();
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let gold = unit_summary(run);
    assert!(!gold.is_empty());
    let mut seen = BTreeMap::new();
    for row in html.split("<tr data-unit=\"").skip(1) {
        let row = &row[..row.find("</tr>").unwrap()];
        let unit = &row[..row.find('"').unwrap()];
        let layer = attr(row, "data-layer").unwrap();
        let want = gold
            .get(&(layer.to_string(), unit.to_string()))
            .unwrap_or_else(|| panic!("row {layer}/{unit} not in unit_summary"));
        let mut fields = 0;
        for td in row.split("<td ").skip(1) {
            let Some(field) = attr(&format!(" {td}"), "data-field").map(str::to_string) else {
                continue;
            };
            let Some(value) = attr(&format!(" {td}"), "data-value").map(str::to_string) else {
                continue;
            };
            let shown = &td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()];
            let exp = want[&field];
            match exp {
                None => assert_eq!((value.as_str(), shown), ("", "–"), "{layer}/{unit} {field}"),
                Some(v) => {
                    // Exact: the attribute is the shortest round-trip form of the f64.
                    assert_eq!(value.parse::<f64>().unwrap(), v, "{layer}/{unit} {field}");
                    let d = match field.as_str() {
                        "area_km2" => 2,
                        "score_mean" | "score_max" => 4,
                        _ => 0,
                    };
                    assert_eq!(shown, format!("{v:.d$}"), "{layer}/{unit} {field}");
                }
            }
            fields += 1;
        }
        assert_eq!(fields, 5, "{layer}/{unit}: numeric columns");
        seen.insert((layer.to_string(), unit.to_string()), ());
    }
    assert_eq!(
        seen.len(),
        gold.len(),
        "every unit_summary row appears once"
    );
}

/// `(unit_code, hazard)` → `aal_gdp_pct` of `unit_risk`, read independently of the
/// report crate, and the county's code.
#[allow(clippy::type_complexity)]
fn unit_risk_gdp_pct(run: &Path) -> (BTreeMap<(String, String), Option<f64>>, String) {
    let db = GpkgDb::open_read(&run.join("assess/zoning.gpkg")).unwrap();
    assert!(db.has_table("unit_risk"), "the demo run has the loss route");
    let mut out = BTreeMap::new();
    let mut county = None;
    for f in db.query("unit_risk", None, None).unwrap() {
        let text = |k: &str| match f.get(k) {
            Some(FieldValue::String(s)) => s.clone(),
            other => panic!("{k}: {other:?}"),
        };
        let pct = match f.get("aal_gdp_pct") {
            Some(FieldValue::Real(v)) => Some(*v),
            Some(FieldValue::Null) => None,
            other => panic!("aal_gdp_pct: {other:?}"),
        };
        if text("unit_level") == "county" {
            county = Some(text("unit_code"));
        }
        // The report's tables hold the county and the townships; village rows are
        // for the zoning tables.
        if text("unit_level") == "village" {
            continue;
        }
        out.insert((text("unit_code"), text("hazard")), pct);
    }
    (out, county.expect("a county row"))
}

#[test]
fn the_loss_section_shows_the_county_aal_share_and_exceedance_curves() {
    let run = run_dir();
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let sec = &html[html
        .find(r#"<h2 id="loss">"#)
        .expect("the loss section is present")..];
    let sec = &sec[..1 + sec[1..].find("<h2 ").unwrap()];
    assert!(sec.contains("损失风险") && sec.contains("Expected annual loss and deaths"));

    // The county's comprehensive AAL / GDP: exact in data-value, 3 decimals shown,
    // and the verdict against the plan's 1 % target.
    let (gold, county) = unit_risk_gdp_pct(run);
    let pct = gold[&(county.clone(), "comprehensive".to_string())].expect("demo county GDP");
    let target = sec[sec.find(r#"id="loss-target""#).unwrap()..].to_string();
    let target = &target[..target.find("</p>").unwrap()];
    assert_eq!(
        attr(target, "data-value").unwrap().parse::<f64>().unwrap(),
        pct
    );
    assert!(target.contains(&format!("{pct:.3} %")), "{target}");
    let verdict = if pct <= 1.0 { "meets" } else { "exceeds" };
    assert!(
        target.contains(&format!("{verdict} the plan's target")),
        "{target}"
    );
    // The county row of the township table carries the same figure.
    let row = &sec[sec
        .find(&format!(r#"<tr data-risk-unit="{county}""#))
        .unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains(&format!(
        r#"data-field="aal_gdp_pct" data-value="{pct}">{pct:.3}</td>"#
    )));
    // One table row per township and the county.
    let units = gold.keys().filter(|(_, h)| h == "comprehensive").count();
    assert_eq!(sec.matches("<tr data-risk-unit=\"").count(), units);

    // One exceedance chart per hazard of loss_exceedance.csv, each with the bold
    // county line and a line per township.
    let mut rd = csv::Reader::from_path(run.join("assess/loss_exceedance.csv")).unwrap();
    let mut hazards: Vec<String> = Vec::new();
    for r in rd.records() {
        let h = r.unwrap()[2].to_string();
        if !hazards.contains(&h) {
            hazards.push(h);
        }
    }
    assert!(hazards.contains(&"flood".to_string()) && hazards.contains(&"earthquake".to_string()));
    for h in &hazards {
        let fig = &sec[sec
            .find(&format!(r#"<figure class="chart-fig" data-hazard="{h}">"#))
            .unwrap_or_else(|| panic!("no exceedance chart of {h}"))..];
        let fig = &fig[..fig.find("</figure>").unwrap()];
        assert!(fig
            .contains(r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart loss-exceedance""#));
        assert_eq!(
            fig.matches("<polyline").count(),
            units,
            "{h}: one line per unit"
        );
        assert!(
            fig.contains(r#"stroke-width="3.5""#),
            "{h}: bold county line"
        );
    }
    // The township map of AAL / GDP classes is written and embedded.
    assert!(run.join("maps/loss_aal_gdp_townships_web.png").exists());
    assert!(sec.contains(r#"<figure id="map-loss-aal-gdp"><img"#));
}

/// The chapter "风险变化趋势 Risk trend": the county row of every case carries the
/// exact figures of scenario_units.csv and its band of scenario_uncertainty.csv,
/// the measures appear in the rank order of scenario_measures.csv, and the bands
/// and sensitivity charts are drawn.
#[test]
fn the_trend_chapter_shows_the_scenarios_measures_and_bands() {
    let run = run_dir();
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let sec = &html[html
        .find(r#"<h2 id="trend">"#)
        .expect("the trend chapter is present")..];
    let sec = &sec[..1 + sec[1..].find("<h2 ").unwrap()];
    assert!(sec.contains("风险变化趋势") && sec.contains("Risk trend"));
    let mut rd = csv::Reader::from_path(run.join("assess/scenario_units.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let mut cases = Vec::new();
    for r in rd.records().map(Result::unwrap) {
        if &r[col("unit_level")] != "county" || &r[col("hazard")] != "comprehensive" {
            continue;
        }
        let case = r[col("scenario")].to_string();
        let row = &sec[sec
            .find(&format!(r#"<tr data-scenario="{case}">"#))
            .unwrap_or_else(|| panic!("no county row of {case}"))..];
        let row = &row[..row.find("</tr>").unwrap()];
        let aal: f64 = r[col("aal_wan_per_yr")].parse().unwrap();
        assert!(
            row.contains(&format!(
                r#"data-field="aal_wan_per_yr" data-value="{aal}">"#
            )),
            "{row}"
        );
        cases.push(case);
    }
    assert!(
        cases.len() >= 3,
        "baseline and the demo's two scenarios: {cases:?}"
    );
    // The measures in rank order.
    let mut rd = csv::Reader::from_path(run.join("assess/scenario_measures.csv")).unwrap();
    let ids: Vec<String> = rd.records().map(|r| r.unwrap()[2].to_string()).collect();
    let pos: Vec<usize> = ids
        .iter()
        .map(|m| sec.find(&format!(r#"<tr data-measure="{m}""#)).unwrap())
        .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "rank order");
    assert!(sec.contains(r#"class="chart bands""#) && sec.contains(r#"class="chart sensitivity""#));
    assert!(sec.contains("Hindcast"));
}

/// The chapter of the earthquake hidden-danger grades says the grade is
/// provisional and carries the counts of eq_grades_by_structure.csv and
/// unit_seismic_grades.csv, with the county's shares in its lead.
#[test]
fn the_grades_chapter_is_labelled_provisional_and_carries_the_tables() {
    let run = run_dir();
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    let sec = &html[html
        .find(r#"<h2 id="eq-grades">"#)
        .expect("the grades chapter is present")..];
    let sec = &sec[..1 + sec[1..].find("<h2 ").unwrap()];
    assert!(sec.contains("暂定") && sec.contains("PROVISIONAL"), "{sec}");
    assert!(sec.contains(r#"id="eq-grades-provisional""#));
    for (file, key, code) in [
        (
            "assess/eq_grades_by_structure.csv",
            "structure",
            "structure",
        ),
        ("assess/unit_seismic_grades.csv", "unit", "unit_code"),
    ] {
        let mut rd = csv::Reader::from_path(run.join(file)).unwrap();
        let h = rd.headers().unwrap().clone();
        let col = |n: &str| h.iter().position(|c| c == n).unwrap();
        let mut n = 0;
        for r in rd.records().map(Result::unwrap) {
            assert!(r[col("grade_basis")].starts_with("provisional"), "{file}");
            let row = &sec[sec
                .find(&format!(r#"<tr data-grade-{key}="{}">"#, &r[col(code)]))
                .unwrap_or_else(|| panic!("{file}: no row of {}", &r[col(code)]))..];
            let row = &row[..row.find("</tr>").unwrap()];
            for g in ["grade1_key", "grade2_general", "grade3_minor", "buildings"] {
                assert!(
                    row.contains(&format!(r#"data-field="{g}" data-value="{}">"#, &r[col(g)])),
                    "{file} {g}: {row}"
                );
            }
            if key == "structure" && &r[col("structure")] == "all" {
                let count = |g: &str| r[col(g)].parse::<f64>().unwrap();
                let pct = 100.0 * count("grade1_key") / count("buildings");
                assert!(sec.contains(&format!("重点隐患 {pct:.1}%")), "{pct}");
            }
            n += 1;
        }
        assert!(n > 5, "{file}: {n} rows");
    }
}

#[test]
fn a_second_render_gives_the_same_bytes() {
    let run = run_dir();
    let before: Vec<(PathBuf, Vec<u8>)> = std::iter::once(run.join("report.html"))
        .chain(
            level_grids(run)
                .into_iter()
                .map(|(s, _)| run.join("maps").join(format!("{s}_a4.png"))),
        )
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    // Render the same run again, in place: writes are atomic renames, so the other
    // tests reading the folder meanwhile see either version, and both must be equal.
    ok(
        bin()
            .arg("report")
            .arg(run)
            .arg("--quiet")
            .output()
            .unwrap(),
        "second report",
    );
    for (p, b) in before {
        assert!(std::fs::read(&p).unwrap() == b, "{} differs", p.display());
    }
}

#[test]
fn a_folder_without_a_manifest_exits_2_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bin().arg("report").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("manifest.json"), "{err}");
    // A run whose zoning GeoPackage is gone: the error names the file.
    let run = run_dir();
    let broken = tmp.path().join("broken");
    std::fs::create_dir_all(broken.join("assess")).unwrap();
    std::fs::create_dir_all(broken.join("layers")).unwrap();
    std::fs::copy(run.join("manifest.json"), broken.join("manifest.json")).unwrap();
    std::fs::copy(
        run.join("assess/flood_risk_level.tif"),
        broken.join("assess/flood_risk_level.tif"),
    )
    .unwrap();
    std::fs::copy(
        run.join("layers/hillshade.tif"),
        broken.join("layers/hillshade.tif"),
    )
    .unwrap();
    let out = bin().arg("report").arg(&broken).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zoning.gpkg"), "{err}");
}

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(o) = Command::new("which").arg(name).output() {
            if o.status.success() {
                let p = String::from_utf8_lossy(&o.stdout).trim().to_string();
                if !p.is_empty() {
                    return Some(PathBuf::from(p));
                }
            }
        }
    }
    None
}

#[test]
fn the_report_loads_in_headless_chromium_without_console_errors() {
    let Some(chrome) = chromium() else {
        // In CI the browser is part of the test environment (scripts/install-deps.sh
        // installs it): its absence is a failure, never a silent skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and no chromium is installed: scripts/install-deps.sh should have installed it"
        );
        println!("note: chromium is not installed (scripts/install-deps.sh installs it where apt has it); skipping the browser check of report.html");
        return;
    };
    let run = run_dir();
    let url = format!("file://{}", run.join("report.html").display());
    let profile = tempfile::tempdir().unwrap();
    let base = |c: &mut Command| {
        // No background traffic: this machine's network is closed, and refused
        // connections would show up as load errors that are not the report's.
        c.arg("--headless")
            .arg("--disable-gpu")
            .arg("--no-sandbox")
            .args([
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()));
    };
    // Console messages and failed loads are logged to stderr with --enable-logging.
    let mut c = Command::new(&chrome);
    base(&mut c);
    let out = c
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        dom.contains("自然灾害综合风险普查成果报告"),
        "DOM lacks the title"
    );
    assert!(dom.contains("data:image/png;base64,"), "maps embedded");
    let console: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("CONSOLE")
                || l.contains("Uncaught")
                || l.contains("Failed to load resource")
                || l.contains("net::ERR_")
        })
        .collect();
    assert!(
        console.is_empty(),
        "console errors:\n{}",
        console.join("\n")
    );

    let shot = profile.path().join("shot.png");
    let mut c = Command::new(&chrome);
    base(&mut c);
    let out = c
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,1600")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = decode(&shot);
    assert_eq!((png.width, png.height), (1280, 1600));
    let non_white = png
        .rgba
        .chunks(4)
        .filter(|p| p[0] < 240 || p[1] < 240 || p[2] < 240)
        .count();
    let total = (png.width * png.height) as usize;
    // The dark page header alone is ~80 px of 1600; text and tables add more.
    assert!(
        non_white * 20 > total,
        "screenshot nearly blank: {non_white} of {total} px"
    );
    let mut colours: Vec<[u8; 3]> = png.rgba.chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
    colours.sort();
    colours.dedup();
    assert!(colours.len() > 50, "only {} colours", colours.len());
}

/// A run made before the loss route (no `unit_risk` table, no loss CSVs) still gets
/// its report, without the loss section.
#[test]
fn a_run_without_the_loss_tables_gets_its_report_without_the_section() {
    fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                copy_tree(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let run = run_dir();
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    copy_tree(run, &old);
    for f in [
        "risk_units.csv",
        "loss_exceedance.csv",
        "aal_by_structure.csv",
        "risk_record.csv",
    ] {
        std::fs::remove_file(old.join("assess").join(f)).unwrap();
    }
    let db = GpkgDb::open(&old.join("assess/zoning.gpkg"), false).unwrap();
    db.sql("DROP TABLE unit_risk").unwrap();
    drop(db);
    ok(
        bin().arg("report").arg(&old).output().unwrap(),
        "riskcensus report",
    );
    let html = std::fs::read_to_string(old.join("report.html")).unwrap();
    assert!(!html.contains(r#"<h2 id="loss">"#));
    assert!(
        html.contains(r#"<h2 id="maps">"#),
        "the rest of the report is there"
    );
}
