//! Semantic styles for human output; commands never name a raw colour. Colour is dropped by
//! `anstream` when stdout is not a terminal, when NO_COLOR is set, or with `--color never`.

use crate::model::Stance;
use anstyle::{AnsiColor, Effects, Style};

pub const ID: Style = AnsiColor::Cyan.on_default().effects(Effects::BOLD);
pub const HEADING: Style = Style::new().effects(Effects::BOLD.insert(Effects::UNDERLINE));
pub const TITLE: Style = Style::new().effects(Effects::BOLD);
pub const DIM: Style = Style::new().effects(Effects::DIMMED);
pub const BRACKET_MARK: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
pub const BRACKETED: Style = AnsiColor::Yellow.on_default();
pub const GROUP: Style = Style::new().effects(Effects::DIMMED);
pub const NOTE: Style = AnsiColor::Blue.on_default().effects(Effects::ITALIC);
pub const AGREED: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
pub const ERROR: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
pub const WARNING: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
pub const NOTE_SEVERITY: Style = AnsiColor::Blue.on_default().effects(Effects::BOLD);
pub const PLAIN: Style = Style::new();
/// An actor's own positions when a view is filtered to that actor.
pub const FOCUS: Style = Style::new().effects(Effects::BOLD.insert(Effects::INVERT));

pub fn stance(stance: Stance) -> Style {
    match stance {
        Stance::Support => AnsiColor::Green.on_default(),
        Stance::Oppose => AnsiColor::Red.on_default(),
        Stance::Reserve => AnsiColor::Magenta.on_default(),
        Stance::Delete => AnsiColor::Red.on_default().effects(Effects::ITALIC),
        Stance::Note => NOTE,
    }
}

pub fn severity(s: crate::model::Severity) -> Style {
    match s {
        crate::model::Severity::Error => ERROR,
        crate::model::Severity::Warning => WARNING,
        crate::model::Severity::Note => NOTE_SEVERITY,
    }
}
