//! Compare: two iterations paragraph by paragraph. On the left, every paragraph with a marker
//! for what happened to it; on the right, the selected one's word-level diff (inline, or old
//! and new side by side) and what happened to each bracketed proposal.

use super::pane;
use crate::diff::{BracketChange, BracketChangeKind, ChangeKind, ParagraphChange, SpanKind};
use crate::model::Stance;
use crate::tui::app::{App, Hit, KindFilter, scrolled};
use crate::tui::theme::Theme;
use crate::tui::wrap::{Styled, clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::collections::BTreeMap;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let h = super::drafting::commit_height(app).min(area.height.saturating_sub(3));
    let main = Rect::new(area.x, area.y, area.width, area.height - h);
    draw_diff(frame, app, main);
    if h > 0 {
        let form = Rect::new(area.x, area.y + main.height, area.width, h);
        super::drafting::draw_commit(frame, app, form);
    }
}

fn draw_diff(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let label = |i: usize| {
        app.iteration(i)
            .map_or(String::new(), |it| clean(&it.label))
    };
    let mut head = vec![
        Span::styled(label(app.compare.old), t.id),
        Span::styled(" → ", t.dim),
        Span::styled(label(app.compare.new), t.id),
        Span::styled(
            if app.compare.side_by_side {
                "  side by side"
            } else {
                "  inline"
            },
            t.title,
        ),
        Span::styled(format!("  showing {}", app.compare.kind.label()), t.dim),
    ];
    if let Some(a) = &app.compare.actor {
        head.push(Span::styled("  actor: ", t.dim));
        head.push(Span::styled(clean(a), t.focus));
    }
    frame.render_widget(Line::from(head), Rect::new(area.x, area.y, area.width, 1));
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    let Some((_, diff)) = &app.compare.diff else {
        let why = if app.iterations_len() < 2 {
            "This draft has one iteration: nothing to compare."
        } else if app.compare.pending.is_some() {
            "Comparing…"
        } else {
            "Parsing the two iterations…"
        };
        frame.render_widget(Paragraph::new(why).style(t.dim), body);
        return;
    };
    let rows = app.compare_rows();
    let list_w = (body.width / 3).clamp(18, 34);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(10)]).areas(body);

    // The list.
    // Counted as the list labels them: a paragraph whose text stayed the same is not changed,
    // even when it is flagged newly agreed or reopened.
    let changed = diff
        .changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Unchanged || !c.brackets.is_empty())
        .count();
    let block = pane(
        app,
        format!(" {} of {} changed ", changed, diff.changes.len()),
        true,
    );
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let height = usize::from(inner.height);
    let offset = scrolled(
        app.compare.list_offset.get(),
        app.compare.selected,
        rows.len(),
        height,
    );
    app.compare.list_offset.set(offset);
    app.hits.borrow_mut().push((inner, Hit::ChangeRow(offset)));
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(r, &ci)| {
            let c = &diff.changes[ci];
            let (mark, style) = t.change(c.kind);
            let kind = kind_label(c);
            let flag = if c.reopened {
                "!"
            } else if c.newly_agreed {
                "✓"
            } else {
                " "
            };
            let ids = fit(&ids(c), width.saturating_sub(kind.len() + 5).max(4));
            let selected = r == app.compare.selected;
            let base = if selected { t.selection } else { t.plain };
            let text = format!("{ids:w$} {kind}", w = width.saturating_sub(kind.len() + 5));
            let text = fit(&text, width.saturating_sub(4));
            let used = 4 + unicode_width::UnicodeWidthStr::width(text.as_str());
            Line::from(vec![
                Span::styled(format!("{mark} "), base.patch(style)),
                Span::styled(
                    format!("{flag} "),
                    base.patch(if c.reopened { t.reopened } else { t.agreed }),
                ),
                Span::styled(
                    text,
                    base.patch(if c.is_change() { t.plain } else { t.dim }),
                ),
                Span::styled(" ".repeat(width.saturating_sub(used)), base),
            ])
        })
        .collect();
    if lines.is_empty() {
        let why = match app.compare.kind {
            KindFilter::All if app.compare.actor.is_none() => "no paragraphs",
            _ => "nothing matches the filter (x clears it)",
        };
        frame.render_widget(Paragraph::new(why).style(t.dim), inner);
    } else {
        frame.render_widget(Paragraph::new(lines), inner);
    }

    // The detail.
    let Some(c) = app.selected_change() else {
        frame.render_widget(pane(app, " Detail ", false), right);
        return;
    };
    let title = format!(" {} · {} ", ids(c), c.kind.as_str());
    let block = pane(app, title, false);
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let scroll = usize::from(app.compare.detail_scroll);
    let width = usize::from(inner.width);
    let lines = if app.compare.side_by_side && width >= 30 {
        side_by_side(app, c, width)
    } else {
        detail(app, c, width)
    };
    let shown: Vec<Line<'_>> = lines
        .into_iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

