//! The road network as a graph: nodes where road lines meet, edges along them, and
//! shortest paths by travel time (isochrones of rescue stations) or by length
//! (walking distance to shelters).
//!
//! Coordinates are `(x, y)` = (easting, northing) in the census grid's projected CRS,
//! metres. Lengths are metres, speeds km/h, travel times minutes:
//! time = length / speed = length_m · 60 / (speed_kmh · 1000).
//!
//! # Building the graph ([`RoadNetwork::build`])
//!
//! 1. **T-junctions.** A line *end* (its first or last vertex) lying within `snap_m`
//!    of a segment of *another* line, strictly between that segment's vertices (a
//!    side road drawn up to the main road without a shared vertex), splits that
//!    segment: the end vertex itself is inserted into the other line there, so the
//!    two roads share it and the junction stays where the end was drawn (at most
//!    `snap_m` off the through road). Crossings are not junctions (a road over a
//!    bridge): lines meet only at shared or snapped vertices and at these ends. Distance to the segment is the perpendicular distance
//!    |(B − A) × (E − A)| / |B − A|, with the foot of the perpendicular strictly
//!    inside A–B; several ends on one segment are inserted in order along it. An end
//!    that lies closest to a segment's vertex is joined by step 2 instead.
//! 2. **Snapping.** Vertices (of all lines) within `snap_m` of each other are merged
//!    into one node, transitively (single linkage: a chain of vertices each within
//!    `snap_m` of the next becomes one node, so `snap_m` must stay below the spacing
//!    of the vertices of a line). With `snap_m` = 0 only coincident vertices merge. A
//!    node sits at the first of its vertices in input order (line, then vertex).
//! 3. **Edges.** Between consecutive vertices of each line (splits included) that
//!    fell on different nodes, in both directions: length = Euclidean distance between
//!    the two nodes, time = length / the line's speed. Parallel edges (two lines over
//!    the same pair of nodes) are kept; every search takes the better one.
//!
//! Node ids follow input order (a node takes the place of its first vertex), so the
//! same lines in the same order give the same graph, ids and adjacency.
//!
//! # Shortest paths
//!
//! Dijkstra, E. W. (1959) A note on two problems in connexion with graphs.
//! Numerische Mathematik 1, 269–271; with a binary heap and several sources started
//! at their own offsets (a station's turn-out time). Nodes are settled in order of
//! (distance, node id), so ties are broken by the smaller node id; the distances
//! themselves do not depend on the order of ties or of the sources: each is the
//! minimum over a node's settled neighbours of (their distance + edge weight), a
//! minimum of the same sums whatever the order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use ndarray::Array2;
use rayon::prelude::*;
use riskcensus_core::GridSpec;
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree, AABB};

use super::CapacityError;

/// A road polyline: vertices in the census CRS (x = easting, y = northing, metres)
/// and the speed along it, km/h.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadLine {
    /// Vertices `(x, y)`, metres; at least 2, all finite.
    pub points: Vec<(f64, f64)>,
    /// Travel speed along the whole line, km/h (finite, > 0).
    pub speed_kmh: f64,
}

/// A point of the network in the R-tree, with its node id.
type NodePoint = GeomWithData<[f64; 2], usize>;

/// The road graph: nodes (merged line vertices), undirected edges with a length
/// (metres) and a travel time (minutes), and an R-tree of the nodes.
#[derive(Debug, Clone)]
pub struct RoadNetwork {
    /// Node positions `(x, y)`, metres.
    xy: Vec<(f64, f64)>,
    /// Adjacency in compressed rows: the arcs of node `n` are
    /// `offsets[n]..offsets[n + 1]`, sorted by (target, length, minutes).
    offsets: Vec<usize>,
    /// Target node of each arc.
    targets: Vec<usize>,
    /// Length of each arc, metres.
    length_m: Vec<f64>,
    /// Travel time of each arc, minutes.
    minutes: Vec<f64>,
    /// Node positions for nearest-node queries.
    tree: RTree<NodePoint>,
    /// The nodes of the largest connected component, where points enter.
    entry: RTree<NodePoint>,
    /// Components other than the largest, and their nodes.
    fragments: (usize, usize),
}

