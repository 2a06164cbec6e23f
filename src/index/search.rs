//! Running a query: the query tree compiled to tantivy queries, the revision filter, ranking,
//! grouping of identical hits across iterations, and snippets with highlight ranges.

use super::query::{Expr, Field, Kind, Query, QueryError, StanceQuery, Term as QTerm, Value};
use super::schema::{self, Fields};
use super::{Index, IndexError, IterInfo, Result, tantivy_err};
use crate::repo::Repo;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query as TQuery, RegexQuery, TermQuery,
    TermSetQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::document::Value as _;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, TantivyDocument, Term};

/// Snippets are cut to about this many characters.
const SNIPPET_CHARS: usize = 160;

#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Search every iteration (identical hits grouped), not only each draft's newest.
    pub all_revisions: bool,
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            all_revisions: false,
            limit: 20,
        }
    }
}

/// An iteration a hit is found in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IterationRef {
    pub commit: String,
    /// The tag naming it, or the short commit id.
    pub label: String,
    pub date: String,
}

/// One result: a paragraph, a bracketed proposal or a comment, in one or (grouped, with
/// `all_revisions`) several iterations of a draft.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub draft: String,
    /// The label of the newest iteration it is found in.
    pub revision: String,
    pub paragraph: String,
    pub section: String,
    pub kind: Kind,
    /// Part of the text around the matches; `…` marks a cut.
    pub snippet: String,
    /// Byte ranges of `snippet` to highlight.
    pub highlights: Vec<Range<usize>>,
    pub score: f32,
    /// The whole text searched (paragraph words, bracketed words or comment).
    pub text: String,
    /// Attribution groups as written, for brackets and notes; `#id status` for reviewers'
    /// comments.
    pub attribution: String,
    /// The author of a reviewer's comment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The iterations it is found in, oldest first.
    pub revisions: Vec<IterationRef>,
    /// `Rev.1 to Rev.3`-style summary of `revisions`: runs of consecutive iterations.
    pub span: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Matching documents (with `all_revisions`: distinct hits among the best-scored
    /// documents), before the limit.
    pub total: usize,
    /// `total` is a lower bound: with `all_revisions`, more documents matched than were
    /// grouped, and the rest may hold further distinct hits.
    pub total_at_least: bool,
    /// Matching documents, every iteration counted.
    pub matches: usize,
    pub hits: Vec<Hit>,
}

/// Compiles a query tree; remembers the words to highlight.
struct Compiler<'a> {
    f: Fields,
    analyzer: TextAnalyzer,
    source: &'a str,
    rev: &'a mut dyn FnMut(&str) -> Result<Vec<u64>, String>,
    words: Vec<String>,
    prefixes: Vec<String>,
}

