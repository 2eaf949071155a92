//! Shelters against the displaced (避难场所容量缺口) and shelter site safety.
//!
//! **Displaced people per scenario** (`[[scenarios]]` of
//! `models/capacity/capacity_gaps.toml`): a flood scenario counts the population
//! of every cell whose depth in `flood_depth_<event>` exceeds its threshold
//! (InaSAFE's 1 m rule); an earthquake scenario sums, per cell, the residents of
//! uninhabitable dwellings the earthquake stage gives for the event (Hazus
//! displaced households, `[fragility.uninhabitable]` of the earthquake model).
//!
//! **Places.** Each SAFE shelter (see below) offers its `capacity` to the displaced
//! within the service radius of its type (GB 51143-2015 classes) measured along the
//! road network — straight walk to the nearest road node at both ends plus the
//! network length ([`network_pairs`]); without roads, the straight-line distance
//! (stated in the notes). People go to the nearest shelter with room
//! ([`allocate`], a deterministic greedy rule). Per township and the county: the
//! displaced, the placed, the people without a place, and the people without a
//! place if the unsafe shelters were used as well.
//!
//! **Site safety** (GB 51143-2015 §4.1.2; `[safety]`): a shelter is unsafe when its
//! cell lies in a listed geological-hazard level, in the threat zone of a
//! hidden-danger point, within the fault set-back of a fault trace, or in the flood
//! extent of the named event. Each reason is listed; a screen whose layer the run
//! lacks is not applied (and the notes say so).

use std::collections::BTreeMap;

use riskcensus_contracts::tables::capacity as names;
use riskcensus_contracts::tables::census as T;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::capacity::allocation::{allocate, network_pairs, Point};
use riskcensus_models::capacity::gaps::{CapacityGaps, Displacement, Safety, Scenario};
use serde::Serialize;

use super::{CapacityReport, Inputs, ID};
use crate::deliverable::{flag, level, round, text, Deliverable, Style};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::loss::HazardLosses;
use crate::stage::Context;

/// A shelter of the census.
#[derive(Debug, Clone)]
pub struct Shelter {
    /// Record id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Type code (GB 51143-2015 class), empty when not recorded.
    pub shelter_type: String,
    /// Places, persons.
    pub capacity: f64,
    /// Position, census CRS.
    pub x: f64,
    /// Position, census CRS.
    pub y: f64,
    /// Row-major cell, if on the grid.
    pub cell: Option<usize>,
    /// Why the site is unsafe (empty: safe).
    pub unsafe_reasons: Vec<String>,
}

/// The displaced of one scenario: (cell, persons), cells ascending.
#[derive(Debug, Clone)]
pub struct Demand {
    /// The scenario.
    pub scenario: Scenario,
    /// Displaced persons per cell (none when the scenario could not be assessed).
    pub cells: Vec<(usize, f64)>,
    /// False when the run lacks the scenario's hazard layer or losses.
    pub assessed: bool,
}

/// County totals of a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioTotal {
    /// Scenario id.
    pub id: String,
    /// Displaced persons.
    pub displaced: f64,
    /// Of them with a place in a safe shelter.
    pub placed: f64,
    /// Without a place.
    pub unplaced: f64,
}

/// What the shelter part hands on.
pub struct Shelters {
    /// The shelters with their screens.
    pub shelters: Vec<Shelter>,
    /// The displaced per scenario.
    pub demands: Vec<Demand>,
    /// `shelter_gaps`.
    pub gaps: Deliverable,
    /// `shelter_safety`.
    pub safety: Deliverable,
}

/// Read, screen, allocate, tabulate.
pub fn assess(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    report: &mut CapacityReport,
) -> Result<Shelters, EngineError> {
    let mut shelters = read(cx, db, inp)?;
    screen(cx, db, inp, gaps, &mut shelters, &mut report.notes)?;
    report.shelters = shelters.len();
    report.unsafe_shelters = shelters
        .iter()
        .filter(|s| !s.unsafe_reasons.is_empty())
        .count();
    let losses: Vec<&HazardLosses> = cx.published::<HazardLosses>().collect();
    let mut demands = Vec::new();
    for sc in &gaps.scenarios {
        demands.push(displaced(cx, inp, sc, &losses, &mut report.notes)?);
    }
    let gaps_table = gap_table(inp, gaps, &shelters, &demands, report)?;
    let safety = safety_table(inp, gaps, &shelters);
    Ok(Shelters {
        shelters,
        demands,
        gaps: gaps_table,
        safety,
    })
}

