//! Drafting on screen: the paragraph editor, the word selection and the prompts under the Read
//! view's text, the comments on the paragraph, the commit banner and form in Compare, and the
//! questions (the file changed on disk, quitting with unsaved edits) over everything.

use super::pane;
use crate::tui::app::App;
use crate::tui::drafting::{CommitField, Mode, Prompt};
use crate::tui::editor::TextBuffer;
use crate::tui::keys::{self, Binding};
use crate::tui::wrap::{Styled, clean, fit};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

/// The height of the pane under the Read view's text: what is being drafted, or the
/// paragraph's comments.
pub fn read_pane_height(app: &App, area: Rect) -> u16 {
    let half = area.height / 2;
    let h = match &app.mode {
        Some(Mode::Editor { buffer, .. }) => {
            let rows = buffer.rows(usize::from(area.width.saturating_sub(3))).len() as u16;
            (rows + 2).clamp(4, 16)
        }
        Some(Mode::Select { paragraph, .. }) => {
            let len = app
                .drafting
                .as_ref()
                .and_then(|s| s.doc.paragraphs.get(*paragraph))
                .map_or(0, |p| p.span.len());
            let rows = (len / usize::from(area.width.saturating_sub(2)).max(1)) as u16 + 1;
            (rows + 4).clamp(6, 12)
        }
        Some(Mode::Prompt(_)) => 5,
        _ => {
            let n = app.paragraph_comments().len();
            if n == 0 {
                return 0;
            }
            (n as u16).min(4) + 2
        }
    };
    h.min(half.max(5)).min(area.height.saturating_sub(3))
}

/// A text input's row with its cursor, cut to `width` columns around the cursor.
fn input_line(app: &App, b: &TextBuffer, width: usize) -> Line<'static> {
    let t = &app.theme;
    let text = b.text();
    let at = b.cursor();
    let before = clean(text.get(..at).unwrap_or(""));
    let rest = text.get(at..).unwrap_or("");
    let mut chars = rest.chars();
    let under = chars
        .next()
        .map_or(" ".to_string(), |c| clean(&c.to_string()));
    let after = clean(chars.as_str());
    // Keep the cursor in sight: cut the start when the text before it is too long.
    let room = width.saturating_sub(2);
    let before_w = unicode_width::UnicodeWidthStr::width(before.as_str());
    let before = if before_w > room {
        let skip = before_w - room;
        let mut w = 0;
        before
            .chars()
            .skip_while(|c| {
                w += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                w <= skip
            })
            .collect()
    } else {
        before
    };
    Line::from(vec![
        Span::styled(before, t.plain),
        Span::styled(under, t.selection),
        Span::styled(after, t.plain),
    ])
}

