//! The search index on temporary repositories built from the bundled example: known queries
//! give known paragraphs, updates are incremental, a damaged index is rebuilt, a busy writer
//! is reported and searching goes on. No timing assertions.

mod common;
use brackets::comments::{self, NewComment, Store};
use brackets::index::query::{Kind, Query};
use brackets::index::{Index, IndexError, SearchOptions, SearchResults};
use brackets::repo::Repo;
use git2::{Repository, Signature, Time};
use std::path::{Path, PathBuf};
use std::process::Command;

const RESOLUTION: &str = "resolution/people-centred-smart-cities.md";
const GUIDELINES: &str = "guidelines/people-centred-smart-cities-guidelines.md";

use common::sandbox;

/// The bundled example as a git repository in a temporary folder.
struct Demo {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        let demo = brackets::example::materialise_in(dir.path()).unwrap();
        let root = demo.path.canonicalize().unwrap();
        Demo { _dir: dir, root }
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }

    fn index(&self) -> Index {
        let repo = self.repo();
        let mut index = Index::open(&repo).unwrap();
        index.update(&repo, &mut |_| {}).unwrap();
        index
    }

    /// Writes files and commits them on HEAD, a day after the example's last iteration.
    fn commit(&self, files: &[(&str, Option<&str>)], message: &str) -> git2::Oid {
        let git = Repository::open(&self.root).unwrap();
        let mut index = git.index().unwrap();
        for (path, content) in files {
            let full = self.root.join(path);
            match content {
                Some(text) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(&full, text).unwrap();
                    index.add_path(Path::new(path)).unwrap();
                }
                None => {
                    std::fs::remove_file(&full).unwrap();
                    index.remove_path(Path::new(path)).unwrap();
                }
            }
        }
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let head = git.head().unwrap().peel_to_commit().unwrap();
        let sig = Signature::new(
            "Secretariat",
            "s@example.org",
            &Time::new(head.time().seconds() + 86_400, 180),
        )
        .unwrap();
        git.commit(Some("HEAD"), &sig, &sig, message, &tree, &[&head])
            .unwrap()
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }
}

fn search(index: &Index, q: &str, all: bool) -> SearchResults {
    index
        .search(
            &Query::parse(q).unwrap(),
            &SearchOptions {
                all_revisions: all,
                limit: 200,
            },
        )
        .unwrap()
}

