//! The chapter "地震灾害隐患等级（暂定） Earthquake hidden-danger grades
//! (provisional)" of the report, from the earthquake stage's grade tables
//! ([`crate::grades`]): the provisional note, the county's shares, the grades per
//! structure type and per township. Counts and shares carry their exact value in
//! `data-value`; rows carry `data-grade-structure` or `data-grade-unit` (not
//! `data-unit`, which marks the rows of the township tables).

use std::fmt::Write;

use super::{cell, esc};
use crate::grades::{GradeRow, GradeTables};

/// The chapter.
pub fn section(o: &mut String, n: usize, t: &GradeTables) {
    super::h2(
        o,
        "eq-grades",
        n,
        "地震灾害隐患等级（暂定）",
        "Earthquake hidden-danger grades (provisional)",
    );
    let county = t.county();
    let pct = |k: usize| county.and_then(|c| c.share(k)).map_or(0.0, |s| 100.0 * s);
    let _ = write!(
        o,
        r#"<p class="note" id="eq-grades-provisional"><b>房屋地震灾害隐患等级为暂定值（PROVISIONAL）</b>：普查技术规范中的单体隐患指数原文未到手，现用等级由抗震设防水平与当地要求（含峰值加速度分档与设防类别）、变形损伤与建造年代按本项目暂定规则评定（docs/earthquake.md），不是规范指数的结果；各表 <code>grade_basis</code> 列注明：{}。<span class="en">The buildings' earthquake hidden-danger grades are PROVISIONAL: the census specification's single-building index was not in hand, so the grade is this project's rule from the fortification against the local requirement (with the PGA sub-zone and the fortification category), deformation and era — not the specification's index, as the grade_basis column of every table says.</span></p>
<p>全县 {} 栋房屋中，重点隐患 {:.1}%，一般隐患 {:.1}%，轻微隐患 {:.1}%。<span class="en">Of the county's {} buildings, {:.1} % are graded 重点 (key), {:.1} % 一般 (general) and {:.1} % 轻微 (minor).</span></p>"#,
        esc(&t.basis),
        county.map_or(0, GradeRow::total),
        pct(0),
        pct(1),
        pct(2),
        county.map_or(0, GradeRow::total),
        pct(0),
        pct(1),
        pct(2),
    );
    table(
        o,
        "eq-grades-structure",
        "按结构类型",
        "per structure type",
        "结构 structure",
        &t.structures,
        "structure",
    );
    if !t.townships.is_empty() {
        table(
            o,
            "eq-grades-township",
            "按乡镇",
            "per township",
            "乡镇 township",
            &t.townships,
            "unit",
        );
    }
}

fn table(o: &mut String, id: &str, zh: &str, en: &str, head: &str, rows: &[GradeRow], key: &str) {
    let _ = write!(
        o,
        r#"<h3 id="{id}">{zh} <span class="en">{en} (provisional)</span></h3><table class="{id}"><thead><tr><th>{head}</th><th class="num">房屋 buildings</th><th class="num">重点 key</th><th class="num">一般 general</th><th class="num">轻微 minor</th><th class="num">重点 %</th><th class="num">一般 %</th><th class="num">轻微 %</th></tr></thead><tbody>"#
    );
    for r in rows {
        let count = |f: &str, v: u64| cell(f, Some(v as f64), 0);
        let share = |f: &str, k: usize| cell(f, r.share(k).map(|s| 100.0 * s), 1);
        let _ = write!(
            o,
            r#"<tr data-grade-{key}="{}"><td>{} <span class="en">{}</span></td>{}{}{}{}{}{}{}</tr>"#,
            esc(&r.code),
            esc(&r.name),
            esc(&r.code),
            count("buildings", r.total()),
            count("grade1_key", r.counts[0]),
            count("grade2_general", r.counts[1]),
            count("grade3_minor", r.counts[2]),
            share("grade1_key_pct", 0),
            share("grade2_general_pct", 1),
            share("grade3_minor_pct", 2),
        );
    }
    o.push_str("</tbody></table>");
}
