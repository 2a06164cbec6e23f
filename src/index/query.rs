//! The query language of `brackets search` (DESIGN section 5): free words, `"phrases"`,
//! `prefix*`, the fields `actor:`, `stance:`, `draft:`, `para:`, `kind:`, `rev:`, and
//! `AND`/`OR`/`NOT` (also `-word`) with parentheses. Adjacent terms are joined by AND.
//!
//! Parsing is pure and knows nothing of tantivy: [`Query::parse`] gives a tree of [`Expr`] or a
//! [`QueryError`] pointing at the problem (byte span and column), which the command line
//! underlines and the TUI can highlight.
//!
//! ```
//! use brackets::index::query::Query;
//! let q = Query::parse("actor:EGY stance:oppose privacy").unwrap();
//! assert!(!q.is_empty());
//! let e = Query::parse("acter:EGY").unwrap_err();
//! assert_eq!(e.column, 1);
//! assert!(e.message.contains("did you mean actor"));
//! ```

use crate::model::Stance;
use std::fmt;
use std::ops::Range;

/// Nesting deeper than this is refused, so that no query can overflow the stack.
const MAX_DEPTH: usize = 32;
/// Terms beyond this many are refused: a query is typed by a person.
const MAX_TERMS: usize = 256;

/// A field a term may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Actor,
    Stance,
    Draft,
    Para,
    Kind,
    Rev,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Actor,
        Field::Stance,
        Field::Draft,
        Field::Para,
        Field::Kind,
        Field::Rev,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Actor => "actor",
            Field::Stance => "stance",
            Field::Draft => "draft",
            Field::Para => "para",
            Field::Kind => "kind",
            Field::Rev => "rev",
        }
    }

    fn from_name(name: &str) -> Option<Field> {
        Some(match name.to_ascii_lowercase().as_str() {
            "actor" | "actors" | "by" => Field::Actor,
            "stance" | "stances" | "position" => Field::Stance,
            "draft" | "file" | "doc" => Field::Draft,
            "para" | "paragraph" | "p" | "id" => Field::Para,
            "kind" | "type" => Field::Kind,
            "rev" | "revision" | "iteration" | "at" => Field::Rev,
            _ => return None,
        })
    }
}

/// What a search document is: a whole paragraph, one bracketed proposal, or a comment (a note
/// in braces in the draft, or a reviewer's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Paragraph,
    Bracket,
    Comment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Paragraph => "paragraph",
            Kind::Bracket => "bracket",
            Kind::Comment => "comment",
        }
    }

    pub fn from_word(word: &str) -> Option<Kind> {
        Some(match word.to_ascii_lowercase().as_str() {
            "paragraph" | "paragraphs" | "para" | "p" => Kind::Paragraph,
            "bracket" | "brackets" | "proposal" | "proposals" | "b" => Kind::Bracket,
            "comment" | "comments" | "note" | "notes" | "c" => Kind::Comment,
            _ => return None,
        })
    }
}

/// A stance as a query names it: one of the five, or `proposer` (the first support of a
/// bracket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StanceQuery {
    Is(Stance),
    Proposer,
}

impl StanceQuery {
    pub fn as_str(self) -> &'static str {
        match self {
            StanceQuery::Is(s) => s.as_str(),
            StanceQuery::Proposer => "proposer",
        }
    }

    pub fn from_word(word: &str) -> Option<StanceQuery> {
        let w = word.to_ascii_lowercase();
        Some(match w.as_str() {
            "+" => StanceQuery::Is(Stance::Support),
            "-" => StanceQuery::Is(Stance::Oppose),
            "proposer" | "propose" | "proposes" | "proposed" | "proposal" => StanceQuery::Proposer,
            "note" | "notes" | "comment" | "comments" => StanceQuery::Is(Stance::Note),
            _ => StanceQuery::Is(Stance::from_word(&w)?),
        })
    }
}

/// The value of a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A bare word (which the text analyser may still split: `e-waste`).
    Word(String),
    /// `"a phrase"`.
    Phrase(String),
    /// `priv*`: the part before the star.
    Prefix(String),
}

impl Value {
    pub fn text(&self) -> &str {
        match self {
            Value::Word(s) | Value::Phrase(s) | Value::Prefix(s) => s,
        }
    }
}

/// One term: a value, with the field it is restricted to (none: the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub field: Option<Field>,
    pub value: Value,
    /// `actor:EGY-` / `actor:EGY+`: the actor with that stance.
    pub stance: Option<StanceQuery>,
    /// Where the whole term is in the query, in bytes.
    pub span: Range<usize>,
    /// Where its value is.
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Term(Term),
}