fn read(cx: &Context<'_>, db: &Census, inp: &Inputs<'_>) -> Result<Vec<Shelter>, EngineError> {
    if cx.table_rows(T::SHELTERS)? == 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in db.query(T::SHELTERS, &Query::default())? {
        let (Some(geo_types::Geometry::Point(p)), Some(capacity)) =
            (&f.geometry, f.number("capacity"))
        else {
            continue;
        };
        out.push(Shelter {
            id: f.text("id"),
            name: f.text("name"),
            shelter_type: f.text("shelter_type"),
            capacity,
            x: p.x(),
            y: p.y(),
            cell: inp.cell_of(p.x(), p.y()),
            unsafe_reasons: Vec::new(),
        });
    }
    Ok(out)
}

/// The value of a stack layer at each shelter's cell (None: the run lacks it).
fn at_shelters(
    cx: &Context<'_>,
    inp: &Inputs<'_>,
    layer: &str,
    shelters: &[Shelter],
) -> Result<Option<Vec<f32>>, EngineError> {
    if cx.stack.get(layer).is_none() {
        return Ok(None);
    }
    let g = cx.stack.read_grid(layer, None, inp.grid, ID)?;
    let g = g.as_slice().expect("standard layout");
    Ok(Some(
        shelters
            .iter()
            .map(|s| s.cell.map_or(f32::NAN, |c| g[c]))
            .collect(),
    ))
}

/// What the screen knows of one site (NaN or `None`: the run lacks the layer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Site {
    /// `geohazard_hazard_level` at the site's cell (geohazard4 code).
    pub geohazard_level: f32,
    /// `geohazard_threat_grade` at the cell (> 0: inside a hidden-danger point's
    /// threat zone).
    pub threat_grade: f32,
    /// Distance to the nearest fault trace, metres (infinite without faults).
    pub fault_m: f64,
    /// Flood depth of the screen's event at the cell, metres.
    pub flood_depth_m: f32,
}

/// The reasons a site is unsafe under `[safety]` (empty: safe) — the rule of the
/// module doc, one reason per screen that fails.
pub fn site_reasons(sf: &Safety, site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    let l = site.geohazard_level;
    if l.is_finite() && sf.geohazard_levels.iter().any(|&x| f32::from(x) == l) {
        out.push(format!(
            "地质灾害危险性{l}级区 in geological-hazard level {l}"
        ));
    }
    let g = site.threat_grade;
    if sf.hidden_danger_zones && g.is_finite() && g > 0.0 {
        out.push(format!(
            "地质灾害隐患点威胁范围内 in the threat zone of a hidden-danger point (grade {g})"
        ));
    }
    if site.fault_m < sf.fault_buffer_m {
        out.push(format!(
            "距断层 {:.0} m（< {:.0} m）within the fault set-back",
            site.fault_m, sf.fault_buffer_m
        ));
    }
    let d = site.flood_depth_m;
    if d.is_finite() && f64::from(d) > sf.flood_depth_m {
        out.push(format!(
            "{}洪水淹没 {d:.2} m inside the {} flood extent",
            sf.flood_event, sf.flood_event
        ));
    }
    out
}

fn screen(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    shelters: &mut [Shelter],
    notes: &mut Vec<String>,
) -> Result<(), EngineError> {
    if shelters.is_empty() {
        return Ok(());
    }
    let sf = &gaps.safety;
    let n = shelters.len();
    let mut layer = |id: &str, what: &str| -> Result<Vec<f32>, EngineError> {
        Ok(match at_shelters(cx, inp, id, shelters)? {
            Some(v) => v,
            None => {
                notes.push(format!(
                    "shelter screen “{what}” not applied: no {id} in this run"
                ));
                vec![f32::NAN; n]
            }
        })
    };
    let levels = layer("geohazard_hazard_level", "geological hazard level")?;
    let threat = if sf.hidden_danger_zones {
        layer("geohazard_threat_grade", "hidden-danger threat zone")?
    } else {
        vec![f32::NAN; n]
    };
    let depth = layer(&format!("flood_depth_{}", sf.flood_event), "flood extent")?;
    let faults: Vec<geo_types::Geometry<f64>> = if cx.table_rows(T::FAULTS)? == 0 {
        notes.push("shelter screen “fault set-back” not applied: no faults in the census".into());
        Vec::new()
    } else {
        db.query(T::FAULTS, &Query::default())?
            .into_iter()
            .filter_map(|f| f.geometry)
            .collect()
    };
    for (i, s) in shelters.iter_mut().enumerate() {
        use geo::{Distance, Euclidean};
        let p = geo_types::Geometry::Point(geo_types::Point::new(s.x, s.y));
        let site = Site {
            geohazard_level: levels[i],
            threat_grade: threat[i],
            fault_m: faults
                .iter()
                .map(|f| Euclidean.distance(&p, f))
                .fold(f64::INFINITY, f64::min),
            flood_depth_m: depth[i],
        };
        s.unsafe_reasons = site_reasons(sf, &site);
    }
    Ok(())
}

