//! Writing a stage's outputs, the one way every stage does it: whole-grid arrays as
//! Cloud-Optimized GeoTIFFs carrying their provenance tags, level grids with their
//! scheme's legend, and text files (CSV, JSON) — all written under a temporary name
//! and renamed when complete, so a killed run never leaves a half-written output
//! under a final name.
//!
//! Grids are on the census grid (north-up, `(row, col)` arrays, row 0 north); float
//! grids mark nodata with NaN, level grids with 0.

use std::path::{Path, PathBuf};

use ndarray::ArrayView2;
use riskcensus_core::{GridSpec, LevelScheme};
use riskcensus_io::cog::{CogOptions, CogWriter, LevelLegend, Provenance};
use riskcensus_io::RasterReader;

use crate::error::EngineError;
use crate::provenance::tag;

/// The timestamp written into GeoPackages so that re-runs give identical bytes.
pub const FIXED_TIMESTAMP: &str = "2000-01-01T00:00:00Z";

/// `tags` plus the layer id.
pub fn with_layer(tags: &Provenance, id: &str) -> Provenance {
    let mut t = tags.clone();
    t.insert(tag::LAYER.into(), id.into());
    t
}

/// True when `path` exists and carries the cache key `key` (an output built from
/// the same inputs by the same engine: keep it).
pub fn is_cached(path: &Path, key: &str) -> bool {
    path.exists()
        && RasterReader::open(path, 1)
            .ok()
            .and_then(|r| r.metadata(tag::CACHE_KEY))
            .is_some_and(|k| k == key)
}

/// Write a whole-grid array as the COG `<dir>/<id>.tif` with `tags` and its layer
/// id; `nodata` is declared on the band (NaN for float grids, 0 for level grids).
pub fn write_array<T: riskcensus_io::CellType + Copy>(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    a: ArrayView2<T>,
    nodata: Option<f64>,
    tags: &Provenance,
    cog: &CogOptions,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<T>::create(&path, grid, nodata, cog.clone())?;
    let data = a.as_standard_layout();
    w.write_window(
        grid.full_window(),
        data.as_slice().expect("standard layout"),
    )?;
    w.set_tags(&with_layer(tags, id));
    w.finish()?;
    Ok(path)
}

/// Write a row-major float grid as `<dir>/<id>.tif` (NaN nodata) with `tags`, its
/// layer id and, when given, its unit.
pub fn write_f32(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    data: &[f32],
    tags: &Provenance,
    unit: Option<&str>,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<f32>::create(&path, grid, Some(f64::NAN), CogOptions::default())?;
    w.write_window(grid.full_window(), data)?;
    let mut t = with_layer(tags, id);
    if let Some(unit) = unit {
        t.insert(tag::UNITS.into(), unit.into());
    }
    w.set_tags(&t);
    w.finish()?;
    Ok(path)
}

/// Write a row-major level grid as `<dir>/<id>.tif` (u8, 0 = nodata) with the
/// scheme's colour table and class names, `tags`, its layer id and the scheme id as
/// its unit.
pub fn write_levels(
    dir: &Path,
    id: &str,
    grid: &GridSpec,
    data: &[u8],
    scheme: LevelScheme,
    tags: &Provenance,
) -> Result<PathBuf, EngineError> {
    let path = dir.join(format!("{id}.tif"));
    let mut w = CogWriter::<u8>::create(&path, grid, Some(0.0), CogOptions::default())?;
    w.write_window(grid.full_window(), data)?;
    let mut t = with_layer(tags, id);
    t.insert(tag::UNITS.into(), scheme.id().into());
    w.set_tags(&t);
    w.set_legend(LevelLegend(scheme));
    w.finish()?;
    Ok(path)
}

/// Write `bytes` to `path` atomically, creating its folder.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), EngineError> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(EngineError::fs(dir))?;
    }
    Ok(riskcensus_io::files::write_atomic(path, bytes)?)
}

/// Write `text` to `path` atomically, creating its folder.
pub fn write_text(path: &Path, text: &str) -> Result<(), EngineError> {
    write_bytes(path, text.as_bytes())
}

/// A CSV output: records encoded by the csv crate (a field is quoted only when it
/// holds a comma, a quote or a line break, quotes doubled; `\n` ends a record) into
/// memory, then written atomically by [`CsvOut::finish`]. Every record must have as
/// many fields as the header.
pub struct CsvOut {
    path: PathBuf,
    /// Records already taken out of `w` (see [`CsvOut::record_quoted`]).
    done: Vec<u8>,
    w: csv::Writer<Vec<u8>>,
}

