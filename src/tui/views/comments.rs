//! Comments: reviewers' comments on the paragraph being read (or on the whole draft), each
//! placed in the iteration being read; add, reply, resolve.

use super::pane;
use crate::comments::Status;
use crate::tui::app::{App, CommentInput};
use crate::tui::wrap::{Styled, clean};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let c = &app.comments;
    let [head_area, body, input_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(if c.input.is_some() { 3 } else { 0 }),
    ])
    .areas(area);
    let label = app
        .iteration(app.read.iteration)
        .map_or(String::new(), |i| clean(&i.label));
    let here = app.current_paragraph().map(|(id, _)| id);
    let head = if c.all {
        vec![
            Span::styled("Every comment on this draft", t.title),
            Span::styled(format!(", placed in {label}"), t.dim),
        ]
    } else {
        vec![
            Span::styled("Comments on ", t.title),
            Span::styled(here.as_deref().map(clean).unwrap_or_default(), t.id),
            Span::styled(
                format!(" at {label} (the paragraph selected in Read)"),
                t.dim,
            ),
        ]
    };
    frame.render_widget(Line::from(head), head_area);
    if let Some(e) = &c.error {
        frame.render_widget(Paragraph::new(clean(e)).style(t.error), body);
        return;
    }
    let Some((_, store)) = &c.store else {
        frame.render_widget(Paragraph::new("Reading comments…").style(t.dim), body);
        return;
    };
    let rows = app.comment_rows();
    let block = pane(
        app,
        format!(" {} of {} comments ", rows.len(), store.comments().len()),
        c.input.is_none(),
    )
    .title_bottom(Line::styled(
        " a add · r reply · x resolve · o this paragraph / all ",
        t.dim,
    ));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    if rows.is_empty() {
        let why = if store.comments().is_empty() {
            "No comments on this draft yet: a adds one on the paragraph selected in Read."
        } else {
            "No comments on this paragraph: o shows every comment of the draft."
        };
        frame.render_widget(Paragraph::new(why).style(t.dim), inner);
    } else {
        let width = usize::from(inner.width);
        // Each comment as a block of lines; the selected one kept in sight.
        let mut blocks: Vec<Vec<Line<'static>>> = Vec::new();
        for (r, &i) in rows.iter().enumerate() {
            let cm = &store.comments()[i];
            let selected = r == c.selected;
            let place = c
                .places
                .as_ref()
                .and_then(|(_, p)| p.iter().find(|(id, _)| *id == cm.id))
                .and_then(|(_, p)| p.clone());
            let mut lines = Vec::new();
            let status = match cm.status {
                Status::Open => ("open", t.bracket_mark),
                Status::Resolved => ("resolved", t.agreed),
            };
            let mut head = vec![
                Span::styled(
                    format!("#{} ", clean(&cm.id)),
                    if selected { t.focus } else { t.id },
                ),
                Span::styled(status.0, status.1),
                Span::styled(format!(" · {} · ", clean(&cm.author)), t.plain),
                Span::styled(clean(cm.created.get(..10).unwrap_or(&cm.created)), t.dim),
            ];
            if let Some(a) = &cm.actor {
                head.push(Span::styled(format!(" · for {}", clean(a)), t.id));
            }
            head.push(Span::styled(
                match &place {
                    Some(p) => format!(" · on {}", clean(p)),
                    None => format!(" · orphaned (was {})", clean(&cm.paragraph)),
                },
                t.dim,
            ));
            lines.push(Line::from(head));
            let mut text = Styled::new();
            text.push(t.plain, &cm.text);
            lines.extend(text.wrap(width, vec![Span::raw("  ")], 2));
            if place.is_none() && !cm.excerpt.is_empty() {
                let mut ex = Styled::new();
                ex.push(t.dim, &format!("“{}…”", cm.excerpt));
                lines.extend(ex.wrap(width, vec![Span::raw("  ")], 2));
            }
            for reply in &cm.replies {
                let mut s = Styled::new();
                s.push(t.id, &reply.author);
                s.push(t.dim, ": ");
                s.push(t.plain, &reply.text);
                lines.extend(s.wrap(width, vec![Span::styled("  ↳ ", t.dim)], 4));
            }
            if selected {
                for l in lines.iter_mut().skip(1) {
                    l.spans.insert(0, Span::styled("▌", t.id));
                }
            }
            lines.push(Line::default());
            blocks.push(lines);
        }
        let height = usize::from(inner.height);
        let first_line: Vec<usize> = blocks
            .iter()
            .scan(0, |acc, b| {
                let at = *acc;
                *acc += b.len();
                Some(at)
            })
            .collect();
        let sel_start = first_line.get(c.selected).copied().unwrap_or(0);
        let sel_end = sel_start + blocks.get(c.selected).map_or(0, Vec::len);
        let mut scroll = c.offset.get();
        if sel_start < scroll {
            scroll = sel_start;
        } else if sel_end > scroll + height {
            scroll = sel_end.saturating_sub(height).min(sel_start);
        }
        c.offset.set(scroll);
        let lines: Vec<Line<'static>> = blocks
            .into_iter()
            .flatten()
            .skip(scroll)
            .take(height)
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
    // The input line.
    if let Some((what, text)) = &c.input {
        let title = match what {
            CommentInput::Add => format!(
                " New comment on {} · Enter saves · Esc cancels ",
                here.as_deref().map(clean).unwrap_or_default()
            ),
            CommentInput::Reply(id) => {
                format!(" Reply to #{} · Enter saves · Esc cancels ", clean(id))
            }
        };
        let block = pane(app, title, true);
        let inner = block.inner(input_area);
        frame.render_widget(block, input_area);
        let width = usize::from(inner.width).saturating_sub(1);
        // The end of the text when it is longer than the line.
        let shown: String = {
            let chars: Vec<char> = clean(text).chars().collect();
            chars[chars.len().saturating_sub(width)..].iter().collect()
        };
        frame.render_widget(
            Line::from(vec![Span::raw(shown), Span::styled("█", t.key)]),
            inner,
        );
    }
}
