//! The repository layer on throwaway repositories built here, with fixed signatures and times
//! and a sandboxed git configuration: nothing depends on the developer's ~/.gitconfig or on the
//! project's own history.

mod common;
use brackets::cli::input;
use brackets::repo::import::{self, ImportError};
use brackets::repo::{At, NotText, Repo, RepoError, Resolved};
use git2::{Oid, Repository, Signature, Time};
use std::path::{Path, PathBuf};

use common::sandbox;

struct TestRepo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    git: Repository,
}

fn sig(n: i64) -> Signature<'static> {
    Signature::new(
        "Secretariat",
        "secretariat@example.org",
        &Time::new(1_700_000_000 + n * 86_400, 180),
    )
    .unwrap()
}

/// A draft long enough for git's rename detection; `v` changes one paragraph.
fn draft(v: &str) -> String {
    let mut s = String::from("# Draft resolution\n\nThe Assembly,\n\n");
    for i in 1..=8 {
        s.push_str(&format!(
            "Recalling resolution {i} on the matter, and the commitments made therein,\n\n"
        ));
    }
    s.push_str(&format!("1. Decides [{v}] {{USA+ FRA-}};\n\n2. Requests the secretariat to report, Ad ref 22 May 2023 12.26\n"));
    s
}

impl TestRepo {
    fn new() -> TestRepo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        let root = root.canonicalize().unwrap();
        TestRepo {
            _dir: dir,
            root,
            git,
        }
    }

    /// Writes the files (None: delete) to disk and commits them on HEAD with the given parents
    /// (default: HEAD), at day `n`.
    fn commit_with(
        &self,
        files: &[(&str, Option<&[u8]>)],
        message: &str,
        n: i64,
        parents: Option<&[Oid]>,
    ) -> Oid {
        let mut index = self.git.index().unwrap();
        for (path, content) in files {
            let full = self.root.join(path);
            match content {
                Some(bytes) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(&full, bytes).unwrap();
                    index.add_path(Path::new(path)).unwrap();
                }
                None => {
                    std::fs::remove_file(&full).unwrap();
                    index.remove_path(Path::new(path)).unwrap();
                }
            }
        }
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        let parent_ids: Vec<Oid> = match parents {
            Some(p) => p.to_vec(),
            None => self
                .git
                .head()
                .ok()
                .and_then(|h| h.target())
                .into_iter()
                .collect(),
        };
        let parents: Vec<git2::Commit> = parent_ids
            .iter()
            .map(|id| self.git.find_commit(*id).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        let id = self
            .git
            .commit(None, &sig(n), &sig(n), message, &tree, &refs)
            .unwrap();
        // A commit on another line of history (a side branch) leaves HEAD where it is.
        let tip = self.git.head().ok().and_then(|h| h.target());
        if tip.is_none() || parent_ids.first() == tip.as_ref() {
            self.git
                .reference("refs/heads/main", id, true, "test")
                .unwrap();
        }
        id
    }

    fn commit(&self, files: &[(&str, Option<&str>)], message: &str, n: i64) -> Oid {
        let files: Vec<(&str, Option<&[u8]>)> = files
            .iter()
            .map(|(p, c)| (*p, c.map(str::as_bytes)))
            .collect();
        self.commit_with(&files, message, n, None)
    }

    fn tag(&self, name: &str, commit: Oid, annotated: bool) {
        let object = self.git.find_object(commit, None).unwrap();
        if annotated {
            self.git.tag(name, &object, &sig(0), name, false).unwrap();
        } else {
            self.git.tag_lightweight(name, &object, false).unwrap();
        }
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }

    fn path(&self, p: &str) -> String {
        self.root.join(p).display().to_string()
    }
}

// --- errors ---

