//! Integration tests of the model library (one test binary).

#[path = "suite/ahp.rs"]
mod ahp;
#[path = "suite/common.rs"]
mod common;
#[path = "suite/errors.rs"]
mod errors;
#[path = "suite/kernel.rs"]
mod kernel;
#[path = "suite/models.rs"]
mod models;
#[path = "suite/transforms.rs"]
mod transforms;
