//! Inventories of hazard points: a CSV (`x`, `y` in the grid's CRS, optional
//! `type`) or any OGR vector file of points; the hazard-type filter (codes or the
//! census schema's Chinese names) and the check that every point lies on the grid.

use std::path::Path;

use riskcensus_core::GridSpec;
use riskcensus_io::vector_read::{RawValue, VectorSource};
use riskcensus_models::geohazard::params::HAZARD_TYPES;

use crate::error::EngineError;

/// An inventory point: (x, y) in the grid CRS, its type code and record number.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryPoint {
    /// Easting (grid CRS).
    pub x: f64,
    /// Northing (grid CRS).
    pub y: f64,
    /// Hazard type as given (a code or a Chinese name), `None` without a type column.
    pub kind: Option<String>,
    /// 1-based record (CSV data row or feature position).
    pub record: usize,
}

impl InventoryPoint {
    /// The point's fractional position on `grid`, (col, row) in cells from the
    /// upper-left corner (the sampling and threat kernels' coordinates).
    pub fn cell_position(&self, grid: &GridSpec) -> (f64, f64) {
        (
            (self.x - grid.x_min) / grid.cell_size,
            (grid.y_max - self.y) / grid.cell_size,
        )
    }
}

/// Read an inventory: a CSV (`x`, `y` columns, optional `type`) or a vector file
/// of points (field `type` if present), in the grid's CRS.
pub fn read_inventory(path: &Path, grid: &GridSpec) -> Result<Vec<InventoryPoint>, EngineError> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return read_csv_inventory(path);
    }
    let src = VectorSource::open(path)?;
    let info = src.info(None)?;
    if let (Some(epsg), true) = (&info.crs_epsg, grid.crs.starts_with("EPSG:")) {
        if !epsg.eq_ignore_ascii_case(&grid.crs) {
            return Err(EngineError::InventoryCrs {
                path: path.to_path_buf(),
                found: epsg.clone(),
                expected: grid.crs.clone(),
            });
        }
    }
    let type_field = info
        .fields
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case("type"));
    let mut pts = Vec::new();
    src.read(None, |feat| -> Result<(), EngineError> {
        let record = feat.index as usize + 1;
        let bad = |problem: String| EngineError::InventoryGeometry {
            path: path.to_path_buf(),
            record,
            problem,
        };
        let g = feat.geometry.map_err(bad)?;
        let (x, y) = match g {
            Some(geo_types::Geometry::Point(p)) => (p.x(), p.y()),
            Some(geo_types::Geometry::MultiPoint(mp)) if mp.0.len() == 1 => {
                (mp.0[0].x(), mp.0[0].y())
            }
            _ => return Err(bad("geometry is not a point".into())),
        };
        let kind = type_field.and_then(|i| match &feat.values[i] {
            RawValue::Text(b) => Some(String::from_utf8_lossy(b).trim().to_string()),
            _ => None,
        });
        pts.push(InventoryPoint { x, y, kind, record });
        Ok(())
    })?;
    Ok(pts)
}

/// A CSV inventory: a header naming `x` and `y` (any case, any order; `type`
/// optional; other columns ignored), one point per record. Fields are trimmed; a
/// record of empty fields is skipped; `record` is the data record's 1-based number.
fn read_csv_inventory(path: &Path) -> Result<Vec<InventoryPoint>, EngineError> {
    let text = std::fs::read(path).map_err(EngineError::fs(path))?;
    let csv_err = |source| EngineError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_slice());
    let header: Vec<String> = rdr
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(str::to_ascii_lowercase)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let missing = |column: &str| EngineError::CsvMissingColumn {
        path: path.to_path_buf(),
        line: 1,
        column: column.into(),
        needed_by: format!("an inventory (columns `x` and `y` in the grid CRS; found {header:?})"),
    };
    let xi = col("x").ok_or_else(|| missing("x"))?;
    let yi = col("y").ok_or_else(|| missing("y"))?;
    let ti = col("type");
    let mut pts = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(csv_err)?;
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let pos = rec
            .position()
            .expect("a record read from a reader has a position");
        let (record, line) = (pos.record(), pos.line());
        let num = |i: usize, name: &str| -> Result<f64, EngineError> {
            let value = rec.get(i).unwrap_or("");
            let bad = |source| EngineError::CsvNumber {
                path: path.to_path_buf(),
                record,
                line,
                field: name.into(),
                value: value.into(),
                source,
            };
            match value.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                Ok(_) => Err(bad(None)),
                Err(e) => Err(bad(Some(e))),
            }
        };
        let x = num(xi, "x")?;
        let y = num(yi, "y")?;
        let kind = ti.and_then(|i| rec.get(i)).map(str::to_string);
        pts.push(InventoryPoint {
            x,
            y,
            kind,
            record: record as usize,
        });
    }
    Ok(pts)
}

