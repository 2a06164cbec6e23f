//! `brackets report`: a position report a delegation can send home. Built once as a small
//! document (headings, paragraphs, tables), then written as markdown or as one self-contained
//! HTML file; CSV and JSON carry the same rows for scripts.

use crate::actors::Actors;
use crate::ledger::{ActorSummary, Ledger, Outcome, Proposal, Role, TimelineEntry};
use serde::Serialize;

pub enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<String>>,
    },
}

pub struct Report {
    pub blocks: Vec<Block>,
}

fn span(ledger: &Ledger, first: usize, last: usize) -> String {
    if first == last {
        ledger.label(first).to_string()
    } else {
        format!("{} – {}", ledger.label(first), ledger.label(last))
    }
}

fn outcome(ledger: &Ledger, o: Outcome, resolved: Option<usize>) -> String {
    match (o, resolved) {
        (Outcome::Open, _) => "open".into(),
        (o, Some(k)) => format!("{} ({})", o.as_str(), ledger.label(k)),
        (o, None) => o.as_str().into(),
    }
}

fn paragraph(e_para: &str, now: Option<&String>) -> String {
    match now {
        Some(n) if n != e_para => format!("{e_para} (now {n})"),
        _ => e_para.to_string(),
    }
}

fn yes_no(x: Option<bool>) -> String {
    match x {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "–".into(),
    }
}

fn percent(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| format!("{:.0}%", x * 100.0))
}

fn history_line(ledger: &Ledger) -> String {
    let first = ledger.steps.first();
    let last = ledger.steps.last();
    let date = |d: &str| d.get(..10).unwrap_or(d).to_string();
    match (first, last) {
        (Some(f), Some(l)) => format!(
            "{} iterations, from {}{} to {}{}.",
            ledger.steps.len(),
            f.label,
            if f.date.is_empty() {
                String::new()
            } else {
                format!(" ({})", date(&f.date))
            },
            l.label,
            if l.date.is_empty() {
                String::new()
            } else {
                format!(" ({})", date(&l.date))
            },
        ),
        _ => "No iterations.".into(),
    }
}

pub fn build(ledger: &Ledger, actors: &Actors, actor: Option<&str>) -> Report {
    match actor {
        Some(a) => actor_report(ledger, actors, a),
        None => full_report(ledger, actors),
    }
}

fn actor_report(ledger: &Ledger, actors: &Actors, code: &str) -> Report {
    let name = actors.resolve(code).map(|a| a.name.clone());
    let timeline = ledger.timeline(code);
    let summary = ledger
        .actor_summary(actors)
        .into_iter()
        .find(|s| s.actor == code);
    let mut blocks = vec![
        Block::Title(match &name {
            Some(n) => format!("Position report: {code} ({n})"),
            None => format!("Position report: {code}"),
        }),
        Block::Para(format!("{}: {}", ledger.path, history_line(ledger))),
    ];
    match &summary {
        Some(s) => {
            blocks.push(Block::Heading("Summary".into()));
            blocks.push(Block::Table {
                head: vec![
                    "Proposals",
                    "Agreed",
                    "Dropped",
                    "Replaced",
                    "Open",
                    "Success",
                    "Supported",
                    "Opposed",
                    "Asked to delete",
                    "Reservations",
                    "Alone against",
                ],
                rows: vec![vec![
                    s.proposals.to_string(),
                    s.agreed.to_string(),
                    s.dropped.to_string(),
                    s.replaced.to_string(),
                    s.open.to_string(),
                    percent(s.success_rate),
                    s.supported.to_string(),
                    s.opposed.to_string(),
                    s.deletions.to_string(),
                    s.reserved.to_string(),
                    s.isolated.to_string(),
                ]],
            });
        }
        None => blocks.push(Block::Para(format!(
            "{code} takes no position in any iteration."
        ))),
    }
    let alone: Vec<&TimelineEntry> = timeline.entries.iter().filter(|e| e.isolated).collect();
    if !alone.is_empty() {
        blocks.push(Block::Heading("Where we stand alone".into()));
        blocks.push(Block::Table {
            head: vec!["Paragraph", "Text", "Proposed by", "Supported by", "Since"],
            rows: alone
                .iter()
                .map(|e| {
                    vec![
                        paragraph(&e.paragraph, e.current_paragraph.as_ref()),
                        e.text.clone(),
                        e.proposer.clone().unwrap_or_default(),
                        e.supporters.join(", "),
                        ledger.label(e.first).to_string(),
                    ]
                })
                .collect(),
        });
    }
    for (role, title) in [
        (Role::Proposer, "Our proposals"),
        (Role::Supporter, "Proposals we supported"),
        (Role::Opponent, "Proposals we opposed"),
        (Role::Deletion, "Text we asked to delete"),
        (Role::Reservation, "Our reservations"),
    ] {
        let entries: Vec<&TimelineEntry> =
            timeline.entries.iter().filter(|e| e.role == role).collect();
        if entries.is_empty() {
            continue;
        }
        blocks.push(Block::Heading(format!("{title} ({})", entries.len())));
        blocks.push(Block::Table {
            head: vec![
                "Paragraph",
                "Text",
                "Proposed by",
                "Iterations",
                "Outcome",
                "Prevailed",
                "Supported by",
                "Opposed by",
                "Deletion asked by",
                "Reservations",
            ],
            rows: entries
                .iter()
                .map(|e| {
                    vec![
                        paragraph(&e.paragraph, e.current_paragraph.as_ref()),
                        e.text.clone(),
                        e.proposer.clone().unwrap_or_default(),
                        span(ledger, e.first, e.last),
                        outcome(ledger, e.outcome, e.resolved),
                        yes_no(e.prevailed),
                        e.supporters.join(", "),
                        e.opponents.join(", "),
                        e.deletion_asked_by.join(", "),
                        e.reservations.join(", "),
                    ]
                })
                .collect(),
        });
    }
    if !timeline.notes.is_empty() {
        blocks.push(Block::Heading("Our notes".into()));
        blocks.push(Block::Table {
            head: vec!["Paragraph", "Note", "Iterations"],
            rows: timeline
                .notes
                .iter()
                .map(|n| {
                    vec![
                        n.paragraph.clone(),
                        n.text.clone(),
                        span(ledger, n.first, n.last),
                    ]
                })
                .collect(),
        });
    }
    Report { blocks }
}

