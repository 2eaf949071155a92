//! The stage's parameter file, `geohazard/geohazard.toml` of the model library
//! (factors, sampling, methods, trigger, threat and levels), validated into
//! [`GeohazardParams`].

use std::path::Path;

use riskcensus_models::geohazard::GeohazardParams;

use crate::error::EngineError;

fn model_err(source: riskcensus_models::geohazard::GeohazardError) -> EngineError {
    EngineError::GeohazardModel { source }
}

/// Path of the parameter file in the model library.
pub const PATH: &str = "geohazard/geohazard.toml";

/// The parameters: `<census>/models/geohazard/geohazard.toml` when present, else the
/// built-in. (A subfolder: every `*.toml` directly in `<census>/models/` is read as a
/// weighted-overlay model by `assess::load_models`.)
pub fn load_params(census_dir: &Path) -> Result<GeohazardParams, EngineError> {
    params_of(&riskcensus_models::Library::for_census(census_dir)?)
}

/// The parameters of a model library (`geohazard/geohazard.toml`).
pub fn params_of(library: &riskcensus_models::Library) -> Result<GeohazardParams, EngineError> {
    let f = library.require(PATH)?;
    GeohazardParams::from_toml(&f.text, &f.origin).map_err(model_err)
}

/// The parameters of a file, or the built-in ones.
pub fn params_from(path: Option<&Path>) -> Result<GeohazardParams, EngineError> {
    match path {
        Some(p) => GeohazardParams::read(p).map_err(model_err),
        None => params_of(&riskcensus_models::Library::shipped()),
    }
}

/// The level scheme of the stage's levels (`[classification] scheme` of its
/// parameters, default `geohazard4`), resolved in a library's vocabulary.
pub fn level_scheme(
    vocabulary: &riskcensus_models::Vocabulary,
    params: &GeohazardParams,
) -> Result<riskcensus_core::LevelScheme, EngineError> {
    vocabulary
        .scheme(&params.level_scheme)
        .cloned()
        .ok_or_else(|| EngineError::UnknownScheme {
            path: Path::new("models").join(PATH),
            scheme: params.level_scheme.clone(),
        })
}
