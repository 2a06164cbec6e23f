//! Shared by the test files: the parser's lossless property and the model's invariants, and
//! a git configuration sandbox for tests that build repositories.

#![allow(dead_code)]

use brackets::model::{Anchor, BlockKind, Document, LeafKind};
use std::collections::HashSet;

/// Points libgit2's global, XDG and system configuration at an empty folder, once per process,
/// so the tests read no configuration of the machine they run on.
pub fn sandbox() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let empty =
            std::env::temp_dir().join(format!("brackets-test-gitconfig-{}", std::process::id()));
        std::fs::create_dir_all(&empty).unwrap();
        for level in [
            git2::ConfigLevel::Global,
            git2::ConfigLevel::XDG,
            git2::ConfigLevel::System,
            git2::ConfigLevel::ProgramData,
        ] {
            // SAFETY: called once, before any test opens a repository in this process.
            unsafe { git2::opts::set_search_path(level, &empty).unwrap() };
        }
    });
}

/// Byte offsets where lines start, with the parser's line terminators (`\n`, `\r\n`, lone `\r`).
fn line_starts(src: &str) -> Vec<usize> {
    let b = src.as_bytes();
    let mut starts = vec![0];
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// Everything a parsed document promises, whatever the input: it renders back to the source,
/// blocks tile the source, leaves tile each paragraph, the bracket tree and group anchors are
/// consistent, ids are unique and every diagnostic points inside the input.
pub fn check_invariants(doc: &Document) {
    let src = doc.source.as_str();
    assert!(
        doc.render() == src,
        "render() must give the input back byte for byte"
    );

    // Blocks tile the source.
    let mut at = 0;
    for block in &doc.blocks {
        assert_eq!(
            block.span.start, at,
            "blocks must tile the source: gap or overlap at {at}"
        );
        assert!(block.span.end > block.span.start, "empty block at {at}");
        assert!(src.is_char_boundary(block.span.start) && src.is_char_boundary(block.span.end));
        at = block.span.end;
        match block.kind {
            BlockKind::Paragraph(p) => assert_eq!(doc.paragraphs[p].span, block.span),
            BlockKind::Heading(s) => assert!(s < doc.sections.len()),
            _ => {}
        }
    }
    assert_eq!(at, src.len(), "blocks must cover the whole source");
    let paragraph_blocks = doc
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .count();
    assert_eq!(
        paragraph_blocks,
        doc.paragraphs.len(),
        "every paragraph has exactly one block"
    );

    let mut ids = HashSet::new();
    for (pi, p) in doc.paragraphs.iter().enumerate() {
        // The diff reads such a paragraph once for all three readings.
        if p.reads_plainly() {
            let plain = p.plain_text(src);
            assert_eq!(
                p.text(src),
                plain,
                "{}: notation of a plain paragraph",
                p.id
            );
            assert_eq!(
                p.agreed_text(src),
                plain,
                "{}: agreed words of a plain paragraph",
                p.id
            );
        }
        assert!(ids.insert(p.id.as_str()), "duplicate paragraph id {}", p.id);
        assert!(!p.id.is_empty());
        assert!(
            p.section < doc.sections.len(),
            "{}: section out of range",
            p.id
        );

        // Leaves tile the paragraph.
        let mut at = p.span.start;
        for leaf in &p.leaves {
            assert_eq!(
                leaf.span.start, at,
                "{}: leaves must tile the paragraph at {at}",
                p.id
            );
            assert!(
                leaf.span.end > leaf.span.start,
                "{}: empty leaf at {at}",
                p.id
            );
            assert!(src.is_char_boundary(leaf.span.start) && src.is_char_boundary(leaf.span.end));
            at = leaf.span.end;
        }
        assert_eq!(
            at, p.span.end,
            "{}: leaves must reach the paragraph's end",
            p.id
        );
        if let Some(label) = p.label {
            assert!(
                p.span.start <= label.start && label.end <= p.span.end,
                "{}: label outside",
                p.id
            );
        }

        // The bracket tree. Counted in one pass, so that huge inputs stay linear.
        let (mut opens, mut closes) = (
            vec![0usize; p.brackets.len()],
            vec![0usize; p.brackets.len()],
        );
        let (mut group_leaves, mut orphan_leaves) = (
            vec![0usize; p.groups.len()],
            vec![0usize; p.orphan_closes.len()],
        );
        let mut stamps = 0;
        for leaf in &p.leaves {
            match leaf.kind {
                LeafKind::Open(b) => opens[b] += 1,
                LeafKind::Close(b) => closes[b] += 1,
                LeafKind::Group(g) => group_leaves[g] += 1,
                LeafKind::OrphanClose(k) => orphan_leaves[k] += 1,
                LeafKind::Stamp => stamps += 1,
                _ => {}
            }
        }
        let mut listed_child = vec![false; p.brackets.len()];
        let mut listed_group = vec![false; p.groups.len()];
        for (bi, b) in p.brackets.iter().enumerate() {
            assert_eq!(opens[bi], 1, "{}: bracket {bi} has one opening leaf", p.id);
            assert_eq!(
                closes[bi],
                usize::from(b.close.is_some()),
                "{}: bracket {bi} close leaf",
                p.id
            );
            assert_eq!(b.open.len(), 1);
            if let Some((close, _)) = b.close {
                assert!(
                    b.open.end <= close.start,
                    "{}: bracket {bi} closes before it opens",
                    p.id
                );
            }
            if let Some(parent) = b.parent {
                assert!(parent < bi, "{}: parent after child", p.id);
                let pb = &p.brackets[parent];
                assert!(pb.open.start < b.open.start);
                if let (Some((pc, _)), Some((c, _))) = (pb.close, b.close) {
                    assert!(
                        c.start < pc.start,
                        "{}: child {bi} closes after its parent",
                        p.id
                    );
                }
            }
            for &c in &b.children {
                assert_eq!(
                    p.brackets[c].parent,
                    Some(bi),
                    "{}: child {c} does not point back",
                    p.id
                );
                assert!(
                    !std::mem::replace(&mut listed_child[c], true),
                    "{}: child {c} listed twice",
                    p.id
                );
            }
            for &g in &b.groups {
                assert_eq!(
                    p.groups[g].anchor,
                    Anchor::Bracket(bi),
                    "{}: group {g} anchor",
                    p.id
                );
                assert!(
                    !std::mem::replace(&mut listed_group[g], true),
                    "{}: group {g} listed twice",
                    p.id
                );
            }
        }
        for (bi, b) in p.brackets.iter().enumerate() {
            assert_eq!(
                b.parent.is_some(),
                listed_child[bi],
                "{}: bracket {bi} and its parent's children disagree",
                p.id
            );
        }
        for (k, o) in p.orphan_closes.iter().enumerate() {
            assert_eq!(orphan_leaves[k], 1);
            for &g in &o.groups {
                assert_eq!(p.groups[g].anchor, Anchor::OrphanClose(k));
                assert!(
                    !std::mem::replace(&mut listed_group[g], true),
                    "{}: group {g} listed twice",
                    p.id
                );
            }
            if let Some(s) = o.spanning {
                let s = doc.spanning[s];
                assert_eq!((s.close_paragraph, s.orphan), (pi, k));
            }
        }
        for (gi, g) in p.groups.iter().enumerate() {
            assert_eq!(group_leaves[gi], 1, "{}: group {gi} has one leaf", p.id);
            match g.anchor {
                Anchor::Bracket(b) => assert!(
                    b < p.brackets.len(),
                    "{}: group {gi} anchored to a missing bracket",
                    p.id
                ),
                Anchor::OrphanClose(k) => assert!(k < p.orphan_closes.len()),
                Anchor::Paragraph => {}
            }
            assert_eq!(
                listed_group[gi],
                g.anchor != Anchor::Paragraph,
                "{}: group {gi} is not listed by its anchor",
                p.id
            );
            assert!(p.span.start <= g.span.start && g.span.end <= p.span.end);
        }
        if let Some(stamp) = &p.agreed {
            assert_eq!(stamps, 1);
            assert_eq!(stamp.span.of(src), stamp.stamp);
        } else {
            assert_eq!(stamps, 0);
        }
        // The readings never panic. (Each bracket's text is a scan of the paragraph: only for
        // paragraphs of ordinary size.)
        let _ = (
            p.text(src),
            p.plain_text(src),
            p.agreed_text(src),
            p.actors().count(),
        );
        for bi in 0..p.brackets.len().min(200) {
            let _ = (p.bracket_text(src, bi), p.bracket_plain_text(src, bi));
        }
    }

    for s in &doc.spanning {
        assert!(s.open_paragraph < s.close_paragraph);
        let opened = &doc.paragraphs[s.open_paragraph];
        assert!(
            opened.brackets[s.bracket].close.is_none(),
            "a spanning bracket is unclosed where it opens"
        );
        assert!(
            doc.paragraphs[s.close_paragraph].orphan_closes[s.orphan]
                .spanning
                .is_some()
        );
    }

    // Diagnostics point inside the input.
    let starts = line_starts(src);
    for d in &doc.diagnostics {
        assert!(
            d.line >= 1 && d.line <= starts.len(),
            "diagnostic line {} out of range: {d:?}",
            d.line
        );
        let start = starts[d.line - 1];
        let end = starts.get(d.line).copied().unwrap_or(src.len());
        let chars = src[start..end].chars().count();
        assert!(
            d.column >= 1 && d.column <= chars + 1,
            "diagnostic column {} out of range: {d:?}",
            d.column
        );
        assert!(
            d.span.start <= src.len() && d.span.end <= src.len() && d.span.start <= d.span.end,
            "{d:?}"
        );
        assert!(!d.code.is_empty() && !d.message.is_empty());
    }
}

/// Parses `src`, checks every invariant, and returns the document.
pub fn parse_checked(src: &str) -> Document {
    let doc = brackets::parse(src);
    check_invariants(&doc);
    doc
}
