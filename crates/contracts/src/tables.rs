//! Table names: the census database (`census.gpkg`) and the zoning GeoPackage
//! (`assess/zoning.gpkg`). The survey schema (`riskcensus-survey`) gives each
//! census table its fields; the zoning stage writes the zoning tables and the report
//! reads them — all through these names.

/// Census database tables that hold survey layers. A `[[vector]]` or `[[table]]`
/// source of `census.toml` names one of them as its `kind`.
pub mod census {
    /// County, township (乡镇/街道) and village (村/社区) boundaries, and seats given
    /// as points, with GB/T 2260-style codes.
    pub const ADMIN_UNITS: &str = "admin_units";
    /// Seats of the county and townships (points).
    pub const ADMIN_SEATS: &str = "admin_seats";
    /// Buildings (房屋建筑), one point each.
    pub const BUILDINGS: &str = "buildings";
    /// Population counts per admin unit or census point.
    pub const POPULATION: &str = "population";
    /// Geological hidden-danger points (地质灾害隐患点).
    pub const HIDDEN_DANGERS: &str = "hidden_dangers";
    /// Historical disaster events (历史灾害事件).
    pub const DISASTER_EVENTS: &str = "disaster_events";
    /// Emergency shelters (应急避难场所).
    pub const SHELTERS: &str = "shelters";
    /// Rescue stations and teams (救援队伍).
    pub const RESCUE_TEAMS: &str = "rescue_teams";
    /// Material reserves (应急物资储备).
    pub const MATERIAL_RESERVES: &str = "material_reserves";
    /// Grassroots disaster-reduction capacity (基层减灾能力) of townships and
    /// Key facilities (重点设施): schools, hospitals, chemical plants …
    pub const KEY_FACILITIES: &str = "key_facilities";
    /// Reservoirs (水库).
    pub const RESERVOIRS: &str = "reservoirs";
    /// Rivers (河流).
    pub const RIVERS: &str = "rivers";
    /// Fault traces (断层).
    pub const FAULTS: &str = "faults";
    /// Roads (道路).
    pub const ROADS: &str = "roads";
    /// Engineering rock groups (工程地质岩组).
    pub const LITHOLOGY: &str = "lithology";
    /// Land-cover polygons.
    pub const LAND_COVER: &str = "land_cover";
    /// Seismic ground-motion zoning polygons (GB 18306-2015).
    pub const SEISMIC_ZONES: &str = "seismic_zones";
    /// Daily weather of stations (逐日气象).
    pub const WEATHER_DAILY: &str = "weather_daily";
    /// Historical fire points (历史火点).
    pub const FIRE_POINTS: &str = "fire_points";
    /// Protected sites (保护地): heritage sites, scenic areas, nature reserves and forest
    /// parks, polygons.
    pub const PROTECTED_SITES: &str = "protected_sites";
    /// Grassroots disaster-reduction capacity survey (基层减灾能力), per township and village.
    pub const COMMUNITY_CAPACITY: &str = "community_capacity";

    /// Every survey table, in schema order.
    pub const ALL: &[&str] = &[
        ADMIN_UNITS,
        ADMIN_SEATS,
        BUILDINGS,
        POPULATION,
        HIDDEN_DANGERS,
        DISASTER_EVENTS,
        SHELTERS,
        RESCUE_TEAMS,
        MATERIAL_RESERVES,
        COMMUNITY_CAPACITY,
        KEY_FACILITIES,
        RESERVOIRS,
        RIVERS,
        FAULTS,
        ROADS,
        LITHOLOGY,
        LAND_COVER,
        SEISMIC_ZONES,
        WEATHER_DAILY,
        FIRE_POINTS,
        PROTECTED_SITES,
    ];