/// A parsed query. An empty query (only spaces) matches nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub source: String,
    pub expr: Option<Expr>,
}

/// A query that cannot be read, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// Byte range of the offending part of the query.
    pub span: Range<usize>,
    /// 1-based column (in characters) where it starts.
    pub column: usize,
    pub query: String,
}

impl QueryError {
    pub(crate) fn new(query: &str, span: Range<usize>, message: impl Into<String>) -> QueryError {
        let start = span.start.min(query.len());
        let column = query.get(..start).map_or(1, |s| s.chars().count() + 1);
        QueryError {
            message: message.into(),
            span,
            column,
            query: query.to_string(),
        }
    }

    /// The query on one line and a caret line under the problem, for a terminal.
    pub fn underline(&self) -> String {
        let q = &self.query;
        let start = self.span.start.min(q.len());
        let end = self.span.end.clamp(start, q.len());
        let before = q.get(..start).map_or(0, |s| s.chars().count());
        let width = q.get(start..end).map_or(1, |s| s.chars().count()).max(1);
        format!(
            "  {}\n  {}{}",
            crate::text::visible(q),
            " ".repeat(before),
            "^".repeat(width)
        )
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (column {})", self.message, self.column)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `-` glued to the term after it.
    Minus,
    Term(Term),
}

struct Lexer<'a> {
    src: &'a str,
    at: usize,
}

fn is_break(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || c == '"'
}

impl<'a> Lexer<'a> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError::new(self.src, span, message)
    }

    fn peek(&self) -> Option<char> {
        self.src[self.at..].chars().next()
    }

    /// A quoted phrase starting at the `"` under the cursor; returns its text and span.
    fn phrase(&mut self) -> Result<(String, Range<usize>), QueryError> {
        let start = self.at;
        self.at += 1;
        match self.src[self.at..].find('"') {
            Some(len) => {
                let text = self.src[self.at..self.at + len].to_string();
                self.at += len + 1;
                Ok((text, start..self.at))
            }
            None => Err(self.err(
                start..self.src.len(),
                "this quote is never closed: add a closing \"",
            )),
        }
    }

    fn word(&mut self) -> (String, Range<usize>) {
        let start = self.at;
        while let Some(c) = self.peek() {
            if is_break(c) {
                break;
            }
            self.at += c.len_utf8();
        }
        (self.src[start..self.at].to_string(), start..self.at)
    }

    fn tokens(mut self) -> Result<Vec<(Token, Range<usize>)>, QueryError> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            let start = self.at;
            if c.is_whitespace() {
                self.at += c.len_utf8();
                continue;
            }
            if out.len() >= MAX_TERMS * 2 {
                return Err(self.err(start..self.src.len(), "this query is too long"));
            }
            match c {
                '(' => {
                    self.at += 1;
                    out.push((Token::Open, start..self.at));
                }
                ')' => {
                    self.at += 1;
                    out.push((Token::Close, start..self.at));
                }
                '"' => {
                    let (text, span) = self.phrase()?;
                    out.push((
                        Token::Term(Term {
                            field: None,
                            value: Value::Phrase(text),
                            stance: None,
                            value_span: span.clone(),
                            span: span.clone(),
                        }),
                        span,
                    ));
                }
                '-' | '!'
                    if self.src[self.at + 1..]
                        .chars()
                        .next()
                        .is_some_and(|n| !n.is_whitespace() && n != ')') =>
                {
                    self.at += 1;
                    out.push((Token::Minus, start..self.at));
                }
                _ => {
                    let (word, span) = self.word();
                    let token = match word.as_str() {
                        "AND" | "&&" => Token::And,
                        "OR" | "||" => Token::Or,
                        "NOT" => Token::Not,
                        _ => Token::Term(self.term(word, span.clone())?),
                    };
                    let span = match &token {
                        Token::Term(t) => t.span.clone(),
                        _ => span,
                    };
                    out.push((token, span));
                }
            }
        }
        Ok(out)
    }

    /// A word just read, which may be `field:value` or `field:"phrase"`.
    fn term(&mut self, word: String, span: Range<usize>) -> Result<Term, QueryError> {
        let Some((name, rest)) = word.split_once(':') else {
            return Ok(plain_term(None, word, span.clone(), span));
        };
        // `http://...` or `12:30`: a colon inside a word that names no field is text.
        let name_span = span.start..span.start + name.len();
        if name.is_empty() {
            return Err(self.err(
                name_span.start..name_span.start + 1,
                format!(
                    "a field name is missing before `:`; fields are {}",
                    fields()
                ),
            ));
        }
        let Some(field) = Field::from_name(name) else {
            if name.chars().all(|c| c.is_ascii_alphabetic()) {
                let hint = suggest(name)
                    .map(|f| format!(" (did you mean {f}?)"))
                    .unwrap_or_default();
                return Err(self.err(
                    name_span,
                    format!(
                        "unknown field `{name}`{hint}; fields are {}; put a word with a colon in quotes",
                        fields()
                    ),
                ));
            }
            return Ok(plain_term(None, word, span.clone(), span));
        };
        let value_start = span.end - rest.len();
        if rest.is_empty() {
            // `field:"a phrase"`
            if self.peek() == Some('"') {
                let (text, pspan) = self.phrase()?;
                return Ok(Term {
                    field: Some(field),
                    value: Value::Phrase(text),
                    stance: None,
                    value_span: pspan.clone(),
                    span: span.start..pspan.end,
                });
            }
            return Err(self.err(
                span.clone(),
                format!("`{name}:` needs a value{}", examples(field)),
            ));
        }
        Ok(plain_term(
            Some(field),
            rest.to_string(),
            value_start..span.end,
            span,
        ))
    }
}

