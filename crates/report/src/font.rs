//! Text with real glyphs from an installed CJK font.
//!
//! The font is found at run time (never shipped in the repository): the file named by
//! `RISKCENSUS_CJK_FONT`, else the first of the known CJK families found under the
//! standard font folders (`/usr/share/fonts`, `/usr/local/share/fonts`,
//! `$XDG_DATA_HOME/fonts`, `~/.local/share/fonts`, `~/.fonts`). Debian's
//! `fonts-noto-cjk` (installed by `scripts/install-deps.sh`) provides Noto Sans CJK;
//! `fonts-wqy-zenhei` is accepted too. In a collection (`.ttc`) the Simplified Chinese
//! face (`… SC`) is chosen, so characters take their mainland-China forms.
//!
//! Glyph outlines come from `ab_glyph` (TrueType quadratic and CFF cubic curves, in
//! font units, y up); they are turned into one `tiny_skia::Path` per string and filled
//! with the non-zero winding rule, as both outline formats require. Layout is simple
//! horizontal advance + kerning, which is what Chinese and Latin labels need. The font
//! size `px` is the em size in pixels (as in CSS).

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontVec, GlyphId, OutlineCurve};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform,
};

use crate::error::ReportError;

/// Characters every accepted font must have: the words the maps print.
pub const PROBE: &str = "风险等级图乡镇街道防治区划重点一般北图例比例尺数据日期坐标系河流";

/// Environment variable naming a font file to use instead of searching.
pub const FONT_ENV: &str = "RISKCENSUS_CJK_FONT";

/// Font files searched for, best first (file names as Debian and upstream ship them).
const KNOWN: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "wqy-zenhei.ttc",
    "wqy-microhei.ttc",
    "NotoSerifCJK-Regular.ttc",
    "DroidSansFallbackFull.ttf",
];

/// The standard font folders of a Unix desktop or server, in search order.
pub fn font_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/fonts"),
        PathBuf::from("/usr/local/share/fonts"),
    ];
    if let Some(x) = std::env::var_os("XDG_DATA_HOME") {
        dirs.push(PathBuf::from(x).join("fonts"));
    }
    if let Some(h) = std::env::var_os("HOME") {
        let h = PathBuf::from(h);
        dirs.push(h.join(".local/share/fonts"));
        dirs.push(h.join(".fonts"));
    }
    dirs
}

/// Font files under `dir` (recursively, sorted, at most 6 levels deep).
fn font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            font_files(&p, depth + 1, out);
        } else if matches!(
            p.extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .as_deref(),
            Some("ttf" | "ttc" | "otf" | "otc")
        ) {
            out.push(p);
        }
    }
}

/// A loaded CJK font face.
pub struct CjkFont {
    path: PathBuf,
    index: u32,
    family: String,
    font: FontVec,
}

impl std::fmt::Debug for CjkFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CjkFont")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .finish()
    }
}

/// Horizontal anchor of a text run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// The run starts at `x`.
    Left,
    /// The run is centred on `x`.
    Center,
    /// The run ends at `x`.
    Right,
}

/// How to paint a text run.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    /// Em size in pixels.
    pub px: f32,
    /// Colour the glyphs are filled with.
    pub fill: Color,
    /// A halo (outline stroke painted under the fill): colour and width in pixels.
    pub halo: Option<(Color, f32)>,
    /// Embolden by stroking the glyphs in the fill colour (width in pixels).
    pub embolden: f32,
}

impl TextStyle {
    /// A plain style: `px` em size in pixels, filled with `fill`, no halo, not bold.
    pub fn new(px: f32, fill: Color) -> Self {
        Self {
            px,
            fill,
            halo: None,
            embolden: 0.0,
        }
    }
    /// With a halo of `color`, stroked `width` pixels wide under the fill.
    pub fn halo(mut self, color: Color, width: f32) -> Self {
        self.halo = Some((color, width));
        self
    }
    /// Emboldened by a stroke `width` pixels wide in the fill colour.
    pub fn bold(mut self, width: f32) -> Self {
        self.embolden = width;
        self
    }
}

