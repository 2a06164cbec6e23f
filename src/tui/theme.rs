//! Semantic styles for the terminal UI; views never name a raw colour. Colours are the
//! terminal's own palette on its default background, so the UI reads on dark and light
//! terminals alike; with NO_COLOR the monochrome variant uses bold, underline and reverse only.

use crate::diff::ChangeKind;
use crate::model::Stance;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub color: bool,
    pub plain: Style,
    pub dim: Style,
    pub title: Style,
    pub heading: Style,
    pub id: Style,
    pub bracket_mark: Style,
    pub bracketed: Style,
    pub group: Style,
    pub note: Style,
    pub agreed: Style,
    pub focus: Style,
    pub selection: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub status: Style,
    pub key: Style,
    pub error: Style,
    pub word_inserted: Style,
    pub word_deleted: Style,
    pub change_added: Style,
    pub change_removed: Style,
    pub change_modified: Style,
    pub change_structure: Style,
    pub reopened: Style,
    pub chart_open: Style,
    pub chart_agreed: Style,
    pub chart_clean: Style,
    pub border: Style,
    pub border_focus: Style,
}

const fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Theme {
    /// Colour unless NO_COLOR is set to a non-empty value.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::colored(),
        }
    }

    pub fn colored() -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            color: true,
            plain: Style::new(),
            dim: Style::new().add_modifier(Modifier::DIM),
            title: Style::new().add_modifier(bold),
            heading: Style::new().add_modifier(bold | Modifier::UNDERLINED),
            id: fg(Color::Cyan).add_modifier(bold),
            bracket_mark: fg(Color::Yellow).add_modifier(bold),
            bracketed: fg(Color::Yellow),
            group: Style::new().add_modifier(Modifier::DIM),
            note: fg(Color::Blue).add_modifier(Modifier::ITALIC),
            agreed: fg(Color::Green).add_modifier(bold),
            focus: Style::new().add_modifier(bold | Modifier::REVERSED),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            tab: Style::new(),
            tab_active: fg(Color::Cyan).add_modifier(bold | Modifier::REVERSED),
            status: Style::new().add_modifier(Modifier::REVERSED),
            key: fg(Color::Cyan).add_modifier(bold),
            error: fg(Color::Red).add_modifier(bold),
            word_inserted: fg(Color::Green).add_modifier(Modifier::UNDERLINED),
            word_deleted: fg(Color::Red).add_modifier(Modifier::CROSSED_OUT),
            change_added: fg(Color::Green).add_modifier(bold),
            change_removed: fg(Color::Red).add_modifier(bold),
            change_modified: fg(Color::Yellow).add_modifier(bold),
            change_structure: fg(Color::Magenta).add_modifier(bold),
            reopened: fg(Color::Red).add_modifier(bold | Modifier::REVERSED),
            chart_open: fg(Color::Yellow),
            chart_agreed: fg(Color::Green),
            chart_clean: fg(Color::Cyan),
            border: Style::new().add_modifier(Modifier::DIM),
            border_focus: fg(Color::Cyan),
        }
    }

    pub fn mono() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let plain = Style::new();
        Theme {
            color: false,
            plain,
            dim: plain,
            title: bold,
            heading: bold.add_modifier(Modifier::UNDERLINED),
            id: bold,
            bracket_mark: bold,
            bracketed: plain,
            group: plain,
            note: plain.add_modifier(Modifier::ITALIC),
            agreed: bold,
            focus: bold.add_modifier(Modifier::REVERSED),
            selection: plain.add_modifier(Modifier::REVERSED),
            tab: plain,
            tab_active: bold.add_modifier(Modifier::REVERSED),
            status: plain.add_modifier(Modifier::REVERSED),
            key: bold,
            error: bold,
            word_inserted: plain.add_modifier(Modifier::UNDERLINED),
            word_deleted: plain.add_modifier(Modifier::CROSSED_OUT),
            change_added: bold,
            change_removed: bold,
            change_modified: bold,
            change_structure: bold,
            reopened: bold.add_modifier(Modifier::REVERSED),
            chart_open: plain,
            chart_agreed: bold,
            chart_clean: plain,
            border: plain,
            border_focus: bold,
        }
    }

    pub fn stance(&self, stance: Stance) -> Style {
        if !self.color {
            return match stance {
                Stance::Oppose | Stance::Delete => self.plain.add_modifier(Modifier::UNDERLINED),
                Stance::Note => self.note,
                _ => self.plain,
            };
        }
        match stance {
            Stance::Support => fg(Color::Green),
            Stance::Oppose => fg(Color::Red),
            Stance::Reserve => fg(Color::Magenta),
            Stance::Delete => fg(Color::Red).add_modifier(Modifier::ITALIC),
            Stance::Note => self.note,
        }
    }

    /// The marker and style of a change kind in the Compare list.
    pub fn change(&self, kind: ChangeKind) -> (&'static str, Style) {
        match kind {
            ChangeKind::Unchanged => ("=", self.dim),
            ChangeKind::Modified => ("~", self.change_modified),
            ChangeKind::Added => ("+", self.change_added),
            ChangeKind::Removed => ("-", self.change_removed),
            ChangeKind::Moved => ("^", self.change_structure),
            ChangeKind::Renumbered => (">", self.change_structure),
            ChangeKind::Split | ChangeKind::Merged => ("<", self.change_structure),
        }
    }
}