fn plain_term(
    field: Option<Field>,
    mut text: String,
    value_span: Range<usize>,
    span: Range<usize>,
) -> Term {
    let mut stance = None;
    if field == Some(Field::Actor) && text.len() > 1 {
        if let Some(s) = text.strip_suffix('+') {
            stance = Some(StanceQuery::Is(Stance::Support));
            text = s.to_string();
        } else if let Some(s) = text.strip_suffix('-') {
            stance = Some(StanceQuery::Is(Stance::Oppose));
            text = s.to_string();
        }
    }
    let value = match text.strip_suffix('*') {
        Some(p) if !p.is_empty() && !p.ends_with('*') => Value::Prefix(p.to_string()),
        _ => Value::Word(text),
    };
    Term {
        field,
        value,
        stance,
        span,
        value_span,
    }
}

fn fields() -> String {
    Field::ALL
        .iter()
        .map(|f| format!("{}:", f.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn examples(field: Field) -> &'static str {
    match field {
        Field::Actor => ", an actor code such as actor:EGY",
        Field::Stance => ": support, oppose, reserve, delete, note or proposer",
        Field::Draft => ", a draft's path or name",
        Field::Para => ", a paragraph id such as para:OP4",
        Field::Kind => ": paragraph, bracket or comment",
        Field::Rev => ", a revision such as rev:rev1 or rev:HEAD~2",
    }
}

/// The field a mistyped name most likely meant (edit distance 2 or less).
fn suggest(name: &str) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    Field::ALL
        .iter()
        .map(|f| (distance(&name, f.name()), f.name()))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<(Token, Range<usize>)>,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, span: Range<usize>, message: impl Into<String>) -> QueryError {
        QueryError::new(self.src, span, message)
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn span(&self) -> Range<usize> {
        self.tokens
            .get(self.at)
            .map_or(self.src.len()..self.src.len(), |(_, s)| s.clone())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            let span = self.span();
            self.at += 1;
            if matches!(self.peek(), None | Some(Token::Close | Token::Or)) {
                return Err(self.err(span, "OR needs a term after it"));
            }
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) => {
                    let span = self.span();
                    if parts.is_empty() {
                        return Err(self.err(span, "AND needs a term before it"));
                    }
                    self.at += 1;
                    if matches!(
                        self.peek(),
                        None | Some(Token::Close | Token::Or | Token::And)
                    ) {
                        return Err(self.err(span, "AND needs a term after it"));
                    }
                }
                _ => parts.push(self.unary()?),
            }
        }
        match parts.len() {
            0 => {
                let span = self.span();
                Err(match self.peek() {
                    Some(Token::Or) => self.err(span, "OR needs a term before it"),
                    Some(Token::Close) => self.err(span, "nothing to search for before `)`"),
                    _ => self.err(span, "nothing to search for here"),
                })
            }
            1 => Ok(parts.remove(0)),
            _ => Ok(Expr::And(parts)),
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let span = self.span();
        match self.peek() {
            Some(Token::Not | Token::Minus) => {
                self.at += 1;
                if matches!(
                    self.peek(),
                    None | Some(Token::Close | Token::Or | Token::And)
                ) {
                    return Err(self.err(span, "NOT needs a term after it"));
                }
                self.nested(span, |p| Ok(Expr::Not(Box::new(p.unary()?))))
            }
            Some(Token::Open) => {
                self.at += 1;
                if self.peek() == Some(&Token::Close) {
                    return Err(self.err(span.start..self.span().end, "empty parentheses"));
                }
                let inner = self.nested(span.clone(), Parser::or)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(self.err(span, "this parenthesis is never closed: add a `)`"));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Token::Term(t)) => {
                let t = t.clone();
                self.at += 1;
                Ok(Expr::Term(t))
            }
            _ => Err(self.err(span, "expected a word, a phrase or field:value")),
        }
    }

    fn nested(
        &mut self,
        span: Range<usize>,
        f: impl FnOnce(&mut Self) -> Result<Expr, QueryError>,
    ) -> Result<Expr, QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(span, "this query nests too deeply"));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }
}

