//! Actors: who proposed, supported and opposed what over the whole history (the ledger), one
//! actor's timeline of positions and outcomes, and the position matrix of an iteration as a
//! heat map: where is the opposition concentrated?

use super::pane;
use crate::ledger::{CellStance, Outcome};
use crate::model::Stance;
use crate::tui::app::{ActorsFocus, App, Hit, scrolled};
use crate::tui::wrap::{clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let Some(l) = app.ledger() else {
        let why = if app.progress.is_some() {
            "Following every proposal through the history…"
        } else {
            "No ledger for this draft."
        };
        frame.render_widget(Paragraph::new(why).style(t.dim), area);
        return;
    };
    if app.actors.matrix {
        draw_matrix(frame, app, area);
        return;
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(48), Constraint::Min(10)]).areas(area);

    // The table.
    let focused = app.actors.focus == ActorsFocus::Table;
    let block = pane(
        app,
        format!(
            " {} actors over {} iterations ",
            l.summary.len(),
            l.ledger.steps.len()
        ),
        focused,
    )
    .title_bottom(Line::styled(
        " proposals: prp made, agr agreed, drp dropped, opn open; del: asked to delete; won: success ",
        t.dim,
    ));
    let inner = block.inner(left);
    frame.render_widget(block, left);
    if inner.height < 2 {
        return;
    }
    let width = usize::from(inner.width);
    let head = format!(
        "{:<7}{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>5}  name",
        "actor", "prp", "agr", "drp", "opn", "sup", "opp", "del", "res", "won"
    );
    let mut lines = vec![Line::styled(fit(&head, width), t.heading)];
    let rows = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let height = usize::from(rows.height);
    let offset = scrolled(
        app.actors.table_offset.get(),
        app.actors.selected,
        l.summary.len(),
        height,
    );
    app.actors.table_offset.set(offset);
    app.hits.borrow_mut().push((rows, Hit::ActorRow(offset)));
    for (i, a) in l.summary.iter().enumerate().skip(offset).take(height) {
        let selected = i == app.actors.selected;
        let base = if selected && focused {
            t.selection
        } else if selected {
            t.title
        } else {
            t.plain
        };
        let won = a
            .success_rate
            .map_or("–".to_string(), |r| format!("{:.0}%", r * 100.0));
        let nums = format!(
            "{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>4}{:>5}",
            a.proposals,
            a.agreed,
            a.dropped,
            a.open,
            a.supported,
            a.opposed,
            a.deletions,
            a.reserved,
            won
        );
        let code = fit(&clean(&a.actor), 6);
        let name = a.name.as_deref().map(clean).unwrap_or_default();
        let used = 7 + nums.chars().count();
        let name = fit(&name, width.saturating_sub(used + 2));
        let pad = width.saturating_sub(used + 2 + name.chars().count());
        lines.push(Line::from(vec![
            Span::styled(format!("{code:<7}"), base.patch(t.id)),
            Span::styled(nums, base),
            Span::styled(format!("  {name}{}", " ".repeat(pad)), base.patch(t.dim)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    // The timeline.
    let focused = app.actors.focus == ActorsFocus::Timeline;
    let Some((_, tl)) = &app.actors.timeline else {
        frame.render_widget(pane(app, " Timeline ", focused), right);
        return;
    };
    let block = pane(
        app,
        format!(" {} · {} positions ", clean(&tl.actor), tl.entries.len()),
        focused,
    );
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let width = usize::from(inner.width);
    let per = 2;
    let height = usize::from(inner.height) / per;
    let offset = scrolled(
        app.actors.entry_offset.get(),
        app.actors.entry,
        tl.entries.len(),
        height.max(1),
    );
    app.actors.entry_offset.set(offset);
    app.hits.borrow_mut().push((inner, Hit::EntryRow(offset)));
    let mut lines = Vec::new();
    if tl.entries.is_empty() {
        lines.push(Line::styled("No positions on bracketed text.", t.dim));
    }
    for (i, e) in tl.entries.iter().enumerate().skip(offset).take(height) {
        let selected = i == app.actors.entry;
        let base = if selected && focused {
            t.selection
        } else {
            t.plain
        };
        let (outcome_style, mark) = match (e.outcome, e.prevailed) {
            (Outcome::Open, _) => (t.bracket_mark, "…"),
            (_, Some(true)) => (t.agreed, "✓"),
            (_, Some(false)) => (t.change_removed, "✗"),
            _ => (t.dim, " "),
        };
        let head = format!(
            "{:<11} {:<9}",
            e.role.as_str(),
            fit(&clean(&e.paragraph), 9)
        );
        let outcome = format!(" {} {}", mark, e.outcome.as_str());
        let text_w = width.saturating_sub(head.chars().count() + outcome.chars().count() + 1);
        let text = fit(&format!(" [{}]", clean(&e.text)), text_w);
        let pad = width
            .saturating_sub(head.chars().count() + text.chars().count() + outcome.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, base.patch(role_style(app, e.role))),
            Span::styled(text, base.patch(t.bracketed)),
            Span::styled(" ".repeat(pad), base),
            Span::styled(outcome, base.patch(outcome_style)),
        ]));
        let span = if e.first == e.last {
            clean(l.ledger.label(e.first))
        } else {
            format!(
                "{} → {}",
                clean(l.ledger.label(e.first)),
                clean(l.ledger.label(e.last))
            )
        };
        let mut second = format!("            {span}");
        if let Some(p) = &e.proposer
            && e.role != crate::ledger::Role::Proposer
        {
            second.push_str(&format!(" · by {}", clean(p)));
        }
        for (said, actors) in [
            ("deletion asked by", &e.deletion_asked_by),
            ("opposed by", &e.opponents),
            ("reservations:", &e.reservations),
        ] {
            let others: Vec<&str> = actors
                .iter()
                .map(String::as_str)
                .filter(|a| *a != tl.actor)
                .collect();
            if !others.is_empty() {
                second.push_str(&format!(" · {said} {}", clean(&others.join(" "))));
            }
        }
        if e.isolated {
            second.push_str(" · alone");
        }
        lines.push(Line::styled(fit(&second, width), t.dim));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn role_style(app: &App, role: crate::ledger::Role) -> Style {
    use crate::ledger::Role;
    let t = &app.theme;
    match role {
        Role::Proposer => t.title,
        Role::Supporter => t.stance(Stance::Support),
        Role::Opponent => t.stance(Stance::Oppose),
        Role::Deletion => t.stance(Stance::Delete),
        Role::Reservation => t.stance(Stance::Reserve),
    }
}

fn cell_style(app: &App, c: CellStance) -> Style {
    let t = &app.theme;
    match c {
        CellStance::Proposer => t.title.patch(t.stance(Stance::Support)),
        CellStance::Support => t.stance(Stance::Support),
        CellStance::Oppose => t.stance(Stance::Oppose),
        CellStance::Reserve => t.stance(Stance::Reserve),
        CellStance::Delete => t.stance(Stance::Delete),
        CellStance::Note => t.note,
        CellStance::Mixed => t.change_modified,
    }
}

/// Actors down, paragraphs across, one mark per cell in its stance colour; under it, how many
/// actors oppose, ask to delete or reserve in each paragraph.
fn draw_matrix(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let label = app
        .iteration(app.read.iteration)
        .map_or(String::new(), |i| clean(&i.label));
    let block = pane(
        app,
        format!(" Position matrix at {label} ([ ] other iterations) "),
        true,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some((_, m)) = &app.actors.matrix_data else {
        frame.render_widget(Paragraph::new("Parsing…").style(t.dim), inner);
        return;
    };
    if m.rows.is_empty() || m.paragraphs.is_empty() || inner.height < 5 || inner.width < 12 {
        frame.render_widget(
            Paragraph::new(format!(
                "Nobody takes a position in {label}: [ and ] go to other iterations."
            ))
            .style(t.dim),
            inner,
        );
        return;
    }
    let name_w = 7usize;
    let cell_w = 2usize;
    let cols = (usize::from(inner.width).saturating_sub(name_w)) / cell_w;
    // Rows: header, actors..., against-count, blank, detail, legend.
    let rows_h = usize::from(inner.height).saturating_sub(5);
    let (r, c) = app.actors.cell;
    let (r, c) = (r.min(m.rows.len() - 1), c.min(m.paragraphs.len() - 1));
    let (ro, co) = app.actors.matrix_offset.get();
    let ro = scrolled(ro, r, m.rows.len(), rows_h.max(1));
    let co = scrolled(co, c, m.paragraphs.len(), cols.max(1));
    app.actors.matrix_offset.set((ro, co));
    let mut lines = Vec::new();
    // Header: the selected paragraph's id above its column, ticks elsewhere.
    let mut head = vec![Span::styled(format!("{:<name_w$}", "para"), t.dim)];
    for j in co..(co + cols).min(m.paragraphs.len()) {
        let id = &m.paragraphs[j];
        let tick = if id.starts_with("OP") && !id.contains('.') {
            "┃ "
        } else {
            "│ "
        };
        head.push(Span::styled(tick, if j == c { t.focus } else { t.dim }));
    }
    lines.push(Line::from(head));
    for i in ro..(ro + rows_h).min(m.rows.len()) {
        let row = &m.rows[i];
        let mut spans = vec![Span::styled(
            format!("{:<name_w$}", fit(&clean(&row.actor), name_w - 1)),
            if i == r { t.focus } else { t.id },
        )];
        for j in co..(co + cols).min(m.paragraphs.len()) {
            let (mark, style) = match &row.cells[j] {
                Some(cell) => (cell.stance.mark(), cell_style(app, cell.stance)),
                None => ("·", t.dim),
            };
            let style = if i == r && j == c {
                style.patch(t.selection)
            } else {
                style
            };
            spans.push(Span::styled(format!("{mark:<cell_w$}"), style));
        }
        lines.push(Line::from(spans));
    }
    // How many actors stand against something in each paragraph: the heat.
    let against: Vec<usize> = (0..m.paragraphs.len())
        .map(|j| {
            m.rows
                .iter()
                .filter(|row| {
                    row.cells[j].as_ref().is_some_and(|cell| {
                        cell.stances
                            .iter()
                            .any(|s| matches!(s, Stance::Oppose | Stance::Delete | Stance::Reserve))
                    })
                })
                .count()
        })
        .collect();
    let mut spans = vec![Span::styled(format!("{:<name_w$}", "against"), t.dim)];
    for (j, &n) in against.iter().enumerate().skip(co).take(cols) {
        let mark = match n {
            0 => "·".to_string(),
            1..=9 => n.to_string(),
            _ => "+".to_string(),
        };
        let style = match n {
            0 => t.dim,
            1 => t.plain,
            2 | 3 => t.change_modified,
            _ => t.reopened,
        };
        let style = if j == c {
            style.patch(t.selection)
        } else {
            style
        };
        spans.push(Span::styled(format!("{mark:<cell_w$}"), style));
    }
    lines.push(Line::from(spans));
    lines.push(Line::default());
    // The selected cell in words.
    let row = &m.rows[r];
    let para = &m.paragraphs[c];
    let mut detail = vec![
        Span::styled(clean(&row.actor), t.id),
        Span::styled(
            row.name
                .as_deref()
                .map_or(String::new(), |n| format!(" ({})", clean(n))),
            t.dim,
        ),
        Span::styled(" on ", t.dim),
        Span::styled(clean(para), t.id),
        Span::raw(": "),
    ];
    match &row.cells[c] {
        Some(cell) => {
            detail.push(Span::styled(
                cell.stance.as_str(),
                cell_style(app, cell.stance),
            ));
            let all: Vec<&str> = cell.stances.iter().map(|s| s.as_str()).collect();
            detail.push(Span::styled(
                format!(" ({}; {} positions)", all.join(", "), cell.count),
                t.dim,
            ));
        }
        None => detail.push(Span::styled("no position", t.dim)),
    }
    detail.push(Span::styled(
        format!("  · {} against here", against[c]),
        t.dim,
    ));
    lines.push(Line::from(detail));
    lines.push(Line::styled(
        fit(
            "P proposes  + supports  - opposes  R reserves  D delete  n note  ± mixed  · none",
            usize::from(inner.width),
        ),
        t.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
