//! The section "损失风险 Expected annual loss and deaths" of the report, from the
//! loss tables of the run ([`crate::loss`]): the county summary against the plan's
//! 1 % of GDP target, the township table, the township map of AAL / GDP classes,
//! loss-exceedance curves per loss-model hazard, AAL per structure type and the
//! historical record beside the assessment.
//!
//! Numbers carry their exact value in `data-value` beside the rounded text, as the
//! township tables of the zoning section do; rows carry `data-risk-unit` and
//! `data-hazard`.

use std::fmt::Write;

use riskcensus_core::HazardInfo;
use riskcensus_models::earthquake::fragility::Structure;

use super::{cell, esc, level_chip};
use crate::chart::{exceedance_svg, LossCurve};
use crate::loss::{LossTables, UnitRisk, COMPREHENSIVE, PLAN_TARGET_GDP_PCT};
use crate::run::Run;

/// The township map of AAL / GDP classes, as rendered.
#[derive(Debug, Clone)]
pub struct LossMap {
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// The web-size PNG.
    pub web_png: Vec<u8>,
    /// File names under `maps/`.
    pub files: Vec<String>,
}

/// Line colours of the township curves (Tableau 10), cycled.
const PALETTE: [&str; 10] = [
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC",
];

fn hazard_name(hazards: &[HazardInfo], id: &str) -> (String, String) {
    match hazards.iter().find(|h| h.id == id) {
        Some(h) => (h.name_zh.clone(), h.name_en.clone()),
        None if id == COMPREHENSIVE => ("综合".into(), "Comprehensive".into()),
        None => (id.to_string(), id.to_string()),
    }
}

fn route_name(route: &str) -> &'static str {
    match route {
        "loss" => "损失模型 loss model",
        "record" => "灾情记录按风险指数分配 record spread by the risk index",
        "sum" => "各灾种合计 sum of hazards",
        _ => "",
    }
}

fn structure_name(code: &str) -> String {
    let zh = match Structure::parse(code) {
        Some(Structure::RcFrame) => "钢筋混凝土框架",
        Some(Structure::BrickConcrete) => "砖混",
        Some(Structure::BrickWood) => "砖木",
        Some(Structure::EarthStone) => "土木石",
        Some(Structure::Steel) => "钢结构",
        Some(Structure::Other) => "其他",
        None => return format!("<code>{}</code>", esc(code)),
    };
    format!("{zh} <code>{}</code>", esc(code))
}

/// Whether an AAL / GDP share (%) meets the plan's target, in Chinese and English.
pub fn target_verdict(pct: f64) -> (&'static str, &'static str) {
    if pct <= PLAN_TARGET_GDP_PCT {
        ("满足规划目标", "meets the plan's target")
    } else {
        ("超过规划目标", "exceeds the plan's target")
    }
}

/// Order hazards as the manifest does, unknown ones after them in the given order.
fn ordered(hazards: &[HazardInfo], mut ids: Vec<String>) -> Vec<String> {
    ids.sort_by_key(|id| {
        hazards
            .iter()
            .position(|h| h.id == *id)
            .unwrap_or(usize::MAX)
    });
    ids
}

