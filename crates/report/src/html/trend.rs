//! The chapter "风险变化趋势 Risk trend" of the report (docs/scenarios.md), from the
//! tables of the trends and scenarios stages ([`crate::trend`]): the trends of the
//! record that are significant; the county's expected annual loss under the
//! baseline and every scenario with its Monte Carlo band (table and chart); the
//! townships under every scenario; the measures ranked by benefit–cost ratio; the
//! inputs the result is most sensitive to; the hindcast of the township ranking.
//!
//! Numbers carry their exact value in `data-value` beside the rounded text, as the
//! other chapters do; rows carry `data-scenario`, `data-measure` or
//! `data-trend-unit`.

use std::fmt::Write;

use riskcensus_core::LevelScheme;

use super::{cell, esc, level_chip};
use crate::chart::{bands_svg, signed_bars_svg, BandRow};
use crate::trend::TrendTables;

fn case_label(id: &str) -> String {
    if id == "baseline" {
        "现状 <span class=\"en\">baseline</span>".into()
    } else {
        format!("<code>{}</code>", esc(id))
    }
}

fn series_name(s: &str) -> &str {
    match s {
        "events" => "灾害事件数 events",
        "deaths" => "死亡人数 deaths",
        "loss" => "直接经济损失 direct loss",
        "rx1day" => "最大日降水 Rx1day",
        "rainstorm_days" => "暴雨日数 rainstorm days",
        "annual_precip" => "年降水量 annual precipitation",
        other => other,
    }
}

/// The chapter; `scheme` names the risk levels (the loss tables' `risk5`).
pub fn section(o: &mut String, n: usize, t: &TrendTables, scheme: Option<&LevelScheme>) {
    super::h2(o, "trend", n, "风险变化趋势", "Risk trend");
    lead(o, t);
    trends(o, t);
    county(o, t, scheme);
    townships(o, t);
    measures(o, t);
    sensitivity(o, t);
    hindcast(o, t);
}

fn lead(o: &mut String, t: &TrendTables) {
    let samples = t.bands.first().map_or(0, |b| b.samples);
    let _ = write!(
        o,
        "<p class=\"lead\">本章给出灾害记录中的变化趋势（Mann–Kendall 检验，Hamed–Rao 自相关修正，Sen 斜率）、\
         各情景（目标年的人口、资产与GDP增长，新建区，升温下的设计暴雨）下的年均损失与死亡、\
         规划措施的效益费用比、蒙特卡洛不确定性区间（{samples} 次抽样）及乡镇排序的回顾检验。\
         <span class=\"en\">Trends of the record (Mann–Kendall with the Hamed–Rao correction, Sen's slope); \
         the expected annual loss and deaths under each scenario (growth of population, building value and GDP \
         to its target year, new built-up areas, design rainfall under warming); the benefit–cost ratios of the \
         planned measures; Monte Carlo bands ({samples} samples) and the hindcast of the township ranking. \
         Figures are those of the census's loss models (docs/risk.md); the scenario files and the uncertain inputs \
         are named in the tables of <code>assess/</code> (docs/scenarios.md).</span></p>"
    );
}

fn trends(o: &mut String, t: &TrendTables) {
    let _ = write!(
        o,
        "<h3>记录中的趋势 <span class=\"en\">Trends in the record</span></h3>\
         <p>检验序列 {} 个，显著趋势 {} 个 <span class=\"en\">series tested {}, significant (Hamed–Rao) {}</span></p>",
        t.tested,
        t.significant.len(),
        t.tested,
        t.significant.len()
    );
    if t.significant.is_empty() {
        return;
    }
    o.push_str(
        "<table class=\"data\"><thead><tr><th>范围 scope</th><th>单元 unit</th><th>序列 series</th>\
         <th>年份 years</th><th>n</th><th>Sen 斜率/年 slope per year</th><th>p (Hamed–Rao)</th><th>趋势 trend</th></tr></thead><tbody>",
    );
    for r in &t.significant {
        let _ = write!(
            o,
            "<tr data-trend-unit=\"{}\"><td>{}</td><td>{}</td><td>{} <span class=\"en\">({})</span></td><td>{}–{}</td><td class=\"num\">{}</td>{}{}<td>{}</td></tr>",
            esc(&r.code),
            esc(&r.scope),
            esc(&r.name),
            esc(series_name(&r.series)),
            esc(&r.unit),
            r.years.0,
            r.years.1,
            r.n,
            cell("sen_slope_per_yr", r.slope, 3),
            cell("hr_p", r.p, 4),
            if r.trend == "increasing" { "上升 increasing" } else { "下降 decreasing" }
        );
    }
    o.push_str("</tbody></table>");
}

