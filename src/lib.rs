//! brackets: read, compare, search and draft negotiated multilateral texts.
//!
//! The core (model, parse, actors, config, text) knows nothing of the terminal; the command
//! line in `cli` is a thin layer over it.

pub mod actors;
pub mod cli;
pub mod config;
pub mod diff;
pub mod example;
pub mod model;
pub mod parse;
pub mod repo;
pub mod text;

pub use model::Document;
pub use parse::{parse, parse_with};
