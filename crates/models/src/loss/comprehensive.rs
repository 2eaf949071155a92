//! The comprehensive loss over hazards (综合风险, loss route;
//! `models/comprehensive/comprehensive.toml`).
//!
//! - A hazard with a loss model (`route = "loss"`: flood, earthquake) adds its AAL
//!   and expected annual deaths per cell (`<hazard>_aal`, `<hazard>_deaths_annual`).
//! - A hazard assessed only by a risk index (`route = "record"`: geological
//!   hazards, wildfire) adds its **recorded** mean annual loss and deaths — the sum
//!   over the census's historical events (`disaster_events`) of its event types,
//!   divided by the length of the record — spread over the cells in proportion to
//!   its risk index R (cell share R / ΣR). The index says where, the record how
//!   much: no weight is invented, and no hazard is counted twice (each hazard
//!   enters by one route only).
//!
//! The record's length is the span of the years of all events (last − first + 1),
//! the only length the table itself states; a census whose record is longer than
//! its events show underestimates nothing but overstates the rate, so the tables
//! print the span used. No provincial or national method combining index-only
//! hazards with loss-modelled ones could be obtained (DB41/T 2753-2024 was looked
//! for and not found); this rule is the project's, stated in the model file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ModelError;
use crate::locate::Step;
use crate::operator_file::{k, parse_toml, Checker};

/// The file in the model library.
pub const PATH: &str = "comprehensive/comprehensive.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "loss_sum";

/// How a hazard enters the comprehensive loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Its own loss model's AAL and deaths.
    Loss,
    /// The recorded mean annual loss spread by its risk index.
    Record,
}

/// One `[[hazards]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HazardEntry {
    /// Hazard id (the prefix of its layers).
    pub hazard: String,
    /// How it enters.
    pub route: Route,
    /// `disaster_events.type` codes of the hazard (to compare a loss model with
    /// the record, and the record route's losses).
    pub event_types: Vec<String>,
    /// Record route: the risk-index layer that spreads the recorded loss.
    #[serde(default)]
    pub risk_layer: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    version: String,
    operator: String,
    sources: Vec<String>,
    description: String,
    hazards: Vec<HazardEntry>,
}

/// The validated combination; its JSON is the parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comprehensive {
    id: String,
    version: String,
    sources: Vec<String>,
    hazards: Vec<HazardEntry>,
}

impl Comprehensive {
    /// Parse and check the file's text; every problem with its line and key.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin: PathBuf = origin.as_ref().to_path_buf();
        let s: Spec = parse_toml(text, &origin)?;
        let mut c = Checker::new(text);
        c.operator(&s.operator, OPERATOR);
        c.sources(&s.sources);
        if s.description.trim().is_empty() {
            c.err(&[k("description")], "say what the combination does");
        }
        for (i, h) in s.hazards.iter().enumerate() {
            let at = vec![k("hazards"), Step::Index(i)];
            if s.hazards[..i].iter().any(|o| o.hazard == h.hazard) {
                c.err(
                    &at,
                    format!("{} enters twice: a hazard is counted once", h.hazard),
                );
            }
            match (h.route, &h.risk_layer) {
                (Route::Record, None) => c.err(
                    &at,
                    format!("{}: route \"record\" needs risk_layer", h.hazard),
                ),
                (Route::Loss, Some(_)) => c.err(
                    &at,
                    format!("{}: route \"loss\" takes no risk_layer", h.hazard),
                ),
                _ => {}
            }
            if h.route == Route::Record && h.event_types.is_empty() {
                c.err(&at, format!("{}: name its disaster_events types", h.hazard));
            }
        }
        if s.hazards.is_empty() {
            c.err(&[k("hazards")], "at least one hazard");
        }
        c.finish(
            &origin,
            Comprehensive {
                id: s.id,
                version: s.version,
                sources: s.sources,
                hazards: s.hazards,
            },
        )
    }

    /// The shipped combination.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped comprehensive combination is valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The hazards in file order.
    pub fn hazards(&self) -> &[HazardEntry] {
        &self.hazards
    }
}

/// One historical event as the record route needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// `disaster_events.type` code.
    pub event_type: String,
    /// Year of the event.
    pub year: i32,
    /// Direct economic loss, 万元 (missing = not recorded, counted as 0).
    pub loss_wan: Option<f64>,
    /// Deaths (missing counted as 0).
    pub deaths: Option<f64>,
}

