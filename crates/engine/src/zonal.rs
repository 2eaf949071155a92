//! Being built (see the issue for the zonal stage).
