//! Inline SVG charts for the report: area per level by township as stacked
//! horizontal bars (one bar per township, one segment per level, km²), validation
//! curves in the unit square, and loss-exceedance curves (loss against annual
//! exceedance rate on a log axis).

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

/// One loss-exceedance curve: a unit's event losses against the events' annual
/// exceedance rates.
#[derive(Debug, Clone, PartialEq)]
pub struct LossCurve {
    /// Legend text (the unit's name).
    pub name: String,
    /// Stroke colour, as SVG accepts it.
    pub colour: String,
    /// Drawn thick (the county).
    pub bold: bool,
    /// `(loss 万元, annual exceedance rate 1/yr, event name)`; points whose rate is
    /// not positive or whose loss is not finite are left out. Drawn in order of
    /// decreasing rate.
    pub points: Vec<(f64, f64, String)>,
}

/// A log₁₀ axis over whole decades `10^lo ..= 10^hi`, mapped onto `[top, top + len]`
/// with the largest value at the top: a value v lies at
/// `top + len · (hi − log₁₀ v) / (hi − lo)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogAxis {
    /// Exponent of the lowest decade.
    pub lo: i32,
    /// Exponent of the highest decade.
    pub hi: i32,
    /// Pixel of `10^hi`.
    pub top: f64,
    /// Pixel length of the axis.
    pub len: f64,
}

impl LogAxis {
    /// The whole decades enclosing the positive finite `values` (at least one
    /// decade); `None` when there is none.
    pub fn enclosing(values: impl IntoIterator<Item = f64>, top: f64, len: f64) -> Option<Self> {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values {
            if v > 0.0 && v.is_finite() {
                min = min.min(v);
                max = max.max(v);
            }
        }
        if !min.is_finite() {
            return None;
        }
        // Round the logs so a value printed as 0.01 is exactly on its decade.
        let round = |v: f64| (v.log10() * 1e9).round() / 1e9;
        let lo = round(min).floor() as i32;
        let hi = (round(max).ceil() as i32).max(lo + 1);
        Some(Self { lo, hi, top, len })
    }

    /// Pixel of `v` (clamped to the axis).
    pub fn pos(&self, v: f64) -> f64 {
        let l = v.log10().clamp(self.lo as f64, self.hi as f64);
        self.top + self.len * (self.hi as f64 - l) / (self.hi - self.lo) as f64
    }
}

/// Ticks of a linear axis from 0 covering `max` (> 0): the step is the smallest of
/// 1, 2, 2.5, 5 × 10ⁿ giving at most six intervals, the end the first multiple of
/// the step not below `max`. Returns `(step, end)`.
pub fn linear_ticks(max: f64) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 || !max.is_finite() {
        return (0.2, 1.0);
    }
    let raw = max / 6.0;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * p);
    let n = (max / step * (1.0 - 1e-12)).ceil().max(1.0);
    (step, n * step)
}

/// A tick label of a linear axis: thousands grouped, decimals only when the step
/// needs them.
fn tick_label(v: f64, step: f64) -> String {
    let d = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil().max(0.0) as usize
    };
    if d == 0 {
        crate::map::group_thousands(v.round().max(0.0) as u64)
    } else {
        format!("{v:.d$}")
    }
}

/// A return period in years from a rate, e.g. `100`, `2 475`.
fn return_period_label(rate: f64) -> String {
    let t = 1.0 / rate;
    if t >= 1.0 {
        crate::map::group_thousands(t.round() as u64)
    } else {
        format!("{t:.2}")
    }
}

