//! Risk maps and the census report that planners read, drawn from a finished run
//! folder (as `riskcensus run` or `riskcensus demo` writes it).
//!
//! - [`run`]: reading the run folder — `manifest.json`, level grids under `assess/`,
//!   unit tables of `assess/zoning.gpkg`, the census database.
//! - [`basemap`]: hillshade, townships with label points, rivers, CRS note, data date.
//! - [`font`]: real glyphs from an installed CJK font, filled as paths.
//! - [`map`]: one PNG map page (A4 at 200 dpi, or web size).
//! - [`chart`]: inline SVG charts (area per level by township, validation curves,
//!   loss-exceedance curves).
//! - [`loss`]: the loss-route tables of `assess/` (AAL and deaths per unit,
//!   exceedance curves, AAL per structure, the record), when the run has them.
//! - [`capacity`]: the capacity_gaps stage's tables (capacity grades, shelter gaps and
//!   safety, reserve days, rescue access, 三高一低) and their maps, when the run has
//!   them.
//! - [`grades`]: the earthquake hidden-danger grades per structure type and
//!   township (a provisional rule, labelled so), when the run has them.
//! - [`html`]: the self-contained HTML report.
//!
//! [`render_report`] writes `<run>/maps/<grid>_{a4,web}.png` for every level grid
//! found (hazard, risk, comprehensive and prevention; grids of hazards added later
//! appear without a change here), `<run>/maps/loss_aal_gdp_townships_{web,a4}.png`
//! when the run has the loss route, and `<run>/report.html`. Output is deterministic:
//! the same run folder gives the same bytes (no clock, no hash-map order).
//!
//! Coordinates are the census CRS (projected, metres), `(x, y)` order; level grids
//! are u8 with 0 = nodata/outside.

pub mod basemap;
pub mod capacity;
pub mod chart;
pub mod error;
pub mod font;
pub mod grades;
pub mod html;
pub mod loss;
pub mod map;
pub mod run;
pub mod trend;

use std::path::{Path, PathBuf};

pub use error::ReportError;
pub use font::CjkFont;
pub use map::{PageSize, A4_PRINT, WEB};
/// The rasteriser the maps are drawn with (for callers drawing their own text).
pub use tiny_skia;

/// Options of [`render_report`].
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// Only the web-size maps (no A4 print pages).
    pub web_only: bool,
    /// A font file to use instead of searching the system (see [`font`]).
    pub font: Option<PathBuf>,
}

/// What [`render_report`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSummary {
    /// The HTML report, `<run>/report.html`.
    pub html: PathBuf,
    /// Every PNG written, in map order (per grid: web, then A4).
    pub maps: Vec<PathBuf>,
    /// The level grids drawn (file stems).
    pub grids: Vec<String>,
    /// The font file used.
    pub font: PathBuf,
    /// Family name of the face used (e.g. `Noto Sans CJK SC`).
    pub font_family: String,
}

/// One rendered map: grid id, titles, and the web PNG bytes (embedded in the HTML).
#[derive(Debug, Clone)]
pub struct RenderedMap {
    /// The level grid drawn.
    pub grid: run::LevelGridFile,
    /// Chinese map title.
    pub title_zh: String,
    /// English map title.
    pub title_en: String,
    /// The map's legend classes, in code order.
    pub legend: Vec<map::LegendClass>,
    /// The web-size PNG, as written to `maps/<grid>_web.png`.
    pub web_png: Vec<u8>,
    /// File names under `maps/`.
    pub files: Vec<String>,
}

/// Write `bytes` to `path` through a hidden temporary sibling and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    Ok(riskcensus_io::files::write_atomic(path, bytes)?)
}

/// Load one level grid as a map: codes, legend (with class ranges from the manifest's
/// breaks when the grid is a model's levels) and titles.
pub fn level_map(r: &run::Run, g: &run::LevelGridFile) -> Result<map::LevelMap, ReportError> {
    let reader = riskcensus_io::RasterReader::open(&g.path, 1)?;
    let grid = reader.info().grid()?;
    if !grid.same_lattice(r.grid()) {
        return Err(ReportError::invalid(
            &g.path,
            "level grid is not on the census grid of the manifest",
        ));
    }
    let levels = reader.read_u8(grid.full_window())?;
    let mut classes = run::legend_of(&reader);
    if g.kind == run::GridKind::Level {
        if let Some(b) = r.model_for(&g.layer).and_then(|m| m.breaks.as_ref()) {
            run::class_ranges(b, &mut classes);
        }
    }
    let (title_zh, title_en) = run::titles(&r.manifest.hazards, &g.layer, g.kind);
    Ok(map::LevelMap {
        id: g.id.clone(),
        title_zh,
        title_en,
        levels,
        classes,
        markers: Vec::new(),
    })
}

/// Draw every level grid of the run into `<run>/maps/`.
pub fn render_maps(
    r: &run::Run,
    base: &map::Basemap,
    font: &CjkFont,
    web_only: bool,
) -> Result<(Vec<RenderedMap>, Vec<PathBuf>), ReportError> {
    let maps_dir = r.layout.maps();
    std::fs::create_dir_all(&maps_dir).map_err(ReportError::fs(&maps_dir))?;
    let pages: &[PageSize] = if web_only { &[WEB] } else { &[WEB, A4_PRINT] };
    let mut rendered = Vec::new();
    let mut written = Vec::new();
    for g in &r.grids {
        let lm = level_map(r, g)?;
        let (web_png, files) = render_pages(&maps_dir, base, &lm, font, pages, &mut written)?;
        rendered.push(RenderedMap {
            grid: g.clone(),
            title_zh: lm.title_zh,
            title_en: lm.title_en,
            legend: lm.classes,
            web_png,
            files,
        });
    }
    Ok((rendered, written))
}

