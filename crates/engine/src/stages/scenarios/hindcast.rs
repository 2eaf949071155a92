//! The hindcast (docs/scenarios.md §5): does the assessment rank the townships the
//! way later losses did? A design the bureau can repeat with its own record:
//!
//! 1. **Split** the record at a year S (`hindcast_split_year` of
//!    `models/scenario/scenarios.toml`, or the middle of the record).
//! 2. **Predict** each township's annual loss as of S: the loss-model hazards' AAL
//!    of the buildings standing at S (year built ≤ S or unknown; values as
//!    surveyed), plus each record-route hazard's mean annual loss of the events up
//!    to S, spread over the townships by the shares of its risk index (the
//!    comprehensive stage's rule).
//! 3. **Check** against the direct losses recorded after S, per township
//!    (`disaster_events` of the comprehensive hazards' types): Spearman's ρ and its
//!    two-sided permutation p-value; beside it the naive forecast "the past
//!    repeats" (losses up to S) with its ρ.
//!
//! Values are nominal (the census's record carries no price index of its own) and
//! ranks are unaffected by a county-wide deflator.

use riskcensus_models::scenario::stats;
use serde::Serialize;

use crate::loss::{DatedEvent, HazardLosses, LossFrame};

/// One township of the hindcast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Township code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Predicted annual loss as of the split year, 万元/yr.
    pub predicted: f64,
    /// Direct loss recorded up to the split year, 万元.
    pub before: f64,
    /// Direct loss recorded after it, 万元.
    pub after: f64,
}

/// The hindcast's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hindcast {
    /// The split year S.
    pub split_year: i32,
    /// The record's first and last year.
    pub record: (i32, i32),
    /// The townships.
    pub rows: Vec<Row>,
    /// Spearman's ρ of the prediction with the later losses, and its p-value.
    pub rho: f64,
    /// … p-value.
    pub p: f64,
    /// The naive forecast's ρ and p-value.
    pub rho_naive: f64,
    /// … p-value.
    pub p_naive: f64,
}

/// What the hindcast needs.
pub struct Inputs<'a> {
    /// The record.
    pub events: &'a [DatedEvent],
    /// The event types of the comprehensive hazards: (hazard, route, types).
    pub hazard_types: Vec<(String, String, Vec<String>)>,
    /// The comprehensive stage's frame (townships, record cells).
    pub frame: &'a LossFrame,
    /// The baseline's loss-model buildings.
    pub losses: &'a [HazardLosses],
    /// Year built of the buildings, by id (the earthquake model's inputs).
    pub year_built: &'a std::collections::BTreeMap<String, Option<i32>>,
    /// The split year (None: the middle of the record).
    pub split_year: Option<i32>,
    /// Permutations and seed of the p-values.
    pub permutations: u32,
    /// Seed of the permutations.
    pub seed: u64,
}

/// Run the hindcast; Err(why) when the record or the townships cannot carry it.
pub fn hindcast(inp: &Inputs<'_>) -> Result<Hindcast, String> {
    let towns = &inp.frame.groups[1];
    let k = towns.units.len();
    if k < 3 {
        return Err("the hindcast ranks townships: the census needs at least 3".into());
    }
    let types: Vec<&str> = inp
        .hazard_types
        .iter()
        .flat_map(|(_, _, t)| t.iter().map(String::as_str))
        .collect();
    let events: Vec<&DatedEvent> = inp
        .events
        .iter()
        .filter(|e| types.contains(&e.record.event_type.as_str()))
        .collect();
    let (Some(first), Some(last)) = (
        events.iter().map(|e| e.record.year).min(),
        events.iter().map(|e| e.record.year).max(),
    ) else {
        return Err("no disaster_events of the assessed hazards' types".into());
    };
    let split = inp.split_year.unwrap_or((first + last) / 2);
    if split < first || split >= last {
        return Err(format!(
            "split year {split} leaves no record before or after it ({first}–{last})"
        ));
    }
    let slot = |code: &str| towns.units.iter().position(|u| u.code == code);
    let mut rows: Vec<Row> = towns
        .units
        .iter()
        .map(|u| Row {
            code: u.code.clone(),
            name: u.name.clone(),
            predicted: 0.0,
            before: 0.0,
            after: 0.0,
        })
        .collect();
    for e in &events {
        let Some(t) = slot(&e.township) else { continue };
        let loss = e.record.loss_wan.unwrap_or(0.0);
        if e.record.year <= split {
            rows[t].before += loss;
        } else {
            rows[t].after += loss;
        }
    }
    // The loss models: buildings standing at the split year.
    for l in inp.losses {
        for b in &l.buildings {
            let standing = inp
                .year_built
                .get(&b.id)
                .copied()
                .flatten()
                .is_none_or(|y| y <= split);
            let o = towns.owner[b.cell];
            if standing && o > 0 && b.aal_wan.is_finite() {
                rows[o - 1].predicted += b.aal_wan;
            }
        }
    }
    // The record route: the pre-split mean annual loss by the index shares.
    let years = f64::from(split - first + 1);
    for (hazard, route, t) in &inp.hazard_types {
        if route != "record" {
            continue;
        }
        let Some(cells) = inp.frame.hazards.iter().find(|h| &h.hazard == hazard) else {
            continue;
        };
        let per_town = towns.sums(&cells.aal, &cells.aal);
        let total: f64 = per_town.iter().sum();
        if total <= 0.0 {
            continue;
        }
        let mean: f64 = events
            .iter()
            .filter(|e| e.record.year <= split && t.contains(&e.record.event_type))
            .map(|e| e.record.loss_wan.unwrap_or(0.0))
            .sum::<f64>()
            / years;
        for (r, v) in rows.iter_mut().zip(&per_town) {
            r.predicted += mean * v / total;
        }
    }
    let pred: Vec<f64> = rows.iter().map(|r| r.predicted).collect();
    let before: Vec<f64> = rows.iter().map(|r| r.before).collect();
    let after: Vec<f64> = rows.iter().map(|r| r.after).collect();
    Ok(Hindcast {
        split_year: split,
        record: (first, last),
        rho: stats::spearman(&pred, &after),
        p: stats::spearman_p(&pred, &after, inp.permutations, inp.seed),
        rho_naive: stats::spearman(&before, &after),
        p_naive: stats::spearman_p(&before, &after, inp.permutations, inp.seed),
        rows,
    })
}