#[test]
fn not_a_repository() {
    sandbox();
    let dir = tempfile::tempdir().unwrap();
    let err = Repo::discover(dir.path()).err().unwrap();
    assert!(matches!(err, RepoError::NotARepository { .. }), "{err}");
    assert!(
        err.to_string().contains(&dir.path().display().to_string()),
        "{err}"
    );
    // A revision on a file outside any repository is an error, the plain file is not.
    std::fs::write(dir.path().join("a.md"), "text").unwrap();
    let err = brackets::repo::resolve(&format!("{}@HEAD", dir.path().join("a.md").display()))
        .unwrap_err();
    assert!(matches!(err, RepoError::NotARepository { .. }), "{err}");
    let plain = brackets::repo::resolve(&dir.path().join("a.md").display().to_string()).unwrap();
    assert!(matches!(plain, Resolved::File(_)));
}

#[test]
fn bare_repository() {
    sandbox();
    let dir = tempfile::tempdir().unwrap();
    Repository::init_bare(dir.path()).unwrap();
    let err = Repo::discover(dir.path()).err().unwrap();
    assert!(matches!(err, RepoError::Bare { .. }), "{err}");
    assert!(err.to_string().contains("bare"), "{err}");
}

#[test]
fn unborn_head() {
    let t = TestRepo::new();
    let repo = t.repo();
    for err in [
        repo.history("a.md").unwrap_err(),
        repo.read_at("a.md", "HEAD").unwrap_err(),
        repo.read_at("a.md", "HEAD~1").unwrap_err(),
    ] {
        assert!(matches!(err, RepoError::Unborn { .. }), "{err}");
        assert!(err.to_string().contains("no commits yet"), "{err}");
    }
}

#[test]
fn shallow_clone_is_flagged() {
    let t = TestRepo::new();
    let first = t.commit(&[("a.md", Some(&draft("one")))], "one", 1);
    t.commit(&[("a.md", Some(&draft("two")))], "two", 2);
    // What `git clone --depth 1` leaves: a shallow file naming the cut-off commits.
    std::fs::write(t.root.join(".git/shallow"), format!("{first}\n")).unwrap();
    let repo = Repo::open(&t.root).unwrap();
    assert!(repo.is_shallow());
    assert!(repo.history("a.md").unwrap().shallow);
}

#[test]
fn path_not_in_revision_and_missing_revision() {
    let t = TestRepo::new();
    t.commit(&[("a.md", Some("text"))], "one", 1);
    let repo = t.repo();
    let err = repo.read_at("b.md", "HEAD").unwrap_err();
    assert!(matches!(err, RepoError::PathNotInRevision { .. }), "{err}");
    assert_eq!(err.to_string(), "b.md is not in revision HEAD");
    let err = repo.read_at("a.md", "rev9").unwrap_err();
    assert!(matches!(err, RepoError::RevisionNotFound { .. }), "{err}");
    assert!(
        err.to_string().starts_with("revision rev9 does not exist"),
        "{err}"
    );
    let err = brackets::repo::resolve(&format!("{}@rev9", t.path("a.md"))).unwrap_err();
    assert!(matches!(err, RepoError::RevisionNotFound { .. }), "{err}");
    let err = repo.history("b.md").unwrap_err();
    assert!(matches!(err, RepoError::PathNotInRevision { .. }), "{err}");
}

