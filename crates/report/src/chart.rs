//! Inline SVG charts for the report: area per level by township as stacked
//! horizontal bars (one bar per township, one segment per level, km²).

use std::fmt::Write;

use crate::html::esc;
use crate::map::LegendClass;
use crate::run::UnitLevel;

/// Stacked bars of `area_km2` per level for each township of `layer`, townships in
/// the order they first appear in `rows`, levels in code order coloured by `legend`.
/// Returns `None` when the layer has no rows.
pub fn area_by_level_svg(
    layer: &str,
    rows: &[UnitLevel],
    legend: &[LegendClass],
) -> Option<String> {
    let mut units: Vec<(String, String)> = Vec::new();
    for r in rows.iter().filter(|r| r.layer == layer) {
        if !units.iter().any(|(c, _)| *c == r.unit_code) {
            units.push((r.unit_code.clone(), r.unit_name.clone()));
        }
    }
    if units.is_empty() {
        return None;
    }
    let area = |code: &str, level: i64| -> f64 {
        rows.iter()
            .filter(|r| r.layer == layer && r.unit_code == code && r.level == level)
            .map(|r| r.area_km2)
            .sum()
    };
    let totals: Vec<f64> = units
        .iter()
        .map(|(c, _)| legend.iter().map(|l| area(c, l.code as i64)).sum())
        .collect();
    let max = totals.iter().cloned().fold(0.0, f64::max);
    if max.is_nan() || max <= 0.0 {
        return None;
    }
    let (label_w, bar_w, row_h, top) = (120.0, 560.0, 26.0, 40.0);
    let width = label_w + bar_w + 90.0;
    let height = top + row_h * units.len() as f64 + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}">"#,
        esc(&format!("area per level by township: {layer}"))
    );
    // Legend row.
    let mut lx = label_w;
    for l in legend {
        let _ = write!(
            s,
            r##"<rect x="{lx}" y="8" width="14" height="14" fill="#{:02X}{:02X}{:02X}" stroke="#666" stroke-width="0.5"/><text x="{}" y="20" font-size="12">{}</text>"##,
            l.rgb[0],
            l.rgb[1],
            l.rgb[2],
            lx + 18.0,
            esc(&l.name_zh)
        );
        lx += 30.0 + 13.0 * l.name_zh.chars().count() as f64;
    }
    for (i, ((code, name), total)) in units.iter().zip(&totals).enumerate() {
        let y = top + i as f64 * row_h;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="13" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + 16.0,
            esc(name)
        );
        let mut x = label_w;
        for l in legend {
            let a = area(code, l.code as i64);
            if a <= 0.0 {
                continue;
            }
            let w = a / max * bar_w;
            let _ = write!(
                s,
                r##"<rect x="{x:.2}" y="{y}" width="{w:.2}" height="{}" fill="#{:02X}{:02X}{:02X}" stroke="#fff" stroke-width="0.5"><title>{} {}: {a:.2} km²</title></rect>"##,
                row_h - 6.0,
                l.rgb[0],
                l.rgb[1],
                l.rgb[2],
                esc(name),
                esc(&l.name_zh)
            );
            x += w;
        }
        let _ = write!(
            s,
            r##"<text x="{:.2}" y="{}" font-size="12" fill="#444">{total:.1} km²</text>"##,
            x + 6.0,
            y + 15.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{label_w}" y1="{}" x2="{}" y2="{}" stroke="#999"/><text x="{}" y="{}" font-size="11" fill="#666" text-anchor="end">{max:.1} km²</text></svg>"##,
        height - 24.0,
        label_w + bar_w,
        height - 24.0,
        label_w + bar_w,
        height - 8.0
    );
    Some(s)
}

/// A validation curve: name, colour and points in [0, 1]² (x ascending).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Legend text (e.g. `ROC (test)`).
    pub name: String,
    /// Stroke colour, as SVG accepts it (`#b2182b`).
    pub colour: &'static str,
    /// `(x, y)` points in [0, 1]², x ascending; values outside are clamped.
    pub points: Vec<(f64, f64)>,
}

