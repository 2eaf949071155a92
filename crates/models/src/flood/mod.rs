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
//! a [`ModelError`]) into the validated type the algorithm takes.

pub mod depth_damage;
pub mod inundation;
pub mod mortality;

pub use depth_damage::{Curve, DepthDamage};
pub use inundation::DepthScreen;
pub use mortality::Mortality;

use std::path::Path;

use crate::error::{ModelError, Problem};
use crate::locate::{dotted, Locator, Step};

/// Parse TOML text into `T`; syntax and shape errors (unknown or missing keys, wrong
/// types) carry `origin` and the line of the parser's span.
fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, origin: &Path) -> Result<T, ModelError> {
    toml::from_str(text).map_err(|e| ModelError::Syntax {
        file: origin.to_path_buf(),
        line: e
            .span()
            .map(|s| Locator::new(text).line_of(s.start))
            .unwrap_or(0),
        msg: e.message().trim().to_string(),
    })
}

/// Collects the problems of one file, each with the line of its key.
struct Checker {
    loc: Locator,
    problems: Vec<Problem>,
}

impl Checker {
    fn new(text: &str) -> Self {
        Self {
            loc: Locator::new(text),
            problems: Vec::new(),
        }
    }

    fn err(&mut self, path: &[Step], msg: impl Into<String>) {
        self.problems.push(Problem {
            line: self.loc.line(path),
            key: dotted(path),
            msg: msg.into(),
        });
    }

    /// `Ok(value)` when no problem was found, else every problem of `origin`.
    fn finish<T>(self, origin: &Path, value: T) -> Result<T, ModelError> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(ModelError::Invalid {
                file: origin.to_path_buf(),
                problems: self.problems,
            })
        }
    }
}

fn k(s: &str) -> Step {
    Step::Key(s.to_string())
}

fn at(key: &str, i: usize) -> Vec<Step> {
    vec![k(key), Step::Index(i)]
}