#[test]
fn binary_and_non_utf8_files() {
    let t = TestRepo::new();
    t.commit_with(
        &[
            ("bin.md", Some(b"abc\0def")),
            ("latin1.txt", Some(b"caf\xe9")),
        ],
        "files",
        1,
        None,
    );
    let repo = t.repo();
    let err = repo.read_at("bin.md", "HEAD").unwrap_err();
    assert!(
        matches!(
            err,
            RepoError::NotText {
                reason: NotText::Binary { offset: 3 },
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "bin.md at HEAD: it is a binary file (a NUL byte at offset 3), not a draft"
    );
    let err = repo.read_at("latin1.txt", "HEAD").unwrap_err();
    assert!(
        matches!(
            err,
            RepoError::NotText {
                reason: NotText::NotUtf8 { offset: 3 },
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("latin1.txt at HEAD: "), "{err}");
    let err = repo.read_worktree("bin.md").unwrap_err();
    assert!(
        matches!(
            err,
            RepoError::NotText {
                reason: NotText::Binary { .. },
                ..
            }
        ),
        "{err}"
    );
}

/// A NUL byte makes a file binary where git's own rule says so (in its first 8,000 bytes), and
/// the same bytes read the same way committed, in the working tree and as a plain file.
#[test]
fn a_nul_byte_past_gits_binary_probe_is_text_everywhere() {
    let mut late = b"The Assembly,\n\n1. Decides ".to_vec();
    late.resize(9000, b'a');
    late.extend_from_slice(b"\0 [to act] {USA+}\n");
    let t = TestRepo::new();
    t.commit_with(&[("late.md", Some(late.as_slice()))], "late", 1, None);
    let repo = t.repo();
    let committed = repo.read_at("late.md", "HEAD").unwrap();
    assert_eq!(committed.as_bytes(), late.as_slice());
    assert_eq!(repo.read_worktree("late.md").unwrap(), committed);
    assert_eq!(
        brackets::repo::draft_str(&std::fs::read(t.path("late.md")).unwrap()),
        Ok(committed.as_str())
    );
}

#[test]
fn path_outside_the_repository() {
    let t = TestRepo::new();
    t.commit(&[("a.md", Some("text"))], "one", 1);
    let elsewhere = tempfile::tempdir().unwrap();
    let err = t
        .repo()
        .relative(&elsewhere.path().join("x.md"))
        .unwrap_err();
    assert!(matches!(err, RepoError::OutsideRepository { .. }), "{err}");
    let err = t.repo().relative(&t.root.join(".git/config")).unwrap_err();
    assert!(matches!(err, RepoError::OutsideRepository { .. }), "{err}");
    assert_eq!(
        t.repo().relative(&t.root.join("sub/../a.md")).unwrap(),
        "a.md"
    );
}

// --- history ---

/// zero (tag rev1, annotated) -> two -> rename to texts/draft.md -> main and side both edit
/// -> merge resolving the conflict (tag rev2) -> an unrelated commit.
fn negotiated() -> (TestRepo, Vec<Oid>) {
    let t = TestRepo::new();
    let c1 = t.commit(
        &[
            ("a.md", Some(&draft("zero"))),
            ("README.txt", Some("readme")),
        ],
        "Zero draft",
        1,
    );
    t.tag("rev1", c1, true);
    let c2 = t.commit(
        &[("a.md", Some(&draft("two")))],
        "Compilation\n\nWith proposals.\n\nProposed-by: USA, FRA\nOn-behalf-of: G77\n",
        2,
    );
    let c3 = t.commit(
        &[("a.md", None), ("texts/draft.md", Some(&draft("two")))],
        "Move the draft",
        3,
    );
    let main = t.commit(
        &[("texts/draft.md", Some(&draft("main view")))],
        "Main edit",
        4,
    );
    let side = t.commit_with(
        &[("texts/draft.md", Some(draft("side view").as_bytes()))],
        "Side edit",
        5,
        Some(&[c3]),
    );
    let merge = t.commit_with(
        &[("texts/draft.md", Some(draft("merged view").as_bytes()))],
        "Merge side",
        6,
        Some(&[main, side]),
    );
    t.tag("rev2", merge, false);
    let other = t.commit(&[("README.txt", Some("readme 2"))], "Unrelated", 7);
    (t, vec![c1, c2, c3, main, side, merge, other])
}

#[test]
fn history_follows_renames_through_a_merge_with_tags_and_trailers() {
    let (t, c) = negotiated();
    let history = t.repo().history("texts/draft.md").unwrap();
    let ids: Vec<String> = history
        .iterations
        .iter()
        .map(|i| i.commit.clone())
        .collect();
    // The side edit (day 5) is newer than the main edit (day 4): the walk orders by time.
    let expected: Vec<String> = [c[5], c[4], c[3], c[2], c[1], c[0]]
        .iter()
        .map(Oid::to_string)
        .collect();
    assert_eq!(ids, expected);
    let paths: Vec<&str> = history.iterations.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "texts/draft.md",
            "texts/draft.md",
            "texts/draft.md",
            "texts/draft.md",
            "a.md",
            "a.md"
        ]
    );
    let labels: Vec<&str> = history.iterations.iter().map(|i| i.label()).collect();
    assert_eq!(labels[0], "rev2");
    assert_eq!(labels[5], "rev1");
    assert_eq!(labels[1], &c[4].to_string()[..7]);
    assert_eq!(history.iterations[3].message, "Move the draft");
    let compilation = &history.iterations[4];
    assert_eq!(compilation.proposed_by, ["USA", "FRA"]);
    assert_eq!(compilation.on_behalf_of, ["G77"]);
    assert_eq!(compilation.message, "Compilation\n\nWith proposals.");
    assert_eq!(compilation.author, "Secretariat");
    assert_eq!(compilation.date(), "2023-11-17T01:13:20+03:00");
    assert!(!history.shallow);
}

#[test]
fn draft_files_by_globs() {
    let (t, _) = negotiated();
    std::fs::write(t.root.join(".github.md"), "x").unwrap();
    let repo = t.repo();
    assert_eq!(
        repo.draft_files(None).unwrap(),
        ["README.txt", "texts/draft.md"]
    );
    assert_eq!(
        repo.draft_files(Some("rev1")).unwrap(),
        ["README.txt", "a.md"]
    );
    std::fs::write(
        t.root.join(".brackets.toml"),
        "[drafts]\nglobs = [\"texts/*.md\"]\n",
    )
    .unwrap();
    assert_eq!(repo.draft_files(None).unwrap(), ["texts/draft.md"]);
}

// --- reading at revisions ---

#[test]
fn read_at_tag_commit_relative_and_worktree() {
    let (t, c) = negotiated();
    let path = t.path("texts/draft.md");
    std::fs::write(&path, draft("unsaved")).unwrap();
    let body = |l: &input::Loaded| l.doc.source.clone();
    let at_tag = input::load_ref(&format!("{path}@rev2")).unwrap();
    assert_eq!(body(&at_tag), draft("merged view"));
    assert_eq!(
        at_tag.label,
        format!("{path}@rev2 ({})", &c[5].to_string()[..7])
    );
    let at_commit = input::load_ref(&format!("{path}@{}", c[4])).unwrap();
    assert_eq!(body(&at_commit), draft("side view"));
    let at_head1 = input::load_ref(&format!("{path}@HEAD~1")).unwrap();
    assert_eq!(body(&at_head1), draft("merged view"));
    let worktree = input::load_ref(&format!("{path}@WORKTREE")).unwrap();
    assert_eq!(body(&worktree), draft("unsaved"));
    assert!(worktree.label.ends_with("@WORKTREE"));
    let plain = input::load_ref(&path).unwrap();
    assert_eq!(body(&plain), draft("unsaved"));
    // Before the rename the draft had another name: reading the new name there fails clearly.
    let err = input::load_ref(&format!("{path}@rev1")).err().unwrap();
    assert!(
        format!("{err:#}").contains("texts/draft.md is not in revision rev1"),
        "{err:#}"
    );
    let old = input::load_ref(&format!("{}@rev1", t.path("a.md"))).unwrap();
    assert_eq!(body(&old), draft("zero"));
}

#[test]
fn at_sign_in_a_file_name() {
    let t = TestRepo::new();
    t.commit(
        &[("note@un.md", Some("first")), ("note.md", Some("plain"))],
        "one",
        1,
    );
    t.commit(&[("note@un.md", Some("second"))], "two", 2);
    t.tag("v1", t.git.head().unwrap().target().unwrap(), false);
    // The whole name exists: it is the file.
    assert!(matches!(
        brackets::repo::resolve(&t.path("note@un.md")).unwrap(),
        Resolved::InRepo { at: None, .. }
    ));
    // Split at the last `@` whose suffix resolves.
    match brackets::repo::resolve(&format!("{}@HEAD~1", t.path("note@un.md"))).unwrap() {
        Resolved::InRepo {
            path,
            at: Some(At::Rev(rev)),
            ..
        } => {
            assert_eq!(path, "note@un.md");
            assert_eq!(rev, "HEAD~1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        input::load_ref(&format!("{}@HEAD~1", t.path("note@un.md")))
            .unwrap()
            .doc
            .source,
        "first"
    );
    // `show PATH@REV` goes through `load`, which accepts references for names not on disk.
    assert_eq!(
        input::load(Path::new(&format!("{}@v1", t.path("note@un.md"))))
            .unwrap()
            .doc
            .source,
        "second"
    );
}

#[test]
fn previous_and_current_iterations() {
    let (t, c) = negotiated();
    let path = t.path("texts/draft.md");
    // PATH@REV: the iteration before REV that changed the path (the merge's newest parent
    // change is the side edit).
    let (old, new) = input::previous_and_current(&format!("{path}@rev2")).unwrap();
    assert_eq!(new.doc.source, draft("merged view"));
    assert_eq!(old.doc.source, draft("side view"));
    assert!(old.label.contains(&c[4].to_string()[..7]), "{}", old.label);
    // Across the rename: the previous iteration is read under its old name.
    let (old, new) = input::previous_and_current(&format!("{path}@{}", c[2])).unwrap();
    assert_eq!(
        (old.doc.source, new.doc.source),
        (draft("two"), draft("two"))
    );
    // A clean PATH: the previous iteration against HEAD (HEAD itself did not touch the draft).
    let (old, new) = input::previous_and_current(&path).unwrap();
    assert_eq!(
        (old.doc.source.as_str(), new.doc.source.as_str()),
        (draft("side view").as_str(), draft("merged view").as_str())
    );
    assert!(new.label.contains("@HEAD"), "{}", new.label);
    // Uncommitted changes: HEAD against the working tree.
    std::fs::write(&path, draft("unsaved")).unwrap();
    let (old, new) = input::previous_and_current(&path).unwrap();
    assert_eq!(
        (old.doc.source, new.doc.source),
        (draft("merged view"), draft("unsaved"))
    );
    // The first iteration has no previous one.
    let err = input::previous_and_current(&format!("{}@rev1", t.path("a.md")))
        .err()
        .unwrap();
    assert!(
        format!("{err:#}").contains("a.md has no iteration before rev1"),
        "{err:#}"
    );
    // A mistyped name is no such file, not a file missing from HEAD.
    let message = |reference: &str| {
        let err = input::previous_and_current(reference).err().unwrap();
        format!("{err:#}")
    };
    let mistyped = t.path("texts/draft2.md");
    assert!(
        message(&mistyped).ends_with(&format!("no such file: {mistyped}")),
        "{}",
        message(&mistyped)
    );
    // A committed draft deleted from the working tree: say so, and how to name an iteration.
    std::fs::remove_file(&path).unwrap();
    assert!(
        message(&path).ends_with(&format!(
            "{path} was deleted from the working tree; name an iteration: {path}@HEAD"
        )),
        "{}",
        message(&path)
    );
}

// --- import ---

fn iterations_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("01.md"), draft("zero")).unwrap();
    std::fs::write(dir.path().join("02.md"), draft("rev one")).unwrap();
    std::fs::write(
        dir.path().join("iterations.json"),
        r#"{"draft": "resolution/x.md", "title": "X", "iterations": [
            {"file": "01.md", "label": "Zero draft", "tag": "zero-draft", "date": "2026-01-19T10:00:00+03:00",
             "author": {"name": "Secretariat", "email": "s@example.org"}, "message": "Zero draft", "proposed_by": []},
            {"file": "02.md", "label": "Rev.1", "tag": "rev1", "date": "2026-04-02T16:00:00+03:00",
             "author": {"name": "Chair", "email": "c@example.org"}, "message": "Rev.1", "proposed_by": ["EGY", "FRA"]}
        ]}"#,
    )
    .unwrap();
    dir
}

