//! `brackets diff`: two iterations compared paragraph by paragraph, with the word changes
//! inside each and what became of every bracketed proposal.

use super::{Output, input, input::Loaded, theme, wrap::Styled};
use crate::diff::{
    BracketChange, BracketChangeKind, ChangeKind, ParagraphChange, Readings, ReadingsInProgress,
    SpanKind,
};
use crate::model::Stance;
use anyhow::{Result, bail};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;
use std::sync::OnceLock;

/// Bracketed text longer than this is cut in the bracket-change lines (the word diff above
/// shows it whole).
const QUOTE_MAX: usize = 70;

#[derive(Serialize)]
struct DiffJson<'a> {
    old: &'a str,
    new: &'a str,
    changes: Vec<&'a ParagraphChange>,
}

pub fn run(args: &super::DiffArgs, output: &Output) -> Result<ExitCode> {
    let old_slot = OnceLock::new();
    let old_readings = OnceLock::new();
    let new_alone: Loaded;
    let pair: (Loaded, Loaded);
    let (old, new, diff) = match &args.new {
        Some(new) => {
            let (new, old_r, new_r) = read_both(&args.old, new, &old_slot, &old_readings)?;
            new_alone = new;
            let Some(old) = old_slot.get() else {
                bail!("cannot read {}", crate::text::visible(&args.old));
            };
            let diff = crate::diff::diff_read(&old.doc, &old_r, &new_alone.doc, &new_r);
            (old, &new_alone, diff)
        }
        None => {
            pair = input::previous_and_current(&args.old)?;
            let diff = crate::diff::diff(&pair.0.doc, &pair.1.doc);
            (&pair.0, &pair.1, diff)
        }
    };
    let changes: Vec<&ParagraphChange> = match &args.paragraph {
        Some(id) => {
            let only: Vec<&ParagraphChange> =
                diff.changes.iter().filter(|c| c.involves(id)).collect();
            if only.is_empty() {
                bail!(
                    "no paragraph {} in {} or {}",
                    crate::text::visible(id),
                    crate::text::visible(&old.label),
                    crate::text::visible(&new.label)
                );
            }
            only
        }
        None => diff.changes.iter().collect(),
    };
    if args.json {
        let mut out = super::stdout_plain();
        super::json::to_writer_pretty(
            &mut out,
            &DiffJson {
                old: &old.label,
                new: &new.label,
                changes,
            },
        )?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = super::stdout();
    if args.concordance {
        let text = if args.csv {
            concordance_csv(&changes)
        } else {
            concordance(&changes)
        };
        out.write_all(text.as_bytes())?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let colour = out.get_ref().current_choice() != anstream::ColorChoice::Never;
    let mut text = String::new();
    let mut head = Styled::new();
    head.push(theme::DIM, &format!("{} -> {}", old.label, new.label));
    text.push_str(&head.wrap(output.width, "", 0));
    text.push('\n');
    if args.stat {
        text.push_str(&stat(&changes));
    } else {
        let shown: Vec<&&ParagraphChange> = changes
            .iter()
            .filter(|c| c.is_change() || args.paragraph.is_some())
            .collect();
        if shown.is_empty() {
            text.push_str("No changes.\n");
        }
        // Rendering a long diff (wrapping every word diff) costs as much as comparing: it is
        // split over both cores, in order.
        let rendered = crate::diff::on_two_cores(
            &shown,
            |c| c.words.iter().map(|w| w.text.len()).sum::<usize>() + 80,
            |c| render(c, output.width, colour),
        );
        for r in rendered {
            text.push('\n');
            text.push_str(&r);
        }
    }
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads, parses and reads into the diff's terms two iterations on two cores. The new one's
/// blob is read only once the old one's is: consecutive iterations share most of their delta
/// chain, and libgit2 keeps the bases it inflated with the open pack. Each is parsed on the
/// core that read it, and the old one's paragraphs are read (`ReadingsInProgress`) as soon as
/// it is parsed, by both cores once the new one is parsed too. The old iteration is left in
/// `old_slot`; the new one and the readings of both are returned.
fn read_both<'a>(
    old_ref: &str,
    new_ref: &str,
    old_slot: &'a OnceLock<Loaded>,
    old_readings: &OnceLock<ReadingsInProgress<'a>>,
) -> Result<(Loaded, Readings, Readings)> {
    std::thread::scope(|s| {
        let (old_read, wait_for_old_blob) = std::sync::mpsc::channel::<()>();
        let (old_parsed, wait_for_old_doc) = std::sync::mpsc::channel::<()>();
        let (new_read, wait_for_new_blob) = std::sync::mpsc::channel::<()>();
        let reader = s.spawn(move || -> Result<()> {
            let mut fetched = input::fetch_ref(old_ref);
            drop(old_read);
            // Open until the new blob is read: closed sooner (this thread ahead, the other
            // one's repository not yet at the pack), the delta bases inflated here would be
            // freed and the shared chain inflated again for the new blob.
            let pack = fetched
                .as_mut()
                .ok()
                .and_then(input::Fetched::keep_repository);
            let old = fetched.and_then(input::Fetched::parse);
            let done = old.map(|old| {
                let old = old_slot.get_or_init(|| old);
                let readings = old_readings.get_or_init(|| ReadingsInProgress::new(&old.doc));
                let _ = old_parsed.send(());
                readings.help();
            });
            // Ends when the other thread has read its blob or failed (the sender dropped).
            let _ = wait_for_new_blob.recv();
            drop(pack);
            done
        });
        let new = input::fetch_ref_when(new_ref, || {
            // The built-in actors are needed by both parses: built while this thread waits.
            crate::actors::Actors::builtin();
            // Ends when the other thread has read its blob or failed (the sender dropped).
            let _ = wait_for_old_blob.recv();
        });
        drop(new_read);
        let new = new.and_then(input::Fetched::parse);
        let joined = |reader: std::thread::ScopedJoinHandle<'_, Result<()>>| {
            // A panic on the other thread is re-raised here, as if it were one thread.
            reader
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        };
        let parsed = wait_for_old_doc.recv();
        let Some(readings) = old_readings.get().filter(|_| parsed.is_ok()) else {
            // The old iteration could not be read: its error comes first, as when read alone.
            joined(reader)?;
            bail!("cannot read {}", crate::text::visible(old_ref));
        };
        let new = new?;
        let (old_r, new_r) = Readings::after_in_progress(readings, &new.doc);
        joined(reader)?;
        Ok((new, old_r, new_r))
    })
}

fn ids(v: &[String]) -> String {
    v.join(", ")
}

/// The head line of one change: sign, ids, kind, similarity and rule, wrapped with the sign
/// hanging in the margin.
fn summary(c: &ParagraphChange, width: usize) -> String {
    let (sign, style) = match c.kind {
        ChangeKind::Unchanged => ("=", theme::DIM),
        ChangeKind::Modified => ("~", theme::CHANGE_MODIFIED),
        ChangeKind::Added => ("+", theme::CHANGE_ADDED),
        ChangeKind::Removed => ("-", theme::CHANGE_REMOVED),
        ChangeKind::Moved => ("^", theme::CHANGE_STRUCTURE),
        ChangeKind::Renumbered => (">", theme::CHANGE_STRUCTURE),
        ChangeKind::Split | ChangeKind::Merged => ("<", theme::CHANGE_STRUCTURE),
    };
    let mut s = Styled::new();
    let names = match (c.old.is_empty(), c.new.is_empty()) {
        (true, _) => ids(&c.new),
        (_, true) => ids(&c.old),
        _ if c.old == c.new => ids(&c.new),
        _ => format!("{} -> {}", ids(&c.old), ids(&c.new)),
    };
    s.push(theme::ID, &names);
    s.push(theme::PLAIN, "  ");
    s.push(style, c.kind.as_str());
    if let Some(rule) = c.rule
        && !matches!(c.kind, ChangeKind::Unchanged | ChangeKind::Renumbered)
    {
        s.push(
            theme::DIM,
            &format!(" ({:.2}, {})", c.similarity, rule.as_str()),
        );
    }
    if c.newly_agreed {
        s.push(theme::PLAIN, "  ");
        s.push(theme::AGREED, "✓ agreed ad ref");
    }
    s.wrap_after(width, &format!("{}{sign}{:#} ", style, style), 2, 2)
}

/// One change as a negotiator reads it: the head line, the words, the brackets.
fn render(c: &ParagraphChange, width: usize, colour: bool) -> String {
    let mut out = summary(c, width);
    out.push('\n');
    if c.reopened {
        let mut s = Styled::new();
        s.push(theme::REOPENED, "! AGREED TEXT REOPENED");
        s.push(theme::PLAIN, " ");
        s.push(theme::ERROR, "text that stood agreed has changed");
        out.push_str(&s.wrap(width, "    ", 4));
        out.push('\n');
    }
    if !c.words.is_empty() {
        let mut s = Styled::new();
        push_words(&mut s, &c.words, colour);
        out.push_str(&s.wrap(width, "    ", 4));
        out.push('\n');
    }
    for b in &c.brackets {
        out.push_str(&bracket_line(b, colour).wrap(width, "    • ", 6));
        out.push('\n');
    }
    out
}

fn push_words(s: &mut Styled, words: &[crate::diff::WordSpan], colour: bool) {
    for span in words {
        match (span.kind, colour) {
            (SpanKind::Equal, _) => s.push(theme::PLAIN, &span.text),
            (SpanKind::Deleted, true) => s.push(theme::WORD_DELETED, &span.text),
            (SpanKind::Inserted, true) => s.push(theme::WORD_INSERTED, &span.text),
            // Without colour, git's word-diff markers keep the change readable.
            (SpanKind::Deleted, false) => s.push(theme::PLAIN, &format!("[-{}-]", span.text)),
            (SpanKind::Inserted, false) => s.push(theme::PLAIN, &format!("{{+{}+}}", span.text)),
        }
    }
}

fn quote(text: &str) -> String {
    crate::text::quote_bracket(text, QUOTE_MAX)
}

fn stance_words(s: Stance) -> &'static str {
    match s {
        Stance::Support => "supporting",
        Stance::Oppose => "opposing",
        Stance::Reserve => "with a reservation on",
        Stance::Delete => "asking to delete",
        Stance::Note => "commenting on",
    }
}

