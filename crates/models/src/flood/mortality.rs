//! Flood mortality (洪水致死率): the share of the people exposed in a building who
//! die at the water depth there, after Jonkman et al.'s lognormal mortality
//! function fitted to the deaths of the 2005 New Orleans flood:
//!
//! ```text
//! F_D(h) = Φ((ln h − μ) / σ),   deaths = F_D(h) · (1 − evacuated) · occupants
//! ```
//!
//! with Φ the standard normal CDF, h the depth (m), μ = 7.60 and σ = 2.75 for the
//! "remaining zone" (slowly rising water, outside breach and rapidly-rising zones)
//! (Jonkman, S.N., Vrijling, J.K., Vrouwenvelder, A.C.W.M. 2008; Jonkman et al. 2009). The
//! function's domain of validity is that of its data: a slowly rising river or
//! coastal flood of depths from about 0.5 to 5 m behind defences, with mortality
//! of a few per thousand to ~1.5 %; flash floods and breach zones kill far more and
//! need their own functions (the file holds the parameters, so a census replaces
//! them). At h ≤ 0 the mortality is 0.
//!
//! The parameters are `models/flood/flood_mortality.toml`, checked once by
//! [`MortalitySpec::check`]: operator `depth_mortality`, σ > 0, μ finite, the
//! evacuated share in [0, 1], sources cited.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{k, parse_toml, Checker};
use crate::earthquake::fragility::norm_cdf;
use crate::error::ModelError;

/// The mortality function's file in the model library.
pub const PATH: &str = "flood/flood_mortality.toml";

/// The operator name the file must declare.
pub const OPERATOR: &str = "depth_mortality";

/// `models/flood/flood_mortality.toml` as written (unknown keys refused).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MortalitySpec {
    /// Model id, recorded with the outputs.
    pub id: String,
    /// Model version.
    pub version: String,
    /// [`OPERATOR`].
    pub operator: String,
    /// References (at least one).
    pub sources: Vec<String>,
    /// μ of ln h (h in metres).
    pub mu: f64,
    /// σ of ln h.
    pub sigma: f64,
    /// Share of the occupants evacuated before the water arrives (0–1).
    pub evacuated_share: f64,
    #[serde(skip)]
    origin: PathBuf,
    #[serde(skip)]
    text: String,
}

impl MortalitySpec {
    /// Parse the file's text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        let origin = origin.as_ref();
        let mut spec: MortalitySpec = parse_toml(text, origin)?;
        spec.origin = origin.to_path_buf();
        spec.text = text.to_string();
        Ok(spec)
    }

    /// Validate everything; every problem with its line and key.
    pub fn check(&self) -> Result<Mortality, ModelError> {
        let mut c = Checker::new(&self.text);
        c.operator(&self.operator, OPERATOR);
        if !self.mu.is_finite() {
            c.err(&[k("mu")], "mu must be a finite number");
        }
        if !(self.sigma.is_finite() && self.sigma > 0.0) {
            c.err(&[k("sigma")], "sigma must be > 0");
        }
        if !(0.0..=1.0).contains(&self.evacuated_share) {
            c.err(&[k("evacuated_share")], "a share in [0, 1]");
        }
        c.sources(&self.sources);
        c.finish(
            &self.origin,
            Mortality {
                id: self.id.clone(),
                version: self.version.clone(),
                mu: self.mu,
                sigma: self.sigma,
                evacuated_share: self.evacuated_share,
                sources: self.sources.clone(),
            },
        )
    }
}

/// The validated mortality function; its JSON is its parameter hash.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mortality {
    id: String,
    version: String,
    mu: f64,
    sigma: f64,
    evacuated_share: f64,
    sources: Vec<String>,
}

impl Mortality {
    /// Parse and check the file's text.
    pub fn from_toml(text: &str, origin: impl AsRef<Path>) -> Result<Self, ModelError> {
        MortalitySpec::parse(text, origin)?.check()
    }

    /// The shipped function.
    pub fn builtin() -> Self {
        Self::from_toml(
            crate::library::shipped_text(PATH),
            Path::new("models").join(PATH),
        )
        .expect("the shipped mortality function is valid")
    }

    /// Model id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// F_D(h): the mortality at depth `h_m` (0 at h ≤ 0 or NaN → NaN).
    pub fn fraction(&self, h_m: f64) -> f64 {
        if h_m.is_nan() {
            return f64::NAN;
        }
        if h_m <= 0.0 {
            return 0.0;
        }
        norm_cdf((h_m.ln() - self.mu) / self.sigma)
    }

    /// Expected deaths of `occupants` at depth `h_m`.
    pub fn deaths(&self, occupants: f64, h_m: f64) -> f64 {
        occupants * (1.0 - self.evacuated_share) * self.fraction(h_m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_function_by_hand() {
        let m = Mortality::builtin();
        // Φ((ln 1 − 7.60)/2.75) = Φ(−2.7636) ≈ 0.002858.
        assert!(
            (m.fraction(1.0) - 0.002858).abs() < 2e-6,
            "{}",
            m.fraction(1.0)
        );
        // Φ((ln 5 − 7.60)/2.75) = Φ(−2.1784) ≈ 0.014689.
        assert!(
            (m.fraction(5.0) - 0.014689).abs() < 2e-6,
            "{}",
            m.fraction(5.0)
        );
        assert_eq!(m.fraction(0.0), 0.0);
        assert!(m.fraction(f64::NAN).is_nan());
        assert!((m.deaths(100.0, 1.0) - 0.2858).abs() < 2e-4);
    }

    #[test]
    fn bad_files_name_every_problem() {
        let text = "id = \"m\"\nversion = \"1\"\noperator = \"x\"\nsources = []\nmu = 7.6\nsigma = 0.0\nevacuated_share = 2.0\n";
        let e = Mortality::from_toml(text, "m.toml")
            .unwrap_err()
            .to_string();
        for key in ["operator", "sigma", "evacuated_share", "sources"] {
            assert!(e.contains(key), "{key} in {e}");
        }
    }
}
