//! The help overlay: every key of the current view and the global ones, from the keymap.

use crate::tui::app::App;
use crate::tui::keys::{self, Binding};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let mut lines: Vec<Line<'_>> = Vec::new();
    let section = |lines: &mut Vec<Line<'_>>, title: String, bindings: &[Binding]| {
        lines.push(Line::styled(title, t.heading));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", b.key_names()), t.key),
                Span::styled(b.help, t.plain),
            ]));
        }
        lines.push(Line::default());
    };
    let own = keys::view(app.tab);
    if !own.is_empty() {
        section(&mut lines, format!("{} view", app.tab.title()), own);
    }
    section(&mut lines, "Everywhere".into(), keys::GLOBAL);
    lines.push(Line::styled(
        "  mouse: wheel scrolls, click selects and switches views",
        t.dim,
    ));
    let w = area.width.min(76);
    let h = area.height.min(lines.len() as u16 + 2);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" Keys · ? or Esc closes ")
                .border_style(t.border_focus),
        ),
        popup,
    );
}
