//! A corpus of bad input, each case with the exact message a user gets (from `brackets check`,
//! `show` and `diff`, and from the library's diagnostics), and proofs that the work grows
//! linearly with the size of the input, by model sizes, never by the clock.
//!
//! Encodings: drafts are UTF-8. A UTF-16 file (with its byte-order mark) is refused with a
//! message saying it is UTF-16 and how to save it as UTF-8, rather than decoded: a draft
//! silently converted would be committed back in another encoding than the one on disk. A
//! UTF-8 byte-order mark is accepted and kept (the parser is lossless).

mod common;

/// Counts the bytes this thread asks the allocator for, so that tests can check that memory
/// grows linearly with the input (operation counts, not the clock).
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;

    pub struct Counting;

    thread_local! {
        static BYTES: Cell<usize> = const { Cell::new(0) };
    }

    fn add(n: usize) {
        let _ = BYTES.try_with(|b| b.set(b.get().saturating_add(n)));
    }

    /// Bytes requested by this thread while `f` runs.
    pub fn allocated<R>(f: impl FnOnce() -> R) -> (R, usize) {
        let before = BYTES.with(Cell::get);
        let r = f();
        (r, BYTES.with(Cell::get) - before)
    }

    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            add(layout.size());
            unsafe { System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            add(new_size.saturating_sub(layout.size()));
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

use brackets::model::Severity;
use std::path::Path;
use std::process::{Command, Output};

const CHAPEAU: &str = "The Assembly,\n\n";

fn brackets(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brackets"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("BRACKETS_CACHE_DIR", dir.join(".cache"))
        .output()
        .expect("the brackets binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

/// `brackets check FILE` in a fresh folder: (exit code, stdout, stderr).
fn check(name: &str, content: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    let out = brackets(&["check", name], dir.path());
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// The diagnostics of `src` as `line:col: severity: message` lines.
fn diagnostics(src: &str) -> Vec<String> {
    let doc = common::parse_checked(src);
    doc.diagnostics
        .iter()
        .map(|d| format!("{}:{}: {}: {}", d.line, d.column, d.severity, d.message))
        .collect()
}

const UNCLOSED: &str = "unbalanced bracket: `[` opened at 3:12 in OP1 is never closed (the paragraph ends on line 3); read as closing there";
const UNANCHORED: &str = "attribution group with no bracket before it; its positions are read as applying to the whole paragraph";

#[test]
fn unbalanced_brackets() {
    let (code, out, err) = check(
        "unclosed.md",
        b"The Assembly,\n\n1. Decides [to act {USA+}\n",
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        format!("unclosed.md:3:12: error: {UNCLOSED}\nunclosed.md:3:20: warning: {UNANCHORED}\n")
    );
    assert_eq!(err, "unclosed.md: 1 error, 1 warning (1 paragraph)\n");

    let (code, out, err) = check("stray.md", b"The Assembly,\n\n1. Decides to act] {USA+}\n");
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "stray.md:3:18: error: unbalanced bracket: `]` with no opening bracket before it in OP1 \
         or an earlier paragraph; its attributions are read as applying to the whole paragraph\n"
    );
    assert_eq!(err, "stray.md: 1 error, 0 warnings (1 paragraph)\n");
}

#[test]
fn crossed_brackets_and_braces() {
    // `[to {act] now}`: the `]` falls inside the group, so the bracket is never closed.
    assert_eq!(
        diagnostics("The Assembly,\n\n1. Decides [to {act] now} {USA+}\n"),
        [
            format!("3:12: error: {UNCLOSED}"),
            format!("3:27: warning: {UNANCHORED}"),
        ]
    );
    // `[a [b] c` and `a] b]`: the unmatched one of each is named, the others pair up.
    let d = diagnostics("The Assembly,\n\n1. Decides [a [b] c {USA+}\n");
    assert_eq!(d[0], format!("3:12: error: {UNCLOSED}"));
    let d = diagnostics("The Assembly,\n\n1. Decides [a] b] {USA+}\n");
    assert!(
        d[0].starts_with("3:17: error: unbalanced bracket: `]` with no opening bracket"),
        "{d:?}"
    );
}

#[test]
fn ten_thousand_deep_nesting() {
    let depth = 10_000;
    let src = format!(
        "{CHAPEAU}1. Decides {}x{} {{USA+}}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let doc = common::parse_checked(&src);
    assert_eq!(doc.paragraphs[0].brackets.len(), depth);
    assert!(doc.diagnostics.is_empty());
    let (code, out, err) = check("deep.md", src.as_bytes());
    assert_eq!((code, out.as_str()), (Some(0), ""));
    assert_eq!(err, "deep.md: ok (1 paragraph)\n");

    // Unclosed all the way down: one error per bracket, none lost, no recursion.
    let src = format!("{CHAPEAU}1. Decides {}x\n", "[".repeat(depth));
    let doc = common::parse_checked(&src);
    let errors = doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(errors, depth);
}

#[test]
fn a_ten_megabyte_single_line() {
    let unit = "[to act] {USA+} now ";
    let n = 10_000_000 / unit.len() + 1;
    let src = format!("{CHAPEAU}1. Decides {};\n", unit.repeat(n));
    assert!(src.len() > 10_000_000);
    let doc = common::parse_checked(&src);
    assert_eq!(doc.paragraphs.len(), 1);
    assert_eq!(doc.paragraphs[0].brackets.len(), n);
    assert_eq!(doc.positions().count(), n);
    assert!(doc.diagnostics.is_empty());
    let (code, out, err) = check("long.md", src.as_bytes());
    assert_eq!((code, out.as_str()), (Some(0), ""));
    assert_eq!(err, "long.md: ok (1 paragraph)\n");
}

/// A NUL byte where git would call the file binary (its first 8,000 bytes) is a binary file;
/// further on it is damage inside a text: read, reported where it is, and shown visibly.
#[test]
fn nul_bytes_are_binary_early_and_reported_damage_later() {
    let src = "The Assembly,\n\n1. Decides\0 [to act] {USA+}\n";
    let doc = common::parse_checked(src);
    assert_eq!(doc.paragraphs.len(), 1);
    let found: Vec<_> = doc
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            3,
            11,
            "control-character",
            "a control character (U+0000) in the text, shown as ^@"
        )]
    );
    let (code, out, err) = check("nul.md", src.as_bytes());
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "brackets: cannot read nul.md: it is a binary file (a NUL byte at offset 25), not a draft\n"
    );

    let late = format!(
        "The Assembly,\n\n1. Decides {}\0 [to act] {{USA+}}\n",
        "and decides ".repeat(700)
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("late.md"), &late).unwrap();
    let out = brackets(&["show", "late.md"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).ends_with("decides ^@ [to act] {USA+}\n"),
        "{}",
        text(&out.stdout)
    );
    let (code, out, err) = check("late.md", late.as_bytes());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "late.md:3:8412: warning: a control character (U+0000) in the text, shown as ^@\n"
    );
    assert_eq!(err, "late.md: 0 errors, 1 warning (1 paragraph)\n");
}

