//! Engine errors, classified for exit codes: bad input (2) vs failure (1).

use std::path::PathBuf;

use riskcensus_io::IoError;

/// Everything the engine can fail with. Each variant says where the fault lies (file,
/// layer, model, record or cell) and keeps its cause; [`EngineError::is_input_error`]
/// sorts them into bad input (exit code 2) and failures (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The census configuration is invalid or unreadable, or a run option is invalid.
    #[error("{path}: {msg}")]
    Config {
        /// The configuration file (`census.toml`), or the census folder for a bad run
        /// option such as the run id.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// `riskcensus init` refused its arguments or the boundary (the path names the
    /// census folder or the boundary file).
    #[error("{}: {msg}", path.display())]
    Init {
        /// The census folder or the boundary source.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// No hazard of the census can run; the message names what each one lacks.
    #[error("{}: {why}", census.display())]
    NothingToRun {
        /// The census folder.
        census: PathBuf,
        /// What every hazard lacks.
        why: String,
    },
    /// A raster or vector file could not be read or written (the error names the
    /// path, band and window).
    #[error(transparent)]
    Io(#[from] IoError),
    /// A file-system operation failed (bad input when the file is not found).
    #[error("{path}: {source}")]
    Fs {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Loading or reading the survey failed: a source the census cannot take, or the
    /// census database (`census.gpkg`) that cannot be read or written. Shown as the
    /// survey error itself, which names the source file or the database.
    #[error(transparent)]
    Survey(#[from] riskcensus_survey::SurveyError),
    /// A census's model files cannot be read, or a file the engine needs is missing.
    #[error(transparent)]
    Library(#[from] riskcensus_models::LibraryError),
    /// A scoring model file is invalid (the error names the file, line and key).
    #[error(transparent)]
    ModelFile(#[from] riskcensus_models::ModelError),
    /// Two model files declare the same model id.
    #[error("model id {id:?} is declared by {} and by {} (a census overrides a shipped model by putting its file at the shipped file's path)", first.display(), second.display())]
    DuplicateModel {
        /// The id.
        id: String,
        /// The first file.
        first: PathBuf,
        /// The second file.
        second: PathBuf,
    },
    // earthquake, geohazard, wildfire
    /// A CSV file cannot be parsed (the csv crate's cause names the record and line).
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A CSV file has no header line.
    #[error("{}: empty file: no header", path.display())]
    CsvEmpty {
        /// The file.
        path: PathBuf,
    },
    /// A CSV header names a column the reader does not understand (refused, so that a
    /// typo never silently drops a value).
    #[error("{}: line {line}: unknown column `{column}` (known: {known})", path.display())]
    CsvUnknownColumn {
        /// The file.
        path: PathBuf,
        /// 1-based line of the header.
        line: u64,
        /// The column.
        column: String,
        /// The columns understood, comma-separated.
        known: String,
    },
    /// A CSV header lacks a column.
    #[error("{}: line {line}: column `{column}` required by {needed_by} is missing", path.display())]
    CsvMissingColumn {
        /// The file.
        path: PathBuf,
        /// 1-based line of the header.
        line: u64,
        /// The missing column.
        column: String,
        /// What needs it (and what else it needs).
        needed_by: String,
    },
    /// A CSV record has another number of fields than the header.
    #[error("{}: line {line}: {found} fields, the header has {expected}", path.display())]
    CsvFieldCount {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// Fields in the record.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A CSV field that must be a finite number is not.
    #[error("{}: record {record} (line {line}): column `{field}`: {value:?} is not a number", path.display())]
    CsvNumber {
        /// The file.
        path: PathBuf,
        /// 1-based data record (the header is not counted).
        record: u64,
        /// 1-based line.
        line: u64,
        /// The column.
        field: String,
        /// The value as given.
        value: String,
        /// The parse error (none for a number that is not finite).
        #[source]
        source: Option<std::num::ParseFloatError>,
    },
    /// A CSV output cannot be encoded.
    #[error("{}: cannot write CSV: {source}", path.display())]
    CsvWrite {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A `[[vector]]` source a stage needs is not listed in census.toml.
    #[error(
        "layer {id}: census.toml lists no [[vector]] source with id = {id:?}; {needed_by} needs it"
    )]
    MissingVectorSource {
        /// The source id.
        id: String,
        /// What needs it, e.g. `method = "zoning" (field pga_g)`.
        needed_by: String,
    },
    /// A vector source lacks a field a stage reads.
    #[error("{}: layer {layer}: no field `{field}` (fields: {})", path.display(), fields.join(", "))]
    MissingVectorField {
        /// The file.
        path: PathBuf,
        /// The source id.
        layer: String,
        /// The field asked for.
        field: String,
        /// The fields the layer has.
        fields: Vec<String>,
    },
    /// The earthquake model refused its parameter file or fragility table (the cause
    /// names the file, line and key).
    #[error("model earthquake: {source}")]
    EarthquakeModel {
        /// The parameter file or fragility table.
        file: String,
        /// The cause.
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// A site-class polygon holds a class outside NEHRP A–E.
    #[error("{}: feature {feature}: field `{field}` = {value:?}: {source}", path.display())]
    SiteClass {
        /// The site-class source file.
        path: PathBuf,
        /// 1-based feature.
        feature: u64,
        /// The class field.
        field: String,
        /// The value as stored.
        value: String,
        /// The cause.
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// The scenario fault is not in the census database.
    #[error("layer {layer}: no fault with id/code `{fault}` in the census database")]
    FaultNotFound {
        /// The census table searched.
        layer: String,
        /// The fault id or code of the parameters.
        fault: String,
    },
    /// The scenario fault has no line geometry.
    #[error("layer {layer}: fault `{fault}` has no line geometry")]
    FaultGeometry {
        /// The census table.
        layer: String,
        /// The fault id or code.
        fault: String,
    },
    /// The scenario rupture of a fault cannot be built.
    #[error("model earthquake: fault `{fault}`: {source}")]
    Rupture {
        /// The fault id or code.
        fault: String,
        /// The cause (a rupture parameter out of range).
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// The ground-motion model refused the scenario at a cell.
    #[error("model {gmm}: cell (row {row}, col {col}): {source}")]
    GroundMotionCell {
        /// The ground-motion model.
        gmm: String,
        /// Row of the cell.
        row: usize,
        /// Column of the cell.
        col: usize,
        /// The cause.
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// The ground-motion model or intensity measure asked for is unknown.
    #[error("ground-motion table {}: {source}", path.display())]
    GroundMotionModel {
        /// The input table.
        path: PathBuf,
        /// The cause.
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// The ground-motion model refused a row of the input table.
    #[error("{}: line {line}: {source}", path.display())]
    GroundMotionRow {
        /// The input table.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The cause (e.g. a magnitude outside the model's range).
        #[source]
        source: riskcensus_models::earthquake::EarthquakeError,
    },
    /// The geohazard model refused its parameters, inventory or samples (the cause
    /// names the file and key, the method, the factor or the sample).
    #[error("model geohazard: {source}")]
    GeohazardModel {
        /// The cause.
        #[source]
        source: riskcensus_models::geohazard::GeohazardError,
    },
    /// The four levels of a geohazard index cannot be drawn.
    #[error("model geohazard: {layer}: four-level classification: {source}")]
    GeohazardLevels {
        /// The index classified.
        layer: String,
        /// The cause.
        #[source]
        source: riskcensus_zoning::ZoningError,
    },
    /// No cell has a class in every factor of the susceptibility model.
    #[error("model geohazard: no cell has a class in every factor ({}): the factor grids do not overlap", factors.join(", "))]
    FactorsDoNotOverlap {
        /// The factors.
        factors: Vec<String>,
    },
    /// The susceptibility trainer was given no factor raster.
    #[error("model geohazard: no factor rasters given")]
    NoFactorRasters,
    /// The standalone susceptibility trainer was asked for the expert method.
    #[error("model geohazard: the standalone trainer runs the statistical methods iv|fr|cf|lr; expert mode needs the class scores of a parameter file (census stage)")]
    ExpertStandalone,
    /// A factor class raster is not on the first one's lattice.
    #[error("layer {}: not aligned with {}: every factor raster must share the first one's CRS, origin, cell size and shape", path.display(), first.display())]
    FactorNotAligned {
        /// The raster.
        path: PathBuf,
        /// The first factor raster.
        first: PathBuf,
    },
    /// A factor class raster holds a value that is not an integer class code.
    #[error("layer {}: cell (row {row}, col {col}) holds {value}: a factor class raster holds integer class codes", path.display())]
    FactorNotClasses {
        /// The raster.
        path: PathBuf,
        /// Row of the cell.
        row: usize,
        /// Column of the cell.
        col: usize,
        /// The value.
        value: f32,
    },
    /// A factor class raster holds too many distinct values to be classes.
    #[error("layer {}: {count} distinct values: classify the factor first (a class raster holds a few codes)", path.display())]
    FactorTooManyClasses {
        /// The raster.
        path: PathBuf,
        /// Distinct values found.
        count: usize,
    },
    /// An inventory is in another CRS than the factor rasters.
    #[error("{}: the inventory is in {found} but the factor rasters in {expected}: reproject it first", path.display())]
    InventoryCrs {
        /// The inventory.
        path: PathBuf,
        /// Its CRS.
        found: String,
        /// The rasters' CRS.
        expected: String,
    },
    /// An inventory record's geometry cannot be read or is not a point.
    #[error("{}: record {record}: {problem}", path.display())]
    InventoryGeometry {
        /// The inventory.
        path: PathBuf,
        /// 1-based record.
        record: usize,
        /// What is wrong (the vector reader's message for an unreadable geometry).
        problem: String,
    },
    /// An inventory point has a hazard type outside the census code list.
    #[error("{}: record {record}: field `type`: unknown hazard type {value:?}; known: {known} (or 滑坡, 崩塌, 泥石流, 地面塌陷, 地裂缝)", path.display())]
    UnknownHazardType {
        /// The inventory (or the census database).
        path: PathBuf,
        /// 1-based record.
        record: usize,
        /// The type as given.
        value: String,
        /// The type codes, comma-separated.
        known: String,
    },
    /// The township polygons of the cross-validation by townships are missing or
    /// unusable.
    #[error("{}: cross-validation by townships: {problem}", path.display())]
    CvTownships {
        /// The township source (a vector file or the census database), or the
        /// option that should have named it.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// An inventory point lies outside the grid.
    #[error("{}: record {record}: point (x {x}, y {y}) lies outside the grid [{}, {}] × [{}, {}] ({crs}); inventory coordinates are (x, y) in the rasters' CRS", path.display(), bounds[0], bounds[2], bounds[1], bounds[3])]
    PointOutsideGrid {
        /// The inventory (or the census database).
        path: PathBuf,
        /// 1-based record.
        record: usize,
        /// Easting of the point.
        x: f64,
        /// Northing of the point.
        y: f64,
        /// The grid's bounds: x min, y min, x max, y max.
        bounds: [f64; 4],
        /// The grid's CRS.
        crs: String,
    },
    /// A hidden-danger record breaks a rule of the threat model (a database written
    /// by another tool than the validating ingest).
    #[error("{}: layer hidden_dangers, record {record} (id {id:?}): field `{field}`: {value}: {rule}", path.display())]
    HiddenDangerField {
        /// The census database.
        path: PathBuf,
        /// The record (feature id).
        record: usize,
        /// The record's `id`.
        id: String,
        /// The field.
        field: &'static str,
        /// The value as stored.
        value: String,
        /// The rule it breaks.
        rule: &'static str,
    },
    /// Daily weather records are invalid (every problem is listed, with row,
    /// station, date and field).
    #[error("{source}")]
    Weather {
        /// The file or census table the records came from.
        path: PathBuf,
        /// The problems.
        #[source]
        source: riskcensus_models::wildfire::WeatherError,
    },
    /// The census database has no daily weather.
    #[error(
        "layer {layer}: the census database has no daily weather records (ingest {layer} first)"
    )]
    NoWeather {
        /// The census table.
        layer: String,
    },
    /// A weather station has no elevation, recorded or on the DEM.
    #[error("layer {layer}: station {station}: no elevation recorded and none on the DEM")]
    StationElevation {
        /// The census table.
        layer: String,
        /// The station id.
        station: String,
    },
    /// A rescue team that fights fires has no usable personnel count.
    #[error("layer {layer}: record {id:?} ({kind}): field {field} is missing or not a number")]
    RescueTeamField {
        /// The census table.
        layer: String,
        /// The record's `id`.
        id: String,
        /// The record's `kind`.
        kind: String,
        /// The field.
        field: &'static str,
    },
    /// An option of the wildfire stage is out of range.
    #[error("wildfire option {option} = {value}: {rule}")]
    WildfireOption {
        /// The option.
        option: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in.
        rule: &'static str,
    },
    /// A model a stage scores itself was not run by `assess`.
    #[error("model {model}: {reason}")]
    ModelNotRun {
        /// The model id.
        model: String,
        /// Why `assess` skipped it.
        reason: String,
    },
    /// The local thread pool could not be built.
    #[error("cannot build a thread pool of {threads} threads: {msg}")]
    Threads {
        /// The number of threads asked for.
        threads: usize,
        /// rayon's message.
        msg: String,
    },
    /// The maps or the report of a run could not be made.
    #[error("{}: report", run_dir.display())]
    Report {
        /// The run folder.
        run_dir: PathBuf,
        /// The cause.
        #[source]
        source: riskcensus_report::ReportError,
    },
    // run, stack, executor, score, tools
    /// A layer of the stack declares another unit than its reader expects.
    #[error("layer {layer}: the stack declares unit `{found}`, {needed_by} expects `{expected}`")]
    LayerUnit {
        /// The layer id.
        layer: String,
        /// The stage or model that reads it.
        needed_by: String,
        /// The unit the stack declares.
        found: String,
        /// The unit expected.
        expected: String,
    },
    /// A raster is not on the census grid (origin, cell size or shape differ).
    #[error("{}: not on the census grid{detail}; warp it first", path.display())]
    OffGrid {
        /// The raster.
        path: PathBuf,
        /// Its own lattice, when known (` (origin (x, y), cell c m, rows×cols)`).
        detail: String,
    },
    /// A tiled stage was given a number of writers its kernel does not write
    /// (a programming error of the stage).
    #[error("stage {stage}: the kernel has {outputs} outputs but {writers} writers were given")]
    WriterCount {
        /// The stage.
        stage: String,
        /// The kernel's outputs.
        outputs: usize,
        /// The writers given.
        writers: usize,
    },
    /// A tile worker could not open the stage's input rasters.
    #[error("stage {stage}: opening its input rasters")]
    TileInputs {
        /// The stage.
        stage: String,
        /// The cause (shared by the workers that met it).
        #[source]
        source: std::sync::Arc<riskcensus_io::IoError>,
    },
    /// Class breaks cannot be drawn from a score (a model's, or a raster's for the
    /// `breaks` tool).
    #[error("{what}: class breaks ({method})")]
    Breaks {
        /// The model id or raster path.
        what: String,
        /// The classification method.
        method: String,
        /// The cause.
        #[source]
        source: riskcensus_zoning::ZoningError,
    },
    /// `--model` names neither a model of the library nor a stage.
    #[error("--model {id}: no model or stage with this id (models: {known})")]
    UnknownModel {
        /// The id given.
        id: String,
        /// The library's model ids, comma-separated.
        known: String,
    },
    /// A polygon layer given to a zonal tool is unusable (a field, its CRS, a
    /// feature).
    #[error("{file}: {problem}")]
    Polygons {
        /// The file (and layer).
        file: String,
        /// What is wrong, naming the feature or field.
        problem: String,
    },
    /// A polygon's statistics cannot be computed.
    #[error("{file}: zone {zone}")]
    Zone {
        /// The polygon file (and layer).
        file: String,
        /// The zone's id.
        zone: String,
        /// The cause.
        #[source]
        source: riskcensus_zoning::ZoningError,
    },
    // flood, prepare, zoning
    /// A level grid or the prevention rules name a level scheme that no
    /// `levels.toml` of the model library declares.
    #[error("{}: level scheme {scheme:?} is declared by no levels.toml of the model library", path.display())]
    UnknownScheme {
        /// The level grid or rules file.
        path: PathBuf,
        /// The scheme id it names.
        scheme: String,
    },
    /// A stage needs a layer that the layer stack does not hold, or holds in
    /// another unit.
    #[error("{needed_by} needs the layer {layer:?}{} in the layer stack{}", in_unit(.unit), hint_text(.hint))]
    NeedsLayer {
        /// The stage or model that needs it, e.g. `flood depth screen flood_depth`.
        needed_by: String,
        /// The layer id.
        layer: String,
        /// The unit the layer must have, when it matters.
        unit: Option<&'static str>,
        /// What produces the layer, when the user can do something about it.
        hint: Option<&'static str>,
    },
    /// A raster source's resampling does not suit it (`census.toml`).
    #[error("raster source {layer:?}: resampling")]
    Resampling {
        /// The source's id.
        layer: String,
        /// What is wrong.
        #[source]
        source: crate::config::ResamplingError,
    },
    /// Terrain was asked of a DEM in a geographic CRS.
    #[error("{}: the DEM is in a geographic CRS (degrees); terrain needs metres: warp it to a projected CRS first (riskcensus prepare does)", path.display())]
    GeographicDem {
        /// The DEM.
        path: PathBuf,
    },
    /// The DEM's cells cannot be used for terrain (a cell size that is not a finite
    /// number of metres > 0).
    #[error("{}: the DEM's grid cannot be used for terrain", path.display())]
    DemGrid {
        /// The DEM.
        path: PathBuf,
        /// The kernel's refusal.
        #[source]
        source: riskcensus_kernels::KernelError,
    },
    /// A terrain option outside its range.
    #[error("terrain option {option} = {value} is outside {allowed}")]
    TerrainOption {
        /// The option, as [`crate::stages::prepare::terrain::TerrainOptions`] names it.
        option: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range.
        allowed: &'static str,
    },
    /// A kernel failed computing a layer.
    #[error("layer {layer}: cannot compute it")]
    Kernel {
        /// The layer being computed.
        layer: String,
        /// The kernel's error (cell, parameter or shape).
        #[source]
        source: riskcensus_kernels::KernelError,
    },
    /// The shelter accessibility grid (2SFCA) could not be computed.
    #[error("census database, shelters{}: shelter accessibility (2SFCA)", .record.as_ref().map(|r| format!(" record {r:?}")).unwrap_or_default())]
    Shelters {
        /// The shelter record at fault (its `id`), when one is.
        record: Option<String>,
        /// The cause.
        #[source]
        source: riskcensus_models::capacity::CapacityError,
    },
    /// The census roads cannot be built into a network (a bad vertex; the cause
    /// names the line and vertex in database order).
    #[error("census database, roads: road network")]
    Roads {
        /// The cause.
        #[source]
        source: riskcensus_models::capacity::CapacityError,
    },
    /// An admin unit's polygon cannot be laid on the census grid.
    #[error("census database, admin_units {code:?}: cell coverage of the polygon")]
    UnitCoverage {
        /// The unit's code.
        code: String,
        /// The cause (a vertex that is not finite, with its polygon, ring and index).
        #[source]
        source: riskcensus_zoning::ZoningError,
    },
    /// The prevention rules file is invalid.
    #[error("{}: invalid prevention rules", path.display())]
    PreventionRules {
        /// The rules file (`models/zoning/prevention.toml` or the census's own).
        path: PathBuf,
        /// Every problem found.
        #[source]
        source: riskcensus_zoning::prevention::RulesError,
    },
    /// A hazard's prevention rules (`<folder>/prevention.toml`) name another hazard
    /// (or none) in `hazard`.
    #[error("{}: the prevention rules of the folder {folder:?} must say hazard = {folder:?} (they say {})", path.display(), .hazard.as_ref().map(|h| format!("{h:?}")).unwrap_or_else(|| "nothing".into()))]
    PreventionHazard {
        /// The rules file.
        path: PathBuf,
        /// Its folder in the model library.
        folder: String,
        /// The `hazard` it names.
        hazard: Option<String>,
    },
    /// A scenario file refers to something the census or its files do not hold
    /// (a township code, a new-area layer, a hidden-danger point).
    #[error("{}{}: {msg}", path.display(), .item.as_ref().map(|i| format!(", {i}")).unwrap_or_default())]
    Scenario {
        /// The scenario file, or the new-area file.
        path: PathBuf,
        /// The key, record or field at fault.
        item: Option<String>,
        /// What is wrong.
        msg: String,
    },
}

impl EngineError {
    /// True when the user's input is at fault (exit code 2), false for failures of
    /// the engine or its environment (exit code 1).
    pub fn is_input_error(&self) -> bool {
        match self {
            EngineError::Config { .. }
            | EngineError::Scenario { .. }
            | EngineError::Init { .. }
            | EngineError::NothingToRun { .. }
            | EngineError::ModelFile(_)
            | EngineError::DuplicateModel { .. } => true,
            EngineError::Library(e) => !matches!(e, riskcensus_models::LibraryError::Read { .. }),
            EngineError::Survey(e) => e.is_input_error(),
            EngineError::Io(e) => e.is_input_error(),
            EngineError::Report { source, .. } => source.is_input_error(),
            EngineError::Threads { .. } => false,
            // earthquake, geohazard, wildfire
            EngineError::Csv { source, .. } => !matches!(source.kind(), csv::ErrorKind::Io(_)),
            EngineError::CsvWrite { .. } => false,
            EngineError::CsvEmpty { .. }
            | EngineError::CsvUnknownColumn { .. }
            | EngineError::CsvMissingColumn { .. }
            | EngineError::CsvFieldCount { .. }
            | EngineError::CsvNumber { .. }
            | EngineError::MissingVectorSource { .. }
            | EngineError::MissingVectorField { .. }
            | EngineError::EarthquakeModel { .. }
            | EngineError::SiteClass { .. }
            | EngineError::FaultNotFound { .. }
            | EngineError::FaultGeometry { .. }
            | EngineError::Rupture { .. }
            | EngineError::GroundMotionCell { .. }
            | EngineError::GroundMotionModel { .. }
            | EngineError::GroundMotionRow { .. }
            | EngineError::GeohazardModel { .. }
            | EngineError::GeohazardLevels { .. }
            | EngineError::FactorsDoNotOverlap { .. }
            | EngineError::NoFactorRasters
            | EngineError::ExpertStandalone
            | EngineError::FactorNotAligned { .. }
            | EngineError::FactorNotClasses { .. }
            | EngineError::FactorTooManyClasses { .. }
            | EngineError::InventoryCrs { .. }
            | EngineError::InventoryGeometry { .. }
            | EngineError::UnknownHazardType { .. }
            | EngineError::PointOutsideGrid { .. }
            | EngineError::CvTownships { .. }
            | EngineError::HiddenDangerField { .. }
            | EngineError::Weather { .. }
            | EngineError::NoWeather { .. }
            | EngineError::StationElevation { .. }
            | EngineError::RescueTeamField { .. }
            | EngineError::WildfireOption { .. }
            | EngineError::ModelNotRun { .. } => true,
            EngineError::Fs { source, .. } => source.kind() == std::io::ErrorKind::NotFound,
            // run, stack, executor, score, tools
            EngineError::LayerUnit { .. }
            | EngineError::OffGrid { .. }
            | EngineError::UnknownModel { .. }
            | EngineError::Polygons { .. }
            | EngineError::Zone { .. }
            | EngineError::Breaks { .. } => true,
            EngineError::WriterCount { .. } => false,
            EngineError::TileInputs { source, .. } => source.is_input_error(),
            // flood, prepare, zoning
            EngineError::UnknownScheme { .. } => true,
            EngineError::NeedsLayer { .. }
            | EngineError::Resampling { .. }
            | EngineError::GeographicDem { .. }
            | EngineError::DemGrid { .. }
            | EngineError::TerrainOption { .. }
            | EngineError::PreventionRules { .. }
            | EngineError::PreventionHazard { .. } => true,
            EngineError::Kernel { source, .. } => matches!(
                source,
                riskcensus_kernels::KernelError::BadCellSize(_)
                    | riskcensus_kernels::KernelError::BadParameter { .. }
            ),
            EngineError::Shelters { source, .. } => matches!(
                source,
                riskcensus_models::capacity::CapacityError::BadShelter { .. }
            ),
            EngineError::Roads { .. } => true,
            EngineError::UnitCoverage { source, .. } => {
                matches!(source, riskcensus_zoning::ZoningError::BadCoordinate { .. })
            }
        }
    }

    pub(crate) fn fs(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EngineError {
        let path = path.into();
        move |source| EngineError::Fs { path, source }
    }
}

fn in_unit(unit: &Option<&'static str>) -> String {
    unit.map(|u| format!(" (unit {u})")).unwrap_or_default()
}

fn hint_text(hint: &Option<&'static str>) -> String {
    hint.map(|h| format!(" ({h})")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flood_prepare_zoning_errors_say_where_and_classify_by_cause() {
        let e = EngineError::NeedsLayer {
            needed_by: "flood depth screen flood_depth".into(),
            layer: "hand".into(),
            unit: Some("m"),
            hint: Some("run prepare with a DEM"),
        };
        assert_eq!(
            e.to_string(),
            "flood depth screen flood_depth needs the layer \"hand\" (unit m) in the layer stack (run prepare with a DEM)"
        );
        assert!(e.is_input_error());
        // A kernel refusing a parameter is bad input; a D8 cycle is the engine's fault.
        let k = |source| EngineError::Kernel {
            layer: "hand".into(),
            source,
        };
        assert!(k(riskcensus_kernels::KernelError::BadCellSize(0.0)).is_input_error());
        let cycle = k(riskcensus_kernels::KernelError::D8Cycle { row: 1, col: 2 });
        assert!(!cycle.is_input_error());
        let cause = std::error::Error::source(&cycle).unwrap().to_string();
        assert!(cause.contains("(1, 2)"), "{cause}");
        let s = EngineError::Shelters {
            record: Some("S7".into()),
            source: riskcensus_models::capacity::CapacityError::BadShelter {
                index: 3,
                x: 0.0,
                y: 0.0,
                capacity: -1.0,
            },
        };
        assert!(
            s.is_input_error() && s.to_string().contains("\"S7\""),
            "{s}"
        );
    }
}
