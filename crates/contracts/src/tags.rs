//! Provenance tags: GeoTIFF metadata items every output raster carries (DESIGN.md
//! §4 Provenance). Writers set them, readers (resume checks, zoning, the report)
//! read them back; both use these names.

/// Engine version that wrote the file.
pub const ENGINE_VERSION: &str = "RISKCENSUS_ENGINE_VERSION";
/// GDAL version the engine was linked against.
pub const GDAL_VERSION: &str = "RISKCENSUS_GDAL_VERSION";
/// Layer id of the raster in the census layer stack.
pub const LAYER: &str = "RISKCENSUS_LAYER";
/// Unit of the raster's values.
pub const UNITS: &str = "RISKCENSUS_UNITS";
/// The source as a census-relative path, layer id or file name — never an
/// absolute path, so outputs are byte-identical wherever they are written.
pub const SOURCE: &str = "RISKCENSUS_SOURCE";
/// SHA-256 of the source file.
pub const SOURCE_SHA256: &str = "RISKCENSUS_SOURCE_SHA256";
/// GDAL resampling method used to warp the source onto the census grid.
pub const RESAMPLING: &str = "RISKCENSUS_RESAMPLING";
/// Cache key of a prepared layer (a rebuild happens when it changes).
pub const CACHE_KEY: &str = "RISKCENSUS_CACHE_KEY";
/// `<model id>@<version>` of the model or operator that wrote the file.
pub const MODEL_ID: &str = "RISKCENSUS_MODEL_ID";
/// SHA-256 of the model's validated parameters.
pub const PARAM_HASH: &str = "RISKCENSUS_PARAM_HASH";
/// `<layer>=<sha256>` of every input, `;`-separated.
pub const INPUT_DIGESTS: &str = "RISKCENSUS_INPUT_DIGESTS";
/// Inner class breaks of a level grid (`[b1, b2, …]`, level 1 above b_last).
pub const CLASS_BREAKS: &str = "RISKCENSUS_CLASS_BREAKS";
/// The K upper bounds of a data-driven classification (the last is the maximum).
pub const CLASS_BOUNDS: &str = "RISKCENSUS_CLASS_BOUNDS";
/// Classification method of a level grid (`fixed_breaks`, `natural_breaks` …).
pub const CLASS_METHOD: &str = "RISKCENSUS_CLASS_METHOD";
/// Quantisation step of a data-driven classification.
pub const CLASS_STEP: &str = "RISKCENSUS_CLASS_STEP";
/// Method of a derived layer (e.g. the shelter accessibility method and radius).
pub const METHOD: &str = "RISKCENSUS_METHOD";
/// Seed of a seeded step (train/test split, sampling).
pub const SEED: &str = "RISKCENSUS_SEED";
/// Version of the parameter file of a built-in operator.
pub const MODEL_VERSION: &str = "RISKCENSUS_MODEL_VERSION";
/// Class names of a categorical grid that is not a level grid (`code=name;…`).
pub const CLASS_NAMES: &str = "RISKCENSUS_CLASS_NAMES";
/// Rule that graded the threat of the geological hidden-danger points.
pub const THREAT_RULE: &str = "RISKCENSUS_THREAT_RULE";
/// Trigger-rainfall parameters of the geological-hazard index.
pub const TRIGGER: &str = "RISKCENSUS_TRIGGER";
/// Parameters of the terrain and hydrology stage.
pub const TERRAIN_PARAMS: &str = "RISKCENSUS_TERRAIN_PARAMS";
/// Water stage above drainage of a depth-screen event (m).
pub const STAGE_M: &str = "RISKCENSUS_STAGE_M";
/// Ground-motion method of the earthquake stage (`zoning`, `scenario`).
pub const EQ_METHOD: &str = "RISKCENSUS_EQ_METHOD";
/// The scenario rupture of the earthquake stage.
pub const EQ_SCENARIO: &str = "RISKCENSUS_EQ_SCENARIO";