/// The displaced of scenario `sc` per cell.
fn displaced(
    cx: &Context<'_>,
    inp: &Inputs<'_>,
    sc: &Scenario,
    losses: &[&HazardLosses],
    notes: &mut Vec<String>,
) -> Result<Demand, EngineError> {
    let mut d = Demand {
        scenario: sc.clone(),
        cells: Vec::new(),
        assessed: false,
    };
    match sc.displacement {
        Displacement::Depth { depth_m } => {
            let layer = format!("flood_depth_{}", sc.event);
            if cx.stack.get(&layer).is_none() {
                notes.push(format!("scenario {}: no {layer} in this run", sc.id));
                return Ok(d);
            }
            let g = cx.stack.read_grid(&layer, Some("m"), inp.grid, ID)?;
            d.cells = deeper_than(g.as_slice().expect("standard layout"), &inp.pop, depth_m);
        }
        Displacement::Uninhabitable => {
            let Some(l) = losses.iter().find(|l| l.hazard == sc.hazard) else {
                notes.push(format!(
                    "scenario {}: the {} stage gave no building losses in this run",
                    sc.id, sc.hazard
                ));
                return Ok(d);
            };
            let Some(e) = l.events.iter().position(|e| e.name == sc.event) else {
                notes.push(format!(
                    "scenario {}: the {} losses have no event {:?}",
                    sc.id, sc.hazard, sc.event
                ));
                return Ok(d);
            };
            let mut per_cell: BTreeMap<usize, f64> = BTreeMap::new();
            for b in &l.buildings {
                if let Some(&p) = b.event_displaced.get(e) {
                    if p.is_finite() && p > 0.0 && inp.inside(b.cell) {
                        *per_cell.entry(b.cell).or_insert(0.0) += p;
                    }
                }
            }
            d.cells = per_cell.into_iter().collect();
        }
    }
    d.assessed = true;
    Ok(d)
}

/// The people of every cell whose depth exceeds `depth_m` (InaSAFE's evacuation
/// rule): (cell, persons), cells ascending; NaN depth (nodata) displaces nobody.
pub fn deeper_than(depth: &[f32], pop: &[f64], depth_m: f64) -> Vec<(usize, f64)> {
    depth
        .iter()
        .zip(pop)
        .enumerate()
        .filter(|(_, (&d, &p))| d.is_finite() && f64::from(d) > depth_m && p > 0.0)
        .map(|(c, (_, &p))| (c, p))
        .collect()
}

/// Candidate (demand, place, metres) pairs within each place's radius: along the
/// network when the census has roads, else straight lines.
fn pairs(
    inp: &Inputs<'_>,
    demand: &[Point],
    places: &[Point],
    radius: &[f64],
) -> Result<Vec<(usize, usize, f64)>, EngineError> {
    let err = |source| EngineError::Shelters {
        record: None,
        source,
    };
    Ok(match &inp.net {
        Some(net) if net.node_count() > 0 => {
            network_pairs(net, demand, places, radius).map_err(err)?
        }
        _ => {
            let mut out = Vec::new();
            for (j, p) in places.iter().enumerate() {
                for (i, q) in demand.iter().enumerate() {
                    let d = (p.x - q.x).hypot(p.y - q.y);
                    if d <= radius[j] {
                        out.push((i, j, d));
                    }
                }
            }
            out.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
            out
        }
    })
}