fn county(o: &mut String, t: &TrendTables, scheme: Option<&LevelScheme>) {
    let rows: Vec<_> = t
        .units
        .iter()
        .filter(|u| u.unit_level == "county")
        .collect();
    if rows.is_empty() {
        return;
    }
    o.push_str(
        "<h3>情景下的全县风险 <span class=\"en\">The county under each scenario</span></h3>\
         <table class=\"data\"><thead><tr><th>情景 scenario</th><th>目标年 target year</th>\
         <th>年均损失 AAL (万元/年)</th><th>年均死亡 deaths/yr</th><th>AAL/GDP (%)</th><th>风险等级 risk level</th>\
         <th>较现状 change (%)</th><th>5 %</th><th>95 %</th></tr></thead><tbody>",
    );
    let mut chart = Vec::new();
    for u in &rows {
        let band = t.band(&u.scenario, &u.unit_code);
        let _ = write!(
            o,
            "<tr data-scenario=\"{}\"><td>{}</td><td>{}</td>{}{}{}<td>{}</td>{}{}{}</tr>",
            esc(&u.scenario),
            case_label(&u.scenario),
            u.target_year.map_or("–".to_string(), |y| y.to_string()),
            cell("aal_wan_per_yr", u.aal, 1),
            cell("deaths_per_yr", u.deaths, 3),
            cell("aal_gdp_pct", u.aal_gdp_pct, 3),
            scheme.map_or("–".to_string(), |s| level_chip(s, u.risk_level)),
            cell("aal_change_pct", u.change_pct, 1),
            cell("aal_p5", band.and_then(|b| b.p5), 1),
            cell("aal_p95", band.and_then(|b| b.p95), 1),
        );
        if let Some(b) = band {
            chart.push(BandRow {
                label: u.scenario.clone(),
                p5: b.p5.unwrap_or(f64::NAN),
                p50: b.p50.unwrap_or(f64::NAN),
                p95: b.p95.unwrap_or(f64::NAN),
                nominal: u.aal.unwrap_or(f64::NAN),
            });
        }
    }
    o.push_str("</tbody></table>");
    if let Some(svg) = bands_svg(
        "county AAL per scenario, 5–95 % band",
        "年均损失 AAL 万元/年 (bar 5–95 %, tick median, dot loss route)",
        &chart,
    ) {
        let _ = write!(
            o,
            "<figure>{svg}<figcaption>全县年均损失的不确定性区间 <span class=\"en\">County AAL per scenario: 5–95 % of the Monte Carlo (bar), median (tick), the loss route's figure (dot)</span></figcaption></figure>"
        );
    }
}

fn townships(o: &mut String, t: &TrendTables) {
    let cases = t.cases();
    let mut towns: Vec<(&str, &str)> = Vec::new();
    for u in t.units.iter().filter(|u| u.unit_level == "township") {
        if !towns.iter().any(|(c, _)| *c == u.unit_code) {
            towns.push((&u.unit_code, &u.unit_name));
        }
    }
    if towns.is_empty() {
        return;
    }
    o.push_str(
        "<h3>各乡镇 <span class=\"en\">Townships</span></h3><table class=\"data\"><thead><tr><th>乡镇 township</th>",
    );
    for c in &cases {
        let _ = write!(o, "<th>{} AAL (万元/年)</th>", case_label(c));
        if c != "baseline" {
            o.push_str("<th>较现状 change (%)</th>");
        }
    }
    o.push_str("<th>现状 5–95 % baseline band</th></tr></thead><tbody>");
    for (code, name) in towns {
        let _ = write!(
            o,
            "<tr data-trend-unit=\"{}\"><td>{}</td>",
            esc(code),
            esc(name)
        );
        for c in &cases {
            let u = t
                .units
                .iter()
                .find(|u| &u.scenario == c && u.unit_code == code);
            o.push_str(&cell("aal_wan_per_yr", u.and_then(|u| u.aal), 1));
            if c != "baseline" {
                o.push_str(&cell("aal_change_pct", u.and_then(|u| u.change_pct), 1));
            }
        }
        let band = t.band("baseline", code);
        let _ = write!(
            o,
            "<td class=\"num\">{}</td></tr>",
            match band.and_then(|b| b.p5.zip(b.p95)) {
                Some((a, b)) => format!("{a:.0}–{b:.0}"),
                None => "–".into(),
            }
        );
    }
    o.push_str("</tbody></table>");
}