    /// One row per ingest batch (source, digest, counts, times).
    pub const BATCHES: &str = "_batches";
    /// One row per problem of a rejected record.
    pub const REJECTS: &str = "_rejects";
    /// Prefix of the result tables the engine keeps beside the survey layers.
    pub const RESULT_PREFIX: &str = "result_";
    /// Per-building earthquake results (after [`RESULT_PREFIX`]).
    pub const RESULT_EQ_BUILDINGS: &str = "eq_buildings";
}

/// The loss route's tables in the assessment folder (`assess/`), written by the
/// comprehensive stage and read by the report (docs/risk.md).
pub mod risk {
    /// Per unit (county, township, village) and hazard: AAL, deaths, levels.
    pub const UNITS_CSV: &str = "risk_units.csv";
    /// Per unit, loss-model hazard and event: the loss-exceedance curves.
    pub const EXCEEDANCE_CSV: &str = "loss_exceedance.csv";
    /// Per hazard and structure type: AAL and deaths.
    pub const STRUCTURE_CSV: &str = "aal_by_structure.csv";
    /// Per hazard: the historical record beside the assessment.
    pub const RECORD_CSV: &str = "risk_record.csv";
    /// Per index-route risk model and mitigation effectiveness α: mean risk, share
    /// on levels I–II, share of cells changing level (the assess stage).
    pub const ALPHA_SENSITIVITY_CSV: &str = "risk_alpha_sensitivity.csv";
}

/// The capacity stage's tables: `<name>.csv` in `assess/` and layers of
/// `zoning.gpkg` (docs/capacity.md).
pub mod capacity {
    /// Grassroots capacity index per township and village (polygons).
    pub const UNITS: &str = "capacity_units";
    /// People without a shelter place per scenario and township (table).
    pub const SHELTER_GAPS: &str = "shelter_gaps";
    /// Every shelter with its safety screen (points).
    pub const SHELTER_SAFETY: &str = "shelter_safety";
    /// Days of relief the reserves cover per scenario (table).
    pub const RESERVE_DAYS: &str = "reserve_days";
    /// Rescue travel times, population and key facilities beyond (table).
    pub const RESCUE_ACCESS: &str = "rescue_access";
    /// The 三高一低 screening of townships (polygons).
    pub const SCREENING: &str = "three_high_one_low";
}

/// Layers and tables of the zoning GeoPackage (`assess/zoning.gpkg`).
pub mod zoning {
    /// Township outlines with their codes and names.
    pub const TOWNSHIPS: &str = "townships";
    /// Village outlines with their codes, names and township.
    pub const VILLAGES: &str = "villages";
    /// Prefix of the zone layers: `zones_<level layer>`.
    pub const ZONES_PREFIX: &str = "zones_";
    /// Per township and level: area, share, population, buildings, value, hidden dangers.
    pub const UNIT_LEVELS: &str = "unit_levels";
    /// Per township and layer: the unit's level, score mean/max, prevention tier and trace.
    pub const UNIT_SUMMARY: &str = "unit_summary";
    /// [`UNIT_LEVELS`] per village.
    pub const VILLAGE_LEVELS: &str = "village_levels";
    /// [`UNIT_SUMMARY`] per village.
    pub const VILLAGE_SUMMARY: &str = "village_summary";
    /// Buildings per earthquake hidden-danger grade per township.
    pub const UNIT_SEISMIC_GRADES: &str = "unit_seismic_grades";
    /// Buildings per earthquake hidden-danger grade per structure type (also
    /// `assess/eq_grades_by_structure.csv`).
    pub const EQ_GRADES_BY_STRUCTURE: &str = "eq_grades_by_structure";
    /// The loss-route risk per township and county (AAL, deaths, levels).
    pub const UNIT_RISK: &str = "unit_risk";
    /// QGIS styles (the GeoPackage `layer_styles` extension table).
    pub const LAYER_STYLES: &str = "layer_styles";

    /// The zone layer of a level layer.
    pub fn zones(layer: &str) -> String {
        format!("{ZONES_PREFIX}{layer}")
    }
}
