//! When a file's bytes are a draft's text. One rule for every way a draft is read (a file on
//! disk, `PATH@WORKTREE`, a committed iteration, the search index, the editor), so that the
//! same bytes are never a draft to one command and refused by another.

/// How far a NUL byte makes a file binary: git's own rule (`buffer_is_binary`), so a file
/// `git diff` shows as "Binary files differ" is the file brackets refuses as binary. A NUL
/// further on is damage inside a text, read and reported by the parser (`control-character`).
pub const BINARY_PROBE: usize = 8000;

/// Why a file's bytes are not a draft's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotText {
    #[error("it is UTF-16 text; save it as UTF-8 (in Word: Save As, Plain Text, Unicode (UTF-8))")]
    Utf16,
    #[error("it is a binary file (a NUL byte at offset {offset}), not a draft")]
    Binary { offset: usize },
    #[error("it is not UTF-8 text (invalid byte at offset {offset}); brackets reads UTF-8 drafts")]
    NotUtf8 { offset: usize },
}

/// The text of a draft's bytes, without a copy; see [`NotText`] for what is refused.
pub fn draft_str(bytes: &[u8]) -> Result<&str, NotText> {
    not_text_at_a_glance(bytes)?;
    std::str::from_utf8(bytes).map_err(|e| NotText::NotUtf8 {
        offset: e.valid_up_to(),
    })
}

/// Like [`draft_str`], keeping the bytes read as the text.
pub fn draft_text(bytes: Vec<u8>) -> Result<String, NotText> {
    not_text_at_a_glance(&bytes)?;
    String::from_utf8(bytes).map_err(|e| NotText::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// What is refused before the bytes are decoded: UTF-16 (which is full of NULs) by its byte
/// order mark, then binary files.
fn not_text_at_a_glance(bytes: &[u8]) -> Result<(), NotText> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(NotText::Utf16);
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE)];
    match memchr::memchr(0, probe) {
        Some(offset) => Err(NotText::Binary { offset }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_binary_within_gits_probe_and_text_after_it() {
        assert_eq!(draft_str(b"abc\0def"), Err(NotText::Binary { offset: 3 }));
        let mut late = vec![b'a'; BINARY_PROBE];
        late.extend_from_slice(b"\0 after");
        assert_eq!(draft_str(&late).map(str::len), Ok(BINARY_PROBE + 7));
        let mut edge = vec![b'a'; BINARY_PROBE - 1];
        edge.push(0);
        assert_eq!(
            draft_str(&edge),
            Err(NotText::Binary {
                offset: BINARY_PROBE - 1
            })
        );
    }

    #[test]
    fn utf16_and_other_encodings_are_named() {
        assert_eq!(draft_str(b"\xFF\xFEa\0b\0"), Err(NotText::Utf16));
        assert_eq!(draft_str(b"\xFE\xFF\0a"), Err(NotText::Utf16));
        assert_eq!(
            draft_text(b"caf\xe9".to_vec()),
            Err(NotText::NotUtf8 { offset: 3 })
        );
        assert_eq!(draft_text("café".into()), Ok("café".to_string()));
        assert_eq!(draft_str(b""), Ok(""));
    }
}