/// Draw `lm` on every page size into `maps_dir/<id>_<page>.png`; returns the web
/// PNG and the file names, and adds the paths to `written`.
fn render_pages(
    maps_dir: &Path,
    base: &map::Basemap,
    lm: &map::LevelMap,
    font: &CjkFont,
    pages: &[PageSize],
    written: &mut Vec<PathBuf>,
) -> Result<(Vec<u8>, Vec<String>), ReportError> {
    let mut web_png = Vec::new();
    let mut files = Vec::new();
    for page in pages {
        let pm = map::render_map(base, lm, *page, font)?;
        let png = pm.encode_png().map_err(|e| ReportError::Render {
            map: lm.id.clone(),
            msg: format!("PNG encoding: {e}"),
        })?;
        let name = format!("{}_{}.png", lm.id, page.name);
        let path = maps_dir.join(&name);
        write_atomic(&path, &png)?;
        if page.name == WEB.name {
            web_png = png;
        }
        files.push(name);
        written.push(path);
    }
    Ok((web_png, files))
}

/// Draw the township map of AAL / GDP classes of the loss tables into `<run>/maps/`
/// (`None` when no township is classified).
pub fn render_loss_map(
    r: &run::Run,
    base: &map::Basemap,
    font: &CjkFont,
    tables: &loss::LossTables,
    web_only: bool,
    written: &mut Vec<PathBuf>,
) -> Result<Option<html::loss::LossMap>, ReportError> {
    let Some(lm) = loss::aal_gdp_map(base, tables) else {
        return Ok(None);
    };
    let maps_dir = r.layout.maps();
    std::fs::create_dir_all(&maps_dir).map_err(ReportError::fs(&maps_dir))?;
    let pages: &[PageSize] = if web_only { &[WEB] } else { &[WEB, A4_PRINT] };
    let (web_png, files) = render_pages(&maps_dir, base, &lm, font, pages, written)?;
    Ok(Some(html::loss::LossMap {
        title_zh: lm.title_zh,
        title_en: lm.title_en,
        web_png,
        files,
    }))
}

/// Draw the maps of the capacity chapter into `<run>/maps/`, each when it has
/// something to show: the capacity grades with the shelters
/// ([`capacity::grades_map`]), the rescue isochrones ([`capacity::rescue_map`]) and
/// the 三高一低 screening ([`capacity::screening_map`]).
pub fn render_capacity_maps(
    r: &run::Run,
    base: &map::Basemap,
    font: &CjkFont,
    tables: &capacity::CapacityTables,
    web_only: bool,
    written: &mut Vec<PathBuf>,
) -> Result<Vec<html::capacity::CapacityMap>, ReportError> {
    let maps = [
        capacity::grades_map(base, tables),
        capacity::rescue_map(base, tables),
        capacity::screening_map(base, tables),
    ];
    let maps_dir = r.layout.maps();
    std::fs::create_dir_all(&maps_dir).map_err(ReportError::fs(&maps_dir))?;
    let pages: &[PageSize] = if web_only { &[WEB] } else { &[WEB, A4_PRINT] };
    let mut out = Vec::new();
    for lm in maps.into_iter().flatten() {
        let (web_png, files) = render_pages(&maps_dir, base, &lm, font, pages, written)?;
        out.push(html::capacity::CapacityMap {
            id: lm.id,
            title_zh: lm.title_zh,
            title_en: lm.title_en,
            web_png,
            files,
        });
    }
    Ok(out)
}

/// Render the maps and the HTML report of the run folder `run_dir`: writes
/// `<run>/maps/*.png` and `<run>/report.html`. Errors name the missing file, table
/// or font.
pub fn render_report(run_dir: &Path, opts: &ReportOptions) -> Result<ReportSummary, ReportError> {
    let r = run::Run::open(run_dir)?;
    let font = match &opts.font {
        Some(p) => CjkFont::load(p)?,
        None => CjkFont::find()?,
    };
    let base = basemap::load(&r)?;
    let (maps, mut written) = render_maps(&r, &base, &font, opts.web_only)?;
    let loss_tables = loss::read(&r)?;
    let loss_map = match &loss_tables {
        Some(t) => render_loss_map(&r, &base, &font, t, opts.web_only, &mut written)?,
        None => None,
    };
    let capacity_tables = capacity::read(&r)?;
    let capacity_maps = match &capacity_tables {
        Some(t) => render_capacity_maps(&r, &base, &font, t, opts.web_only, &mut written)?,
        None => Vec::new(),
    };
    let trend_tables = trend::read(&r)?;
    let grade_tables = grades::read(&r)?;
    let page = html::build(
        &r,
        &base,
        &maps,
        loss_tables.as_ref().map(|t| (t, loss_map.as_ref())),
        capacity_tables
            .as_ref()
            .map(|t| (t, capacity_maps.as_slice())),
        trend_tables.as_ref(),
        grade_tables.as_ref(),
    )?;
    let html_path = r.layout.report_html();
    write_atomic(&html_path, page.as_bytes())?;
    Ok(ReportSummary {
        html: html_path,
        maps: written,
        grids: r.grids.iter().map(|g| g.id.clone()).collect(),
        font: font.path().to_path_buf(),
        font_family: font.family().to_string(),
    })
}
