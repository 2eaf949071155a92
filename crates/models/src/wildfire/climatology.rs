//! Fire-danger climatology of a station: statistics of the daily FWI over the fire
//! season.
//!
//! - **90th-percentile FWI** of the fire-season days, the statistic used for the
//!   fire-weather factor of the hazard (percentiles of daily FWI as in Bedia et al.
//!   2014, *Agricultural and Forest Meteorology* 189, 25–38, "Global patterns in the
//!   sensitivity of burned area to fire-weather"), computed with linear
//!   interpolation between order statistics (Hyndman & Fan 1996, *The American
//!   Statistician* 50, 361–365, definition 7; numpy's default).
//! - **Seasonal severity rating** SSR = mean DSR over the season (Van Wagner 1970).
//! - **Days per danger class** with the FWI class bounds of the European Forest Fire
//!   Information System (EFFIS): very low < 5.2 ≤ low < 11.2 ≤ moderate < 21.3 ≤
//!   high < 38.0 ≤ very high < 50.0 ≤ extreme (San-Miguel-Ayanz, J. et al. 2012,
//!   *Comprehensive monitoring of wildfires in Europe: the European Forest Fire
//!   Information System (EFFIS)*, in Tiefenbacher (ed.) *Approaches to Managing
//!   Disaster*, InTech, ch. 5; class table of the EFFIS fire-danger forecast).
//!   A value equal to a bound belongs to the higher class.
//!
//! The fire season is the set of days whose month is in `season_months` (the demo
//! and the North China Plain hills: February–May, the dry windy spring).

use super::StationDay;

/// EFFIS FWI class lower bounds of classes 2..=6 (see the module docs).
pub const EFFIS_CLASS_BOUNDS: [f64; 5] = [5.2, 11.2, 21.3, 38.0, 50.0];

/// EFFIS class names, lowest first.
pub const EFFIS_CLASS_NAMES: [&str; 6] = [
    "very low 很低",
    "low 低",
    "moderate 中",
    "high 高",
    "very high 很高",
    "extreme 极高",
];

/// The danger class (0 = very low … 5 = extreme) of an FWI value.
pub fn danger_class(fwi: f64) -> usize {
    EFFIS_CLASS_BOUNDS.iter().filter(|&&b| fwi >= b).count()
}

/// Percentile `p` (0..=100) by linear interpolation between order statistics
/// (Hyndman & Fan definition 7). NaN for no values; NaN values are refused by the
/// caller (FWI outputs are finite).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let h = (v.len() - 1) as f64 * (p / 100.0).clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Climatology of one station.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StationClimate {
    /// Station id.
    pub station: String,
    /// Fire-season days counted.
    pub days: usize,
    /// 90th percentile of the daily FWI over the fire-season days (linear interpolation).
    pub fwi_p90: f64,
    /// Mean daily FWI.
    pub fwi_mean: f64,
    /// Largest daily FWI.
    pub fwi_max: f64,
    /// Seasonal severity rating (mean DSR).
    pub ssr: f64,
    /// Days in each EFFIS class, very low … extreme.
    pub days_in_class: [usize; 6],
}

/// Per-station climatology of the days whose month is in `season_months`
/// (stations in first-seen order; `days` is usually [`super::compute_seasons`]).
pub fn climatology(days: &[StationDay], season_months: &[u8]) -> Vec<StationClimate> {
    let mut stations: Vec<&str> = Vec::new();
    for d in days {
        if !stations.contains(&d.station.as_str()) {
            stations.push(&d.station);
        }
    }
    stations
        .into_iter()
        .filter_map(|s| {
            let sel: Vec<&StationDay> = days
                .iter()
                .filter(|d| d.station == s && season_months.contains(&d.date.month))
                .collect();
            if sel.is_empty() {
                return None;
            }
            let fwi: Vec<f64> = sel.iter().map(|d| d.fwi.fwi).collect();
            let n = fwi.len() as f64;
            let mut classes = [0usize; 6];
            for &f in &fwi {
                classes[danger_class(f)] += 1;
            }
            Some(StationClimate {
                station: s.to_string(),
                days: sel.len(),
                fwi_p90: percentile(&fwi, 90.0),
                fwi_mean: fwi.iter().sum::<f64>() / n,
                fwi_max: fwi.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                ssr: sel.iter().map(|d| d.fwi.dsr).sum::<f64>() / n,
                days_in_class: classes,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_type7_matches_numpy() {
        // numpy.percentile([1, 2, 3, 4, 10], 90) = 7.6 (h = 3.6 → 4 + 0.6·6).
        assert!((percentile(&[10.0, 1.0, 3.0, 2.0, 4.0], 90.0) - 7.6).abs() < 1e-12);
        assert_eq!(percentile(&[5.0], 90.0), 5.0);
        assert!(percentile(&[], 90.0).is_nan());
    }

    #[test]
    fn class_bounds_go_up() {
        assert_eq!(danger_class(5.19), 0);
        assert_eq!(danger_class(5.2), 1);
        assert_eq!(danger_class(21.3), 3);
        assert_eq!(danger_class(49.99), 4);
        assert_eq!(danger_class(50.0), 5);
    }
}