/// `(supported by GBR, AUS; opposed by CHN)` from a bracket's positions, proposer left out,
/// or named first with `proposer`: `(proposed by EGY; supported by ARAB, CHN)`.
fn who(b: &BracketChange, proposer: bool) -> String {
    let mut by: BTreeMap<Stance, Vec<&str>> = BTreeMap::new();
    for p in &b.positions {
        if !p.proposer
            && !by
                .get(&p.stance)
                .is_some_and(|v| v.contains(&p.actor.as_str()))
        {
            by.entry(p.stance).or_default().push(&p.actor);
        }
    }
    let proposed = b
        .proposer()
        .filter(|_| proposer)
        .map(|p| format!("proposed by {p}"));
    let parts: Vec<String> = proposed
        .into_iter()
        .chain(by.iter().map(|(s, actors)| {
            let verb = match s {
                Stance::Support => "supported by",
                Stance::Oppose => "opposed by",
                Stance::Reserve => "reservation by",
                Stance::Delete => "deletion asked by",
                Stance::Note => "notes by",
            };
            format!("{verb} {}", actors.join(", "))
        }))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn bracket_line(b: &BracketChange, colour: bool) -> Styled {
    let mut s = Styled::new();
    let actor = b.actor.as_deref().unwrap_or("");
    let stance_style = |st: Option<Stance>| st.map_or(theme::PLAIN, theme::stance);
    match b.kind {
        BracketChangeKind::Proposed => {
            match b.proposer() {
                Some(p) => {
                    s.push(theme::stance(Stance::Support), p);
                    s.push(theme::PLAIN, " proposed ");
                }
                None => s.push(theme::PLAIN, "new bracket "),
            }
            s.push(theme::BRACKETED, &quote(b.quoted()));
            s.push(theme::DIM, &who(b, false));
        }
        BracketChangeKind::Bracketed => {
            s.push(theme::ERROR, "put in brackets ");
            s.push(theme::BRACKETED, &quote(b.quoted()));
            s.push(theme::DIM, &who(b, true));
        }
        BracketChangeKind::Dropped => {
            s.push(theme::CHANGE_REMOVED, "dropped ");
            s.push(theme::BRACKETED, &quote(b.quoted()));
            s.push(theme::DIM, &who(b, true));
        }
        BracketChangeKind::Agreed => {
            s.push(theme::AGREED, "agreed ");
            s.push(theme::PLAIN, &quote(b.quoted()));
            s.push(theme::DIM, &who(b, true));
        }
        BracketChangeKind::Regrouped => {
            s.push(theme::PLAIN, "now inside other brackets: ");
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::Edited => {
            // The bracket's own word diff: cutting both texts could hide the very edit.
            s.push(theme::CHANGE_MODIFIED, "edited ");
            s.push(theme::PLAIN, "\"[");
            push_words(
                &mut s,
                &crate::diff::words::diff(b.old_text.as_deref().unwrap_or(""), &b.text),
                colour,
            );
            s.push(theme::PLAIN, "]\"");
        }
        BracketChangeKind::Joined => {
            s.push(stance_style(b.stance), actor);
            s.push(
                theme::PLAIN,
                &format!(" joined {} ", b.stance.map_or("", stance_words)),
            );
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::Left => {
            s.push(stance_style(b.old_stance), actor);
            s.push(
                theme::PLAIN,
                &format!(" no longer {} ", b.old_stance.map_or("", stance_words)),
            );
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::ChangedStance => {
            s.push(stance_style(b.stance), actor);
            s.push(
                theme::PLAIN,
                &format!(
                    " now {} (was {}) ",
                    b.stance.map_or("", stance_words),
                    b.old_stance.map_or("", stance_words)
                ),
            );
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::ReservationPlaced => {
            s.push(theme::stance(Stance::Reserve), actor);
            s.push(theme::PLAIN, " placed a reservation on ");
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::ReservationLifted => {
            s.push(theme::stance(Stance::Reserve), actor);
            s.push(theme::PLAIN, " lifted its reservation on ");
            s.push(theme::BRACKETED, &quote(b.quoted()));
        }
        BracketChangeKind::NoteAdded | BracketChangeKind::NoteRemoved => {
            let verb = if b.kind == BracketChangeKind::NoteAdded {
                "note added"
            } else {
                "note removed"
            };
            s.push(theme::PLAIN, verb);
            if let Some(a) = &b.actor {
                s.push(theme::PLAIN, &format!(" by {a}"));
            }
            s.push(theme::PLAIN, ": ");
            s.push(theme::NOTE, &format!("{{{}}}", b.text.trim()));
        }
    }
    s
}

/// Per-actor counts of what happened to proposals and positions.
#[derive(Default)]
struct ActorStat {
    proposed: usize,
    dropped: usize,
    agreed: usize,
    joined: usize,
    left: usize,
    changed: usize,
    reserved: usize,
    lifted: usize,
}

fn stat(changes: &[&ParagraphChange]) -> String {
    let mut out = String::from("\n");
    let mut counts: BTreeMap<ChangeKind, usize> = BTreeMap::new();
    for c in changes {
        *counts.entry(c.kind).or_default() += 1;
    }
    let reopened = changes.iter().filter(|c| c.reopened).count();
    let agreed = changes.iter().filter(|c| c.newly_agreed).count();
    for kind in ChangeKind::ALL {
        let n = counts.get(&kind).copied().unwrap_or(0);
        if n > 0 {
            let _ = writeln!(out, "  {:<11} {n:>4}", kind.as_str());
        }
    }
    if agreed > 0 {
        let _ = writeln!(
            out,
            "  {}{:<11} {agreed:>4}{:#}",
            theme::AGREED,
            "agreed",
            theme::AGREED
        );
    }
    if reopened > 0 {
        let _ = writeln!(
            out,
            "  {}{:<11}{:#} {reopened:>4}",
            theme::REOPENED,
            "reopened",
            theme::REOPENED
        );
    }
    let mut actors: BTreeMap<String, ActorStat> = BTreeMap::new();
    for c in changes {
        for b in &c.brackets {
            match b.kind {
                BracketChangeKind::Proposed
                | BracketChangeKind::Dropped
                | BracketChangeKind::Agreed => {
                    if let Some(p) = b.proposer() {
                        let a = actors.entry(p.to_string()).or_default();
                        match b.kind {
                            BracketChangeKind::Proposed => a.proposed += 1,
                            BracketChangeKind::Dropped => a.dropped += 1,
                            _ => a.agreed += 1,
                        }
                    }
                }
                BracketChangeKind::Joined
                | BracketChangeKind::Left
                | BracketChangeKind::ChangedStance
                | BracketChangeKind::ReservationPlaced
                | BracketChangeKind::ReservationLifted => {
                    if let Some(actor) = &b.actor {
                        let a = actors.entry(actor.clone()).or_default();
                        match b.kind {
                            BracketChangeKind::Joined => a.joined += 1,
                            BracketChangeKind::Left => a.left += 1,
                            BracketChangeKind::ChangedStance => a.changed += 1,
                            BracketChangeKind::ReservationPlaced => a.reserved += 1,
                            _ => a.lifted += 1,
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if !actors.is_empty() {
        let w = actors
            .keys()
            .map(|a| crate::text::visible(a).chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            out,
            "\n  {}{:<w$} proposed dropped agreed joined left changed reserved lifted{:#}",
            theme::HEADING,
            "actor",
            theme::HEADING
        );
        for (name, a) in &actors {
            let _ = writeln!(
                out,
                "  {}{:<w$}{:#} {:>8} {:>7} {:>6} {:>6} {:>4} {:>7} {:>8} {:>6}",
                theme::ID,
                crate::text::visible(name),
                theme::ID,
                a.proposed,
                a.dropped,
                a.agreed,
                a.joined,
                a.left,
                a.changed,
                a.reserved,
                a.lifted
            );
        }
    }
    out
}

/// `old`, `new`, kind, actors: one row per paragraph of either iteration.
fn concordance(changes: &[&ParagraphChange]) -> String {
    let rows: Vec<[String; 4]> = changes
        .iter()
        .map(|c| {
            [
                crate::text::visible(&c.old.join(" + ")).into_owned(),
                crate::text::visible(&c.new.join(" + ")).into_owned(),
                c.kind.as_str().to_string(),
                crate::text::visible(&c.actors.join(" ")).into_owned(),
            ]
        })
        .collect();
    let head = ["old", "new", "kind", "actors"];
    let mut w = head.map(str::len);
    for r in &rows {
        for k in 0..3 {
            w[k] = w[k].max(r[k].chars().count());
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{:<a$}  {:<b$}  {:<c$}  actors{:#}",
        theme::HEADING,
        "old",
        "new",
        "kind",
        theme::HEADING,
        a = w[0],
        b = w[1],
        c = w[2]
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<a$}  {:<b$}  {:<c$}  {}",
            r[0],
            r[1],
            r[2],
            r[3],
            a = w[0],
            b = w[1],
            c = w[2]
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    let s = crate::text::visible(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

fn concordance_csv(changes: &[&ParagraphChange]) -> String {
    let mut out = String::from("old,new,kind,similarity,rule,actors\n");
    for c in changes {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(&c.old.join(" + ")),
            csv_field(&c.new.join(" + ")),
            c.kind.as_str(),
            c.similarity,
            c.rule.map_or("", |r| r.as_str()),
            csv_field(&c.actors.join(" "))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_cut_on_characters() {
        let long = "é".repeat(200);
        assert!(quote(&long).ends_with("…]\""));
        assert_eq!(quote(" short "), "\"[short]\"");
    }

    #[test]
    fn the_proposer_and_the_others_share_one_parenthesis() {
        let position = |actor: &str, stance, proposer| crate::model::Position {
            actor: actor.into(),
            stance,
            proposer,
            span: crate::model::Span::default(),
        };
        let agreed = BracketChange {
            kind: BracketChangeKind::Agreed,
            text: "voluntary".into(),
            old_text: None,
            quote: None,
            actor: None,
            stance: None,
            old_stance: None,
            positions: vec![
                position("USA", Stance::Support, true),
                position("CHN", Stance::Support, false),
                position("RUS", Stance::Oppose, false),
            ],
        };
        assert_eq!(
            anstream::adapter::strip_str(&bracket_line(&agreed, false).wrap(200, "", 0))
                .to_string(),
            "agreed \"[voluntary]\" (proposed by USA; supported by CHN; opposed by RUS)"
        );
        assert_eq!(who(&agreed, false), " (supported by CHN; opposed by RUS)");
        let alone = BracketChange {
            positions: vec![position("USA", Stance::Support, true)],
            ..agreed
        };
        assert_eq!(who(&alone, true), " (proposed by USA)");
        assert_eq!(who(&alone, false), "");
    }

    #[test]
    fn csv_quotes_commas() {
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("PP1"), "PP1");
    }
}
