//! The tantivy schema and the search documents read from a parsed draft.
//!
//! One search document per paragraph, per bracketed proposal and per comment (a note in
//! braces, or a reviewer's comment from the comments file). Actor codes, stances and ids are
//! lower-cased at index time and at query time: tantivy's raw fields are case-sensitive.

use super::query::Kind;
use crate::model::{Document, Group, Paragraph};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// The name the text analyser is registered under.
pub const TOKENIZER: &str = "brackets";

/// Bumped whenever the schema or what goes into a document changes: an index made by another
/// version is rebuilt.
pub const SCHEMA_VERSION: u32 = 3;

/// Words, lower-cased and folded to ASCII (`é` matches `e`), overlong tokens dropped.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The tokens of `text` as the index sees them.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub kind: Field,
    pub text: Field,
    pub actor: Field,
    pub stance: Field,
    /// `egy:oppose`, `usa:proposer`.
    pub pair: Field,
    /// The draft's path, for display.
    pub draft: Field,
    /// Lower-cased path, its folders, file name and stem: what `draft:` matches.
    pub draft_terms: Field,
    /// The iteration: a hash of draft and commit (see `iteration_id`).
    pub iter: Field,
    pub para: Field,
    /// Lower-cased id and its ancestors (`op1`, `op1.d`, `op1.d.alt1`): what `para:` matches.
    pub para_tree: Field,
    pub section: Field,
    /// Hash of draft, kind, paragraph and text: identical hits across iterations share it.
    pub group: Field,
    /// The attribution groups as written (`{USA+, GBR+}{CHN reserve}`).
    pub attribution: Field,
    /// Set on reviewers' comments from the comments file: a hash of the draft's path.
    pub store: Field,
    /// Who wrote a reviewer's comment.
    pub author: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            kind: b.add_text_field("kind", STRING | STORED),
            text: b.add_text_field("text", text),
            actor: b.add_text_field("actor", STRING),
            stance: b.add_text_field("stance", STRING),
            pair: b.add_text_field("pair", STRING),
            draft: b.add_text_field("draft", STORED),
            draft_terms: b.add_text_field("draft_terms", STRING),
            iter: b.add_u64_field("iter", INDEXED | FAST | STORED),
            para: b.add_text_field("para", STORED),
            para_tree: b.add_text_field("para_tree", STRING),
            section: b.add_text_field("section", STORED),
            group: b.add_u64_field("group", FAST),
            attribution: b.add_text_field("attribution", STORED),
            store: b.add_u64_field("store", INDEXED),
            author: b.add_text_field("author", STORED),
        };
        (b.build(), fields)
    }
}

/// FNV-1a, 64 bits, over parts separated by a zero byte: stable across runs and platforms.
pub fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The id of one iteration of one draft in the index.
pub fn iteration_id(draft: &str, commit: &str) -> u64 {
    hash(&[draft, commit])
}

/// The id shared by a draft's reviewer comments in the index.
pub fn store_id(draft: &str) -> u64 {
    hash(&["comments", draft])
}

