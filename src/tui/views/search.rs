//! Search: a query line with results updating as you type, snippets with the matches
//! highlighted, a preview of the selected hit; Enter reads its paragraph.

use super::pane;
use crate::tui::app::{App, scrolled};
use crate::tui::wrap::{Styled, clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let s = &app.search;
    let [query_area, info_area, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    // The query line.
    let scope = if s.all {
        "all iterations"
    } else {
        "newest iterations"
    };
    let mut line = vec![
        Span::styled("Search ", t.title),
        Span::styled(format!("({scope}): "), t.dim),
        Span::styled(clean(&s.query), t.plain),
    ];
    if s.editing {
        line.push(Span::styled("█", t.key));
    }
    frame.render_widget(Line::from(line), query_area);
    // What the index is doing, or what the results are.
    let info: Line<'_> = if let Some(why) = &s.unavailable {
        Line::styled(fit(&clean(why), usize::from(area.width)), t.error)
    } else if !s.ready {
        Line::styled(
            s.status
                .clone()
                .unwrap_or_else(|| "opening the search index…".into()),
            t.dim,
        )
    } else if let Some(a) = s.answer.as_ref().filter(|a| a.problem.is_some()) {
        // The query cannot be read whole: the problem has the line (the hits pane says what
        // its hits are for).
        let problem = a.problem.as_deref().unwrap_or_default();
        Line::styled(fit(&clean(problem), usize::from(area.width)), t.error)
    } else if let Some(a) = &s.answer {
        let mut spans = vec![Span::styled(
            format!(
                "{}{} {}{}",
                if a.results.total_at_least {
                    "at least "
                } else {
                    ""
                },
                a.results.total,
                if a.results.total == 1 { "hit" } else { "hits" },
                if a.results.total > a.results.hits.len() {
                    format!(", best {} shown", a.results.hits.len())
                } else {
                    String::new()
                }
            ),
            t.dim,
        )];
        if let Some(n) = &s.note {
            spans.push(Span::styled(format!("  {}", clean(n)), t.dim));
        }
        Line::from(spans)
    } else {
        Line::styled(
            "words, \"phrases\", prefix*, actor:USA stance:oppose kind:bracket para:OP4 draft: rev:, AND OR NOT",
            t.dim,
        )
    };
    frame.render_widget(info, info_area);
    let hint = if s.editing {
        " Esc stops typing · ↑↓ select · Enter reads · Ctrl-a all iterations "
    } else {
        " / types · a all iterations · Enter reads "
    };
    let Some(a) = s.answer.as_ref().filter(|a| !a.results.hits.is_empty()) else {
        let block = pane(app, " Hits ", true).title_bottom(Line::styled(hint, t.dim));
        frame.render_widget(block, body);
        return;
    };
    let hits = &a.results.hits;
    let [list, preview] = if body.width >= 100 {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Min(10)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(60), Constraint::Min(3)]).areas(body)
    };
    let block = pane(
        app,
        format!(
            " {} {}{} ",
            hits.len(),
            if hits.len() == 1 { "hit" } else { "hits" },
            if a.problem.is_some() {
                " of the query up to the problem"
            } else {
                ""
            }
        ),
        true,
    )
    .title_bottom(Line::styled(hint, t.dim));
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let width = usize::from(inner.width);
    let per = 2;
    let height = (usize::from(inner.height) / per).max(1);
    let offset = scrolled(s.offset.get(), s.selected, hits.len(), height);
    s.offset.set(offset);
    app.hits
        .borrow_mut()
        .push((inner, crate::tui::app::Hit::SearchRow(offset)));
    let mut lines = Vec::new();
    for (i, h) in hits.iter().enumerate().skip(offset).take(height) {
        let selected = i == s.selected;
        let base = if selected { t.selection } else { t.plain };
        let head = format!(
            "{} {} {} · {}",
            clean(&h.paragraph),
            h.kind.as_str(),
            clean(if s.all { &h.span } else { &h.revision }),
            clean(h.draft.rsplit('/').next().unwrap_or(&h.draft)),
        );
        let head = fit(&head, width);
        let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(head.as_str()));
        lines.push(Line::from(vec![
            Span::styled(head, base.patch(t.id)),
            Span::styled(" ".repeat(pad), base),
        ]));
        lines.push(snippet(&app.theme, h, width));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    // The preview.
    let Some(h) = hits.get(s.selected) else {
        return;
    };
    let block = pane(
        app,
        format!(" {} · {} ", clean(&h.paragraph), clean(&h.draft)),
        false,
    );
    let inner = block.inner(preview);
    frame.render_widget(block, preview);
    let width = usize::from(inner.width);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut text = Styled::new();
    text.push(
        if h.kind == crate::index::query::Kind::Bracket {
            t.bracketed
        } else {
            t.plain
        },
        &h.text,
    );
    out.extend(text.wrap(width, vec![], 0));
    if !h.attribution.is_empty() {
        let mut at = Styled::new();
        at.push(t.group, &h.attribution);
        out.extend(at.wrap(width, vec![], 0));
    }
    out.push(Line::default());
    let mut meta = Styled::new();
    meta.push(t.dim, "section ");
    meta.push(t.plain, &h.section);
    meta.push(t.dim, " · found in ");
    meta.push(
        t.id,
        if h.span.is_empty() {
            &h.revision
        } else {
            &h.span
        },
    );
    if let Some(a) = &h.author {
        meta.push(t.dim, " · by ");
        meta.push(t.plain, a);
    }
    out.extend(meta.wrap(width, vec![], 0));
    let shown: Vec<Line<'static>> = out.into_iter().take(usize::from(inner.height)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The snippet on one line, matches highlighted.
