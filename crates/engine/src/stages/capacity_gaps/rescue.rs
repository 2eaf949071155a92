//! Rescue response (救援力量可达性): road travel time from the nearest rescue
//! station to every cell, per township the population and key facilities beyond
//! each isochrone of `[rescue] isochrones_min`, and the teams by kind with the
//! travel time to the nearest team of each kind.
//!
//! Travel time of a cell = minutes from the nearest station's road node to the
//! cell's nearest road node (multi-source Dijkstra on the road speeds,
//! [`RoadNetwork::travel_minutes`]) + the straight walk from the station to its
//! node and from that node to the cell centre at `offroad_kmh`. A station starts at
//! the minutes of its own walk to the network. The grid `rescue_minutes` (min, f32,
//! census grid, NaN outside the townships or where no road reaches) is that time
//! for all teams together.

use std::collections::BTreeMap;

use riskcensus_contracts::tables::capacity as names;
use riskcensus_contracts::tables::census as T;
use riskcensus_io::vector::{FieldType, GeometryType};
use riskcensus_models::capacity::gaps::CapacityGaps;
use riskcensus_models::capacity::network::{cell_minutes, entry_nodes, RoadNetwork};

use super::{CapacityReport, Inputs};
use crate::deliverable::{int, round, text, Deliverable};
use crate::error::EngineError;
use crate::ingest::{Census, Query};
use crate::provenance;
use crate::stage::Context;

/// The layer of the travel time from the nearest rescue station, minutes.
pub const LAYER: &str = "rescue_minutes";

/// A rescue team of the census.
#[derive(Debug, Clone)]
pub struct Team {
    /// Record id.
    pub id: String,
    /// Kind code (`rescue_teams.kind`; `other` when blank).
    pub kind: String,
    /// Personnel, persons (0 when not recorded).
    pub personnel: f64,
    /// Position, census CRS.
    pub x: f64,
    /// Position, census CRS.
    pub y: f64,
}

/// What the rescue part hands to the others.
pub struct Rescue {
    /// The `rescue_access` table.
    pub table: Deliverable,
    /// The teams read.
    pub teams: Vec<Team>,
    /// Travel minutes per cell (row-major; NaN where unknown); none without roads
    /// or teams.
    pub minutes: Option<Vec<f32>>,
}

/// Read the teams, compute the travel times, write `rescue_minutes` and build the
/// table.
pub fn assess(
    cx: &mut Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    report: &mut CapacityReport,
) -> Result<Rescue, EngineError> {
    let teams = read_teams(cx, db)?;
    let r = &gaps.rescue;
    let walk = |d_m: f64| d_m / 1000.0 / r.offroad_kmh * 60.0;
    let mut kinds: Vec<String> = teams.iter().map(|t| t.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();
    // Node minutes for all teams, then per kind.
    let node_minutes = |net: &RoadNetwork, which: &dyn Fn(&Team) -> bool| -> Vec<f64> {
        let sources: Vec<(usize, f64)> = teams
            .iter()
            .filter(|t| which(t))
            .filter_map(|t| net.nearest_entry(t.x, t.y).map(|(n, d)| (n, walk(d))))
            .collect();
        net.travel_minutes(&sources)
    };
    let mut minutes: Option<Vec<f32>> = None;
    // Per populated cell, the minutes to the nearest team of each kind.
    let mut kind_cells: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
    match (&inp.net, teams.is_empty()) {
        (Some(net), false) if net.node_count() > 0 => {
            // One R-tree search per cell (its entry node) serves every team set.
            let exec = cx.exec;
            let entries = exec.install(|| entry_nodes(inp.grid, net))?;
            let at = |c: usize, nm: &[f64]| {
                cell_minutes(inp.grid, net, c, entries[c], nm, r.offroad_kmh)
            };
            let all = node_minutes(net, &|_| true);
            let data: Vec<f32> = (0..entries.len())
                .map(|c| {
                    if inp.inside(c) {
                        at(c, &all) as f32
                    } else {
                        f32::NAN
                    }
                })
                .collect();
            let mut tags = provenance::base();
            tags.insert(
                provenance::tag::MODEL_ID.into(),
                format!("{}@{}", gaps.id, gaps.version),
            );
            tags.insert(
                provenance::tag::PARAM_HASH.into(),
                provenance::param_hash(gaps),
            );
            let dir = cx.layout.assess();
            let p = crate::output::write_f32(&dir, LAYER, inp.grid, &data, &tags, Some("min"))?;
            cx.stack.insert(LAYER, p, "min");
            minutes = Some(data);
            for k in &kinds {
                let nm = node_minutes(net, &|t: &Team| &t.kind == k);
                let cells = (0..entries.len())
                    .filter(|&c| inp.pop[c] > 0.0)
                    .map(|c| (c, at(c, &nm)))
                    .collect();
                kind_cells.insert(k.clone(), cells);
            }
        }
        (_, true) => report
            .notes
            .push("no rescue teams in the census: no travel times".into()),
        _ => {}
    }
    let facilities = read_facilities(cx, db, inp)?;
    let table = build_table(
        inp,
        gaps,
        &teams,
        &kinds,
        minutes.as_deref(),
        &kind_cells,
        &facilities,
        report,
    );
    Ok(Rescue {
        table,
        teams,
        minutes,
    })
}

/// A key facility: its kind and cell.
struct Facility {
    cell: Option<usize>,
}

fn read_teams(cx: &Context<'_>, db: &Census) -> Result<Vec<Team>, EngineError> {
    if cx.table_rows(T::RESCUE_TEAMS)? == 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in db.query(T::RESCUE_TEAMS, &Query::default())? {
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            continue;
        };
        let kind = f.text("kind");
        out.push(Team {
            id: f.text("id"),
            kind: if kind.is_empty() {
                "other".into()
            } else {
                kind
            },
            personnel: f.number("personnel").unwrap_or(0.0),
            x: p.x(),
            y: p.y(),
        });
    }
    Ok(out)
}