fn ids(r: &SearchResults, kind: Kind) -> Vec<String> {
    let mut v: Vec<String> = r
        .hits
        .iter()
        .filter(|h| h.kind == kind)
        .map(|h| format!("{}@{}", h.paragraph, h.revision))
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn an_actors_oppositions_across_all_revisions() {
    let demo = Demo::new();
    let index = demo.index();
    let r = search(&index, "actor:EGY stance:oppose kind:bracket", true);
    assert!(!r.hits.is_empty());
    for h in &r.hits {
        assert!(
            h.attribution.contains("EGY-") || h.attribution.contains("EGY -"),
            "{h:?}"
        );
        assert_eq!(h.kind, Kind::Bracket);
    }
    assert!(
        ids(&r, Kind::Bracket).contains(&"PP8@compilation-2".to_string()),
        "{:?}",
        ids(&r, Kind::Bracket)
    );
    // The short form means the same.
    let short = search(&index, "actor:egy- kind:bracket", true);
    assert_eq!(ids(&short, Kind::Bracket), ids(&r, Kind::Bracket));
    // An actor and a stance side by side pair up: EGY's reservations are not oppositions.
    let reserve = search(&index, "actor:EGY stance:reserve kind:bracket", true);
    for h in &reserve.hits {
        assert!(h.attribution.contains("EGY reserve"), "{h:?}");
    }
    assert!(!reserve.hits.is_empty());
}

#[test]
fn the_newest_iteration_by_default_and_grouped_history_on_request() {
    let demo = Demo::new();
    let index = demo.index();
    // The adopted text has no brackets left.
    let open = search(&index, "privacy kind:bracket draft:resolution", false);
    assert!(open.hits.is_empty(), "{:?}", ids(&open, Kind::Bracket));
    let newest = search(&index, "\"digital literacy\" draft:resolution", false);
    assert!(newest.hits.iter().all(|h| h.revision == "adopted"));
    assert!(newest.hits.iter().any(|h| h.paragraph == "OP3.c"));
    let hit = &newest.hits[0];
    let highlighted: Vec<&str> = hit
        .highlights
        .iter()
        .map(|r| &hit.snippet[r.clone()])
        .collect();
    assert!(
        highlighted
            .iter()
            .any(|w| w.eq_ignore_ascii_case("literacy")),
        "{highlighted:?} in {}",
        hit.snippet
    );

    // Across the history, identical paragraphs are one hit spanning several iterations.
    let all = search(&index, "\"digital literacy\" para:OP3.c", true);
    let spans: Vec<&str> = all.hits.iter().map(|h| h.span.as_str()).collect();
    assert!(spans.iter().any(|s| s.contains(" to ")), "{spans:?}");
    let total: usize = all.hits.iter().map(|h| h.revisions.len()).sum();
    assert!(total >= 4, "{spans:?}");
    // Oldest first inside a hit.
    for h in &all.hits {
        assert!(h.revisions.windows(2).all(|w| w[0].date <= w[1].date));
    }

    // rev: picks the iterations in effect at a revision, for every draft.
    let at = search(&index, "privacy kind:bracket rev:compilation-2", false);
    assert!(!at.hits.is_empty());
    assert!(at.hits.iter().all(|h| h.revision == "compilation-2"));
    // Prefixes, OR, NOT and draft names.
    let g = search(&index, "priv* draft:guidelines", false);
    assert!(!g.hits.is_empty());
    assert!(g.hits.iter().all(|h| h.draft == GUIDELINES));
    let either = search(&index, "(privacy OR surveillance) -privacy", true);
    assert!(!either.hits.is_empty());
    assert!(
        either
            .hits
            .iter()
            .all(|h| !h.text.to_lowercase().contains("privacy"))
    );
}

#[test]
fn notes_in_braces_are_comments() {
    let demo = Demo::new();
    let index = demo.index();
    let r = search(&index, "kind:comment actor:Chair bridging", true);
    assert!(
        r.hits.iter().any(|h| h.paragraph == "OP4"),
        "{:?}",
        ids(&r, Kind::Comment)
    );
}

#[test]
fn mistyped_queries_are_errors_pointing_at_the_problem() {
    let demo = Demo::new();
    let index = demo.index();
    let e = Query::parse("privacy acter:EGY").unwrap_err();
    assert_eq!(e.column, 9);
    let q = Query::parse("rev:no-such-tag privacy").unwrap();
    match index.search(&q, &SearchOptions::default()) {
        Err(IndexError::Query(e)) => {
            assert_eq!(e.column, 5);
            assert!(e.message.contains("no-such-tag"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let q = Query::parse("\"...\"").unwrap();
    assert!(matches!(
        index.search(&q, &SearchOptions::default()),
        Err(IndexError::Query(_))
    ));
}

#[test]
fn a_new_commit_is_indexed_incrementally() {
    let demo = Demo::new();
    let repo = demo.repo();
    let mut index = Index::open(&repo).unwrap();
    let first = index.update(&repo, &mut |_| {}).unwrap();
    assert_eq!(first.added, 9, "every iteration of both drafts");
    let again = index.update(&repo, &mut |_| {}).unwrap();
    assert!(again.up_to_date);
    assert_eq!(again.added, 0);

    let text = demo.read(RESOLUTION)
        + "\n11. [Decides to establish a zanzibarian working group] {BRA+, EGY-}{USA reserve};\n";
    demo.commit(&[(RESOLUTION, Some(&text))], "Rev.3 with OP11");
    let mut indexed = Vec::new();
    let stats = index
        .update(&repo, &mut |p| {
            if let brackets::index::Progress::Indexed { draft, label, .. } = p {
                indexed.push(format!("{draft}@{label}"));
            }
        })
        .unwrap();
    assert_eq!(
        stats.added, 1,
        "only the new iteration is read: {indexed:?}"
    );
    assert_eq!(indexed.len(), 1);
    assert!(indexed[0].starts_with(RESOLUTION));
    let r = search(&index, "zanzibarian", false);
    assert_eq!(ids(&r, Kind::Paragraph).len(), 1);
    assert_eq!(r.hits[0].paragraph, "OP11");
    let opp = search(&index, "actor:EGY- kind:bracket", false);
    assert_eq!(
        ids(&opp, Kind::Bracket).len(),
        1,
        "{:?}",
        ids(&opp, Kind::Bracket)
    );
    // The adopted text is no longer the newest: its paragraphs are found in the new one.
    let old = search(&index, "\"digital literacy\" draft:resolution", false);
    assert!(old.hits.iter().all(|h| h.revision != "adopted"));

    // Another process sees the update when it opens the index.
    let other = Index::open(&repo).unwrap();
    assert!(!other.is_stale(&repo).unwrap());
    assert_eq!(
        search(&other, "zanzibarian kind:paragraph", false)
            .hits
            .len(),
        1
    );

    // A renamed draft is found under its new name only.
    let git = Repository::open(&demo.root).unwrap();
    let mut gi = git.index().unwrap();
    std::fs::rename(
        demo.root.join(RESOLUTION),
        demo.root.join("resolution/smart-cities.md"),
    )
    .unwrap();
    gi.remove_path(Path::new(RESOLUTION)).unwrap();
    gi.add_path(Path::new("resolution/smart-cities.md"))
        .unwrap();
    gi.write().unwrap();
    demo.commit(&[], "Rename");
    index.update(&repo, &mut |_| {}).unwrap();
    let r = search(&index, "zanzibarian", true);
    assert!(
        r.hits
            .iter()
            .all(|h| h.draft == "resolution/smart-cities.md")
    );
    assert!(!r.hits.is_empty());
    let r = search(&index, "\"digital literacy\"", true);
    assert!(r.hits.iter().all(|h| h.draft != RESOLUTION));
}

#[test]
fn a_damaged_index_is_rebuilt_with_a_message() {
    let demo = Demo::new();
    let repo = demo.repo();
    let dir = Index::dir_of(&repo);
    drop(demo.index());

    std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
    let mut index = Index::open(&repo).unwrap();
    let mut notices = Vec::new();
    let stats = index
        .update(&repo, &mut |p| {
            if let brackets::index::Progress::Notice(n) = p {
                notices.push(n.to_string());
            }
        })
        .unwrap();
    assert!(stats.rebuilt.is_some());
    assert!(
        notices.iter().any(|n| n.contains("rebuilding")),
        "{notices:?}"
    );
    assert_eq!(stats.added, 9);
    assert!(!search(&index, "privacy", true).hits.is_empty());
    drop(index);

    // A segment file gone missing.
    let victim = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(".store"))
        .unwrap();
    std::fs::remove_file(victim.path()).unwrap();
    let mut index = Index::open(&repo).unwrap();
    let stats = index.update(&repo, &mut |_| {}).unwrap();
    assert!(stats.rebuilt.is_some());
    assert!(!search(&index, "privacy", true).hits.is_empty());

    // Garbage everywhere.
    drop(index);
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        std::fs::write(e.path(), b"\0garbage").unwrap();
    }
    let mut index = Index::open(&repo).unwrap();
    let stats = index.update(&repo, &mut |_| {}).unwrap();
    assert!(stats.rebuilt.is_some());
    assert!(!search(&index, "privacy", true).hits.is_empty());
}

/// A file of one of the index's segments (not `meta.json`, not tantivy's lock files).
fn is_segment_file(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    !name.starts_with('.') && !name.ends_with(".json")
}

/// tantivy reads the footers of segment files on open without checking them: a damaged byte
/// there once made it panic before any guard, or ask for petabytes and abort. Every byte of
/// every footer, flipped in turn, must be found by the checksums on open (the index is thrown
/// away and opens empty) and the index must answer.
#[test]
fn a_damaged_byte_in_any_segment_footer_is_found_on_open() {
    let demo = Demo::new();
    let repo = demo.repo();
    let dir = Index::dir_of(&repo);
    drop(demo.index());
    let pristine: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
        .collect();
    let segments: Vec<usize> = (0..pristine.len())
        .filter(|&k| is_segment_file(&pristine[k].0))
        .collect();
    assert!(segments.len() >= 6, "{pristine:?}");
    let query = Query::parse("privacy").unwrap();
    let options = SearchOptions {
        all_revisions: true,
        limit: 3,
    };
    for &k in &segments {
        let (victim, bytes) = &pristine[k];
        // The footers (offsets, lengths, versions) sit in the last 150 bytes or so.
        for at in bytes.len().saturating_sub(160)..bytes.len() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            for (path, content) in &pristine {
                std::fs::write(path, content).unwrap();
            }
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x5a;
            std::fs::write(victim, &damaged).unwrap();
            let name = victim.file_name().unwrap().to_string_lossy();
            let mut index = Index::open(&repo).unwrap_or_else(|e| panic!("{name} byte {at}: {e}"));
            assert!(
                index.state().head.is_none(),
                "{name} byte {at}: damage not found on open"
            );
            index
                .search_repairing(&repo, &query, &options, &mut |_| {})
                .unwrap_or_else(|e| panic!("{name} byte {at}: {e}"));
        }
    }
}

/// A segment file whose checksum passed is recorded and not read again; one changed since,
/// even to the same length and modification time, is checked again.
#[test]
fn checked_segment_files_are_recorded_and_checked_again_when_changed() {
    let demo = Demo::new();
    let repo = demo.repo();
    let dir = Index::dir_of(&repo);
    drop(demo.index());
    let record = dir.with_file_name("index.checked");
    let segment_files = || -> Vec<PathBuf> {
        std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_segment_file(p))
            .collect()
    };
    let recorded = || -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(&record).unwrap_or_default())
            .unwrap_or(serde_json::Value::Null)
    };
    // Files written just now are checked but not recorded: their times may not show a change
    // made within the file system's clock tick.
    drop(Index::open(&repo).unwrap());
    assert_eq!(recorded()["files"].as_object().map_or(0, |f| f.len()), 0);

    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in segment_files() {
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
    let index = Index::open(&repo).unwrap();
    assert!(index.state().head.is_some());
    drop(index);
    let files = recorded()["files"].as_object().cloned().unwrap();
    assert_eq!(files.len(), segment_files().len(), "{files:?}");

    // Damage in place, same length, modification time put back: the change time still shows.
    let victim = segment_files()
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "store"))
        .unwrap();
    let mut bytes = std::fs::read(&victim).unwrap();
    let last = bytes.len() - 20;
    bytes[last] ^= 0x5a;
    std::fs::write(&victim, &bytes).unwrap();
    let file = std::fs::File::options().write(true).open(&victim).unwrap();
    file.set_modified(an_hour_ago).unwrap();
    drop(file);
    let index = Index::open(&repo).unwrap();
    assert!(index.state().head.is_none(), "damage not found");
}

