//! `riskcensus init`: start a census of one's own from a county boundary.
//!
//! [`init_census`] reads the boundary from any source the ingest reads (GeoPackage,
//! Shapefile, GeoJSON; any CRS GDAL/PROJ knows, or GCJ-02/BD-09 web-map coordinates
//! when declared), chooses the census CRS — by default the CGCS2000 3-degree
//! Gauss–Krüger zone of the boundary's centroid, without the zone prefix in the
//! easting (EPSG:4534–4554, central meridians 75°E–135°E; GB/T 17798-2007 and
//! CH/T 2014-2016 describe 3-degree zones for maps of 1:10 000 and larger) — snaps a
//! grid of whole cells over the boundary plus a margin, and writes the census folder:
//!
//! - `census.toml`, commented, every section present, no survey source yet but the
//!   county unit;
//! - `survey/county.gpkg`, layer `county`: the boundary as one multipolygon in the
//!   census CRS (the union of the source's polygons), with `code`, `name`, `level`;
//! - `census.gpkg`, the census database, with the county loaded into `admin_units`.
//!
//! An existing census folder (one holding `census.toml` or `census.gpkg`) is refused
//! unless [`InitOptions::force`] is set, which replaces both.

use std::path::{Path, PathBuf};

use geo::{Area, BoundingRect, Centroid};
use riskcensus_contracts::layout::{CENSUS_DB, CENSUS_FILE};
use riskcensus_core::GridSpec;
use riskcensus_io::gpkg::{DbGeometry, GpkgDb, TableSpec};
use riskcensus_io::vector::{FieldDef, FieldType, FieldValue};
use riskcensus_survey::census::Offset;
use riskcensus_survey::source::{ReadOptions, Source, SrcGeom};
use serde::Serialize;

use crate::error::EngineError;
use crate::ingest::{Census, IngestOptions, IngestReport, SourceCrs};

/// The census CRS `init` chooses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CrsChoice {
    /// The CGCS2000 3-degree Gauss–Krüger zone of the boundary's centroid.
    #[default]
    Auto,
    /// A CRS given by the user (`EPSG:n`, WKT); it must be projected, in metres.
    Given(String),
}

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Name of the county or city (`[census] name`).
    pub name: String,
    /// Administrative code (GB/T 2260, 6 digits; `[census] code`).
    pub code: String,
    /// The boundary source (GeoPackage, Shapefile, GeoJSON); several polygons are
    /// merged into one.
    pub boundary: PathBuf,
    /// Layer inside a multi-layer boundary source.
    pub source_layer: Option<String>,
    /// The boundary's CRS when it declares none or declares it wrongly (`EPSG:n`,
    /// `CGCS2000`, `GCJ02`, `BD09`, …).
    pub source_crs: Option<String>,
    /// The census CRS.
    pub crs: CrsChoice,
    /// Cell size of the census grid, metres (default 30, the resolution of the
    /// common public DEMs).
    pub resolution: f64,
    /// Margin around the boundary, metres (default 2000: flow paths and distances
    /// near the border see the terrain beyond it).
    pub margin: f64,
    /// Replace an existing census in the folder.
    pub force: bool,
}

impl Default for InitOptions {
    fn default() -> Self {
        Self {
            name: String::new(),
            code: String::new(),
            boundary: PathBuf::new(),
            source_layer: None,
            source_crs: None,
            crs: CrsChoice::Auto,
            resolution: 30.0,
            margin: 2000.0,
            force: false,
        }
    }
}

/// What `init` did.
#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    /// The census folder.
    pub dir: PathBuf,
    /// The boundary source as given.
    pub boundary: PathBuf,
    /// Polygons read from the boundary source.
    pub polygons: usize,
    /// The boundary's CRS as used (after `--source-crs`).
    pub source_crs: String,
    /// Centroid of the boundary, `(longitude, latitude)` in CGCS2000 degrees.
    pub centroid_lonlat: (f64, f64),
    /// The census CRS and why it was chosen.
    pub crs: String,
    /// How the census CRS was chosen.
    pub crs_reason: String,
    /// The census grid.
    pub grid: GridSpec,
    /// Area of the boundary in the census CRS, km².
    pub area_km2: f64,
    /// The county unit's load into the census database.
    pub county: IngestReport,
    /// Remarks for the user.
    pub notes: Vec<String>,
}

