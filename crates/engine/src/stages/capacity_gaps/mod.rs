//! The capacity-gaps stage (减灾能力与资源缺口; docs/capacity.md): after the hazard stages
//! and the comprehensive risk, it measures what the county has against what a
//! disaster would ask of it, from the census records of shelters, rescue teams,
//! material reserves, key facilities, roads and the grassroots capacity survey:
//!
//! - [`grassroots`]: the grassroots capacity index and grade of every township and
//!   village (`models/capacity/grassroots_capacity.toml`, GB/T 43981-2024 procedure);
//! - [`shelters`]: who is displaced in each scenario (flood depth > 1 m, Hazus
//!   uninhabitable dwellings), the shelter places they reach along the roads, the
//!   people left without a place, and the site-safety screen of every shelter
//!   (GB 51143-2015 §4.1.2);
//! - [`relief`]: the days the material reserves last for the displaced of each
//!   scenario and for the plan's own target;
//! - [`rescue`]: road travel times from the rescue stations (`rescue_minutes`, min,
//!   census grid, f32, NaN outside the townships or where no road reaches), the
//!   population and key facilities beyond each isochrone, the teams by kind;
//! - [`screening`]: the 三高一低 townships (high loss, hidden danger and risk, low
//!   capacity).
//!
//! Parameters: `models/capacity/capacity_gaps.toml`. Tables: `assess/<name>.csv` and
//! the same rows as layers of `zoning.gpkg` ([`crate::deliverable`]); names in
//! `riskcensus_contracts::tables::capacity`. Capacity enters the risk only through
//! the documented rules of the model files (the α of the index risk); the gap
//! tables stand on their own.
//!
//! Every cell belongs to the township (and village) covering most of it, as in the
//! zoning stage; sums run in a fixed order, so the tables do not depend on threads.

pub mod grassroots;
pub mod network;
pub mod relief;
pub mod rescue;
pub mod screening;
pub mod shelters;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use riskcensus_contracts::tables::census as T;
use riskcensus_models::capacity::gaps::CapacityGaps;
use riskcensus_models::capacity::grassroots::GrassrootsCapacity;
use riskcensus_models::capacity::network::RoadNetwork;
use riskcensus_zoning::units::Unit;
use serde::Serialize;

use crate::admin::{AdminLevel, Townships, UnitAttributes};
use crate::deliverable::Deliverable;
use crate::error::EngineError;
use crate::ingest::Census;
use crate::stage::{Context, Needs, Stage, StageOutcome, Writes};

/// The stage's id.
pub const ID: &str = "capacity_gaps";

/// The gap parameters of a census's model library.
pub fn load_gaps(library: &riskcensus_models::Library) -> Result<CapacityGaps, EngineError> {
    let f = library.require(riskcensus_models::capacity::gaps::PATH)?;
    Ok(CapacityGaps::from_toml(&f.text, &f.origin)?)
}

/// The grassroots capacity index of a census's model library.
pub fn load_index(library: &riskcensus_models::Library) -> Result<GrassrootsCapacity, EngineError> {
    let f = library.require(riskcensus_models::capacity::grassroots::PATH)?;
    Ok(GrassrootsCapacity::from_toml(&f.text, &f.origin)?)
}

/// What every part of the stage works on.
pub struct Inputs<'a> {
    /// The census grid.
    pub grid: &'a riskcensus_core::GridSpec,
    /// Persons per cell, row-major (NaN, negatives and cells outside every township
    /// read as 0).
    pub pop: Vec<f64>,
    /// The run's townships and each cell's township (0 = none).
    pub townships: Arc<Townships>,
    /// Villages with a polygon, by code.
    pub villages: Vec<Unit>,
    /// Row-major: 0 for a cell no village covers, k for `villages[k − 1]`.
    pub village_owner: Vec<usize>,
    /// Admin attributes by code (population, GDP).
    pub attrs: BTreeMap<String, UnitAttributes>,
    /// The road network (none: the census has no roads).
    pub net: Option<RoadNetwork>,
    /// The population grid summed per township (cells by owner).
    pub township_pop: Vec<f64>,
    /// … and per village.
    pub village_pop: Vec<f64>,
}

impl Inputs<'_> {
    /// The row-major cell of a point, if on the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<usize> {
        self.grid.cell_of(x, y).map(|(r, c)| r * self.grid.cols + c)
    }

    /// True when the cell counts for the census: inside a township, or anywhere
    /// when the census has no township polygons.
    pub fn inside(&self, cell: usize) -> bool {
        self.townships.units.is_empty() || self.townships.owner[cell] > 0
    }

    /// The township index (into `townships.units`) of a cell.
    pub fn township_of(&self, cell: Option<usize>) -> Option<usize> {
        cell.and_then(|c| self.townships.owner[c].checked_sub(1))
    }

    /// The table rows a cell's sums go to: its township's (when it has one), then
    /// the county's (index `townships.units.len()`).
    pub fn rows_of(&self, cell: Option<usize>) -> impl Iterator<Item = usize> {
        self.township_of(cell)
            .into_iter()
            .chain(std::iter::once(self.townships.units.len()))
    }

    /// The village index (into `villages`) of a cell.
    pub fn village_of(&self, cell: Option<usize>) -> Option<usize> {
        cell.and_then(|c| self.village_owner.get(c).and_then(|o| o.checked_sub(1)))
    }

    /// The population of a unit: its `admin_units.population` when recorded, else
    /// the sum of the population grid over its cells.
    pub fn population(&self, code: &str, grid_sum: f64) -> f64 {
        self.attrs
            .get(code)
            .and_then(|a| a.population)
            .unwrap_or(grid_sum)
    }

    /// Fill `township_pop` and `village_pop` (cells by owner, row-major order).
    fn with_grid_population(mut self) -> Self {
        let mut t = vec![0.0; self.townships.units.len()];
        let mut v = vec![0.0; self.villages.len()];
        for (c, &p) in self.pop.iter().enumerate() {
            if let Some(k) = self.township_of(Some(c)) {
                t[k] += p;
            }
            if let Some(k) = self.village_of(Some(c)) {
                v[k] += p;
            }
        }
        self.township_pop = t;
        self.village_pop = v;
        self
    }
}

