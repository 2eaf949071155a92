//! Errors of the earthquake models. Each names where: the model or table, the
//! record (building id, table row, CSV line) and the field.

/// Errors of ground motion, site, fragility and parameter handling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EarthquakeError {
    /// A ground-motion model name that this library does not implement.
    #[error("unknown ground-motion model `{name}` (known: {known})")]
    UnknownGmm { name: String, known: String },
    /// An intensity-measure name that cannot be parsed.
    #[error("unknown intensity measure `{0}` (expected PGA, PGV or SA(T), T in seconds)")]
    UnknownImt(String),
    /// A model asked for an intensity measure it has no coefficients for.
    #[error("{gmm} has no coefficients for {imt} (supported: {supported})")]
    UnsupportedImt {
        gmm: &'static str,
        imt: String,
        supported: String,
    },
    /// Magnitude outside the range the model accepts.
    #[error("{gmm}: magnitude {mag} outside the model's range [{min}, {max}]")]
    MagnitudeOutOfRange {
        gmm: &'static str,
        mag: f64,
        min: f64,
        max: f64,
    },
    /// A scenario or site parameter that is not finite or out of its physical range.
    #[error("{what}: parameter `{field}` = {value} invalid: {reason}")]
    BadParameter {
        what: String,
        field: &'static str,
        value: f64,
        reason: &'static str,
    },
    /// Structure type not in the fragility table's vocabulary.
    #[error("building {record}: unknown structure type `{value}` (known: rc_frame/钢筋混凝土框架, brick_concrete/砖混, brick_wood/砖木, earth_stone/土木石, steel/钢结构, other/其他)")]
    UnknownStructure { record: String, value: String },
    /// Fortification level not in the vocabulary.
    #[error("building {record}: unknown fortification `{value}` (known: vi, vii, viii, ix, none / 6度…9度, 未设防)")]
    UnknownFortification { record: String, value: String },
    /// A required building field is absent.
    #[error("building {record}: missing field `{field}`")]
    MissingField { record: String, field: &'static str },
    /// The fragility table file is malformed.
    #[error("{file}: line {line}: {msg}")]
    Table {
        file: String,
        line: usize,
        msg: String,
    },
    /// The fragility table has no curve for a structure/code-level/height combination.
    #[error("{file}: no fragility curve for {key}")]
    NoCurve { file: String, key: String },
    /// The earthquake model parameter file is malformed.
    #[error("{file}: {msg}")]
    Params { file: String, msg: String },
}