fn family_names(data: &[u8], index: u32) -> Vec<String> {
    let Ok(face) = ttf_parser::Face::parse(data, index) else {
        return Vec::new();
    };
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
        .filter_map(|n| n.to_string())
        .collect()
}

impl CjkFont {
    /// Find and load a CJK font: `RISKCENSUS_CJK_FONT`, else the known families under
    /// [`font_dirs`]. The error names the folders searched and the package to install.
    pub fn find() -> Result<Self, ReportError> {
        if let Some(p) = std::env::var_os(FONT_ENV) {
            return Self::load(Path::new(&p));
        }
        let dirs = font_dirs();
        let mut files = Vec::new();
        for d in &dirs {
            font_files(d, 0, &mut files);
        }
        let name_of = |p: &PathBuf| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut tried = Vec::new();
        for known in KNOWN {
            for f in files
                .iter()
                .filter(|f| name_of(f).eq_ignore_ascii_case(known))
            {
                match Self::load(f) {
                    Ok(font) => return Ok(font),
                    Err(e) => tried.push(e.to_string()),
                }
            }
        }
        Err(ReportError::Font {
            msg: format!(
                "no font with Chinese glyphs ({}) under {}{}; install the Debian package \
                 fonts-noto-cjk (or fonts-wqy-zenhei) — scripts/install-deps.sh does — or set \
                 {FONT_ENV} to a .ttc/.otf/.ttf file",
                KNOWN.join(", "),
                dirs.iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if tried.is_empty() {
                    String::new()
                } else {
                    format!(" (rejected: {})", tried.join("; "))
                }
            ),
        })
    }

    /// Load `path`, choosing in a collection the Simplified Chinese face, else the
    /// first face that has every character of [`PROBE`].
    pub fn load(path: &Path) -> Result<Self, ReportError> {
        let data = std::fs::read(path).map_err(|source| ReportError::Fs {
            path: path.to_path_buf(),
            source,
        })?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut order: Vec<(u32, Vec<String>)> =
            (0..faces).map(|i| (i, family_names(&data, i))).collect();
        // Prefer "… SC" (Simplified Chinese) proportional faces, then the rest in order.
        order.sort_by_key(|(i, names)| {
            let sc = names
                .iter()
                .any(|n| n.ends_with(" SC") && !n.contains("Mono"));
            (!sc, *i)
        });
        for (index, names) in order {
            let Ok(font) = FontVec::try_from_vec_and_index(data.clone(), index) else {
                continue;
            };
            if PROBE.chars().all(|c| font.glyph_id(c).0 != 0) {
                return Ok(Self {
                    path: path.to_path_buf(),
                    index,
                    family: names.into_iter().next().unwrap_or_default(),
                    font,
                });
            }
        }
        Err(ReportError::Font {
            msg: format!(
                "{}: no face with glyphs for every character of {PROBE:?}",
                path.display()
            ),
        })
    }