fn raw(field: tantivy::schema::Field, value: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn canonical_actor(code: &str) -> String {
    crate::actors::Actors::builtin()
        .resolve_any_case(code)
        .map_or_else(|| code.to_lowercase(), |a| a.code.to_lowercase())
}

impl Compiler<'_> {
    fn err(&self, span: Range<usize>, m: impl Into<String>) -> IndexError {
        IndexError::Query(QueryError::new(self.source, span, m))
    }

    fn compile(&mut self, e: &Expr, negated: bool) -> Result<Box<dyn TQuery>> {
        match e {
            Expr::Term(t) => self.term(t, negated),
            Expr::Not(inner) => {
                let q = self.compile(inner, !negated)?;
                Ok(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(AllQuery)),
                    (Occur::MustNot, q),
                ])))
            }
            Expr::Or(parts) => {
                let mut subs = Vec::with_capacity(parts.len());
                for p in parts {
                    subs.push((Occur::Should, self.compile(p, negated)?));
                }
                Ok(Box::new(BooleanQuery::new(subs)))
            }
            Expr::And(parts) => self.and(parts, negated),
        }
    }

    /// A conjunction. `actor:` and `stance:` terms side by side mean "this actor took this
    /// stance": they become actor-stance pairs, not two independent conditions.
    fn and(&mut self, parts: &[Expr], negated: bool) -> Result<Box<dyn TQuery>> {
        let simple = |e: &Expr, field: Field| -> bool {
            matches!(e, Expr::Term(t) if t.field == Some(field)
                && matches!(t.value, Value::Word(_)) && t.stance.is_none())
        };
        let actors: Vec<&QTerm> = parts
            .iter()
            .filter(|e| simple(e, Field::Actor))
            .filter_map(|e| match e {
                Expr::Term(t) => Some(t),
                _ => None,
            })
            .collect();
        let stances: Vec<&QTerm> = parts
            .iter()
            .filter(|e| simple(e, Field::Stance))
            .filter_map(|e| match e {
                Expr::Term(t) => Some(t),
                _ => None,
            })
            .collect();
        let pair = !actors.is_empty() && !stances.is_empty();
        let mut subs: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        if pair {
            for a in &actors {
                for s in &stances {
                    let stance = StanceQuery::from_word(s.value.text())
                        .ok_or_else(|| self.err(s.value_span.clone(), "unknown stance"))?;
                    let value = format!("{}:{}", canonical_actor(a.value.text()), stance.as_str());
                    subs.push((Occur::Must, raw(self.f.pair, &value)));
                }
            }
        }
        for p in parts {
            if pair && (simple(p, Field::Actor) || simple(p, Field::Stance)) {
                continue;
            }
            match p {
                Expr::Not(inner) => subs.push((Occur::MustNot, self.compile(inner, !negated)?)),
                _ => subs.push((Occur::Must, self.compile(p, negated)?)),
            }
        }
        if !subs.iter().any(|(o, _)| *o == Occur::Must) {
            subs.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(subs)))
    }

    fn text_tokens(&mut self, text: &str) -> Vec<String> {
        schema::tokens(&mut self.analyzer, text)
    }

    fn term(&mut self, t: &QTerm, negated: bool) -> Result<Box<dyn TQuery>> {
        let f = self.f;
        let v = t.value.text();
        let lower = v.to_lowercase();
        Ok(match (t.field, &t.value) {
            (None, Value::Word(w) | Value::Phrase(w)) => {
                let tokens = self.text_tokens(w);
                if tokens.is_empty() {
                    if matches!(t.value, Value::Phrase(_)) && w.trim().is_empty() {
                        return Err(self.err(t.span.clone(), "empty phrase"));
                    }
                    return Err(self.err(
                        t.span.clone(),
                        format!("`{w}` has no letters or digits to search for"),
                    ));
                }
                if !negated {
                    self.words.extend(tokens.iter().cloned());
                }
                let terms: Vec<Term> = tokens
                    .iter()
                    .map(|tok| Term::from_field_text(f.text, tok))
                    .collect();
                if terms.len() == 1 {
                    Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(terms))
                }
            }
            (None, Value::Prefix(p)) => {
                let tokens = self.text_tokens(p);
                let Some(last) = tokens.last().cloned() else {
                    return Err(self.err(
                        t.span.clone(),
                        format!("`{p}*` has no letters or digits to search for"),
                    ));
                };
                if !negated {
                    self.prefixes.push(last.clone());
                    self.words
                        .extend(tokens[..tokens.len() - 1].iter().cloned());
                }
                let rq = RegexQuery::from_pattern(&format!("{}.*", regex_escape(&last)), f.text)
                    .map_err(|e| {
                        self.err(
                            t.span.clone(),
                            format!("cannot search for this prefix: {e}"),
                        )
                    })?;
                if tokens.len() == 1 {
                    Box::new(rq)
                } else {
                    // `human rig*`: the leading words as a phrase, and the prefix.
                    let words: Vec<Term> = tokens[..tokens.len() - 1]
                        .iter()
                        .map(|tok| Term::from_field_text(f.text, tok))
                        .collect();
                    let lead: Box<dyn TQuery> = if words.len() == 1 {
                        Box::new(TermQuery::new(
                            words[0].clone(),
                            IndexRecordOption::WithFreqs,
                        ))
                    } else {
                        Box::new(PhraseQuery::new(words))
                    };
                    Box::new(BooleanQuery::new(vec![
                        (Occur::Must, lead),
                        (Occur::Must, Box::new(rq)),
                    ]))
                }
            }
            (Some(Field::Actor), Value::Prefix(p)) => self.prefix(f.actor, &p.to_lowercase(), t)?,
            (Some(Field::Actor), _) => {
                let actor = canonical_actor(v);
                match t.stance {
                    Some(s) => raw(f.pair, &format!("{actor}:{}", s.as_str())),
                    None => raw(f.actor, &actor),
                }
            }
            (Some(Field::Stance), _) => {
                let s = StanceQuery::from_word(v).ok_or_else(|| {
                    self.err(t.value_span.clone(), format!("unknown stance `{v}`"))
                })?;
                raw(f.stance, s.as_str())
            }
            (Some(Field::Kind), _) => {
                let k = Kind::from_word(v)
                    .ok_or_else(|| self.err(t.value_span.clone(), format!("unknown kind `{v}`")))?;
                raw(f.kind, k.as_str())
            }
            (Some(Field::Draft), Value::Prefix(p)) => {
                self.prefix(f.draft_terms, &p.to_lowercase(), t)?
            }
            (Some(Field::Draft), _) => raw(f.draft_terms, lower.trim_start_matches("./")),
            (Some(Field::Para), Value::Prefix(p)) => {
                self.prefix(f.para_tree, &p.to_lowercase(), t)?
            }
            (Some(Field::Para), _) => raw(f.para_tree, &lower),
            (Some(Field::Rev), _) => {
                let ids = (self.rev)(v).map_err(|m| self.err(t.value_span.clone(), m))?;
                if ids.is_empty() {
                    Box::new(EmptyQuery)
                } else {
                    Box::new(TermSetQuery::new(
                        ids.into_iter().map(|id| Term::from_field_u64(f.iter, id)),
                    ))
                }
            }
        })
    }

    fn prefix(&self, field: tantivy::schema::Field, p: &str, t: &QTerm) -> Result<Box<dyn TQuery>> {
        let rq =
            RegexQuery::from_pattern(&format!("{}.*", regex_escape(p)), field).map_err(|e| {
                self.err(
                    t.span.clone(),
                    format!("cannot search for this prefix: {e}"),
                )
            })?;
        Ok(Box::new(rq))
    }
}

