//! Search and Comments: they need the search index and review comments, which are not in the
//! library yet. Until then the tabs say so plainly.

use crate::tui::app::{App, TabId};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let (what, needs, meanwhile) = match app.tab {
        TabId::Search => (
            "Search is not available yet.",
            "It needs the search index, which is being built.",
            "Meanwhile: Read (2) filters a draft to one actor with f, and n jumps to the next open bracket;\n  Actors (5) lists every position an actor took.",
        ),
        _ => (
            "Comments are not available yet.",
            "Review comments are being built.",
            "Meanwhile: notes written in the draft ({FRA suggest ...}) show in Read (2).",
        ),
    };
    let lines = vec![
        Line::default(),
        Line::styled(format!("  {what}"), t.title),
        Line::default(),
        Line::styled(format!("  {needs}"), t.dim),
        Line::styled(format!("  {meanwhile}"), t.dim),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
