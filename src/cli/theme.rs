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

/// Word diffs: deleted words struck through in red, inserted ones underlined in green.
pub const WORD_DELETED: Style = AnsiColor::Red.on_default().effects(Effects::STRIKETHROUGH);
pub const WORD_INSERTED: Style = AnsiColor::Green.on_default().effects(Effects::UNDERLINE);
/// The sign and ids at the head of a changed paragraph in `brackets diff`.
pub const CHANGE_ADDED: Style = AnsiColor::Green.on_default().effects(Effects::BOLD);
pub const CHANGE_REMOVED: Style = AnsiColor::Red.on_default().effects(Effects::BOLD);
pub const CHANGE_MODIFIED: Style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
pub const CHANGE_STRUCTURE: Style = AnsiColor::Magenta.on_default().effects(Effects::BOLD);
/// Agreed text reopened: the one thing in a diff nobody may miss.
pub const REOPENED: Style = AnsiColor::Red
    .on_default()
    .effects(Effects::BOLD.insert(Effects::INVERT));
