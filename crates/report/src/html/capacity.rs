//! The chapter "减灾能力与资源缺口 Mitigation capacity and resource gaps" of the
//! report, from the capacity tables of the run ([`crate::capacity`]): a lead saying
//! that the capacity index is provisional and what each table holds; the county
//! figures (per scenario the displaced, placed and unplaced people; the days the
//! reserves last for the plan's target people against its target days; the
//! population beyond each isochrone; the unsafe shelters; the 三高一低 townships);
//! the township tables (capacity grades, shelter gaps per scenario, rescue access,
//! the screening); the unsafe shelters with their reasons; and the three maps.
//!
//! Numbers carry their exact value in `data-value` beside the rounded text, as the
//! other chapters do; rows carry `data-capacity-unit`, `data-scenario` or
//! `data-shelter`, and every cell `data-field` with the table's column name.

use std::fmt::Write;

use base64::Engine as _;
use riskcensus_survey::schema::{Domain, SHELTER_TYPE, TEAM_KIND};

use super::{cell, esc, level_chip};
use crate::capacity::{CapacityTables, RescueRow, ReserveRow, PLAN_TARGET};

/// A map of the chapter, as rendered.
#[derive(Debug, Clone)]
pub struct CapacityMap {
    /// File stem under `maps/` ([`crate::capacity::GRADES_MAP`], …).
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// The web-size PNG.
    pub web_png: Vec<u8>,
    /// File names under `maps/`.
    pub files: Vec<String>,
}

/// Chinese and English names of a code of a census domain (the code itself when
/// the domain does not know it).
fn domain_name(d: &Domain, code: &str) -> (String, String) {
    match d.values.iter().find(|v| v.code == code) {
        Some(v) => (v.zh.to_string(), v.en.to_string()),
        None => (code.to_string(), code.to_string()),
    }
}

/// Names of a relief item of `reserve_days`.
fn item_name(item: &str) -> (&str, &str) {
    match item {
        "food_t" => ("粮食", "food (t)"),
        "water_t" => ("饮用水", "drinking water (t)"),
        "tents" => ("帐篷", "tents"),
        "quilts" => ("棉被", "quilts"),
        "folding_beds" => ("折叠床", "folding beds"),
        other => (other, other),
    }
}

/// Minutes as the table names them: 15 → `15`, 7.5 → `7.5`.
fn min_text(m: f64) -> String {
    format!("{m}")
}

fn scenario_label(t: &CapacityTables, id: &str) -> String {
    if id == PLAN_TARGET {
        return "规划储备目标 <span class=\"en\">the plan's target</span>".into();
    }
    let zh = t
        .gaps
        .iter()
        .find(|g| g.scenario == id)
        .map(|g| g.scenario_zh.as_str())
        .unwrap_or("");
    format!(
        "{} <span class=\"en\"><code>{}</code></span>",
        esc(zh),
        esc(id)
    )
}

/// Whether the reserves last the target days, in Chinese and English.
pub fn reserve_verdict(r: &ReserveRow) -> (&'static str, &'static str) {
    if r.meets_target {
        ("满足目标天数", "meets the target days")
    } else {
        ("未达到目标天数", "falls short of the target days")
    }
}

/// Write the chapter, numbered `n`.
pub fn section(o: &mut String, n: usize, t: &CapacityTables, maps: &[CapacityMap]) {
    super::h2(
        o,
        "capacity",
        n,
        "减灾能力与资源缺口",
        "Mitigation capacity and resource gaps",
    );
    lead(o, t);
    county(o, t);
    grades(o, t);
    gaps(o, t);
    reserves(o, t);
    rescue(o, t);
    screening(o, t);
    unsafe_shelters(o, t);
    figures(o, maps);
}