/// How a field of [`CsvOut::record_quoted`] is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// Only when it must be (the csv crate's `QuoteStyle::Necessary`).
    Needed,
    /// Always (a text column whose values must never read as numbers).
    Always,
}

impl CsvOut {
    /// An empty table to be written to `path`.
    pub fn new(path: impl Into<PathBuf>) -> CsvOut {
        CsvOut {
            path: path.into(),
            done: Vec::new(),
            w: csv::WriterBuilder::new().from_writer(Vec::new()),
        }
    }

    /// Where the table will be written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record (the header is the first).
    pub fn record<I, T>(&mut self, fields: I) -> Result<(), EngineError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.w
            .write_record(fields)
            .map_err(|source| EngineError::CsvWrite {
                path: self.path.clone(),
                source,
            })
    }

    /// Append one record whose fields each say how they are quoted. Each field is
    /// encoded by its own csv writer (the csv crate fixes the quoting style per
    /// writer), and the encoded fields are joined by commas.
    pub fn record_quoted(&mut self, fields: &[(&str, Quote)]) -> Result<(), EngineError> {
        let err = |source| EngineError::CsvWrite {
            path: self.path.clone(),
            source,
        };
        let mut line = Vec::new();
        for (i, (value, quote)) in fields.iter().enumerate() {
            let style = match quote {
                Quote::Needed => csv::QuoteStyle::Necessary,
                Quote::Always => csv::QuoteStyle::Always,
            };
            // One field as a whole record, less its terminator: a writer closes a
            // quoted field only when the record ends or the next field begins. An empty
            // field that needs no quotes is nothing (a record of one empty field
            // would be written `""`).
            let bytes = if value.is_empty() && *quote == Quote::Needed {
                Vec::new()
            } else {
                let mut one = csv::WriterBuilder::new()
                    .quote_style(style)
                    .from_writer(Vec::new());
                one.write_record([value]).map_err(err)?;
                let mut bytes = one
                    .into_inner()
                    .map_err(|e| err(csv::Error::from(e.into_error())))?;
                bytes.pop();
                bytes
            };
            if i > 0 {
                line.push(b',');
            }
            line.extend_from_slice(&bytes);
        }
        line.push(b'\n');
        // The records written so far go first, so records stay in order.
        let w = std::mem::replace(
            &mut self.w,
            csv::WriterBuilder::new().from_writer(Vec::new()),
        );
        let before = w
            .into_inner()
            .map_err(|e| err(csv::Error::from(e.into_error())))?;
        self.done.extend_from_slice(&before);
        self.done.extend_from_slice(&line);
        Ok(())
    }

    /// The encoded table.
    pub fn into_bytes(self) -> Result<Vec<u8>, EngineError> {
        let (path, mut done) = (self.path, self.done);
        let rest = self
            .w
            .into_inner()
            .map_err(|e| EngineError::fs(path)(e.into_error()))?;
        done.extend_from_slice(&rest);
        Ok(done)
    }

    /// Write the table to its path atomically (creating its folder).
    pub fn finish(self) -> Result<(), EngineError> {
        let path = self.path.clone();
        write_bytes(&path, &self.into_bytes()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes the classes table has always had: labels always quoted (inner
    /// quotes doubled), other fields quoted only when they must be, an empty field
    /// left empty, records in order around a plain record.
    #[test]
    fn csv_quoting_per_field() {
        let mut t = CsvOut::new("t.csv");
        t.record(["a", "b,c", "d"]).unwrap();
        t.record_quoted(&[
            ("slope", Quote::Needed),
            ("code 1", Quote::Always),
            ("", Quote::Needed),
        ])
        .unwrap();
        t.record_quoted(&[
            ("x", Quote::Needed),
            ("say \"hi\"", Quote::Always),
            ("1", Quote::Needed),
        ])
        .unwrap();
        t.record(["", "", ""]).unwrap();
        let text = String::from_utf8(t.into_bytes().unwrap()).unwrap();
        assert_eq!(
            text,
            "a,\"b,c\",d\nslope,\"code 1\",\nx,\"say \"\"hi\"\"\",1\n,,\n"
        );
    }
}
