//! Flood (洪涝): the built-in operators of the flood stage, which are not weighted
//! overlays (DESIGN.md §5). The flood hazard, exposure, vulnerability and risk
//! indices are ordinary model files.
//!
//! - [`inundation`]: the HAND inundation screen, depth_T = max(0, h_T − HAND)
//!   (`models/flood/flood_depth.toml`);
//! - [`depth_damage`]: depth–damage curves per structure type, the loss of each
//!   building per design event and the expected annual damage
//!   (`models/flood/flood_depth_damage.toml`);
//! - [`mortality`]: deaths at a depth (Jonkman et al. 2008), per building and event
//!   (`models/flood/flood_mortality.toml`).
//!
//! Each file is parsed as written with unknown keys refused (`…Spec::parse`), then
//! checked once (`…Spec::check`: every problem, each with its line and dotted key, as
//! a [`ModelError`](crate::ModelError)) into the validated type the algorithm takes.

pub mod depth_damage;
pub mod inundation;
pub mod mortality;

pub use depth_damage::{Curve, DepthDamage};
pub use inundation::DepthScreen;
pub use mortality::Mortality;

use crate::operator_file::{at, k, parse_toml, Checker};
