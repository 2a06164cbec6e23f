//! brackets: read, compare, search and draft negotiated multilateral texts.
//!
//! The core (model, parse, actors, config, text) knows nothing of the terminal; the command
//! line in `cli` and the terminal UI in `tui` are thin layers over it.

pub mod actors;
pub mod cli;
pub mod comments;
pub mod config;
pub mod diff;
pub mod drafting;
pub mod example;
pub mod index;
pub mod ledger;
pub mod lockfile;
pub mod model;
pub mod parse;
pub mod repo;
pub mod text;
pub mod tui;

pub use model::Document;
pub use parse::{parse, parse_owned, parse_with};
