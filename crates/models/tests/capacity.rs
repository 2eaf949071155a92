//! Agreement with independent tools on the committed goldens of fixtures/capacity
//! (regenerate with `validate/capacity/run.sh`; versions in its manifest.json):
//!
//! - road network: [`RoadNetwork`] built with snap 0 from the same lines as networkx's
//!   graph (same node and edge counts; nodes matched by coordinates), travel minutes
//!   from several sources with start offsets and lengths within a cutoff equal to
//!   networkx's shortest paths within 1e-9 relative (the same edge weights, summed
//!   from the source in the same order: on the committed goldens every value is
//!   bit-identical, the tolerance only allows another summation order);
//! - 2SFCA: [`two_step_fca_f64`] equal to PySAL access's `two_stage_fca` within 1e-9
//!   relative (both sum in f64, in different orders), and the public f32 grid of
//!   [`two_step_fca`] within the f32 rounding of those values (2⁻²⁴ relative, its
//!   honest limit); cells access leaves without a value (no shelter within reach) are
//!   0 in RiskCensus.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ndarray::Array2;
use riskcensus_core::GridSpec;
use riskcensus_models::capacity::{two_step_fca, two_step_fca_f64, RoadLine, RoadNetwork, Shelter};
use serde::Deserialize;
use serde_json::Value;

/// Relative tolerance against the f64 goldens.
const REL: f64 = 1e-9;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/capacity")
}

fn rows<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    csv::Reader::from_path(fixtures().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixtures().join("manifest.json")).unwrap())
        .unwrap()
}

#[derive(Deserialize)]
struct Vertex {
    line: usize,
    vertex: usize,
    x: f64,
    y: f64,
    speed_kmh: f64,
}

#[derive(Deserialize)]
struct NodeRow {
    node: usize,
    x: f64,
    y: f64,
}

#[derive(Deserialize)]
struct Source {
    x: f64,
    y: f64,
    start_min: f64,
}

#[derive(Deserialize)]
struct MinutesRow {
    node: usize,
    minutes: f64,
}

#[derive(Deserialize)]
struct LengthRow {
    source_node: usize,
    cutoff_m: f64,
    node: usize,
    metres: f64,
}

/// The network of roads.csv (snap 0, as networkx's graph: identical vertices merge)
/// and the RiskCensus node of each networkx node, matched by coordinates.
fn network() -> (RoadNetwork, Vec<usize>) {
    let mut lines: Vec<RoadLine> = Vec::new();
    for v in rows::<Vertex>("roads.csv") {
        if v.line == lines.len() {
            lines.push(RoadLine {
                points: Vec::new(),
                speed_kmh: v.speed_kmh,
            });
        }
        let l = &mut lines[v.line];
        assert_eq!((l.points.len(), l.speed_kmh), (v.vertex, v.speed_kmh));
        l.points.push((v.x, v.y));
    }
    let net = RoadNetwork::build(&lines, 0.0).unwrap();
    let nodes = rows::<NodeRow>("nodes.csv");
    let m = manifest();
    assert_eq!(net.node_count(), nodes.len());
    assert_eq!(
        net.node_count() as u64,
        m["network"]["nodes"].as_u64().unwrap()
    );
    assert_eq!(
        net.edge_count() as u64,
        m["network"]["edges"].as_u64().unwrap()
    );
    let ours = nodes
        .iter()
        .enumerate()
        .map(|(k, n)| {
            assert_eq!(n.node, k);
            let (id, d) = net.nearest_node(n.x, n.y).unwrap();
            assert_eq!(d, 0.0, "networkx node {k} has no RiskCensus node");
            id
        })
        .collect();
    (net, ours)
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs()
    }
}

#[test]
fn travel_minutes_equal_networkx() {
    let (net, ours) = network();
    // Both number nodes by first appearance along the lines.
    assert!(ours.iter().enumerate().all(|(k, &n)| k == n));
    let sources: Vec<(usize, f64)> = rows::<Source>("sources.csv")
        .iter()
        .map(|s| {
            let (n, d) = net.nearest_node(s.x, s.y).unwrap();
            assert_eq!(d, 0.0);
            (n, s.start_min)
        })
        .collect();
    let t = net.travel_minutes(&sources);
    let golden = rows::<MinutesRow>("network_golden.csv");
    assert_eq!(golden.len(), t.len());
    let (mut max_abs, mut max_rel, mut exact, mut unreachable) = (0.0f64, 0.0f64, 0, 0);
    for g in &golden {
        let got = t[ours[g.node]];
        if g.minutes.is_infinite() {
            assert_eq!(got, f64::INFINITY, "node {}", g.node);
            unreachable += 1;
            continue;
        }
        let r = rel(got, g.minutes);
        assert!(r <= REL, "node {}: {got} vs networkx {}", g.node, g.minutes);
        max_abs = max_abs.max((got - g.minutes).abs());
        max_rel = max_rel.max(r);
        exact += usize::from(got == g.minutes);
    }
    println!(
        "travel minutes vs networkx: {} nodes ({unreachable} unreachable, {exact} bit-identical), \
         max |diff| {max_abs:.3e} min, max relative {max_rel:.3e}",
        golden.len()
    );
    assert!(unreachable > 0, "the golden has an unreachable component");
    // Sources in another order: the same bits.
    let mut shuffled = sources.clone();
    shuffled.reverse();
    shuffled.rotate_left(3);
    let u = net.travel_minutes(&shuffled);
    assert!(t.iter().zip(&u).all(|(a, b)| a.to_bits() == b.to_bits()));
}