#[test]
fn a_busy_writer_is_reported_and_searching_goes_on() {
    let demo = Demo::new();
    let repo = demo.repo();
    let index = demo.index();
    // Another process holds the writer lock.
    let raw = tantivy::Index::open_in_dir(Index::dir_of(&repo)).unwrap();
    let writer: tantivy::IndexWriter = raw.writer(15_000_000).unwrap();
    let text = demo.read(RESOLUTION) + "\n9. Decides to remain seized of the quokka matter.\n";
    demo.commit(&[(RESOLUTION, Some(&text))], "Rev.3");
    let mut second = Index::open(&repo).unwrap();
    assert!(second.is_stale(&repo).unwrap());
    match second.update(&repo, &mut |_| {}) {
        Err(e @ IndexError::Busy { .. }) => {
            assert!(e.to_string().contains("another brackets process"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(!search(&second, "privacy", true).hits.is_empty());
    assert!(!search(&index, "privacy", true).hits.is_empty());
    drop(writer);
    second.update(&repo, &mut |_| {}).unwrap();
    assert_eq!(
        search(&second, "quokka kind:paragraph", false).hits.len(),
        1
    );
}

#[test]
fn reviewers_comments_are_searchable_and_follow_their_paragraph() {
    let demo = Demo::new();
    let repo = demo.repo();
    let mut index = demo.index();
    let history = repo.history(RESOLUTION).unwrap();
    let rev1 = history
        .iterations
        .iter()
        .find(|i| i.label() == "rev1")
        .unwrap();
    let text = repo.read_at(RESOLUTION, &rev1.commit).unwrap();
    let doc = brackets::parse(&text);
    let p = doc.paragraph("OP4").unwrap();
    let mut store = Store::open(&demo.root, RESOLUTION).unwrap();
    store.add(NewComment {
        author: "Reviewer".into(),
        actor: Some("KEN".into()),
        iteration: rev1.commit.clone(),
        paragraph: "OP4".into(),
        fingerprint: comments::fingerprint(&doc, p),
        excerpt: String::new(),
        text: "The wombat formulation needs a bridging proposal".into(),
    });
    store.save().unwrap();
    assert!(index.is_stale(&repo).unwrap());
    let stats = index.update(&repo, &mut |_| {}).unwrap();
    assert_eq!(stats.comments, 1);
    assert_eq!(stats.added, 0);
    let r = search(&index, "wombat kind:comment actor:KEN", false);
    assert_eq!(r.hits.len(), 1);
    assert_eq!(r.hits[0].author.as_deref(), Some("Reviewer"));
    assert!(!r.hits[0].paragraph.is_empty());
}

#[test]
fn the_commands_index_and_search() {
    let demo = Demo::new();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_brackets"))
            .args(args)
            .current_dir(&demo.root)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", demo.root.join(".git"))
            .output()
            .unwrap()
    };
    let out = run(&["index"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Indexed 9 iterations"));
    let out = run(&[
        "search",
        "actor:EGY stance:oppose",
        "--all-revisions",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
    for field in ["draft", "revision", "paragraph", "kind", "snippet", "score"] {
        assert!(v["hits"][0].get(field).is_some(), "{field}");
    }
    // The human listing fits 80 columns (the default without a terminal): long draft paths,
    // attribution groups and comments are wrapped, not run past the edge.
    for query in ["privacy", "kind:bracket", "kind:comment"] {
        let out = run(&["search", query, "--all-revisions", "--limit", "200"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().count() > 10, "{query}: {text}");
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "{query}: {line}");
        }
        assert!(
            text.starts_with(|c: char| !c.is_whitespace()),
            "{query}: {text}"
        );
    }
    let out = run(&["search", "privacy acter:EGY"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("brackets: invalid query: unknown field `acter`"),
        "{err}"
    );
    assert!(err.contains("did you mean actor"), "{err}");
    let out = run(&["index", "--rebuild"]);
    assert!(out.status.success());
    let out = run(&["search", "\"digital literacy\"", "--limit", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("OP3.c"), "{text}");
}

#[test]
fn searching_while_another_process_rebuilds_the_index() {
    let demo = Demo::new();
    let repo = demo.repo();
    let index = demo.index();
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brackets"))
            .args(["index", "--rebuild"])
            .current_dir(&demo.root)
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut rounds = 0;
        loop {
            // A fresh open must neither fail nor take the index for damaged.
            let fresh = Index::open(&repo).unwrap();
            assert!(!search(&fresh, "privacy", true).hits.is_empty());
            assert!(!search(&index, "privacy", true).hits.is_empty());
            rounds += 1;
            if rounds >= 3 && child.try_wait().unwrap().is_some() {
                break;
            }
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("rebuilding"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut index = index;
    index.refresh().unwrap();
    assert!(!search(&index, "privacy", true).hits.is_empty());
}

#[test]
fn hits_of_equal_score_come_in_the_same_order_however_the_index_was_built() {
    let demo = Demo::new();
    let repo = demo.repo();
    // Built in steps: the example, then two copies of the resolution committed one by one, so
    // the index holds several segments; every paragraph of the copies ties with its original.
    let mut index = Index::open(&repo).unwrap();
    index.update(&repo, &mut |_| {}).unwrap();
    let text = demo.read(RESOLUTION);
    for copy in ["zeta/copy.md", "alpha/copy.md"] {
        demo.commit(&[(copy, Some(&text))], "A copy");
        index.update(&repo, &mut |_| {}).unwrap();
    }
    let queries = ["cities", "cities kind:paragraph", "data"];
    let listed = |index: &Index| -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for q in queries {
            for all_revisions in [false, true] {
                let r = index
                    .search(
                        &Query::parse(q).unwrap(),
                        &SearchOptions {
                            all_revisions,
                            limit: 5,
                        },
                    )
                    .unwrap();
                out.push(
                    r.hits
                        .iter()
                        .map(|h| format!("{} {} {} {}", h.draft, h.paragraph, h.revision, h.score))
                        .collect(),
                );
            }
        }
        out
    };
    let in_steps = listed(&index);
    drop(index);
    // Built again in one go.
    std::fs::remove_dir_all(Index::dir_of(&repo)).unwrap();
    let mut fresh = Index::open(&repo).unwrap();
    fresh.update(&repo, &mut |_| {}).unwrap();
    assert_eq!(listed(&fresh), in_steps);
    assert!(in_steps.iter().all(|hits| hits.len() == 5), "{in_steps:#?}");
}