fn ids(c: &ParagraphChange) -> String {
    let join = |v: &[String]| clean(&v.join(", "));
    match (c.old.is_empty(), c.new.is_empty()) {
        (true, _) => join(&c.new),
        (_, true) => join(&c.old),
        _ if c.old == c.new => join(&c.new),
        _ => format!("{} → {}", join(&c.old), join(&c.new)),
    }
}

/// The head of the detail: similarity, agreement, reopened text.
fn summary(app: &App, c: &ParagraphChange, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    let mut s = Styled::new();
    let (_, style) = t.change(c.kind);
    s.push(style, c.kind.as_str());
    if let Some(rule) = c.rule {
        s.push(
            t.dim,
            &format!("  similarity {:.2} ({})", c.similarity, rule.as_str()),
        );
    }
    if !c.section.is_empty() {
        s.push(t.dim, &format!("  section {}", c.section));
    }
    if c.newly_agreed {
        s.push(t.plain, "  ");
        s.push(t.agreed, "✓ agreed ad ref");
    }
    out.extend(s.wrap(width, vec![], 2));
    if c.reopened {
        let mut s = Styled::new();
        s.push(t.reopened, "! AGREED TEXT REOPENED");
        s.push(t.error, " text that stood agreed has changed");
        out.extend(s.wrap(width, vec![], 2));
    }
    out.push(Line::default());
    out
}

/// The inline detail: summary, word diff, bracket changes.
fn detail(app: &App, c: &ParagraphChange, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = summary(app, c, width);
    if c.words.is_empty() {
        out.push(Line::styled("The text is the same.", t.dim));
    } else {
        let mut s = Styled::new();
        push_words(&mut s, t, &c.words, None);
        out.extend(s.wrap(width, vec![], 0));
    }
    out.extend(brackets(app, c, width));
    out
}

/// Old and new text in two columns, then the bracket changes.
fn side_by_side(app: &App, c: &ParagraphChange, width: usize) -> Vec<Line<'static>> {
    let half = (width - 3) / 2;
    let (old, new) = side_texts(app, c, half);
    let mut out = summary(app, c, width);
    for i in 0..old.len().max(new.len()) {
        let mut spans: Vec<Span<'static>> = Vec::new();
        let left = old.get(i).cloned().unwrap_or_default();
        let used = left.width();
        spans.extend(left.spans);
        spans.push(Span::raw(" ".repeat(half.saturating_sub(used))));
        spans.push(Span::styled(" │ ", app.theme.dim));
        if let Some(right) = new.get(i) {
            spans.extend(right.spans.iter().cloned());
        }
        out.push(Line::from(spans));
    }
    out.extend(brackets(app, c, width));
    out
}

fn side_texts(
    app: &App,
    c: &ParagraphChange,
    width: usize,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let t = &app.theme;
    let mut old = Styled::new();
    let mut new = Styled::new();
    push_words(&mut old, t, &c.words, Some(SpanKind::Deleted));
    push_words(&mut new, t, &c.words, Some(SpanKind::Inserted));
    let head = |s: &str| vec![Span::styled(s.to_string(), t.dim)];
    let mut o = vec![Line::from(head("old"))];
    let mut n = vec![Line::from(head("new"))];
    if c.words.is_empty() {
        o.push(Line::styled("(the same)", t.dim));
        n.push(Line::styled("(the same)", t.dim));
    } else {
        o.extend(old.wrap(width, vec![], 0));
        n.extend(new.wrap(width, vec![], 0));
    }
    (o, n)
}

/// Word spans into styled text; `side` keeps only the equal words and that side's changes.
fn push_words(s: &mut Styled, t: &Theme, words: &[crate::diff::WordSpan], side: Option<SpanKind>) {
    for w in words {
        match (w.kind, side) {
            (SpanKind::Equal, _) => s.push(t.plain, &w.text),
            (k, Some(only)) if k != only => {}
            // Without colour, git's word-diff markers keep the change readable.
            (SpanKind::Deleted, _) if !t.color => {
                s.push(t.word_deleted, &format!("[-{}-]", w.text))
            }
            (SpanKind::Inserted, _) if !t.color => {
                s.push(t.word_inserted, &format!("{{+{}+}}", w.text))
            }
            (SpanKind::Deleted, _) => s.push(t.word_deleted, &w.text),
            (SpanKind::Inserted, _) => s.push(t.word_inserted, &w.text),
        }
    }
}

