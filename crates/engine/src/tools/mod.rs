//! Standalone tools that work on any raster or vector files, outside a census run:
//! class breaks and zonal statistics ([`zonal`]). The standalone tools of a hazard
//! (ground motion, FWI, susceptibility) live in its stage folder.

pub mod zonal;
