//! The help overlay: every key of the current view and the global ones, from the keymap. When
//! one column does not fit, the view's keys and the global ones stand side by side.

use crate::tui::app::App;
use crate::tui::drafting::Mode;
use crate::tui::keys::{self, Binding};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

fn section<'a>(app: &App, title: String, bindings: &'a [Binding]) -> Vec<Line<'a>> {
    let t = &app.theme;
    let mut lines = vec![Line::styled(title, t.heading)];
    for b in bindings {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<18}", b.key_names()), t.key),
            Span::styled(b.help, t.plain),
        ]));
    }
    lines
}

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let own = keys::view(app.tab);
    let mode = match &app.mode {
        Some(Mode::Editor { .. }) => Some(("Editing a paragraph", keys::EDITOR)),
        Some(Mode::Select { .. }) => Some(("Selecting words", keys::SELECT)),
        Some(Mode::Prompt(_)) => Some(("In a prompt (Tab completes actor codes)", keys::PROMPT)),
        _ => None,
    };
    let mut view = if let Some((title, table)) = mode {
        section(app, title.into(), table)
    } else if own.is_empty() {
        Vec::new()
    } else {
        section(app, format!("{} view", app.tab.title()), own)
    };
    if mode.is_none() && app.tab == crate::tui::app::TabId::Read {
        view.push(Line::default());
        view.push(Line::styled(
            "F1: the keys of the editor, selection, prompt",
            t.dim,
        ));
    }
    if mode.is_none() && app.commit.is_some() {
        view.push(Line::default());
        view.extend(section(
            app,
            "Committing (the form: Enter next field, Esc back)".into(),
            keys::COMMIT_REVIEW,
        ));
    }
    if mode.is_none() && app.tab == crate::tui::app::TabId::Search {
        view.push(Line::default());
        view.extend(section(
            app,
            "While typing the query".into(),
            keys::SEARCH_EDITING,
        ));
    }
    if mode.is_none() && app.tab == crate::tui::app::TabId::Comments {
        view.push(Line::default());
        view.extend(section(
            app,
            "While writing a comment".into(),
            keys::COMMENT_EDITING,
        ));
    }
    let mut global = section(app, "Everywhere".into(), keys::GLOBAL);
    global.push(Line::default());
    global.push(Line::styled("mouse: wheel scrolls,", t.dim));
    global.push(Line::styled("click selects, switches views", t.dim));
    let one_column = view.len() + global.len() + 1;
    let two_columns = area.width >= 100 && one_column + 2 > usize::from(area.height);
    let (w, h) = if two_columns {
        (
            area.width.min(120),
            (view.len().max(global.len()) + 2) as u16,
        )
    } else {
        (area.width.min(72), (one_column + 2) as u16)
    };
    let h = h.min(area.height);
    // A long view section goes on in the right column.
    let room = usize::from(h.saturating_sub(2));
    if two_columns && view.len() > room && room > 0 {
        let rest = view.split_off(room);
        global.push(Line::default());
        global.extend(rest);
    }
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(" Keys · ? or Esc closes ")
        .border_style(t.border_focus);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    if two_columns {
        let [l, r] =
            Layout::horizontal([Constraint::Percentage(52), Constraint::Min(1)]).areas(inner);
        frame.render_widget(Paragraph::new(view), l);
        frame.render_widget(Paragraph::new(global), r);
    } else {
        if !view.is_empty() {
            view.push(Line::default());
        }
        view.extend(global);
        frame.render_widget(Paragraph::new(view), inner);
    }
}