/// The CGCS2000 3-degree Gauss–Krüger CRS (no zone prefix in the easting) whose
/// central meridian is nearest to `lon`: EPSG:4534 (75°E) … EPSG:4554 (135°E).
/// `None` outside 73.5°E–136.5°E, where no such zone is defined.
pub fn cgcs2000_3deg_zone(lon: f64) -> Option<(u32, u32)> {
    if !(73.5..136.5).contains(&lon) {
        return None;
    }
    let cm = ((lon / 3.0).round() * 3.0) as u32;
    Some((4534 + (cm - 75) / 3, cm))
}

fn init_error(path: &Path, msg: impl Into<String>) -> EngineError {
    EngineError::Init {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

/// A polygonal geometry as a multipolygon (`None` for other types).
fn polygons_of(g: geo::Geometry<f64>) -> Option<Vec<geo::Polygon<f64>>> {
    match g {
        geo::Geometry::Polygon(p) => Some(vec![p]),
        geo::Geometry::MultiPolygon(m) => Some(m.0),
        geo::Geometry::GeometryCollection(c) => {
            let v: Vec<_> = c.0.into_iter().filter_map(polygons_of).flatten().collect();
            (!v.is_empty()).then_some(v)
        }
        _ => None,
    }
}

/// Start a census in `dir` from a county boundary; see the module documentation.
pub fn init_census(dir: &Path, opts: &InitOptions) -> Result<InitReport, EngineError> {
    let code = opts.code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(init_error(
            dir,
            format!("--code {code:?}: a county or city code has 6 digits (GB/T 2260), e.g. 370902"),
        ));
    }
    if opts.name.trim().is_empty() {
        return Err(init_error(dir, "--name is empty: give the county's name"));
    }
    if !(opts.resolution.is_finite() && opts.resolution > 0.0) {
        return Err(init_error(
            dir,
            format!(
                "--resolution {}: a cell size in metres > 0",
                opts.resolution
            ),
        ));
    }
    if !(opts.margin.is_finite() && opts.margin >= 0.0) {
        return Err(init_error(
            dir,
            format!("--margin {}: a distance in metres ≥ 0", opts.margin),
        ));
    }
    let toml_path = dir.join(CENSUS_FILE);
    let db_path = dir.join(CENSUS_DB);
    if !opts.force && (toml_path.exists() || db_path.exists()) {
        return Err(init_error(
            dir,
            format!(
                "already holds a census ({}): choose another folder, or pass --force to replace its {CENSUS_FILE} and {CENSUS_DB}",
                if toml_path.exists() { CENSUS_FILE } else { CENSUS_DB }
            ),
        ));
    }

    // 1. The boundary's polygons, in its own CRS.
    let boundary = &opts.boundary;
    let src = Source::open(
        boundary,
        &ReadOptions {
            source_layer: opts.source_layer.clone(),
            wants_geometry: true,
            geometry_required: true,
            ..ReadOptions::default()
        },
    )
    .map_err(crate::ingest::engine_error)?;
    let mut notes = Vec::new();
    let given = opts.source_crs.as_deref().map(SourceCrs::parse);
    let source_crs = match (&given, &src.crs) {
        (Some(g), _) => g.clone(),
        (None, Some(own)) => {
            if src.format == "GeoJSON" {
                notes.push(format!(
                    "{}: read as WGS 84 (GeoJSON, RFC 7946); exports of Chinese web maps are usually GCJ-02 or BD-09 — if this one is, run init again with --source-crs GCJ02 (or BD09)",
                    boundary.display()
                ));
            }
            SourceCrs::parse(own)
        }
        (None, None) => {
            return Err(init_error(
                boundary,
                "the boundary declares no CRS (a CRS is never guessed): give --source-crs, e.g. EPSG:4490",
            ))
        }
    };
    let mut polys: Vec<geo::Polygon<f64>> = Vec::new();
    let mut bad = Vec::new();
    src.for_each(|r| {
        match r.geom {
            SrcGeom::Geometry(g) => match polygons_of(g) {
                Some(p) => polys.extend(p),
                None => bad.push(format!("{}: not a polygon", r.at)),
            },
            SrcGeom::Broken(e) => bad.push(format!("{}: unreadable geometry: {e}", r.at)),
            SrcGeom::None | SrcGeom::Xy(..) => bad.push(format!("{}: no geometry", r.at)),
        }
        Ok(())
    })
    .map_err(crate::ingest::engine_error)?;
    if !bad.is_empty() {
        return Err(init_error(
            boundary,
            format!("the boundary must be polygons: {}", bad.join("; ")),
        ));
    }
    if polys.is_empty() {
        return Err(init_error(boundary, "no polygon in the boundary source"));
    }
    let n_polys = polys.len();

    // 2. To geographic CGCS2000 (web-map offsets removed) for the centroid and zone
    // (the parts' area-weighted centroid: their overlaps do not move it by a zone).
    let delivered = geo::Geometry::MultiPolygon(geo::MultiPolygon(polys));
    let mut lonlat = delivered.clone();
    reproject(&mut lonlat, &source_crs, "EPSG:4490", boundary)?;
    let c = lonlat
        .centroid()
        .ok_or_else(|| init_error(boundary, "the boundary has no area"))?;
    let (lon, lat) = (c.x(), c.y());
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(init_error(
            boundary,
            format!(
                "the boundary's centroid ({lon:.4}, {lat:.4}) is not a longitude/latitude: is the source CRS ({}) right? Give --source-crs",
                source_crs.crs
            ),
        ));
    }
    let (crs, crs_reason) = match &opts.crs {
        CrsChoice::Given(c) => (c.clone(), "given with --crs".to_string()),
        CrsChoice::Auto => {
            let (epsg, cm) = cgcs2000_3deg_zone(lon).ok_or_else(|| {
                init_error(
                    boundary,
                    format!("the boundary's centroid lies at {lon:.3}°E, outside the CGCS2000 3-degree zones (75°E–135°E): give --crs EPSG:n"),
                )
            })?;
            (
                format!("EPSG:{epsg}"),
                format!(
                    "CGCS2000 3-degree Gauss–Krüger zone of the centroid ({lon:.4}°E, {lat:.4}°N): central meridian {cm}°E"
                ),
            )
        }
    };
    match riskcensus_io::crs::is_projected(&crs) {
        Ok(true) => {}
        Ok(false) => {
            return Err(init_error(
                dir,
                format!("--crs {crs}: not a projected CRS; the census grid is in metres"),
            ))
        }
        Err(e) => return Err(init_error(dir, format!("--crs {crs}: {e}"))),
    }

    // 3. The boundary in the census CRS and a grid of whole cells over it.
    let mut projected = delivered;
    reproject(&mut projected, &source_crs, &crs, boundary)?;
    let projected = union(projected, boundary)?;
    let area_km2 = projected.unsigned_area() / 1.0e6;
    let r = projected
        .bounding_rect()
        .ok_or_else(|| init_error(boundary, "the boundary has no extent"))?;
    let res = opts.resolution;
    // Edges on whole multiples of the cell size, so grids of one resolution align.
    let snap = |v: f64, up: bool| {
        (if up {
            (v / res).ceil()
        } else {
            (v / res).floor()
        }) * res
    };
    let grid = GridSpec::covering(
        &crs,
        snap(r.min().x - opts.margin, false),
        snap(r.min().y - opts.margin, false),
        snap(r.max().x + opts.margin, true),
        snap(r.max().y + opts.margin, true),
        res,
    )
    .map_err(|e| init_error(dir, format!("the census grid: {e}")))?;

    // 4. The census folder.
    if opts.force {
        for p in [&db_path, &dir.join(format!("{CENSUS_DB}.lock"))] {
            if p.exists() {
                std::fs::remove_file(p).map_err(EngineError::fs(p))?;
            }
        }
    }
    let survey = dir.join("survey");
    std::fs::create_dir_all(&survey).map_err(EngineError::fs(&survey))?;
    let county = survey.join("county.gpkg");
    write_county(&county, &crs, &projected, code, opts.name.trim())?;
    let text = census_toml(opts, code, &grid, &crs_reason, boundary, &src.sha256);
    riskcensus_io::files::write_atomic(&toml_path, text.as_bytes())?;
    // The file must load as every command will load it.
    crate::config::CensusConfig::load(dir)?;

    // 5. The county unit into the census database.
    let census = Census::open(dir).map_err(crate::ingest::engine_error)?;
    let county_report = census
        .ingest(
            &county,
            &IngestOptions {
                layer: riskcensus_contracts::tables::census::ADMIN_UNITS.into(),
                ..Default::default()
            },
        )
        .map_err(crate::ingest::engine_error)?;
    if county_report.rejected > 0 {
        let why: Vec<String> = county_report
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        return Err(init_error(
            &county,
            format!("the county unit was rejected: {}", why.join("; ")),
        ));
    }
    if n_polys > 1 {
        notes.push(format!(
            "{n_polys} polygons of the boundary merged into one county unit; load townships with `riskcensus ingest {} <townships> --layer admin_units`",
            dir.display()
        ));
    }
    Ok(InitReport {
        dir: dir.to_path_buf(),
        boundary: boundary.clone(),
        polygons: n_polys,
        source_crs: match source_crs.offset {
            Offset::None => source_crs.crs.clone(),
            Offset::Gcj02 => "GCJ-02 → WGS 84".into(),
            Offset::Bd09 => "BD-09 → WGS 84".into(),
        },
        centroid_lonlat: (lon, lat),
        crs,
        crs_reason,
        grid,
        area_km2,
        county: county_report,
        notes,
    })
}

