//! Being built (see the issue for the wildfire stage).
