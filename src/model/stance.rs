use serde::Serialize;
use std::fmt;

/// What an actor says about a bracket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// `+`; the first support of a bracket is its proposer.
    Support,
    /// `-`
    Oppose,
    /// `reserve`: a reservation on the bracketed text.
    Reserve,
    /// `delete`: proposes deleting the bracketed text.
    Delete,
    /// Free text in braces: `{FRA suggest to move ...}`.
    Note,
}

impl Stance {
    pub const ALL: [Stance; 5] = [
        Stance::Support,
        Stance::Oppose,
        Stance::Reserve,
        Stance::Delete,
        Stance::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::Reserve => "reserve",
            Stance::Delete => "delete",
            Stance::Note => "note",
        }
    }

    /// The notation as written after an actor code: `+`, `-`, ` reserve`, ` delete`.
    pub fn notation(self) -> &'static str {
        match self {
            Stance::Support => "+",
            Stance::Oppose => "-",
            Stance::Reserve => " reserve",
            Stance::Delete => " delete",
            Stance::Note => "",
        }
    }

    /// Reads a stance word as secretariats write it (`reserve`, `Reservation`, `delete`,
    /// `Delete`, `support`, `oppose`, ...).
    pub fn from_word(word: &str) -> Option<Stance> {
        let w = word.trim_end_matches(['.', ':']).to_ascii_lowercase();
        Some(match w.as_str() {
            "support" | "supports" | "supported" => Stance::Support,
            "oppose" | "opposes" | "opposed" | "against" | "objects" | "object" => Stance::Oppose,
            "reserve" | "reserves" | "reservation" | "reservations" | "res" => Stance::Reserve,
            "delete" | "deletes" | "deletion" | "del" | "strike" => Stance::Delete,
            _ => return None,
        })
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
