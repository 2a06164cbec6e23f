//! The real binary in a real terminal: tmux with a private socket and a fixed window size.
//! Every step waits for text to appear on screen (polling `capture-pane`, with a generous
//! timeout), never for a fixed time. Skipped, with a message, when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Long enough for a loaded CI machine; the tests never wait this long when things work.
const TIMEOUT: Duration = Duration::from_secs(60);

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One tmux server of our own; killed when dropped.
struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
}

impl Tmux {
    /// Starts `brackets ARGS` in `dir` in a 100x30 window.
    fn start(name: &str, dir: &Path, cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        let socket = format!("brackets-e2e-{name}-{}", std::process::id());
        let mut cmd = format!(
            "cd '{}' && env -u NO_COLOR TERM=xterm-256color HOME='{}' GIT_CONFIG_NOSYSTEM=1 \
             GIT_CEILING_DIRECTORIES='{}' BRACKETS_CACHE_DIR='{}'",
            dir.display(),
            home.path().display(),
            dir.parent().unwrap_or(dir).display(),
            cache.display()
        );
        for (k, v) in env {
            cmd.push_str(&format!(" {k}='{v}'"));
        }
        cmd.push_str(&format!(" '{}'", env!("CARGO_BIN_EXE_brackets")));
        for a in args {
            cmd.push_str(&format!(" '{a}'"));
        }
        let t = Tmux {
            socket,
            _home: home,
        };
        t.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-s",
            "e2e",
            &cmd,
        ]);
        t.tmux(&["set-option", "-t", "e2e", "remain-on-exit", "on"]);
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Waits until every text is on screen; the screen is in the panic message otherwise.
    fn wait_for(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if texts.iter().all(|t| s.contains(t)) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {texts:?}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn pane_dead(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", "#{pane_dead}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

fn skip() -> bool {
    if have_tmux() {
        return false;
    }
    println!("skipped: tmux is not installed (the CI installs it)");
    true
}

/// A folder outside any repository, and a cache folder for the example.
fn sandbox() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let work = root.path().join("work");
    let cache = root.path().join("cache");
    std::fs::create_dir_all(&work).unwrap();
    (root, work, cache)
}

#[test]
fn opens_the_example_switches_views_compares_and_quits_cleanly() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    let t = Tmux::start("example", &work, &cache, &[], &[]);
    // The Drafts view with the resolution's iterations and their counts.
    t.wait_for(&["1 Drafts", "compilation-1", "63", "Progress"]);
    t.send(&["Tab"]);
    t.wait_for(&["compilation view", "PP1"]);
    t.send(&["3"]);
    t.wait_for(&["rev2 → adopted"]);
    // One step back in history: the previous pair.
    t.send(&["["]);
    t.wait_for(&["compilation-2 → rev2", "changed"]);
    t.send(&["s"]);
    t.wait_for(&["side by side", " │ "]);
    t.send(&["?"]);
    t.wait_for(&["Compare view", "next change"]);
    t.send(&["Escape"]);
    t.wait_until("the help to close", |s| !s.contains("Compare view"));
    // Search as you type; the adopted text has no brackets, so search every iteration.
    t.send(&["/"]);
    t.wait_for(&["Search (newest iterations)"]);
    t.send(&["-l", "actor:USA stance:oppose"]);
    t.wait_for(&["actor:USA stance:oppose", "0 hits"]);
    t.send(&["C-a"]);
    t.wait_for(&["Search (all iterations)", "hits", "OP4 "]);
    t.send(&["Escape"]);
    t.wait_for(&["/ types"]);
    // An actor's timeline: the table, then the positions of the actor selected.
    t.send(&["5"]);
    t.wait_for(&["actors over 6 iterations", "positions"]);
    t.send(&["j", "l"]);
    t.wait_for(&["CHN · "]);
    // The adopted text has no brackets left: the matrix of the iteration before it.
    t.send(&["m"]);
    t.wait_for(&["Position matrix at adopted", "Nobody takes a position"]);
    t.send(&["["]);
    t.wait_for(&["Position matrix at rev2", "against"]);
    // Comments are read here, never written: the example is rebuilt from the cache.
    t.send(&["2", "6"]);
    t.wait_for(&["No comments on this draft yet"]);
    t.send(&["a"]);
    t.wait_for(&["the bundled example is read-only"]);
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
    // The alternate screen is gone: the UI is no longer on screen.
    let s = t.screen();
    assert!(
        !s.contains("1 Drafts"),
        "the terminal was not restored:\n{s}"
    );
}

#[test]
fn a_draft_file_opens_in_read_and_survives_resizing() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    std::fs::write(
        work.join("draft.txt"),
        "Draft resolution\n\nThe Assembly,\n\nNoting the report,\n\n1. Decides [to act now] {USA+ FRA-}{RUS reserve};\n",
    )
    .unwrap();
    let t = Tmux::start("file", &work, &cache, &["draft.txt"], &[]);
    t.wait_for(&["compilation view", "OP1", "{USA+ FRA-}"]);
    t.send(&["a"]);
    t.wait_for(&["agreed-text view", "Decides […]"]);
    t.tmux(&["resize-window", "-t", "e2e", "-x", "20", "-y", "5"]);
    t.wait_for(&["too small"]);
    t.tmux(&["resize-window", "-t", "e2e", "-x", "100", "-y", "30"]);
    t.wait_for(&["agreed-text view"]);
    assert!(!t.pane_dead());
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
}

