//! Zoning (DESIGN.md §3): class breaks, zonal statistics with exact cell coverage
//! fractions, admin aggregation (issue 9). Being built.