impl Query {
    /// Reads a query; values of `stance:` and `kind:` are checked here, actor codes and
    /// revisions when the query runs.
    pub fn parse(source: &str) -> Result<Query, QueryError> {
        let tokens = Lexer { src: source, at: 0 }.tokens()?;
        if tokens.is_empty() {
            return Ok(Query {
                source: source.to_string(),
                expr: None,
            });
        }
        let mut p = Parser {
            src: source,
            tokens,
            at: 0,
            depth: 0,
        };
        let expr = p.or()?;
        if p.at < p.tokens.len() {
            let span = p.span();
            return Err(p.err(span, "unmatched `)`"));
        }
        let q = Query {
            source: source.to_string(),
            expr: Some(expr),
        };
        q.check()?;
        Ok(q)
    }

    /// For a search box that updates as the user types: the query, or when it cannot be read
    /// yet (an open quote, a dangling `AND`), the longest readable part before the problem,
    /// with the error to show beside it.
    pub fn parse_lenient(source: &str) -> (Query, Option<QueryError>) {
        let first = match Query::parse(source) {
            Ok(q) => return (q, None),
            Err(e) => e,
        };
        let mut end = first.span.start.min(source.len());
        for _ in 0..8 {
            while end > 0 && !source.is_char_boundary(end) {
                end -= 1;
            }
            let head = source[..end].trim_end();
            let head = head
                .strip_suffix("AND")
                .or_else(|| head.strip_suffix("OR"))
                .or_else(|| head.strip_suffix("NOT"))
                .unwrap_or(head);
            match Query::parse(head) {
                Ok(mut q) => {
                    q.source = source.to_string();
                    return (q, Some(first));
                }
                Err(e) if e.span.start < end => end = e.span.start,
                Err(_) => break,
            }
        }
        (
            Query {
                source: source.to_string(),
                expr: None,
            },
            Some(first),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.expr.is_none()
    }

    /// Every term, in order.
    pub fn terms(&self) -> Vec<&Term> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Term>) {
            match e {
                Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| walk(e, out)),
                Expr::Not(e) => walk(e, out),
                Expr::Term(t) => out.push(t),
            }
        }
        let mut out = Vec::new();
        if let Some(e) = &self.expr {
            walk(e, &mut out);
        }
        out
    }

    /// Whether the query names revisions itself (then no default revision filter applies).
    pub fn names_revisions(&self) -> bool {
        self.terms().iter().any(|t| t.field == Some(Field::Rev))
    }

    fn check(&self) -> Result<(), QueryError> {
        let terms = self.terms();
        if terms.len() > MAX_TERMS {
            return Err(QueryError::new(
                &self.source,
                0..self.source.len(),
                "this query has too many terms",
            ));
        }
        for t in terms {
            let err = |m: String| Err(QueryError::new(&self.source, t.value_span.clone(), m));
            match (t.field, &t.value) {
                (Some(Field::Stance), Value::Word(w)) if StanceQuery::from_word(w).is_none() => {
                    return err(format!(
                        "unknown stance `{w}`; stances are support (+), oppose (-), reserve, delete, note and proposer"
                    ));
                }
                (Some(Field::Kind), Value::Word(w)) if Kind::from_word(w).is_none() => {
                    return err(format!(
                        "unknown kind `{w}`; kinds are paragraph, bracket and comment"
                    ));
                }
                (Some(f @ (Field::Stance | Field::Kind | Field::Rev)), Value::Prefix(_)) => {
                    return err(format!(
                        "`{}:` takes a whole value, not a prefix*",
                        f.name()
                    ));
                }
                (Some(f @ (Field::Stance | Field::Kind | Field::Actor)), Value::Phrase(_)) => {
                    return err(format!("`{}:` takes a single word, not a phrase", f.name()));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(q: &str) -> Term {
        match Query::parse(q).unwrap().expr {
            Some(Expr::Term(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn words_fields_phrases_and_prefixes() {
        assert_eq!(term("privacy").value, Value::Word("privacy".into()));
        assert_eq!(
            term("\"right to privacy\"").value,
            Value::Phrase("right to privacy".into())
        );
        assert_eq!(term("priv*").value, Value::Prefix("priv".into()));
        let t = term("actor:EGY");
        assert_eq!(
            (t.field, t.value),
            (Some(Field::Actor), Value::Word("EGY".into()))
        );
        let t = term("actor:EGY-");
        assert_eq!(t.stance, Some(StanceQuery::Is(Stance::Oppose)));
        assert_eq!(t.value, Value::Word("EGY".into()));
        let t = term("draft:\"smart cities\"");
        assert_eq!(t.value, Value::Phrase("smart cities".into()));
        assert_eq!(t.span, 0..20);
        // A colon in a word that names no field is text.
        assert_eq!(term("12:30").value, Value::Word("12:30".into()));
    }

    #[test]
    fn boolean_structure() {
        let q = Query::parse("a b OR c AND NOT d -e (f OR g)").unwrap();
        let Some(Expr::Or(parts)) = q.expr else {
            panic!()
        };
        assert_eq!(parts.len(), 2);
        let Expr::And(right) = &parts[1] else {
            panic!()
        };
        assert_eq!(right.len(), 4);
        assert!(matches!(right[1], Expr::Not(_)));
        assert!(matches!(right[3], Expr::Or(_)));
        assert!(Query::parse("   ").unwrap().is_empty());
        // Lower-case operators are words.
        assert!(matches!(
            Query::parse("rights and duties").unwrap().expr,
            Some(Expr::And(v)) if v.len() == 3
        ));
    }

    #[test]
    fn mistakes_point_at_the_problem() {
        let cases: &[(&str, usize, &str)] = &[
            ("acter:USA", 1, "did you mean actor"),
            ("privacy stance:opose", 16, "unknown stance"),
            ("kind:paragrap", 6, "unknown kind"),
            ("\"right to", 1, "never closed"),
            ("(a OR b", 1, "never closed"),
            ("a OR", 3, "OR needs a term after"),
            ("OR a", 1, "OR needs a term before"),
            ("a AND", 3, "AND needs a term after"),
            ("a )", 3, "unmatched"),
            ("()", 1, "empty parentheses"),
            ("NOT", 1, "NOT needs"),
            ("actor:", 1, "needs a value"),
            (":x", 1, "field name is missing"),
            ("stance:op*", 8, "not a prefix"),
        ];
        for (q, column, text) in cases {
            let e = Query::parse(q).unwrap_err();
            assert!(e.message.contains(text), "{q}: {e}");
            assert_eq!(e.column, *column, "{q}: {e}");
            assert!(e.underline().contains('^'));
        }
    }

    #[test]
    fn lenient_parsing_keeps_what_can_be_read() {
        let (q, e) = Query::parse_lenient("actor:EGY \"right to");
        assert!(e.is_some());
        assert!(matches!(q.expr, Some(Expr::Term(ref t)) if t.field == Some(Field::Actor)));
        let (q, e) = Query::parse_lenient("privacy AND");
        assert!(e.is_some());
        assert!(matches!(q.expr, Some(Expr::Term(_))));
        let (q, e) = Query::parse_lenient("privacy");
        assert!(e.is_none() && !q.is_empty());
        let (q, e) = Query::parse_lenient("\"");
        assert!(e.is_some() && q.is_empty());
    }

    #[test]
    fn hostile_queries_are_refused_not_overflowed() {
        let deep = "(".repeat(10_000) + "a" + &")".repeat(10_000);
        assert!(Query::parse(&deep).is_err());
        let long = "a ".repeat(10_000);
        assert!(Query::parse(&long).is_err());
        let nots = "NOT ".repeat(10_000) + "a";
        assert!(Query::parse(&nots).is_err());
        assert!(Query::parse("\u{1b}[31m").is_ok());
    }
}