/// Chinese names of the hidden-danger types (the census schema's code list).
const TYPE_NAMES: &[(&str, &str)] = &[
    ("滑坡", "landslide"),
    ("崩塌", "collapse"),
    ("危岩", "collapse"),
    ("泥石流", "debris_flow"),
    ("地面塌陷", "subsidence"),
    ("塌陷", "subsidence"),
    ("岩溶塌陷", "subsidence"),
    ("采空塌陷", "subsidence"),
    ("地裂缝", "ground_fissure"),
];

/// Keep the points whose type is one of `keep`; an unknown type is an error naming
/// the record; points without a type column are all kept.
pub fn filter_types(
    points: Vec<InventoryPoint>,
    keep: &[String],
    path: &Path,
) -> Result<Vec<InventoryPoint>, EngineError> {
    let mut out = Vec::with_capacity(points.len());
    for p in points {
        match &p.kind {
            None => out.push(p),
            Some(k) if k.is_empty() => out.push(p),
            Some(k) => {
                let code = if HAZARD_TYPES.contains(&k.as_str()) {
                    k.as_str()
                } else if let Some((_, c)) = TYPE_NAMES.iter().find(|(n, _)| n == k) {
                    c
                } else {
                    return Err(EngineError::UnknownHazardType {
                        path: path.to_path_buf(),
                        record: p.record,
                        value: k.clone(),
                        known: HAZARD_TYPES.join(", "),
                    });
                };
                if keep.iter().any(|t| t == code) {
                    out.push(p);
                }
            }
        }
    }
    Ok(out)
}

/// Every point must fall inside the grid.
pub fn check_inside(
    points: &[InventoryPoint],
    grid: &GridSpec,
    path: &Path,
) -> Result<(), EngineError> {
    for p in points {
        if grid.cell_of(p.x, p.y).is_none() {
            let (x0, y0, x1, y1) = grid.bounds();
            return Err(EngineError::PointOutsideGrid {
                path: path.to_path_buf(),
                record: p.record,
                x: p.x,
                y: p.y,
                bounds: [x0, y0, x1, y1],
                crs: grid.crs.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn read(text: &str) -> Result<Vec<InventoryPoint>, EngineError> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("inv.csv");
        std::fs::write(&p, text).unwrap();
        read_csv_inventory(&p)
    }

    /// A byte-order mark, header case, quoted fields and blank lines are read by
    /// the csv crate; records count data rows.
    #[test]
    fn csv_inventory_reads_quoted_fields() {
        let pts = read("\u{feff}X,Y,Type\n1.5,2,\"滑坡\"\n\n\"3\",4,\n").unwrap();
        assert_eq!(
            pts,
            vec![
                InventoryPoint {
                    x: 1.5,
                    y: 2.0,
                    kind: Some("滑坡".into()),
                    record: 1
                },
                InventoryPoint {
                    x: 3.0,
                    y: 4.0,
                    kind: Some(String::new()),
                    record: 2
                },
            ]
        );
    }

    /// A coordinate that is not finite, or not a number, names the record, line and
    /// column; the parse error is kept as the cause when there is one.
    #[test]
    fn bad_coordinates_are_named() {
        let e = read("x,y\n1,2\n3,inf\n").unwrap_err();
        assert!(
            matches!(&e, EngineError::CsvNumber { record: 2, line: 3, field, source: None, .. } if field == "y"),
            "{e}"
        );
        let e = read("x,y\nabc,2\n").unwrap_err();
        assert!(e.source().unwrap().is::<std::num::ParseFloatError>(), "{e}");
        let e = read("lon,lat\n1,2\n").unwrap_err();
        assert!(
            matches!(&e, EngineError::CsvMissingColumn { column, .. } if column == "x"),
            "{e}"
        );
        assert!(e.is_input_error());
    }
}
