//! Provenance tags written into every output (GeoTIFF metadata) and manifests.

use riskcensus_io::Provenance;

/// Tag names, shared by writers and readers.
pub mod tag {
    pub const ENGINE_VERSION: &str = "RISKCENSUS_ENGINE_VERSION";
    pub const GDAL_VERSION: &str = "RISKCENSUS_GDAL_VERSION";
    pub const LAYER: &str = "RISKCENSUS_LAYER";
    pub const UNITS: &str = "RISKCENSUS_UNITS";
    /// The source as a census-relative path, layer id or file name — never an
    /// absolute path, so outputs are byte-identical wherever they are written.
    pub const SOURCE: &str = "RISKCENSUS_SOURCE";
    pub const SOURCE_SHA256: &str = "RISKCENSUS_SOURCE_SHA256";
    pub const RESAMPLING: &str = "RISKCENSUS_RESAMPLING";
    pub const CACHE_KEY: &str = "RISKCENSUS_CACHE_KEY";
    pub const MODEL_ID: &str = "RISKCENSUS_MODEL_ID";
    pub const PARAM_HASH: &str = "RISKCENSUS_PARAM_HASH";
    pub const INPUT_DIGESTS: &str = "RISKCENSUS_INPUT_DIGESTS";
}

/// The tags every output carries: engine and GDAL versions.
pub fn base() -> Provenance {
    let mut p = Provenance::new();
    p.insert(tag::ENGINE_VERSION.into(), crate::ENGINE_VERSION.into());
    p.insert(tag::GDAL_VERSION.into(), riskcensus_io::gdal_version());
    p
}

/// The parameter hash of a built-in operator's validated parameters: SHA-256 of their
/// JSON serialisation (the `RISKCENSUS_PARAM_HASH` tag and the manifest entry).
pub fn param_hash<T: serde::Serialize>(params: &T) -> String {
    riskcensus_io::digest::bytes_sha256(
        serde_json::to_string(params)
            .expect("parameters serialise")
            .as_bytes(),
    )
}