fn lead(o: &mut String, t: &CapacityTables) {
    let mut statuses: Vec<&str> = Vec::new();
    for u in &t.units {
        if !u.status.is_empty() && !statuses.contains(&u.status.as_str()) {
            statuses.push(&u.status);
        }
    }
    let status = if statuses.is_empty() {
        "–".to_string()
    } else {
        statuses
            .iter()
            .map(|s| format!("<code>{}</code>", esc(s)))
            .collect::<Vec<_>>()
            .join("、")
    };
    let _ = write!(
        o,
        r#"<p class="note" id="capacity-provisional"><b>基层减灾能力指数为暂定值（PROVISIONAL）</b>：评估流程依照 GB/T 43981-2024《基层减灾能力评估技术规范》（指标、标准化、赋权、指数、分级），但该标准的指标表、权重与分级阈值未到手，现用指标、目标值、权重与等级断点为本项目约定，待取得标准原文后替换；<code>capacity_units</code> 表的 <code>status</code> 列注明：{status}。<span class="en">The grassroots capacity index is PROVISIONAL: it follows the procedure of GB/T 43981-2024, but the standard's indicator tables, weights and grade thresholds were not in hand; the indicators, targets, weights and breaks are this project's convention until they are, as the status column of capacity_units says.</span></p>"#
    );
    let _ = write!(
        o,
        r#"<p>数据取自 <code>{}</code>（同名 CSV 在 <code>assess/</code>）。<span class="en">Tables of the capacity_gaps stage in zoning.gpkg (the same rows as CSV in assess/).</span></p><dl class="kv capacity-tables">
<dt><code>capacity_units</code></dt><dd>乡镇与村（社区）的基层减灾能力指标、得分、指数与等级（1 弱 … 5 强）<span class="en">grassroots capacity indicators, scores, index and grade of every township and village</span></dd>
<dt><code>shelter_gaps</code></dt><dd>各情景需安置人数、沿道路可达避难场所安置人数与无安置场所人数<span class="en">per scenario: the displaced, those placed in a shelter they reach along the roads, those left without a place</span></dd>
<dt><code>shelter_safety</code></dt><dd>每处避难场所的场址安全筛查（GB 51143-2015 §4.1.2）及原因<span class="en">the site-safety screen of every shelter, with the reasons</span></dd>
<dt><code>reserve_days</code></dt><dd>应急物资储备可维持的天数与覆盖率，对照规划目标天数<span class="en">days the material reserves last, and the share the durables cover, against the plan's target days</span></dd>
<dt><code>rescue_access</code></dt><dd>救援力量道路到达时间、各等时线外人口与重点设施、各类救援队伍<span class="en">road travel time from the rescue stations, population and key facilities beyond each isochrone, teams by kind</span></dd>
<dt><code>three_high_one_low</code></dt><dd>“三高一低”乡镇筛查：灾损高、隐患高、风险高、能力低<span class="en">the screening of townships with high loss, high hidden danger, high risk and low capacity</span></dd></dl>"#,
        esc(&t.source)
    );
    if !t.missing.is_empty() {
        let _ = write!(
            o,
            r#"<p class="note" id="capacity-missing">本次运行缺少下列表，相应内容从略：{}。<span class="en">Tables absent from the run; their parts are left out.</span></p>"#,
            t.missing
                .iter()
                .map(|m| format!("<code>{}</code>", esc(m)))
                .collect::<Vec<_>>()
                .join("、")
        );
    }
}

