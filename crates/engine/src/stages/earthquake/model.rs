//! The stage's parameters: `earthquake/earthquake.toml` of the model library and
//! the fragility table it names, validated once, with the hash of both texts.

use std::path::Path;

use riskcensus_models::earthquake::fragility::FragilityTable;
use riskcensus_models::earthquake::params as eq_params;
use riskcensus_models::earthquake::EarthquakeParams;
use riskcensus_models::Library;

use crate::EngineError;

/// The parameters of the stage, with the fragility table they name and the hash
/// of both texts (the outputs' `RISKCENSUS_PARAM_HASH`).
#[derive(Debug, Clone)]
pub struct EarthquakeModel {
    /// The validated parameters.
    pub params: EarthquakeParams,
    /// The fragility curves.
    pub table: FragilityTable,
    /// SHA-256 of the parameter text, a newline, and the fragility table text.
    pub param_hash: String,
    /// Where the parameters came from (`models/earthquake.toml` when built in).
    pub origin: String,
}

impl EarthquakeModel {
    /// From the parameter text and the fragility table text (`*_origin` name the
    /// files in errors).
    pub fn from_texts(
        params_text: &str,
        params_origin: &str,
        table_text: &str,
        table_origin: &str,
    ) -> Result<EarthquakeModel, EngineError> {
        let err = |file: &str| {
            let file = file.to_string();
            move |source| EngineError::EarthquakeModel { file, source }
        };
        let params =
            EarthquakeParams::parse(params_text, params_origin).map_err(err(params_origin))?;
        let table = FragilityTable::parse(table_text, table_origin).map_err(err(table_origin))?;
        let param_hash =
            riskcensus_io::digest::bytes_sha256(format!("{params_text}\n{table_text}").as_bytes());
        Ok(EarthquakeModel {
            params,
            table,
            param_hash,
            origin: params_origin.to_string(),
        })
    }

    /// The shipped parameters and fragility table.
    pub fn builtin() -> Result<EarthquakeModel, EngineError> {
        Self::from_library(&Library::shipped())
    }

    /// The census's parameters and fragility table (the shipped ones unless the
    /// census provides its own, [`Library::for_census`]).
    pub fn load(census_dir: &Path) -> Result<EarthquakeModel, EngineError> {
        Self::from_library(&Library::for_census(census_dir)?)
    }

    /// The parameters `earthquake/earthquake.toml` of a model library and the
    /// fragility table they name (`[fragility] table`, a file of the same folder).
    pub fn from_library(library: &Library) -> Result<EarthquakeModel, EngineError> {
        let f = library.require(eq_params::PATH)?;
        let origin = f.origin.display().to_string();
        let p = EarthquakeParams::parse(&f.text, &origin).map_err(|source| {
            EngineError::EarthquakeModel {
                file: origin.clone(),
                source,
            }
        })?;
        let table_path = format!("earthquake/{}", p.fragility.table);
        let t = library.require(&table_path)?;
        Self::from_texts(&f.text, &origin, &t.text, &t.origin.display().to_string())
    }
}
