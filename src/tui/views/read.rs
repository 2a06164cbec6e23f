//! Read: a draft at one iteration as a negotiator reads it: sections, paragraph ids, bracketed
//! text with every position in its stance colour, agreed paragraphs marked; or the agreed-text
//! view, where only what stands outside the brackets is shown.

use crate::model::{BlockKind, Document, Group, LeafKind, Level, SectionKind, Span as SrcSpan};
use crate::tui::app::{App, Hit, ReadKey, ReadLayout};
use crate::tui::drafting::Mode;
use crate::tui::theme::Theme;
use crate::tui::wrap::{Styled, clean};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let h = super::drafting::read_pane_height(app, area);
    let text = Rect::new(area.x, area.y, area.width, area.height - h);
    draw_text(frame, app, text);
    if h > 0 {
        let pane = Rect::new(area.x, area.y + text.height, area.width, h);
        super::drafting::draw_read_pane(frame, app, pane);
    }
}

fn draw_text(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let Some(it) = app.iteration(app.read.iteration) else {
        frame.render_widget(Paragraph::new("No draft to read.").style(t.dim), area);
        return;
    };
    let Some(doc) = it.doc.as_ref() else {
        frame.render_widget(
            Paragraph::new(format!("Parsing {}…", clean(&it.label))).style(t.dim),
            area,
        );
        return;
    };
    // The line above the text: which iteration, which reading, which filter.
    let mut head = vec![
        Span::styled(clean(&it.label), t.id),
        Span::styled(format!("  {}  ", clean(&it.date)), t.dim),
        Span::styled(
            if app.read.agreed_view {
                "agreed-text view"
            } else {
                "compilation view"
            },
            t.title,
        ),
    ];
    // The actor filter first: on a narrow terminal the counts are what gets cut.
    if let Some(a) = &app.read.actor {
        head.push(Span::styled("  actor: ", t.dim));
        head.push(Span::styled(clean(a), t.focus));
    }
    if let Some(c) = it.counts {
        head.push(Span::styled(
            format!(
                "  {} open brackets · {}/{} agreed ad ref · {}/{} without brackets",
                c.open_brackets, c.agreed, c.paragraphs, c.clean, c.paragraphs
            ),
            t.dim,
        ));
    }
    let head_area = Rect::new(area.x, area.y, area.width, 1.min(area.height));
    frame.render_widget(Line::from(head), head_area);
    let body = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(1),
    );
    // The layout depends on the text, the width, the reading and the filter, not on the
    // selection: it is kept between frames.
    let key = ReadKey {
        draft: app.draft,
        iteration: app.read.iteration,
        width: body.width,
        agreed: app.read.agreed_view,
        actor: app.read.actor.clone(),
        color: t.color,
    };
    let cached = {
        let cache = app.read.cache.borrow();
        cache
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, l)| l.clone())
    };
    let laid = match cached {
        Some(l) => l,
        None => {
            let l = std::sync::Arc::new(layout(app, doc, usize::from(body.width)));
            *app.read.cache.borrow_mut() = Some((key, l.clone()));
            l
        }
    };
    let (lines, starts) = (&laid.0, &laid.1);
    let height = usize::from(body.height);
    // Keep the selected paragraph in sight, its first line as high as needed.
    let sel = starts
        .iter()
        .position(|(p, _)| *p == app.read.paragraph)
        .unwrap_or(0);
    let (sel_start, sel_end) = match starts.get(sel) {
        Some(&(_, s)) => (s, starts.get(sel + 1).map_or(lines.len(), |&(_, e)| e)),
        None => (0, 0),
    };
    let mut scroll = app.read.scroll.get().min(lines.len().saturating_sub(1));
    let jumped = app.read.jumped.replace(false);
    let here = (app.draft, app.read.iteration, app.read.paragraph);
    let within = match app.read.within.get() {
        (k, n) if k == here => n,
        _ => 0,
    };
    // Another paragraph starts at its top, also when the selection comes back to this one.
    app.read.within.set((here, within));
    if within > 0 && sel_end > sel_start {
        // Inside a paragraph taller than the view: its text scrolled (PgDn/PgUp, the wheel).
        let top = sel_start.saturating_sub(1);
        scroll = (top + within).min(sel_end.saturating_sub(height).max(top));
    } else if jumped || sel_start < scroll {
        scroll = sel_start.saturating_sub(1);
    } else if sel_end > scroll + height {
        scroll = sel_end
            .saturating_sub(height)
            .min(sel_start.saturating_sub(1));
    }
    app.read.scroll.set(scroll);
    *app.read.layout.borrow_mut() = ReadLayout {
        starts: starts.to_vec(),
        height,
        lines: lines.len(),
    };
    app.hits.borrow_mut().push((body, Hit::ReadLine(scroll)));
    let mut shown: Vec<Line<'static>> = lines.iter().skip(scroll).take(height).cloned().collect();
    // While selecting words, the paragraph is drawn again with them marked (same wrapping:
    // styles do not move words).
    if let Some(Mode::Select {
        paragraph,
        words,
        anchor,
        cursor,
    }) = &app.mode
        && *paragraph == app.read.paragraph
        && !app.read.agreed_view
        && sel_end > sel_start
    {
        let (lo, hi) = ((*anchor).min(*cursor), (*anchor).max(*cursor));
        if let (Some(a), Some(b), Some(c)) = (words.get(lo), words.get(hi), words.get(*cursor)) {
            let marks = Some((SrcSpan::new(a.start, b.end), *c));
            let marked = paragraph_marked(
                app,
                doc,
                *paragraph,
                usize::from(body.width).max(20),
                gutter_of(doc),
                marks,
            );
            for (k, line) in marked.into_iter().enumerate() {
                let at = sel_start + k;
                if at >= sel_end || at < scroll {
                    continue;
                }
                if let Some(slot) = shown.get_mut(at - scroll) {
                    *slot = line;
                }
            }
        }
    }
    // The selection: the id reversed, a bar down the paragraph's other lines.
    for (k, line) in shown.iter_mut().enumerate() {
        let at = scroll + k;
        if at < sel_start || at >= sel_end || sel_end == 0 {
            continue;
        }
        if at == sel_start {
            if let Some(first) = line.spans.first_mut() {
                first.style = t.focus;
            }
        } else if let Some(first) = line.spans.first()
            && first.content.starts_with(' ')
        {
            let rest: String = first.content.chars().skip(1).collect();
            line.spans[0] = Span::raw(rest);
            line.spans.insert(0, Span::styled("▌", t.id));
        }
    }
    if shown.is_empty() {
        let why = match &app.read.actor {
            Some(a) => format!("{} takes no position in this iteration.", clean(a)),
            None => "This iteration has no paragraphs.".into(),
        };
        frame.render_widget(Paragraph::new(why).style(t.dim), body);
        return;
    }
    frame.render_widget(Paragraph::new(shown), body);
}