#[test]
fn no_color_means_no_colour_codes() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    std::fs::write(
        work.join("draft.txt"),
        "The Assembly,\n\n1. Decides [to act now] {USA+ FRA-};\n",
    )
    .unwrap();
    let t = Tmux::start(
        "nocolor",
        &work,
        &cache,
        &["draft.txt"],
        &[("NO_COLOR", "1")],
    );
    t.wait_for(&["{USA+ FRA-}"]);
    let s = t.screen_with_escapes();
    // Foreground colours are SGR 30-37, 90-97 or 38;...
    for code in ["[31m", "[32m", "[33m", "[36m", "38;5", "38:5"] {
        assert!(!s.contains(code), "colour {code} with NO_COLOR:\n{s:?}");
    }
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
    let t = Tmux::start("color", &work, &cache, &["draft.txt"], &[]);
    t.wait_for(&["{USA+ FRA-}"]);
    let s = t.screen_with_escapes();
    assert!(s.contains("\u{1b}["), "colour without NO_COLOR:\n{s:?}");
}

#[test]
fn a_folder_without_drafts_opens_the_example_and_says_so() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    let empty = work.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let t = Tmux::start("empty", &work, &cache, &["empty"], &[]);
    t.wait_for(&["(example)", "compilation-1", "is not in a git repository"]);
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
}

// ----- drafting (issue 8) -----

const DRAFT: &str = "Draft resolution\n\nThe Assembly,\n\nNoting the report,\n\n1. Decides [to act now] {USA+ FRA-};\n\n2. Requests the secretariat to report;\n";

/// A repository in `work/negotiation` with `draft.md` committed and tagged `rev1`, and its own
/// identity in the repository's config (the test's HOME is empty, the system config ignored).
fn negotiation(work: &Path) -> PathBuf {
    let dir = work.join("negotiation");
    std::fs::create_dir_all(&dir).unwrap();
    let repo = git2::Repository::init(&dir).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Secretariat").unwrap();
    config
        .set_str("user.email", "secretariat@example.org")
        .unwrap();
    std::fs::write(dir.join("draft.md"), DRAFT).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("draft.md")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(
        "Secretariat",
        "secretariat@example.org",
        &git2::Time::new(1_700_000_000, 0),
    )
    .unwrap();
    let oid = repo
        .commit(Some("HEAD"), &sig, &sig, "Zero draft", &tree, &[])
        .unwrap();
    repo.tag_lightweight("rev1", &repo.find_object(oid, None).unwrap(), false)
        .unwrap();
    dir
}

