//! One level map as a PNG page: title, the level grid coloured by its legend over a
//! hillshade, township boundaries and names, rivers, legend, north arrow, scale bar,
//! data date and CRS note.
//!
//! Page sizes are in pixels: [`A4_PRINT`] is A4 landscape at 200 dpi (297 × 210 mm →
//! 2339 × 1654 px), [`WEB`] is 1200 px wide with the same aspect. Every length of the
//! layout is given for the A4 page and scaled by `width / 2339`, so both sizes look
//! alike.
//!
//! The map is north-up in the census CRS (projected, metres): world `(x, y)` maps to
//! page `(px, py)` by one uniform scale `k` px/m, `px = ox + (x − x_min)·k`,
//! `py = oy + (y_max − y)·k`. The level grid is drawn cell for cell (nearest
//! neighbour: a level is a category) multiplied over the hillshade (bicubic), so
//! colours keep their hue and the terrain shows through; cells with code 0
//! (nodata/outside) show the bare hillshade.
//!
//! Point symbols ([`MarkerSet`], e.g. shelters coloured by their site-safety class)
//! are drawn over the boundaries and names, each set with one legend entry after the
//! line symbols. A map without markers is drawn exactly as before they existed.

use geo_types::{LineString, MultiLineString, MultiPolygon};
use ndarray::Array2;
use riskcensus_core::GridSpec;
use tiny_skia::{
    BlendMode, Color, FillRule, FilterQuality, LineCap, LineJoin, Paint, PathBuilder, Pixmap,
    PixmapPaint, Rect, Stroke, Transform,
};

use crate::error::ReportError;
use crate::font::{Align, CjkFont, TextStyle};

/// A page size in pixels; `dpi` is set for print pages (it gives the scale 1:n).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    /// Suffix of the file name (`<map>_<name>.png`).
    pub name: &'static str,
    /// Page width in pixels.
    pub width: u32,
    /// Page height in pixels.
    pub height: u32,
    /// Print resolution in dots per inch; `None` for screen pages (no 1:n scale is
    /// printed).
    pub dpi: Option<f64>,
}

/// A4 landscape at 200 dpi: 297 mm × 200 / 25.4 = 2338.6 → 2339 px, 210 mm → 1653.5
/// → 1654 px.
pub const A4_PRINT: PageSize = PageSize {
    name: "a4",
    width: 2339,
    height: 1654,
    dpi: Some(200.0),
};

/// Screen size: 1200 px wide, the A4 aspect (1200 × 1654 / 2339 = 848.6 → 849).
pub const WEB: PageSize = PageSize {
    name: "web",
    width: 1200,
    height: 849,
    dpi: None,
};

/// One class of a map legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendClass {
    /// Level code on the grid (1 = the highest class; 0, nodata, has no class).
    pub code: u8,
    /// Chinese class name (e.g. `高风险`).
    pub name_zh: String,
    /// English class name; empty when the grid names the class in one language.
    pub name_en: String,
    /// Fill colour, sRGB.
    pub rgb: [u8; 3],
    /// Score range of the class, e.g. `0.42–0.61`, when the breaks are known.
    pub range: Option<String>,
}

/// A township for the map: boundary and label point in the census CRS.
#[derive(Debug, Clone)]
pub struct Township {
    /// Admin code (9 digits).
    pub code: String,
    /// Name written on the map.
    pub name: String,
    /// Boundary, census CRS (metres).
    pub area: MultiPolygon<f64>,
    /// Where the name is written: a point inside the polygon, `(x, y)` in the census
    /// CRS.
    pub label: (f64, f64),
}

/// What every map of a run shares.
#[derive(Debug, Clone)]
pub struct Basemap {
    /// The census grid the level grids and the hillshade lie on.
    pub grid: GridSpec,
    /// Hillshade grey levels on the grid (1–255; NaN or 0 = nodata), `(row, col)`.
    pub hillshade: Option<Array2<f32>>,
    /// Township boundaries and names, drawn over the levels.
    pub townships: Vec<Township>,
    /// River lines, census CRS (metres).
    pub rivers: Vec<MultiLineString<f64>>,
    /// County name for the title (e.g. `演示县 Demo County`).
    pub census_name: String,
    /// CRS note, e.g. `EPSG:4548 CGCS2000 / 3-degree Gauss-Kruger CM 117E`.
    pub crs_note: String,
    /// Date of the survey data (`YYYY-MM-DD`, followed by `(入库 loaded)` when it is
    /// the day the last batch was loaded), if known.
    pub data_date: Option<String>,
    /// Version of the engine that made the run, printed in the footer.
    pub engine_version: String,
}