impl RoadNetwork {
    /// Nodes = line vertices merged when within `snap_m` of each other; a line END
    /// within `snap_m` of another line's segment (a T-junction drawn without a shared
    /// vertex) splits that segment there. Edges both ways between consecutive vertices,
    /// length = Euclidean metres, time = length / speed. See the [module
    /// docs](self) for the rules, their order and the determinism of node ids.
    ///
    /// Errors (the first problem in line order): a non-finite vertex
    /// ([`CapacityError::BadVertex`], line and vertex index), a line with fewer than 2
    /// vertices ([`CapacityError::ShortLine`]), a speed that is not finite and > 0 km/h
    /// ([`CapacityError::BadSpeed`]), `snap_m` not finite and ≥ 0
    /// ([`CapacityError::BadSnap`]).
    pub fn build(lines: &[RoadLine], snap_m: f64) -> Result<Self, CapacityError> {
        check_lines(lines, snap_m)?;
        // Global vertex ids: line by line, vertex by vertex.
        let mut first = Vec::with_capacity(lines.len() + 1);
        let mut verts: Vec<[f64; 2]> = Vec::new();
        for line in lines {
            first.push(verts.len());
            verts.extend(line.points.iter().map(|&(x, y)| [x, y]));
        }
        first.push(verts.len());

        let splits = t_junctions(lines, &first, &verts, snap_m);
        let (node_of, xy) = merge_vertices(&verts, snap_m);

        // Arcs (from, to, length, minutes), both directions.
        let mut arcs: Vec<(usize, usize, f64, f64)> = Vec::new();
        let mut seq = Vec::new();
        let mut next_split = 0;
        for (i, line) in lines.iter().enumerate() {
            seq.clear();
            for s in 0..line.points.len() - 1 {
                seq.push(first[i] + s);
                while next_split < splits.len()
                    && (splits[next_split].0, splits[next_split].1) == (i, s)
                {
                    seq.push(splits[next_split].3);
                    next_split += 1;
                }
            }
            seq.push(first[i + 1] - 1);
            for w in seq.windows(2) {
                let (a, b) = (node_of[w[0]], node_of[w[1]]);
                if a == b {
                    continue;
                }
                let len = distance(xy[a], xy[b]);
                let min = minutes(len, line.speed_kmh);
                arcs.push((a, b, len, min));
                arcs.push((b, a, len, min));
            }
        }
        arcs.sort_by(|p, q| {
            (p.0, p.1)
                .cmp(&(q.0, q.1))
                .then(p.2.total_cmp(&q.2))
                .then(p.3.total_cmp(&q.3))
        });
        let mut offsets = vec![0usize; xy.len() + 1];
        for &(a, ..) in &arcs {
            offsets[a + 1] += 1;
        }
        for n in 0..xy.len() {
            offsets[n + 1] += offsets[n];
        }
        let tree = RTree::bulk_load(
            xy.iter()
                .enumerate()
                .map(|(n, &(x, y))| NodePoint::new([x, y], n))
                .collect(),
        );
        let targets: Vec<usize> = arcs.iter().map(|a| a.1).collect();
        let (label, sizes) = components(&offsets, &targets);
        // The largest component (the lowest label of equals: the one holding the
        // lowest node id).
        let main = (0..sizes.len()).max_by_key(|&c| (sizes[c], std::cmp::Reverse(c)));
        let entry = RTree::bulk_load(
            xy.iter()
                .enumerate()
                .filter(|(n, _)| Some(label[*n]) == main)
                .map(|(n, &(x, y))| NodePoint::new([x, y], n))
                .collect(),
        );
        let fragments = (
            sizes.len().saturating_sub(1),
            xy.len() - main.map_or(0, |c| sizes[c]),
        );
        Ok(Self {
            xy,
            offsets,
            targets,
            length_m: arcs.iter().map(|a| a.2).collect(),
            minutes: arcs.iter().map(|a| a.3).collect(),
            tree,
            entry,
            fragments,
        })
    }

    /// The connected components other than the largest, and their nodes: road
    /// pieces that join nothing (often roads digitised without their junctions).
    /// Points never enter the network on them ([`Self::nearest_entry`]).
    pub fn fragments(&self) -> (usize, usize) {
        self.fragments
    }

    /// Where a point (a cell centre, a shelter, a station, a facility) enters the
    /// network: the nearest node of the largest connected component and its
    /// Euclidean distance, metres (smallest id of equals) — the usual practice of
    /// keeping the largest component of a road graph, so that a fragment joined to
    /// nothing does not cut a point off. None for an empty network or a non-finite
    /// point.
    pub fn nearest_entry(&self, x: f64, y: f64) -> Option<(usize, f64)> {
        nearest_in(&self.entry, x, y)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.xy.len()
    }

    /// Number of undirected edges (parallel edges counted each).
    pub fn edge_count(&self) -> usize {
        self.targets.len() / 2
    }

    /// Position `(x, y)` of `node`, metres. Panics when `node` ≥ [`Self::node_count`].
    pub fn node_xy(&self, node: usize) -> (f64, f64) {
        self.xy[node]
    }

    /// Nearest node (rstar R-tree) and its Euclidean distance, metres; None for an
    /// empty network or a non-finite point. Of nodes at exactly the same distance, the
    /// smallest id.
    pub fn nearest_node(&self, x: f64, y: f64) -> Option<(usize, f64)> {
        nearest_in(&self.tree, x, y)
    }

