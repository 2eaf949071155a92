//! A table a stage delivers twice — as `<name>.csv` in its folder and as a layer of
//! `zoning.gpkg` — written once here: the stage builds a [`Deliverable`] and
//! publishes it in the run's context; the zoning stage adds every published one to
//! the GeoPackage (with its QGIS style). Values are typed once ([`FieldValue`]);
//! the CSV leaves geometry out, writes reals in Rust's shortest round-trip form and
//! nulls (and non-finite reals) as empty fields, so the same inputs give the same
//! bytes.

use std::path::{Path, PathBuf};

pub use riskcensus_io::vector::FieldValue;
use riskcensus_io::vector::{FieldDef, FieldType, GeometryType};

use crate::error::EngineError;
use crate::output::CsvOut;

/// How QGIS draws the layer (the `layer_styles` row zoning writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Style {
    /// Categorized on the field `level` with the colours and names of the level
    /// scheme of this id (polygons).
    LevelScheme(String),
    /// Points categorized on the field `level` with the colours and names of the
    /// level scheme of this id.
    PointScheme(String),
}

/// One table or layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Deliverable {
    /// Layer name in `zoning.gpkg`; the CSV is `<name>.csv`.
    pub name: String,
    /// Geometry of the layer (`None`: a plain table).
    pub geometry: GeometryType,
    /// The columns.
    pub fields: Vec<FieldDef>,
    /// The rows: geometry (census CRS) and one value per column.
    pub rows: Vec<(Option<geo_types::Geometry<f64>>, Vec<FieldValue>)>,
    /// The QGIS style, if any.
    pub style: Option<Style>,
}

impl Deliverable {
    /// An empty table `name` with columns `(name, type)`.
    pub fn new(name: &str, geometry: GeometryType, columns: &[(&str, FieldType)]) -> Self {
        Self {
            name: name.to_string(),
            geometry,
            fields: columns.iter().map(|(n, t)| FieldDef::new(*n, *t)).collect(),
            rows: Vec::new(),
            style: None,
        }
    }

    /// Append a row; panics when the row has the wrong number of values (a bug of
    /// the stage that builds the table).
    pub fn push(&mut self, geometry: Option<geo_types::Geometry<f64>>, values: Vec<FieldValue>) {
        assert_eq!(
            values.len(),
            self.fields.len(),
            "row of {} has {} values for {} columns",
            self.name,
            values.len(),
            self.fields.len()
        );
        self.rows.push((geometry, values));
    }

    /// Write `<dir>/<name>.csv` (header, then the rows, without geometry).
    pub fn write_csv(&self, dir: &Path) -> Result<PathBuf, EngineError> {
        let path = dir.join(format!("{}.csv", self.name));
        let mut t = CsvOut::new(&path);
        t.record(self.fields.iter().map(|f| f.name.as_str()))?;
        for (_, values) in &self.rows {
            t.record(values.iter().map(cell))?;
        }
        t.finish()?;
        Ok(path)
    }
}

/// A value as CSV text.
pub fn cell(v: &FieldValue) -> String {
    match v {
        FieldValue::Null => String::new(),
        FieldValue::Integer(i) => i.to_string(),
        FieldValue::Integer64(i) => i.to_string(),
        FieldValue::Real(x) if x.is_finite() => x.to_string(),
        FieldValue::Real(_) => String::new(),
        FieldValue::String(s) => s.clone(),
        FieldValue::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// A real value, null when not finite.
pub fn real(v: f64) -> FieldValue {
    if v.is_finite() {
        FieldValue::Real(v)
    } else {
        FieldValue::Null
    }
}

/// A real rounded to `d` decimals (tables people read), null when not finite.
pub fn round(v: f64, d: i32) -> FieldValue {
    let f = 10f64.powi(d);
    real((v * f).round() / f)
}

/// A text value.
pub fn text(v: impl Into<String>) -> FieldValue {
    FieldValue::String(v.into())
}

/// An integer value.
pub fn int(v: i64) -> FieldValue {
    FieldValue::Integer64(v)
}

/// A yes/no value as the integer 1 or 0.
pub fn flag(v: bool) -> FieldValue {
    FieldValue::Integer(i32::from(v))
}

/// A level code, null for 0 (no level).
pub fn level(v: u8) -> FieldValue {
    if v == 0 {
        FieldValue::Null
    } else {
        FieldValue::Integer(i32::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_typed_once() {
        let mut t = Deliverable::new(
            "t",
            GeometryType::None,
            &[
                ("a", FieldType::String),
                ("b", FieldType::Real),
                ("c", FieldType::Integer),
            ],
        );
        t.push(None, vec![text("x,y"), real(f64::NAN), level(0)]);
        t.push(None, vec![text("z"), round(1.23456, 2), level(3)]);
        let dir = tempfile::tempdir().unwrap();
        let p = t.write_csv(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            "a,b,c\n\"x,y\",,\nz,1.23,3\n"
        );
    }
}
