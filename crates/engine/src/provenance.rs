//! Provenance tags written into every output (GeoTIFF metadata) and manifests.

use riskcensus_io::Provenance;

/// Tag names, shared by writers and readers (the contract of `riskcensus-contracts`).
pub use riskcensus_contracts::tags as tag;

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
