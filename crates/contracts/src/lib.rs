//! The contracts of RiskCensus, typed once: every crate that reads or writes one of
//! these files, folders, tables or tags does it through the types and names here, so
//! a contract is never spelled in a second place.
//!
//! - [`census_toml`]: `census.toml`, the census workspace file (study area, grid,
//!   survey sources, options), documented key by key in `docs/census-toml.md`;
//! - [`layout`]: the census folder and run folder (`out/<run-id>/layers`, `assess`,
//!   `maps`, `report.html`, `manifest.json` …);
//! - [`manifest`]: `manifest.json`, the provenance of a run;
//! - [`tables`]: the names of the census database's tables and of the zoning
//!   GeoPackage's layers and tables;
//! - [`tags`]: the provenance metadata tags every output GeoTIFF carries.
//!
//! This crate does no I/O beyond reading a file's text and links no GDAL: checks
//! that need GDAL or PROJ (is the grid's CRS projected? does a resampling suit a
//! layer?) are made by the engine on top of these types.

pub mod census_toml;
pub mod layout;
pub mod manifest;
pub mod tables;
pub mod tags;

pub use census_toml::{CensusFile, CensusTomlError};
pub use layout::RunLayout;
pub use manifest::Manifest;