fn county(o: &mut String, t: &CapacityTables) {
    let _ = write!(
        o,
        r#"<h3 id="capacity-county">县域概况 <span class="en">County figures</span></h3>"#
    );
    // Shelter places per scenario.
    let scenarios = t.scenarios();
    if !scenarios.is_empty() {
        let _ = write!(
            o,
            r#"<table class="capacity-county-gaps"><thead><tr><th>情景 scenario</th><th class="num">需安置 displaced</th><th class="num">已安置 placed</th><th class="num">无安置场所 without a place</th><th class="num">无场所占比 %</th><th class="num">含不安全场所时无场所 without a place if unsafe shelters were used</th></tr></thead><tbody>"#
        );
        for (id, _) in &scenarios {
            let Some(g) = t.county_gap(id) else { continue };
            let _ = write!(
                o,
                r#"<tr data-scenario="{}"><td>{}{}</td>{}{}{}{}{}</tr>"#,
                esc(id),
                scenario_label(t, id),
                if g.assessed {
                    ""
                } else {
                    " <span class=\"en\">(未评估 not assessed)</span>"
                },
                cell("displaced", g.displaced, 0),
                cell("placed", g.placed, 0),
                cell("unplaced", g.unplaced, 0),
                cell("unplaced_pct", g.unplaced_pct, 1),
                cell("unplaced_if_unsafe_used", g.unplaced_if_unsafe_used, 0)
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str(r#"<dl class="kv" id="capacity-county-kv">"#);
    // Reserve days for the plan's own target people.
    match t.county_reserve(PLAN_TARGET) {
        Some(r) => {
            let (zh, en) = reserve_verdict(r);
            let target = r.target_days.map_or("–".into(), |d| format!("{d}"));
            let items = r
                .consumables
                .iter()
                .map(|c| {
                    let (izh, _) = item_name(&c.item);
                    format!(
                        "{} {} 天",
                        esc(izh),
                        c.days.map_or("–".into(), |d| format!("{d:.1}"))
                    )
                })
                .collect::<Vec<_>>()
                .join("，");
            let _ = write!(
                o,
                r#"<dt>物资储备 reserves</dt><dd id="capacity-reserve" data-value="{}">按规划 {} 人计，县级储备可维持 <b>{}</b> 天（{items}），目标 {target} 天：{zh}。<span class="en">For the plan's {} people the county's reserves last {} days against the {target}-day target: {en}.</span></dd>"#,
                r.min_days.map_or(String::new(), |d| d.to_string()),
                r.displaced.map_or("–".into(), |d| format!("{d:.0}")),
                r.min_days.map_or("–".into(), |d| format!("{d:.1}")),
                r.displaced.map_or("–".into(), |d| format!("{d:.0}")),
                r.min_days.map_or("–".into(), |d| format!("{d:.1}")),
            );
        }
        None => o.push_str("<dt>物资储备 reserves</dt><dd id=\"capacity-reserve\">表中无规划目标的县级行。<span class=\"en\">No county row of the plan's target in reserve_days.</span></dd>"),
    }
    // Population beyond the isochrones.
    if let Some(c) = t.county_rescue() {
        for b in &c.beyond {
            let m = min_text(b.minutes);
            let _ = write!(
                o,
                r#"<dt>{m} 分钟外 beyond {m} min</dt><dd class="capacity-beyond" data-minutes="{m}" data-value="{}">{} 人（{}%），重点设施 {} 处。<span class="en">people beyond {m} min of road travel from the nearest rescue station; key facilities beyond it.</span></dd>"#,
                b.population.map_or(String::new(), |v| v.to_string()),
                b.population.map_or("–".into(), |v| format!("{v:.0}")),
                b.pct.map_or("–".into(), |v| format!("{v:.1}")),
                b.facilities.map_or("–".into(), |v| format!("{v:.0}")),
            );
        }
        if let Some(m) = c.mean_minutes {
            let _ = write!(
                o,
                r#"<dt>平均到达时间 mean travel time</dt><dd data-value="{m}">{m:.1} 分钟 min（人口加权 population-weighted）</dd>"#
            );
        }
    }
    // Unsafe shelters.
    if !t.shelters.is_empty() {
        let bad = t.unsafe_shelters();
        let places: f64 = bad.iter().filter_map(|s| s.capacity).sum();
        let _ = write!(
            o,
            r##"<dt>不安全避难场所 unsafe shelters</dt><dd id="capacity-unsafe" data-value="{}">{} / {} 处场址未通过安全筛查，容量 {places:.0} 人（见<a href="#capacity-unsafe-list">清单</a>）。<span class="en">{} of {} shelter sites fail the site-safety screen, with {places:.0} places.</span></dd>"##,
            bad.len(),
            bad.len(),
            t.shelters.len(),
            bad.len(),
            t.shelters.len()
        );
    }
    // 三高一低 townships.
    if !t.screening.is_empty() {
        let top = t.screened(1);
        let names = if top.is_empty() {
            "无 none".to_string()
        } else {
            top.iter()
                .map(|r| esc(&r.unit_name))
                .collect::<Vec<_>>()
                .join("、")
        };
        let three = t.screened(2);
        let three = if three.is_empty() {
            String::new()
        } else {
            format!(
                "；满足三项 three of four: {}",
                three
                    .iter()
                    .map(|r| esc(&r.unit_name))
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        let _ = write!(
            o,
            r#"<dt>“三高一低”乡镇 三高一低 townships</dt><dd id="capacity-3h1l" data-value="{}">{names}{three}</dd>"#,
            top.len()
        );
    }
    o.push_str("</dl>");
}

fn grades(o: &mut String, t: &CapacityTables) {
    let towns: Vec<_> = t.units.iter().filter(|u| u.is_township()).collect();
    if towns.is_empty() {
        return;
    }
    let classes = t.capacity_scheme.classes();
    let _ = write!(
        o,
        r#"<h3 id="capacity-grades">乡镇基层减灾能力 <span class="en">Townships: grassroots capacity index and grade (provisional)</span></h3><table class="capacity-units"><thead><tr><th>代码 code</th><th>乡镇 township</th><th class="num">人口 population</th><th>已调查 surveyed</th><th class="num">指数 index</th><th class="num">权重覆盖 weight covered</th><th>等级 grade</th><th>村（社区）等级 villages per grade</th></tr></thead><tbody>"#
    );
    for u in &towns {
        let villages: Vec<String> = classes
            .iter()
            .filter_map(|c| {
                let k = t
                    .units
                    .iter()
                    .filter(|v| {
                        v.is_village() && v.township_code == u.unit_code && v.level == Some(c.code)
                    })
                    .count();
                (k > 0).then(|| format!("{} {k}", esc(&c.name_zh)))
            })
            .collect();
        let _ = write!(
            o,
            r#"<tr data-capacity-unit="{}"><td>{}</td><td>{}</td>{}<td>{}</td>{}{}<td>{}</td><td>{}</td></tr>"#,
            esc(&u.unit_code),
            esc(&u.unit_code),
            esc(&u.unit_name),
            cell("population", u.population, 0),
            if u.surveyed { "是 yes" } else { "否 no" },
            cell("capacity_index", u.capacity_index, 3),
            cell("weight_covered", u.weight_covered, 2),
            level_chip(&t.capacity_scheme, u.level),
            if villages.is_empty() {
                "–".into()
            } else {
                villages.join(" · ")
            }
        );
    }
    o.push_str("</tbody></table>");
    if !t.indicators.is_empty() {
        let _ = write!(
            o,
            r#"<details><summary>各乡镇指标得分 <span class="en">indicator scores of the townships (0–1)</span></summary><table class="capacity-scores"><thead><tr><th>乡镇 township</th>"#
        );
        for id in &t.indicators {
            let _ = write!(o, r#"<th class="num"><code>{}</code></th>"#, esc(id));
        }
        o.push_str("</tr></thead><tbody>");
        for u in &towns {
            let _ = write!(o, "<tr><td>{}</td>", esc(&u.unit_name));
            for i in &u.indicators {
                o.push_str(&cell(&format!("{}_score", i.id), i.score, 2));
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></details>");
    }
}

fn gaps(o: &mut String, t: &CapacityTables) {
    let scenarios = t.scenarios();
    if scenarios.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-gaps">避难安置缺口 <span class="en">Shelter gaps per scenario: displaced and without a place</span></h3><p>需安置人数：洪水情景为淹没水深超过阈值处的人口，地震情景为不可居住房屋的住户（Hazus）；按道路距离分配到服务半径内的安全避难场所。<span class="en">The displaced: people where the flood is deeper than the threshold, or the residents of uninhabitable dwellings (Hazus) in an earthquake; placed along the roads in safe shelters within their service radius.</span></p><table class="capacity-gaps"><thead><tr><th rowspan="2">代码 code</th><th rowspan="2">乡镇 township</th>"#
    );
    for (id, _) in &scenarios {
        let _ = write!(o, r#"<th colspan="3">{}</th>"#, scenario_label(t, id));
    }
    o.push_str("</tr><tr>");
    for _ in &scenarios {
        o.push_str(r#"<th class="num">需安置 displaced</th><th class="num">无场所 without a place</th><th class="num">%</th>"#);
    }
    o.push_str("</tr></thead><tbody>");
    let mut units: Vec<(&str, &str, bool)> = Vec::new();
    for g in t.gaps.iter().filter(|g| !g.is_county()) {
        if !units.iter().any(|(c, _, _)| *c == g.unit_code) {
            units.push((&g.unit_code, &g.unit_name, false));
        }
    }
    if let Some(c) = t.gaps.iter().find(|g| g.is_county()) {
        units.push((&c.unit_code, &c.unit_name, true));
    }
    for (code, name, is_county) in units {
        let _ = write!(
            o,
            r#"<tr data-capacity-unit="{}"{}><td>{}</td><td>{}</td>"#,
            esc(code),
            if is_county { r#" class="total""# } else { "" },
            esc(code),
            esc(name)
        );
        for (id, _) in &scenarios {
            let g = t
                .gaps
                .iter()
                .find(|g| g.unit_code == code && g.scenario == *id);
            o.push_str(&cell("displaced", g.and_then(|g| g.displaced), 0));
            o.push_str(&cell("unplaced", g.and_then(|g| g.unplaced), 0));
            o.push_str(&cell("unplaced_pct", g.and_then(|g| g.unplaced_pct), 1));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
}

fn reserves(o: &mut String, t: &CapacityTables) {
    let county: Vec<&ReserveRow> = t.reserves.iter().filter(|r| r.scope == "county").collect();
    if county.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-reserves">物资储备 <span class="en">Relief reserves: days they last and share they cover (county)</span></h3><table class="capacity-reserves"><thead><tr><th>情景 scenario</th><th class="num">人数 people</th>"#
    );
    for c in &t.consumables {
        let (zh, en) = item_name(c);
        let _ = write!(
            o,
            r#"<th class="num">{} 天 <span class="en">{} days</span></th>"#,
            esc(zh),
            esc(en)
        );
    }
    for d in &t.durables {
        let (zh, en) = item_name(d);
        let _ = write!(
            o,
            r#"<th class="num">{} % <span class="en">{} cover</span></th>"#,
            esc(zh),
            esc(en)
        );
    }
    o.push_str(r#"<th class="num">最短 min days</th><th class="num">目标 target days</th><th>结论 verdict</th></tr></thead><tbody>"#);
    // The plan's target first, then the scenarios in file order.
    let mut rows = county.clone();
    rows.sort_by_key(|r| r.scenario != PLAN_TARGET);
    for r in rows {
        let _ = write!(
            o,
            r#"<tr data-scenario="{}"><td>{}</td>{}"#,
            esc(&r.scenario),
            scenario_label(t, &r.scenario),
            cell("displaced", r.displaced, 0)
        );
        for c in &r.consumables {
            o.push_str(&cell(&format!("{}_days", c.item), c.days, 1));
        }
        for d in &r.durables {
            o.push_str(&cell(&format!("{}_cover_pct", d.item), d.cover_pct, 1));
        }
        let (zh, en) = reserve_verdict(r);
        let _ = write!(
            o,
            r#"{}{}<td>{zh} <span class="en">{en}</span></td></tr>"#,
            cell("min_days", r.min_days, 1),
            cell("target_days", r.target_days, 0)
        );
    }
    o.push_str("</tbody></table>");
    let rest: Vec<&ReserveRow> = t.reserves.iter().filter(|r| r.scope != "county").collect();
    if !rest.is_empty() {
        let _ = write!(
            o,
            r#"<details><summary>各仓库与乡镇 <span class="en">per warehouse and township</span></summary><table class="capacity-reserves-detail"><thead><tr><th>情景 scenario</th><th>范围 scope</th><th>名称 name</th><th class="num">人数 people</th><th class="num">最短天数 min days</th><th>结论 verdict</th></tr></thead><tbody>"#
        );
        for r in rest {
            let scope = match r.scope.as_str() {
                "warehouse" => "仓库 warehouse",
                "township" => "乡镇 township",
                other => other,
            };
            let _ = write!(
                o,
                r#"<tr data-scenario="{}"><td><code>{}</code></td><td>{}</td><td>{}</td>{}{}<td>{}</td></tr>"#,
                esc(&r.scenario),
                esc(&r.scenario),
                esc(scope),
                esc(&r.name),
                cell("displaced", r.displaced, 0),
                cell("min_days", r.min_days, 1),
                reserve_verdict(r).0
            );
        }
        o.push_str("</tbody></table></details>");
    }
}

fn rescue(o: &mut String, t: &CapacityTables) {
    if t.rescue.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-rescue">救援可达性 <span class="en">Rescue access: travel time from the nearest station</span></h3><table class="capacity-rescue"><thead><tr><th>代码 code</th><th>乡镇 township</th><th class="num">人口 population</th><th class="num">平均 mean min</th>"#
    );
    for i in &t.isochrones {
        let m = min_text(i.minutes);
        let _ = write!(
            o,
            r#"<th class="num">{m} 分钟外人口 <span class="en">beyond {m} min</span></th><th class="num">%</th>"#
        );
    }
    o.push_str(r#"<th class="num">重点设施 key facilities</th>"#);
    for i in &t.isochrones {
        let m = min_text(i.minutes);
        let _ = write!(
            o,
            r#"<th class="num">{m} 分钟外设施 <span class="en">beyond {m} min</span></th>"#
        );
    }
    o.push_str("</tr></thead><tbody>");
    for r in townships_then_county(&t.rescue) {
        rescue_row_start(o, r);
        let _ = write!(
            o,
            r#"<td>{}</td><td>{}</td>{}{}"#,
            esc(&r.unit_code),
            esc(&r.unit_name),
            cell("population", r.population, 0),
            cell("mean_minutes", r.mean_minutes, 1)
        );
        for (b, i) in r.beyond.iter().zip(&t.isochrones) {
            o.push_str(&cell(&format!("pop_beyond_{}min", i.key), b.population, 0));
            o.push_str(&cell(&format!("pop_beyond_{}min_pct", i.key), b.pct, 1));
        }
        o.push_str(&cell("key_facilities", r.key_facilities, 0));
        for (b, i) in r.beyond.iter().zip(&t.isochrones) {
            o.push_str(&cell(
                &format!("facilities_beyond_{}min", i.key),
                b.facilities,
                0,
            ));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    if t.team_kinds.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-teams">救援队伍 <span class="en">Rescue teams by kind: teams, personnel, mean minutes to the nearest team</span></h3><table class="capacity-teams"><thead><tr><th rowspan="2">乡镇 township</th>"#
    );
    for k in &t.team_kinds {
        let (zh, en) = domain_name(&TEAM_KIND, k);
        let _ = write!(
            o,
            r#"<th colspan="3">{} <span class="en">{}</span></th>"#,
            esc(&zh),
            esc(&en)
        );
    }
    o.push_str("</tr><tr>");
    for _ in &t.team_kinds {
        o.push_str(r#"<th class="num">队 teams</th><th class="num">人 personnel</th><th class="num">分钟 min</th>"#);
    }
    o.push_str("</tr></thead><tbody>");
    for r in townships_then_county(&t.rescue) {
        rescue_row_start(o, r);
        let _ = write!(o, "<td>{}</td>", esc(&r.unit_name));
        for k in &r.teams {
            o.push_str(&cell(&format!("teams_{}", k.kind), k.teams, 0));
            o.push_str(&cell(&format!("personnel_{}", k.kind), k.personnel, 0));
            o.push_str(&cell(&format!("minutes_{}", k.kind), k.minutes, 1));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
}

fn tick(b: bool) -> &'static str {
    if b {
        r#"<td class="flag" data-value="1">● 是</td>"#
    } else {
        r#"<td class="flag" data-value="0">–</td>"#
    }
}

fn screening(o: &mut String, t: &CapacityTables) {
    if t.screening.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-screening">“三高一低”筛查 <span class="en">三高一低 screening of townships: high loss, high hidden danger, high risk, low capacity</span></h3><table class="capacity-screening"><thead><tr><th>代码 code</th><th>乡镇 township</th><th class="num">记录损失 万元/yr</th><th class="num">占 GDP %</th><th>灾损高 high loss</th><th class="num">隐患点 per 100 km²</th><th class="num">受威胁 per 1,000</th><th>隐患高 high hidden danger</th><th>风险高 high risk</th><th>能力低 low capacity</th><th class="num">满足 criteria met</th><th>筛查 class</th></tr></thead><tbody>"#
    );
    for r in &t.screening {
        let _ = write!(
            o,
            r#"<tr data-capacity-unit="{}"><td>{}</td><td>{}</td>{}{}{}{}{}{}{}{}{}<td>{}</td></tr>"#,
            esc(&r.unit_code),
            esc(&r.unit_code),
            esc(&r.unit_name),
            cell("recorded_loss_wan_per_yr", r.recorded_loss_wan_per_yr, 1),
            cell("recorded_loss_gdp_pct", r.recorded_loss_gdp_pct, 3),
            tick(r.high_loss),
            cell("hidden_dangers_per_100km2", r.hidden_dangers_per_100km2, 1),
            cell("threatened_per_1k", r.threatened_per_1k, 1),
            tick(r.high_hidden_danger),
            tick(r.high_risk),
            tick(r.low_capacity),
            cell("criteria_met", r.criteria_met.map(|v| v as f64), 0),
            level_chip(&t.screening_scheme, r.level)
        );
    }
    o.push_str("</tbody></table>");
}

fn unsafe_shelters(o: &mut String, t: &CapacityTables) {
    if t.shelters.is_empty() {
        return;
    }
    let bad = t.unsafe_shelters();
    let _ = write!(
        o,
        r#"<h3 id="capacity-unsafe-list">不安全避难场所 <span class="en">Shelters that fail the site-safety screen (GB 51143-2015 §4.1.2)</span></h3>"#
    );
    if bad.is_empty() {
        o.push_str("<p>所有避难场所均通过场址安全筛查。<span class=\"en\">Every shelter passes the site-safety screen.</span></p>");
        return;
    }
    let _ = write!(
        o,
        r#"<table class="capacity-unsafe"><thead><tr><th>编号 id</th><th>名称 name</th><th>类型 type</th><th>乡镇 township</th><th class="num">容量 places</th><th>原因 reasons</th></tr></thead><tbody>"#
    );
    for s in bad {
        let (tzh, ten) = domain_name(&SHELTER_TYPE, &s.shelter_type);
        let _ = write!(
            o,
            r#"<tr data-shelter="{}"><td><code>{}</code></td><td>{}</td><td>{} <span class="en">{}</span></td><td>{}</td>{}<td class="trace">{}</td></tr>"#,
            esc(&s.shelter_id),
            esc(&s.shelter_id),
            esc(&s.name),
            esc(&tzh),
            esc(&ten),
            esc(t
                .township_name(&s.township_code)
                .unwrap_or(&s.township_code)),
            cell("capacity", s.capacity, 0),
            esc(&s.reasons)
        );
    }
    o.push_str("</tbody></table>");
}

fn figures(o: &mut String, maps: &[CapacityMap]) {
    if maps.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="capacity-maps">图 <span class="en">Maps</span></h3>"#
    );
    for m in maps {
        let b64 = base64::engine::general_purpose::STANDARD.encode(&m.web_png);
        let note = match m.id.as_str() {
            crate::capacity::GRADES_MAP => "圆点为避难场所，按场址安全筛查着色 dots: shelters, coloured by the site-safety screen",
            crate::capacity::RESCUE_MAP => "自最近救援站点沿道路的到达时间；救援站点不在结果表中，图上未标出 road travel time from the nearest station; the stations are not in the tables and are not drawn",
            _ => "",
        };
        let _ = write!(
            o,
            r#"<figure id="map-{}"><img alt="{} {}" src="data:image/png;base64,{b64}"><figcaption>{} <span class="en">{}</span>{}{} — {}</figcaption></figure>"#,
            esc(&m.id),
            esc(&m.title_zh),
            esc(&m.title_en),
            esc(&m.title_zh),
            esc(&m.title_en),
            if note.is_empty() { "" } else { "（" },
            if note.is_empty() {
                String::new()
            } else {
                format!("{}）", esc(note))
            },
            super::map_links(&m.files)
        );
    }
}

/// The rescue rows, townships first and the county last (its total row).
fn townships_then_county(rows: &[RescueRow]) -> impl Iterator<Item = &RescueRow> {
    rows.iter()
        .filter(|r| !r.is_county())
        .chain(rows.iter().filter(|r| r.is_county()))
}

/// `<tr …>` of a rescue row: its unit code, and the total class for the county.
fn rescue_row_start(o: &mut String, r: &RescueRow) {
    let _ = write!(
        o,
        r#"<tr data-capacity-unit="{}"{}>"#,
        esc(&r.unit_code),
        if r.is_county() {
            r#" class="total""#
        } else {
            ""
        }
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_and_items_have_chinese_names() {
        assert_eq!(domain_name(&TEAM_KIND, "forest_fire").0, "森林消防");
        assert_eq!(domain_name(&SHELTER_TYPE, "central").0, "中心避难场所");
        assert_eq!(domain_name(&TEAM_KIND, "zz").0, "zz");
        assert_eq!(item_name("water_t").0, "饮用水");
        assert_eq!(min_text(15.0), "15");
        assert_eq!(min_text(7.5), "7.5");
    }
}