/// Points drawn as round markers of one colour, with one legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerSet {
    /// Chinese legend text (e.g. `不安全避难场所`).
    pub name_zh: String,
    /// English legend text; empty when the set is named in one language.
    pub name_en: String,
    /// Fill colour, sRGB.
    pub rgb: [u8; 3],
    /// Positions, `(x, y)` in the census CRS (metres); points off the grid's extent
    /// are clipped away.
    pub points: Vec<(f64, f64)>,
}

/// One level grid to draw.
#[derive(Debug, Clone)]
pub struct LevelMap {
    /// File stem of the grid, e.g. `flood_risk_level`.
    pub id: String,
    /// Chinese map title.
    pub title_zh: String,
    /// English map title.
    pub title_en: String,
    /// Level codes on the grid, `(row, col)`, 0 = nodata/outside.
    pub levels: Array2<u8>,
    /// The legend: one class per level code, in code order.
    pub classes: Vec<LegendClass>,
    /// Point symbols over the levels, drawn in order (later sets on top); empty for
    /// the level grids of the run.
    pub markers: Vec<MarkerSet>,
}

/// The level codes of `units` on `grid`: every cell whose centre lies in a unit's
/// polygon takes the unit's code, the first unit listed winning where polygons
/// overlap; 0 elsewhere (outside every unit, or a unit listed with code 0).
pub fn units_on_grid<'a>(
    grid: &GridSpec,
    units: impl IntoIterator<Item = (&'a MultiPolygon<f64>, u8)>,
) -> Array2<u8> {
    use geo::{BoundingRect, Contains};
    let g = grid;
    let mut levels = Array2::<u8>::zeros((g.rows, g.cols));
    for (area, code) in units {
        if code == 0 {
            continue;
        }
        let Some(bb) = area.bounding_rect() else {
            continue;
        };
        // Rows and columns whose centres can fall in the bounding box.
        let c0 = ((bb.min().x - g.x_min) / g.cell_size - 0.5)
            .floor()
            .max(0.0) as usize;
        let c1 = (((bb.max().x - g.x_min) / g.cell_size - 0.5).ceil().max(0.0) as usize)
            .min(g.cols.saturating_sub(1));
        let r0 = ((g.y_max - bb.max().y) / g.cell_size - 0.5)
            .floor()
            .max(0.0) as usize;
        let r1 = (((g.y_max - bb.min().y) / g.cell_size - 0.5).ceil().max(0.0) as usize)
            .min(g.rows.saturating_sub(1));
        for r in r0..=r1 {
            for c in c0..=c1 {
                let (x, y) = g.cell_center(r, c);
                if levels[(r, c)] == 0 && area.contains(&geo_types::Point::new(x, y)) {
                    levels[(r, c)] = code;
                }
            }
        }
    }
    levels
}

fn rgb(c: [u8; 3]) -> Color {
    Color::from_rgba8(c[0], c[1], c[2], 255)
}

fn grey(v: u8) -> Color {
    Color::from_rgba8(v, v, v, 255)
}

fn paint(c: Color) -> Paint<'static> {
    let mut p = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    p.set_color(c);
    p
}

fn stroke(width: f32) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

/// Grey of the hillshade under the level colours: flat ground (grey level 181 =
/// 1 + 254·sin 45°, the sun's altitude) stays white so legend colours are exact there;
/// full shadow darkens to 55 %.
fn shade(h: f32) -> u8 {
    if !h.is_finite() || h <= 0.0 {
        return 255;
    }
    let g = (0.55 + 0.45 * (h - 1.0) / 180.0).clamp(0.55, 1.0);
    (g * 255.0).round() as u8
}

/// Nice scale-bar length (1, 2 or 5 × 10ⁿ metres) not longer than `max_m`.
pub fn nice_length(max_m: f64) -> f64 {
    if max_m.is_nan() || max_m <= 0.0 {
        return 0.0;
    }
    let p = 10f64.powf(max_m.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= max_m {
            return m * p;
        }
    }
    p
}

