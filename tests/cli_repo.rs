//! The real binary on the demo repository and on throwaway folders, in a cleared environment:
//! HOME and the cache in a temporary folder, no system git config, no colour.

use std::path::Path;
use std::process::{Command, Output};

struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        Sandbox { dir }
    }

    fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_brackets"))
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"))
            .env("BRACKETS_CACHE_DIR", self.dir.path().join("cache"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .output()
            .unwrap()
    }

    /// `brackets demo --path`, checked.
    fn demo(&self) -> std::path::PathBuf {
        let out = self.run(self.dir.path(), &["demo", "--path"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::path::PathBuf::from(String::from_utf8(out.stdout).unwrap().trim_end())
    }
}

const RESOLUTION: &str = "resolution/people-centred-smart-cities.md";

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn demo_path_prints_only_the_path_and_is_stable() {
    let s = Sandbox::new();
    let path = s.demo();
    assert_eq!(path, s.dir.path().join("cache/demo"));
    assert!(path.join(RESOLUTION).is_file());
    assert_eq!(s.demo(), path, "second run reuses it");
    let out = s.run(s.dir.path(), &["demo"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("smart cities") && text.contains(&path.display().to_string()),
        "{text}"
    );
}

#[test]
fn log_json_on_the_demo_resolution() {
    let s = Sandbox::new();
    let demo = s.demo();
    let value = json(&s.run(&demo, &["log", RESOLUTION, "--json"]));
    assert_eq!(value["path"], RESOLUTION);
    let iterations = value["iterations"].as_array().unwrap();
    let labels: Vec<&str> = iterations
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "adopted",
            "rev2",
            "compilation-2",
            "rev1",
            "compilation-1",
            "zero-draft"
        ]
    );
    let rev1 = &iterations[3];
    for field in [
        "commit",
        "short",
        "tags",
        "date",
        "author",
        "email",
        "message",
        "proposed_by",
        "open_brackets",
        "agreed_paragraphs",
        "paragraphs",
    ] {
        assert!(rev1.get(field).is_some(), "missing {field}");
    }
    assert_eq!(rev1["date"], "2026-04-02T16:00:00+03:00");
    assert_eq!(rev1["author"], "Ambassador Mariana Ekwueme (Chair)");
    assert_eq!(rev1["proposed_by"][0], "EGY");
    assert!(
        rev1["message"]
            .as_str()
            .unwrap()
            .starts_with("Chair's Rev.1")
    );
    assert!(!rev1["message"].as_str().unwrap().contains("Proposed-by"));
    assert_eq!(iterations[5]["open_brackets"], 0, "the zero draft is clean");
    assert!(
        iterations[4]["open_brackets"].as_u64().unwrap() > 10,
        "the first compilation is full of brackets"
    );
    // From a subfolder, with a path relative to it.
    let value = json(&s.run(
        &demo.join("resolution"),
        &["log", "people-centred-smart-cities.md", "--json"],
    ));
    assert_eq!(value["iterations"].as_array().unwrap().len(), 6);
}

#[test]
fn log_text_fits_80_columns() {
    let s = Sandbox::new();
    let demo = s.demo();
    let out = s.run(&demo, &["log", RESOLUTION]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!("{RESOLUTION}: 6 iterations")),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "NO_COLOR: no escape sequences");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    assert!(
        text.contains("compilation-2") && text.contains("open brackets"),
        "{text}"
    );
}

#[test]
fn show_at_a_tag() {
    let s = Sandbox::new();
    let demo = s.demo();
    let value = json(&s.run(&demo, &["show", &format!("{RESOLUTION}@rev1"), "--json"]));
    assert!(value["paragraphs"].as_array().unwrap().len() > 10);
    let zero = json(&s.run(
        &demo,
        &["show", &format!("{RESOLUTION}@zero-draft"), "--json"],
    ));
    assert_ne!(value["paragraphs"], zero["paragraphs"]);
}

#[test]
fn import_twice_changes_nothing() {
    let s = Sandbox::new();
    let drafts = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts/smart-cities-resolution");
    let into = s.dir.path().join("negotiations");
    let into_arg = into.display().to_string();
    let drafts_arg = drafts.display().to_string();
    let out = s.run(s.dir.path(), &["import", &drafts_arg, "--into", &into_arg]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 commits, 6 tags"));
    let out = s.run(s.dir.path(), &["import", &drafts_arg, "--into", &into_arg]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nothing changed"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Dirty: refused with a clear message.
    std::fs::write(into.join(RESOLUTION), "edited").unwrap();
    let out = s.run(s.dir.path(), &["import", &drafts_arg, "--into", &into_arg]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("brackets: cannot import") && err.contains("uncommitted changes"),
        "{err}"
    );
}

#[test]
fn errors_name_the_problem_and_exit_1() {
    let s = Sandbox::new();
    let demo = s.demo();
    let out = s.run(&demo, &["show", &format!("{RESOLUTION}@rev9")]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("brackets: ") && err.contains("revision rev9 does not exist"),
        "{err}"
    );

    let plain = s.dir.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::write(plain.join("draft.md"), "1. Decides [x] {USA+};\n").unwrap();
    let out = s.run(&plain, &["log", "draft.md"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("brackets: ") && err.contains("not in a git repository"),
        "{err}"
    );
    // The plain file itself still reads.
    assert!(s.run(&plain, &["show", "draft.md"]).status.success());

    let out = s.run(&demo, &["log", "resolution/missing.md"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("brackets: ") && err.contains("resolution/missing.md"),
        "{err}"
    );
}