/// Curves in the unit square (ROC: false- vs true-positive rate; success and
/// prediction rates: cumulative area vs hazard fraction, Chung & Fabbri 2003), with
/// the 1:1 line of a classifier no better than chance.
pub fn curves_svg(x_label: &str, y_label: &str, curves: &[Curve]) -> String {
    let (x0, y0, size) = (56.0, 16.0, 300.0);
    let (w, h) = (x0 + size + 230.0, y0 + size + 50.0);
    let px = |x: f64| x0 + x.clamp(0.0, 1.0) * size;
    let py = |y: f64| y0 + (1.0 - y.clamp(0.0, 1.0)) * size;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><rect x="{x0}" y="{y0}" width="{size}" height="{size}" fill="#fff" stroke="#999"/>"##,
        esc(&format!("{y_label} vs {x_label}"))
    );
    for t in [0.25, 0.5, 0.75] {
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{y0}" x2="{}" y2="{}" stroke="#eee"/><line x1="{x0}" y1="{}" x2="{}" y2="{}" stroke="#eee"/>"##,
            px(t),
            px(t),
            y0 + size,
            py(t),
            x0 + size,
            py(t)
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#aaa" stroke-dasharray="4 3"/>"##,
        px(0.0),
        py(0.0),
        px(1.0),
        py(1.0)
    );
    for (i, c) in curves.iter().enumerate() {
        let pts: Vec<String> = c
            .points
            .iter()
            .map(|(x, y)| format!("{:.2},{:.2}", px(*x), py(*y)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
            c.colour,
            pts.join(" ")
        );
        let ly = y0 + 14.0 + i as f64 * 20.0;
        let _ = write!(
            s,
            r#"<line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="{}" stroke-width="3"/><text x="{}" y="{}" font-size="12">{}</text>"#,
            x0 + size + 16.0,
            x0 + size + 40.0,
            c.colour,
            x0 + size + 46.0,
            ly + 4.0,
            esc(&c.name)
        );
    }
    for t in [0.0, 0.5, 1.0] {
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#555">{t}</text><text x="{}" y="{}" font-size="11" text-anchor="end" fill="#555">{t}</text>"##,
            px(t),
            y0 + size + 14.0,
            x0 - 4.0,
            py(t) + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" font-size="12" text-anchor="middle">{}</text><text x="14" y="{}" font-size="12" text-anchor="middle" transform="rotate(-90 14 {})">{}</text></svg>"##,
        x0 + size / 2.0,
        y0 + size + 36.0,
        esc(x_label),
        y0 + size / 2.0,
        y0 + size / 2.0,
        esc(y_label)
    );
    s
}

/// Points `(x, y)` of a CSV whose header names `x_col` and `y_col`, read with the
/// `csv` crate (quoted fields, commas inside names); rows whose two values do not
/// parse as numbers are skipped. `None` when the columns are absent.
pub fn csv_points(text: &str, x_col: &str, y_col: &str) -> Option<Vec<(f64, f64)>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = r.headers().ok()?.clone();
    let xi = header.iter().position(|h| h == x_col)?;
    let yi = header.iter().position(|h| h == y_col)?;
    let mut pts = Vec::new();
    for rec in r.records().flatten() {
        if let (Some(Ok(x)), Some(Ok(y))) = (
            rec.get(xi).map(str::parse::<f64>),
            rec.get(yi).map(str::parse::<f64>),
        ) {
            pts.push((x, y));
        }
    }
    Some(pts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_points_reads_quoted_fields_with_commas() {
        let text = "name,fpr,tpr\n\"镇, \"\"东\"\"\",0.1,0.5\nplain,0.2,0.7\nbad,x,0.9\n";
        assert_eq!(
            csv_points(text, "fpr", "tpr").unwrap(),
            vec![(0.1, 0.5), (0.2, 0.7)]
        );
        assert!(csv_points(text, "fpr", "none").is_none());
    }

    fn row(code: &str, level: i64, area: f64) -> UnitLevel {
        UnitLevel {
            unit_code: code.into(),
            unit_name: format!("镇{code}"),
            layer: "flood_risk".into(),
            level,
            level_zh: String::new(),
            area_km2: area,
            share: 0.0,
            population: 0.0,
            buildings: 0.0,
            value_wan: 0.0,
            hidden_dangers: 0.0,
        }
    }

    #[test]
    fn bars_are_proportional_to_area() {
        let legend: Vec<LegendClass> = [(1u8, [215, 25, 28]), (2, [253, 174, 97])]
            .iter()
            .map(|(code, rgb)| LegendClass {
                code: *code,
                name_zh: "高".into(),
                name_en: "high".into(),
                rgb: *rgb,
                range: None,
            })
            .collect();
        // Township a: 3 + 1 = 4 km² (the maximum → 560 px), b: 2 km² at level 2.
        let rows = vec![row("a", 1, 3.0), row("a", 2, 1.0), row("b", 2, 2.0)];
        let svg = area_by_level_svg("flood_risk", &rows, &legend).unwrap();
        assert!(svg.contains(r#"width="420.00""#), "3/4 of 560 px");
        assert!(svg.contains(r#"width="140.00""#), "1/4 of 560 px");
        assert!(svg.contains(r#"width="280.00""#), "2/4 of 560 px");
        assert!(svg.contains("#D7191C"));
        assert!(area_by_level_svg("other", &rows, &legend).is_none());
    }

    #[test]
    fn curve_points_come_from_named_columns() {
        let csv = "threshold,fpr,tpr\n,0,0\n0.5,0.25,0.75\n0.1,1,1\n";
        assert_eq!(
            csv_points(csv, "fpr", "tpr").unwrap(),
            vec![(0.0, 0.0), (0.25, 0.75), (1.0, 1.0)]
        );
        assert!(csv_points(csv, "area_fraction", "tpr").is_none());
        let svg = curves_svg(
            "fpr",
            "tpr",
            &[Curve {
                name: "ROC".into(),
                colour: "#c00",
                points: vec![(0.0, 0.0), (0.25, 0.75), (1.0, 1.0)],
            }],
        );
        // x0 = 56, y0 = 16, 300 px square: (0.25, 0.75) → (131, 91).
        assert!(
            svg.contains("56.00,316.00 131.00,91.00 356.00,16.00"),
            "{svg}"
        );
    }
}