#[test]
fn invalid_utf8_names_the_offset() {
    let (code, out, err) = check("latin1.md", b"The Assembly,\n\nNoting caf\xe9\n");
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "brackets: cannot read latin1.md: it is not UTF-8 text (invalid byte at offset 25); brackets reads UTF-8 drafts\n"
    );
}

#[test]
fn utf16_with_a_byte_order_mark_is_named() {
    const UTF16: &str =
        "it is UTF-16 text; save it as UTF-8 (in Word: Save As, Plain Text, Unicode (UTF-8))";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in "The Assembly,\n".encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    for (name, bytes) in [("le.md", le), ("be.md", be)] {
        let (code, out, err) = check(name, &bytes);
        assert_eq!((code, out.as_str()), (Some(1), ""));
        assert_eq!(err, format!("brackets: cannot read {name}: {UTF16}\n"));
    }
    // A UTF-8 byte-order mark is fine, and kept.
    let (code, _, err) = check(
        "bom.md",
        b"\xef\xbb\xbfThe Assembly,\n\n1. Decides [x] {USA+}\n",
    );
    assert_eq!(code, Some(0));
    assert_eq!(err, "bom.md: ok (1 paragraph)\n");
    common::parse_checked("\u{feff}The Assembly,\n\n1. Decides [x] {USA+}\n");
}

