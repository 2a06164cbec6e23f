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
    // A comment on the paragraph being read.
    t.send(&["2", "6"]);
    t.wait_for(&["No comments on this draft yet"]);
    t.send(&["a"]);
    t.wait_for(&["New comment on PP1"]);
    t.send(&["-l", "Quote the 2030 Agenda exactly"]);
    t.send(&["Enter"]);
    t.wait_for(&["1 of 1 comments", "Quote the 2030 Agenda exactly", "open"]);
    t.send(&["x"]);
    t.wait_for(&["resolved"]);
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