/// World → page transform of the map frame.
struct View {
    k: f64,
    ox: f64,
    oy: f64,
    x_min: f64,
    y_max: f64,
}

impl View {
    fn pt(&self, x: f64, y: f64) -> (f32, f32) {
        (
            (self.ox + (x - self.x_min) * self.k) as f32,
            (self.oy + (self.y_max - y) * self.k) as f32,
        )
    }

    fn ring(&self, pb: &mut PathBuilder, ls: &LineString<f64>, close: bool) {
        let mut first = true;
        for c in ls.coords() {
            let (px, py) = self.pt(c.x, c.y);
            if first {
                pb.move_to(px, py);
                first = false;
            } else {
                pb.line_to(px, py);
            }
        }
        if close && !first {
            pb.close();
        }
    }
}

/// Where things go on a page: A4 lengths × `width / 2339`.
struct Layout {
    /// Page margin, px.
    margin: f32,
    /// Width of the right panel (north arrow, legend, scale bar), px.
    panel_w: f32,
    /// The map frame `(left, top, width, height)`, px.
    frame: (f32, f32, f32, f32),
    /// The grid's extent fitted into the frame.
    view: View,
}

fn layout(g: &GridSpec, page: PageSize) -> Layout {
    let (w, h) = (page.width as f32, page.height as f32);
    let s = w / A4_PRINT.width as f32;
    let margin = 44.0 * s;
    let title_h = 120.0 * s;
    let footer_h = 64.0 * s;
    let panel_w = 560.0 * s;
    let gap = 36.0 * s;
    let frame = (
        margin,
        margin + title_h,
        w - 2.0 * margin - panel_w - gap,
        h - 2.0 * margin - title_h - footer_h,
    );
    // Fit the grid extent into the frame.
    let (x_min, y_min, x_max, y_max) = g.bounds();
    let (ew, eh) = (x_max - x_min, y_max - y_min);
    let k = (frame.2 as f64 / ew).min(frame.3 as f64 / eh);
    let view = View {
        k,
        ox: frame.0 as f64 + (frame.2 as f64 - ew * k) / 2.0,
        oy: frame.1 as f64 + (frame.3 as f64 - eh * k) / 2.0,
        x_min,
        y_max,
    };
    Layout {
        margin,
        panel_w,
        frame,
        view,
    }
}

/// Radius of a point marker on the A4 page, px (× `width / 2339` on other pages).
const MARKER_RADIUS_A4: f32 = 11.0;

/// A round marker centred at `(cx, cy)`: the set's colour inside a white ring and a
/// thin dark rim, so it reads on every level colour and on the bare hillshade.
fn draw_marker(
    pm: &mut Pixmap,
    cx: f32,
    cy: f32,
    r: f32,
    rgb_fill: [u8; 3],
    s: f32,
    clip: Option<&tiny_skia::Mask>,
) {
    let Some(outer) = PathBuilder::from_circle(cx, cy, r + 2.6 * s) else {
        return;
    };
    let Some(inner) = PathBuilder::from_circle(cx, cy, r) else {
        return;
    };
    let t = Transform::identity();
    pm.fill_path(&outer, &paint(grey(0x20)), FillRule::Winding, t, clip);
    if let Some(ring) = PathBuilder::from_circle(cx, cy, r + 1.4 * s) {
        pm.fill_path(&ring, &paint(Color::WHITE), FillRule::Winding, t, clip);
    }
    pm.fill_path(&inner, &paint(rgb(rgb_fill)), FillRule::Winding, t, clip);
}