/// `git ARGS` in `dir` with an empty HOME and no system config.
fn git(dir: &Path, args: &[&str]) -> String {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn drafting_edit_bracket_accept_and_commit_with_a_tag() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    let dir = negotiation(&work);
    let t = Tmux::start("drafting", &dir, &cache, &["draft.md"], &[]);
    t.wait_for(&["compilation view", "OP1", "{USA+ FRA-}"]);
    // Edit OP1 in place: before its semicolon, " firmly".
    t.send(&["j", "e"]);
    t.wait_for(&["Editing OP1"]);
    t.send(&["End", "Left"]);
    t.send(&["-l", " firmly"]);
    t.send(&["Escape"]);
    t.wait_for(&["{USA+ FRA-} firmly;", "● modified"]);
    // Bracket "the secretariat" in OP2 for EGY, completing the code with Tab.
    t.send(&["j", "v", "l", "L"]);
    t.wait_for(&["selected: «the secretariat»"]);
    t.send(&["Enter"]);
    t.wait_for(&["Bracket [the secretariat] in OP2"]);
    t.send(&["-l", "EG"]);
    t.wait_for(&["Tab: EGY"]);
    t.send(&["Tab"]);
    t.send(&["-l", "+"]);
    t.send(&["Enter"]);
    t.wait_for(&["Requests [the secretariat] {EGY+} to report;"]);
    // The Actors view has EGY already, from the ledger worker, before any commit.
    t.send(&["5"]);
    t.wait_for(&["3 actors over 2 iterations", "EGY"]);
    t.send(&["2"]);
    t.wait_for(&["Requests [the secretariat] {EGY+} to report;"]);
    // Accept OP1's bracket at the Chair's request.
    t.send(&["k", "A"]);
    t.wait_for(&["Accept [to act now] in OP1"]);
    t.send(&["-l", "Chair"]);
    t.send(&["Enter"]);
    t.wait_for(&["OP1  Decides to act now firmly;"]);
    // A reviewer's comment on OP1, committed with the iteration (`;` is tmux's separator).
    t.send(&["\\;"]);
    t.wait_for(&["Comment on OP1"]);
    t.send(&["-l", "Check against the 2030 Agenda"]);
    t.send(&["Enter"]);
    t.wait_for(&[
        "1 comment(s) on this paragraph",
        "Check against the 2030 Agenda",
    ]);
    // Commit: saved, reviewed against HEAD in Compare, then the message, the tag and the
    // Proposed-by trailer (filled in from the accepted bracket).
    t.send(&["C"]);
    t.wait_for(&["rev1 → worktree", "Committing the next iteration"]);
    t.send(&["C"]);
    t.wait_for(&[
        "Commit the next iteration",
        "Secretariat <secretariat@example.org>",
    ]);
    t.send(&["-l", "Rev.2 after the informals"]);
    t.send(&["Enter"]);
    t.send(&["-l", "OP1 firmed up"]);
    t.wait_for(&["Details       OP1 firmed up"]);
    t.send(&["Enter"]);
    t.send(&["-l", "rev2"]);
    t.send(&["Enter"]);
    t.wait_for(&["Proposed-by   Chair"]);
    t.send(&["Enter"]);
    t.send(&["-l", "G77"]);
    t.wait_for(&["On-behalf-of  G77"]);
    t.send(&["Enter"]);
    t.wait_for(&["tagged rev2", "rev1 → rev2"]);
    let text = std::fs::read_to_string(dir.join("draft.md")).unwrap();
    assert_eq!(
        text,
        DRAFT
            .replace("[to act now] {USA+ FRA-};", "to act now firmly;")
            .replace("the secretariat", "[the secretariat] {EGY+}")
    );
    let log = git(&dir, &["log", "--format=%an <%ae>|%s|%b|%D", "-1"]);
    assert!(
        log.starts_with(
            "Secretariat <secretariat@example.org>|Rev.2 after the informals|OP1 firmed up\n\nProposed-by: Chair\nOn-behalf-of: G77"
        ),
        "{log}"
    );
    assert!(log.contains("tag: rev2"), "{log}");
    let show = git(&dir, &["show", "--format=", "--name-only", "rev2"]);
    assert_eq!(show.trim(), "draft.md\ndraft.md.comments.json");
    let comments = git(&dir, &["show", "rev2:draft.md.comments.json"]);
    assert!(
        comments.contains("Check against the 2030 Agenda"),
        "{comments}"
    );
    let diff = git(&dir, &["show", "--format=", "rev2"]);
    assert!(
        diff.contains("+2. Requests [the secretariat] {EGY+} to report;"),
        "{diff}"
    );
    assert!(git(&dir, &["status", "--porcelain"]).trim().is_empty());
    // Nothing unsaved: q quits at once.
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
}

#[test]
fn drafting_a_concurrent_change_on_disk_is_detected_and_not_overwritten() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    let dir = negotiation(&work);
    let file = dir.join("draft.md");
    let t = Tmux::start("conflict", &dir, &cache, &["draft.md"], &[]);
    t.wait_for(&["compilation view", "OP2"]);
    t.send(&["G", "m"]);
    t.wait_for(&["Note on OP2"]);
    t.send(&["-l", "FRA suggest deletion"]);
    t.send(&["Enter"]);
    t.wait_for(&["{FRA suggest deletion}", "● modified"]);
    // Another editor (or a git pull) changes the file meanwhile.
    let theirs = DRAFT.replace("Noting the report", "Noting with appreciation the report");
    std::fs::write(&file, &theirs).unwrap();
    t.send(&["w"]);
    t.wait_for(&["The draft changed on disk", "overwrite the file on disk"]);
    t.send(&["k"]);
    t.wait_for(&["not saved: the file changed on disk"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // Quitting asks; discarding leaves their text alone.
    t.send(&["q"]);
    t.wait_for(&["Unsaved edits", "quit without saving"]);
    t.send(&["d"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
}

#[test]
fn drafting_external_editor_opens_at_the_paragraph_and_the_text_is_read_back() {
    if skip() {
        return;
    }
    let (_root, work, cache) = sandbox();
    let dir = negotiation(&work);
    // An "editor" that records its arguments and changes the draft.
    let script = work.join("editor.sh");
    let args = work.join("editor-args");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nsed -i 's/to report/to report annually/' \"$2\"\n",
            args.display()
        ),
    )
    .unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .unwrap();
    let editor = script.display().to_string();
    let t = Tmux::start(
        "editor",
        &dir,
        &cache,
        &["draft.md"],
        &[("VISUAL", editor.as_str())],
    );
    t.wait_for(&["compilation view", "OP2"]);
    t.send(&["G", "E"]);
    t.wait_for(&["to report annually;"]);
    let recorded = std::fs::read_to_string(&args).unwrap();
    assert!(recorded.starts_with("+9 "), "{recorded}");
    assert!(recorded.trim_end().ends_with("draft.md"), "{recorded}");
    assert!(!t.pane_dead());
    t.send(&["q"]);
    t.wait_until("brackets to exit", |_| t.pane_dead());
}