pub fn draw_read_pane(frame: &mut Frame<'_>, app: &App, area: Rect) {
    if area.height == 0 {
        return;
    }
    let t = &app.theme;
    match &app.mode {
        Some(Mode::Editor {
            id,
            buffer,
            width,
            height,
            scroll,
            ..
        }) => {
            let block = pane(
                app,
                format!(
                    " Editing {} · Esc done · Ctrl-s save · Ctrl-c cancel · F1 keys ",
                    clean(id)
                ),
                true,
            );
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let w = usize::from(inner.width).saturating_sub(1).max(2);
            let h = usize::from(inner.height).max(1);
            width.set(w);
            height.set(h);
            let rows = buffer.rows(w);
            let (crow, ccol) = buffer.cursor_at(w);
            let mut first = scroll.get().min(rows.len().saturating_sub(1));
            if crow < first {
                first = crow;
            } else if crow >= first + h {
                first = crow + 1 - h;
            }
            scroll.set(first);
            let text = buffer.text();
            let mut lines = Vec::new();
            for (r, &(s, e)) in rows.iter().enumerate().skip(first).take(h) {
                let row = text.get(s..e).unwrap_or("").trim_end_matches('\n');
                if r != crow {
                    lines.push(Line::styled(clean(row), t.plain));
                    continue;
                }
                // Split the row at the cursor's column.
                let mut col = 0;
                let mut split = row.len();
                for (i, c) in row.char_indices() {
                    if col >= ccol {
                        split = i;
                        break;
                    }
                    col += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                }
                let (a, b) = row.split_at(split);
                let mut chars = b.chars();
                let under = chars.next().map_or(" ".into(), |c| clean(&c.to_string()));
                lines.push(Line::from(vec![
                    Span::styled(clean(a), t.plain),
                    Span::styled(under, t.selection),
                    Span::styled(clean(chars.as_str()), t.plain),
                ]));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(Mode::Select {
            paragraph,
            words,
            anchor,
            cursor,
        }) => {
            let Some(s) = &app.drafting else { return };
            let doc = &s.doc;
            let Some(p) = doc.paragraphs.get(*paragraph) else {
                return;
            };
            let block = pane(app, format!(" Selecting words in {} ", clean(&p.id)), true)
                .title_bottom(Line::styled(
                    " l/h word · L/H extend · n/N bracket · Enter bracket it · + A D m: the bracket at the cursor · Esc ",
                    t.dim,
                ));
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let (lo, hi) = ((*anchor).min(*cursor), (*anchor).max(*cursor));
            let src = doc.source.as_str();
            let mut styled = Styled::new();
            let mut at = p.span.start;
            for (k, w) in words.iter().enumerate() {
                styled.push(t.group, crate::model::Span::new(at, w.start).of(src));
                let style: Style = if k == *cursor {
                    t.focus
                } else if (lo..=hi).contains(&k) {
                    t.selection
                } else {
                    t.plain
                };
                styled.push(style, w.of(src));
                at = w.end;
            }
            styled.push(t.group, crate::model::Span::new(at, p.span.end).of(src));
            let lines = styled.wrap(usize::from(inner.width), vec![], 0);
            // What the keys act on, in words (also for monochrome terminals).
            let selected = match (words.get(lo), words.get(hi)) {
                (Some(a), Some(b)) => src.get(a.start..b.end).unwrap_or(""),
                _ => "",
            };
            let mut what = Styled::new();
            what.push(t.dim, "selected: ");
            what.push(t.plain, &format!("«{selected}»"));
            let under = words
                .get(*cursor)
                .and_then(|w| crate::tui::drafting::bracket_at(doc, *paragraph, w.start))
                .and_then(|b| p.brackets.get(b));
            if let Some(b) = under {
                let content = b.content(p.span.end).of(src);
                let short: String = content.chars().take(30).collect();
                let more = if content.chars().count() > 30 {
                    "…"
                } else {
                    ""
                };
                what.push(t.dim, "  · cursor in bracket ");
                what.push(t.bracketed, &format!("[{short}{more}]"));
            }
            // Keep the cursor's line in sight.
            let height = usize::from(inner.height);
            let cursor_line = lines
                .iter()
                .position(|l| l.spans.iter().any(|s| s.style == t.focus))
                .unwrap_or(0);
            let skip = cursor_line.saturating_sub(height.saturating_sub(1));
            let mut lines: Vec<Line<'static>> = lines
                .into_iter()
                .skip(skip)
                .take(height.saturating_sub(1))
                .collect();
            lines.push(what.line());
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Some(Mode::Prompt(p)) => draw_prompt(frame, app, p, area),
        _ => draw_comments(frame, app, area),
    }
}

fn draw_prompt(frame: &mut Frame<'_>, app: &App, p: &Prompt, area: Rect) {
    let t = &app.theme;
    let block = pane(
        app,
        format!(" {} · Enter done · Esc cancels · F1 keys ", clean(&p.title)),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines = vec![input_line(app, &p.input, width)];
    let options = app.prompt_completions(p);
    if !options.is_empty() {
        let mut spans = vec![Span::styled("Tab: ", t.key)];
        let mut used = 5;
        let total = options.len();
        for (k, o) in options.iter().enumerate() {
            let name = crate::actors::Actors::builtin()
                .resolve(o)
                .map(|a| a.name.clone())
                .filter(|_| total <= 3)
                .map_or(String::new(), |n| format!(" ({})", fit(&clean(&n), 24)));
            let item = format!("{}{name}  ", clean(o));
            let w = unicode_width::UnicodeWidthStr::width(item.as_str());
            if used + w + 8 > width {
                spans.push(Span::styled(format!("+{} more", total - k), t.dim));
                break;
            }
            used += w;
            spans.push(Span::styled(item, t.id));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::styled(fit(&p.hint, width), t.dim));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_comments(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let rows = app.paragraph_comments();
    let Some((_, store)) = &app.comments.store else {
        return;
    };
    if rows.is_empty() {
        return;
    }
    let selected = app.read.comment.min(rows.len() - 1);
    let block = pane(
        app,
        format!(" {} comment(s) on this paragraph ", rows.len()),
        false,
    )
    .title_bottom(Line::styled(
        " ; add · ' next · r reply · X resolve ",
        t.dim,
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let skip = selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line<'static>> = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .filter_map(|(k, &i)| {
            let c = store.comments().get(i)?;
            let status = match c.status {
                crate::comments::Status::Open => ("open", t.bracket_mark),
                crate::comments::Status::Resolved => ("resolved", t.agreed),
            };
            let replies = if c.replies.is_empty() {
                String::new()
            } else {
                format!(" ({} replies)", c.replies.len())
            };
            let marker = if k == selected { "▶ " } else { "  " };
            let line = format!("{}: {}{replies}", clean(&c.author), clean(&c.text));
            Some(Line::from(vec![
                Span::styled(marker, t.id),
                Span::styled(
                    format!("#{} ", clean(&c.id)),
                    if k == selected { t.focus } else { t.id },
                ),
                Span::styled(format!("{} ", status.0), status.1),
                Span::styled(fit(&line, width.saturating_sub(16)), t.plain),
            ]))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The height the commit banner or form takes at the bottom of Compare.
pub fn commit_height(app: &App) -> u16 {
    match &app.commit {
        Some(c) if c.form => 11,
        Some(_) => 3,
        None => 0,
    }
}

pub fn draw_commit(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let Some(c) = &app.commit else { return };
    if !c.form {
        let block = pane(app, " Committing the next iteration ", true);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(
            Line::from(vec![
                Span::styled("Review the changes against HEAD · ", t.plain),
                Span::styled("C", t.key),
                Span::styled(" write the commit message · ", t.plain),
                Span::styled("Esc", t.key),
                Span::styled(" cancel", t.plain),
            ]),
            inner,
        );
        return;
    }
    let block = pane(
        app,
        " Commit the next iteration · Enter next field (commits on the last) · Esc back ",
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let label_w = 14;
    let field = |name: &str, b: &TextBuffer, f: CommitField| -> Line<'static> {
        let focused = c.field == f;
        let mut line = Line::from(vec![Span::styled(
            format!("{name:<label_w$}"),
            if focused { t.focus } else { t.dim },
        )]);
        if focused {
            line.spans
                .extend(input_line(app, b, width.saturating_sub(label_w)).spans);
        } else {
            line.spans.push(Span::styled(
                fit(&clean(b.text()), width.saturating_sub(label_w)),
                t.plain,
            ));
        }
        line
    };
    let mut lines = vec![
        field("Message", &c.message, CommitField::Message),
        field("Details", &c.details, CommitField::Details),
        field("Tag", &c.tag, CommitField::Tag),
        field("Proposed-by", &c.proposed_by, CommitField::ProposedBy),
        field("On-behalf-of", &c.on_behalf_of, CommitField::OnBehalfOf),
        Line::from(vec![
            Span::styled(format!("{:<label_w$}", "Author"), t.dim),
            Span::styled(
                fit(&clean(&c.author), width.saturating_sub(label_w)),
                t.plain,
            ),
        ]),
    ];
    if matches!(c.field, CommitField::ProposedBy | CommitField::OnBehalfOf) {
        let options = app.commit_completions();
        if !options.is_empty() {
            let shown: Vec<String> = options.iter().take(12).map(|o| clean(o)).collect();
            lines.push(Line::from(vec![
                Span::styled("Tab: ", t.key),
                Span::styled(fit(&shown.join("  "), width.saturating_sub(5)), t.id),
            ]));
        }
    }
    match &c.error {
        Some(e) => lines.push(Line::styled(fit(&clean(e), width), t.error)),
        None => lines.push(Line::styled(
            "Details (what this iteration did), Tag (rev4), Proposed-by and On-behalf-of (actor codes, commas): optional.",
            t.dim,
        )),
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A question over everything: the draft changed on disk, or quitting with unsaved edits.
pub fn draw_question(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let (title, text, table): (&str, String, &[Binding]) = match &app.mode {
        Some(Mode::Conflict { .. }) => (
            " The draft changed on disk ",
            format!(
                "{} was changed since brackets loaded it (another editor, a git pull). Your edits are not saved. Nothing is overwritten unless you say so.",
                app.drafting
                    .as_ref()
                    .map(|s| clean(&s.rel))
                    .unwrap_or_default()
            ),
            keys::CONFLICT,
        ),
        Some(Mode::ConfirmQuit) => (
            " Unsaved edits ",
            format!(
                "{} has edits that are not saved.",
                app.drafting
                    .as_ref()
                    .map(|s| clean(&s.rel))
                    .unwrap_or_default()
            ),
            keys::QUIT_CONFIRM,
        ),
        _ => return,
    };
    let w = area.width.min(64);
    let mut lines = vec![Line::styled(text, t.plain), Line::default()];
    for b in table {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<10}", b.key_names()), t.key),
            Span::styled(b.help, t.plain),
        ]));
    }
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    let text_rows = lines
        .first()
        .map_or(1, |l| l.width().div_ceil(inner_w).max(1));
    let h = ((text_rows + lines.len() - 1 + 2) as u16).min(area.height);
    let popup = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    );
    frame.render_widget(Clear, popup);
    let block = pane(app, title, true).border_style(t.error);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