fn proposal_row(ledger: &Ledger, p: &Proposal) -> Vec<String> {
    vec![
        paragraph(&p.paragraph, p.current_paragraph.as_ref()),
        p.text.clone(),
        p.proposer.clone().unwrap_or_default(),
        p.supporters().join(", "),
        p.opponents().join(", "),
        p.deletion_asked_by().join(", "),
        p.reservations().join(", "),
        span(ledger, p.introduced, p.last_seen),
        outcome(ledger, p.outcome, p.resolved),
    ]
}

fn full_report(ledger: &Ledger, actors: &Actors) -> Report {
    let mut blocks = vec![
        Block::Title(format!("Negotiation report: {}", ledger.path)),
        Block::Para(history_line(ledger)),
        Block::Heading("Progress".into()),
        Block::Table {
            head: vec![
                "Iteration",
                "Open brackets",
                "Alternatives",
                "Reservations",
                "Agreed ad ref",
                "Clean paragraphs",
                "Reopened",
                "New proposals",
                "Agreed",
                "Dropped or replaced",
            ],
            rows: ledger
                .progress()
                .iter()
                .map(|r| {
                    vec![
                        r.label.clone(),
                        r.open_brackets.to_string(),
                        r.alternatives.to_string(),
                        r.reservations.to_string(),
                        r.agreed_paragraphs.to_string(),
                        format!("{} of {}", r.clean_paragraphs, r.paragraphs),
                        r.reopened.to_string(),
                        r.proposed.to_string(),
                        r.agreed.to_string(),
                        (r.dropped + r.replaced).to_string(),
                    ]
                })
                .collect(),
        },
        Block::Heading("Actors".into()),
        Block::Table {
            head: vec![
                "Actor",
                "Name",
                "Proposals",
                "Agreed",
                "Dropped",
                "Replaced",
                "Open",
                "Success",
                "Supported",
                "Opposed",
                "Asked to delete",
                "Reservations",
            ],
            rows: ledger
                .actor_summary(actors)
                .iter()
                .map(|s: &ActorSummary| {
                    vec![
                        s.actor.clone(),
                        s.name.clone().unwrap_or_default(),
                        s.proposals.to_string(),
                        s.agreed.to_string(),
                        s.dropped.to_string(),
                        s.replaced.to_string(),
                        s.open.to_string(),
                        percent(s.success_rate),
                        s.supported.to_string(),
                        s.opposed.to_string(),
                        s.deletions.to_string(),
                        s.reserved.to_string(),
                    ]
                })
                .collect(),
        },
    ];
    let head = vec![
        "Paragraph",
        "Text",
        "Proposed by",
        "Supported by",
        "Opposed by",
        "Deletion asked by",
        "Reservations",
        "Iterations",
        "Outcome",
    ];
    let open: Vec<Vec<String>> = ledger
        .proposals
        .iter()
        .filter(|p| p.outcome == Outcome::Open)
        .map(|p| proposal_row(ledger, p))
        .collect();
    if !open.is_empty() {
        blocks.push(Block::Heading(format!(
            "Still in brackets ({})",
            open.len()
        )));
        blocks.push(Block::Table {
            head: head.clone(),
            rows: open,
        });
    }
    let resolved: Vec<Vec<String>> = ledger
        .proposals
        .iter()
        .filter(|p| p.outcome != Outcome::Open)
        .map(|p| proposal_row(ledger, p))
        .collect();
    if !resolved.is_empty() {
        blocks.push(Block::Heading(format!("Resolved ({})", resolved.len())));
        blocks.push(Block::Table {
            head,
            rows: resolved,
        });
    }
    if !ledger.changes.is_empty() {
        blocks.push(Block::Heading("Changes outside brackets".into()));
        blocks.push(Block::Table {
            head: vec!["Iteration", "Paragraphs", "Change", "By", "Words"],
            rows: ledger
                .changes
                .iter()
                .map(|c| {
                    let by = if c.by.actors.is_empty() {
                        c.by.author.clone()
                    } else {
                        c.by.actors.join(", ")
                    };
                    let mut words = Vec::new();
                    if !c.inserted.is_empty() {
                        words.push(format!("+ {}", c.inserted.join(" ")));
                    }
                    if !c.deleted.is_empty() {
                        words.push(format!("− {}", c.deleted.join(" ")));
                    }
                    vec![
                        ledger.label(c.iteration).to_string(),
                        format!("{} → {}", c.old.join(", "), c.new.join(", ")),
                        c.kind.as_str().to_string(),
                        by,
                        words.join("; "),
                    ]
                })
                .collect(),
        });
    }
    Report { blocks }
}