    /// Multi-source Dijkstra on travel time: minutes from the nearest source to every
    /// node (sources given as (node, start minutes), e.g. a station's turn-out time;
    /// a node given twice starts at the smaller); f64::INFINITY where unreachable.
    /// The result does not depend on the order of the sources.
    ///
    /// # Panics
    ///
    /// When a source node is not a node of this network or its start is NaN (node ids
    /// come from [`Self::nearest_node`]; starts are the caller's constants).
    pub fn travel_minutes(&self, sources: &[(usize, f64)]) -> Vec<f64> {
        let mut dist = vec![f64::INFINITY; self.node_count()];
        let mut nodes = Vec::with_capacity(sources.len());
        for &(node, start) in sources {
            assert!(
                node < dist.len(),
                "source node {node} of a network of {} nodes",
                dist.len()
            );
            assert!(!start.is_nan(), "source node {node}: start minutes NaN");
            dist[node] = dist[node].min(start);
            nodes.push(node);
        }
        nodes.sort_unstable();
        nodes.dedup();
        let heap = nodes
            .iter()
            .filter(|&&n| dist[n] < f64::INFINITY)
            .map(|&n| Entry {
                d: dist[n],
                node: n,
            })
            .collect();
        self.settle(&self.minutes, &mut dist, heap, f64::INFINITY, |_, _| {});
        dist
    }

    /// Dijkstra on length from one node: the nodes within `cutoff_m` metres of network
    /// length (inclusive), as (node, metres) sorted by node; the source itself at 0.
    /// Empty when `cutoff_m` is negative or NaN.
    ///
    /// # Panics
    ///
    /// When `source` is not a node of this network.
    pub fn lengths_within(&self, source: usize, cutoff_m: f64) -> Vec<(usize, f64)> {
        let n = self.node_count();
        assert!(source < n, "source node {source} of a network of {n} nodes");
        if cutoff_m.is_nan() || cutoff_m < 0.0 {
            return Vec::new();
        }
        let mut dist = vec![f64::INFINITY; n];
        dist[source] = 0.0;
        let heap = BinaryHeap::from(vec![Entry {
            d: 0.0,
            node: source,
        }]);
        let mut out = Vec::new();
        self.settle(&self.length_m, &mut dist, heap, cutoff_m, |node, d| {
            out.push((node, d))
        });
        out.sort_unstable_by_key(|p| p.0);
        out
    }

    /// Dijkstra's loop: settle nodes in order of (distance, node id) from the
    /// entries in `heap` (their distances already in `dist`), relaxing arcs with
    /// `weight` while the new distance is ≤ `cutoff`; `settled(node, distance)` is
    /// called once per settled node.
    fn settle(
        &self,
        weight: &[f64],
        dist: &mut [f64],
        mut heap: BinaryHeap<Entry>,
        cutoff: f64,
        mut settled: impl FnMut(usize, f64),
    ) {
        while let Some(Entry { d, node: u }) = heap.pop() {
            // A node is pushed again only with a strictly smaller distance, so the
            // entry holding dist[u] is unique: the others are stale.
            if d > dist[u] {
                continue;
            }
            settled(u, d);
            let arcs = self.offsets[u]..self.offsets[u + 1];
            for (&v, &w) in self.targets[arcs.clone()].iter().zip(&weight[arcs]) {
                let nd = d + w;
                if nd < dist[v] && nd <= cutoff {
                    dist[v] = nd;
                    heap.push(Entry { d: nd, node: v });
                }
            }
        }
    }
}

/// Travel minutes to every cell centre of `grid` (riskcensus_core::GridSpec, row 0
/// north): node minutes of the cell's entry node ([`RoadNetwork::nearest_entry`],
/// the nearest node of the largest component, smallest id on ties) + Euclidean
/// distance from the cell centre to that node at `offroad_kmh` (distance_m · 60 /
/// (offroad_kmh · 1000)). The entry node is taken even when another would be reached
/// sooner (the way rescuers leave the road closest to the cell); NaN where its
/// minutes are not finite (no source on the largest component). Rows in
/// parallel with rayon (the caller's pool); each cell depends on nothing but its own
/// centre, so the output is identical for any thread count.
///
/// Errors: `offroad_kmh` not finite and > 0 ([`CapacityError::BadOffroadSpeed`]),
/// `node_minutes` not one value per node ([`CapacityError::LengthMismatch`]).
pub fn travel_minutes_grid(
    grid: &GridSpec,
    net: &RoadNetwork,
    node_minutes: &[f64],
    offroad_kmh: f64,
) -> Result<Array2<f32>, CapacityError> {
    if !(offroad_kmh.is_finite() && offroad_kmh > 0.0) {
        return Err(CapacityError::BadOffroadSpeed {
            speed_kmh: offroad_kmh,
        });
    }
    if node_minutes.len() != net.node_count() {
        return Err(CapacityError::LengthMismatch {
            what: "node minutes per network node",
            expected: net.node_count(),
            got: node_minutes.len(),
        });
    }
    let entries = entry_nodes(grid, net);
    let out: Vec<f32> = entries
        .par_iter()
        .enumerate()
        .map(|(cell, &node)| cell_minutes(grid, net, cell, node, node_minutes, offroad_kmh) as f32)
        .collect();
    Ok(Array2::from_shape_vec((grid.rows, grid.cols), out).expect("rows × cols cells"))
}

