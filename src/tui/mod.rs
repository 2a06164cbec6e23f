//! The terminal UI (ratatui + crossterm): a thin layer over the core.
