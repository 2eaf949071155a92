//! Survey ingestion for the RiskCensus engine: the census schema, field mapping,
//! collect-all validation, reprojection (PROJ through `riskcensus_io::crs`, plus the
//! GCJ-02/BD-09 inverses), township/village assignment on an rstar index, and the
//! census database (`census.gpkg`, written through GDAL/OGR in one transaction per
//! batch).
//!
//! - [`schema`]: every census layer, field, unit and value domain;
//! - [`schema_doc`]: the schema's tables as Markdown (those of `docs/census-schema.md`);
//! - [`mapping`]: mapping files (source field → schema field, code values);
//! - [`source`]: reading CSV and OGR sources with encoding detection;
//! - [`validate`]: record checks, [`Problem`] and [`Rule`];
//! - [`offset`]: GCJ-02 and BD-09 ↔ WGS 84;
//! - [`admin`]: the admin-unit index;
//! - [`codes`]: official admin codes (prefix `156`, area membership, level suffixes);
//! - [`census`]: [`Census`] — open, validate, ingest, query;
//! - [`text`]: encoding labels, strict decoding, calendar dates.
//!
//! Coordinates are `(x, y)` = (easting, northing) or (longitude, latitude)
//! everywhere. Stored geometries are in the census grid CRS.
//!
//! ```no_run
//! use riskcensus_survey::{Census, IngestOptions, Query};
//! use std::path::Path;
//! let census = Census::open(Path::new("out/demo/census"))?;
//! let report = census.ingest(
//!     Path::new("out/demo/census/survey/buildings.csv"),
//!     &IngestOptions { layer: "buildings".into(), source_crs: Some("EPSG:4490".into()), ..Default::default() },
//! )?;
//! println!("{} read, {} loaded, {} rejected", report.read, report.loaded, report.rejected);
//! let in_township = census.query("buildings", &Query { admin: Some("370999001".into()), ..Default::default() })?;
//! let in_box = census.query("buildings", &Query { bbox: Some([495_000.0, 4_005_000.0, 500_000.0, 4_010_000.0]), ..Default::default() })?;
//! # Ok::<(), riskcensus_survey::SurveyError>(())
//! ```

pub mod admin;
pub mod census;
pub mod codes;
mod csv_read;
pub mod error;
pub mod mapping;
pub mod offset;
pub mod schema;
pub mod schema_doc;
pub mod source;
pub mod text;
pub mod validate;

pub use census::{Census, IngestOptions, IngestReport, Query, SourceCrs};
pub use error::SurveyError;
pub use riskcensus_io::gpkg::DbFeature;
pub use riskcensus_io::vector::FieldValue;
pub use validate::{Problem, Rule};