#[test]
fn import_creates_the_repository_and_a_second_run_changes_nothing() {
    sandbox();
    let src = iterations_dir();
    let dest = tempfile::tempdir().unwrap();
    let into = dest.path().join("negotiations");
    let first = import::import_dir(src.path(), &into).unwrap();
    assert!(first.created_repo);
    assert_eq!((first.commits, first.tags, first.present), (2, 2, 0));
    let git = Repository::open(&into).unwrap();
    let head = git.head().unwrap();
    assert_eq!(head.name(), Ok("refs/heads/main"));
    let tip = head.peel_to_commit().unwrap();
    assert_eq!(tip.author().name(), Ok("Chair"));
    assert_eq!(tip.committer().email(), Ok("c@example.org"));
    assert_eq!(tip.author().when().seconds(), 1_775_134_800);
    assert_eq!(tip.author().when().offset_minutes(), 180);
    assert_eq!(
        tip.message(),
        Ok("Rev.1\n\nProposed-by: EGY\nProposed-by: FRA\n")
    );
    let tag = git
        .find_reference("refs/tags/rev1")
        .unwrap()
        .peel_to_tag()
        .unwrap();
    assert_eq!(tag.message(), Ok(Some("Rev.1\n")));
    assert_eq!(tag.target_id(), tip.id());
    assert!(
        git.statuses(None).unwrap().is_empty(),
        "working tree and index match HEAD"
    );
    assert_eq!(
        std::fs::read_to_string(into.join("resolution/x.md")).unwrap(),
        draft("rev one")
    );

    let second = import::import_dir(src.path(), &into).unwrap();
    assert_eq!(
        (
            second.commits,
            second.tags,
            second.present,
            second.created_repo
        ),
        (0, 0, 2, false)
    );
    assert_eq!(git.head().unwrap().target(), Some(tip.id()));

    let history = Repo::open(&into)
        .unwrap()
        .history("resolution/x.md")
        .unwrap();
    let labels: Vec<&str> = history.iterations.iter().map(|i| i.label()).collect();
    assert_eq!(labels, ["rev1", "zero-draft"]);
    assert_eq!(history.iterations[0].proposed_by, ["EGY", "FRA"]);
}