/// The boundary from its CRS (offset removed) into `to`, in place.
fn reproject(
    g: &mut geo::Geometry<f64>,
    from: &SourceCrs,
    to: &str,
    path: &Path,
) -> Result<(), EngineError> {
    let t = riskcensus_io::crs::Transformer::new(&from.crs, to)?;
    if !riskcensus_survey::census::reproject(g, from.offset, Some(&t)) {
        return Err(init_error(
            path,
            format!(
                "a vertex does not transform from {} to {to}: is the source CRS right? Give --source-crs",
                from.crs
            ),
        ));
    }
    Ok(())
}

/// The union of the boundary's polygons, each invalid one repaired first (GEOS
/// MakeValid, polygonal parts kept, as the ingest does) so that delivered defects
/// such as repeated vertices do not stop it.
fn union(g: geo::Geometry<f64>, path: &Path) -> Result<geo::MultiPolygon<f64>, EngineError> {
    use riskcensus_io::vector_read::{is_valid, make_valid_polygonal};
    let geo::Geometry::MultiPolygon(m) = g else {
        unreachable!("the boundary is collected as a multipolygon")
    };
    let mut parts = Vec::with_capacity(m.0.len());
    for p in m.0 {
        let g = geo::Geometry::Polygon(p);
        let g = if is_valid(&g).map_err(|e| init_error(path, e))? {
            g
        } else {
            match make_valid_polygonal(&g).map_err(|e| init_error(path, e))? {
                Some(fixed) => fixed,
                None => continue,
            }
        };
        parts.extend(polygons_of(g).unwrap_or_default());
    }
    let u = geo::unary_union(parts.iter());
    if u.0.is_empty() {
        return Err(init_error(path, "the boundary's polygons have no area"));
    }
    Ok(u)
}

