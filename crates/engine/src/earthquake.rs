//! Being built (see the issue for the earthquake stage).