fn read_facilities(
    cx: &Context<'_>,
    db: &Census,
    inp: &Inputs<'_>,
) -> Result<Vec<Facility>, EngineError> {
    if cx.table_rows(T::KEY_FACILITIES)? == 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for f in db.query(T::KEY_FACILITIES, &Query::default())? {
        use geo::Centroid;
        let Some(c) = f.geometry.as_ref().and_then(|g| g.centroid()) else {
            continue;
        };
        out.push(Facility {
            cell: inp.cell_of(c.x(), c.y()),
        });
    }
    Ok(out)
}

/// Per township and the county: population, population-weighted mean minutes,
/// population and key facilities beyond each isochrone, and per team kind the
/// teams, personnel and mean minutes to the nearest team of the kind.
#[allow(clippy::too_many_arguments)]
fn build_table(
    inp: &Inputs<'_>,
    gaps: &CapacityGaps,
    teams: &[Team],
    kinds: &[String],
    minutes: Option<&[f32]>,
    kind_cells: &BTreeMap<String, Vec<(usize, f64)>>,
    facilities: &[Facility],
    report: &mut CapacityReport,
) -> Deliverable {
    let iso = &gaps.rescue.isochrones_min;
    let n = inp.townships.units.len();
    // Index n = the county.
    let mut pop = vec![0.0; n + 1];
    let mut weighted = vec![0.0; n + 1];
    let mut reached = vec![0.0; n + 1];
    let mut beyond = vec![vec![0.0; iso.len()]; n + 1];
    let mut fac_beyond = vec![vec![0i64; iso.len()]; n + 1];
    let mut fac_total = vec![0i64; n + 1];
    let rows_of = |cell| inp.rows_of(cell);
    for (c, &p) in inp.pop.iter().enumerate() {
        // The population grid is 0 outside the townships (Inputs).
        if p <= 0.0 {
            continue;
        }
        let m = minutes.map_or(f64::NAN, |m| f64::from(m[c]));
        for k in rows_of(Some(c)) {
            pop[k] += p;
            if m.is_finite() {
                weighted[k] += p * m;
                reached[k] += p;
            }
            for (j, &t) in iso.iter().enumerate() {
                // Unreached people are beyond every isochrone.
                if m.is_nan() || m > t {
                    beyond[k][j] += p;
                }
            }
        }
    }
    for f in facilities {
        if n > 0 && inp.township_of(f.cell).is_none() {
            continue;
        }
        let m = match (minutes, f.cell) {
            (Some(m), Some(c)) => f64::from(m[c]),
            _ => f64::NAN,
        };
        for k in rows_of(f.cell) {
            fac_total[k] += 1;
            for (j, &t) in iso.iter().enumerate() {
                if m.is_nan() || m > t {
                    fac_beyond[k][j] += 1;
                }
            }
        }
    }
    // Teams by kind per township, and the mean minutes to the nearest of each kind.
    let mut teams_of = vec![BTreeMap::<&str, (i64, f64)>::new(); n + 1];
    for t in teams {
        for k in rows_of(inp.cell_of(t.x, t.y)) {
            let e = teams_of[k].entry(t.kind.as_str()).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += t.personnel;
        }
    }
    let mut kind_mean = vec![BTreeMap::<&str, (f64, f64)>::new(); n + 1];
    for (kind, cells) in kind_cells {
        for &(c, m) in cells.iter().filter(|(_, m)| m.is_finite()) {
            let p = inp.pop[c];
            for k in rows_of(Some(c)) {
                let e = kind_mean[k].entry(kind.as_str()).or_insert((0.0, 0.0));
                e.0 += p * m;
                e.1 += p;
            }
        }
    }
    let mut columns: Vec<(String, FieldType)> = vec![
        ("unit_code".into(), FieldType::String),
        ("unit_name".into(), FieldType::String),
        ("unit_level".into(), FieldType::String),
        ("population".into(), FieldType::Real),
        ("mean_minutes".into(), FieldType::Real),
    ];
    for t in iso {
        columns.push((format!("pop_beyond_{t}min"), FieldType::Real));
        columns.push((format!("pop_beyond_{t}min_pct"), FieldType::Real));
    }
    columns.push(("key_facilities".into(), FieldType::Integer64));
    for t in iso {
        columns.push((format!("facilities_beyond_{t}min"), FieldType::Integer64));
    }
    for kd in kinds {
        columns.push((format!("teams_{kd}"), FieldType::Integer64));
        columns.push((format!("personnel_{kd}"), FieldType::Real));
        columns.push((format!("minutes_{kd}"), FieldType::Real));
    }
    let cols: Vec<(&str, FieldType)> = columns.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    let mut table = Deliverable::new(names::RESCUE_ACCESS, GeometryType::None, &cols);
    let county = super::shelters::county_of(inp);
    for k in 0..=n {
        let (code, name, level) = if k < n {
            let u = &inp.townships.units[k];
            (u.code.clone(), u.name.clone(), "township")
        } else {
            (county.0.clone(), county.1.clone(), "county")
        };
        let mean = if reached[k] > 0.0 {
            weighted[k] / reached[k]
        } else {
            f64::NAN
        };
        let mut row = vec![
            text(code),
            text(name),
            text(level),
            round(pop[k], 1),
            round(mean, 2),
        ];
        for &b in &beyond[k] {
            row.push(round(b, 1));
            let share = if pop[k] > 0.0 {
                100.0 * b / pop[k]
            } else {
                f64::NAN
            };
            row.push(round(share, 2));
        }
        row.push(int(fac_total[k]));
        for &f in &fac_beyond[k] {
            row.push(int(f));
        }
        for kd in kinds {
            let (cnt, pers) = teams_of[k].get(kd.as_str()).copied().unwrap_or((0, 0.0));
            let m = kind_mean[k].get(kd.as_str()).map_or(f64::NAN, |(s, w)| {
                if *w > 0.0 {
                    s / w
                } else {
                    f64::NAN
                }
            });
            row.push(int(cnt));
            row.push(round(pers, 0));
            row.push(round(m, 2));
        }
        table.push(None, row);
    }
    report.beyond = iso.iter().zip(&beyond[n]).map(|(&t, &p)| (t, p)).collect();
    table
}

/// The population-weighted mean travel minutes per township and per village (NaN
/// where no populated cell is reached), for the capacity index.
pub fn unit_minutes(inp: &Inputs<'_>, minutes: &[f32]) -> (Vec<f64>, Vec<f64>) {
    let mut t = vec![(0.0, 0.0); inp.townships.units.len()];
    let mut v = vec![(0.0, 0.0); inp.villages.len()];
    for (c, &p) in inp.pop.iter().enumerate() {
        let m = f64::from(minutes[c]);
        if p <= 0.0 || !m.is_finite() {
            continue;
        }
        if let Some(k) = inp.township_of(Some(c)) {
            t[k].0 += p * m;
            t[k].1 += p;
        }
        if let Some(k) = inp.village_of(Some(c)) {
            v[k].0 += p * m;
            v[k].1 += p;
        }
    }
    let mean = |x: &[(f64, f64)]| {
        x.iter()
            .map(|(s, w)| if *w > 0.0 { s / w } else { f64::NAN })
            .collect()
    };
    (mean(&t), mean(&v))
}
