//! The options of the wildfire stage (defaults documented in docs/wildfire.md). Their
//! `Debug` text is hashed into the outputs' `RISKCENSUS_PARAM_HASH`.

use riskcensus_models::wildfire::field::FieldParams;
use riskcensus_models::wildfire::hazard::WuiParams;
use riskcensus_models::wildfire::interpolate::{Idw, LAPSE_RATE_C_PER_M};

use crate::error::EngineError;

/// Options of the wildfire stage (defaults documented in docs/wildfire.md).
#[derive(Debug, Clone, PartialEq)]
pub struct WildfireOptions {
    /// IDW of the station weather.
    pub idw: Idw,
    /// Temperature lapse rate, °C per metre (6.5 °C/km).
    pub lapse_c_per_m: f64,
    /// Months of the fire season for the climatology and `fwi_p90`.
    pub season_months: Vec<u8>,
    /// Percentile of the daily FWI for the fire-weather grid.
    pub percentile: f64,
    /// Kernel-density bandwidth for fire points, metres.
    pub kde_bandwidth_m: f64,
    /// The wildland–urban interface.
    pub wui: WuiParams,
    /// Spacing of the weather lattice on which the FWI system runs, metres; 0 (or
    /// any value ≤ the census cell size) runs it in every census cell. Default
    /// 1000 m (docs/wildfire.md, "From stations to the grid").
    pub weather_cell_m: f64,
    /// Elevation step of the lattice levels for the lapse-rate temperature, metres
    /// (default 50 m = 0.325 °C at 6.5 °C/km).
    pub weather_dz_m: f64,
    /// Rescue teams whose `kind` contains one of these words fight forest fires and
    /// count in the rescue potential (others, e.g. mine or water rescue, do not).
    pub fire_crew_kinds: Vec<String>,
    /// Distance d₀ (m) of the Gaussian impedance exp(−(d/d₀)²) of the rescue
    /// potential (`riskcensus_models::wildfire::capacity`).
    pub rescue_decay_m: f64,
    /// Land-cover classes that are water sources (GlobeLand30 60 water bodies).
    pub water_classes: Vec<u16>,
    /// Distance layers of the stack whose zero cells are water sources too, used
    /// when present (the `dist_<source id>` grids of prepare).
    pub water_layers: Vec<String>,
}

impl Default for WildfireOptions {
    fn default() -> Self {
        WildfireOptions {
            idw: Idw::default(),
            lapse_c_per_m: LAPSE_RATE_C_PER_M,
            season_months: vec![2, 3, 4, 5],
            percentile: 90.0,
            kde_bandwidth_m: 2000.0,
            wui: WuiParams::default(),
            weather_cell_m: 1000.0,
            weather_dz_m: 50.0,
            fire_crew_kinds: ["消防", "扑火", "fire"].map(String::from).to_vec(),
            rescue_decay_m: 5000.0,
            water_classes: vec![60],
            water_layers: ["dist_rivers", "dist_reservoirs"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl WildfireOptions {
    /// How the station weather reaches a point (`riskcensus_models::wildfire::field`).
    pub fn field(&self) -> FieldParams {
        FieldParams {
            idw: self.idw,
            lapse_c_per_m: self.lapse_c_per_m,
            season_months: self.season_months.clone(),
            percentile: self.percentile,
        }
    }

    /// Every option with a range, checked: the weather lattice spacing (≥ 0 m) and
    /// level step (> 0 m), the rescue decay distance (> 0 m).
    pub fn check(&self) -> Result<(), EngineError> {
        let bad = |option, value, rule| EngineError::WildfireOption {
            option,
            value,
            rule,
        };
        if !(self.weather_cell_m.is_finite() && self.weather_cell_m >= 0.0) {
            return Err(bad(
                "weather_cell_m",
                self.weather_cell_m,
                "must be a finite length ≥ 0 m (0 = every census cell)",
            ));
        }
        if !(self.weather_dz_m.is_finite() && self.weather_dz_m > 0.0) {
            return Err(bad(
                "weather_dz_m",
                self.weather_dz_m,
                "must be a finite length > 0 m",
            ));
        }
        if !(self.rescue_decay_m.is_finite() && self.rescue_decay_m > 0.0) {
            return Err(bad(
                "rescue_decay_m",
                self.rescue_decay_m,
                "must be a finite distance > 0 m",
            ));
        }
        Ok(())
    }
}