/// Highlights of `words` and of words starting with one of `prefixes` in `text`, as a snippet.
fn snippet(
    analyzer: &TextAnalyzer,
    f: tantivy::schema::Field,
    text: &str,
    words: &[String],
    prefixes: &[String],
) -> (String, Vec<Range<usize>>) {
    let mut terms: BTreeMap<String, f32> = words.iter().map(|w| (w.clone(), 1.0)).collect();
    if !prefixes.is_empty() {
        let mut a = analyzer.clone();
        for tok in schema::tokens(&mut a, text) {
            if prefixes.iter().any(|p| tok.starts_with(p.as_str())) {
                terms.insert(tok, 1.0);
            }
        }
    }
    let cut = |s: &str| -> (String, Vec<Range<usize>>) {
        if s.chars().count() <= SNIPPET_CHARS {
            return (s.to_string(), Vec::new());
        }
        let end = s
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(s.len(), |(i, _)| i);
        let end = s[..end].rfind(' ').filter(|&i| i > 0).unwrap_or(end);
        (format!("{}…", &s[..end]), Vec::new())
    };
    if terms.is_empty() {
        return cut(text);
    }
    let generator = SnippetGenerator::new(terms, analyzer.clone(), f, SNIPPET_CHARS);
    let s = generator.snippet(text);
    if s.is_empty() {
        return cut(text);
    }
    let range = s.fragment_range();
    let mut out = String::new();
    let mut shift = 0;
    if range.start > 0 {
        out.push('…');
        shift = '…'.len_utf8();
    }
    out.push_str(s.fragment());
    if range.end < text.len() {
        out.push('…');
    }
    let highlights = s
        .highlighted()
        .iter()
        .map(|r| r.start + shift..r.end + shift)
        .collect();
    (out, highlights)
}