/// What the stage did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CapacityReport {
    /// Shelters read, and those the safety screen flags.
    pub shelters: usize,
    /// Shelters flagged unsafe.
    pub unsafe_shelters: usize,
    /// Per scenario: displaced, placed and unplaced people in the county.
    pub scenarios: Vec<shelters::ScenarioTotal>,
    /// Population beyond each isochrone in the county (minutes, persons).
    pub beyond: Vec<(f64, f64)>,
    /// Days the county's consumable reserves cover for the plan's target people
    /// (item, days).
    pub plan_days: Vec<(String, f64)>,
    /// Townships per capacity grade 1…5 (index 0: not graded).
    pub township_grades: [usize; 6],
    /// Codes of the 三高一低 townships.
    pub three_high_one_low: Vec<String>,
    /// What could not be assessed, and why.
    pub notes: Vec<String>,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// The capacity-gaps stage (its id differs from the `capacity` index model of
/// `models/common/capacity.toml`).
#[derive(Debug, Default, Clone, Copy)]
pub struct CapacityGapsStage;

impl Stage for CapacityGapsStage {
    fn id(&self) -> &str {
        ID
    }

    /// The admin units and the population grid (every gap is per person). The two
    /// parameter files are read here, so a broken one stops the run before its
    /// first stage.
    fn needs(&self, cx: &Context<'_>) -> Result<Needs, EngineError> {
        load_gaps(cx.library)?;
        load_index(cx.library)?;
        Ok(Needs {
            tables: vec![T::ADMIN_UNITS],
            layers: vec!["population".into()],
            ..Needs::default()
        })
    }

    fn writes(&self) -> Writes {
        Writes {
            layers: vec![rescue::LAYER],
            files: vec![
                "capacity_units.csv",
                "shelter_gaps.csv",
                "shelter_safety.csv",
                "reserve_days.csv",
                "rescue_access.csv",
                "three_high_one_low.csv",
            ],
        }
    }

    fn selected(&self, _filter: &[String]) -> bool {
        true
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<StageOutcome, EngineError> {
        let gaps = load_gaps(cx.library)?;
        let index = load_index(cx.library)?;
        let db = Census::open(&cx.census.dir)?;
        let townships = crate::admin::run_townships(cx)?;
        let grid = cx.census.grid.clone();
        let villages = crate::admin::units(&db, &grid, AdminLevel::Village)?.units;
        let village_owner: Vec<usize> =
            riskcensus_zoning::units::cell_owner(&villages, (grid.rows, grid.cols))
                .iter()
                .map(|&o| o.max(0) as usize)
                .collect();
        let villages: Vec<Unit> = villages
            .into_iter()
            .map(|mut u| {
                u.cells = Vec::new();
                u
            })
            .collect();
        // People outside every township are outside the census (the county rows
        // are the sums of the township rows).
        let outside = |c: usize| !townships.units.is_empty() && townships.owner[c] == 0;
        let pop: Vec<f64> = cx
            .stack
            .read_grid("population", None, &grid, ID)?
            .iter()
            .enumerate()
            .map(|(c, &v)| {
                if v.is_finite() && v > 0.0 && !outside(c) {
                    f64::from(v)
                } else {
                    0.0
                }
            })
            .collect();
        let mut report = CapacityReport::default();
        let net = network::read(cx, &db, &gaps, &mut report.notes)?;
        let inp = Inputs {
            grid: &grid,
            pop,
            townships,
            villages,
            village_owner,
            attrs: crate::admin::attributes(&db)?,
            net,
            township_pop: Vec::new(),
            village_pop: Vec::new(),
        }
        .with_grid_population();
        let dir = cx.layout.assess();

        let rescue = rescue::assess(cx, &db, &inp, &gaps, &mut report)?;
        let shelter = shelters::assess(cx, &db, &inp, &gaps, &mut report)?;
        let reserve = relief::assess(cx, &db, &inp, &gaps, &shelter.demands, &mut report)?;
        let units = grassroots::assess(cx, &db, &inp, &index, &shelter, &rescue, &mut report)?;
        let screen = screening::assess(cx, &db, &inp, &gaps, &units, &mut report)?;

        let mut deliverables: Vec<Deliverable> = vec![
            units.table,
            shelter.gaps,
            shelter.safety,
            reserve,
            rescue.table,
            screen,
        ];
        for d in &deliverables {
            report.files.push(d.write_csv(&dir)?);
        }
        for d in deliverables.drain(..) {
            cx.publish(d);
        }
        let mut outcome = StageOutcome::with_details(report);
        outcome.operators = vec![
            crate::run::operator_entry(
                gaps.id.as_str(),
                gaps.version.as_str(),
                &gaps,
                "capacity gap tables",
            ),
            crate::run::operator_entry(index.id(), index.version(), &index, "capacity_units"),
        ];
        Ok(outcome)
    }
}
