//! Earthquake (issue 6): ground-motion models, rupture distances, site terms,
//! seismic intensity and building fragility.
//!
//! - [`gmm`]: ground-motion models by OpenQuake class name (Yu et al. 2013 and the
//!   NGA-West2 models of Boore et al., Abrahamson et al., Campbell & Bozorgnia and
//!   Chiou & Youngs, 2014): median and σ(ln IM) for one rupture–site pair, and
//!   logic trees of them;
//! - [`rupture`]: Rjb, Rrup, Rx, Ry0, Repi and azimuth from a planar rupture;
//! - [`fault`]: dip and dip direction of a surveyed fault, the oriented trace;
//! - [`scenario`]: median PGA of a scenario rupture at the cells of a grid row;
//! - [`site`]: Vs30 from slope (Wald & Allen 2007) or site class;
//! - [`intensity`]: PGA → seismic intensity (GB/T 17742-2020, GB 18306-2015);
//! - [`fragility`]: lognormal fragility (HAZUS equivalent-PGA curves adapted to
//!   Chinese structure types), losses, casualties;
//! - [`hidden_danger`]: the building's hidden-danger grade 重点/一般/轻微 (a
//!   provisional rule of this project until the census specification is in hand);
//! - [`hazard_curve`]: the site's hazard curve from the four probability levels of
//!   GB 18306-2015 and annual damage-state rates over it;
//! - [`cells`]: per-cell loss, deaths, vulnerability and weak-building share;
//! - [`params`]: the parameters of `models/earthquake.toml`;
//! - [`error`]: [`EarthquakeError`], naming the model, record and field.

pub mod cells;
pub mod error;
pub mod fault;
pub mod fragility;
pub mod gmm;
pub mod hazard_curve;
pub mod hidden_danger;
pub mod intensity;
pub mod params;
pub mod rupture;
pub mod scenario;
pub mod site;

pub use error::EarthquakeError;
pub use gmm::{GmInput, Gmm, GroundMotion, Imt};
pub use params::EarthquakeParams;
pub use rupture::{Distances, PlanarRupture};
