//! The ad referendum agreement stamp at the end of a paragraph: `Ad ref 22 May 2023 12.26`,
//! `Ad Ref 22 May 2023`, `(ad ref.)`, or a bare date after the final punctuation
//! (`...accountability; 22 May 2023`).

/// The months as stamps write them (`22 May 2023`); read in any case, or as three letters.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.eq_ignore_ascii_case(&w)
                || (w.len() == 3 && m.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(&w)))
                || (w == "sept")
        })
        .map(|i| if w == "sept" { 9 } else { i as u32 + 1 })
}

fn number(word: &str, max_len: usize) -> Option<u32> {
    (!word.is_empty() && word.len() <= max_len && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of the stamp in the searched text.
    pub start: usize,
    /// Byte offset just past the stamp (trailing whitespace is left out).
    pub end: usize,
    pub date: Option<String>,
    pub time: Option<String>,
}

/// Parses `22 May 2023`, `May 22, 2023`, `22/05/2023`, `22.05.2023` or `2023-05-22` from the
/// words; returns the ISO date and how many words it took.
fn date(words: &[&str]) -> Option<(String, usize)> {
    let iso = |y: u32, m: u32, d: u32| {
        ((1..=12).contains(&m) && (1..=31).contains(&d) && (1900..=2200).contains(&y))
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    let first = words.first()?.trim_end_matches(',');
    if let (Some(d), Some(m), Some(y)) = (
        number(first, 2),
        words.get(1).and_then(|w| month(w)),
        words
            .get(2)
            .and_then(|w| number(w.trim_end_matches(['.', ',', ';']), 4)),
    ) {
        return iso(y, m, d).map(|s| (s, 3));
    }
    if let (Some(m), Some(d), Some(y)) = (
        month(first),
        words
            .get(1)
            .and_then(|w| number(w.trim_end_matches(','), 2)),
        words
            .get(2)
            .and_then(|w| number(w.trim_end_matches(['.', ',', ';']), 4)),
    ) {
        return iso(y, m, d).map(|s| (s, 3));
    }
    let w = first.trim_end_matches(['.', ';']);
    for sep in ['/', '.', '-'] {
        let parts: Vec<&str> = w.split(sep).collect();
        if let [a, b, c] = parts.as_slice() {
            if let (Some(y), Some(m), Some(d)) = (number(a, 4), number(b, 2), number(c, 2))
                && a.len() == 4
            {
                return iso(y, m, d).map(|s| (s, 1));
            }
            if let (Some(d), Some(m), Some(y)) = (number(a, 2), number(b, 2), number(c, 4))
                && c.len() == 4
            {
                return iso(y, m, d).map(|s| (s, 1));
            }
        }
    }
    None
}

/// `12.26`, `12:26`, `12h26`, `1226hrs`.
fn time(word: &str) -> Option<String> {
    let w = word
        .trim_end_matches(['.', ')'])
        .trim_end_matches("hrs")
        .trim_end_matches('h');
    let (h, m) = w.split_once(['.', ':', 'h']).or_else(|| {
        if w.len() == 4 {
            w.split_at_checked(2)
        } else {
            None
        }
    })?;
    let (h, m) = (number(h, 2)?, number(m, 2)?);
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Words of `text` with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Reads the words from `k` on as `[date] [time]`, all of them; the date and time found.
fn date_time_to_end(ws: &[(usize, &str)], k: usize) -> Option<(Option<String>, Option<String>)> {
    let rest: Vec<&str> = ws[k..].iter().map(|(_, w)| *w).collect();
    let rest: Vec<&str> = rest
        .into_iter()
        .filter(|w| !matches!(*w, ")" | "." | "-" | "\u{2013}" | "at"))
        .collect();
    if rest.is_empty() {
        return Some((None, None));
    }
    let (d, used) = match date(&rest) {
        Some((d, used)) => (Some(d), used),
        None => (None, 0),
    };
    match rest.len() - used {
        0 => Some((d, None)),
        1 => time(rest[used]).map(|t| (d, Some(t))),
        _ => None,
    }
}

/// Finds an agreement stamp that ends `text` (trailing whitespace aside).
pub fn find(text: &str) -> Option<Found> {
    let trimmed = text.trim_end();
    // A stamp ends in a digit (a date or time) or in `ref`, `ref.`, `ref)`, `referendum`:
    // most paragraphs end in `,` or `;` and are turned away here.
    let tail = trimmed.trim_end_matches(['.', ')']);
    let ends_with = |word: &str| {
        tail.len() >= word.len()
            && tail
                .get(tail.len() - word.len()..)
                .is_some_and(|t| t.eq_ignore_ascii_case(word))
    };
    if !tail.ends_with(|c: char| c.is_ascii_digit())
        && !ends_with("ref")
        && !ends_with("referendum")
    {
        return None;
    }
    // A stamp ends in a digit (a date or time) or in `ref`, `ref.`, `ref)`, `referendum`:
    // most paragraphs end in `,` or `;` and are turned away here.
    let tail = trimmed.trim_end_matches(['.', ')']);
    let ends_in_ref = tail.len() >= 3
        && tail
            .get(tail.len() - 3..)
            .is_some_and(|t| t.eq_ignore_ascii_case("ref"))
        || tail.len() >= 10
            && tail
                .get(tail.len() - 10..)
                .is_some_and(|t| t.eq_ignore_ascii_case("referendum"));
    if !tail.ends_with(|c: char| c.is_ascii_digit()) && !ends_in_ref {
        return None;
    }
    // Stamps are short: only the last 100 bytes are split into words (the first, maybe cut,
    // word of that tail is dropped), so a long paragraph costs nothing here.
    let mut cut = trimmed.len().saturating_sub(100);
    while !trimmed.is_char_boundary(cut) {
        cut += 1;
    }
    let mut ws: Vec<(usize, &str)> = words(&trimmed[cut..])
        .into_iter()
        .map(|(i, w)| (i + cut, w))
        .collect();
    if cut > 0 && !ws.is_empty() {
        ws.remove(0);
    }
    let tail = ws.len().saturating_sub(8);
    let end = trimmed.len();
    // `Ad ref ...`
    for k in tail..ws.len() {
        let w = ws[k].1.trim_start_matches('(');
        let starts = |prefix: &str| {
            w.get(..prefix.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
        };
        let (is_ad, next) = if w.eq_ignore_ascii_case("ad") {
            let ok = ws.get(k + 1).is_some_and(|(_, n)| {
                let n = n.trim_end_matches(['.', ',', ':', ')']);
                n.eq_ignore_ascii_case("ref") || n.eq_ignore_ascii_case("referendum")
            });
            (ok, k + 2)
        } else if starts("ad-ref") || starts("adref") {
            (true, k + 1)
        } else {
            (false, 0)
        };
        if is_ad && let Some((date, time)) = date_time_to_end(&ws, next.min(ws.len())) {
            let mut start = ws[k].0;
            // `Agreed ad ref`
            if k > 0 && ws[k - 1].1.eq_ignore_ascii_case("agreed") {
                start = ws[k - 1].0;
            }
            return Some(Found {
                start,
                end,
                date,
                time,
            });
        }
    }
    // A bare date after the final punctuation: `...; 22 May 2023`.
    for k in tail..ws.len() {
        let (start, word) = ws[k];
        if !word.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        let before = trimmed[..start].trim_end_matches([' ', '\t']);
        let after_punctuation =
            before.ends_with([';', ',', '.', ':']) || before.ends_with('\n') || before.is_empty();
        if !after_punctuation || before.is_empty() {
            continue;
        }
        if let Some((Some(date), time)) = date_time_to_end(&ws, k) {
            return Some(Found {
                start,
                end,
                date: Some(date),
                time,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(text: &str) -> Option<(&str, Option<String>, Option<String>)> {
        find(text).map(|f| (&text[f.start..f.end], f.date, f.time))
    }

    #[test]
    fn ad_ref_with_date_and_time() {
        let (s, d, t) =
            stamp("inclusive, safe, resilient, and sustainable, Ad ref 22 May 2023 12.26").unwrap();
        assert_eq!(s, "Ad ref 22 May 2023 12.26");
        assert_eq!(d.as_deref(), Some("2023-05-22"));
        assert_eq!(t.as_deref(), Some("12:26"));
        assert!(stamp("digital trust and security, Ad Ref 22 May 2023 12.52\n").is_some());
        assert_eq!(stamp("all States; (ad ref.)").unwrap().0, "(ad ref.)");
        assert_eq!(
            stamp("all States; Agreed ad referendum 3 March 2026")
                .unwrap()
                .1
                .as_deref(),
            Some("2026-03-03")
        );
    }

    #[test]
    fn a_four_byte_word_with_a_wide_character_is_not_a_time() {
        // Found by the drafting proptest: `}é1.` is four bytes, and its second byte is inside `é`.
        assert_eq!(time("}\u{e9}1."), None);
        assert_eq!(time("\u{e9}\u{e9}"), None);
        assert_eq!(
            stamp("Noting Ad ref 1 May 2026 }\u{e9}1. ").map(|s| s.0),
            None
        );
        let doc = crate::parse("Noting Ad ref 1 May 2026 }\u{e9}1. ");
        assert_eq!(doc.source, "Noting Ad ref 1 May 2026 }\u{e9}1. ");
    }

    #[test]
    fn bare_trailing_date() {
        let (s, d, t) = stamp("to favour accountability; 22 May 2023").unwrap();
        assert_eq!(
            (s, d.as_deref(), t),
            ("22 May 2023", Some("2023-05-22"), None)
        );
        assert_eq!(
            stamp("scales; 2026-03-12 16:05").unwrap().2.as_deref(),
            Some("16:05")
        );
    }

    #[test]
    fn dates_in_running_text_are_not_stamps() {
        assert_eq!(
            stamp("Recalling resolution 71/256 of 23 December 2016"),
            None
        );
        assert_eq!(
            stamp("Recalling resolution 71/256 of 23 December 2016,"),
            None
        );
        assert_eq!(stamp("the ad hoc working group"), None);
        assert_eq!(stamp("ad ref 22 May 2023 and more text"), None);
    }
}
