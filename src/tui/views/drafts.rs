//! Drafts: the drafts of the repository, the iterations of the selected one with where the
//! negotiation stood at each, and the bracket burndown as a chart.

use super::pane;
use crate::tui::app::{App, DraftsFocus, Hit, scrolled};
use crate::tui::wrap::{clean, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

pub fn draw(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let chart_h = if area.height >= 24 {
        area.height / 2
    } else if area.height >= 16 {
        8
    } else {
        0
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(chart_h)]).areas(area);
    let drafts_w = app
        .workspace
        .as_ref()
        .map(|w| {
            w.drafts
                .iter()
                .map(|d| d.path.chars().count())
                .max()
                .unwrap_or(10)
        })
        .unwrap_or(10)
        .clamp(12, 44) as u16
        + 2;
    let drafts_w = drafts_w.min(top.width / 3);
    let [left, right] =
        Layout::horizontal([Constraint::Length(drafts_w), Constraint::Min(10)]).areas(top);
    draw_drafts(frame, app, left);
    draw_iterations(frame, app, right);
    if chart_h > 0 {
        draw_chart(frame, app, bottom);
    }
}

fn draw_drafts(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let focused = app.drafts.focus == DraftsFocus::Drafts;
    let block = pane(app, " Drafts ", focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(w) = &app.workspace else { return };
    let height = usize::from(inner.height);
    let offset = scrolled(
        app.drafts.drafts_offset.get(),
        app.draft,
        w.drafts.len(),
        height,
    );
    app.drafts.drafts_offset.set(offset);
    app.hits.borrow_mut().push((inner, Hit::DraftRow(offset)));
    let width = usize::from(inner.width);
    let lines: Vec<Line<'_>> = w
        .drafts
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, d)| {
            // The file name matters most: cut the folder, not the name.
            let path = clean(&d.path);
            let shown = if path.chars().count() > width {
                let name = path.rsplit('/').next().unwrap_or(&path);
                fit(name, width)
            } else {
                path
            };
            let style = if i == app.draft {
                if focused { t.selection } else { t.title }
            } else {
                t.plain
            };
            Line::from(Span::styled(format!("{shown:width$}"), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_iterations(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let focused = app.drafts.focus == DraftsFocus::Iterations;
    let title = match app.current_draft() {
        Some(d) => format!(" Iterations of {} ", clean(&d.path)),
        None => " Iterations ".into(),
    };
    let block = pane(app, title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(d) = app.current_draft() else { return };
    if inner.height < 2 {
        return;
    }
    let width = usize::from(inner.width);
    let label_w = d
        .iterations
        .iter()
        .map(|i| i.label.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 18);
    // label  date  open  agreed  clean  author  message
    let head = format!(
        "{:label_w$}  {:16}  {:>5}  {:>7}  {:>7}  {}",
        "iteration", "date", "open", "agreed", "clean", "author · message"
    );
    let mut lines = vec![Line::from(Span::styled(fit(&head, width), t.heading))];
    let rows = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let height = usize::from(rows.height);
    let offset = scrolled(
        app.drafts.iterations_offset.get(),
        app.drafts.iteration,
        d.iterations.len(),
        height,
    );
    app.drafts.iterations_offset.set(offset);
    app.hits
        .borrow_mut()
        .push((rows, Hit::IterationRow(offset)));
    for (i, it) in d.iterations.iter().enumerate().skip(offset).take(height) {
        let (open, agreed, clean_count) = match it.counts {
            Some(c) => (
                c.open_brackets.to_string(),
                format!("{}/{}", c.agreed, c.paragraphs),
                format!("{}/{}", c.clean, c.paragraphs),
            ),
            None => ("…".into(), "…".into(), "…".into()),
        };
        let label = fit(&clean(&it.label), label_w);
        let rest = format!("{} · {}", clean(&it.author), clean(&it.subject));
        let selected = i == app.drafts.iteration;
        let base = if selected && focused {
            t.selection
        } else {
            t.plain
        };
        let fixed = label_w + 2 + 16 + 2 + 5 + 2 + 7 + 2 + 7 + 2;
        let rest = fit(&rest, width.saturating_sub(fixed));
        let mut spans = vec![
            Span::styled(format!("{label:label_w$}  "), base.patch(t.id)),
            Span::styled(format!("{:16}  ", fit(&it.date, 16)), base.patch(t.dim)),
            Span::styled(
                format!("{open:>5}  "),
                base.patch(if it.counts.is_some_and(|c| c.open_brackets > 0) {
                    t.bracket_mark
                } else {
                    t.plain
                }),
            ),
            Span::styled(format!("{agreed:>7}  "), base.patch(t.agreed)),
            Span::styled(format!("{clean_count:>7}  "), base),
            Span::styled(rest.clone(), base),
        ];
        if selected && focused {
            let used = fixed + unicode_width::UnicodeWidthStr::width(rest.as_str());
            spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), base));
        }
        let mut line = Line::from(spans);
        if selected && !focused {
            line = line.style(t.title);
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Open brackets, paragraphs without brackets and paragraphs agreed ad ref over the
/// iterations: the burndown. Paragraphs without brackets is the line that reaches the top at
/// adoption (an adopted text carries no ad ref stamps).
fn draw_chart(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = &app.theme;
    let block = pane(
        app,
        " Progress: open brackets, paragraphs without brackets, agreed ad ref ",
        false,
    );
    let Some(d) = app.current_draft() else {
        frame.render_widget(block, area);
        return;
    };
    let counted: Vec<(f64, super::super::load::Counts)> = d
        .iterations
        .iter()
        .enumerate()
        .filter_map(|(i, it)| it.counts.map(|c| (i as f64, c)))
        .collect();
    if counted.is_empty() {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new("counting…").style(t.dim), inner);
        return;
    }
    let open: Vec<(f64, f64)> = counted
        .iter()
        .map(|(x, c)| (*x, c.open_brackets as f64))
        .collect();
    let agreed: Vec<(f64, f64)> = counted.iter().map(|(x, c)| (*x, c.agreed as f64)).collect();
    let clean_line: Vec<(f64, f64)> = counted.iter().map(|(x, c)| (*x, c.clean as f64)).collect();
    let max_y = counted
        .iter()
        .map(|(_, c)| c.open_brackets.max(c.agreed).max(c.paragraphs))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let n = d.iterations.len();
    let max_x = (n.saturating_sub(1)).max(1) as f64;
    let x_labels: Vec<Line<'_>> = if n >= 2 {
        let first = clean(&d.iterations[0].label);
        let last = clean(&d.iterations[n - 1].label);
        if n >= 3 {
            let mid = clean(&d.iterations[n / 2].label);
            vec![first.into(), mid.into(), last.into()]
        } else {
            vec![first.into(), last.into()]
        }
    } else {
        vec![clean(&d.iterations[0].label).into()]
    };
    let datasets = vec![
        Dataset::default()
            .name("open brackets")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.chart_open)
            .data(&open),
        Dataset::default()
            .name("without brackets")
            .marker(if t.color {
                Marker::Braille
            } else {
                Marker::Block
            })
            .graph_type(GraphType::Line)
            .style(t.chart_clean)
            .data(&clean_line),
        Dataset::default()
            .name("agreed ad ref")
            .marker(if t.color {
                Marker::Braille
            } else {
                Marker::Dot
            })
            .graph_type(GraphType::Line)
            .style(t.chart_agreed)
            .data(&agreed),
    ];
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(
            Axis::default()
                .bounds([0.0, max_x])
                .labels(x_labels)
                .labels_alignment(ratatui::layout::Alignment::Right)
                .style(t.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, max_y])
                .labels(vec![Line::from("0"), Line::from(format!("{max_y:.0}"))])
                .style(t.dim),
        )
        .legend_position(Some(ratatui::widgets::LegendPosition::TopRight))
        .hidden_legend_constraints((Constraint::Percentage(60), Constraint::Percentage(60)));
    frame.render_widget(chart, area);
}
