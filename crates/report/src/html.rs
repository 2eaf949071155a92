//! The census report: one self-contained HTML file in Chinese with English headings
//! (inline CSS with a print stylesheet, web-size maps embedded as base64 PNG, charts
//! as inline SVG, no script and no external resource).
//!
//! Sections: 1 study area and data summary (survey layers; records read, loaded and
//! rejected from `_batches`/`_rejects`); 2 methods per hazard (model ids, versions,
//! parameter hashes, class breaks from the manifest; factors, transforms and weights
//! from the model files, checked against the manifest's hash); 3 validation figures
//! found in the run folder; 4 maps; when the run has the loss route of risk, 5
//! expected annual loss and deaths ([`loss`]); when it has the capacity tables,
//! mitigation capacity and resource gaps ([`capacity`]) next; then per-township
//! tables and charts; provenance (numbered on from the last chapter present).
//!
//! Numbers of the township tables carry their exact value in `data-value` (Rust's
//! shortest round-trip form of the f64 read from `zoning.gpkg`) beside the rounded
//! text, so a test can check every number against the GeoPackage.

use riskcensus_contracts::layout;
use riskcensus_contracts::tables::census::{BATCHES, REJECTS};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use riskcensus_core::LevelScheme;
use riskcensus_io::gpkg::GpkgDb;

use crate::error::ReportError;
use crate::map::{en_part, zh_part, Basemap, LegendClass};
use crate::run::{
    hazard_of, open_gpkg, read_unit_tables, Fields, GridKind, Run, UnitLevel, UnitSummary,
};
use crate::RenderedMap;

pub mod capacity;
pub mod grades;
pub mod loss;
pub mod trend;

/// Escape text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Display precision of each numeric column of the township table.
pub const TABLE_DECIMALS: &[(&str, usize)] = &[
    ("area_km2", 2),
    ("score_mean", 4),
    ("score_max", 4),
    ("unit_level", 0),
    ("prevention_tier", 0),
];

fn decimals(field: &str) -> usize {
    TABLE_DECIMALS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(2, |(_, d)| *d)
}