#[test]
fn crlf_and_lone_cr_read_like_lf() {
    let lf = "The Assembly,\n\nNoting the report,\n\n1. Decides [to act {USA+}\n\n2. Urges [all] {FRA+};\n";
    let reference = common::parse_checked(lf);
    let ids = |d: &brackets::Document| -> Vec<String> {
        d.paragraphs.iter().map(|p| p.id.clone()).collect()
    };
    for eol in ["\r\n", "\r"] {
        let src = lf.replace('\n', eol);
        let doc = common::parse_checked(&src);
        assert_eq!(ids(&doc), ids(&reference), "{eol:?}");
        assert_eq!(diagnostics(&src), diagnostics(lf), "{eol:?}");
        let (code, out, _) = check("eol.md", src.as_bytes());
        assert_eq!(code, Some(1));
        assert_eq!(
            out,
            "eol.md:5:12: error: unbalanced bracket: `[` opened at 5:12 in OP1 is never closed \
             (the paragraph ends on line 5); read as closing there\n\
             eol.md:5:20: warning: attribution group with no bracket before it; its positions \
             are read as applying to the whole paragraph\n"
        );
    }
}

#[test]
fn right_to_left_and_combining_text() {
    // Columns count characters: a combining accent is one, an Arabic letter is one.
    let src = "The Assembly,\n\n1. يقرر [أن يتصرف] {EGY+} e\u{301}te\u{301} \u{202E}evil [x\n";
    assert_eq!(
        diagnostics(src),
        [
            "3:39: error: unbalanced bracket: `[` opened at 3:39 in OP1 is never closed (the paragraph ends on line 3); read as closing there"
        ]
    );
    let doc = common::parse_checked(src);
    let p = &doc.paragraphs[0];
    assert_eq!(p.bracket_plain_text(src, 0), "أن يتصرف");
    assert_eq!(doc.positions().next().unwrap().1.actor, "EGY");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rtl.md"), src).unwrap();
    let out = brackets(&["show", "rtl.md"], dir.path());
    assert_eq!(
        text(&out.stdout),
        "\nThe Assembly,\n\nOperative part\nOP1  يقرر [أن يتصرف] {EGY+} e\u{301}te\u{301} <U+202E>evil [x\n"
    );
    assert_eq!(
        text(&out.stderr),
        "1 error, 0 warnings: see `brackets check rtl.md`\n"
    );
}

#[test]
fn unknown_actor_codes() {
    let (code, out, err) = check(
        "unknown.md",
        b"The Assembly,\n\n1. Decides [to act] {XYZ+ USA+ Zorro-}\n",
    );
    assert_eq!(code, Some(0), "unknown actors are warnings");
    assert_eq!(
        out,
        "unknown.md:3:22: warning: unknown actor code `XYZ` (not an ISO 3166 country code, group or role; add it to .brackets.toml if it is one)\n\
         unknown.md:3:32: warning: unknown actor code `Zorro` (not an ISO 3166 country code, group or role; add it to .brackets.toml if it is one)\n"
    );
    assert_eq!(err, "unknown.md: 0 errors, 2 warnings (1 paragraph)\n");
}

#[test]
fn empty_file() {
    let doc = common::parse_checked("");
    assert!(doc.paragraphs.is_empty() && doc.diagnostics.is_empty());
    let (code, out, err) = check("empty.md", b"");
    assert_eq!((code, out.as_str()), (Some(0), ""));
    assert_eq!(err, "empty.md: ok (0 paragraphs)\n");
}