/// An import killed while its checkout writes a draft leaves the draft's first bytes (or an
/// empty file) and the index as it was: the next import finishes the checkout. The same bytes
/// with the index up to date are someone's edit, and stop it.
#[test]
fn import_finishes_a_checkout_killed_in_the_middle_of_a_draft() {
    let t = TestRepo::new();
    t.commit(&[("notes.md", Some("mine"))], "mine", 1);
    let src = iterations_dir();
    let draft_path = t.root.join("resolution/x.md");
    let whole = draft("rev one");
    for cut in [0, 1, whole.len() / 2, whole.len() - 1] {
        // The state a kill during the checkout leaves: HEAD moved, the index not.
        import::import_dir(src.path(), &t.root).unwrap();
        let mut index = t.git.index().unwrap();
        index.remove_path(Path::new("resolution/x.md")).unwrap();
        index.write().unwrap();
        std::fs::write(&draft_path, &whole.as_bytes()[..cut]).unwrap();

        let again = import::import_dir(src.path(), &t.root).unwrap();
        assert_eq!((again.commits, again.present), (0, 2), "cut at {cut}");
        assert_eq!(std::fs::read_to_string(&draft_path).unwrap(), whole);
        assert!(
            t.git.statuses(None).unwrap().is_empty(),
            "cut at {cut}: the working tree and index match HEAD"
        );
    }
    // Cut by hand, with the index matching HEAD: an edit, not an interrupted import.
    std::fs::write(&draft_path, &whole.as_bytes()[..whole.len() / 2]).unwrap();
    let err = import::import_dir(src.path(), &t.root).unwrap_err();
    assert!(matches!(err, ImportError::Dirty { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(&draft_path).unwrap().len(),
        whole.len() / 2,
        "the edit is kept"
    );
}

#[test]
fn import_refuses_a_dirty_repository_and_a_conflicting_tag() {
    let t = TestRepo::new();
    t.commit(&[("notes.md", Some("mine"))], "mine", 1);
    std::fs::write(t.root.join("notes.md"), "edited, not committed").unwrap();
    let src = iterations_dir();
    let err = import::import_dir(src.path(), &t.root).unwrap_err();
    assert!(matches!(err, ImportError::Dirty { .. }), "{err}");
    assert!(
        err.to_string().contains("uncommitted changes (notes.md)"),
        "{err}"
    );
    assert_eq!(
        t.git.head().unwrap().peel_to_commit().unwrap().message(),
        Ok("mine")
    );

    t.commit(
        &[("notes.md", Some("edited, not committed"))],
        "commit it",
        2,
    );
    let head = t.git.head().unwrap().target().unwrap();
    t.tag("rev1", head, false);
    let err = import::import_dir(src.path(), &t.root).unwrap_err();
    assert!(matches!(err, ImportError::TagConflict { .. }), "{err}");
    assert_eq!(
        t.git.head().unwrap().target(),
        Some(head),
        "nothing written"
    );
}

#[test]
fn import_reports_a_bad_manifest_with_its_path() {
    sandbox();
    let src = iterations_dir();
    let text = std::fs::read_to_string(src.path().join("iterations.json"))
        .unwrap()
        .replace("2026-01-19T10:00:00+03:00", "19 January");
    std::fs::write(src.path().join("iterations.json"), text).unwrap();
    let dest = tempfile::tempdir().unwrap();
    let err = import::import_dir(src.path(), dest.path()).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("iterations.json") && msg.contains("\"19 January\""),
        "{msg}"
    );
}

#[test]
fn import_refuses_an_iteration_that_is_not_text_before_committing_anything() {
    sandbox();
    let src = iterations_dir();
    // A Word file saved under the iteration's name: binary by git's rule.
    std::fs::write(
        src.path().join("02.md"),
        b"PK\x03\x04\x14\0\x06\0word/document.xml",
    )
    .unwrap();
    let dest = tempfile::tempdir().unwrap();
    let into = dest.path().join("negotiations");
    let err = import::import_dir(src.path(), &into).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("02.md: it is a binary file (a NUL byte at offset 5), not a draft"),
        "{msg}"
    );
    assert!(!into.join(".git").exists());
}

