//! Being built (see the issue for the geohazard stage).