/// Recorded totals of some event types.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Recorded {
    /// Events.
    pub events: usize,
    /// Mean annual direct loss, 万元/yr.
    pub loss_per_year: f64,
    /// Mean annual deaths.
    pub deaths_per_year: f64,
}

/// The record: its span and the totals per event type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedRates {
    /// First year of any event.
    pub first_year: i32,
    /// Last year of any event.
    pub last_year: i32,
    /// Per event type: (events, Σ loss 万元, Σ deaths).
    pub by_type: BTreeMap<String, (usize, f64, f64)>,
}

impl RecordedRates {
    /// The record of `events`; `None` without an event.
    pub fn from_events(events: &[EventRecord]) -> Option<RecordedRates> {
        let first_year = events.iter().map(|e| e.year).min()?;
        let last_year = events.iter().map(|e| e.year).max()?;
        let mut by_type: BTreeMap<String, (usize, f64, f64)> = BTreeMap::new();
        for e in events {
            let t = by_type.entry(e.event_type.clone()).or_default();
            t.0 += 1;
            t.1 += e.loss_wan.unwrap_or(0.0);
            t.2 += e.deaths.unwrap_or(0.0);
        }
        Some(RecordedRates {
            first_year,
            last_year,
            by_type,
        })
    }

    /// The record's length in years (last − first + 1).
    pub fn years(&self) -> u32 {
        (self.last_year - self.first_year + 1).max(1) as u32
    }

    /// Mean annual loss and deaths of the event types `types`.
    pub fn of(&self, types: &[String]) -> Recorded {
        let y = f64::from(self.years());
        let mut r = Recorded::default();
        for t in types {
            if let Some(&(n, loss, deaths)) = self.by_type.get(t) {
                r.events += n;
                r.loss_per_year += loss / y;
                r.deaths_per_year += deaths / y;
            }
        }
        r
    }
}

/// `total` spread over cells in proportion to `weights` (cells with a NaN or
/// negative weight get 0); all 0 when the weights sum to 0.
pub fn spread(total: f64, weights: &[f32]) -> Vec<f64> {
    let w = |v: f32| {
        if v.is_finite() && v > 0.0 {
            f64::from(v)
        } else {
            0.0
        }
    };
    let sum: f64 = weights.iter().map(|&v| w(v)).sum();
    if sum <= 0.0 {
        return vec![0.0; weights.len()];
    }
    weights.iter().map(|&v| total * w(v) / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: &str, year: i32, loss: f64, deaths: f64) -> EventRecord {
        EventRecord {
            event_type: t.into(),
            year,
            loss_wan: Some(loss),
            deaths: Some(deaths),
        }
    }

    #[test]
    fn recorded_rates_by_hand() {
        let r = RecordedRates::from_events(&[
            ev("landslide", 2001, 100.0, 1.0),
            ev("debris_flow", 2010, 300.0, 0.0),
            ev("flood", 2020, 1000.0, 2.0),
        ])
        .unwrap();
        assert_eq!(r.years(), 20);
        let g = r.of(&["landslide".into(), "debris_flow".into(), "collapse".into()]);
        assert_eq!(g.events, 2);
        assert!((g.loss_per_year - 20.0).abs() < 1e-12);
        assert!((g.deaths_per_year - 0.05).abs() < 1e-12);
        assert!(RecordedRates::from_events(&[]).is_none());
    }

    #[test]
    fn spreading_keeps_the_total_and_follows_the_index() {
        let s = spread(90.0, &[0.1, 0.2, f32::NAN, 0.0, 0.3]);
        assert!((s.iter().sum::<f64>() - 90.0).abs() < 1e-9);
        assert!((s[4] - 45.0).abs() < 1e-5 && s[2] == 0.0);
        assert_eq!(spread(5.0, &[0.0, f32::NAN]), vec![0.0, 0.0]);
    }

    #[test]
    fn shipped_file_and_a_hazard_entered_twice() {
        let c = Comprehensive::builtin();
        assert!(c.hazards().iter().any(|h| h.route == Route::Loss));
        let twice = crate::library::shipped_text(PATH)
            .replace("hazard = \"wildfire\"", "hazard = \"flood\"");
        let e = Comprehensive::from_toml(&twice, "c.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("flood enters twice"), "{e}");
    }
}