fn snippet(t: &crate::tui::theme::Theme, h: &crate::index::Hit, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw("  ")];
    let src = &h.snippet;
    let mut ranges = h.highlights.clone();
    ranges.sort_by_key(|r| r.start);
    // A first match past the row's end would be cut off: start the row a few words before it.
    let mut at = 0;
    if let Some(first) = ranges.first() {
        let columns = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let before = src.get(..first.start).unwrap_or("");
        let word = src.get(first.clone()).unwrap_or("");
        if 2 + columns(before) + columns(word) > width {
            let keep = width / 3;
            let (mut used, mut cut) = (0, first.start);
            for (i, c) in before.char_indices().rev() {
                used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if used > keep {
                    break;
                }
                cut = i;
            }
            // From the start of a word.
            if let Some(space) = before.get(cut..).and_then(|b| b.find(' ')) {
                cut += space + 1;
            }
            at = cut;
            spans.push(Span::styled("…", t.dim));
        }
    }
    for r in ranges {
        let (Some(before), Some(hit)) = (src.get(at..r.start), src.get(r.start..r.end)) else {
            continue;
        };
        spans.push(Span::styled(clean(before), t.dim));
        spans.push(Span::styled(clean(hit), t.focus));
        at = r.end;
    }
    spans.push(Span::styled(clean(src.get(at..).unwrap_or("")), t.dim));
    // Cut to the width.
    let mut used = 0;
    let mut out = Vec::new();
    for s in spans {
        let w = s.width();
        if used + w <= width {
            used += w;
            out.push(s);
        } else {
            let rest = fit(&s.content, width.saturating_sub(used));
            out.push(Span::styled(rest, s.style));
            break;
        }
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::snippet;
    use crate::index::{Hit, query::Kind};

    fn hit(snippet: &str, word: &str) -> Hit {
        let at = snippet.find(word).unwrap_or(0);
        Hit {
            draft: "resolution.md".into(),
            revision: "rev1".into(),
            paragraph: "OP4".into(),
            section: "Operative part".into(),
            kind: Kind::Paragraph,
            snippet: snippet.into(),
            highlights: std::iter::once(at..at + word.len()).collect(),
            score: 1.0,
            text: snippet.into(),
            attribution: String::new(),
            author: None,
            revisions: Vec::new(),
            span: String::new(),
        }
    }

    fn shown(line: &ratatui::text::Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_match_past_the_rows_end_is_shown_with_the_words_before_it() {
        let theme = crate::tui::theme::Theme::mono();
        let long = "Encourages Member States to ensure that the design, deployment and use of \
                    digital technologies in cities respect human rights, including the right \
                    to privacy…";
        let row = shown(&snippet(&theme, &hit(long, "privacy"), 40));
        assert!(row.contains("privacy"), "{row}");
        assert!(row.starts_with("  …"), "{row}");
        assert!(
            unicode_width::UnicodeWidthStr::width(row.as_str()) <= 40,
            "{row}"
        );
        // Cut at a word: the row starts with a whole word after the ellipsis.
        let first = row.trim_start_matches([' ', '…']);
        assert!(long.contains(&format!(" {first}")), "{row}");
        // A match that fits is shown from the snippet's start.
        let near = shown(&snippet(&theme, &hit(long, "Member"), 40));
        assert!(near.starts_with("  Encourages Member"), "{near}");
    }
}