#[test]
fn a_directory_or_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder.md")).unwrap();
    std::fs::write(dir.path().join("ok.md"), "The Assembly,\n\n1. Decides;\n").unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["check", "folder.md"],
            "brackets: cannot read folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["show", "folder.md"],
            "brackets: cannot read folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["diff", "folder.md", "ok.md"],
            "brackets: cannot read folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["diff", "ok.md"],
            "brackets: cannot compare ok.md with its previous iteration: ok.md is not in a git repository; give two files\n",
        ),
        (
            &["show", "missing.md"],
            "brackets: cannot read missing.md: No such file or directory (os error 2)\n",
        ),
    ];
    for (args, expected) in cases {
        let out = brackets(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert_eq!(text(&out.stderr), expected, "{args:?}");
    }

    // A committed folder in a repository, given where a draft is expected.
    let repo = git2::Repository::init(dir.path()).unwrap();
    std::fs::write(dir.path().join("folder.md/inner.md"), "The Assembly,\n").unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig =
        git2::Signature::new("S", "s@example.org", &git2::Time::new(1_700_000_000, 0)).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "zero", &tree, &[])
        .unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["log", "folder.md"],
            "brackets: cannot list the iterations of folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["progress", "folder.md"],
            "brackets: cannot follow the proposals of folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["actors", "folder.md", "--history"],
            "brackets: cannot follow the proposals of folder.md: it is a directory, not a draft file\n",
        ),
        (
            &["diff", "folder.md"],
            "brackets: cannot compare folder.md with its previous iteration: folder.md is a directory, not a draft file\n",
        ),
        (
            &["show", "folder.md@HEAD"],
            "brackets: cannot read folder.md@HEAD: folder.md at HEAD is a folder, not a draft file\n",
        ),
    ];
    for (args, expected) in cases {
        let out = brackets(args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        assert_eq!(text(&out.stderr), expected, "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Linear in the size of the input: N, 2N and 4N copies give models growing in proportion.

/// Everything the parser built for `src`: paragraphs, leaves, brackets, groups, positions,
/// diagnostics, blocks.
fn model_size(src: &str) -> [usize; 7] {
    let doc = brackets::parse(src);
    [
        doc.paragraphs.len(),
        doc.paragraphs.iter().map(|p| p.leaves.len()).sum(),
        doc.paragraphs.iter().map(|p| p.brackets.len()).sum(),
        doc.paragraphs.iter().map(|p| p.groups.len()).sum(),
        doc.positions().count(),
        doc.diagnostics.len(),
        doc.blocks.len(),
    ]
}

fn scales_by_four(name: &str, make: impl Fn(usize) -> String, n: usize) {
    // Affine in the number of copies (the chapeau and the paragraph's ends are fixed costs):
    // going from 2N to 4N copies adds twice what going from N to 2N added.
    let one = model_size(&make(n));
    let two = model_size(&make(2 * n));
    let four = model_size(&make(4 * n));
    for k in 0..one.len() {
        assert_eq!(
            four[k] - two[k],
            2 * (two[k] - one[k]),
            "{name}: measure {k} grows non-linearly: {one:?} {two:?} {four:?}"
        );
    }
    assert!(
        two.iter().sum::<usize>() > one.iter().sum::<usize>() + n,
        "{name}: the case builds something: {one:?} {two:?}"
    );
}

#[test]
fn work_grows_linearly_with_the_input() {
    scales_by_four(
        "deep nesting",
        |n| {
            format!(
                "{CHAPEAU}1. Decides {}x{} {{USA+}}\n",
                "[".repeat(n),
                "] {FRA-}".repeat(n)
            )
        },
        1_000,
    );
    scales_by_four(
        "unclosed nesting",
        |n| format!("{CHAPEAU}1. Decides {}x\n", "[".repeat(n)),
        1_000,
    );
    scales_by_four(
        "stray closings",
        |n| format!("{CHAPEAU}1. Decides {}x\n", "] {USA+}".repeat(n)),
        1_000,
    );
    scales_by_four(
        "one long line",
        |n| format!("{CHAPEAU}1. Decides {}\n", "é [x {XYZ+} 海🌊 ".repeat(n)),
        4_000,
    );
    scales_by_four(
        "many paragraphs",
        |n| {
            format!(
                "{CHAPEAU}{}",
                "1. Decides [to\0 act {USA+\r\n\r\n".repeat(n)
            )
        },
        800,
    );
    scales_by_four(
        "groups without brackets",
        |n| format!("{CHAPEAU}1. Decides {}\n", "{".repeat(n)),
        4_000,
    );
    scales_by_four(
        "bidi and control characters",
        |n| {
            format!(
                "{CHAPEAU}1. {}\n",
                "\u{202E}\u{1b}[31m[\u{2066}x] {EGY+}\u{9b} ".repeat(n)
            )
        },
        4_000,
    );
}

#[test]
fn diff_work_grows_linearly_with_the_input() {
    // Paragraphs that all differ: as many changes as paragraphs, each aligned once.
    let doc = |n: usize, word: &str| {
        let mut s = String::from(CHAPEAU);
        for i in 0..n {
            s.push_str(&format!(
                "{}. Decides [{word} {i}] {{USA+}} on item{i};\n\n",
                i + 1
            ));
        }
        brackets::parse(&s)
    };
    let changes = |n: usize| {
        let d = brackets::diff::diff(&doc(n, "alpha"), &doc(n, "beta"));
        let words: usize = d.changes.iter().map(|c| c.words.len()).sum();
        let brackets: usize = d.changes.iter().map(|c| c.brackets.len()).sum();
        [d.changes.len(), words, brackets]
    };
    let small = changes(100);
    let large = changes(400);
    for k in 0..3 {
        assert_eq!(large[k], 4 * small[k], "{small:?} {large:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Wide characters in the terminal UI

/// The rows of the Read view of `src` drawn on a `w`-column TestBackend, as a terminal shows
/// them: each cell's symbol, a wide character covering the cell after it. Returns, per row,
/// the text and the column where each symbol starts.
fn read_view_rows(src: &str, w: u16, h: u16) -> Vec<(String, Vec<(u16, String)>)> {
    use brackets::tui::{app::App, load::Start, theme::Theme};
    use unicode_width::UnicodeWidthStr;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.md");
    std::fs::write(&file, src).unwrap();
    let app = App::loaded(Start::Path(file), Theme::mono());
    assert!(app.error.is_none(), "{:?}", app.error);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| brackets::tui::draw(f, &app)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut cells = Vec::new();
            let mut x = 0;
            while x < buf.area.width {
                let symbol = buf[(x, y)].symbol();
                let width = symbol.width().max(1) as u16;
                assert!(
                    x + width <= buf.area.width,
                    "{symbol:?} at column {x} crosses the right edge"
                );
                row.push_str(symbol);
                cells.push((x, symbol.to_string()));
                x += width;
            }
            assert_eq!(x, buf.area.width);
            (row, cells)
        })
        .collect()
}

#[test]
fn wide_characters_keep_the_read_view_aligned() {
    let src = "The Assembly,\n\n1. 决定 [采取行动 🌊🌊] {CHN+ USA-} 海洋 데이터 🇺🇳 données \
               [協力 👩‍👩‍👧] {JPN+};\n\n2. Urges all 各国 to act;\n";
    let rows = read_view_rows(src, 60, 16);
    let screen: Vec<&str> = rows.iter().map(|(r, _)| r.as_str()).collect();
    let screen = screen.join("\n");
    assert!(
        screen.contains("决定") && screen.contains("🌊🌊"),
        "{screen}"
    );
    assert!(
        screen.contains("데이터") && screen.contains("協力"),
        "{screen}"
    );
    // Text after wide characters starts where a terminal would put it: `{CHN+` follows
    // `[采取行动 🌊🌊]`, 4 + 1 + 2 wide characters and 3 narrow ones after column 5.
    let op1 = rows
        .iter()
        .find(|(r, _)| r.starts_with("OP1"))
        .expect("OP1 is drawn");
    let column = |s: &str| op1.1.iter().find(|(_, sym)| sym == s).map(|(x, _)| *x);
    assert_eq!(column("决"), Some(5), "{screen}");
    assert_eq!(column("["), Some(10), "{screen}");
    assert_eq!(
        column("{"),
        Some(10 + 1 + 4 * 2 + 1 + 2 * 2 + 1 + 1),
        "{screen}"
    );
    // Wrapped lines of OP1 keep the hanging indent.
    let at = rows.iter().position(|(r, _)| r.starts_with("OP1")).unwrap();
    let next = &rows[at + 1].1;
    let first = next.iter().skip(1).find(|(_, sym)| sym != " ");
    assert_eq!(first, Some(&(5, "[".to_string())), "{screen}");
    // The status line is right-aligned to the last column.
    assert!(
        rows.last().unwrap().0.trim_end().ends_with("q quit"),
        "{screen}"
    );
}

/// Deep nesting in a diff, `show --json` and the ledger: each bracket's text holds the text
/// of the brackets inside it, so texts read in full at every depth grew with depth × length (a
/// 500 KB file of 64,000 nested brackets took minutes and gigabytes). Beyond
/// `MAX_TEXT_DEPTH` a bracket is read by its own words up to its first nested bracket.
#[test]
fn deep_nesting_costs_linear_text_in_diff_and_json() {
    use brackets::diff::brackets::{MAX_TEXT_DEPTH, text_ranges};
    let old = |n: usize| {
        format!(
            "{CHAPEAU}1. Decides {}x{} {{USA+}}\n",
            "[".repeat(n),
            "]".repeat(n)
        )
    };
    let new = |n: usize| {
        format!(
            "{CHAPEAU}1. Decides {}y{} {{USA+}}\n",
            "[".repeat(n),
            "] {FRA-}".repeat(n)
        )
    };
    // Bytes of bracket text the diff reads and reports.
    let text = |n: usize| {
        let (a, b) = (brackets::parse(&old(n)), brackets::parse(&new(n)));
        let d = brackets::diff::diff(&a, &b);
        let reported: usize = d
            .changes
            .iter()
            .flat_map(|c| &c.brackets)
            .map(|c| c.text.len() + c.old_text.as_ref().map_or(0, String::len))
            .sum();
        let p = &b.paragraphs[0];
        let read: usize = text_ranges(p)
            .into_iter()
            .map(|r| p.range_plain_text(&b.source, r).len())
            .sum();
        assert!(d.changes.iter().map(|c| c.brackets.len()).sum::<usize>() >= n);
        (reported, read)
    };
    let (r1, t1) = text(500);
    let (r4, t4) = text(2_000);
    // Linear: four times the depth, at most about four times the text (it was sixteen).
    assert!(r4 <= 5 * r1, "reported bracket text {r1} -> {r4}");
    assert!(t4 <= 5 * t1, "bracket text read {t1} -> {t4}");
    // Shallow brackets keep their whole text.
    let shallow = brackets::parse(&new(MAX_TEXT_DEPTH));
    let p = &shallow.paragraphs[0];
    let ranges = text_ranges(p);
    assert_eq!(ranges, p.bracket_ranges());
    assert!(
        p.range_plain_text(&shallow.source, ranges[MAX_TEXT_DEPTH - 1].clone())
            .contains('y')
    );

    // `show --json` on 4,000 nested brackets: the output grows linearly too.
    let dir = tempfile::tempdir().unwrap();
    let size = |n: usize| {
        std::fs::write(dir.path().join("deep.md"), new(n)).unwrap();
        let out = brackets(&["show", "--json", "deep.md"], dir.path());
        assert_eq!(out.status.code(), Some(0));
        out.stdout.len()
    };
    let (s1, s4) = (size(1_000), size(4_000));
    assert!(s4 <= 5 * s1, "show --json output {s1} -> {s4}");

    // Memory: every bracket's reading reserved the whole paragraph (1.4 GB for `show --json`
    // of 8,000 nested brackets).
    let bytes = |n: usize| {
        let (a, b) = (brackets::parse(&old(n)), brackets::parse(&new(n)));
        let ((), bytes) = counting::allocated(|| {
            let d = brackets::diff::diff(&a, &b);
            assert!(!d.changes.is_empty());
            let p = &b.paragraphs[0];
            for r in text_ranges(p) {
                std::hint::black_box(p.range_plain_text(&b.source, r));
            }
        });
        bytes
    };
    let (m1, m4) = (bytes(500), bytes(2_000));
    assert!(m4 <= 5 * m1, "bytes allocated {m1} -> {m4}");
}

/// The search index reads brackets the way the diff does: two iterations nested 10,000 deep
/// took two minutes to index, each bracket's written text holding all the brackets inside it.
#[test]
fn deep_nesting_costs_linear_memory_in_the_search_index() {
    use brackets::index::schema::{Fields, Source, documents};
    let (_, fields) = Fields::schema();
    let bytes = |n: usize| {
        let doc = brackets::parse(&format!(
            "{CHAPEAU}1. Decides {}y{} {{USA+}}\n",
            "[".repeat(n),
            "] {FRA-}".repeat(n)
        ));
        let src = Source {
            draft: "deep.md",
            iter: 1,
        };
        let (docs, bytes) = counting::allocated(|| documents(&fields, &src, &doc));
        assert!(docs.len() > n, "a document for each bracket");
        bytes
    };
    let (m1, m4) = (bytes(500), bytes(2_000));
    assert!(m4 <= 5 * m1, "bytes allocated {m1} -> {m4}");
}