/// No entry node ([`entry_nodes`]).
pub const NO_NODE: u32 = u32::MAX;

/// Every cell's entry node ([`RoadNetwork::nearest_entry`] of its centre), row-major;
/// [`NO_NODE`] for a network without nodes. Computed once, it serves any number of
/// node-minute sets through [`cell_minutes`] (the rescue teams of each kind) without
/// searching the R-tree again. Rows in parallel with rayon (the caller's pool); the
/// same output for any thread count.
pub fn entry_nodes(grid: &GridSpec, net: &RoadNetwork) -> Vec<u32> {
    let mut out = vec![NO_NODE; grid.rows * grid.cols];
    out.par_chunks_mut(grid.cols.max(1))
        .enumerate()
        .for_each(|(row, cells)| {
            for (col, v) in cells.iter_mut().enumerate() {
                let (x, y) = grid.cell_center(row, col);
                if let Some((node, _)) = net.nearest_entry(x, y) {
                    *v = u32::try_from(node).expect("fewer than 2³² road nodes");
                }
            }
        });
    out
}

/// Travel minutes to the centre of row-major `cell` through its entry `node`: the
/// node's minutes + the walk from the node at `offroad_kmh`; NaN without a node or
/// where the node's minutes are not finite.
pub fn cell_minutes(
    grid: &GridSpec,
    net: &RoadNetwork,
    cell: usize,
    node: u32,
    node_minutes: &[f64],
    offroad_kmh: f64,
) -> f64 {
    if node == NO_NODE {
        return f64::NAN;
    }
    let node = node as usize;
    let m = node_minutes[node];
    if !m.is_finite() {
        return f64::NAN;
    }
    let centre = grid.cell_center(cell / grid.cols, cell % grid.cols);
    m + minutes(distance(centre, net.node_xy(node)), offroad_kmh)
}

/// The nearest point of `tree` to (x, y) and its distance (smallest id of equals:
/// a second, tiny search, as rstar's nearest neighbour does not say which of equals
/// it returns).
fn nearest_in(tree: &RTree<NodePoint>, x: f64, y: f64) -> Option<(usize, f64)> {
    if !(x.is_finite() && y.is_finite()) {
        return None;
    }
    let q = [x, y];
    let p = tree.nearest_neighbor(&q)?;
    let d2 = p.distance_2(&q);
    let best = tree
        .locate_within_distance(q, d2)
        .filter(|n| n.distance_2(&q) == d2)
        .map(|n| n.data)
        .min()
        .unwrap_or(p.data);
    Some((best, d2.sqrt()))
}

/// Connected components of the graph in compressed rows: a label per node
/// (components numbered in order of their lowest node id) and each component's size.
fn components(offsets: &[usize], targets: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let n = offsets.len() - 1;
    let mut label = vec![usize::MAX; n];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..n {
        if label[start] != usize::MAX {
            continue;
        }
        let c = sizes.len();
        let mut size = 0;
        label[start] = c;
        stack.push(start);
        while let Some(v) = stack.pop() {
            size += 1;
            for &t in &targets[offsets[v]..offsets[v + 1]] {
                if label[t] == usize::MAX {
                    label[t] = c;
                    stack.push(t);
                }
            }
        }
        sizes.push(size);
    }
    (label, sizes)
}

/// Travel time over `length_m` metres at `speed_kmh`, minutes.
fn minutes(length_m: f64, speed_kmh: f64) -> f64 {
    length_m * 60.0 / (speed_kmh * 1000.0)
}

/// Euclidean distance, metres.
fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    (dx * dx + dy * dy).sqrt()
}

