//! The real binary on hand-written drafts: human output (snapshots), JSON contract, CSV, exit
//! codes and error messages. The environment is cleared so colour, width and a developer's
//! configuration cannot leak in.

use std::path::Path;
use std::process::{Command, Output};

fn brackets(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brackets"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .output()
        .expect("the brackets binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const OCEAN: &str = "tests/fixtures/cli/ocean-compilation.md";

#[test]
fn show_reads_like_the_document() {
    let out = brackets(&["show", OCEAN]);
    assert!(out.status.success(), "{}", stderr(&out));
    insta::assert_snapshot!(stdout(&out));
    assert!(
        stderr(&out).contains("0 errors, 1 warning: see `brackets check"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn show_agreed_view_hides_attributions_and_marks_open_brackets() {
    let out = brackets(&["show", OCEAN, "--agreed"]);
    let text = stdout(&out);
    assert!(!text.contains('{'), "{text}");
    assert!(text.contains("[every two years]"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn show_for_one_actor() {
    let out = brackets(&["show", OCEAN, "--actor", "usa"]);
    let text = stdout(&out);
    insta::assert_snapshot!(text);
    assert!(text.contains("OP1") && text.contains("OP2.a"), "{text}");
    assert!(
        !text.contains("PP1 "),
        "USA takes no position in PP1: {text}"
    );
    let none = stdout(&brackets(&["show", OCEAN, "--actor", "BRA"]));
    assert!(none.contains("BRA takes no position in this text."));
    // No section headings over nothing.
    assert!(
        !none.contains("Operative") && !none.contains("Preamble"),
        "{none}"
    );
}

#[test]
fn show_json_follows_the_contract() {
    let out = brackets(&["show", OCEAN, "--json"]);
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(
        doc["title"],
        "Draft resolution: Ending plastic pollution in the ocean"
    );
    let ids: Vec<&str> = doc["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "PP1",
            "PP2",
            "PP2bis",
            "OP1",
            "OP2",
            "OP2.a",
            "OP2.b",
            "OP2.b.alt1",
            "OP3"
        ]
    );
    let pp2 = &doc["paragraphs"][1];
    assert_eq!(pp2["section"], "preamble");
    assert_eq!(pp2["agreed"]["date"], "2026-02-03");
    assert_eq!(pp2["agreed"]["time"], "16:40");
    let op1 = &doc["paragraphs"][3];
    assert_eq!(op1["section"], "operative");
    assert!(op1["agreed"].is_null());
    let first = &op1["brackets"][0];
    assert_eq!(first["text"], "Urges");
    assert_eq!(
        first["positions"][0],
        serde_json::json!({"actor": "CHN", "stance": "delete", "proposer": false})
    );
    let third = &op1["brackets"][2];
    assert_eq!(
        third["positions"][0],
        serde_json::json!({"actor": "RWA", "stance": "support", "proposer": true})
    );
    assert_eq!(
        third["positions"][2],
        serde_json::json!({"actor": "USA", "stance": "oppose", "proposer": false})
    );
    assert_eq!(
        doc["paragraphs"][2]["notes"][0],
        serde_json::json!({"actor": "JPN", "text": "JPN suggest to merge with PP2"})
    );
    let d = &doc["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(172))
    );
    assert_eq!(d["severity"], "warning");
}

#[test]
fn actors_table_csv_and_json() {
    let table = brackets(&["actors", OCEAN]);
    insta::assert_snapshot!(stdout(&table));
    let csv = brackets(&["actors", OCEAN, "--csv"]);
    insta::assert_snapshot!(stdout(&csv));
    let json: serde_json::Value =
        serde_json::from_slice(&brackets(&["actors", OCEAN, "--json"]).stdout).unwrap();
    let usa = json["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["actor"] == "USA")
        .unwrap();
    assert_eq!(
        (
            usa["support"].as_u64(),
            usa["oppose"].as_u64(),
            usa["proposed"].as_u64()
        ),
        (Some(2), Some(1), Some(2))
    );
    assert_eq!(usa["name"], "United States of America");
    let g77 = json["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["actor"] == "G77")
        .unwrap();
    assert_eq!(g77["name"], "Group of 77 and China");
}

#[test]
fn check_reports_and_sets_the_exit_status() {
    let warned = brackets(&["check", OCEAN]);
    assert_eq!(warned.status.code(), Some(0), "warnings alone pass");
    assert_eq!(
        stdout(&warned),
        "tests/fixtures/cli/ocean-compilation.md:9:172: warning: PP2 is stamped agreed ad ref but still holds 3 brackets\n"
    );
    let damaged = brackets(&["check", "tests/fixtures/cli/damaged.md"]);
    assert_eq!(damaged.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&damaged));
    let json: serde_json::Value = serde_json::from_slice(
        &brackets(&["check", "--json", "tests/fixtures/cli/damaged.md"]).stdout,
    )
    .unwrap();
    assert!(json["files"][0]["errors"].as_u64() >= Some(1));
}

#[test]
fn unreadable_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Recalling the caf\xe9,\n").unwrap();
    let utf16 = dir.path().join("utf16.txt");
    std::fs::write(&utf16, [0xFF, 0xFE, b'R', 0]).unwrap();
    let cases: [(&Path, &str); 4] = [
        (
            Path::new("no/such/draft.md"),
            "cannot read no/such/draft.md",
        ),
        (dir.path(), "it is a directory"),
        (&latin1, "not UTF-8 text (invalid byte at offset 17)"),
        (&utf16, "it is UTF-16 text"),
    ];
    for (path, expected) in cases {
        let out = brackets(&["show", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{path:?}");
        let err = stderr(&out);
        assert!(err.starts_with("brackets: "), "{err}");
        assert!(err.contains(expected), "{path:?}: {err}");
    }
    let usage = brackets(&["show"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn colour_on_request_and_never_raw_control_characters() {
    let coloured = stdout(&brackets(&["show", OCEAN, "--color", "always"]));
    assert!(coloured.contains("\u{1b}[32mNOR+"), "support is green");
    assert!(coloured.contains("\u{1b}[31mUSA-"), "opposition is red");
    assert!(
        !stdout(&brackets(&["show", OCEAN])).contains('\u{1b}'),
        "NO_COLOR is honoured"
    );

    let dir = tempfile::tempdir().unwrap();
    let hostile = dir.path().join("hostile.md");
    std::fs::write(
        &hostile,
        "The Assembly,\n\nNoting \u{1b}]0;owned\u{7} the [text\u{202E}] {USA+},\n",
    )
    .unwrap();
    let out = stdout(&brackets(&["show", hostile.to_str().unwrap()]));
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202E}'),
        "{out:?}"
    );
    assert!(
        out.contains("^[]0;owned^G") && out.contains("<U+202E>"),
        "{out}"
    );
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["check", "show", "actors", "diff", "log", "import", "demo"] {
        let out = brackets(&[command, "--help"]);
        assert!(out.status.success());
        assert!(stdout(&out).contains("Examples:"), "{command}");
    }
    let cache = tempfile::tempdir().unwrap();
    let tour = Command::new(env!("CARGO_BIN_EXE_brackets"))
        .env_clear()
        .env("NO_COLOR", "1")
        .env("BRACKETS_CACHE_DIR", cache.path())
        .output()
        .expect("the brackets binary runs");
    let tour = stdout(&tour);
    assert!(
        tour.contains("brackets log resolution/people-centred-smart-cities.md"),
        "{tour}"
    );
    assert!(
        tour.contains(&cache.path().join("demo").display().to_string()),
        "{tour}"
    );
}

#[test]
fn show_agreed_view_leaves_no_space_before_a_comma_where_an_attribution_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(
        &path,
        "The Assembly,\n\n1. Welcomes cities[, in line with the Summit] {CHN+, RUS+}{USA-}, and [acts] {EU+} now.\n",
    )
    .unwrap();
    let out = brackets(&["show", path.to_str().unwrap(), "--agreed"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("OP1  Welcomes cities[, in line with the Summit], and [acts] now."),
        "{}",
        stdout(&out)
    );
}