/// The whole document as lines for `width` columns, and the first line of each shown
/// paragraph.
pub fn layout(
    app: &App,
    doc: &Document,
    width: usize,
) -> (Vec<Line<'static>>, Vec<(usize, usize)>) {
    let t = &app.theme;
    let width = width.max(20);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut starts = Vec::new();
    let filter = app.read.actor.as_deref();
    if filter.is_none() {
        if let Some(title) = &doc.title {
            let mut s = Styled::new();
            s.push(t.title, &title.text);
            lines.extend(s.wrap(width, vec![], 0));
        }
        for h in &doc.header {
            let mut s = Styled::new();
            s.push(t.dim, &h.text);
            lines.extend(s.wrap(width, vec![], 0));
        }
        if let Some(c) = &doc.chapeau {
            lines.push(Line::default());
            let mut s = Styled::new();
            s.push(t.plain, &c.text);
            lines.extend(s.wrap(width, vec![], 0));
        }
    }
    let gutter = gutter_of(doc);
    let mut section_shown = None;
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Heading(s) if filter.is_none() => {
                let section = &doc.sections[s];
                let title = [section.number.as_deref(), section.title.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut h = Styled::new();
                h.push(t.heading, &title);
                lines.push(Line::default());
                lines.extend(h.wrap(width, vec![], 0));
                section_shown = Some(s);
            }
            BlockKind::Paragraph(pi) => {
                let p = &doc.paragraphs[pi];
                if filter.is_some_and(|a| !p.actors().any(|x| x == a)) {
                    continue;
                }
                if section_shown != Some(p.section) {
                    section_shown = Some(p.section);
                    let name = match doc.sections[p.section].kind {
                        SectionKind::Preamble => "Preamble".to_string(),
                        SectionKind::Operative => "Operative part".to_string(),
                        _ => doc.sections[p.section].name(),
                    };
                    let mut h = Styled::new();
                    h.push(t.heading, &name);
                    lines.push(Line::default());
                    lines.extend(h.wrap(width, vec![], 0));
                    lines.push(Line::default());
                } else if p.level == Level::Paragraph {
                    lines.push(Line::default());
                }
                starts.push((pi, lines.len()));
                lines.extend(paragraph(app, doc, pi, width, gutter));
            }
            _ => {}
        }
    }
    (lines, starts)
}

/// The width of the id column.
fn gutter_of(doc: &Document) -> usize {
    doc.paragraphs
        .iter()
        .map(|p| UnicodeWidthStr::width(clean(&p.id).as_str()))
        .max()
        .unwrap_or(3)
        .clamp(3, 14)
        + 2
}

/// Words marked in a paragraph while selecting: the selection and the cursor's word (source
/// byte ranges).
type Marks = Option<(SrcSpan, SrcSpan)>;