/// `rev1 to rev3, adopted`: runs of consecutive iterations of one draft.
fn span_text(members: &[&IterInfo]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (k, m) in members.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end)) if members[*end].ordinal + 1 == m.ordinal => *end = k,
            _ => runs.push((k, k)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                members[a].label.clone()
            } else {
                format!("{} to {}", members[a].label, members[b].label)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl Index {
    /// For each draft, the iteration in effect at `rev` (the newest one reachable from it).
    fn iterations_at(&self, rev: &str) -> Result<Vec<u64>, String> {
        let repo = Repo::open(&self.root).map_err(|e| e.to_string())?;
        let commit = repo
            .resolve_revision(rev)
            .map_err(|_| format!("revision `{rev}` does not exist in the repository"))?;
        let mut walk = repo.git().revwalk().map_err(|e| e.message().to_string())?;
        walk.push(commit.id())
            .map_err(|e| e.message().to_string())?;
        let reachable: HashSet<String> = walk.flatten().map(|o| o.to_string()).collect();
        Ok(self
            .state
            .drafts
            .iter()
            .filter_map(|(draft, d)| {
                d.iterations
                    .iter()
                    .find(|i| reachable.contains(&i.commit))
                    .map(|i| schema::iteration_id(draft, &i.commit))
            })
            .collect())
    }

    fn iteration_ref(&self, info: &IterInfo) -> IterationRef {
        IterationRef {
            commit: info.commit.clone(),
            label: info.label.clone(),
            date: crate::repo::time::format_rfc3339(info.time, info.offset),
        }
    }

    /// Runs a query. Without `all_revisions` (and without `rev:` in the query) only each
    /// draft's newest iteration is searched. A damaged index file that tantivy trips over is
    /// [`super::IndexError::Damaged`] (see [`Index::search_repairing`]).
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Result<SearchResults> {
        match super::guarded(&self.dir, || self.search_unguarded(query, options)) {
            // Reading what the index holds failed: its files are damaged (a doc store block
            // that does not decompress, a truncated posting list).
            Err(super::IndexError::Tantivy { context, cause }) => Err(super::IndexError::Damaged {
                path: self.dir.clone(),
                why: format!("{context}: {cause}"),
            }),
            other => other,
        }
    }

    fn search_unguarded(&self, query: &Query, options: &SearchOptions) -> Result<SearchResults> {
        let Some(expr) = &query.expr else {
            return Ok(SearchResults::default());
        };
        let f = self.fields;
        let mut rev = |r: &str| self.iterations_at(r);
        let mut c = Compiler {
            f,
            analyzer: schema::analyzer(),
            source: &query.source,
            rev: &mut rev,
            words: Vec::new(),
            prefixes: Vec::new(),
        };
        let compiled = c.compile(expr, false)?;
        let (words, prefixes) = (
            std::mem::take(&mut c.words),
            std::mem::take(&mut c.prefixes),
        );
        let mut parts: Vec<(Occur, Box<dyn TQuery>)> = vec![(Occur::Must, compiled)];
        if !options.all_revisions && !query.names_revisions() {
            let newest = self.state.drafts.iter().filter_map(|(draft, d)| {
                d.iterations
                    .first()
                    .map(|i| Term::from_field_u64(f.iter, schema::iteration_id(draft, &i.commit)))
            });
            parts.push((Occur::Must, Box::new(TermSetQuery::new(newest))));
        }
        let full = BooleanQuery::new(parts);
        let limit = options.limit.max(1);
        let grouped = options.all_revisions || query.names_revisions();
        // Grouping needs many documents per hit; without it, more than `limit` are still
        // collected so that hits of equal score at the cut are chosen by `tie_break` below,
        // not by where the index happened to store them.
        let collect = limit.saturating_mul(64).clamp(1000, 50_000);
        let searcher = self.reader.searcher();
        let (top, count) = searcher
            .search(
                &full,
                &(TopDocs::with_limit(collect).order_by_score(), Count),
            )
            .map_err(tantivy_err("cannot search the index"))?;

        // Group identical hits: same draft, kind, paragraph and text, in several iterations.
        let mut columns: HashMap<u32, (Option<_>, Option<_>)> = HashMap::new();
        let mut order: Vec<u64> = Vec::new();
        let mut groups: HashMap<u64, (f32, Vec<(DocAddress, u64)>)> = HashMap::new();
        // What orders hits of equal score: the index's document order depends on how its
        // segments were built and merged, so two builds of one history would list them
        // differently. Group ids and iteration ids are hashes of the draft's words and commits.
        let mut tie_break: HashMap<u64, (u64, u64)> = HashMap::new();
        for (score, addr) in &top {
            let (group_col, iter_col) = columns.entry(addr.segment_ord).or_insert_with(|| {
                let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
                (ff.u64("group").ok(), ff.u64("iter").ok())
            });
            let group = group_col.as_ref().and_then(|c| c.first(addr.doc_id));
            let iter = iter_col
                .as_ref()
                .and_then(|c| c.first(addr.doc_id))
                .unwrap_or(0);
            // Without grouping, every document is its own hit.
            let key = if grouped {
                group.unwrap_or(u64::from(addr.segment_ord) << 32 | u64::from(addr.doc_id))
            } else {
                order.len() as u64
            };
            let entry = groups.entry(key).or_insert_with(|| {
                order.push(key);
                tie_break.insert(key, (group.unwrap_or(0), iter));
                (*score, Vec::new())
            });
            entry.1.push((*addr, iter));
        }
        let score_of = |key: &u64| groups.get(key).map_or(f32::MIN, |g| g.0);
        order.sort_by(|a, b| {
            score_of(b)
                .total_cmp(&score_of(a))
                .then_with(|| tie_break.get(a).cmp(&tie_break.get(b)))
        });
        let total = if grouped { order.len() } else { count };

        let analyzer = schema::analyzer();
        let mut hits = Vec::new();
        for key in order.iter().take(limit) {
            let Some((score, members)) = groups.get(key) else {
                continue;
            };
            let mut infos: Vec<(&IterInfo, DocAddress)> = members
                .iter()
                .filter_map(|(addr, iter)| self.iters.get(iter).map(|i| (i, *addr)))
                .collect();
            infos.sort_by_key(|(i, _)| (i.ordinal, i.time));
            infos.dedup_by_key(|(i, _)| i.ordinal);
            let addr = infos.last().map_or(members[0].0, |(_, a)| *a);
            let doc: TantivyDocument = searcher
                .doc(addr)
                .map_err(tantivy_err("cannot read the search index"))?;
            let text = text_of(&doc, f.text);
            let (snip, highlights) = snippet(&analyzer, f.text, &text, &words, &prefixes);
            let kind = Kind::from_word(&text_of(&doc, f.kind)).unwrap_or(Kind::Paragraph);
            let author = Some(text_of(&doc, f.author)).filter(|a| !a.is_empty());
            let refs: Vec<&IterInfo> = infos.iter().map(|(i, _)| *i).collect();
            hits.push(Hit {
                draft: text_of(&doc, f.draft),
                revision: refs.last().map(|i| i.label.clone()).unwrap_or_default(),
                paragraph: text_of(&doc, f.para),
                section: text_of(&doc, f.section),
                kind,
                snippet: snip,
                highlights,
                score: *score,
                text,
                attribution: text_of(&doc, f.attribution),
                author,
                revisions: refs.iter().map(|i| self.iteration_ref(i)).collect(),
                span: span_text(&refs),
            });
        }
        Ok(SearchResults {
            total,
            total_at_least: grouped && count > top.len(),
            matches: count,
            hits,
        })
    }
}