/// `resolution/people-centred-smart-cities.md` gives the whole path, `resolution`,
/// `people-centred-smart-cities.md` and `people-centred-smart-cities`, lower-cased.
pub fn draft_terms(path: &str) -> Vec<String> {
    let lower = path.to_lowercase();
    let mut out = vec![lower.clone()];
    let parts: Vec<&str> = lower.split('/').collect();
    for i in 1..parts.len() {
        out.push(parts[..i].join("/"));
    }
    if let Some(name) = parts.last() {
        out.push((*name).to_string());
        if let Some((stem, _)) = name.rsplit_once('.') {
            out.push(stem.to_string());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `op1.d.alt1` gives `op1`, `op1.d`, `op1.d.alt1`; `2.1.1/p3` gives `2`, `2.1`, `2.1.1`,
/// `2.1.1/p3`.
pub fn para_tree(id: &str) -> Vec<String> {
    let lower = id.to_lowercase();
    let mut out: Vec<String> = lower
        .char_indices()
        .filter(|(_, c)| *c == '.' || *c == '/')
        .map(|(i, _)| lower[..i].to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.push(lower);
    out
}

/// What one iteration is, for the documents read from it.
pub struct Source<'a> {
    pub draft: &'a str,
    pub iter: u64,
}

/// Positions, stances and pairs gathered for one search document.
#[derive(Default)]
struct Who {
    actors: Vec<String>,
    stances: Vec<&'static str>,
    pairs: Vec<String>,
}

impl Who {
    fn add_group(&mut self, g: &Group) {
        for p in &g.positions {
            let actor = p.actor.to_lowercase();
            self.stances.push(p.stance.as_str());
            self.pairs.push(format!("{actor}:{}", p.stance.as_str()));
            if p.proposer {
                self.stances.push("proposer");
                self.pairs.push(format!("{actor}:proposer"));
            }
            self.actors.push(actor);
        }
        if let Some(note) = &g.note {
            self.stances.push("note");
            if let Some(a) = &note.actor {
                let actor = a.to_lowercase();
                self.pairs.push(format!("{actor}:note"));
                self.actors.push(actor);
            }
        }
    }

    fn write(mut self, f: &Fields, d: &mut TantivyDocument) {
        self.actors.sort();
        self.actors.dedup();
        self.stances.sort_unstable();
        self.stances.dedup();
        self.pairs.sort();
        self.pairs.dedup();
        for a in &self.actors {
            d.add_text(f.actor, a);
        }
        for s in &self.stances {
            d.add_text(f.stance, s);
        }
        for p in &self.pairs {
            d.add_text(f.pair, p);
        }
    }
}

/// The fields every document of a paragraph shares.
pub fn base(
    f: &Fields,
    src: &Source<'_>,
    kind: Kind,
    para: &str,
    section: &str,
    text: &str,
) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, kind.as_str());
    d.add_text(f.text, text);
    d.add_text(f.draft, src.draft);
    for t in draft_terms(src.draft) {
        d.add_text(f.draft_terms, &t);
    }
    d.add_u64(f.iter, src.iter);
    d.add_text(f.para, para);
    for t in para_tree(para) {
        d.add_text(f.para_tree, &t);
    }
    d.add_text(f.section, section);
    d
}

fn attribution(p: &Paragraph, doc: &Document, groups: &[usize]) -> String {
    groups
        .iter()
        .filter_map(|&g| p.groups.get(g))
        .map(|g| crate::text::visible(g.span.of(&doc.source)).into_owned())
        .collect::<Vec<_>>()
        .join("")
}

/// Every search document of one parsed iteration.
pub fn documents(f: &Fields, src: &Source<'_>, doc: &Document) -> Vec<TantivyDocument> {
    let mut out = Vec::new();
    let text = &doc.source;
    for p in &doc.paragraphs {
        let section = doc.section_of(p).name();
        // The paragraph: its words, and everyone who speaks anywhere in it.
        let plain = p.plain_text(text);
        let mut d = base(f, src, Kind::Paragraph, &p.id, &section, &plain);
        let mut who = Who::default();
        for g in &p.groups {
            who.add_group(g);
        }
        who.write(f, &mut d);
        let notation = p.text(text);
        d.add_u64(f.group, hash(&[src.draft, "paragraph", &p.id, &notation]));
        out.push(d);

        // Each bracketed proposal, with the positions attributed to it; brackets nested
        // very deep are read by their own words, as the diff reads them (linear in the text).
        let ranges = crate::diff::brackets::text_ranges(p);
        for (bi, b) in p.brackets.iter().enumerate() {
            let Some(range) = ranges.get(bi) else {
                continue;
            };
            let words = p.range_plain_text(text, range.clone());
            if words.is_empty() && b.groups.is_empty() {
                continue;
            }
            let mut d = base(f, src, Kind::Bracket, &p.id, &section, &words);
            let mut who = Who::default();
            for &g in &b.groups {
                if let Some(g) = p.groups.get(g) {
                    who.add_group(g);
                }
            }
            who.write(f, &mut d);
            let attr = attribution(p, doc, &b.groups);
            let written = p.range_text(text, range.clone());
            d.add_u64(
                f.group,
                hash(&[src.draft, "bracket", &p.id, &written, &attr]),
            );
            d.add_text(f.attribution, &attr);
            out.push(d);
        }

        // Notes in braces: comments too.
        for (gi, g) in p.groups.iter().enumerate() {
            let Some(note) = &g.note else {
                continue;
            };
            let mut d = base(f, src, Kind::Comment, &p.id, &section, &note.text);
            let mut who = Who::default();
            who.add_group(g);
            who.write(f, &mut d);
            let attr = attribution(p, doc, &[gi]);
            d.add_u64(f.group, hash(&[src.draft, "comment", &p.id, &note.text]));
            d.add_text(f.attribution, &attr);
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_and_paragraph_terms() {
        assert_eq!(
            draft_terms("resolution/Smart.md"),
            ["resolution", "resolution/smart.md", "smart", "smart.md"]
        );
        assert_eq!(para_tree("OP1.d.alt1"), ["op1", "op1.d", "op1.d.alt1"]);
        assert_eq!(para_tree("2.1.1/P3"), ["2", "2.1", "2.1.1", "2.1.1/p3"]);
        assert_eq!(para_tree("PP4bis"), ["pp4bis"]);
    }

    #[test]
    fn a_draft_gives_paragraph_bracket_and_comment_documents() {
        let doc = crate::parse(
            "The Assembly,\n\nNoting [the right to privacy] {USA+ FRA-}{RUS reserve} {FRA suggest to move},\n",
        );
        let (_, f) = Fields::schema();
        let docs = documents(
            &f,
            &Source {
                draft: "d.md",
                iter: 7,
            },
            &doc,
        );
        let kinds: Vec<_> = docs
            .iter()
            .map(|d| {
                use tantivy::schema::document::Value;
                d.get_first(f.kind)
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(kinds, ["paragraph", "bracket", "comment"]);
    }
}
