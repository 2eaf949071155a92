//! People to shelter places over the road network: which demand points (cells,
//! villages) can reach which shelters within each shelter's radius, and a
//! capacitated nearest-shelter assignment of their people.
//!
//! Coordinates are `(x, y)` = (easting, northing) in the census grid's projected CRS;
//! distances are metres; people and places are persons.
//!
//! # Network distance ([`network_pairs`])
//!
//! A demand point *i* reaches the road at its entry node *nᵢ*
//! ([`RoadNetwork::nearest_entry`]: the nearest node of the largest connected
//! component; off-road, straight line, aᵢ metres), a place *j* is reached from its
//! entry node *mⱼ* (bⱼ metres); dᵢⱼ = (aᵢ + L(nᵢ, mⱼ)) + bⱼ, L the shortest network
//! length ([`RoadNetwork::lengths_within`]). The path always goes through the entry
//! nodes, even for a demand point next to the place (no off-road shortcut); road
//! fragments joined to nothing are never entered.
//!
//! # Assignment ([`allocate`])
//!
//! A capacitated nearest-pair greedy heuristic: the candidate pairs are taken in order
//! of (metres, demand, place) and each moves min(people of the demand still without a
//! place, places of the shelter still free). Everybody goes to the nearest shelter
//! that still has room, as an evacuation plan that sends each residential area to its
//! nearest shelter assigns them — the "nearest exit or shelter" practice that Yang et
//! al. (2015, IEEE Intelligent Systems 30(5), 66–76, *Intelligent shelter allotment for
//! emergency evacuation planning: a case study of Makkah*) describe as the state of
//! practice. It is the least-cost (matrix-minimum) rule for a starting solution of the
//! transportation problem, **not** the optimal transport: minimising the total
//! distance (or placing the most people) can send someone past a nearer shelter so
//! that a neighbour with no alternative gets its place; the greedy rule answers the
//! planner's question "who is left without a place if everybody goes to the nearest
//! shelter with room", which is what a shortfall map shows.

use super::{CapacityError, RoadNetwork};

/// A point in the census CRS: x = easting, y = northing, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Easting, metres.
    pub x: f64,
    /// Northing, metres.
    pub y: f64,
}

/// The result of [`allocate`]: persons placed per demand and places used per place,
/// in the order of the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// People of each demand given a place, persons (≤ its people).
    pub placed: Vec<f64>,
    /// Places of each shelter taken, persons (≤ its places).
    pub used: Vec<f64>,
}

/// Candidate (demand index, place index, metres) pairs: network distance = Euclidean
/// from the demand point to its nearest node + network length + Euclidean from the
/// place's nearest node to the place (summed in that order); kept when ≤ that place's
/// radius (`radius_m[j]`, metres, ≥ 0, may be infinite). Sorted by (metres, demand,
/// place). Entry nodes as [`RoadNetwork::nearest_entry`] (smallest id on ties).
///
/// For a network with no nodes there is no pair (the caller says so).
///
/// Errors: `radius_m` not one value per place ([`CapacityError::LengthMismatch`]), a
/// point with a non-finite coordinate ([`CapacityError::BadPoint`]), a NaN or negative
/// radius ([`CapacityError::BadPlaceRadius`]).
pub fn network_pairs(
    net: &RoadNetwork,
    demands: &[Point],
    places: &[Point],
    radius_m: &[f64],
) -> Result<Vec<(usize, usize, f64)>, CapacityError> {
    if radius_m.len() != places.len() {
        return Err(CapacityError::LengthMismatch {
            what: "radius per place",
            expected: places.len(),
            got: radius_m.len(),
        });
    }
    check_points("demand", demands)?;
    check_points("place", places)?;
    if let Some(index) = radius_m.iter().position(|r| r.is_nan() || *r < 0.0) {
        return Err(CapacityError::BadPlaceRadius {
            index,
            radius_m: radius_m[index],
        });
    }
    if net.node_count() == 0 {
        return Ok(Vec::new());
    }
    // Demands by nearest node: at_node[node_start[n]..node_start[n + 1]] = (demand, aᵢ).
    let nearest = |p: &Point| net.nearest_entry(p.x, p.y).expect("finite point, nodes");
    let mut by_node: Vec<(usize, usize, f64)> = demands
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (n, a) = nearest(p);
            (n, i, a)
        })
        .collect();
    by_node.sort_unstable_by_key(|t| (t.0, t.1));
    let mut node_start = vec![0usize; net.node_count() + 1];
    for &(n, ..) in &by_node {
        node_start[n + 1] += 1;
    }
    for n in 0..net.node_count() {
        node_start[n + 1] += node_start[n];
    }

    let mut pairs = Vec::new();
    for (j, (p, &radius)) in places.iter().zip(radius_m).enumerate() {
        let (m, b) = nearest(p);
        if b > radius {
            continue;
        }
        // L ≤ aᵢ + L + bⱼ (sums of terms ≥ 0 do not decrease when rounded), so
        // searching to the radius misses no pair; the test below is the exact one.
        for (node, len) in net.lengths_within(m, radius) {
            for &(_, i, a) in &by_node[node_start[node]..node_start[node + 1]] {
                let d = a + len + b;
                if d <= radius {
                    pairs.push((i, j, d));
                }
            }
        }
    }
    sort_pairs(&mut pairs);
    Ok(pairs)
}