/// Draw `map` on a page of `page` size.
pub fn render_map(
    base: &Basemap,
    map: &LevelMap,
    page: PageSize,
    font: &CjkFont,
) -> Result<Pixmap, ReportError> {
    let err = |msg: &str| ReportError::Render {
        map: map.id.clone(),
        msg: msg.to_string(),
    };
    let (w, h) = (page.width as f32, page.height as f32);
    let mut pm = Pixmap::new(page.width, page.height).ok_or_else(|| err("empty page size"))?;
    pm.fill(Color::WHITE);
    let s = w / A4_PRINT.width as f32;
    let g = &base.grid;
    if map.levels.dim() != (g.rows, g.cols) {
        return Err(err(&format!(
            "level grid is {:?} cells, the census grid {} × {}",
            map.levels.dim(),
            g.rows,
            g.cols
        )));
    }
    let black = grey(0x20);
    let mid = grey(0x55);

    let Layout {
        margin,
        panel_w,
        frame,
        view,
    } = layout(g, page);

    // Title and subtitle, centred over the map frame.
    let cx = frame.0 + frame.2 / 2.0;
    font.draw(
        &mut pm,
        &format!("{}{}", zh_part(&base.census_name), map.title_zh),
        cx,
        margin + 58.0 * s,
        Align::Center,
        &TextStyle::new(56.0 * s, black).bold(1.2 * s),
    );
    font.draw(
        &mut pm,
        &format!("{} — {}", en_part(&base.census_name), map.title_en),
        cx,
        margin + 102.0 * s,
        Align::Center,
        &TextStyle::new(28.0 * s, mid),
    );

    let (x_min, y_min, x_max, y_max) = g.bounds();
    let k = view.k;
    let (mx0, my0) = view.pt(x_min, y_max);
    let (mx1, my1) = view.pt(x_max, y_min);
    let cell_px = (g.cell_size * k) as f32;
    let to_page = Transform::from_row(cell_px, 0.0, 0.0, cell_px, mx0, my0);

    // Hillshade (grey), then the level colours multiplied over it.
    let mut hs = Pixmap::new(g.cols as u32, g.rows as u32).ok_or_else(|| err("empty grid"))?;
    let mut lv = Pixmap::new(g.cols as u32, g.rows as u32).ok_or_else(|| err("empty grid"))?;
    {
        let hsd = hs.data_mut();
        for r in 0..g.rows {
            for c in 0..g.cols {
                let v = base.hillshade.as_ref().map_or(255, |a| shade(a[(r, c)]));
                let i = 4 * (r * g.cols + c);
                hsd[i..i + 4].copy_from_slice(&[v, v, v, 255]);
            }
        }
        let mut lut = [[255u8; 3]; 256];
        for cl in &map.classes {
            lut[cl.code as usize] = cl.rgb;
        }
        let lvd = lv.data_mut();
        for r in 0..g.rows {
            for c in 0..g.cols {
                let [cr, cg, cb] = lut[map.levels[(r, c)] as usize];
                let i = 4 * (r * g.cols + c);
                lvd[i..i + 4].copy_from_slice(&[cr, cg, cb, 255]);
            }
        }
    }
    let clip_rect = Rect::from_ltrb(mx0, my0, mx1, my1).ok_or_else(|| err("empty map frame"))?;
    let mut clip = tiny_skia::Mask::new(page.width, page.height).ok_or_else(|| err("mask"))?;
    clip.fill_path(
        &PathBuilder::from_rect(clip_rect),
        FillRule::Winding,
        false,
        Transform::identity(),
    );
    pm.draw_pixmap(
        0,
        0,
        hs.as_ref(),
        &PixmapPaint {
            quality: FilterQuality::Bicubic,
            ..PixmapPaint::default()
        },
        to_page,
        Some(&clip),
    );
    pm.draw_pixmap(
        0,
        0,
        lv.as_ref(),
        &PixmapPaint {
            quality: FilterQuality::Nearest,
            blend_mode: BlendMode::Multiply,
            ..PixmapPaint::default()
        },
        to_page,
        Some(&clip),
    );

    // Rivers.
    let river_blue = Color::from_rgba8(0x2C, 0x7B, 0xB6, 255);
    {
        let mut pb = PathBuilder::new();
        for ml in &base.rivers {
            for ls in &ml.0 {
                view.ring(&mut pb, ls, false);
            }
        }
        if let Some(p) = pb.finish() {
            pm.stroke_path(
                &p,
                &paint(river_blue),
                &stroke(2.4 * s),
                Transform::identity(),
                Some(&clip),
            );
        }
    }

    // Township boundaries.
    let boundary = grey(0x30);
    {
        let mut pb = PathBuilder::new();
        for t in &base.townships {
            for poly in &t.area.0 {
                view.ring(&mut pb, poly.exterior(), true);
                for hole in poly.interiors() {
                    view.ring(&mut pb, hole, true);
                }
            }
        }
        if let Some(p) = pb.finish() {
            let mut st = stroke(1.8 * s);
            st.dash = tiny_skia::StrokeDash::new(vec![10.0 * s, 4.0 * s, 2.0 * s, 4.0 * s], 0.0);
            pm.stroke_path(
                &p,
                &paint(boundary),
                &st,
                Transform::identity(),
                Some(&clip),
            );
        }
    }

    // Township names at their label points.
    let label = TextStyle::new(26.0 * s, grey(0x10)).halo(Color::WHITE, 6.0 * s);
    for t in &base.townships {
        let (px, py) = view.pt(t.label.0, t.label.1);
        font.draw(&mut pm, &t.name, px, py + 9.0 * s, Align::Center, &label);
    }

    // Point markers over everything inside the frame.
    let marker_r = MARKER_RADIUS_A4 * s;
    for set in &map.markers {
        for &(x, y) in &set.points {
            let (px, py) = view.pt(x, y);
            draw_marker(&mut pm, px, py, marker_r, set.rgb, s, Some(&clip));
        }
    }

    // Neat line around the map.
    pm.stroke_path(
        &PathBuilder::from_rect(clip_rect),
        &paint(black),
        &Stroke {
            width: 2.5 * s,
            ..Stroke::default()
        },
        Transform::identity(),
        None,
    );

    // Right panel: north arrow, legend, scale bar.
    let px0 = w - margin - panel_w;
    let mut y = frame.1;
    draw_north_arrow(&mut pm, font, px0 + panel_w / 2.0, y, s);
    y += 170.0 * s;

    font.draw(
        &mut pm,
        "图例 Legend",
        px0,
        y + 32.0 * s,
        Align::Left,
        &TextStyle::new(34.0 * s, black).bold(0.8 * s),
    );
    y += 58.0 * s;
    let sw = (64.0 * s, 40.0 * s);
    for cl in &map.classes {
        let r = Rect::from_xywh(px0, y, sw.0, sw.1).ok_or_else(|| err("legend swatch"))?;
        // The swatch is painted without anti-aliasing so its colour is exact.
        let mut p = paint(rgb(cl.rgb));
        p.anti_alias = false;
        pm.fill_rect(r, &p, Transform::identity(), None);
        pm.stroke_path(
            &PathBuilder::from_rect(r),
            &paint(mid),
            &Stroke {
                width: 1.2 * s,
                ..Stroke::default()
            },
            Transform::identity(),
            None,
        );
        font.draw(
            &mut pm,
            &cl.name_zh,
            px0 + sw.0 + 18.0 * s,
            y + 26.0 * s,
            Align::Left,
            &TextStyle::new(28.0 * s, black),
        );
        let en = match &cl.range {
            Some(r) => format!("{}  ({r})", cl.name_en),
            None => cl.name_en.clone(),
        };
        font.draw(
            &mut pm,
            &en,
            px0 + sw.0 + 18.0 * s,
            y + 54.0 * s,
            Align::Left,
            &TextStyle::new(20.0 * s, mid),
        );
        y += 72.0 * s;
    }
    // Line symbols.
    y += 10.0 * s;
    for (zh_en, color, dashed) in [
        ("乡镇界 township boundary", boundary, true),
        ("河流 river", river_blue, false),
    ] {
        let mut pb = PathBuilder::new();
        pb.move_to(px0, y + sw.1 / 2.0);
        pb.line_to(px0 + sw.0, y + sw.1 / 2.0);
        let mut st = stroke(if dashed { 1.8 * s } else { 2.4 * s });
        if dashed {
            st.dash = tiny_skia::StrokeDash::new(vec![10.0 * s, 4.0 * s, 2.0 * s, 4.0 * s], 0.0);
        }
        if let Some(p) = pb.finish() {
            pm.stroke_path(&p, &paint(color), &st, Transform::identity(), None);
        }
        font.draw(
            &mut pm,
            zh_en,
            px0 + sw.0 + 18.0 * s,
            y + 30.0 * s,
            Align::Left,
            &TextStyle::new(24.0 * s, black),
        );
        y += 52.0 * s;
    }
    // Marker symbols.
    for set in &map.markers {
        draw_marker(
            &mut pm,
            px0 + sw.0 / 2.0,
            y + sw.1 / 2.0,
            marker_r,
            set.rgb,
            s,
            None,
        );
        let text = if set.name_en.is_empty() {
            set.name_zh.clone()
        } else {
            format!("{} {}", set.name_zh, set.name_en)
        };
        font.draw(
            &mut pm,
            &text,
            px0 + sw.0 + 18.0 * s,
            y + 30.0 * s,
            Align::Left,
            &TextStyle::new(24.0 * s, black),
        );
        y += 52.0 * s;
    }
    y += 8.0 * s;
    font.draw(
        &mut pm,
        if base.hillshade.is_some() {
            "背景: 山体阴影 hillshade (az 315°, alt 45°)"
        } else {
            "背景: 无 DEM, 无山体阴影 no DEM, no hillshade"
        },
        px0,
        y + 24.0 * s,
        Align::Left,
        &TextStyle::new(20.0 * s, mid),
    );

    // Scale bar at the bottom of the panel.
    let bar_max = (panel_w - 60.0 * s) as f64 / k;
    let len_m = nice_length(bar_max);
    let bar_y = frame.1 + frame.3 - 60.0 * s;
    draw_scale_bar(&mut pm, font, px0, bar_y, len_m, k, s);
    if let Some(dpi) = page.dpi {
        // Ground metres per page metre: (1/k m per px) / (0.0254/dpi m per px).
        let n = (1.0 / k) / (0.0254 / dpi);
        let rounded = (n / 1000.0).round() * 1000.0;
        font.draw(
            &mut pm,
            &format!(
                "比例尺 scale 1:{} (A4, 200 dpi)",
                group_thousands(rounded as u64)
            ),
            px0,
            bar_y + 56.0 * s,
            Align::Left,
            &TextStyle::new(20.0 * s, mid),
        );
    }

    // Footer: data date, CRS, engine.
    let foot = format!(
        "数据日期 data date: {}    坐标系 CRS: {}    制图 RiskCensus {}    {}",
        base.data_date.as_deref().unwrap_or("未知 unknown"),
        base.crs_note,
        base.engine_version,
        map.id
    );
    font.draw(
        &mut pm,
        &foot,
        margin,
        h - margin + 4.0 * s,
        Align::Left,
        &TextStyle::new(20.0 * s, mid),
    );
    Ok(pm)
}