/// People without a place per township and the county, per scenario.
fn gap_table(
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    shelters: &[Shelter],
    demands: &[Demand],
    report: &mut CapacityReport,
) -> Result<Deliverable, EngineError> {
    let mut t = Deliverable::new(
        names::SHELTER_GAPS,
        GeometryType::None,
        &[
            ("scenario", FieldType::String),
            ("scenario_zh", FieldType::String),
            ("unit_code", FieldType::String),
            ("unit_name", FieldType::String),
            ("unit_level", FieldType::String),
            ("displaced", FieldType::Real),
            ("placed", FieldType::Real),
            ("unplaced", FieldType::Real),
            ("unplaced_pct", FieldType::Real),
            ("unplaced_if_unsafe_used", FieldType::Real),
            ("safe_places_in_unit", FieldType::Real),
            ("assessed", FieldType::Integer),
        ],
    );
    let n = inp.townships.units.len();
    let places_all: Vec<Point> = shelters.iter().map(|s| Point { x: s.x, y: s.y }).collect();
    let radius: Vec<f64> = shelters
        .iter()
        .map(|s| gaps.radius_m((!s.shelter_type.is_empty()).then_some(s.shelter_type.as_str())))
        .collect();
    let safe: Vec<bool> = shelters
        .iter()
        .map(|s| s.unsafe_reasons.is_empty())
        .collect();
    let mut safe_places = vec![0.0; n + 1];
    for s in shelters.iter().filter(|s| s.unsafe_reasons.is_empty()) {
        if let Some(k) = inp.township_of(s.cell) {
            safe_places[k] += s.capacity;
        }
        safe_places[n] += s.capacity;
    }
    let county = county_of(inp);
    for d in demands {
        let pts: Vec<Point> = d
            .cells
            .iter()
            .map(|&(c, _)| {
                let (x, y) = inp.grid.cell_center(c / inp.grid.cols, c % inp.grid.cols);
                Point { x, y }
            })
            .collect();
        let people: Vec<f64> = d.cells.iter().map(|&(_, p)| p).collect();
        let all_pairs = pairs(inp, &pts, &places_all, &radius)?;
        let cap_safe: Vec<f64> = shelters
            .iter()
            .zip(&safe)
            .map(|(s, &ok)| if ok { s.capacity } else { 0.0 })
            .collect();
        let cap_all: Vec<f64> = shelters.iter().map(|s| s.capacity).collect();
        let err = |source| EngineError::Shelters {
            record: None,
            source,
        };
        let with_safe = allocate(&people, &cap_safe, &all_pairs).map_err(err)?;
        let with_all = allocate(&people, &cap_all, &all_pairs).map_err(err)?;
        let mut sums = vec![[0.0f64; 3]; n + 1];
        for (i, &(c, p)) in d.cells.iter().enumerate() {
            for k in inp.rows_of(Some(c)) {
                sums[k][0] += p;
                sums[k][1] += with_safe.placed[i];
                sums[k][2] += with_all.placed[i];
            }
        }
        for k in 0..=n {
            let (code, name, lvl) = if k < n {
                let u = &inp.townships.units[k];
                (u.code.clone(), u.name.clone(), "township")
            } else {
                (county.0.clone(), county.1.clone(), "county")
            };
            // A scenario the run could not assess has no numbers (empty, not 0).
            let [disp, placed, placed_all] = if d.assessed { sums[k] } else { [f64::NAN; 3] };
            // f64::max would turn a NaN into 0.
            let short = |need: f64, met: f64| {
                if need.is_nan() {
                    f64::NAN
                } else {
                    (need - met).max(0.0)
                }
            };
            let unplaced = short(disp, placed);
            let pct = if disp > 0.0 {
                100.0 * unplaced / disp
            } else {
                f64::NAN
            };
            t.push(
                None,
                vec![
                    text(&d.scenario.id),
                    text(&d.scenario.name_zh),
                    text(code),
                    text(name),
                    text(lvl),
                    round(disp, 1),
                    round(placed, 1),
                    round(unplaced, 1),
                    round(pct, 2),
                    round(short(disp, placed_all), 1),
                    round(safe_places[k], 0),
                    flag(d.assessed),
                ],
            );
        }
        if !d.assessed {
            continue;
        }
        report.scenarios.push(ScenarioTotal {
            id: d.scenario.id.clone(),
            displaced: sums[n][0],
            placed: sums[n][1],
            unplaced: (sums[n][0] - sums[n][1]).max(0.0),
        });
    }
    Ok(t)
}