/// Capacitated nearest-pair greedy assignment: pairs in order of (metres, demand,
/// place) — `pairs` is sorted so first, whatever its order — each move min(remaining
/// people of the demand, remaining places of the place). Returns placed people per
/// demand and used places per place. Deterministic: the result depends only on the
/// set of pairs, not on their order or on threads.
///
/// This is a greedy heuristic, not the optimal transport; see the [module
/// docs](self) for why (each person goes to the nearest shelter with room, as an
/// evacuation plan assigns them) and for the reference. A demand without a pair, or
/// whose pairs' shelters are full, keeps its people unplaced: people − placed.
///
/// Errors: people or places not finite and ≥ 0 ([`CapacityError::BadAmount`], with
/// the index), a pair naming a demand or place out of range or with NaN metres
/// ([`CapacityError::BadPair`], with the pair's index).
pub fn allocate(
    people: &[f64],
    places: &[f64],
    pairs: &[(usize, usize, f64)],
) -> Result<Allocation, CapacityError> {
    check_amounts("people of demand", people)?;
    check_amounts("places of place", places)?;
    if let Some(index) = pairs
        .iter()
        .position(|&(i, j, d)| i >= people.len() || j >= places.len() || d.is_nan())
    {
        let (demand, place, metres) = pairs[index];
        return Err(CapacityError::BadPair {
            index,
            demand,
            place,
            metres,
        });
    }
    let mut order = pairs.to_vec();
    sort_pairs(&mut order);
    let mut waiting = people.to_vec();
    let mut free = places.to_vec();
    let mut placed = vec![0.0; people.len()];
    let mut used = vec![0.0; places.len()];
    for (i, j, _) in order {
        let moved = waiting[i].min(free[j]);
        if moved > 0.0 {
            waiting[i] -= moved;
            free[j] -= moved;
            placed[i] += moved;
            used[j] += moved;
        }
    }
    Ok(Allocation { placed, used })
}

/// Sort by (metres, demand, place).
fn sort_pairs(pairs: &mut [(usize, usize, f64)]) {
    pairs.sort_unstable_by(|p, q| p.2.total_cmp(&q.2).then((p.0, p.1).cmp(&(q.0, q.1))));
}

fn check_points(what: &'static str, points: &[Point]) -> Result<(), CapacityError> {
    match points
        .iter()
        .position(|p| !(p.x.is_finite() && p.y.is_finite()))
    {
        Some(index) => Err(CapacityError::BadPoint {
            what,
            index,
            x: points[index].x,
            y: points[index].y,
        }),
        None => Ok(()),
    }
}