fn measures(o: &mut String, t: &TrendTables) {
    if t.measures.is_empty() {
        return;
    }
    let (rate, years) = t.measures[0].discount;
    let _ = write!(
        o,
        "<h3>规划措施的效益与费用 <span class=\"en\">Planned measures, by benefit–cost ratio</span></h3>\
         <p>效益为措施避免的年均损失（该情景无措施与仅有该措施之差），折现率 {} ，期限 {} 年。\
         <span class=\"en\">Benefit = the AAL a measure averts (its scenario without measures minus with it alone), \
         discounted at {} over {} years.</span></p>\
         <table class=\"data\"><thead><tr><th>排序 rank</th><th>情景 scenario</th><th>措施 measure</th>\
         <th>投资 cost (万元)</th><th>避免损失 averted AAL (万元/年)</th><th>避免死亡 averted deaths/yr</th>\
         <th>效益现值 PV benefit (万元)</th><th>费用现值 PV cost (万元)</th><th>效益费用比 BCR</th><th>说明 note</th></tr></thead><tbody>",
        rate.map_or("–".into(), |r| format!("{:.1} %", r * 100.0)),
        years.map_or("–".into(), |y| y.to_string()),
        rate.map_or("–".into(), |r| format!("{:.1} %", r * 100.0)),
        years.map_or("–".into(), |y| y.to_string()),
    );
    for m in &t.measures {
        let _ = write!(
            o,
            "<tr data-measure=\"{}\" data-scenario=\"{}\"><td class=\"num\">{}</td><td><code>{}</code></td><td>{} <span class=\"en\">({})</span></td>{}{}{}{}{}{}<td>{}</td></tr>",
            esc(&m.measure),
            esc(&m.scenario),
            m.rank,
            esc(&m.scenario),
            esc(&m.name),
            esc(&m.kind),
            cell("cost_wan", m.cost, 0),
            cell("averted_aal_wan_per_yr", m.averted_aal, 1),
            cell("averted_deaths_per_yr", m.averted_deaths, 4),
            cell("pv_benefit_wan", m.pv_benefit, 0),
            cell("pv_cost_wan", m.pv_cost, 0),
            cell("bcr", m.bcr, 2),
            esc(&m.note)
        );
    }
    o.push_str("</tbody></table>");
}

fn sensitivity(o: &mut String, t: &TrendTables) {
    if t.sensitivity.is_empty() {
        return;
    }
    o.push_str(
        "<h3>敏感性 <span class=\"en\">Sensitivity: Spearman's ρ of each uncertain input with the county AAL</span></h3>",
    );
    for c in t.cases() {
        let rows: Vec<(String, f64)> = t
            .sensitivity
            .iter()
            .filter(|s| s.scenario == c)
            .map(|s| (s.input.clone(), s.rho.unwrap_or(f64::NAN)))
            .collect();
        if let Some(svg) = signed_bars_svg(&format!("sensitivity, {c}"), &rows) {
            let _ = write!(
                o,
                "<figure data-scenario=\"{}\">{svg}<figcaption>{}：输入与全县年均损失的秩相关 <span class=\"en\">rank correlation of each input with the county AAL</span></figcaption></figure>",
                esc(&c),
                case_label(&c)
            );
        }
    }
}

fn hindcast(o: &mut String, t: &TrendTables) {
    let Some(first) = t.hindcast.first() else {
        return;
    };
    let f = |v: Option<f64>, d: usize| v.map_or("–".into(), |v| format!("{v:.d$}"));
    let _ = write!(
        o,
        "<h3>回顾检验 <span class=\"en\">Hindcast of the township ranking</span></h3>\
         <p>以 {y} 年及以前的暴露与灾情预测各乡镇的年均损失，与 {y} 年以后记录的直接经济损失比较：\
         Spearman ρ = {rho}（置换检验 p = {p}）；仅用以往记录 ρ = {rn}（p = {pn}）。\
         <span class=\"en\">The loss route on the buildings standing in {y} plus the record up to {y}, \
         against the losses recorded after it: Spearman's ρ = {rho} (permutation p = {p}); the record alone ρ = {rn} (p = {pn}).</span></p>\
         <table class=\"data\"><thead><tr><th>乡镇 township</th><th>预测 predicted AAL (万元/年)</th>\
         <th>此前记录 recorded before (万元)</th><th>此后记录 recorded after (万元)</th><th>预测排序 rank predicted</th><th>实际排序 rank after</th></tr></thead><tbody>",
        y = first.split_year,
        rho = f(first.rho, 2),
        p = f(first.p, 3),
        rn = f(first.rho_naive, 2),
        pn = f(first.p_naive, 3),
    );
    for r in &t.hindcast {
        let _ = write!(
            o,
            "<tr data-trend-unit=\"{}\"><td>{}</td>{}{}{}{}{}</tr>",
            esc(&r.unit_code),
            esc(&r.unit_name),
            cell("predicted_aal_wan_per_yr", r.predicted, 1),
            cell("recorded_before_wan", r.before, 1),
            cell("recorded_after_wan", r.after, 1),
            cell("rank_predicted", r.rank_predicted, 1),
            cell("rank_after", r.rank_after, 1),
        );
    }
    o.push_str("</tbody></table>");
}