fn check_lines(lines: &[RoadLine], snap_m: f64) -> Result<(), CapacityError> {
    for (line, l) in lines.iter().enumerate() {
        if let Some(vertex) = l
            .points
            .iter()
            .position(|&(x, y)| !(x.is_finite() && y.is_finite()))
        {
            let (x, y) = l.points[vertex];
            return Err(CapacityError::BadVertex { line, vertex, x, y });
        }
        if l.points.len() < 2 {
            return Err(CapacityError::ShortLine {
                line,
                vertices: l.points.len(),
            });
        }
        if !(l.speed_kmh.is_finite() && l.speed_kmh > 0.0) {
            return Err(CapacityError::BadSpeed {
                line,
                speed_kmh: l.speed_kmh,
            });
        }
    }
    if !(snap_m.is_finite() && snap_m >= 0.0) {
        return Err(CapacityError::BadSnap { snap_m });
    }
    Ok(())
}

/// The ends of lines that split a segment of another line: (line, segment, position
/// along the segment in (0, 1), end vertex id), sorted by (line, segment, position,
/// vertex id) and so in the order of insertion.
fn t_junctions(
    lines: &[RoadLine],
    first: &[usize],
    verts: &[[f64; 2]],
    snap_m: f64,
) -> Vec<(usize, usize, f64, usize)> {
    type Segment = GeomWithData<Line<[f64; 2]>, (usize, usize)>;
    let segments: Vec<Segment> = (0..lines.len())
        .flat_map(|i| {
            (first[i]..first[i + 1] - 1)
                .map(move |v| Segment::new(Line::new(verts[v], verts[v + 1]), (i, v - first[i])))
        })
        .collect();
    let tree = RTree::bulk_load(segments);
    let mut splits = Vec::new();
    for i in 0..lines.len() {
        for end in [first[i], first[i + 1] - 1] {
            let e = verts[end];
            let env = AABB::from_corners(
                [e[0] - snap_m, e[1] - snap_m],
                [e[0] + snap_m, e[1] + snap_m],
            );
            for seg in tree.locate_in_envelope_intersecting(&env) {
                let (k, s) = seg.data;
                if k == i {
                    continue;
                }
                let (a, b) = (seg.geom().from, seg.geom().to);
                let (ux, uy) = (b[0] - a[0], b[1] - a[1]);
                let (wx, wy) = (e[0] - a[0], e[1] - a[1]);
                let l2 = ux * ux + uy * uy;
                if l2 == 0.0 {
                    continue;
                }
                let t = (ux * wx + uy * wy) / l2;
                let cross = ux * wy - uy * wx;
                // Perpendicular distance ≤ snap ⇔ cross² ≤ snap² · |AB|².
                if t > 0.0 && t < 1.0 && cross * cross <= snap_m * snap_m * l2 {
                    splits.push((k, s, t, end));
                }
            }
        }
    }
    splits.sort_by(|p, q| {
        (p.0, p.1)
            .cmp(&(q.0, q.1))
            .then(p.2.total_cmp(&q.2))
            .then(p.3.cmp(&q.3))
    });
    splits
}

