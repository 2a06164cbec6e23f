use super::Span;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The text is ambiguous until fixed (an unclosed bracket).
    Error,
    /// Damage the parser recovered from, or something an editor should look at.
    Warning,
    /// How the parser read something unusual (a paragraph joined across a page break).
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        })
    }
}

/// A problem found in a draft, with where it is (1-based line and column, in characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A stable identifier for scripts: `unclosed-bracket`, `unknown-actor`, ...
    pub code: &'static str,
    pub message: String,
    #[serde(skip)]
    pub span: Span,
}