fn write_county(
    path: &Path,
    crs: &str,
    boundary: &geo::MultiPolygon<f64>,
    code: &str,
    name: &str,
) -> Result<(), EngineError> {
    if path.exists() {
        std::fs::remove_file(path).map_err(EngineError::fs(path))?;
    }
    let spec = TableSpec {
        name: "county".into(),
        geometry: DbGeometry::MultiPolygon,
        crs: Some(crs.into()),
        fields: vec![
            FieldDef::new("code", FieldType::String),
            FieldDef::new("name", FieldType::String),
            FieldDef::new("level", FieldType::String),
        ],
        unique: vec![],
    };
    let mut db = GpkgDb::open(path, true)?;
    db.transaction::<_, EngineError>(|txn| {
        txn.ensure_table(&spec)?;
        let w = txn.writer("county", &["code", "name", "level"])?;
        w.insert(
            Some(&geo::Geometry::MultiPolygon(boundary.clone())),
            &[
                FieldValue::String(code.into()),
                FieldValue::String(name.into()),
                FieldValue::String("county".into()),
            ],
        )?;
        Ok(())
    })
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The commented `census.toml` of a new census.
fn census_toml(
    opts: &InitOptions,
    code: &str,
    grid: &GridSpec,
    crs_reason: &str,
    boundary: &Path,
    sha256: &str,
) -> String {
    let name = boundary
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        r#"# census.toml — the census workspace file, written by `riskcensus init`.
# Every key is documented in docs/census-toml.md (type, unit, default, example).
# Paths are relative to this folder. Coordinates are (x, y) = (easting, northing).
# Check what the census can run with `riskcensus status .`; run it with
# `riskcensus run .`.

# Who the census is for.
[census]
# Name of the county or city, shown on maps and in the report.
name = {name_v}
# GB/T 2260 code (6 digits); township codes extend it by 3 digits, village codes by 6.
code = {code_v}
# date = "YYYY-MM-DD"   # date of the survey data (default: the day of the last load)

# The census grid every layer is warped onto: north-up, square cells, metres.
# CRS: {crs_reason}.
# Extent: the boundary ({boundary_name}, SHA-256 {sha}) plus {margin} m, snapped
# to whole cells of {res} m.
[grid]
crs = {crs_v}
x_min = {x_min:?}   # m, west edge
y_max = {y_max:?}   # m, north edge
cell_size = {res:?}   # m
rows = {rows}   # cells, north to south
cols = {cols}   # cells, west to east

# Raster survey layers ([[raster]], repeatable), warped onto the grid. Models read
# them by id: dem (m), landcover (GlobeLand30 class), population (persons per cell),
# rain24h_100y (mm), … — `riskcensus status .` says which ones each hazard lacks.
# [[raster]]
# id = "dem"
# path = "survey/dem.tif"
# kind = "continuous"      # continuous | categorical | count
# units = "m"

# Vector survey layers ([[vector]], repeatable): GeoPackage, Shapefile, GeoJSON,
# loaded into the census table their `kind` names (docs/census-schema.md).
[[vector]]
id = "county"
path = "survey/county.gpkg"
kind = "admin_units"
geometry = "polygon"
description = "county boundary, from {boundary_name}"
# [[vector]]
# id = "townships"
# path = "survey/townships.shp"
# kind = "admin_units"
# geometry = "polygon"
# encoding = "GBK"         # a Shapefile's .cpg wins

# CSV survey tables ([[table]], repeatable), optionally with point coordinates.
# [[table]]
# id = "buildings"
# path = "survey/buildings.csv"
# kind = "buildings"
# crs = "EPSG:4490"        # CRS of the x/y columns; GCJ02 or BD09 for web-map exports

# How level grids are cleaned into mappable zones (defaults shown).
[zoning]
mmu_m2 = 100000.0          # minimum mapping unit, m²
majority_filter = false    # one 8-neighbour majority pass before the sieve
"#,
        name_v = toml_str(opts.name.trim()),
        code_v = toml_str(code),
        crs_v = toml_str(&grid.crs),
        boundary_name = name,
        sha = &sha256[..sha256.len().min(16)],
        margin = opts.margin,
        res = grid.cell_size,
        x_min = grid.x_min,
        y_max = grid.y_max,
        rows = grid.rows,
        cols = grid.cols,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_follow_the_central_meridians() {
        // Tai'an (117.1°E) lies in the zone of CM 117°E, EPSG:4548 (the demo's CRS).
        assert_eq!(cgcs2000_3deg_zone(117.1), Some((4548, 117)));
        assert_eq!(cgcs2000_3deg_zone(75.0), Some((4534, 75)));
        assert_eq!(cgcs2000_3deg_zone(118.49), Some((4548, 117)));
        assert_eq!(cgcs2000_3deg_zone(118.51), Some((4549, 120)));
        assert_eq!(cgcs2000_3deg_zone(135.0), Some((4554, 135)));
        assert_eq!(cgcs2000_3deg_zone(10.0), None);
    }

    #[test]
    fn the_zone_crs_are_the_gauss_kruger_zones_gdal_knows() {
        // Independent check against PROJ's database: EPSG:4548 is CGCS2000 / 3-degree
        // Gauss-Kruger CM 117E.
        for (lon, cm) in [(75.0, 75), (117.0, 117), (135.0, 135)] {
            let (epsg, _) = cgcs2000_3deg_zone(lon).unwrap();
            let wkt = riskcensus_io::crs::to_wkt(&format!("EPSG:{epsg}")).unwrap();
            assert!(wkt.contains(&format!("CM {cm}E")), "EPSG:{epsg}: {wkt}");
        }
    }
}