fn check_amounts(what: &'static str, values: &[f64]) -> Result<(), CapacityError> {
    match values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(index) => Err(CapacityError::BadAmount {
            what,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::RoadLine;
    use super::*;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    /// A 1 km road (0,0)–(1000,0) with a vertex at (400,0), and a separate 100 m
    /// road far east. Nodes: 0 (0,0), 1 (400,0), 2 (1000,0), 3 (5000,0), 4 (5100,0).
    fn net() -> RoadNetwork {
        RoadNetwork::build(
            &[
                RoadLine {
                    points: vec![(0.0, 0.0), (400.0, 0.0), (1000.0, 0.0)],
                    speed_kmh: 30.0,
                },
                RoadLine {
                    points: vec![(5000.0, 0.0), (5100.0, 0.0)],
                    speed_kmh: 30.0,
                },
            ],
            0.0,
        )
        .unwrap()
    }

    #[test]
    fn pairs_by_network_distance_within_radius() {
        let net = net();
        // Demand 0 at (0,10): node 0, a = 10. Demand 1 at (390,-30): node 1 (400,0),
        // a = √(10² + 30²). Demand 2 at (5050, 20): beside the other road, a
        // fragment (see below).
        // Place 0 at (1000,5): node 2, b = 5, radius 1015: demand 0 at 10 + 1000 + 5
        // = 1015 (kept, ≤), demand 1 at a + 600 + 5.
        // Place 1 at (400, 0): node 1, b = 0, radius 100: demand 1 only (a = 31.6);
        // demand 0 is 400 m of road away, 10 m more off-road.
        let demands = [p(0.0, 10.0), p(390.0, -30.0), p(5050.0, 20.0)];
        let places = [p(1000.0, 5.0), p(400.0, 0.0)];
        let a1 = (1000.0f64).sqrt();
        let pairs = network_pairs(&net, &demands, &places, &[1015.0, 100.0]).unwrap();
        assert_eq!(
            pairs,
            vec![(1, 1, a1), (1, 0, a1 + 600.0 + 5.0), (0, 0, 1015.0)]
        );
        // Radius 1014.9: demand 0 out of place 0's reach.
        let pairs = network_pairs(&net, &demands, &places, &[1014.9, 100.0]).unwrap();
        assert_eq!(pairs, vec![(1, 1, a1), (1, 0, a1 + 600.0 + 5.0)]);
        // A place nearer the demand than to the road is still reached by the road.
        let pairs = network_pairs(&net, &[p(0.0, 10.0)], &[p(0.0, 12.0)], &[50.0]).unwrap();
        assert_eq!(pairs, vec![(0, 0, 22.0)]);
        // Beside the smaller road (a fragment joined to nothing): the demand enters on
        // the largest part instead, at node 2 (1000, 0), a = √(4050² + 20²).
        let far = network_pairs(&net, &[demands[2]], &places, &[f64::INFINITY; 2]).unwrap();
        let a2 = (4050.0f64 * 4050.0 + 20.0 * 20.0).sqrt();
        assert_eq!(far, vec![(0, 0, a2 + 0.0 + 5.0), (0, 1, a2 + 600.0 + 0.0)]);
        assert_eq!(net.fragments(), (1, 2));
    }

    #[test]
    fn equal_distances_sorted_by_demand_then_place() {
        let net = net();
        // Demands 0 and 1 both 10 m off node 1, places 0 and 1 both 20 m off node 1.
        let demands = [p(400.0, -10.0), p(400.0, 10.0)];
        let places = [p(400.0, 20.0), p(400.0, -20.0)];
        let pairs = network_pairs(&net, &demands, &places, &[50.0, 50.0]).unwrap();
        assert_eq!(
            pairs,
            vec![(0, 0, 30.0), (0, 1, 30.0), (1, 0, 30.0), (1, 1, 30.0)]
        );
    }

    #[test]
    fn no_nodes_no_pairs() {
        let empty = RoadNetwork::build(&[], 0.0).unwrap();
        let pairs = network_pairs(&empty, &[p(0.0, 0.0)], &[p(1.0, 0.0)], &[1e9]).unwrap();
        assert!(pairs.is_empty());
    }

    #[test]
    fn shortfall_when_places_run_out() {
        // 100 people, one shelter of 60 places: 60 placed, 40 left without.
        let a = allocate(&[100.0], &[60.0], &[(0, 0, 500.0)]).unwrap();
        assert_eq!(
            a,
            Allocation {
                placed: vec![60.0],
                used: vec![60.0]
            }
        );
        // No pair: nobody placed.
        let a = allocate(&[100.0], &[60.0], &[]).unwrap();
        assert_eq!(
            a,
            Allocation {
                placed: vec![0.0],
                used: vec![0.0]
            }
        );
    }

    #[test]
    fn nearer_demand_takes_the_place_first() {
        // Demands A (50 people) at 100 m and B (50) at 200 m of shelter P (60 places);
        // B also reaches Q (100 places) at 300 m. A: 50 in P; B: 10 in P, then 40 in Q.
        let pairs = [(1, 1, 300.0), (1, 0, 200.0), (0, 0, 100.0)];
        let a = allocate(&[50.0, 50.0], &[60.0, 100.0], &pairs).unwrap();
        assert_eq!(
            a,
            Allocation {
                placed: vec![50.0, 50.0],
                used: vec![60.0, 40.0]
            }
        );
        // Equal distances: the smaller demand index first. A gets 50, B gets 10.
        let a = allocate(&[50.0, 50.0], &[60.0], &[(1, 0, 100.0), (0, 0, 100.0)]).unwrap();
        assert_eq!(a.placed, vec![50.0, 10.0]);
        // Greedy, not optimal: A (at 100 m of P, 150 m of Q) fills P, and B, who reaches
        // only P, is left out, though A could have gone to Q and both been placed.
        let pairs = [(0, 0, 100.0), (0, 1, 150.0), (1, 0, 120.0)];
        let a = allocate(&[50.0, 50.0], &[50.0, 50.0], &pairs).unwrap();
        assert_eq!(a.placed, vec![50.0, 0.0]);
        assert_eq!(a.used, vec![50.0, 0.0]);
    }

    #[test]
    fn radius_exclusion_through_the_network() {
        // 30 people at (0,10) and 20 at (390,-30); shelter at (1000,5) with 40 places,
        // radius 1014.9: only the second reaches it; shelter at (400,0), 10 places,
        // radius 100: only the second. The second is 31.6 m from the small shelter:
        // 10 there, 10 in the large one; the first, out of reach, none.
        let net = net();
        let pairs = network_pairs(
            &net,
            &[p(0.0, 10.0), p(390.0, -30.0)],
            &[p(1000.0, 5.0), p(400.0, 0.0)],
            &[1014.9, 100.0],
        )
        .unwrap();
        let a = allocate(&[30.0, 20.0], &[40.0, 10.0], &pairs).unwrap();
        assert_eq!(a.placed, vec![0.0, 20.0]);
        assert_eq!(a.used, vec![10.0, 10.0]);
    }

    #[test]
    fn bad_inputs_are_named() {
        let net = net();
        assert_eq!(
            network_pairs(&net, &[], &[p(0.0, 0.0)], &[]),
            Err(CapacityError::LengthMismatch {
                what: "radius per place",
                expected: 1,
                got: 0
            })
        );
        assert!(matches!(
            network_pairs(&net, &[p(0.0, 0.0), p(f64::INFINITY, 0.0)], &[], &[]),
            Err(CapacityError::BadPoint {
                what: "demand",
                index: 1,
                ..
            })
        ));
        assert!(matches!(
            network_pairs(&net, &[], &[p(0.0, 0.0), p(0.0, 0.0)], &[1.0, f64::NAN]),
            Err(CapacityError::BadPlaceRadius { index: 1, .. })
        ));
        assert_eq!(
            allocate(&[1.0, -2.0], &[1.0], &[]),
            Err(CapacityError::BadAmount {
                what: "people of demand",
                index: 1,
                value: -2.0
            })
        );
        assert!(matches!(
            allocate(&[1.0], &[f64::NAN], &[]),
            Err(CapacityError::BadAmount {
                what: "places of place",
                index: 0,
                ..
            })
        ));
        assert_eq!(
            allocate(&[1.0], &[1.0], &[(0, 0, 1.0), (0, 1, 2.0)]),
            Err(CapacityError::BadPair {
                index: 1,
                demand: 0,
                place: 1,
                metres: 2.0
            })
        );
    }
}
