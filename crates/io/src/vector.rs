//! Vector layer writing (filled in by the demo census work).