/// Merge vertices within `snap_m` of each other (union–find, each set rooted at its
/// smallest vertex id): the node of every vertex and the node positions, nodes
/// numbered in order of their root.
fn merge_vertices(verts: &[[f64; 2]], snap_m: f64) -> (Vec<usize>, Vec<(f64, f64)>) {
    let mut parent: Vec<usize> = (0..verts.len()).collect();
    fn root(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    let tree = RTree::bulk_load(
        verts
            .iter()
            .enumerate()
            .map(|(v, &p)| NodePoint::new(p, v))
            .collect(),
    );
    let snap2 = snap_m * snap_m;
    for (v, &p) in verts.iter().enumerate() {
        for q in tree.locate_within_distance(p, snap2) {
            let (a, b) = (root(&mut parent, v), root(&mut parent, q.data));
            match a.cmp(&b) {
                Ordering::Less => parent[b] = a,
                Ordering::Greater => parent[a] = b,
                Ordering::Equal => {}
            }
        }
    }
    let mut node_of = vec![usize::MAX; verts.len()];
    let mut xy = Vec::new();
    for v in 0..verts.len() {
        let r = root(&mut parent, v);
        if r == v {
            node_of[v] = xy.len();
            xy.push((verts[v][0], verts[v][1]));
        } else {
            // The root is smaller than v: numbered already.
            node_of[v] = node_of[r];
        }
    }
    (node_of, xy)
}

/// A heap entry: BinaryHeap pops the greatest, so the order is reversed to pop the
/// smallest (distance, node id) first.
#[derive(Debug, Clone, Copy)]
struct Entry {
    d: f64,
    node: usize,
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .d
            .total_cmp(&self.d)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(f64, f64)], speed_kmh: f64) -> RoadLine {
        RoadLine {
            points: points.to_vec(),
            speed_kmh,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * b.abs().max(1.0)
    }

    fn assert_all_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
        for (g, w) in got.iter().zip(want) {
            assert!(
                (g.is_infinite() && g == w) || close(*g, *w),
                "{got:?} vs {want:?}"
            );
        }
    }

    /// 6 km/h = 100 m/min: minutes = metres / 100.
    const WALK: f64 = 6.0;

    #[test]
    fn t_junction_end_splits_the_other_line() {
        // Main road (0,0)–(100,0); a side road from (40,30) ends on it at (40,0)
        // without a vertex there. Nodes: 0 (0,0), 1 (100,0), 2 (40,30), 3 (40,0).
        // Edges 0–3 40 m, 3–1 60 m, 2–3 30 m: from node 0, 0.4, 1.0 and 0.7 min.
        let net = RoadNetwork::build(
            &[
                line(&[(0.0, 0.0), (100.0, 0.0)], WALK),
                line(&[(40.0, 30.0), (40.0, 0.0)], WALK),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (4, 3));
        assert_eq!(net.node_xy(3), (40.0, 0.0));
        assert_all_close(&net.travel_minutes(&[(0, 0.0)]), &[0.0, 1.0, 0.7, 0.4]);
        assert_eq!(
            net.lengths_within(2, 1e9),
            vec![(0, 70.0), (1, 90.0), (2, 0.0), (3, 30.0)]
        );
    }

    #[test]
    fn several_ends_split_one_segment_in_order() {
        // Side roads ending at x = 70 then x = 30 (input order reversed along the
        // main road): the main road becomes 0 → (30,0) → (70,0) → 1.
        // Nodes: 0 (0,0), 1 (100,0), 2 (70,50), 3 (70,0), 4 (30,50), 5 (30,0).
        let net = RoadNetwork::build(
            &[
                line(&[(0.0, 0.0), (100.0, 0.0)], WALK),
                line(&[(70.0, 50.0), (70.0, 0.0)], WALK),
                line(&[(30.0, 50.0), (30.0, 0.0)], WALK),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (6, 5));
        assert_eq!(
            net.lengths_within(0, 1e9),
            vec![
                (0, 0.0),
                (1, 100.0),
                (2, 120.0),
                (3, 70.0),
                (4, 80.0),
                (5, 30.0)
            ]
        );
    }

    #[test]
    fn end_short_of_the_road_joins_within_snap_only() {
        // The side road stops 0.5 m short of the main road.
        let lines = [
            line(&[(0.0, 0.0), (100.0, 0.0)], WALK),
            line(&[(40.0, 30.0), (40.0, 0.5)], WALK),
        ];
        // Snap 1 m: the end (40, 0.5) is inserted into the main road and stays
        // where it was drawn; 0–3 = √(40² + 0.5²), 3–1 = √(60² + 0.5²).
        let net = RoadNetwork::build(&lines, 1.0).unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (4, 3));
        assert_eq!(net.node_xy(3), (40.0, 0.5));
        let to3 = (1600.25f64).sqrt();
        assert_all_close(
            &net.travel_minutes(&[(0, 0.0)]),
            &[
                0.0,
                (to3 + (3600.25f64).sqrt()) / 100.0,
                (to3 + 29.5) / 100.0,
                to3 / 100.0,
            ],
        );
        // Snap 0.2 m: two separate roads, the side road unreachable from node 0.
        let apart = RoadNetwork::build(&lines, 0.2).unwrap();
        assert_eq!((apart.node_count(), apart.edge_count()), (4, 2));
        let t = apart.travel_minutes(&[(0, 0.0)]);
        assert_all_close(&t, &[0.0, 1.0, f64::INFINITY, f64::INFINITY]);
        assert_eq!(apart.lengths_within(3, 1e9), vec![(2, 29.5), (3, 0.0)]);
    }

    #[test]
    fn vertices_within_snap_merge_at_the_first() {
        // The second road starts 0.5 m from the end of the first: one node at the
        // first road's end (100, 0); the edge runs from there to (100.3, 100).
        let lines = [
            line(&[(0.0, 0.0), (100.0, 0.0)], WALK),
            line(&[(100.3, 0.4), (100.3, 100.0)], WALK),
        ];
        let net = RoadNetwork::build(&lines, 1.0).unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (3, 2));
        assert_eq!(net.node_xy(1), (100.0, 0.0));
        assert_eq!(net.node_xy(2), (100.3, 100.0));
        let leg = (0.3f64 * 0.3 + 100.0 * 100.0).sqrt();
        assert_eq!(
            net.lengths_within(0, 1e9),
            vec![(0, 0.0), (1, 100.0), (2, 100.0 + leg)]
        );
        // Snap 0.4 m < 0.5 m: not merged.
        assert_eq!(RoadNetwork::build(&lines, 0.4).unwrap().node_count(), 4);
        // Consecutive vertices of one line closer than the snap collapse.
        let dense =
            RoadNetwork::build(&[line(&[(0.0, 0.0), (0.5, 0.0), (10.0, 0.0)], WALK)], 1.0).unwrap();
        assert_eq!((dense.node_count(), dense.edge_count()), (2, 1));
        assert_eq!(dense.lengths_within(0, 1e9), vec![(0, 0.0), (1, 10.0)]);
    }

    /// The square 0 (0,0), 1 (100,0), 2 (100,100), 3 (0,100) as one closed line.
    fn square(speed_kmh: f64) -> RoadNetwork {
        RoadNetwork::build(
            &[line(
                &[
                    (0.0, 0.0),
                    (100.0, 0.0),
                    (100.0, 100.0),
                    (0.0, 100.0),
                    (0.0, 0.0),
                ],
                speed_kmh,
            )],
            0.0,
        )
        .unwrap()
    }

    #[test]
    fn ties_and_sources_in_any_order() {
        let net = square(WALK);
        assert_eq!((net.node_count(), net.edge_count()), (4, 4));
        // Node 2 is 2 min away both ways round.
        assert_all_close(&net.travel_minutes(&[(0, 0.0)]), &[0.0, 1.0, 2.0, 1.0]);
        // Two sources (node 0 given twice: the smaller start counts), any order:
        // node 2 starts at 0.5; node 1 = min(0 + 1, 0.5 + 1) = 1; node 3 = 1.
        let s = [(0, 1.0), (2, 0.5), (0, 0.0)];
        let a = net.travel_minutes(&s);
        assert_all_close(&a, &[0.0, 1.0, 0.5, 1.0]);
        let mut rev = s;
        rev.reverse();
        let b = net.travel_minutes(&rev);
        assert_eq!(
            a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_all_close(&net.travel_minutes(&[]), &[f64::INFINITY; 4]);
        // Nearest node: equidistant points go to the smallest id.
        assert_eq!(net.nearest_node(50.0, 0.0), Some((0, 50.0)));
        assert_eq!(net.nearest_node(50.0, 50.0).unwrap().0, 0);
        assert_eq!(net.nearest_node(100.0, 60.0), Some((2, 40.0)));
        assert_eq!(net.nearest_node(f64::NAN, 0.0), None);
    }

    #[test]
    fn lengths_within_cutoff_inclusive() {
        let net = square(WALK);
        assert_eq!(
            net.lengths_within(0, 100.0),
            vec![(0, 0.0), (1, 100.0), (3, 100.0)]
        );
        assert_eq!(net.lengths_within(0, 99.9), vec![(0, 0.0)]);
        assert_eq!(net.lengths_within(0, 200.0).len(), 4);
        assert!(net.lengths_within(0, -1.0).is_empty());
        assert!(net.lengths_within(0, f64::NAN).is_empty());
    }

    #[test]
    fn parallel_roads_take_the_faster() {
        // A track (6 km/h) and a road (60 km/h) over the same two vertices.
        let net = RoadNetwork::build(
            &[
                line(&[(0.0, 0.0), (1000.0, 0.0)], WALK),
                line(&[(0.0, 0.0), (1000.0, 0.0)], 60.0),
            ],
            0.0,
        )
        .unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (2, 2));
        assert_all_close(&net.travel_minutes(&[(1, 0.0)]), &[1.0, 0.0]);
    }

    #[test]
    fn empty_network() {
        let net = RoadNetwork::build(&[], 0.0).unwrap();
        assert_eq!((net.node_count(), net.edge_count()), (0, 0));
        assert_eq!(net.nearest_node(0.0, 0.0), None);
        assert!(net.travel_minutes(&[]).is_empty());
        let g = GridSpec::new("EPSG:4548", 0.0, 100.0, 50.0, 2, 2).unwrap();
        let t = travel_minutes_grid(&g, &net, &[], 5.0).unwrap();
        assert!(t.iter().all(|v| v.is_nan()));
    }

    #[test]
    fn grid_adds_the_walk_to_the_nearest_node() {
        // Road (0,0)–(200,0) at 60 km/h (1000 m/min) from a station at node 0
        // starting at 1 min; a second, unreachable road far north-east.
        // Grid 2 × 3 cells of 100 m, north edge y = 100: centres x = 50, 150, 250,
        // y = 50 (row 0), -50 (row 1). Off-road 6 km/h (100 m/min).
        let net = RoadNetwork::build(
            &[
                line(&[(0.0, 0.0), (200.0, 0.0)], 60.0),
                line(&[(400.0, 100.0), (500.0, 100.0)], 60.0),
            ],
            0.0,
        )
        .unwrap();
        let m = net.travel_minutes(&[(0, 1.0)]);
        assert_all_close(&m, &[1.0, 1.2, f64::INFINITY, f64::INFINITY]);
        let g = GridSpec::new("EPSG:4548", 0.0, 100.0, 100.0, 2, 3).unwrap();
        let t = travel_minutes_grid(&g, &net, &m, WALK).unwrap();
        let d50 = (50.0f64 * 50.0 * 2.0).sqrt() / 100.0;
        // (50, 50): node 0 at 70.7 m → 1 + 0.707. (150, 50): node 1 (200,0) at 70.7 m →
        // 1.2 + 0.707. (250, 50): node 1 at 70.7 m (node 2 at 158 m).
        let r0 = [1.0 + d50, 1.2 + d50, 1.2 + d50];
        let want = ndarray::arr2(&[r0, r0].map(|r| r.map(|v| v as f32)));
        assert_eq!(t, want);
        // A cell nearest the other road (centre (450, 150), nodes 2 and 3 at 70.7 m)
        // enters on the largest component instead (two of two nodes each: the one
        // with the lowest node id): node 1 (200, 0) at √(250² + 150²) = 291.5 m →
        // 1.2 + 2.915 min.
        let g2 = GridSpec::new("EPSG:4548", 400.0, 200.0, 100.0, 1, 1).unwrap();
        let t2 = travel_minutes_grid(&g2, &net, &m, WALK).unwrap()[(0, 0)];
        let want2 = 1.2 + (250.0f64 * 250.0 + 150.0 * 150.0).sqrt() / 100.0;
        assert_eq!(t2, want2 as f32);
        assert_eq!(net.fragments(), (1, 2));
        // Nothing reached: NaN.
        let none = vec![f64::INFINITY; net.node_count()];
        assert!(travel_minutes_grid(&g2, &net, &none, WALK).unwrap()[(0, 0)].is_nan());
    }

    #[test]
    fn grid_identical_for_any_thread_count() {
        let lines: Vec<RoadLine> = (0..20)
            .map(|k| {
                let y = k as f64 * 97.3;
                line(
                    &[(0.0, y), (1000.0, y + 13.0), (2000.0, y)],
                    20.0 + k as f64,
                )
            })
            // A cross road through the middle vertices (a crossing without a shared
            // vertex would be a bridge, not a junction).
            .chain([line(
                &(0..20)
                    .map(|k| (1000.0, k as f64 * 97.3 + 13.0))
                    .collect::<Vec<_>>(),
                40.0,
            )])
            .collect();
        let net = RoadNetwork::build(&lines, 0.5).unwrap();
        let m = net.travel_minutes(&[(0, 0.0), (7, 2.0)]);
        let g = GridSpec::new("EPSG:4548", -100.0, 2100.0, 25.0, 90, 90).unwrap();
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| travel_minutes_grid(&g, &net, &m, 5.0).unwrap())
        };
        let one = run(1);
        assert!(one.iter().all(|v| v.is_finite()));
        for threads in [2, 3, 4] {
            let n = run(threads);
            assert!(one.iter().zip(&n).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }

    #[test]
    fn bad_inputs_are_named() {
        let ok = line(&[(0.0, 0.0), (1.0, 0.0)], 30.0);
        let build = |lines: &[RoadLine], snap| RoadNetwork::build(lines, snap).unwrap_err();
        // NaN ≠ NaN: the variant is matched, not compared.
        assert!(matches!(
            build(&[ok.clone(), line(&[(0.0, 0.0), (f64::NAN, 2.0)], 30.0)], 0.0),
            CapacityError::BadVertex { line: 1, vertex: 1, y, .. } if y == 2.0
        ));
        assert_eq!(
            build(&[line(&[(0.0, 0.0)], 30.0)], 0.0),
            CapacityError::ShortLine {
                line: 0,
                vertices: 1
            }
        );
        assert_eq!(
            build(
                &[ok.clone(), ok.clone(), line(&[(0.0, 0.0), (1.0, 1.0)], 0.0)],
                0.0
            ),
            CapacityError::BadSpeed {
                line: 2,
                speed_kmh: 0.0
            }
        );
        assert_eq!(
            build(std::slice::from_ref(&ok), -1.0),
            CapacityError::BadSnap { snap_m: -1.0 }
        );
        assert!(matches!(
            build(std::slice::from_ref(&ok), f64::NAN),
            CapacityError::BadSnap { .. }
        ));
        let net = RoadNetwork::build(&[ok], 0.0).unwrap();
        let g = GridSpec::new("EPSG:4548", 0.0, 1.0, 1.0, 1, 1).unwrap();
        assert_eq!(
            travel_minutes_grid(&g, &net, &[0.0, 1.0], 0.0),
            Err(CapacityError::BadOffroadSpeed { speed_kmh: 0.0 })
        );
        assert_eq!(
            travel_minutes_grid(&g, &net, &[0.0], 5.0),
            Err(CapacityError::LengthMismatch {
                what: "node minutes per network node",
                expected: 2,
                got: 1
            })
        );
    }
}