fn brackets(app: &App, c: &ParagraphChange, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut out = Vec::new();
    if c.brackets.is_empty() {
        return out;
    }
    out.push(Line::default());
    out.push(Line::styled(
        format!("Proposals ({})", c.brackets.len()),
        t.heading,
    ));
    for b in &c.brackets {
        let s = bracket_line(t, b, app.compare.actor.as_deref());
        out.extend(s.wrap(width, vec![Span::styled("• ", t.dim)], 2));
    }
    out
}

/// As in `brackets diff`: the word diff above shows the whole text.
fn quote(text: &str) -> String {
    crate::text::quote_bracket(text, 70)
}

/// One bracket change in words: what happened, to which text, who stands where.
fn bracket_line(t: &Theme, b: &BracketChange, focus: Option<&str>) -> Styled {
    use BracketChangeKind as K;
    let mut s = Styled::new();
    let actor_style = |a: &str| {
        if focus == Some(a) { t.focus } else { t.id }
    };
    let proposer = b
        .positions
        .iter()
        .find(|p| p.proposer)
        .map(|p| p.actor.as_str());
    let (verb, style) = match b.kind {
        K::Proposed => ("proposed", t.change_added),
        K::Bracketed => ("bracketed", t.change_modified),
        K::Dropped => ("dropped", t.change_removed),
        K::Agreed => ("agreed", t.agreed),
        K::Regrouped => ("regrouped", t.change_structure),
        K::Edited => ("edited", t.change_modified),
        K::Joined => ("joined", t.change_added),
        K::Left => ("left", t.change_removed),
        K::ChangedStance => ("changed stance", t.change_modified),
        K::ReservationPlaced => ("reservation placed", t.stance(Stance::Reserve)),
        K::ReservationLifted => ("reservation lifted", t.agreed),
        K::NoteAdded => ("note added", t.note),
        K::NoteRemoved => ("note removed", t.dim),
    };
    s.push(style, verb);
    s.push(t.plain, " ");
    match b.kind {
        K::Joined | K::Left | K::ChangedStance | K::ReservationPlaced | K::ReservationLifted => {
            if let Some(a) = &b.actor {
                s.push(actor_style(a), a);
                s.push(t.plain, " ");
            }
            if let Some(st) = b.stance {
                if let Some(old) = b.old_stance {
                    s.push(t.stance(old), old.as_str());
                    s.push(t.dim, " → ");
                }
                s.push(t.stance(st), st.as_str());
                s.push(t.plain, " ");
            }
            s.push(t.dim, "on ");
            s.push(t.bracketed, &quote(b.quoted()));
        }
        K::NoteAdded | K::NoteRemoved => {
            if let Some(a) = &b.actor {
                s.push(actor_style(a), a);
                s.push(t.plain, ": ");
            }
            s.push(t.note, &b.text);
        }
        _ => {
            if let Some(old) = &b.old_text {
                s.push(t.word_deleted, &quote(old));
                s.push(t.dim, " → ");
            }
            s.push(t.bracketed, &quote(b.quoted()));
            if let Some(p) = proposer {
                s.push(t.dim, " by ");
                s.push(actor_style(p), p);
            }
            let mut by: BTreeMap<Stance, Vec<&str>> = BTreeMap::new();
            for p in b.positions.iter().filter(|p| !p.proposer) {
                by.entry(p.stance).or_default().push(&p.actor);
            }
            for (stance, actors) in by {
                s.push(t.dim, "; ");
                s.push(t.stance(stance), stance.as_str());
                s.push(t.plain, " ");
                for (i, a) in actors.iter().enumerate() {
                    if i > 0 {
                        s.push(t.plain, " ");
                    }
                    s.push(actor_style(a), a);
                }
            }
        }
    }
    s
}

/// The kind of change a list row names: `positions` for a paragraph whose text is the same but
/// whose brackets were read differently.
fn kind_label(c: &ParagraphChange) -> &'static str {
    if c.kind == ChangeKind::Unchanged && !c.brackets.is_empty() {
        "positions"
    } else {
        c.kind.as_str()
    }
}