fn md_escape(s: &str) -> String {
    let s = crate::text::visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(report: &Report) -> String {
    let mut s = String::new();
    for b in &report.blocks {
        match b {
            Block::Title(t) => s.push_str(&format!("# {}\n\n", md_escape(t))),
            Block::Heading(t) => s.push_str(&format!("## {}\n\n", md_escape(t))),
            Block::Para(t) => s.push_str(&format!("{}\n\n", md_escape(t))),
            Block::Table { head, rows } => {
                s.push_str(&format!("| {} |\n", head.join(" | ")));
                s.push_str(&format!("|{}\n", "---|".repeat(head.len())));
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| md_escape(c)).collect();
                    s.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                s.push('\n');
            }
        }
    }
    s
}

fn html_escape(s: &str) -> String {
    let s = crate::text::visible(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "\
body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.4}
h1{font-size:1.5rem;border-bottom:2px solid #333;padding-bottom:.3rem}
h2{font-size:1.15rem;margin-top:1.8rem}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}
tr{page-break-inside:avoid;break-inside:avoid}
thead{display:table-header-group}
td.agreed{color:#0a5d00;font-weight:bold}
td.dropped{color:#a00000}
td.replaced{color:#6a1b9a}
td.open{color:#8a6d00;font-weight:bold}
footer{margin-top:2rem;font-size:.75rem;color:#555}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{page-break-after:avoid;break-after:avoid}th{background:#ddd!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
@page{margin:1.5cm}
";

pub fn html(report: &Report) -> String {
    let title = report
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Title(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("Report");
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        html_escape(title)
    );
    for b in &report.blocks {
        match b {
            Block::Title(t) => s.push_str(&format!("<h1>{}</h1>\n", html_escape(t))),
            Block::Heading(t) => s.push_str(&format!("<h2>{}</h2>\n", html_escape(t))),
            Block::Para(t) => s.push_str(&format!("<p>{}</p>\n", html_escape(t))),
            Block::Table { head, rows } => {
                s.push_str("<table>\n<thead><tr>");
                for h in head {
                    s.push_str(&format!("<th>{}</th>", html_escape(h)));
                }
                s.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    s.push_str("<tr>");
                    for (i, c) in r.iter().enumerate() {
                        let class = if head.get(i) == Some(&"Outcome") {
                            c.split_whitespace().next().unwrap_or("")
                        } else {
                            ""
                        };
                        if class.is_empty() {
                            s.push_str(&format!("<td>{}</td>", html_escape(c)));
                        } else {
                            s.push_str(&format!(
                                "<td class=\"{}\">{}</td>",
                                html_escape(class),
                                html_escape(c)
                            ));
                        }
                    }
                    s.push_str("</tr>\n");
                }
                s.push_str("</tbody>\n</table>\n");
            }
        }
    }
    s.push_str(
        "<footer>Made with brackets from the draft's git history.</footer>\n</body>\n</html>\n",
    );
    s
}

pub fn csv(ledger: &Ledger, actor: Option<&str>) -> String {
    use super::csv_field as f;
    let mut s = String::new();
    match actor {
        Some(a) => {
            s.push_str("actor,role,paragraph,current_paragraph,text,proposer,first,last,outcome,resolved,prevailed,supporters,opponents,isolated,deletion_asked_by,reservations\n");
            for e in ledger.timeline(a).entries {
                let row = [
                    a.to_string(),
                    e.role.as_str().to_string(),
                    e.paragraph.clone(),
                    e.current_paragraph.clone().unwrap_or_default(),
                    e.text.clone(),
                    e.proposer.clone().unwrap_or_default(),
                    ledger.label(e.first).to_string(),
                    ledger.label(e.last).to_string(),
                    e.outcome.as_str().to_string(),
                    e.resolved
                        .map(|k| ledger.label(k).to_string())
                        .unwrap_or_default(),
                    e.prevailed.map(|x| x.to_string()).unwrap_or_default(),
                    e.supporters.join(" "),
                    e.opponents.join(" "),
                    e.isolated.to_string(),
                    e.deletion_asked_by.join(" "),
                    e.reservations.join(" "),
                ];
                let cells: Vec<String> = row.iter().map(|c| f(c)).collect();
                s.push_str(&cells.join(","));
                s.push('\n');
            }
        }
        None => {
            s.push_str("id,paragraph,current_paragraph,text,kind,proposer,supporters,opponents,introduced,last_seen,outcome,resolved,replaced_by,deletion_asked_by,reservations\n");
            for p in &ledger.proposals {
                let row = [
                    p.id.to_string(),
                    p.paragraph.clone(),
                    p.current_paragraph.clone().unwrap_or_default(),
                    p.text.clone(),
                    format!("{:?}", p.kind).to_lowercase(),
                    p.proposer.clone().unwrap_or_default(),
                    p.supporters().join(" "),
                    p.opponents().join(" "),
                    ledger.label(p.introduced).to_string(),
                    ledger.label(p.last_seen).to_string(),
                    p.outcome.as_str().to_string(),
                    p.resolved
                        .map(|k| ledger.label(k).to_string())
                        .unwrap_or_default(),
                    p.replaced_by.map(|x| x.to_string()).unwrap_or_default(),
                    p.deletion_asked_by().join(" "),
                    p.reservations().join(" "),
                ];
                let cells: Vec<String> = row.iter().map(|c| f(c)).collect();
                s.push_str(&cells.join(","));
                s.push('\n');
            }
        }
    }
    s
}

/// A proposal with who stood where when it was last seen, as the tables list them.
#[derive(Serialize)]
pub struct ProposalJson<'a> {
    #[serde(flatten)]
    proposal: &'a Proposal,
    supporters: Vec<&'a str>,
    opponents: Vec<&'a str>,
    deletion_asked_by: Vec<&'a str>,
    reservations: Vec<&'a str>,
}

impl<'a> ProposalJson<'a> {
    fn of(proposal: &'a Proposal) -> Self {
        ProposalJson {
            supporters: proposal.supporters(),
            opponents: proposal.opponents(),
            deletion_asked_by: proposal.deletion_asked_by(),
            reservations: proposal.reservations(),
            proposal,
        }
    }
}

#[derive(Serialize)]
pub struct ReportJson<'a> {
    path: &'a str,
    iterations: &'a [crate::ledger::Step],
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<&'a str>,
    summary: Vec<ActorSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<crate::ledger::Timeline>,
    progress: &'a [crate::ledger::Progress],
    proposals: Vec<ProposalJson<'a>>,
    replacements: &'a [crate::ledger::Replacement],
    changes: &'a [crate::ledger::TextChange],
    suggestions: &'a [crate::ledger::Suggestion],
}

pub fn json<'a>(ledger: &'a Ledger, actors: &Actors, actor: Option<&'a str>) -> ReportJson<'a> {
    let mut summary = ledger.actor_summary(actors);
    let timeline = actor.map(|a| ledger.timeline(a));
    let proposals = match &timeline {
        Some(t) => t
            .entries
            .iter()
            .filter_map(|e| ledger.proposals.get(e.proposal))
            .map(ProposalJson::of)
            .collect(),
        None => ledger.proposals.iter().map(ProposalJson::of).collect(),
    };
    if let Some(a) = actor {
        summary.retain(|s| s.actor == a);
    }
    ReportJson {
        path: &ledger.path,
        iterations: &ledger.steps,
        actor,
        summary,
        timeline,
        progress: ledger.progress(),
        proposals,
        replacements: &ledger.replacements,
        changes: &ledger.changes,
        suggestions: &ledger.suggestions,
    }
}