/// Every shelter with its type, radius, places and screen (`level` 1 = unsafe,
/// 2 = safe, scheme `shelter_safety2`).
fn safety_table(inp: &Inputs<'_>, gaps: &CapacityGaps, shelters: &[Shelter]) -> Deliverable {
    let mut t = Deliverable::new(
        names::SHELTER_SAFETY,
        GeometryType::Point,
        &[
            ("shelter_id", FieldType::String),
            ("name", FieldType::String),
            ("shelter_type", FieldType::String),
            ("radius_m", FieldType::Real),
            ("capacity", FieldType::Real),
            ("township_code", FieldType::String),
            ("level", FieldType::Integer),
            ("safe", FieldType::Integer),
            ("reasons", FieldType::String),
        ],
    );
    t.style = Some(Style::PointScheme("shelter_safety2".into()));
    for s in shelters {
        let ty = if s.shelter_type.is_empty() {
            format!("{} (default)", gaps.shelters.default_type)
        } else {
            s.shelter_type.clone()
        };
        let township = inp
            .township_of(s.cell)
            .map(|k| inp.townships.units[k].code.clone())
            .unwrap_or_default();
        let ok = s.unsafe_reasons.is_empty();
        t.push(
            Some(geo_types::Geometry::Point(geo_types::Point::new(s.x, s.y))),
            vec![
                text(&s.id),
                text(&s.name),
                text(ty),
                round(
                    gaps.radius_m((!s.shelter_type.is_empty()).then_some(s.shelter_type.as_str())),
                    0,
                ),
                round(s.capacity, 0),
                text(township),
                level(if ok { 2 } else { 1 }),
                flag(ok),
                text(s.unsafe_reasons.join("; ")),
            ],
        );
    }
    t
}

/// The county's code and name (the 6-digit admin unit), for county rows.
pub fn county_of(inp: &Inputs<'_>) -> (String, String) {
    inp.attrs
        .iter()
        .find(|(c, a)| c.len() == 6 || a.level == "county")
        .map(|(c, a)| (c.clone(), a.name.clone()))
        .unwrap_or_else(|| ("county".into(), "全县".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safety() -> Safety {
        CapacityGaps::builtin().safety
    }

    fn clear() -> Site {
        Site {
            geohazard_level: 4.0,
            threat_grade: f32::NAN,
            fault_m: f64::INFINITY,
            flood_depth_m: f32::NAN,
        }
    }

    #[test]
    fn a_shelter_in_a_landslide_zone_is_flagged_one_outside_is_not() {
        let sf = safety();
        assert!(site_reasons(&sf, &clear()).is_empty());
        // Level 1 (极高) and 2 (高) of the geological-hazard map are listed; 3 is not.
        for (level, flagged) in [(1.0, true), (2.0, true), (3.0, false)] {
            let site = Site {
                geohazard_level: level,
                ..clear()
            };
            assert_eq!(
                !site_reasons(&sf, &site).is_empty(),
                flagged,
                "level {level}"
            );
        }
        // Inside a hidden-danger point's threat zone.
        let site = Site {
            threat_grade: 3.0,
            ..clear()
        };
        assert!(site_reasons(&sf, &site)[0].contains("threat zone"));
    }

    #[test]
    fn flood_displacement_by_hand() {
        // Depths 0.5, 1.0, 1.2, NaN, 3.0 m over 10, 20, 30, 40, 0 people: only the
        // 1.2 m cell displaces (1.0 m is not above the threshold, nobody lives in the
        // 3.0 m cell, NaN is nodata) — 30 people.
        let d = deeper_than(
            &[0.5, 1.0, 1.2, f32::NAN, 3.0],
            &[10.0, 20.0, 30.0, 40.0, 0.0],
            1.0,
        );
        assert_eq!(d, vec![(2, 30.0)]);
    }

    #[test]
    fn fault_setback_and_flood_extent() {
        let sf = safety();
        let near = Site {
            fault_m: 150.0,
            ..clear()
        };
        assert!(site_reasons(&sf, &near)[0].contains("150 m"));
        let far = Site {
            fault_m: 250.0,
            ..clear()
        };
        assert!(site_reasons(&sf, &far).is_empty());
        // Any depth in the 100-year extent (threshold 0 m); a dry cell (0 m) is safe.
        let wet = Site {
            flood_depth_m: 0.3,
            ..clear()
        };
        let dry = Site {
            flood_depth_m: 0.0,
            ..clear()
        };
        assert!(site_reasons(&sf, &wet)[0].contains("flood extent"));
        assert!(site_reasons(&sf, &dry).is_empty());
        // Every failing screen is listed.
        let all = Site {
            geohazard_level: 1.0,
            threat_grade: 2.0,
            fault_m: 10.0,
            flood_depth_m: 2.0,
        };
        assert_eq!(site_reasons(&sf, &all).len(), 4);
    }
}
