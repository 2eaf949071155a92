//! Township and village assignment by point-in-polygon on an R*-tree (rstar) of the
//! admin units already in the census database.
//!
//! Townships are polygons (level `township`). Villages may be polygons (point in
//! polygon, as townships) or, as in many census deliveries, only village seats
//! (points): a record is then given the nearest village seat *within its township*
//! (a Voronoi assignment, documented as an approximation in docs/census-schema.md).
//! Lines and polygons are located by an interior point (geo's `InteriorPoint`), so
//! a road crossing two townships gets the one containing its interior point.

use geo::{BoundingRect, Contains, InteriorPoint, Intersects};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Boxed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// An index of admin polygons and village seats in the census CRS.
#[derive(Default)]
pub struct AdminIndex {
    townships: Vec<(String, geo::MultiPolygon<f64>)>,
    township_tree: RTree<Boxed>,
    villages: Vec<(String, geo::MultiPolygon<f64>)>,
    village_tree: RTree<Boxed>,
    seats: RTree<GeomWithData<[f64; 2], String>>,
}

fn multi(g: &geo::Geometry<f64>) -> Option<geo::MultiPolygon<f64>> {
    match g {
        geo::Geometry::Polygon(p) => Some(geo::MultiPolygon(vec![p.clone()])),
        geo::Geometry::MultiPolygon(m) => Some(m.clone()),
        _ => None,
    }
}

fn tree(units: &[(String, geo::MultiPolygon<f64>)]) -> RTree<Boxed> {
    RTree::bulk_load(
        units
            .iter()
            .enumerate()
            .filter_map(|(i, (_, m))| {
                m.bounding_rect().map(|r| {
                    GeomWithData::new(
                        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                        i,
                    )
                })
            })
            .collect(),
    )
}

impl AdminIndex {
    /// Build from `(code, level, geometry)` rows (level `township` / `village`).
    pub fn new(units: impl IntoIterator<Item = (String, String, geo::Geometry<f64>)>) -> Self {
        let mut townships = Vec::new();
        let mut villages = Vec::new();
        let mut seats = Vec::new();
        for (code, level, g) in units {
            match (level.as_str(), multi(&g), &g) {
                ("township", Some(m), _) => townships.push((code, m)),
                ("village", Some(m), _) => villages.push((code, m)),
                ("village", None, geo::Geometry::Point(p)) => {
                    seats.push(GeomWithData::new([p.x(), p.y()], code))
                }
                _ => {}
            }
        }
        Self {
            township_tree: tree(&townships),
            village_tree: tree(&villages),
            townships,
            villages,
            seats: RTree::bulk_load(seats),
        }
    }

    /// True when no township polygons are loaded.
    pub fn is_empty(&self) -> bool {
        self.townships.is_empty()
    }

    /// `(township polygons, village polygons, village seats)` in the index.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.townships.len(), self.villages.len(), self.seats.size())
    }

    fn locate(
        units: &[(String, geo::MultiPolygon<f64>)],
        tree: &RTree<Boxed>,
        p: geo::Point<f64>,
    ) -> Option<String> {
        let env = AABB::from_point([p.x(), p.y()]);
        let mut hits: Vec<usize> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|b| b.data)
            .collect();
        hits.sort_unstable();
        // Interior first; a point on a shared boundary goes to the first unit (by
        // load order) whose boundary it touches, so the result is deterministic.
        hits.iter()
            .find(|&&i| units[i].1.contains(&p))
            .or_else(|| hits.iter().find(|&&i| units[i].1.intersects(&p)))
            .map(|&i| units[i].0.clone())
    }

    /// `(township code, village code)` of a geometry (either may be `None`).
    pub fn assign(&self, g: &geo::Geometry<f64>) -> (Option<String>, Option<String>) {
        let p = match g {
            geo::Geometry::Point(p) => Some(*p),
            other => other.interior_point(),
        };
        let Some(p) = p else { return (None, None) };
        let township = Self::locate(&self.townships, &self.township_tree, p);
        let mut village = Self::locate(&self.villages, &self.village_tree, p);
        if village.is_none() {
            if let Some(t) = &township {
                village = self
                    .seats
                    .nearest_neighbor_iter(&[p.x(), p.y()])
                    .find(|s| s.data.starts_with(t.as_str()))
                    .map(|s| s.data.clone());
            }
        }
        (township, village)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_in_their_township_and_nearest_village_seat_of_it() {
        let sq = |x0: f64| -> geo::Geometry<f64> {
            geo::Geometry::Polygon(geo::Polygon::new(
                geo::LineString::from(vec![
                    (x0, 0.0),
                    (x0 + 10.0, 0.0),
                    (x0 + 10.0, 10.0),
                    (x0, 10.0),
                    (x0, 0.0),
                ]),
                vec![],
            ))
        };
        let idx = AdminIndex::new([
            ("370999001".into(), "township".into(), sq(0.0)),
            ("370999002".into(), "township".into(), sq(10.0)),
            (
                "370999001201".into(),
                "village".into(),
                geo::Point::new(2.0, 2.0).into(),
            ),
            (
                "370999001202".into(),
                "village".into(),
                geo::Point::new(8.0, 8.0).into(),
            ),
            // Nearer to (9.5, 9) than any seat of 001, but in township 002.
            (
                "370999002201".into(),
                "village".into(),
                geo::Point::new(10.5, 9.0).into(),
            ),
        ]);
        let (t, v) = idx.assign(&geo::Point::new(9.5, 9.0).into());
        assert_eq!(t.as_deref(), Some("370999001"));
        assert_eq!(v.as_deref(), Some("370999001202"));
        let (t, v) = idx.assign(&geo::Point::new(15.0, 5.0).into());
        assert_eq!(
            (t.as_deref(), v.as_deref()),
            (Some("370999002"), Some("370999002201"))
        );
        assert_eq!(idx.assign(&geo::Point::new(50.0, 5.0).into()), (None, None));
    }
}