/// North arrow: a split arrowhead with 北 N above it, `top` at its tip.
fn draw_north_arrow(pm: &mut Pixmap, font: &CjkFont, cx: f32, top: f32, s: f32) {
    let dark = grey(0x20);
    font.draw(
        pm,
        "北 N",
        cx,
        top + 30.0 * s,
        Align::Center,
        &TextStyle::new(30.0 * s, dark).bold(0.6 * s),
    );
    let (t, b, half) = (top + 44.0 * s, top + 150.0 * s, 30.0 * s);
    let notch = top + 120.0 * s;
    let mut left = PathBuilder::new();
    left.move_to(cx, t);
    left.line_to(cx - half, b);
    left.line_to(cx, notch);
    left.close();
    let mut right = PathBuilder::new();
    right.move_to(cx, t);
    right.line_to(cx + half, b);
    right.line_to(cx, notch);
    right.close();
    if let (Some(l), Some(r)) = (left.finish(), right.finish()) {
        pm.fill_path(
            &l,
            &paint(dark),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        pm.fill_path(
            &r,
            &paint(Color::WHITE),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        let st = Stroke {
            width: 2.0 * s,
            line_join: LineJoin::Miter,
            ..Stroke::default()
        };
        pm.stroke_path(&l, &paint(dark), &st, Transform::identity(), None);
        pm.stroke_path(&r, &paint(dark), &st, Transform::identity(), None);
    }
}

/// Scale bar of `len_m` metres at `k` px/m: four alternating segments, labelled in km.
fn draw_scale_bar(pm: &mut Pixmap, font: &CjkFont, x0: f32, y: f32, len_m: f64, k: f64, s: f32) {
    if len_m <= 0.0 {
        return;
    }
    let dark = grey(0x20);
    let total = (len_m * k) as f32;
    let seg = total / 4.0;
    let hgt = 14.0 * s;
    for i in 0..4 {
        if let Some(r) = Rect::from_xywh(x0 + i as f32 * seg, y, seg, hgt) {
            let fill = if i % 2 == 0 { dark } else { Color::WHITE };
            pm.fill_rect(r, &paint(fill), Transform::identity(), None);
            pm.stroke_path(
                &PathBuilder::from_rect(r),
                &paint(dark),
                &Stroke {
                    width: 1.5 * s,
                    ..Stroke::default()
                },
                Transform::identity(),
                None,
            );
        }
    }
    let style = TextStyle::new(22.0 * s, dark);
    for (i, frac) in [(0usize, 0.0), (2, 0.5), (4, 1.0)] {
        let km = len_m * frac / 1000.0;
        let text = if i == 4 {
            format!("{} km", trim_num(km))
        } else {
            trim_num(km)
        };
        font.draw(
            pm,
            &text,
            x0 + i as f32 * seg,
            y - 8.0 * s,
            Align::Center,
            &style,
        );
    }
}

fn trim_num(v: f64) -> String {
    let t = format!("{v:.2}");
    let t = t.trim_end_matches('0').trim_end_matches('.');
    t.to_string()
}

/// `156000` → `156 000` (thin grouping as in Chinese technical writing).
pub fn group_thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, ch) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The Chinese part of a bilingual name (`演示县 Demo County` → `演示县`).
pub fn zh_part(name: &str) -> String {
    let zh: String = name
        .split_whitespace()
        .filter(|w| !w.is_ascii())
        .collect::<Vec<_>>()
        .join("");
    if zh.is_empty() {
        name.to_string()
    } else {
        zh
    }
}

/// The English part of a bilingual name (`演示县 Demo County` → `Demo County`).
pub fn en_part(name: &str) -> String {
    let en: Vec<&str> = name.split_whitespace().filter(|w| w.is_ascii()).collect();
    if en.is_empty() {
        name.to_string()
    } else {
        en.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bar_lengths_are_1_2_5_steps_not_longer_than_asked() {
        assert_eq!(nice_length(8_800.0), 5_000.0);
        assert_eq!(nice_length(4_999.0), 2_000.0);
        assert_eq!(nice_length(1_000.0), 1_000.0);
        assert_eq!(nice_length(19_999.0), 10_000.0);
        assert_eq!(nice_length(0.0), 0.0);
    }

    #[test]
    fn hillshade_grey_keeps_flat_ground_white_and_nodata_white() {
        // 181 = 1 + 254·sin 45° is level ground under a 45° sun.
        assert_eq!(shade(181.0), 255);
        assert_eq!(shade(255.0), 255);
        // Full shadow (1) darkens to 0.55·255 = 140.25 → 140.
        assert_eq!(shade(1.0), 140);
        assert_eq!(shade(f32::NAN), 255);
        assert_eq!(shade(0.0), 255);
    }

    /// A 60 × 40 grid of 100 m cells with one township over its west half and the
    /// levels 1–5 in bands of columns; `markers` on top.
    fn test_map(markers: Vec<MarkerSet>) -> (Basemap, LevelMap) {
        use geo_types::polygon;
        let grid = GridSpec::new("EPSG:4548", 500_000.0, 4_000_000.0, 100.0, 40, 60).unwrap();
        let town = polygon![
            (x: 500_000.0, y: 3_996_000.0),
            (x: 503_000.0, y: 3_996_000.0),
            (x: 503_000.0, y: 4_000_000.0),
            (x: 500_000.0, y: 4_000_000.0),
        ];
        let base = Basemap {
            grid,
            hillshade: None,
            townships: vec![Township {
                code: "370999001".into(),
                name: "东镇".into(),
                area: MultiPolygon(vec![town]),
                label: (501_500.0, 3_998_000.0),
            }],
            rivers: Vec::new(),
            census_name: "测试县 Test County".into(),
            crs_note: "EPSG:4548".into(),
            data_date: None,
            engine_version: "0".into(),
        };
        let classes = riskcensus_core::LevelScheme::generic(5)
            .classes()
            .iter()
            .map(|c| LegendClass {
                code: c.code,
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                rgb: c.rgb,
                range: None,
            })
            .collect();
        let map = LevelMap {
            id: "test_level".into(),
            title_zh: "测试等级图".into(),
            title_en: "test levels".into(),
            levels: Array2::from_shape_fn((40, 60), |(_, c)| 1 + (c / 12) as u8),
            classes,
            markers,
        };
        (base, map)
    }

    #[test]
    fn markers_change_only_their_own_pixels_and_their_legend_rows() {
        let font = CjkFont::find().expect("a CJK font (scripts/install-deps.sh installs one)");
        let rgb = [0x12, 0x34, 0x56];
        // Two points inside the frame, away from its edges and from the label.
        let points = vec![(500_750.0, 3_999_250.0), (505_050.0, 3_996_950.0)];
        let (base, plain) = test_map(Vec::new());
        let (_, marked) = test_map(vec![MarkerSet {
            name_zh: "不安全避难场所".into(),
            name_en: "shelter, unsafe site".into(),
            rgb,
            points: points.clone(),
        }]);
        for page in [WEB, A4_PRINT] {
            let a = render_map(&base, &plain, page, &font).unwrap();
            let b = render_map(&base, &marked, page, &font).unwrap();
            let lay = layout(&base.grid, page);
            let s = page.width as f32 / A4_PRINT.width as f32;
            // Outer rim of a marker, plus a pixel of anti-aliasing.
            let reach = (MARKER_RADIUS_A4 + 2.6) * s + 1.5;
            let centres: Vec<(f32, f32)> = points.iter().map(|p| lay.view.pt(p.0, p.1)).collect();
            let panel_x0 = page.width as f32 - lay.margin - lay.panel_w;
            // The legend's marker rows start below the class swatches and the two
            // line symbols (A4 lengths of render_map × s).
            let rows_top = lay.frame.1
                + (170.0 + 58.0 + 72.0 * plain.classes.len() as f32 + 10.0 + 2.0 * 52.0) * s;
            let w = page.width as usize;
            let (pa, pb) = (a.pixels(), b.pixels());
            let mut changed = 0;
            for (i, (x, y)) in pa.iter().zip(pb).enumerate() {
                if x == y {
                    continue;
                }
                changed += 1;
                let (px, py) = ((i % w) as f32 + 0.5, (i / w) as f32 + 0.5);
                let on_marker = centres
                    .iter()
                    .any(|c| ((px - c.0).powi(2) + (py - c.1).powi(2)).sqrt() <= reach);
                let in_legend = px >= panel_x0 - 2.0 && py >= rows_top - 2.0;
                assert!(
                    on_marker || in_legend,
                    "{}: pixel ({px}, {py}) changed outside the markers and their legend rows",
                    page.name
                );
            }
            assert!(changed > 0);
            // The marker's colour, exact, at each centre and in the legend; never
            // on the map without markers.
            let at = |pm: &Pixmap, x: f32, y: f32| {
                let p = pm.pixel(x as u32, y as u32).unwrap().demultiply();
                [p.red(), p.green(), p.blue()]
            };
            for c in &centres {
                assert_eq!(at(&b, c.0, c.1), rgb, "{}: marker centre", page.name);
            }
            let count = |pm: &Pixmap| {
                pm.pixels()
                    .iter()
                    .filter(|p| {
                        let p = p.demultiply();
                        [p.red(), p.green(), p.blue()] == rgb
                    })
                    .count()
            };
            assert_eq!(count(&a), 0);
            let disc = std::f32::consts::PI * (MARKER_RADIUS_A4 * s - 1.0).powi(2);
            assert!(
                count(&b) as f32 >= 3.0 * disc * 0.9,
                "{}: two markers and the legend symbol",
                page.name
            );
        }
    }

    #[test]
    fn units_on_grid_take_cells_by_centre_first_unit_winning() {
        use geo_types::polygon;
        let g = GridSpec::new("EPSG:4548", 0.0, 300.0, 100.0, 3, 3).unwrap();
        // Covers the centres (50, 250), (150, 250), (50, 150), (150, 150).
        let a = MultiPolygon(vec![polygon![
            (x: 0.0, y: 100.0), (x: 200.0, y: 100.0), (x: 200.0, y: 300.0), (x: 0.0, y: 300.0)
        ]]);
        // Overlaps `a` in column 1 and adds column 2 of the top two rows.
        let b = MultiPolygon(vec![polygon![
            (x: 100.0, y: 100.0), (x: 300.0, y: 100.0), (x: 300.0, y: 300.0), (x: 100.0, y: 300.0)
        ]]);
        let l = units_on_grid(&g, [(&a, 2), (&b, 5)]);
        assert_eq!(l.as_slice().unwrap(), &[2, 2, 5, 2, 2, 5, 0, 0, 0]);
    }

    #[test]
    fn bilingual_names_split() {
        assert_eq!(zh_part("演示县 Demo County"), "演示县");
        assert_eq!(en_part("演示县 Demo County"), "Demo County");
        assert_eq!(group_thousands(156_000), "156 000");
        assert_eq!(group_thousands(999), "999");
    }
}