/// A numeric cell: exact value in `data-value`, rounded text shown.
fn num_cell(field: &str, v: Option<f64>) -> String {
    match v {
        Some(v) => format!(
            r#"<td class="num" data-field="{field}" data-value="{v}">{:.*}</td>"#,
            decimals(field),
            v
        ),
        None => format!(r#"<td class="num na" data-field="{field}" data-value="">–</td>"#),
    }
}

/// A numeric cell: exact value in `data-value`, `d` decimals shown; `–` when empty.
pub(crate) fn cell(field: &str, v: Option<f64>, d: usize) -> String {
    match v {
        Some(v) => format!(r#"<td class="num" data-field="{field}" data-value="{v}">{v:.d$}</td>"#),
        None => format!(r#"<td class="num na" data-field="{field}" data-value="">–</td>"#),
    }
}

/// A level with its colour chip and names from the scheme (`–` when unclassified).
pub(crate) fn level_chip(scheme: &LevelScheme, code: Option<u8>) -> String {
    match code.and_then(|c| scheme.class(c)) {
        Some(c) => format!(
            r##"<span class="swatch" style="background:#{:02X}{:02X}{:02X}"></span>{} <span class="en">{}</span>"##,
            c.rgb[0],
            c.rgb[1],
            c.rgb[2],
            esc(&c.name_zh),
            esc(&c.name_en)
        ),
        None => "–".into(),
    }
}

const CSS: &str = r#"
:root{--ink:#1d2327;--mute:#5f6b73;--rule:#d5dbe0;--band:#f3f6f8;--accent:#b2182b}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;color:var(--ink);margin:0;line-height:1.55;font-size:15px;background:#fff}
header{background:#22313f;color:#fff;padding:28px 40px}
header h1{margin:0 0 6px;font-size:28px}
header .en{color:#c9d6df}
main{max-width:1240px;margin:0 auto;padding:10px 40px 60px}
h2{border-bottom:3px solid var(--accent);padding-bottom:4px;margin-top:44px;font-size:22px}
h3{margin-top:28px;font-size:18px}
.en{color:var(--mute);font-weight:normal;font-size:.85em;margin-left:.4em}
nav ol{columns:2;padding-left:1.4em}
nav a{color:#22313f}
table{border-collapse:collapse;margin:10px 0 18px;font-size:13px;width:100%}
th,td{border:1px solid var(--rule);padding:4px 7px;vertical-align:top;text-align:left}
th{background:var(--band);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.trace{font-size:12px;color:var(--mute);max-width:360px}
tr.total td{font-weight:600;background:#fafbfc}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #888;vertical-align:-1px;margin-right:4px}
figure{margin:18px 0 30px;page-break-inside:avoid;break-inside:avoid}
figure img{width:100%;height:auto;border:1px solid var(--rule)}
figcaption{color:var(--mute);font-size:13px;margin-top:4px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:3px 18px;font-size:14px}
.kv dt{color:var(--mute)}
.kv dd{margin:0}
.note{background:#fff8e6;border-left:4px solid #f0b400;padding:8px 12px;font-size:13px}
code,.hash{font-family:"DejaVu Sans Mono",monospace;font-size:12px}
details{margin:8px 0 16px}
summary{cursor:pointer;color:#22313f}
svg.chart{max-width:100%;height:auto;font-family:inherit}
footer{color:var(--mute);font-size:12px;border-top:1px solid var(--rule);padding:12px 40px}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{font-size:10.5pt}
 header{background:none;color:var(--ink);padding:0 0 8px;border-bottom:2px solid var(--ink)}
 header .en{color:var(--mute)}
 main{max-width:none;padding:0}
 nav{display:none}
 h2{page-break-before:always;break-before:page;margin-top:0}
 h2.first{page-break-before:avoid;break-before:avoid}
 table{font-size:8.5pt;page-break-inside:auto}
 tr{page-break-inside:avoid;break-inside:avoid}
 thead{display:table-header-group}
 figure{page-break-inside:avoid}
 details>*{display:block}
 a{color:inherit;text-decoration:none}
}
"#;

fn h2(out: &mut String, id: &str, n: usize, zh: &str, en: &str) {
    let _ = write!(
        out,
        r#"<h2 id="{id}"{}>{n} {zh}<span class="en">{en}</span></h2>"#,
        if n == 1 { r#" class="first""# } else { "" }
    );
}

/// Build the whole page; `loss` adds the section of expected annual loss and deaths
/// (with the township map of AAL / GDP classes when it was drawn), `capacity` the
/// chapter of mitigation capacity and resource gaps after it (with its maps),
/// `trend` the risk trend, `grades` the earthquake hidden-danger grades
/// (provisional).
pub fn build(
    run: &Run,
    base: &Basemap,
    maps: &[RenderedMap],
    loss: Option<(&crate::loss::LossTables, Option<&loss::LossMap>)>,
    capacity: Option<(&crate::capacity::CapacityTables, &[capacity::CapacityMap])>,
    trend: Option<&crate::trend::TrendTables>,
    grades: Option<&crate::grades::GradeTables>,
) -> Result<String, ReportError> {
    let zdb = open_gpkg(&run.zoning_gpkg(), "zoning GeoPackage of the run")?;
    let units = read_unit_tables(&zdb)?;
    let cdb = open_gpkg(&run.census_gpkg(), "census database named by the manifest")?;
    let m = &run.manifest;
    let zh = zh_part(&m.census.name);
    let en = en_part(&m.census.name);

    let mut o = String::new();
    let _ = write!(
        o,
        r##"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} 自然灾害综合风险普查成果报告 — {} risk census report</title>
<style>{CSS}</style></head><body>
<header><h1>{} 自然灾害综合风险普查成果报告</h1><div class="en">{} — natural-disaster comprehensive risk census report · 行政区划代码 code {} · RiskCensus {}</div></header>
<main>
<nav><h3>目录 <span class="en">Contents</span></h3><ol>
<li><a href="#area">研究区与数据概况 Study area and data</a></li>
<li><a href="#methods">评估方法 Methods</a></li>
<li><a href="#validation">模型验证 Validation</a></li>
<li><a href="#maps">风险图 Maps</a></li>
{}{}{}{}<li><a href="#units">乡镇统计 Township tables</a></li>
<li><a href="#provenance">数据溯源 Provenance</a></li>
</ol></nav>
"##,
        esc(&zh),
        esc(&en),
        esc(&zh),
        esc(&en),
        esc(&m.census.code),
        esc(&m.engine_version),
        if loss.is_some() {
            "<li><a href=\"#loss\">损失风险 Expected annual loss and deaths</a></li>\n"
        } else {
            ""
        },
        if capacity.is_some() {
            "<li><a href=\"#capacity\">减灾能力与资源缺口 Mitigation capacity and resource gaps</a></li>\n"
        } else {
            ""
        },
        if trend.is_some() {
            "<li><a href=\"#trend\">风险变化趋势 Risk trend</a></li>\n"
        } else {
            ""
        },
        if grades.is_some() {
            "<li><a href=\"#eq-grades\">地震灾害隐患等级（暂定） Earthquake hidden-danger grades (provisional)</a></li>\n"
        } else {
            ""
        }
    );
    section_area(&mut o, run, base, &cdb)?;
    section_methods(&mut o, run)?;
    section_validation(&mut o, run)?;
    section_maps(&mut o, maps);
    let mut n = 5;
    if let Some((tables, map)) = loss {
        loss::section(&mut o, run, n, tables, map);
        n += 1;
    }
    if let Some((tables, maps)) = capacity {
        capacity::section(&mut o, n, tables, maps);
        n += 1;
    }
    if let Some(t) = trend {
        trend::section(&mut o, n, t, loss.map(|(l, _)| &l.scheme));
        n += 1;
    }
    if let Some(t) = grades {
        grades::section(&mut o, n, t);
        n += 1;
    }
    section_units(&mut o, run, n, &units, maps, &zdb)?;
    section_provenance(&mut o, run, n + 1);
    let _ = writeln!(
        o,
        "</main><footer>RiskCensus {} · GDAL {} · 本报告由运行目录自动生成 generated from the run folder; same run, same bytes.</footer></body></html>",
        esc(&m.engine_version),
        esc(&m.gdal_version)
    );
    Ok(o)
}

fn section_area(
    o: &mut String,
    run: &Run,
    base: &Basemap,
    cdb: &GpkgDb,
) -> Result<(), ReportError> {
    let g = run.grid();
    h2(
        o,
        "area",
        1,
        "研究区与数据概况",
        "Study area and data summary",
    );
    let area_km2 = g.cell_count() as f64 * g.cell_area() / 1e6;
    let (x0, y0, x1, y1) = g.bounds();
    let _ = write!(
        o,
        r#"<dl class="kv"><dt>普查区 census area</dt><dd>{} ({})</dd>
<dt>乡镇（街道） townships</dt><dd>{}</dd>
<dt>普查网格 grid</dt><dd>{} 行 rows × {} 列 cols, {} m 格网 cells, {} 个 cells, {:.1} km²</dd>
<dt>范围 extent</dt><dd>x {x0:.0}–{x1:.0} m, y {y0:.0}–{y1:.0} m</dd>
<dt>坐标系 CRS</dt><dd>{} (x = 东坐标 easting, y = 北坐标 northing)</dd>
<dt>数据日期 data date</dt><dd>{}</dd></dl>
"#,
        esc(&run.manifest.census.name),
        esc(&run.manifest.census.code),
        base.townships.len(),
        g.rows,
        g.cols,
        g.cell_size,
        g.cell_count(),
        area_km2,
        esc(&base.crs_note),
        esc(base.data_date.as_deref().unwrap_or("未知 unknown"))
    );

    // Survey layers declared in census.toml.
    if let Some(c) = &run.census {
        let _ = write!(
            o,
            r#"<h3>调查数据图层 <span class="en">Survey layers (census.toml)</span></h3><table><thead><tr><th>类型 kind</th><th>标识 id</th><th>文件 file</th><th>说明 description</th></tr></thead><tbody>"#
        );
        let rows = c
            .raster
            .iter()
            .map(|r| ("栅格 raster", &r.id, &r.path, None, &r.description))
            .chain(c.vector.iter().map(|v| {
                (
                    "矢量 vector",
                    &v.id,
                    &v.path,
                    v.layer.as_ref(),
                    &v.description,
                )
            }))
            .chain(
                c.table
                    .iter()
                    .map(|t| ("表格 table", &t.id, &t.path, None, &t.description)),
            );
        for (kind, id, path, layer, description) in rows {
            let file = match layer {
                Some(l) => format!("{} ({l})", path.display()),
                None => path.display().to_string(),
            };
            let _ = write!(
                o,
                "<tr><td>{kind}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td></tr>",
                esc(id),
                esc(&file),
                esc(description.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</tbody></table>");
    }

    // Loads and rejects.
    let path = cdb.path().to_path_buf();
    if !cdb.has_table(BATCHES) {
        return Err(ReportError::MissingTable {
            path,
            table: BATCHES.into(),
            what: "ingest batches (records read, loaded, rejected)".into(),
        });
    }
    let _ = write!(
        o,
        r#"<h3>入库统计 <span class="en">Records loaded into the census database</span></h3><table><thead><tr><th>批次 batch</th><th>图层 layer</th><th>来源 source</th><th>格式 format</th><th>编码 encoding</th><th class="num">读取 read</th><th class="num">入库 loaded</th><th class="num">拒收 rejected</th><th class="num">新增 inserted</th><th class="num">更新 updated</th><th class="num">未变 unchanged</th></tr></thead><tbody>"#
    );
    let mut tot = [0i64; 6];
    for f in cdb.query(BATCHES, None, None)? {
        let r = Fields {
            path: &path,
            table: BATCHES,
            f: &f,
        };
        let nums = [
            r.opt_i64("read")?.unwrap_or(0),
            r.opt_i64("loaded")?.unwrap_or(0),
            r.opt_i64("rejected")?.unwrap_or(0),
            r.opt_i64("inserted")?.unwrap_or(0),
            r.opt_i64("updated")?.unwrap_or(0),
            r.opt_i64("unchanged")?.unwrap_or(0),
        ];
        for (t, v) in tot.iter_mut().zip(nums) {
            *t += v;
        }
        let _ = write!(
            o,
            "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td>{}</tr>",
            esc(&r.text("batch_id")?),
            esc(&r.text("layer")?),
            esc(&relative_source(&r.text("source")?, &run.census_dir)),
            esc(&r.text("format")?),
            esc(&r.text("encoding")?),
            nums.iter()
                .map(|v| format!(r#"<td class="num">{v}</td>"#))
                .collect::<String>()
        );
    }
    let _ = write!(
        o,
        r#"<tr class="total"><td colspan="5">合计 total</td>{}</tr></tbody></table>"#,
        tot.iter()
            .map(|v| format!(r#"<td class="num">{v}</td>"#))
            .collect::<String>()
    );

    if cdb.has_table(REJECTS) {
        // (layer, rule) → (count, first message)
        let mut by: BTreeMap<(String, String, String), (usize, String)> = BTreeMap::new();
        for f in cdb.query(REJECTS, None, None)? {
            let r = Fields {
                path: &path,
                table: REJECTS,
                f: &f,
            };
            let e = by
                .entry((r.text("layer")?, r.text("rule")?, r.text("field")?))
                .or_insert((0, r.text("message")?));
            e.0 += 1;
        }
        if by.is_empty() {
            o.push_str("<p>无拒收记录 no rejected records.</p>");
        } else {
            let _ = write!(
                o,
                r#"<h3>拒收问题 <span class="en">Problems of rejected records, by rule</span></h3><table><thead><tr><th>图层 layer</th><th>规则 rule</th><th>字段 field</th><th class="num">问题数 problems</th><th>示例 example</th></tr></thead><tbody>"#
            );
            for ((layer, rule, field), (n, msg)) in &by {
                let _ = write!(
                    o,
                    r#"<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td class="num">{n}</td><td class="trace">{}</td></tr>"#,
                    esc(layer),
                    esc(rule),
                    esc(field),
                    esc(msg)
                );
            }
            o.push_str("</tbody></table>");
        }
    }

    // Record counts per census table.
    let mut tables: Vec<String> = cdb
        .tables()
        .into_iter()
        .filter(|t| !t.starts_with('_') && !t.starts_with("gpkg_") && !t.starts_with("rtree_"))
        .collect();
    tables.sort();
    if !tables.is_empty() {
        let _ = write!(
            o,
            r#"<h3>普查数据库 <span class="en">Census database tables (census.gpkg)</span></h3><table><thead><tr><th>表 table</th><th class="num">记录数 records</th></tr></thead><tbody>"#
        );
        for t in &tables {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td class="num">{}</td></tr>"#,
                esc(t),
                cdb.count(t)
            );
        }
        o.push_str("</tbody></table>");
    }
    Ok(())
}

/// A batch's source path relative to the census folder when it lies inside it (the
/// database records the path the loader was given, often absolute).
fn relative_source(source: &str, census_dir: &Path) -> String {
    let p = Path::new(source);
    let dirs = [
        census_dir.to_path_buf(),
        census_dir
            .canonicalize()
            .unwrap_or_else(|_| census_dir.to_path_buf()),
    ];
    for d in &dirs {
        if let Ok(rel) = p.strip_prefix(d) {
            return rel.to_string_lossy().replace('\\', "/");
        }
    }
    if p.is_absolute() {
        // Outside the census folder: the file name only, no machine path.
        return p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    source.to_string()
}

/// The model file of `id` in the census's model library (its own file when it
/// provides one at the shipped path, else the shipped one; `riskcensus_models::library`),
/// with a name to show.
fn model_source(run: &Run, id: &str) -> Option<(String, String)> {
    let lib = riskcensus_models::Library::for_census(&run.census_dir).ok()?;
    let f = lib.model_by_id(id)?;
    let name = if f.from_census {
        format!("{}/models/{}", run.manifest.census.dir, f.path)
    } else {
        format!("built-in models/{}", f.path)
    };
    Some((name, f.text.clone()))
}

/// Aggregation parameters other than the weights (those are in the factor table).
fn aggregation_params(v: &serde_json::Value) -> String {
    match v.as_object() {
        Some(m) => {
            let rest: serde_json::Map<String, serde_json::Value> = m
                .iter()
                .filter(|(k, _)| *k != "weights")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let t = compact_json(&serde_json::Value::Object(rest));
            if t.is_empty() {
                "–".into()
            } else {
                t
            }
        }
        None => compact_json(v),
    }
}

fn compact_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(k, _)| *k != "kind")
            .map(|(k, v)| format!("{k} = {}", compact_json(v)))
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn section_methods(o: &mut String, run: &Run) -> Result<(), ReportError> {
    h2(o, "methods", 2, "评估方法", "Methods per hazard");
    o.push_str("<p>每个模型的标识、版本与参数哈希取自本次运行的 manifest.json；因子、变换与权重取自模型文件，并以参数哈希核对其确为本次运行所用。<span class=\"en\">Model ids, versions and parameter hashes come from the run's manifest; factors, transforms and weights from the model files, checked against the manifest's hash.</span></p>");
    let mut groups: BTreeMap<usize, Vec<&crate::run::ModelEntry>> = BTreeMap::new();
    for me in &run.manifest.models {
        let hazards = &run.manifest.hazards;
        let h = hazard_of(hazards, &me.output)
            .or_else(|| hazard_of(hazards, &me.id))
            .map_or(hazards.len(), |h| {
                hazards.iter().position(|x| x.id == h.id).unwrap_or(0)
            });
        groups.entry(h).or_default().push(me);
    }
    for (h, models) in groups {
        let (hz, hen) = match run.manifest.hazards.get(h) {
            Some(x) if x.combined => (format!("{}风险", x.name_zh), format!("{} risk", x.id)),
            Some(x) => (x.name_zh.clone(), x.id.clone()),
            None => (
                "承灾体与减灾能力".to_string(),
                "exposure, vulnerability and capacity".to_string(),
            ),
        };
        let _ = write!(
            o,
            r#"<h3>{} <span class="en">{}</span></h3>"#,
            esc(&hz),
            esc(&hen)
        );
        let _ = write!(
            o,
            r#"<table><thead><tr><th>模型 model</th><th>版本 version</th><th>输出 output</th><th>参数哈希 parameter hash</th><th>分级方法 classification</th><th>分级断点 class breaks</th></tr></thead><tbody>"#
        );
        for me in &models {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td class="hash" title="{}">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&me.id),
                esc(&me.version),
                esc(&me.output),
                esc(&me.param_hash),
                esc(me.param_hash.get(..12).unwrap_or(&me.param_hash)),
                esc(me.method.as_deref().unwrap_or("–")),
                me.breaks
                    .as_ref()
                    .map(|b| b
                        .iter()
                        .map(|v| crate::run::fmt_break(*v))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_else(|| "–".into())
            );
        }
        o.push_str("</tbody></table>");
        let mut seen = Vec::new();
        for me in &models {
            if seen.contains(&me.id) {
                continue;
            }
            seen.push(me.id.clone());
            model_detail(o, run, me);
        }
    }
    alpha_sensitivity(o, run)?;
    Ok(())
}

/// The sensitivity of the index-route risk grids to the mitigation effectiveness α
/// (`assess/risk_alpha_sensitivity.csv`; nothing when the run has none).
fn alpha_sensitivity(o: &mut String, run: &Run) -> Result<(), ReportError> {
    let path = run
        .layout
        .assess()
        .join(riskcensus_contracts::tables::risk::ALPHA_SENSITIVITY_CSV);
    if !path.exists() {
        return Ok(());
    }
    let csv = crate::loss::CsvFile::read(&path)?;
    o.push_str(r#"<h3 id="alpha-sensitivity">减灾能力折减系数 α 的敏感性 <span class="en">Sensitivity to the capacity discount α</span></h3><p>指数法风险 R = H·E·V·(1 − α·C) 中 α 取 0.5 为本项目约定（非公布值）。下表以 α = 0、0.25、0.5、0.75 重算同一风险模型：全县平均风险指数、I–II 级面积占比、与模型所取 α 相比等级改变的栅格占比。<span class="en">α = 0.5 in R = H·E·V·(1 − α·C) is this project's convention, not a published value. The table re-scores each index-route risk model with α = 0, 0.25, 0.5 and 0.75: the county's mean risk index, the share of classified cells on levels I–II, and the share of cells whose level differs from the model's own α.</span></p><table class="alpha"><thead><tr><th>模型 model</th><th class="num">α</th><th class="num">平均风险 mean risk</th><th class="num">I–II 级占比 share on I–II</th><th class="num">等级改变 cells changing level</th></tr></thead><tbody>"#);
    for r in csv.rows() {
        let own = r.text("model_alpha")? == "1";
        let _ = write!(
            o,
            r#"<tr{}><td><code>{}</code>{}</td><td class="num">{}</td><td class="num">{:.4}</td><td class="num">{:.1} %</td><td class="num">{:.1} %</td></tr>"#,
            if own { r#" class="own""# } else { "" },
            esc(r.text("model")?),
            if own {
                " (模型取值 model's own)"
            } else {
                ""
            },
            r.f64("alpha")?,
            r.f64("mean_score")?,
            100.0 * r.f64("top2_share")?,
            100.0 * r.f64("changed_share")?
        );
    }
    o.push_str("</tbody></table>");
    Ok(())
}

fn model_detail(o: &mut String, run: &Run, me: &crate::run::ModelEntry) {
    let Some((name, text)) = model_source(run, &me.id) else {
        let _ = write!(
            o,
            r#"<p class="note">模型 <code>{}</code>：未找到模型文件，仅列出 manifest 中的记录。<span class="en">No model file found for this id; only the manifest entry is shown.</span></p>"#,
            esc(&me.id)
        );
        return;
    };
    match riskcensus_models::Model::from_toml(&text, Path::new(&name)) {
        Ok(model) => {
            let hash = model.param_hash();
            let check = if hash == me.param_hash {
                "✓ 与本次运行的参数哈希一致 matches the run's parameter hash".to_string()
            } else {
                format!(
                    "⚠ 参数哈希不一致 hash differs from the run's ({}…): the file changed after the run",
                    hash.get(..12).unwrap_or(&hash)
                )
            };
            let canon: serde_json::Value =
                serde_json::from_str(&model.canonical_json()).unwrap_or(serde_json::Value::Null);
            let weights = model.aggregation().weights().map(|w| w.to_vec());
            let _ = write!(
                o,
                r#"<details open><summary><b>{}</b> <code>{}</code> v{} — <code>{}</code> · {}</summary>"#,
                esc(model.name().unwrap_or(model.id())),
                esc(model.id()),
                esc(model.version()),
                esc(&name),
                esc(&check)
            );
            let _ = write!(
                o,
                r#"<p>聚合 aggregation: <code>{}</code>"#,
                esc(&aggregation_params(&canon["aggregation"]))
            );
            if let Some(kind) = canon["aggregation"]["kind"].as_str() {
                let _ = write!(o, " ({})", esc(kind));
            }
            if let riskcensus_models::Weighting::Ahp { result, .. } = model.weighting() {
                let _ = write!(
                    o,
                    "; AHP: λmax = {:.4}, CI = {:.4}, CR = {:.4} (&lt; 0.1)",
                    result.lambda_max, result.ci, result.cr
                );
            }
            o.push_str("</p>");
            let _ = write!(
                o,
                r#"<table><thead><tr><th>因子 factor</th><th>输入图层 input</th><th>单位 unit</th><th>变换 transform</th><th>无数据 nodata</th><th class="num">权重 weight</th></tr></thead><tbody>"#
            );
            for (i, f) in model.factors().iter().enumerate() {
                let tr = serde_json::to_value(&f.transform).unwrap_or_default();
                let nd = serde_json::to_value(f.nodata).unwrap_or_default();
                let _ = write!(
                    o,
                    r#"<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td><b>{}</b> {}</td><td>{}</td><td class="num">{}</td></tr>"#,
                    esc(&f.id),
                    esc(&f.input),
                    esc(&f.unit),
                    esc(tr["kind"].as_str().unwrap_or("")),
                    esc(&compact_json(&tr)),
                    esc(&compact_json(&nd)),
                    weights
                        .as_ref()
                        .and_then(|w| w.get(i))
                        .map(|w| format!("{w:.4}"))
                        .unwrap_or_else(|| "–".into())
                );
            }
            o.push_str("</tbody></table>");
            if !model.sources().is_empty() {
                o.push_str("<p>文献 sources:</p><ul>");
                for s in model.sources() {
                    let _ = write!(o, "<li>{}</li>", esc(s));
                }
                o.push_str("</ul>");
            }
            o.push_str("</details>");
        }
        Err(_) => {
            // A built-in operator's parameter file: show its scalar parameters.
            let Ok(t) = text.parse::<toml::Table>() else {
                return;
            };
            let mut rows = Vec::new();
            flatten_toml("", &toml::Value::Table(t), &mut rows);
            let _ = write!(
                o,
                r#"<details><summary><b>{}</b> 参数文件 parameter file <code>{}</code> ({} 项 parameters)</summary><table><thead><tr><th>参数 parameter</th><th>值 value</th></tr></thead><tbody>"#,
                esc(&me.id),
                esc(&name),
                rows.len()
            );
            for (k, v) in rows.iter().take(200) {
                let _ = write!(
                    o,
                    "<tr><td><code>{}</code></td><td>{}</td></tr>",
                    esc(k),
                    esc(v)
                );
            }
            o.push_str("</tbody></table></details>");
        }
    }
}

fn flatten_toml(prefix: &str, v: &toml::Value, out: &mut Vec<(String, String)>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                if matches!(k.as_str(), "description" | "sources") {
                    continue;
                }
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_toml(&key, x, out);
            }
        }
        toml::Value::Array(a) if a.iter().any(|x| x.is_table()) => {
            for (i, x) in a.iter().enumerate() {
                flatten_toml(&format!("{prefix}[{i}]"), x, out);
            }
        }
        toml::Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Key words of validation figures in JSON reports written by the stages.
const VALIDATION_KEYS: &[&str] = &[
    "auc",
    "validation",
    "agreement",
    "rmse",
    "mae",
    "accuracy",
    "kappa",
    "max_abs",
];

/// Context keys shown beside the figures of a validated report.
const CONTEXT_KEYS: &[&str] = &[
    "model_id",
    "model_version",
    "method",
    "points_used",
    "inventory_points",
    "test_samples",
    "train_samples",
    "test_fraction",
    "seed",
    "buffer_m",
    "reference",
    "tool",
    "version",
];

/// Validation figures: JSON files under the run folder (other than the manifest and
/// unit tables) with validation figures (AUC, agreement, RMSE, …), and ROC, success-
/// and prediction-rate curves from the CSV files beside them.
fn section_validation(o: &mut String, run: &Run) -> Result<(), ReportError> {
    h2(o, "validation", 3, "模型验证", "Validation figures");
    // The demo generator's seed is recorded for a synthetic census, 0 for a real one.
    let synthetic = run.manifest.seeds.get("census").is_some_and(|&s| s != 0);
    let mut files = Vec::new();
    collect_files(&run.dir, 0, &mut files);
    let mut shown = 0;
    for f in files.iter().filter(|p| {
        p.extension().is_some_and(|e| e == "json")
            && !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some(layout::MANIFEST | "unit_summary.json")
            )
    }) {
        let text = std::fs::read_to_string(f).map_err(ReportError::fs(f))?;
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let mut leaves = Vec::new();
        json_leaves("", &v, &mut leaves);
        let last = |k: &str| k.rsplit('.').next().unwrap_or(k).to_ascii_lowercase();
        let figures: Vec<&(String, String)> = leaves
            .iter()
            .filter(|(k, _)| VALIDATION_KEYS.iter().any(|w| last(k).contains(w)))
            .collect();
        if figures.is_empty() {
            continue;
        }
        shown += 1;
        let rel = f
            .strip_prefix(&run.dir)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        let _ = write!(
            o,
            r#"<h3><code>{}</code></h3><table><thead><tr><th>指标 figure</th><th class="num">值 value</th></tr></thead><tbody>"#,
            esc(&rel)
        );
        let context = leaves
            .iter()
            .filter(|(k, _)| !k.contains('.') && CONTEXT_KEYS.contains(&k.as_str()));
        for (k, val) in figures.into_iter().chain(context) {
            let _ = write!(
                o,
                r#"<tr><td><code>{}</code></td><td class="num">{}</td></tr>"#,
                esc(k),
                esc(val)
            );
        }
        o.push_str("</tbody></table>");
        susceptibility_notes(o, &v, synthetic);
        // Curves beside the report.
        let dir = f.parent().unwrap_or(&run.dir);
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
        let roc_name = if v["roc_samples"] == "training" {
            "ROC (training set, no hold-out)"
        } else {
            "ROC (test)"
        };
        if let Some(pts) = read("roc.csv").and_then(|t| crate::chart::csv_points(&t, "fpr", "tpr"))
        {
            let svg = crate::chart::curves_svg(
                "假阳性率 false-positive rate",
                "真阳性率 true-positive rate",
                &[crate::chart::Curve {
                    name: roc_name.into(),
                    colour: "#b2182b",
                    points: pts,
                }],
            );
            let _ = write!(
                o,
                r#"<figure class="chart-fig">{svg}<figcaption>ROC 曲线 <span class="en">ROC curve</span></figcaption></figure>"#
            );
        }
        let mut rate = Vec::new();
        for (name, label, colour) in [
            ("success_rate.csv", "success rate 成功率", "#2166ac"),
            ("prediction_rate.csv", "prediction rate 预测率", "#f4a582"),
        ] {
            if let Some(pts) = read(name)
                .and_then(|t| crate::chart::csv_points(&t, "area_fraction", "hazard_fraction"))
            {
                rate.push(crate::chart::Curve {
                    name: label.into(),
                    colour,
                    points: pts,
                });
            }
        }
        if !rate.is_empty() {
            let svg = crate::chart::curves_svg(
                "累计面积比例 cumulative area fraction",
                "灾害点比例 hazard fraction",
                &rate,
            );
            let _ = write!(
                o,
                r#"<figure class="chart-fig">{svg}<figcaption>成功率与预测率曲线 <span class="en">success- and prediction-rate curves</span></figcaption></figure>"#
            );
        }
    }
    if shown == 0 {
        o.push_str("<p class=\"note\">本次运行目录中没有验证结果（如易发性 AUC、FWI 参考对比）。<span class=\"en\">No validation figures (e.g. susceptibility AUC, FWI reference agreement) in this run folder.</span></p>");
    }
    Ok(())
}

/// What the AUC figures of a susceptibility report (`report.json` with `auc_test`)
/// mean, in words: the random split against the spatially blocked cross-validation,
/// a training-set ROC when nothing was held out, and — on a synthetic census such
/// as the demo — that the AUC checks the software, not the model's skill.
fn susceptibility_notes(o: &mut String, v: &serde_json::Value, synthetic: bool) {
    if v.get("auc_test").is_none() {
        return;
    }
    let f = |x: &serde_json::Value| x.as_f64().map_or("—".to_string(), |a| format!("{a:.3}"));
    if v["roc_samples"] == "training" {
        let _ = write!(
            o,
            r#"<p class="note">未留出检验样本（test_fraction = 0）：ROC 与 AUC {} 是训练集上的，只说明模型对训练样本的拟合程度，不是预测能力的检验。<span class="en">No samples were held out (test_fraction = 0): the ROC and the AUC {} are the training set's — how well the model fits its own samples, not a test of prediction.</span></p>"#,
            f(&v["auc_train"]),
            f(&v["auc_train"])
        );
    }
    let cv = &v["blocked_cv"];
    if cv.is_object() {
        let (zh, en) = match cv["block_m"].as_f64() {
            Some(m) => (format!("{m} m 方块"), format!("blocks of {m} m")),
            None => ("按乡镇".to_string(), "townships".to_string()),
        };
        let _ = write!(
            o,
            r#"<p class="note">空间分块交叉验证（{zh}，{k} 折）：每次留出整块样本，用其余各折训练，平均检验 AUC = {b}；同样 {k} 折但逐样本随机分折的 AUC = {r}，随机留出检验集的 AUC = {t}。隐患点与致灾因子在空间上自相关时，随机分割使检验样本的近邻落在训练集中，AUC 可能偏高；分块 AUC 更接近模型在未训练地区的表现（Roberts et al. 2017）。<span class="en">Spatially blocked cross-validation ({en}, {k} folds): whole blocks are held out in turn and the model is trained on the other folds; mean held-out AUC = {b}, against {r} for the same {k} folds over single samples and {t} for the random hold-out split. Where hazard points and their factors are spatially autocorrelated, a random split leaves near neighbours of each test sample in the training set and can inflate the AUC; the blocked AUC is closer to how the model does where it was not trained (Roberts et al. 2017, Ecography 40:913–929).</span></p>"#,
            k = cv["folds"],
            b = f(&cv["auc_mean"]),
            r = f(&cv["random_folds_auc_mean"]),
            t = f(&v["auc_test"]),
        );
    }
    if synthetic {
        o.push_str(r#"<p class="note"><strong>合成数据：</strong>本次普查是合成的演示数据，隐患点由模型所用的同一组地形因子（坡度、断裂与河流距离）生成，因此这里的 AUC 只检验软件是否正确运行，不说明模型的真实预测能力。<span class="en"><strong>Synthetic data:</strong> this census is the synthetic demo; its hazard points were drawn from the same terrain factors the model uses (slope, distance to faults and rivers), so its AUC checks that the software works, not the model's skill.</span></p>"#);
    }
}

fn collect_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 4 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    v.sort();
    for p in v {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name == "census" || name == layout::MAPS {
            continue;
        }
        if p.is_dir() {
            collect_files(&p, depth + 1, out);
        } else {
            out.push(p);
        }
    }
}

fn json_leaves(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                json_leaves(&key, x, out);
            }
        }
        serde_json::Value::Array(a) if a.len() <= 20 => {
            for (i, x) in a.iter().enumerate() {
                json_leaves(&format!("{prefix}[{i}]"), x, out);
            }
        }
        serde_json::Value::Number(n) => out.push((prefix.to_string(), n.to_string())),
        serde_json::Value::Bool(b) => out.push((prefix.to_string(), b.to_string())),
        serde_json::Value::String(s) if s.len() < 80 => out.push((prefix.to_string(), s.clone())),
        _ => {}
    }
}

fn section_maps(o: &mut String, maps: &[RenderedMap]) {
    h2(o, "maps", 4, "风险图", "Maps");
    o.push_str("<p>底图为山体阴影，等级颜色按《设计说明》统一配色；打印版（A4 横向 200 dpi）见 <code>maps/</code> 目录。<span class=\"en\">Level colours over a hillshade; print pages (A4 landscape, 200 dpi) are in <code>maps/</code>.</span></p>");
    for (i, m) in maps.iter().enumerate() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&m.web_png);
        let links = map_links(&m.files);
        let _ = write!(
            o,
            r#"<figure id="map-{}"><img alt="{} {}" src="data:image/png;base64,{b64}"><figcaption>图 {} {} <span class="en">{}</span> — {}</figcaption></figure>"#,
            esc(&m.grid.id),
            esc(&m.title_zh),
            esc(&m.title_en),
            i + 1,
            esc(&m.title_zh),
            esc(&m.title_en),
            links
        );
    }
}

fn level_name(legend: Option<&Vec<LegendClass>>, code: Option<i64>) -> String {
    match (legend, code) {
        (Some(l), Some(c)) => l
            .iter()
            .find(|x| x.code as i64 == c)
            .map(|x| {
                format!(
                    r##"<span class="swatch" style="background:#{:02X}{:02X}{:02X}"></span>{}"##,
                    x.rgb[0],
                    x.rgb[1],
                    x.rgb[2],
                    esc(&x.name_zh)
                )
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn section_units(
    o: &mut String,
    run: &Run,
    n: usize,
    units: &crate::run::UnitTables,
    maps: &[RenderedMap],
    zdb: &GpkgDb,
) -> Result<(), ReportError> {
    h2(o, "units", n, "乡镇统计", "Township tables");
    let _ = write!(
        o,
        "<p>数据取自 <code>assess/zoning.gpkg</code> 的 <code>unit_summary</code> 与 <code>unit_levels</code> 表（{} 行 / {} 行）。<span class=\"en\">From the unit tables of zoning.gpkg; exposure counts are those standing in cells of each level.</span></p>",
        units.summary.len(),
        units.levels.len()
    );
    let _ = zdb;
    let mut layers: Vec<String> = Vec::new();
    for s in &units.summary {
        if !layers.contains(&s.layer) {
            layers.push(s.layer.clone());
        }
    }
    // Order like the maps, then any layer without a map.
    layers.sort_by_key(|l| {
        maps.iter()
            .position(|m| m.grid.layer == *l && m.grid.kind == GridKind::Level)
            .unwrap_or(usize::MAX)
    });
    for layer in &layers {
        let legend = maps
            .iter()
            .find(|m| m.grid.layer == *layer && m.grid.kind == GridKind::Level)
            .map(|m| &m.legend);
        let plegend = maps
            .iter()
            .find(|m| m.grid.layer == *layer && m.grid.kind == GridKind::Prevention)
            .map(|m| &m.legend);
        let (tzh, ten) = crate::run::titles(&run.manifest.hazards, layer, GridKind::Level);
        let tzh = tzh.trim_end_matches("等级图").to_string();
        let ten = ten.trim_end_matches(" levels").to_string();
        let _ = write!(
            o,
            r#"<h3 id="units-{}">{} <span class="en">{} — <code>{}</code></span></h3>"#,
            esc(layer),
            esc(&tzh),
            esc(&ten),
            esc(layer)
        );
        let _ = write!(
            o,
            r#"<table class="units" data-layer="{}"><thead><tr><th>代码 code</th><th>乡镇 township</th><th class="num">面积 area km²</th><th class="num">均值 mean score</th><th class="num">最大值 max score</th><th class="num">等级 level</th><th>等级名 level name</th><th>定级规则 level rule</th><th class="num">防治 tier</th><th>防治分区 prevention</th><th>防治规则 rule</th><th>依据 trace</th></tr></thead><tbody>"#,
            esc(layer)
        );
        let rows: Vec<&UnitSummary> = units.summary.iter().filter(|s| s.layer == *layer).collect();
        for s in &rows {
            let _ = write!(
                o,
                r#"<tr data-unit="{}" data-layer="{}"><td data-field="unit_code">{}</td><td data-field="unit_name">{}</td>{}{}{}{}<td>{}</td><td class="trace">{}</td>{}<td>{}{}</td><td class="trace">{}</td><td class="trace">{}</td></tr>"#,
                esc(&s.unit_code),
                esc(layer),
                esc(&s.unit_code),
                esc(&s.unit_name),
                num_cell("area_km2", Some(s.area_km2)),
                num_cell("score_mean", s.score_mean),
                num_cell("score_max", s.score_max),
                num_cell("unit_level", s.unit_level.map(|v| v as f64)),
                level_name(legend, s.unit_level),
                esc(s.unit_level_rule.as_deref().unwrap_or("")),
                num_cell("prevention_tier", s.prevention_tier.map(|v| v as f64)),
                level_name(plegend, s.prevention_tier),
                if plegend.is_none() {
                    esc(s.prevention_name.as_deref().unwrap_or(""))
                } else {
                    String::new()
                },
                esc(s.prevention_rule.as_deref().unwrap_or("")),
                esc(s.prevention_trace.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</tbody></table>");

        // Exposure per level, summed over townships, and per township in a fold.
        let lv: Vec<&UnitLevel> = units.levels.iter().filter(|r| r.layer == *layer).collect();
        if !lv.is_empty() {
            if let Some(svg) =
                legend.and_then(|l| crate::chart::area_by_level_svg(layer, &units.levels, l))
            {
                let _ = write!(
                    o,
                    r#"<figure class="chart-fig">{svg}<figcaption>各乡镇分级面积 <span class="en">area per level by township (km²)</span></figcaption></figure>"#
                );
            }
            let mut codes: Vec<i64> = lv.iter().map(|r| r.level).collect();
            codes.sort();
            codes.dedup();
            let _ = write!(
                o,
                r#"<table class="exposure" data-layer="{}"><thead><tr><th>等级 level</th><th class="num">面积 area km²</th><th class="num">人口 population</th><th class="num">房屋 buildings</th><th class="num">资产 value 万元</th><th class="num">隐患点 hidden dangers</th></tr></thead><tbody>"#,
                esc(layer)
            );
            for c in codes {
                let sel: Vec<&&UnitLevel> = lv.iter().filter(|r| r.level == c).collect();
                let sum = |f: fn(&UnitLevel) -> f64| sel.iter().map(|r| f(r)).sum::<f64>();
                let name = sel.first().map(|r| r.level_zh.clone()).unwrap_or_default();
                let _ = write!(
                    o,
                    r#"<tr><td>{} {}</td><td class="num">{:.2}</td><td class="num">{:.0}</td><td class="num">{:.0}</td><td class="num">{:.0}</td><td class="num">{:.0}</td></tr>"#,
                    level_name(legend, Some(c)),
                    if legend.is_some() {
                        String::new()
                    } else {
                        esc(&name)
                    },
                    sum(|r| r.area_km2),
                    sum(|r| r.population),
                    sum(|r| r.buildings),
                    sum(|r| r.value_wan),
                    sum(|r| r.hidden_dangers)
                );
            }
            o.push_str("</tbody></table>");
            let _ = write!(
                o,
                r#"<details><summary>各乡镇分级明细 <span class="en">per township and level</span></summary><table class="unit-levels" data-layer="{}"><thead><tr><th>乡镇 township</th><th>等级 level</th><th class="num">面积 km²</th><th class="num">占比 share</th><th class="num">人口 population</th><th class="num">房屋 buildings</th><th class="num">资产 万元</th><th class="num">隐患点 hidden dangers</th></tr></thead><tbody>"#,
                esc(layer)
            );
            for r in &lv {
                let _ = write!(
                    o,
                    r#"<tr><td>{}</td><td>{}</td><td class="num">{:.2}</td><td class="num">{:.1}%</td><td class="num">{:.0}</td><td class="num">{:.0}</td><td class="num">{:.0}</td><td class="num">{:.0}</td></tr>"#,
                    esc(&r.unit_name),
                    esc(&r.level_zh),
                    r.area_km2,
                    r.share * 100.0,
                    r.population,
                    r.buildings,
                    r.value_wan,
                    r.hidden_dangers
                );
            }
            o.push_str("</tbody></table></details>");
        }
    }
    Ok(())
}

fn section_provenance(o: &mut String, run: &Run, n: usize) {
    let m = &run.manifest;
    h2(o, "provenance", n, "数据溯源", "Provenance");
    let _ = write!(
        o,
        r#"<dl class="kv"><dt>引擎 engine</dt><dd>RiskCensus {}</dd><dt>GDAL</dt><dd>{}</dd><dt>普查目录 census folder</dt><dd><code>{}</code> (相对运行目录 relative to the run folder)</dd><dt>随机种子 seeds</dt><dd>{}</dd></dl>"#,
        esc(&m.engine_version),
        esc(&m.gdal_version),
        esc(&m.census.dir),
        esc(&m
            .seeds
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join(", "))
    );
    if let Some(z) = m.zoning.as_object() {
        let scalars: Vec<String> = z
            .iter()
            .filter(|(_, v)| v.is_number() || v.is_string() || v.is_boolean())
            .map(|(k, v)| format!("{k} = {}", compact_json(v)))
            .collect();
        if !scalars.is_empty() {
            let _ = write!(
                o,
                "<p>区划参数 zoning: <code>{}</code></p>",
                esc(&scalars.join(", "))
            );
        }
    }
    let _ = write!(
        o,
        r#"<h3>输入数据 <span class="en">Inputs (SHA-256)</span></h3><table><thead><tr><th>标识 id</th><th>文件 path</th><th>SHA-256</th></tr></thead><tbody>"#
    );
    for f in &m.inputs {
        let _ = write!(
            o,
            r#"<tr><td><code>{}</code></td><td><code>{}</code></td><td class="hash">{}</td></tr>"#,
            esc(&f.id),
            esc(&f.path),
            esc(&f.sha256)
        );
    }
    o.push_str("</tbody></table>");
    let _ = write!(
        o,
        r#"<details><summary>输出文件 outputs ({})</summary><table><thead><tr><th>文件 path</th><th>SHA-256</th></tr></thead><tbody>"#,
        m.outputs.len()
    );
    for f in &m.outputs {
        let _ = write!(
            o,
            r#"<tr><td><code>{}</code></td><td class="hash">{}</td></tr>"#,
            esc(&f.path),
            esc(&f.sha256)
        );
    }
    o.push_str("</tbody></table></details>");
    if !m.timings.is_empty() {
        let _ = write!(
            o,
            r#"<h3>运行耗时 <span class="en">Stage timings of the run (s)</span></h3><table><thead><tr><th>阶段 stage</th><th class="num">秒 s</th></tr></thead><tbody>"#
        );
        for (k, v) in &m.timings {
            let _ = write!(
                o,
                r#"<tr><td>{}</td><td class="num">{v:.2}</td></tr>"#,
                esc(k)
            );
        }
        o.push_str("</tbody></table>");
    }
}

/// Links to a map's files in `maps/`, joined by " · ".
pub(crate) fn map_links(files: &[String]) -> String {
    files
        .iter()
        .map(|f| format!(r#"<a href="maps/{0}">{0}</a>"#, esc(f)))
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn numeric_cells_keep_the_exact_value() {
        let c = num_cell("score_mean", Some(0.123456789));
        assert_eq!(
            c,
            r#"<td class="num" data-field="score_mean" data-value="0.123456789">0.1235</td>"#
        );
        assert!(num_cell("area_km2", None).contains(r#"data-value="""#));
    }

    /// The susceptibility notes: the blocked figure beside the random ones, the
    /// training-set ROC said in words, the synthetic-data warning only on a
    /// synthetic census, nothing for a report without `auc_test`.
    #[test]
    fn susceptibility_notes_say_what_the_auc_means() {
        let v = serde_json::json!({
            "auc_test": null, "auc_train": 0.91, "roc_samples": "training",
            "blocked_cv": {"block_m": 2000.0, "folds": 5, "auc_mean": 0.812,
                           "random_folds_auc_mean": 0.9},
        });
        let mut o = String::new();
        susceptibility_notes(&mut o, &v, true);
        for needle in [
            "the AUC 0.910 are the training set's",
            "blocks of 2000 m, 5 folds",
            "mean held-out AUC = 0.812, against 0.900",
            "checks that the software works, not the model's skill",
        ] {
            assert!(o.contains(needle), "{needle:?} not in {o}");
        }
        let mut o = String::new();
        susceptibility_notes(&mut o, &v, false);
        assert!(!o.contains("Synthetic data"));
        let mut o = String::new();
        susceptibility_notes(&mut o, &serde_json::json!({"rmse": 1.0}), true);
        assert!(o.is_empty());
    }
}
