//! What every map of a run shares, read once: hillshade, townships with label points,
//! rivers, the CRS note and the data date.

use riskcensus_contracts::tables::census::{self, BATCHES};
use riskcensus_contracts::tables::zoning;

use geo::InteriorPoint;
use geo_types::{Geometry, MultiLineString, MultiPolygon};
use riskcensus_io::RasterReader;

use crate::error::ReportError;
use crate::map::{Basemap, Township};
use crate::run::{open_gpkg, rows, Fields, Run};

/// Read the basemap of `run`: the hillshade `layers/hillshade.tif` when the run has
/// one (a census without a DEM has none: its maps are drawn on white, and the map
/// says so), the `townships` layer of `zoning.gpkg` and the census database; rivers
/// are drawn when the census has a `rivers` table.
pub fn load(run: &Run) -> Result<Basemap, ReportError> {
    let grid = run.grid().clone();
    let hs_path = run.layout.layers().join("hillshade.tif");
    let (hillshade, wkt) = if hs_path.exists() {
        let hs = RasterReader::open(&hs_path, 1)?;
        let hs_grid = hs.info().grid()?;
        if !hs_grid.same_lattice(&grid) {
            return Err(ReportError::invalid(
                &hs_path,
                format!(
                    "not on the census grid ({} × {} cells of {} m from ({}, {}); the manifest's grid is {} × {} of {} m from ({}, {}))",
                    hs_grid.rows, hs_grid.cols, hs_grid.cell_size, hs_grid.x_min, hs_grid.y_max,
                    grid.rows, grid.cols, grid.cell_size, grid.x_min, grid.y_max
                ),
            ));
        }
        (
            Some(hs.read_f32(grid.full_window())?),
            hs.info().crs_wkt.clone(),
        )
    } else {
        (
            None,
            riskcensus_io::crs::to_wkt(&grid.crs).unwrap_or_default(),
        )
    };
    let crs_note = crs_note(&grid.crs, &wkt);

    let zdb = open_gpkg(&run.zoning_gpkg(), "zoning GeoPackage of the run")?;
    let zpath = zdb.path().to_path_buf();
    let mut townships = Vec::new();
    for f in rows(&zdb, zoning::TOWNSHIPS, "township boundaries")? {
        let r = Fields {
            path: &zpath,
            table: zoning::TOWNSHIPS,
            f: &f,
        };
        let code = r.text("code")?;
        let name = r.text("name")?;
        let area = match &f.geometry {
            Some(Geometry::MultiPolygon(m)) => m.clone(),
            Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
            _ => {
                return Err(ReportError::invalid(
                    &zpath,
                    format!("table townships: fid {}: not a polygon", f.fid),
                ))
            }
        };
        let label = area
            .interior_point()
            .map(|p| (p.x(), p.y()))
            .ok_or_else(|| {
                ReportError::invalid(
                    &zpath,
                    format!("table townships: fid {}: empty polygon", f.fid),
                )
            })?;
        townships.push(Township {
            code,
            name,
            area,
            label,
        });
    }

    let cdb = open_gpkg(&run.census_gpkg(), "census database named by the manifest")?;
    let mut rivers = Vec::new();
    if cdb.has_table(census::RIVERS) {
        for f in cdb.query(census::RIVERS, None, None)? {
            match f.geometry {
                Some(Geometry::LineString(l)) => rivers.push(MultiLineString(vec![l])),
                Some(Geometry::MultiLineString(m)) => rivers.push(m),
                _ => {}
            }
        }
    }
    let data_date = data_date(run.census.as_ref(), &cdb)?;
    Ok(Basemap {
        grid,
        hillshade,
        townships,
        rivers,
        census_name: run.manifest.census.name.clone(),
        crs_note,
        data_date,
        engine_version: run.manifest.engine_version.clone(),
    })
}

/// `EPSG:4548 CGCS2000 / 3-degree Gauss-Kruger CM 117E`: the grid's CRS code and the
/// name in the raster's WKT (its first quoted string).
pub fn crs_note(code: &str, wkt: &str) -> String {
    let name = wkt.split('"').nth(1).unwrap_or("");
    if name.is_empty() || code.contains(name) {
        code.to_string()
    } else {
        format!("{code} {name}")
    }
}

/// The data date: `[census] date` of census.toml when given, else the day the last
/// survey batch was loaded (`_batches.finished_at`, date part), marked `(入库 loaded)`.
fn data_date(
    census: Option<&riskcensus_contracts::CensusFile>,
    db: &riskcensus_io::gpkg::GpkgDb,
) -> Result<Option<String>, ReportError> {
    if let Some(d) = census.and_then(|c| c.census.date.clone()) {
        return Ok(Some(d));
    }
    if !db.has_table(BATCHES) {
        return Ok(None);
    }
    let path = db.path().to_path_buf();
    let mut best: Option<String> = None;
    for f in db.query(BATCHES, None, None)? {
        let r = Fields {
            path: &path,
            table: BATCHES,
            f: &f,
        };
        if let Some(t) = r.opt_text("finished_at")? {
            let d: String = t.chars().take(10).collect();
            if best.as_ref().is_none_or(|b| d > *b) {
                best = Some(d);
            }
        }
    }
    Ok(best.map(|d| format!("{d} (入库 loaded)")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crs_note_joins_code_and_wkt_name() {
        let wkt = r#"PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 117E",GEOGCS["China Geodetic Coordinate System 2000"]]"#;
        assert_eq!(
            crs_note("EPSG:4548", wkt),
            "EPSG:4548 CGCS2000 / 3-degree Gauss-Kruger CM 117E"
        );
        assert_eq!(crs_note("EPSG:4548", ""), "EPSG:4548");
    }
}