    /// The font file loaded.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Face index in the collection.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Family name of the face used (e.g. `Noto Sans CJK SC`); empty when the face
    /// names none.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// True when the font has a glyph (not .notdef) for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.font.glyph_id(c).0 != 0
    }

    fn scale(&self, px: f32) -> f32 {
        px / self.font.units_per_em().unwrap_or(1000.0)
    }

    fn glyphs(&self, text: &str, notdef: bool) -> Vec<GlyphId> {
        text.chars()
            .map(|c| {
                if notdef {
                    GlyphId(0)
                } else {
                    self.font.glyph_id(c)
                }
            })
            .collect()
    }

    /// Advance width of `text` at `px`, in pixels.
    pub fn width(&self, text: &str, px: f32) -> f32 {
        self.advance(&self.glyphs(text, false), px)
    }

    fn advance(&self, ids: &[GlyphId], px: f32) -> f32 {
        let s = self.scale(px);
        let mut w = 0.0;
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                w += self.font.kern_unscaled(ids[i - 1], *id) * s;
            }
            w += self.font.h_advance_unscaled(*id) * s;
        }
        w
    }

    /// The outline of `text` with its baseline starting at `(x, y)` (pixels, y down),
    /// or `None` for a run without ink (spaces). With `notdef`, every character is
    /// drawn as the font's .notdef glyph (the "tofu" box a missing glyph shows): tests
    /// compare the two to prove real glyphs are drawn.
    pub fn text_path(
        &self,
        text: &str,
        px: f32,
        x: f32,
        y: f32,
        notdef: bool,
    ) -> Option<tiny_skia::Path> {
        let s = self.scale(px);
        let ids = self.glyphs(text, notdef);
        let mut pb = PathBuilder::new();
        let mut pen = x;
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                pen += self.font.kern_unscaled(ids[i - 1], *id) * s;
            }
            if let Some(outline) = self.font.outline(*id) {
                let tx = |p: ab_glyph::Point| (pen + p.x * s, y - p.y * s);
                let mut last: Option<ab_glyph::Point> = None;
                for c in &outline.curves {
                    let p0 = match c {
                        OutlineCurve::Line(a, _)
                        | OutlineCurve::Quad(a, _, _)
                        | OutlineCurve::Cubic(a, _, _, _) => *a,
                    };
                    if last != Some(p0) {
                        if last.is_some() {
                            pb.close();
                        }
                        let (px0, py0) = tx(p0);
                        pb.move_to(px0, py0);
                    }
                    match c {
                        OutlineCurve::Line(_, b) => {
                            let (bx, by) = tx(*b);
                            pb.line_to(bx, by);
                            last = Some(*b);
                        }
                        OutlineCurve::Quad(_, b, c2) => {
                            let (bx, by) = tx(*b);
                            let (cx, cy) = tx(*c2);
                            pb.quad_to(bx, by, cx, cy);
                            last = Some(*c2);
                        }
                        OutlineCurve::Cubic(_, b, c2, d) => {
                            let (bx, by) = tx(*b);
                            let (cx, cy) = tx(*c2);
                            let (dx, dy) = tx(*d);
                            pb.cubic_to(bx, by, cx, cy, dx, dy);
                            last = Some(*d);
                        }
                    }
                }
                if last.is_some() {
                    pb.close();
                }
            }
            pen += self.font.h_advance_unscaled(*id) * s;
        }
        pb.finish()
    }

    /// Draw `text` with its baseline at `y` and anchored at `x` by `align`; returns
    /// the run's width in pixels.
    pub fn draw(
        &self,
        pixmap: &mut Pixmap,
        text: &str,
        x: f32,
        y: f32,
        align: Align,
        style: &TextStyle,
    ) -> f32 {
        self.draw_inner(pixmap, text, x, y, align, style, false)
    }

    /// As [`CjkFont::draw`] but every character drawn as .notdef (for tests).
    pub fn draw_notdef(
        &self,
        pixmap: &mut Pixmap,
        text: &str,
        x: f32,
        y: f32,
        style: &TextStyle,
    ) -> f32 {
        self.draw_inner(pixmap, text, x, y, Align::Left, style, true)
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_inner(
        &self,
        pixmap: &mut Pixmap,
        text: &str,
        x: f32,
        y: f32,
        align: Align,
        style: &TextStyle,
        notdef: bool,
    ) -> f32 {
        let w = self.advance(&self.glyphs(text, notdef), style.px);
        let x0 = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        let Some(path) = self.text_path(text, style.px, x0, y, notdef) else {
            return w;
        };
        let mut paint = Paint {
            anti_alias: true,
            ..Paint::default()
        };
        let round = |width: f32| Stroke {
            width,
            line_cap: LineCap::Round,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        if let Some((c, hw)) = style.halo {
            paint.set_color(c);
            pixmap.stroke_path(
                &path,
                &paint,
                &round(hw + style.embolden),
                Transform::identity(),
                None,
            );
        }
        paint.set_color(style.fill);
        pixmap.fill_path(
            &path,
            &paint,
            FillRule::Winding,
            Transform::identity(),
            None,
        );
        if style.embolden > 0.0 {
            pixmap.stroke_path(
                &path,
                &paint,
                &round(style.embolden),
                Transform::identity(),
                None,
            );
        }
        w
    }
}