/// Write the section, numbered `n`.
pub fn section(o: &mut String, run: &Run, n: usize, t: &LossTables, map: Option<&LossMap>) {
    let hz = &run.manifest.hazards;
    super::h2(o, "loss", n, "损失风险", "Expected annual loss and deaths");
    let lv = &t.levels;
    let breaks = |m| {
        lv.breaks(m)
            .map(|b| {
                b.iter()
                    .map(|v| crate::run::fmt_break(*v))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    };
    use riskcensus_models::loss::Measure;
    let _ = write!(
        o,
        "<p>年均期望损失（AAL，万元/年）与年均期望死亡人数：有损失模型的灾种（洪涝、地震）对各频率事件的损失按年超越概率积分；其余灾种按灾情记录的年均损失依风险指数分配；综合为各灾种之和。风险等级按全国统一的绝对阈值（<code>{}</code> v{}，等级方案 <code>{}</code>）取三项指标中最严重者：AAL 密度（万元/km²/年，断点 {}）、AAL 占 GDP 比例（%，断点 {}）、每十万人年均死亡（断点 {}）。数据取自 <code>{}</code>。<span class=\"en\">Expected annual loss (万元/yr) and deaths: integrated over the events' annual exceedance rates where a loss model exists (flood, earthquake), the recorded mean annual loss spread by the risk index otherwise, summed for the comprehensive risk. Risk levels on absolute thresholds, the most severe of AAL density, AAL as % of GDP and deaths per 10⁵ people per year.</span></p>",
        esc(lv.id()),
        esc(lv.version()),
        esc(lv.scheme()),
        breaks(Measure::AalDensity),
        breaks(Measure::AalGdpShare),
        breaks(Measure::DeathRate),
        esc(&t.units_source)
    );
    county_summary(o, hz, t);
    township_table(o, hz, t, map);
    exceedance_curves(o, hz, t);
    structures(o, hz, t);
    record(o, hz, t);
}

fn county_summary(o: &mut String, hz: &[HazardInfo], t: &LossTables) {
    let _ = write!(
        o,
        r#"<h3 id="loss-county">县域汇总 <span class="en">County summary</span></h3>"#
    );
    let Some(total) = t.county(COMPREHENSIVE) else {
        o.push_str("<p class=\"note\">表中没有县级综合行。<span class=\"en\">No county row of the comprehensive risk in the table.</span></p>");
        return;
    };
    match total.aal_gdp_pct {
        Some(p) => {
            let _ = write!(
                o,
                r#"<p class="note" id="loss-target" data-value="{p}">{} 综合年均期望损失 <b>{:.1}</b> 万元/年，占 GDP <b>{p:.3} %</b>，{}（《“十四五”国家综合防灾减灾规划》：年均因灾直接经济损失占 GDP 比例 ≤ {PLAN_TARGET_GDP_PCT} %）。<span class="en">Comprehensive AAL {:.1} 万元/yr = {p:.3} % of GDP: {} (average annual direct disaster loss ≤ {PLAN_TARGET_GDP_PCT} % of GDP, national 14th five-year plan for comprehensive disaster prevention, 2022).</span></p>"#,
                esc(&total.unit_name),
                total.aal_wan_per_yr.unwrap_or(f64::NAN),
                target_verdict(p).0,
                total.aal_wan_per_yr.unwrap_or(f64::NAN),
                target_verdict(p).1
            );
        }
        None => {
            o.push_str("<p class=\"note\" id=\"loss-target\">县级 GDP 未调查，无法与 1 % 目标比较。<span class=\"en\">The county's GDP is not surveyed: AAL cannot be compared with the 1 % of GDP target.</span></p>");
        }
    }
    let towns: Vec<&UnitRisk> = t
        .units
        .iter()
        .filter(|u| u.is_township() && u.hazard == COMPREHENSIVE)
        .collect();
    let over = towns
        .iter()
        .filter(|u| u.aal_gdp_pct.is_some_and(|p| p > PLAN_TARGET_GDP_PCT))
        .count();
    let _ = write!(
        o,
        "<p>{over} / {} 个乡镇（街道）综合 AAL 超过 GDP 的 {PLAN_TARGET_GDP_PCT} %。<span class=\"en\">{over} of {} townships exceed {PLAN_TARGET_GDP_PCT} % of GDP.</span></p>",
        towns.len(),
        towns.len()
    );
    let _ = write!(
        o,
        r#"<table class="loss-county"><thead><tr><th>灾种 hazard</th><th>途径 route</th><th class="num">AAL 万元/yr</th><th class="num">AAL/GDP %</th><th class="num">死亡 deaths/yr</th><th class="num">每十万人 per 10⁵/yr</th><th>风险等级 risk level</th></tr></thead><tbody>"#
    );
    let mut ids = ordered(hz, t.hazards());
    ids.push(COMPREHENSIVE.into());
    for id in ids {
        let Some(u) = t.county(&id) else { continue };
        let (zh, en) = hazard_name(hz, &id);
        let _ = write!(
            o,
            r#"<tr data-hazard="{}"{}><td>{} <span class="en">{}</span></td><td>{}</td>{}{}{}{}<td>{}</td></tr>"#,
            esc(&id),
            if id == COMPREHENSIVE {
                r#" class="total""#
            } else {
                ""
            },
            esc(&zh),
            esc(&en),
            route_name(&u.route),
            cell("aal_wan_per_yr", u.aal_wan_per_yr, 1),
            cell("aal_gdp_pct", u.aal_gdp_pct, 3),
            cell("deaths_per_yr", u.deaths_per_yr, 3),
            cell("death_rate_per_100k_yr", u.death_rate_per_100k, 3),
            level_chip(&t.scheme, u.risk_level)
        );
    }
    o.push_str("</tbody></table>");
    let src = match total.population_source.as_str() {
        "admin_units" => "行政区划表 admin_units",
        "buildings" => "房屋常住人数之和 Σ building occupants",
        other => other,
    };
    let _ = write!(
        o,
        r#"<dl class="kv"><dt>GDP</dt><dd>{} 万元</dd><dt>人口 population</dt><dd>{} ({})</dd><dt>面积 area</dt><dd>{} km²</dd></dl>"#,
        total
            .gdp_wan
            .map_or("未调查 not surveyed".into(), |v| format!("{v:.0}")),
        total.population.map_or("–".into(), |v| format!("{v:.0}")),
        esc(src),
        total.area_km2.map_or("–".into(), |v| format!("{v:.2}"))
    );
}

fn township_table(o: &mut String, hz: &[HazardInfo], t: &LossTables, map: Option<&LossMap>) {
    let _ = write!(
        o,
        r#"<h3 id="loss-townships">乡镇损失风险 <span class="en">Townships: AAL, deaths and risk level</span></h3>"#
    );
    let hazards = ordered(hz, t.hazards());
    let _ = write!(
        o,
        r#"<table class="loss-units"><thead><tr><th>代码 code</th><th>乡镇 township</th><th class="num">综合 AAL 万元/yr</th><th class="num">AAL/GDP %</th><th class="num">死亡 per 10⁵/yr</th><th>风险等级 risk level</th>"#
    );
    for h in &hazards {
        let (zh, en) = hazard_name(hz, h);
        let _ = write!(
            o,
            r#"<th class="num">{} <span class="en">{} AAL</span></th>"#,
            esc(&zh),
            esc(&en)
        );
    }
    o.push_str("</tr></thead><tbody>");
    let aal_of = |code: &str, hazard: &str| {
        t.units
            .iter()
            .find(|u| u.unit_code == code && u.hazard == hazard)
            .and_then(|u| u.aal_wan_per_yr)
    };
    // Townships in file order, the county last as the total row.
    let rows = t
        .units
        .iter()
        .filter(|u| u.hazard == COMPREHENSIVE && u.is_township())
        .chain(
            t.units
                .iter()
                .filter(|u| u.hazard == COMPREHENSIVE && u.is_county()),
        );
    for u in rows {
        let _ = write!(
            o,
            r#"<tr data-risk-unit="{}"{}><td>{}</td><td>{}</td>{}{}{}<td>{}</td>"#,
            esc(&u.unit_code),
            if u.is_county() {
                r#" class="total""#
            } else {
                ""
            },
            esc(&u.unit_code),
            esc(&u.unit_name),
            cell("aal_wan_per_yr", u.aal_wan_per_yr, 1),
            cell("aal_gdp_pct", u.aal_gdp_pct, 3),
            cell("death_rate_per_100k_yr", u.death_rate_per_100k, 3),
            level_chip(&t.scheme, u.risk_level)
        );
        for h in &hazards {
            o.push_str(&cell(&format!("aal_{h}"), aal_of(&u.unit_code, h), 1));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    if let Some(m) = map {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(&m.web_png);
        let links = super::map_links(&m.files);
        let _ = write!(
            o,
            r#"<figure id="map-loss-aal-gdp"><img alt="{} {}" src="data:image/png;base64,{b64}"><figcaption>{} <span class="en">{}</span>（按 <code>level_aal_gdp</code> 分级，最高级为超过 {PLAN_TARGET_GDP_PCT} % 的规划目标 classes of level_aal_gdp; the top class exceeds the plan's target） — {links}</figcaption></figure>"#,
            esc(&m.title_zh),
            esc(&m.title_en),
            esc(&m.title_zh),
            esc(&m.title_en)
        );
    }
}

fn exceedance_curves(o: &mut String, hz: &[HazardInfo], t: &LossTables) {
    if t.exceedance.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="loss-exceedance">损失超越曲线 <span class="en">Loss-exceedance curves</span></h3><p>每个频率事件的直接经济损失（万元）与其年超越概率（对数坐标，右轴为重现期）；细线为各乡镇，粗线为全县。<span class="en">Each event's direct loss against its annual exceedance rate (log scale; return period on the right axis); thin lines townships, the bold line the county.</span></p>"#
    );
    let mut hazards: Vec<String> = Vec::new();
    for r in &t.exceedance {
        if !hazards.contains(&r.hazard) {
            hazards.push(r.hazard.clone());
        }
    }
    for h in ordered(hz, hazards) {
        let rows: Vec<_> = t.exceedance.iter().filter(|r| r.hazard == h).collect();
        let mut curves: Vec<LossCurve> = Vec::new();
        let mut codes: Vec<&str> = Vec::new();
        for r in &rows {
            if !codes.contains(&r.unit_code.as_str()) {
                codes.push(&r.unit_code);
            }
        }
        let county = |code: &str| t.units.iter().any(|u| u.unit_code == code && u.is_county());
        let mut k = 0;
        for code in codes {
            let pts: Vec<(f64, f64, String)> = rows
                .iter()
                .filter(|r| r.unit_code == code)
                .filter_map(|r| r.loss_wan.map(|l| (l, r.annual_rate, r.event.clone())))
                .collect();
            let name = rows
                .iter()
                .find(|r| r.unit_code == code)
                .map(|r| r.unit_name.clone())
                .unwrap_or_default();
            let bold = county(code);
            let colour = if bold {
                "#1D2327".to_string()
            } else {
                k += 1;
                PALETTE[(k - 1) % PALETTE.len()].to_string()
            };
            curves.push(LossCurve {
                name,
                colour,
                bold,
                points: pts,
            });
        }
        let (zh, en) = hazard_name(hz, &h);
        if let Some(svg) = exceedance_svg(&format!("{en} loss-exceedance curves"), &curves) {
            let _ = write!(
                o,
                r#"<figure class="chart-fig" data-hazard="{}">{svg}<figcaption>{}损失超越曲线 <span class="en">{} loss-exceedance curves</span></figcaption></figure>"#,
                esc(&h),
                esc(&zh),
                esc(&en)
            );
        }
    }
}

fn structures(o: &mut String, hz: &[HazardInfo], t: &LossTables) {
    if t.structures.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="loss-structures">按结构类型 <span class="en">AAL and deaths per building structure type</span></h3><table class="loss-structures"><thead><tr><th>灾种 hazard</th><th>结构 structure</th><th class="num">房屋 buildings</th><th class="num">资产 value 万元</th><th class="num">AAL 万元/yr</th><th class="num">AAL/资产 ‰/yr</th><th class="num">死亡 deaths/yr</th></tr></thead><tbody>"#
    );
    let mut hazards: Vec<String> = Vec::new();
    for r in &t.structures {
        if !hazards.contains(&r.hazard) {
            hazards.push(r.hazard.clone());
        }
    }
    for h in ordered(hz, hazards) {
        let (zh, en) = hazard_name(hz, &h);
        let rows: Vec<_> = t.structures.iter().filter(|r| r.hazard == h).collect();
        for r in &rows {
            let _ = write!(
                o,
                r#"<tr data-hazard="{}"><td>{} <span class="en">{}</span></td><td>{}</td>{}{}{}{}{}</tr>"#,
                esc(&h),
                esc(&zh),
                esc(&en),
                structure_name(&r.structure),
                cell("buildings", Some(r.buildings), 0),
                cell("value_wan", r.value_wan, 0),
                cell("aal_wan_per_yr", r.aal_wan_per_yr, 1),
                cell("aal_permille_of_value", r.aal_permille_of_value, 3),
                cell("deaths_per_yr", r.deaths_per_yr, 4)
            );
        }
        let sum = |f: fn(&crate::loss::StructureRow) -> Option<f64>| {
            rows.iter().map(|r| f(r)).sum::<Option<f64>>()
        };
        let (value, aal) = (sum(|r| r.value_wan), sum(|r| r.aal_wan_per_yr));
        let permille = match (value, aal) {
            (Some(v), Some(a)) if v > 0.0 => Some(a / v * 1000.0),
            _ => None,
        };
        let _ = write!(
            o,
            r#"<tr class="total" data-hazard="{}"><td colspan="2">{} 合计 total</td>{}{}{}{}{}</tr>"#,
            esc(&h),
            esc(&zh),
            cell("buildings", Some(rows.iter().map(|r| r.buildings).sum()), 0),
            cell("value_wan", value, 0),
            cell("aal_wan_per_yr", aal, 1),
            cell("aal_permille_of_value", permille, 3),
            cell("deaths_per_yr", sum(|r| r.deaths_per_yr), 4)
        );
    }
    o.push_str("</tbody></table><p class=\"en\">AAL per mille of value: the buildings' expected annual loss over their replacement value. Buildings only: the county AAL also holds losses of the record route.</p>");
}

fn record(o: &mut String, hz: &[HazardInfo], t: &LossTables) {
    if t.record.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<h3 id="loss-record">灾情记录对照 <span class="en">The historical record beside the assessment</span></h3><p>灾情记录（<code>disaster_events</code>）的年均损失与死亡，与评估的年均期望值并列；有损失模型的灾种，评估值对各频率事件积分，较短的记录往往未包含罕遇事件；按记录分配的灾种两者按构造相等。<span class="en">The recorded mean annual loss and deaths (disaster_events) beside the assessed expected values. Where a loss model exists the assessment integrates over events of every frequency, which a short record may not hold; for hazards of the record route the two are equal by construction.</span></p><table class="loss-record"><thead><tr><th>灾种 hazard</th><th>途径 route</th><th>计入综合 included</th><th>记录年份 record span</th><th class="num">事件 events</th><th class="num">记录损失 recorded 万元/yr</th><th class="num">评估 AAL assessed 万元/yr</th><th class="num">评估/记录 ratio</th><th class="num">记录死亡 recorded deaths/yr</th><th class="num">评估死亡 assessed deaths/yr</th><th>说明 note</th></tr></thead><tbody>"#
    );
    for r in &t.record {
        let (zh, en) = hazard_name(hz, &r.hazard);
        let span = match (r.first_year, r.last_year) {
            (Some(a), Some(b)) => format!("{a}–{b} ({} 年 yr)", b - a + 1),
            _ => "–".into(),
        };
        let ratio = match (r.assessed_aal_wan_per_yr, r.recorded_loss_wan_per_yr) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        let _ = write!(
            o,
            r#"<tr data-hazard="{}"><td>{} <span class="en">{}</span></td><td>{}</td><td>{}</td><td>{}</td>{}{}{}{}{}{}<td class="trace">{}</td></tr>"#,
            esc(&r.hazard),
            esc(&zh),
            esc(&en),
            route_name(&r.route),
            if r.included { "是 yes" } else { "否 no" },
            span,
            cell("recorded_events", r.events, 0),
            cell("recorded_loss_wan_per_yr", r.recorded_loss_wan_per_yr, 1),
            cell("assessed_aal_wan_per_yr", r.assessed_aal_wan_per_yr, 1),
            cell("ratio", ratio, 1),
            cell("recorded_deaths_per_yr", r.recorded_deaths_per_yr, 3),
            cell("assessed_deaths_per_yr", r.assessed_deaths_per_yr, 3),
            esc(&r.note)
        );
    }
    o.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use riskcensus_core::LevelScheme;

    #[test]
    fn the_target_is_met_at_one_percent_and_exceeded_above() {
        assert_eq!(target_verdict(1.0).1, "meets the plan's target");
        assert_eq!(target_verdict(0.47).1, "meets the plan's target");
        assert_eq!(target_verdict(1.0001).1, "exceeds the plan's target");
    }

    #[test]
    fn cells_keep_exact_values_and_levels_their_names() {
        assert_eq!(
            cell("aal_gdp_pct", Some(2.267944), 3),
            r#"<td class="num" data-field="aal_gdp_pct" data-value="2.267944">2.268</td>"#
        );
        assert!(cell("x", None, 1).contains("–"));
        let s = LevelScheme::generic(5);
        assert!(level_chip(&s, Some(1)).contains("#D7191C"));
        assert_eq!(level_chip(&s, None), "–");
        assert_eq!(structure_name("brick_wood"), "砖木 <code>brick_wood</code>");
    }
}
