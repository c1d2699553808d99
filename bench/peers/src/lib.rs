//! Nothing here: `examples/peers.rs` runs the extractors.
