//! Wildfire: the Canadian Fire Weather Index system, station interpolation and
//! fire hazard operators (issue 8). Being built.
