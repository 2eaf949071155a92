//! Errors of the earthquake models. Each names where: the model or table, the
//! record (building id, table row, CSV line) and the field.

/// Errors of ground motion, site, fragility and parameter handling.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EarthquakeError {
    /// A ground-motion model name that this library does not implement.
    #[error("unknown ground-motion model `{name}` (known: {known})")]
    UnknownGmm {
        /// The name asked for.
        name: String,
        /// The implemented OpenQuake class names, comma-separated.
        known: String,
    },
    /// An intensity-measure name that cannot be parsed.
    #[error("unknown intensity measure `{0}` (expected PGA, PGV or SA(T), T in seconds)")]
    UnknownImt(String),
    /// A model asked for an intensity measure it has no coefficients for.
    #[error("{gmm} has no coefficients for {imt} (supported: {supported})")]
    UnsupportedImt {
        /// The model's OpenQuake class name.
        gmm: &'static str,
        /// The intensity measure asked for.
        imt: String,
        /// The intensity measures it supports.
        supported: String,
    },
    /// Magnitude outside the range the model accepts.
    #[error("{gmm}: magnitude {mag} outside the model's range [{min}, {max}]")]
    MagnitudeOutOfRange {
        /// The model's OpenQuake class name.
        gmm: &'static str,
        /// The magnitude given (Mw or Ms, as the model takes).
        mag: f64,
        /// Smallest magnitude the model accepts.
        min: f64,
        /// Largest magnitude the model accepts.
        max: f64,
    },
    /// A scenario or site parameter that is not finite or out of its physical range.
    #[error("{what}: parameter `{field}` = {value} invalid: {reason}")]
    BadParameter {
        /// What the parameter belongs to, e.g. `planar rupture`.
        what: String,
        /// Parameter name.
        field: &'static str,
        /// Value given.
        value: f64,
        /// Why it was refused.
        reason: &'static str,
    },
    /// Structure type not in the fragility table's vocabulary.
    #[error("building {record}: unknown structure type `{value}` (known: rc_frame/钢筋混凝土框架, brick_concrete/砖混, brick_wood/砖木, earth_stone/土木石, steel/钢结构, other/其他)")]
    UnknownStructure {
        /// Building id.
        record: String,
        /// The structure type as given.
        value: String,
    },
    /// Fortification level not in the vocabulary.
    #[error("building {record}: unknown fortification `{value}` (known: vi, vii, vii_015g, viii, viii_030g, ix, none / 6度…9度, 7度(0.15g), 8度(0.30g), 未设防)")]
    UnknownFortification {
        /// Building id.
        record: String,
        /// The fortification as given.
        value: String,
    },
    /// A coded building field (yes/no, seismic category) holds an unknown value.
    #[error("building {record}: field `{field}`: unknown value `{value}` (known: {known})")]
    UnknownCode {
        /// Building id.
        record: String,
        /// The field.
        field: &'static str,
        /// The value as given.
        value: String,
        /// The values understood.
        known: &'static str,
    },
    /// A required building field is absent.
    #[error("building {record}: missing field `{field}`")]
    MissingField {
        /// Building id.
        record: String,
        /// The missing field.
        field: &'static str,
    },
    /// The fragility table file is malformed.
    #[error("{file}: line {line}: {msg}")]
    Table {
        /// The table file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        msg: String,
    },
    /// The fragility table has no curve for a structure/code-level/height combination.
    #[error("{file}: no fragility curve for {key}")]
    NoCurve {
        /// The table file.
        file: String,
        /// The combination looked up, e.g. `C1M at low or lower`.
        key: String,
    },
    /// The earthquake model parameter file is malformed.
    #[error("{file}: {msg}")]
    Params {
        /// The parameter file.
        file: String,
        /// What is wrong, naming the key.
        msg: String,
    },
    /// A CSV table (the fragility table) cannot be parsed.
    #[error("{file}: line {line}: {source}")]
    Csv {
        /// The table file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// The csv crate's error.
        #[source]
        source: crate::CsvCause,
    },
}