/// Loss-exceedance curves: x = loss (万元, linear from 0), y = annual exceedance
/// rate on a log₁₀ axis (whole decades), return periods (1/rate, years) on the right
/// axis. One thin line per township, the bold county line on top with its event
/// points labelled. Deterministic: coordinates with two decimals, curves in the
/// order given. `None` when no curve has a point.
pub fn exceedance_svg(title: &str, curves: &[LossCurve]) -> Option<String> {
    let (x0, y0, pw, ph) = (84.0, 20.0, 520.0, 320.0);
    let pts: Vec<Vec<&(f64, f64, String)>> = curves
        .iter()
        .map(|c| {
            let mut v: Vec<&(f64, f64, String)> = c
                .points
                .iter()
                .filter(|(l, r, _)| l.is_finite() && *r > 0.0 && r.is_finite())
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.total_cmp(&b.0)));
            v
        })
        .collect();
    let y = LogAxis::enclosing(pts.iter().flatten().map(|p| p.1), y0, ph)?;
    let max_loss = pts.iter().flatten().map(|p| p.0).fold(0.0, f64::max);
    let (step, x_max) = linear_ticks(max_loss);
    let px = |l: f64| x0 + (l / x_max).clamp(0.0, 1.0) * pw;
    let legend_x = x0 + pw + 70.0;
    let rows = curves.len() as f64;
    let (w, h) = (
        legend_x + 170.0,
        (y0 + ph + 56.0).max(y0 + 18.0 * rows + 10.0),
    );
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart loss-exceedance" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="#fff" stroke="#999"/>"##,
        esc(title)
    );
    // Decades (with minor ticks at 2…9) and the return periods on the right.
    for e in y.lo..=y.hi {
        let v = 10f64.powi(e);
        let py = y.pos(v);
        if e > y.lo && e < y.hi {
            let _ = write!(
                s,
                r##"<line x1="{x0}" y1="{py:.2}" x2="{}" y2="{py:.2}" stroke="#e4e4e4"/>"##,
                x0 + pw
            );
        }
        let _ = write!(
            s,
            r##"<text x="{}" y="{:.2}" font-size="11" text-anchor="end" fill="#555">10<tspan dy="-5" font-size="8">{e}</tspan></text><text x="{}" y="{:.2}" font-size="11" fill="#555">{}</text>"##,
            x0 - 6.0,
            py + 4.0,
            x0 + pw + 6.0,
            py + 4.0,
            return_period_label(v)
        );
        if e < y.hi {
            for m in 2..10 {
                let my = y.pos(v * m as f64);
                let _ = write!(
                    s,
                    r##"<line x1="{x0}" y1="{my:.2}" x2="{}" y2="{my:.2}" stroke="#999"/>"##,
                    x0 + 4.0
                );
            }
        }
    }
    // Loss ticks.
    let ticks = (x_max / step).round() as usize;
    for i in 0..=ticks {
        let v = step * i as f64;
        let x = px(v);
        if i > 0 && i < ticks {
            let _ = write!(
                s,
                r##"<line x1="{x:.2}" y1="{y0}" x2="{x:.2}" y2="{}" stroke="#eee"/>"##,
                y0 + ph
            );
        }
        let _ = write!(
            s,
            r##"<text x="{x:.2}" y="{}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
            y0 + ph + 15.0,
            tick_label(v, step)
        );
    }
    // Townships first, the bold county on top.
    let order: Vec<usize> = (0..curves.len())
        .filter(|i| !curves[*i].bold)
        .chain((0..curves.len()).filter(|i| curves[*i].bold))
        .collect();
    for i in order {
        let (c, p) = (&curves[i], &pts[i]);
        if p.is_empty() {
            continue;
        }
        let line: Vec<String> = p
            .iter()
            .map(|(l, r, _)| format!("{:.2},{:.2}", px(*l), y.pos(*r)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" points="{}"><title>{}</title></polyline>"#,
            esc(&c.colour),
            if c.bold { 3.5 } else { 1.4 },
            line.join(" "),
            esc(&c.name)
        );
        if c.bold {
            for (l, r, ev) in p {
                let (cx, cy) = (px(*l), y.pos(*r));
                let _ = write!(
                    s,
                    r##"<circle cx="{cx:.2}" cy="{cy:.2}" r="3.5" fill="{}"><title>{} {}: {l:.1} 万元, {r} /yr</title></circle><text x="{:.2}" y="{:.2}" font-size="10" fill="#333">{}</text>"##,
                    esc(&c.colour),
                    esc(&c.name),
                    esc(ev),
                    cx + 6.0,
                    cy - 5.0,
                    esc(ev)
                );
            }
        }
    }
    // Legend, in the order given.
    for (i, c) in curves.iter().enumerate() {
        let ly = y0 + 8.0 + i as f64 * 18.0;
        let _ = write!(
            s,
            r#"<line x1="{legend_x}" y1="{ly}" x2="{}" y2="{ly}" stroke="{}" stroke-width="{}"/><text x="{}" y="{}" font-size="11"{}>{}</text>"#,
            legend_x + 22.0,
            esc(&c.colour),
            if c.bold { 3.5 } else { 2.0 },
            legend_x + 28.0,
            ly + 4.0,
            if c.bold { r#" font-weight="bold""# } else { "" },
            esc(&c.name)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" font-size="12" text-anchor="middle">损失 loss (万元 10⁴ CNY)</text><text x="16" y="{}" font-size="12" text-anchor="middle" transform="rotate(-90 16 {})">年超越概率 annual rate (1/yr)</text><text x="{}" y="{}" font-size="12" text-anchor="middle" transform="rotate(90 {} {})">重现期 return period (yr)</text></svg>"##,
        x0 + pw / 2.0,
        y0 + ph + 36.0,
        y0 + ph / 2.0,
        y0 + ph / 2.0,
        x0 + pw + 56.0,
        y0 + ph / 2.0,
        x0 + pw + 56.0,
        y0 + ph / 2.0
    );
    Some(s)
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

/// One row of [`bands_svg`]: a label, the 5/50/95 % of a quantity and its
/// nominal (deterministic) value.
#[derive(Debug, Clone, PartialEq)]
pub struct BandRow {
    /// Label.
    pub label: String,
    /// 5 %, 50 %, 95 %.
    pub p5: f64,
    /// …
    pub p50: f64,
    /// …
    pub p95: f64,
    /// The nominal value (NaN: none).
    pub nominal: f64,
}

/// Uncertainty bands as horizontal whiskers on a linear axis from 0: the 5–95 %
/// range as a bar, the median as a tick, the nominal value as a dot. Rows in the
/// order given; `None` without a finite band.
pub fn bands_svg(title: &str, unit: &str, rows: &[BandRow]) -> Option<String> {
    let max = rows
        .iter()
        .flat_map(|r| [r.p95, r.nominal])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if rows.is_empty() || max <= 0.0 {
        return None;
    }
    let (step, x_max) = linear_ticks(max);
    let (label_w, pw, row_h, top) = (190.0, 460.0, 26.0, 16.0);
    let (w, h) = (label_w + pw + 30.0, top + row_h * rows.len() as f64 + 40.0);
    let px = |v: f64| label_w + (v / x_max).clamp(0.0, 1.0) * pw;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart bands" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"##,
        esc(title)
    );
    let ticks = (x_max / step).round() as usize;
    let bottom = top + row_h * rows.len() as f64;
    for i in 0..=ticks {
        let v = step * i as f64;
        let x = px(v);
        let _ = write!(
            s,
            r##"<line x1="{x:.2}" y1="{top}" x2="{x:.2}" y2="{bottom}" stroke="#eee"/><text x="{x:.2}" y="{:.2}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
            bottom + 14.0,
            tick_label(v, step)
        );
    }
    let _ = write!(
        s,
        r##"<text x="{:.2}" y="{:.2}" font-size="11" text-anchor="middle" fill="#333">{}</text>"##,
        label_w + pw / 2.0,
        bottom + 30.0,
        esc(unit)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        let _ = write!(
            s,
            r##"<text x="{:.2}" y="{:.2}" font-size="12" text-anchor="end">{}</text>"##,
            label_w - 8.0,
            y + 4.0,
            esc(&r.label)
        );
        if r.p5.is_finite() && r.p95.is_finite() {
            let _ = write!(
                s,
                r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="10" fill="#9ecae1" stroke="#3182bd"><title>{}: 5 % {:.1}, 50 % {:.1}, 95 % {:.1}</title></rect>"##,
                px(r.p5),
                y - 5.0,
                (px(r.p95) - px(r.p5)).max(1.0),
                esc(&r.label),
                r.p5,
                r.p50,
                r.p95
            );
        }
        if r.p50.is_finite() {
            let x = px(r.p50);
            let _ = write!(
                s,
                r##"<line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{:.2}" stroke="#08519c" stroke-width="2"/>"##,
                y - 8.0,
                y + 8.0
            );
        }
        if r.nominal.is_finite() {
            let _ = write!(
                s,
                r##"<circle cx="{:.2}" cy="{y:.2}" r="3.5" fill="#d62728"><title>nominal {:.1}</title></circle>"##,
                px(r.nominal),
                r.nominal
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
}

/// Signed horizontal bars of values in [−1, 1] (rank correlations), one row per
/// (label, value) in the order given; `None` without a finite value.
pub fn signed_bars_svg(title: &str, rows: &[(String, f64)]) -> Option<String> {
    if !rows.iter().any(|r| r.1.is_finite()) {
        return None;
    }
    let (label_w, pw, row_h, top) = (230.0, 400.0, 22.0, 10.0);
    let (w, h) = (label_w + pw + 60.0, top + row_h * rows.len() as f64 + 30.0);
    let zero = label_w + pw / 2.0;
    let px = |v: f64| zero + v.clamp(-1.0, 1.0) * pw / 2.0;
    let bottom = top + row_h * rows.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart sensitivity" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}">"##,
        esc(title)
    );
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let x = px(v);
        let _ = write!(
            s,
            r##"<line x1="{x:.2}" y1="{top}" x2="{x:.2}" y2="{bottom}" stroke="{}"/><text x="{x:.2}" y="{:.2}" font-size="11" text-anchor="middle" fill="#555">{v}</text>"##,
            if v == 0.0 { "#999" } else { "#eee" },
            bottom + 14.0
        );
    }
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        let _ = write!(
            s,
            r##"<text x="{:.2}" y="{:.2}" font-size="12" text-anchor="end">{}</text>"##,
            label_w - 8.0,
            y + 4.0,
            esc(label)
        );
        if v.is_finite() {
            let (a, b) = (px(0.0).min(px(*v)), px(0.0).max(px(*v)));
            let _ = write!(
                s,
                r##"<rect x="{a:.2}" y="{:.2}" width="{:.2}" height="12" fill="{}"><title>{}: {v:.3}</title></rect>"##,
                y - 6.0,
                (b - a).max(0.5),
                if *v >= 0.0 { "#de2d26" } else { "#3182bd" },
                esc(label)
            );
        }
    }
    s.push_str("</svg>");
    Some(s)
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

    #[test]
    fn exceedance_rates_sit_on_a_log_axis() {
        // Rates 0.1 … 0.001 span decades 10⁻³ … 10⁻¹: 300 px from y = 16 put 0.01 at
        // the middle (166), 0.001 at the bottom (316), 10^-1.5 at 16 + 300·0.25.
        let a = LogAxis::enclosing([0.1, 0.01, 0.001, 0.0, f64::NAN], 16.0, 300.0).unwrap();
        assert_eq!((a.lo, a.hi), (-3, -1));
        assert_eq!(a.pos(0.1), 16.0);
        assert!((a.pos(0.01) - 166.0).abs() < 1e-9);
        assert!((a.pos(0.001) - 316.0).abs() < 1e-9);
        assert!((a.pos(10f64.powf(-1.5)) - 91.0).abs() < 1e-9);
        // GB 18306 rare ground motion, 1/2475 yr, lies inside the decade 10⁻⁴…10⁻³.
        let b = LogAxis::enclosing([1.0 / 2475.0, 0.0021], 0.0, 100.0).unwrap();
        assert_eq!((b.lo, b.hi), (-4, -2));
        assert!(LogAxis::enclosing([0.0, -1.0], 0.0, 1.0).is_none());
        // Demo flood (county 200-year loss 4.43e6 万元) and earthquake (1.33e7) axes.
        assert_eq!(linear_ticks(4434757.0), (1.0e6, 5.0e6));
        assert_eq!(linear_ticks(13_300_000.0), (2.5e6, 1.5e7));
        assert_eq!(linear_ticks(1000.0), (200.0, 1000.0));
        assert_eq!(linear_ticks(0.0), (0.2, 1.0));
    }

    #[test]
    fn exceedance_curves_place_the_county_points() {
        let curve = |name: &str, bold, pts: &[(f64, f64)]| LossCurve {
            name: name.into(),
            colour: if bold {
                "#000".into()
            } else {
                "#4E79A7".into()
            },
            bold,
            points: pts
                .iter()
                .map(|(l, r)| (*l, *r, format!("{}y", (1.0 / r).round())))
                .collect(),
        };
        // County losses 0, 400, 1000 万元 at rates 0.1, 0.01, 0.001: the loss axis ends
        // at 1000 in steps of 200 (x0 = 84, 520 px wide), the rate axis spans 10⁻³…10⁻¹ (y0 = 20,
        // 320 px): (0, 0.1) → (84, 20), (400, 0.01) → (292, 180), (1000, 0.001) →
        // (604, 340).
        let svg = exceedance_svg(
            "flood",
            &[
                curve("镇 <a>", false, &[(0.0, 0.1), (100.0, 0.01)]),
                curve("县", true, &[(1000.0, 0.001), (0.0, 0.1), (400.0, 0.01)]),
            ],
        )
        .unwrap();
        assert!(
            svg.contains(r#"points="84.00,20.00 292.00,180.00 604.00,340.00""#),
            "{svg}"
        );
        assert!(svg.contains(r#"points="84.00,20.00 136.00,180.00""#));
        assert!(svg.contains("镇 &lt;a&gt;") && !svg.contains("<a>"));
        // The county is drawn last (on top), bold.
        assert!(
            svg.rfind("stroke-width=\"3.5\" stroke-linejoin").unwrap()
                > svg.find("136.00,180.00").unwrap()
        );
        // Return periods on the right axis.
        let rp = format!(">{}</text>", crate::map::group_thousands(1000));
        assert!(svg.contains(&rp), "{svg}");
        assert_eq!(
            svg,
            exceedance_svg(
                "flood",
                &[
                    curve("镇 <a>", false, &[(0.0, 0.1), (100.0, 0.01)]),
                    curve("县", true, &[(1000.0, 0.001), (0.0, 0.1), (400.0, 0.01)]),
                ]
            )
            .unwrap()
        );
        assert!(exceedance_svg("none", &[curve("x", true, &[(1.0, 0.0)])]).is_none());
    }
}