// --- demo ---

#[test]
fn demo_is_materialised_reused_and_rebuilt_when_the_example_changes() {
    sandbox();
    let cache = tempfile::tempdir().unwrap();
    let first = brackets::example::materialise_in(cache.path()).unwrap();
    assert!(first.rebuilt);
    assert_eq!(
        brackets::example::built_hash(&first.path),
        Some(brackets::example::hash())
    );
    let repo = Repo::open(&first.path).unwrap();
    let history = repo
        .history("resolution/people-centred-smart-cities.md")
        .unwrap();
    let labels: Vec<&str> = history.iterations.iter().map(|i| i.label()).collect();
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
    assert_eq!(
        repo.history("guidelines/people-centred-smart-cities-guidelines.md")
            .unwrap()
            .iterations
            .len(),
        3
    );
    assert!(repo.git().statuses(None).unwrap().is_empty());
    let head = repo.git().head().unwrap().target();
    drop(repo);

    let again = brackets::example::materialise_in(cache.path()).unwrap();
    assert!(!again.rebuilt);
    assert_eq!(again.path, first.path);

    std::fs::write(first.path.join(".git/brackets-example-hash"), "stale\n").unwrap();
    let rebuilt = brackets::example::materialise_in(cache.path()).unwrap();
    assert!(rebuilt.rebuilt);
    assert_eq!(
        brackets::example::built_hash(&rebuilt.path),
        Some(brackets::example::hash())
    );
    // Same input, fixed dates and signatures: the same commits.
    assert_eq!(
        Repository::open(&rebuilt.path)
            .unwrap()
            .head()
            .unwrap()
            .target(),
        head
    );
    // No temporary or stale folders left beside it.
    let names: Vec<String> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["demo"]);
}
