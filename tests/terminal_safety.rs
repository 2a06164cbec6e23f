//! Untrusted text never reaches the terminal raw. A repository whose draft text, file name,
//! commit messages, author names, tags and comments hold ESC sequences, other C0 and C1
//! controls and bidirectional overrides is read by every human command (and the JSON ones),
//! and their output is scanned byte by byte; then the TUI draws every view over it and the
//! TestBackend's cells are scanned.

use brackets::tui::app::App;
use brackets::tui::load::Start;
use brackets::tui::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every kind of character that must not reach a terminal raw.
const HOSTILE: &str = "\u{1b}[31m\u{1b}]0;owned\u{7}\u{8}\u{0}\u{7f}\u{85}\u{9b}2J\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\r";

/// What git can store in commit headers, tags and paths: the same without NUL.
fn meta() -> String {
    HOSTILE.replace('\0', "")
}

/// The first character a terminal would act on, with its position, or None.
fn raw_control(s: &str) -> Option<(usize, char)> {
    s.char_indices().find(|&(_, c)| {
        (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// `s` without the SGR sequences (`ESC [ digits ; m`) a coloured output writes itself.
fn strip_sgr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\u{1b}[") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let params = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            // Not an SGR: keep the ESC so that the scan finds it.
            out.push('\u{1b}');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn assert_clean(what: &str, bytes: &[u8], coloured: bool) {
    let text = String::from_utf8_lossy(bytes);
    let text = if coloured {
        strip_sgr(&text)
    } else {
        text.into_owned()
    };
    if let Some((at, c)) = raw_control(&text) {
        let before: String = text[..at].chars().rev().take(60).collect();
        let before: String = before.chars().rev().collect();
        let after: String = text[at..].chars().take(20).collect();
        panic!("{what}: raw {c:?} at byte {at}: …{before:?} >>> {after:?}");
    }
}

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn run(&self, cwd: &Path, args: &[&str], colour: bool) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_brackets"));
        cmd.args(args)
            .current_dir(cwd)
            .env_clear()
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"))
            .env("BRACKETS_CACHE_DIR", self.dir.path().join("cache"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("COLUMNS", "100");
        if colour {
            cmd.arg("--color").arg("always");
        } else {
            cmd.env("NO_COLOR", "1");
        }
        cmd.output().expect("the brackets binary runs")
    }
}

fn draft_name() -> String {
    "dr\u{1b}[2Jaft\u{202E}dm.\u{9b}.md".to_string()
}

/// Three iterations of a draft full of hostile text, imported into a git repository with
/// hostile commit messages, authors and tags.
fn hostile_repo() -> (Sandbox, PathBuf) {
    let s = Sandbox {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir_all(s.dir.path().join("home")).unwrap();
    let src = s.dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    let h = &meta();
    let m = &meta();
    let texts = [
        format!("Title {h}\n\nThe Assembly,\n\nNoting {h} the report,\n\n1. Decides to act {h};\n"),
        format!(
            "Title {h}\n\nThe Assembly,\n\nNoting {h} the report,\n\n\
             1. Decides [to act {h}] {{USA+ FRA-}}{{RUS reserve}} [now{h}]{{U{h}SA+ EGY-}} {{FRA note {h}}};\n\n\
             2. [Urges {h}] {{CHN+}} all;\n"
        ),
        format!(
            "Title {h}\n\nThe Assembly,\n\nNoting {h} the report,\n\n\
             1. Decides [to act {h}] {{USA+}}{{RUS reserve}};\n\n\
             2. Urges {h} all; Ad ref 22 May 2023 12.26\n"
        ),
    ];
    let tags = ["zero\u{202E}draft", "comp\u{9b}1", "rev\u{2066}1"];
    let mut iterations = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let file = format!("{i}-iteration.md");
        std::fs::write(src.join(&file), t).unwrap();
        iterations.push(serde_json::json!({
            "file": file,
            "label": format!("Label {i} {m}"),
            "tag": tags[i],
            "date": format!("2026-01-1{i}T10:00:00+03:00"),
            "author": { "name": format!("Secre{m}tariat"), "email": format!("s{m}@example.org") },
            "message": format!("Iteration {i} {m}\n\nBody {m}"),
            "proposed_by": [],
        }));
    }
    let manifest = serde_json::json!({
        "draft": draft_name(),
        "title": format!("Title {m}"),
        "iterations": iterations,
    });
    std::fs::write(src.join("iterations.json"), manifest.to_string()).unwrap();
    let repo = s.dir.path().join("repo");
    let out = s.run(
        s.dir.path(),
        &[
            "import",
            src.to_str().unwrap(),
            "--into",
            repo.to_str().unwrap(),
        ],
        false,
    );
    assert_clean("import", &out.stdout, false);
    assert_clean("import (stderr)", &out.stderr, false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (s, repo)
}

#[test]
fn no_command_sends_raw_control_characters() {
    let (s, repo) = hostile_repo();
    let p = draft_name();
    let at = |tag: &str| format!("{p}@{tag}");
    let (zero, comp, rev) = (
        at("zero\u{202E}draft"),
        at("comp\u{9b}1"),
        at("rev\u{2066}1"),
    );
    let h = &meta();
    let comment = s.run(
        &repo,
        &[
            "comment",
            "add",
            &comp,
            "OP1",
            &format!("Comment {h}"),
            "--author",
            &format!("Rev{h}iewer"),
        ],
        false,
    );
    assert!(
        comment.status.success(),
        "{}",
        String::from_utf8_lossy(&comment.stderr)
    );
    assert_clean("comment add", &comment.stdout, false);
    let index = s.run(&repo, &["index"], false);
    assert!(
        index.status.success(),
        "{}",
        String::from_utf8_lossy(&index.stderr)
    );

    let commands: Vec<Vec<String>> = [
        vec!["log", &p],
        vec!["show", &p],
        vec!["show", &comp],
        vec!["show", &comp, "--agreed"],
        vec!["show", &comp, "--actor", "USA"],
        vec!["check", &comp],
        vec!["diff", &p],
        vec!["diff", &zero, &comp],
        vec!["diff", &comp, &rev, "--stat"],
        vec!["actors", &comp],
        vec!["actors", &p, "--history"],
        vec!["actors", &comp, "--csv"],
        vec!["actor", "USA", &p],
        vec!["matrix", &comp],
        vec!["matrix", &comp, "--csv"],
        vec!["progress", &p],
        vec!["report", &p, "--format", "markdown"],
        vec!["report", &p, "--format", "html"],
        vec!["report", &p, "--format", "csv"],
        vec!["report", &p, "--actor", "USA", "--format", "markdown"],
        vec!["search", "report"],
        vec!["search", "act", "--all-revisions"],
        vec!["search", "kind:comment comment"],
        vec!["comment", "list", &comp, "--all"],
        vec!["comment", "list", &p],
        // JSON escapes them.
        vec!["show", &comp, "--json"],
        vec!["log", &p, "--json"],
        vec!["diff", &zero, &comp, "--json"],
        vec!["actors", &comp, "--json"],
        vec!["report", &p, "--format", "json"],
        vec!["search", "act", "--all-revisions", "--json"],
        vec!["comment", "list", &comp, "--json"],
        vec!["check", &comp, "--json"],
        // Errors that name what the user gave.
        vec!["show", &format!("missing{h}.md")],
        vec!["show", &format!("{p}@no{h}such")],
        vec!["diff", &format!("{p}@no{h}such"), &p],
        vec!["search", &format!("acter:{h}")],
        vec!["comment", "resolve", &format!("zz{h}")],
        // Usage errors quote the argument.
        vec!["show", &p, &format!("extra{h}")],
        vec!["report", &p, "--format", h],
        vec!["diff", &p, &format!("--bogus{h}")],
    ]
    .iter()
    .map(|c| c.iter().map(|s| s.to_string()).collect())
    .collect();
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for colour in [false, true] {
            let out = s.run(&repo, &args, colour);
            let what = format!("brackets {args:?} (colour: {colour})");
            assert_clean(&what, &out.stdout, colour);
            assert_clean(&format!("{what} stderr"), &out.stderr, colour);
            assert!(
                matches!(out.status.code(), Some(0..=2)),
                "{what}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // The hostile text is shown, not dropped.
    let log = String::from_utf8(s.run(&repo, &["log", &p], false).stdout).unwrap();
    assert!(log.contains("^[[31m") && log.contains("<U+202E>"), "{log}");
    let json: serde_json::Value =
        serde_json::from_slice(&s.run(&repo, &["log", &p, "--json"], false).stdout).unwrap();
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(&json, &mut all);
    assert!(
        all.iter().any(|s| s.contains(h.as_str())),
        "JSON carries the exact text: {json}"
    );
    // Every command ran on the draft and succeeded, but for the errors at the end.
    let failed: Vec<&Vec<String>> = commands
        .iter()
        .filter(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            !s.run(&repo, &args, false).status.success()
        })
        .collect();
    let errors: Vec<&Vec<String>> = commands[commands.len() - 8..].iter().collect();
    assert_eq!(failed, errors);
}

// ---------------------------------------------------------------------------------------------
// The TUI

fn key(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn cells(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| brackets::tui::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn no_view_of_the_tui_draws_raw_control_characters() {
    let (s, repo) = hostile_repo();
    let comp = format!("{}@comp\u{9b}1", draft_name());
    let h = &meta();
    let comment = s.run(
        &repo,
        &[
            "comment",
            "add",
            &comp,
            "OP1",
            &format!("Comment {h}"),
            "--author",
            &format!("Rev{h}iewer"),
        ],
        false,
    );
    assert!(
        comment.status.success(),
        "{}",
        String::from_utf8_lossy(&comment.stderr)
    );
    let mut app = App::loaded(Start::Path(repo.clone()), Theme::colored());
    assert!(app.error.is_none(), "{:?}", app.error);
    let mut seen = String::new();
    // Search last: it takes the keys as the query.
    for tab in ['1', '2', '3', '5', '6'] {
        key(&mut app, KeyCode::Char(tab));
        for step in 0..4 {
            let screen = cells(&app, 100, 30);
            assert_clean(&format!("tab {tab}, step {step}"), screen.as_bytes(), false);
            seen.push_str(&screen);
            key(&mut app, KeyCode::Down);
            key(&mut app, KeyCode::Enter);
            key(&mut app, KeyCode::Char(tab));
        }
    }
    // A query with control characters typed (or pasted) into the search box.
    key(&mut app, KeyCode::Char('4'));
    for c in "acter:\u{1b}[2J\u{202E}x \u{9b}".chars() {
        key(&mut app, KeyCode::Char(c));
        let screen = cells(&app, 100, 30);
        assert_clean(&format!("search box after {c:?}"), screen.as_bytes(), false);
    }
    seen.push_str(&cells(&app, 100, 30));
    assert!(seen.contains("^["), "hostile text is shown visibly");
    // The views drew the hostile draft text, commit messages, file name and comment.
    for expected in [
        "Secre^[[31m^[]0;owned^G",
        "dr^[[2Jaft<U+202E>",
        "zero<U+202E>draft",
        "<U+0085><U+009B>2J<U+202A>",
        "Rev^[[31m",
    ] {
        assert!(seen.contains(expected), "{expected:?} not drawn:\n{seen}");
    }
}

#[test]
fn import_errors_show_the_bad_names_visibly() {
    let s = Sandbox {
        dir: tempfile::tempdir().unwrap(),
    };
    let m = &meta();
    let src = s.dir.path().join(format!("src{m}"));
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "The Assembly,\n\n1. Decides;\n").unwrap();
    for (tag, file) in [
        (format!("bad\u{1b}[2J{m}"), "a.md"),
        ("ok".into(), "missing\u{1b}[2J.md"),
    ] {
        let manifest = serde_json::json!({
            "draft": "draft.md",
            "iterations": [{
                "file": file, "tag": tag, "date": "2026-01-10T10:00:00+03:00",
                "author": { "name": "S", "email": "s@example.org" }, "message": format!("m{m}"),
            }],
        });
        std::fs::write(src.join("iterations.json"), manifest.to_string()).unwrap();
        let repo = s.dir.path().join(format!("repo{m}"));
        let args = [
            "import",
            src.to_str().unwrap(),
            "--into",
            repo.to_str().unwrap(),
        ];
        for colour in [false, true] {
            let out = s.run(s.dir.path(), &args, colour);
            assert_eq!(out.status.code(), Some(1), "{tag:?} {file:?}");
            assert_clean("import", &out.stdout, colour);
            assert_clean("import (stderr)", &out.stderr, colour);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.starts_with("brackets: cannot import ") && err.contains("src^[[31m"),
                "{err}"
            );
        }
    }
}

#[test]
fn tui_errors_naming_a_hostile_path_are_drawn_visibly() {
    let dir = tempfile::tempdir().unwrap();
    let m = &meta();
    // A file that is not UTF-8, and one that does not exist, both with hostile names.
    let bad = dir.path().join(format!("latin1{m}.md"));
    std::fs::write(&bad, b"The Assembly,\n\nNoting caf\xe9\n").unwrap();
    for path in [bad, dir.path().join(format!("missing{m}.md"))] {
        let app = App::loaded(Start::Path(path.clone()), Theme::colored());
        let screen = cells(&app, 100, 20);
        assert_clean(&format!("{path:?}"), screen.as_bytes(), false);
        assert!(
            screen.contains("^[[31m"),
            "the path is shown visibly: {screen}"
        );
    }
}
