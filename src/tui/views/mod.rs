//! Drawing: a pure function of the state. The frame is the tab bar, the current view and the
//! status bar, with the help overlay on top when open.

pub mod actors;
pub mod comments;
pub mod compare;
pub mod drafting;
pub mod drafts;
pub mod help;
pub mod read;
pub mod search;

use super::app::{App, Hit, TabId};
use super::wrap::{clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Below this size the views cannot say anything useful.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn draw(frame: &mut Frame<'_>, app: &App) {
    app.hits.borrow_mut().clear();
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Terminal too small: {}x{}; brackets needs {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(text)
                .style(app.theme.plain)
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    let [tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(frame, app, tabs);
    if let Some(error) = &app.error {
        let block = Block::bordered()
            .title(" cannot open ")
            .border_style(app.theme.error);
        frame.render_widget(
            Paragraph::new(clean(error))
                .block(block)
                .wrap(Wrap { trim: true }),
            body,
        );
    } else if app.workspace.is_none() {
        frame.render_widget(
            Paragraph::new(format!(
                "\n  {}",
                app.progress.as_deref().unwrap_or("loading…")
            ))
            .style(app.theme.dim),
            body,
        );
    } else {
        match app.tab {
            TabId::Drafts => drafts::draw(frame, app, body),
            TabId::Read => read::draw(frame, app, body),
            TabId::Compare => compare::draw(frame, app, body),
            TabId::Actors => actors::draw(frame, app, body),
            TabId::Search => search::draw(frame, app, body),
            TabId::Comments => comments::draw(frame, app, body),
        }
    }
    draw_status(frame, app, status);
    if app.help {
        help::draw(frame, app, body);
    }
    drafting::draw_question(frame, app, body);
}

fn draw_tabs(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    let mut x = area.x;
    for (i, tab) in TabId::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let w = label.chars().count() as u16;
        if x + w > area.right() {
            break;
        }
        app.hits
            .borrow_mut()
            .push((Rect::new(x, area.y, w, 1), Hit::Tab(*tab)));
        let style = if *tab == app.tab { t.tab_active } else { t.tab };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
        x += w + 1;
    }
    frame.render_widget(Line::from(spans), area);
}

/// Repository, draft, iteration(s), progress and the two keys everyone needs.
fn draw_status(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let mut left = Vec::new();
    if let Some(w) = &app.workspace {
        left.push(clean(&w.name));
        if w.example {
            left.push("(example)".into());
        }
        if let Some(d) = app.current_draft() {
            left.push(clean(&d.path));
        }
        if app.unsaved() {
            left.push("● modified".into());
        }
        let label = |i: usize| app.iteration(i).map(|it| clean(&it.label));
        match app.tab {
            TabId::Read => left.extend(label(app.read.iteration)),
            TabId::Compare => {
                if let (Some(a), Some(b)) = (label(app.compare.old), label(app.compare.new)) {
                    left.push(format!("{a} → {b}"));
                }
            }
            TabId::Drafts => left.extend(label(app.drafts.iteration)),
            _ => {}
        }
    }
    let left = format!(" {}", left.join(" · "));
    let middle = app
        .message
        .clone()
        .or_else(|| app.progress.clone())
        .or_else(|| app.search.status.clone())
        .unwrap_or_default();
    let mut right = String::new();
    if usize::from(area.width) >= 110 {
        for (action, word) in super::keys::hints(app.tab) {
            if let Some(k) = super::keys::key_for(app.tab, *action) {
                right.push_str(&format!("{k} {word}  "));
            }
        }
    }
    right.push_str("? help  q quit ");
    let right = right.as_str();
    let width = usize::from(area.width);
    let right_w = right.chars().count();
    // A message (what a key did, or why it did nothing) may take the room of the left part:
    // it is what the user needs to read now.
    let room = if app.message.is_some() {
        width.saturating_sub(right_w + 4)
    } else {
        width.saturating_sub(right_w + 4) / 2
    };
    let middle = fit(&clean(&middle), room);
    let middle_w = unicode_width::UnicodeWidthStr::width(middle.as_str());
    let left = fit(&left, width.saturating_sub(right_w + middle_w + 2));
    let left_w = unicode_width::UnicodeWidthStr::width(left.as_str());
    let gap = width.saturating_sub(left_w + middle_w + right_w);
    let line = Line::from(vec![
        Span::styled(left, t.status),
        Span::styled(" ".repeat(gap / 2 + gap % 2), t.status),
        Span::styled(middle, t.status),
        Span::styled(" ".repeat(gap / 2), t.status),
        Span::styled(right, t.status),
    ]);
    frame.render_widget(line, area);
}

/// A bordered block whose border shows whether it has the keys.
pub fn pane<'a>(app: &App, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    Block::bordered().title(title).border_style(if focused {
        app.theme.border_focus
    } else {
        app.theme.border
    })
}