/// Text of a leaf, with the marked words in their styles.
fn push_marked(
    s: &mut Styled,
    t: &Theme,
    style: ratatui::style::Style,
    leaf: SrcSpan,
    src: &str,
    marks: Marks,
) {
    let Some((sel, cur)) = marks else {
        s.push(style, leaf.of(src));
        return;
    };
    // Cut points inside the leaf, in order.
    let mut cuts = vec![leaf.start, leaf.end];
    for b in [sel.start, sel.end, cur.start, cur.end] {
        if b > leaf.start && b < leaf.end {
            cuts.push(b);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let piece = SrcSpan::new(w[0], w[1]);
        let st = if piece.start >= cur.start && piece.end <= cur.end {
            t.focus
        } else if piece.start >= sel.start && piece.end <= sel.end {
            t.selection
        } else {
            style
        };
        s.push(st, piece.of(src));
    }
}

fn paragraph(
    app: &App,
    doc: &Document,
    pi: usize,
    width: usize,
    gutter: usize,
) -> Vec<Line<'static>> {
    paragraph_marked(app, doc, pi, width, gutter, None)
}

fn paragraph_marked(
    app: &App,
    doc: &Document,
    pi: usize,
    width: usize,
    gutter: usize,
    marks: Marks,
) -> Vec<Line<'static>> {
    let t = &app.theme;
    let p = &doc.paragraphs[pi];
    let src = &doc.source;
    let agreed_view = app.read.agreed_view;
    let focus = app.read.actor.as_deref();
    let mut s = Styled::new();
    let mut depth = 0usize;
    for (k, leaf) in p.leaves.iter().enumerate() {
        let text = leaf.span.of(src);
        match leaf.kind {
            // Attributions are hidden: no space is left before the comma after one.
            LeafKind::Text if agreed_view => {
                if depth == 0 && p.groups_before_punctuation(src, k + 1) {
                    s.push(t.plain, text.trim_end());
                } else if depth == 0 {
                    s.push(t.plain, text);
                }
            }
            LeafKind::Text => push_marked(
                &mut s,
                t,
                if depth > 0 { t.bracketed } else { t.plain },
                leaf.span,
                src,
                marks,
            ),
            LeafKind::Break => s.push(t.plain, " "),
            LeafKind::Markup | LeafKind::Label | LeafKind::Stamp => {}
            LeafKind::Open(_) => {
                if !agreed_view {
                    s.push(t.bracket_mark, "[");
                } else if depth == 0 {
                    s.push(t.bracket_mark, "[…]");
                }
                depth += 1;
            }
            LeafKind::Close(_) | LeafKind::OrphanClose(_) => {
                if !agreed_view {
                    s.push(t.bracket_mark, "]");
                }
                depth = depth.saturating_sub(1);
            }
            LeafKind::Group(g) if !agreed_view => group(&mut s, t, src, &p.groups[g], focus),
            LeafKind::Group(_) if p.groups_before_punctuation(src, k) => {}
            LeafKind::Group(_) => s.push(t.plain, " "),
        }
    }
    let id = clean(&p.id);
    let id_w = UnicodeWidthStr::width(id.as_str());
    let first = vec![
        Span::styled(id, t.id),
        Span::raw(" ".repeat(gutter.saturating_sub(id_w).max(1))),
    ];
    let mut out = s.wrap(width, first, gutter);
    let pad = " ".repeat(gutter);
    if let Some(stamp) = &p.agreed {
        let when = [stamp.date.as_deref(), stamp.time.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        out.push(Line::from(vec![
            Span::raw(pad.clone()),
            Span::styled(format!("✓ agreed ad ref {}", clean(&when)), t.agreed),
        ]));
    }
    if let Some(sp) = doc.enclosing_spanning(pi) {
        out.push(Line::from(vec![
            Span::raw(pad),
            Span::styled(
                format!(
                    "⋮ inside the bracket opened in {}",
                    clean(&doc.paragraphs[sp.open_paragraph].id)
                ),
                t.dim,
            ),
        ]));
    }
    out
}

/// An attribution group as written, each position in its stance colour; the filtered actor's
/// positions stand out.
fn group(s: &mut Styled, t: &Theme, src: &str, g: &Group, focus: Option<&str>) {
    let mut at = g.span.start;
    for pos in &g.positions {
        if pos.span.start < at || pos.span.end > g.span.end {
            continue;
        }
        s.push(t.group, SrcSpan::new(at, pos.span.start).of(src));
        let style = if focus == Some(pos.actor.as_str()) {
            t.focus
        } else {
            t.stance(pos.stance)
        };
        s.push(style, pos.span.of(src));
        at = pos.span.end;
    }
    let rest = SrcSpan::new(at, g.span.end).of(src);
    match (&g.note, rest.strip_suffix('}')) {
        (Some(note), Some(body)) => {
            let mine = focus.is_some() && note.actor.as_deref() == focus;
            s.push(if mine { t.focus } else { t.note }, body);
            s.push(t.group, "}");
        }
        _ => s.push(t.group, rest),
    }
}