#[test]
fn lengths_within_equal_networkx() {
    let (net, ours) = network();
    let mut by_source: BTreeMap<usize, (f64, Vec<(usize, f64)>)> = BTreeMap::new();
    for r in rows::<LengthRow>("lengths_golden.csv") {
        let e = by_source
            .entry(r.source_node)
            .or_insert((r.cutoff_m, Vec::new()));
        e.1.push((ours[r.node], r.metres));
    }
    assert!(!by_source.is_empty());
    let (mut max_rel, mut count) = (0.0f64, 0);
    for (source, (cutoff, mut golden)) in by_source {
        golden.sort_by_key(|p| p.0);
        let got = net.lengths_within(ours[source], cutoff);
        assert_eq!(
            got.iter().map(|p| p.0).collect::<Vec<_>>(),
            golden.iter().map(|p| p.0).collect::<Vec<_>>(),
            "nodes within {cutoff} m of {source}"
        );
        for (g, w) in got.iter().zip(&golden) {
            let r = rel(g.1, w.1);
            assert!(r <= REL, "node {}: {} vs networkx {}", g.0, g.1, w.1);
            max_rel = max_rel.max(r);
        }
        count += got.len();
    }
    println!("lengths within cutoff vs networkx: {count} (source, node) pairs, max relative {max_rel:.3e}");
}

#[derive(Deserialize)]
struct Cell {
    row: usize,
    col: usize,
    x: f64,
    y: f64,
    population: f64,
}

#[derive(Deserialize)]
struct ShelterRow {
    x: f64,
    y: f64,
    capacity: f64,
}

#[derive(Deserialize)]
struct AccessRow {
    row: usize,
    col: usize,
    access: f64,
}

#[test]
fn two_step_fca_equals_pysal_access() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("two_sfca_grid.json")).unwrap(),
    )
    .unwrap();
    let f = |k: &str| spec[k].as_f64().unwrap();
    let grid = GridSpec::new(
        spec["crs"].as_str().unwrap(),
        f("x_min"),
        f("y_max"),
        f("cell_size"),
        f("rows") as usize,
        f("cols") as usize,
    )
    .unwrap();
    let mut pop = Array2::<f32>::zeros((grid.rows, grid.cols));
    for c in rows::<Cell>("two_sfca_cells.csv") {
        assert_eq!(grid.cell_center(c.row, c.col), (c.x, c.y));
        // Whole persons (or NaN): exact in f32.
        pop[(c.row, c.col)] = c.population as f32;
    }
    let shelters: Vec<Shelter> = rows::<ShelterRow>("two_sfca_shelters.csv")
        .iter()
        .map(|s| Shelter {
            x: s.x,
            y: s.y,
            capacity: s.capacity,
        })
        .collect();
    let d0 = f("radius_m");
    let a64 = two_step_fca_f64(&grid, pop.view(), &shelters, d0).unwrap();
    let a32 = two_step_fca(&grid, pop.view(), &shelters, d0).unwrap();
    let golden = rows::<AccessRow>("two_sfca_golden.csv");
    assert_eq!(golden.len(), grid.cell_count());
    let (mut max64, mut max32, mut without) = (0.0f64, 0.0f64, 0);
    for g in &golden {
        let (v64, v32) = (a64[(g.row, g.col)], a32[(g.row, g.col)]);
        assert_eq!(v32, v64 as f32);
        if g.access.is_nan() {
            assert_eq!(
                v64, 0.0,
                "cell ({}, {}) has no shelter in reach",
                g.row, g.col
            );
            without += 1;
            continue;
        }
        let r64 = rel(v64, g.access);
        let r32 = rel(v32 as f64, g.access);
        assert!(
            r64 <= REL,
            "cell ({}, {}): {v64} vs access {}",
            g.row,
            g.col,
            g.access
        );
        // Rounding to f32 is within 2⁻²⁴ relative (round to nearest), plus r64.
        assert!(
            r32 <= 2f64.powi(-24) + r64,
            "cell ({}, {}): {v32} vs access {}",
            g.row,
            g.col,
            g.access
        );
        max64 = max64.max(r64);
        max32 = max32.max(r32);
    }
    println!(
        "2SFCA vs PySAL access: {} cells ({without} without a shelter in reach), max relative \
         f64 {max64:.3e}, f32 grid {max32:.3e}",
        golden.len()
    );
    assert!(without > 0 && without < golden.len());
}
