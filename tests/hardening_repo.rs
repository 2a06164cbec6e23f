//! Repository edge cases (issue #9, point 5), on throwaway repositories with a sandboxed git
//! configuration: detached HEAD, merges in a draft's history, renamed drafts, submodules, a
//! history of 10,000 commits, paths with spaces and non-ASCII names, paths and symbolic links
//! leading outside the repository; and saving a draft through a symbolic link.
//!
//! Timings are printed (`--nocapture`), never asserted.

mod common;
use brackets::repo::{Repo, RepoError};
use common::sandbox;
use git2::{FileMode, Oid, Repository, Signature, Time};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn sig(n: i64) -> Signature<'static> {
    Signature::new(
        "Secretariat",
        "secretariat@example.org",
        &Time::new(1_700_000_000 + n * 3_600, 180),
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
    s.push_str(&format!(
        "1. Decides [{v}] {{USA+ FRA-}};\n\n2. Requests the secretariat to report.\n"
    ));
    s
}

struct TestRepo {
    dir: tempfile::TempDir,
    root: PathBuf,
    git: Repository,
    n: std::cell::Cell<i64>,
}

impl TestRepo {
    fn new() -> TestRepo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let root = dir.path().join("repo");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        let mut config = git.config().unwrap();
        config.set_str("user.name", "Editor").unwrap();
        config.set_str("user.email", "editor@example.org").unwrap();
        let root = root.canonicalize().unwrap();
        TestRepo {
            dir,
            root,
            git,
            n: std::cell::Cell::new(0),
        }
    }

    /// Writes the files (None: delete) and commits them with the given parents (default:
    /// HEAD), moving HEAD's branch (or a detached HEAD) to the new commit.
    fn commit_on(&self, files: &[(&str, Option<&str>)], message: &str, parents: &[Oid]) -> Oid {
        // The tree is the first parent's with these files changed; the files are written to
        // disk and the index follows when the commit extends HEAD.
        let base = match parents.first() {
            Some(p) => self.git.find_commit(*p).unwrap().tree().unwrap(),
            None => {
                let empty = self.git.treebuilder(None).unwrap().write().unwrap();
                self.git.find_tree(empty).unwrap()
            }
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, content) in files {
            let full = self.root.join(path);
            match content {
                Some(text) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(&full, text).unwrap();
                    let blob = self.git.blob(text.as_bytes()).unwrap();
                    update.upsert(*path, blob, FileMode::Blob);
                }
                None => {
                    let _ = std::fs::remove_file(&full);
                    update.remove(*path);
                }
            }
        }
        let tree = self
            .git
            .find_tree(update.create_updated(&self.git, &base).unwrap())
            .unwrap();
        let parents: Vec<git2::Commit> = parents
            .iter()
            .map(|id| self.git.find_commit(*id).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.n.set(self.n.get() + 1);
        let s = sig(self.n.get());
        let id = self
            .git
            .commit(None, &s, &s, message, &tree, &refs)
            .unwrap();
        let moves_head = {
            let tip = self.head();
            tip.is_empty() || parents.first().map(|p| p.id()) == tip.first().copied()
        };
        if moves_head {
            let mut index = self.git.index().unwrap();
            index.read_tree(&tree).unwrap();
            index.write().unwrap();
        }
        // HEAD (its branch, or HEAD itself when detached) moves when the commit extends it; a
        // commit on a side line leaves it.
        if moves_head {
            if self.git.head_detached().unwrap_or(false) {
                self.git.set_head_detached(id).unwrap();
            } else {
                self.git
                    .reference("refs/heads/main", id, true, "test")
                    .unwrap();
            }
        }
        id
    }

    fn head(&self) -> Vec<Oid> {
        self.git
            .head()
            .ok()
            .and_then(|h| h.target())
            .into_iter()
            .collect()
    }

    fn commit(&self, files: &[(&str, Option<&str>)], message: &str) -> Oid {
        let parents = self.head();
        self.commit_on(files, message, &parents)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in(&self.root, args)
    }

    fn run_in(&self, cwd: &Path, args: &[&str]) -> Output {
        let home = self.dir.path().join("home");
        Command::new(env!("CARGO_BIN_EXE_brackets"))
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("BRACKETS_CACHE_DIR", home.join("cache"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Fails with exit status 1 and a message on stderr containing each of `needles`.
fn fails(out: &Output, needles: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.starts_with("brackets: "), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
    assert!(
        !err.contains("panicked"),
        "a panic instead of a message: {err}"
    );
    err
}

fn log_json(t: &TestRepo, draft: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&t.run(&["log", draft, "--json"]))).unwrap()
}

fn log_commits(t: &TestRepo, draft: &str) -> Vec<String> {
    let v = log_json(t, draft);
    let rows = v["iterations"]
        .as_array()
        .unwrap_or_else(|| panic!("no iterations in {v}"));
    rows.iter()
        .map(|r| r["commit"].as_str().unwrap().to_string())
        .collect()
}

const DRAFT: &str = "res/draft.md";

// --- detached HEAD ---

#[test]
fn detached_head() {
    let t = TestRepo::new();
    let a = t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    let b = t.commit(&[(DRAFT, Some(&draft("rev1")))], "Rev.1");
    t.git.set_head_detached(a).unwrap();
    let mut co = git2::build::CheckoutBuilder::new();
    co.force();
    t.git.checkout_head(Some(&mut co)).unwrap();
    // The history from the detached HEAD: one iteration; from the branch: two.
    assert_eq!(log_commits(&t, DRAFT), [a.to_string()]);
    assert_eq!(t.repo().history(DRAFT).unwrap().iterations.len(), 1);
    ok(&t.run(&["show", &format!("{DRAFT}@main")]));
    let diff = ok(&t.run(&["diff", &format!("{DRAFT}@HEAD"), &format!("{DRAFT}@main")]));
    assert!(!diff.is_empty());
    // Search and the comment commands work on a detached HEAD too.
    ok(&t.run(&["index"]));
    let found = ok(&t.run(&["search", "zero OR rev1", "--json"]));
    let short = |o: Oid| o.to_string()[..7].to_string();
    assert!(found.contains(&short(a)), "{found}");
    assert!(!found.contains(&short(b)), "{found}");
    ok(&t.run(&["comment", "add", DRAFT, "OP1", "on a detached HEAD"]));
    // An import onto a detached HEAD moves HEAD itself, no branch.
    let folder = t.dir.path().join("folder");
    write_folder(&folder, "other/draft.md", 2);
    std::fs::remove_file(t.root.join(brackets::comments::path_for(DRAFT))).unwrap();
    let out = t.run(&["import", folder.to_str().unwrap(), "--into", "."]);
    ok(&out);
    assert!(t.git.head_detached().unwrap());
    let main = t.git.refname_to_id("refs/heads/main").unwrap();
    assert_eq!(main, b, "the branch did not move");
    assert_eq!(log_commits(&t, "other/draft.md").len(), 2);
}

// --- merges ---

#[test]
fn merge_commits_in_a_drafts_history() {
    let t = TestRepo::new();
    let base = t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    // Two lines of work: one edits the draft, the other another file; then a merge that
    // takes the draft from the first and a second merge that edits it while merging.
    let left = t.commit_on(&[(DRAFT, Some(&draft("left")))], "Left", &[base]);
    let right = t.commit_on(&[("notes.txt", Some("notes\n"))], "Right", &[base]);
    let m1 = t.commit_on(
        &[
            (DRAFT, Some(&draft("left"))),
            ("notes.txt", Some("notes\n")),
        ],
        "Merge right",
        &[left, right],
    );
    let side = t.commit_on(&[(DRAFT, Some(&draft("side")))], "Side", &[base]);
    let m2 = t.commit_on(
        &[(DRAFT, Some(&draft("merged")))],
        "Merge side, resolving the conflict",
        &[m1, side],
    );
    let commits = log_commits(&t, DRAFT);
    // m1 has the same text as its first parent: not an iteration; m2 is one.
    assert!(commits.contains(&m2.to_string()), "{commits:?}");
    assert!(!commits.contains(&m1.to_string()), "{commits:?}");
    assert!(!commits.contains(&right.to_string()), "{commits:?}");
    for c in [left, side, base] {
        assert!(commits.contains(&c.to_string()), "{commits:?}");
    }
    assert_eq!(commits.first().unwrap(), &m2.to_string());
    assert_eq!(commits.last().unwrap(), &base.to_string());
    // The previous iteration of the merge (its first parent's line) diffs cleanly.
    ok(&t.run(&["diff", DRAFT]));
    ok(&t.run(&["progress", DRAFT, "--json"]));
    ok(&t.run(&["index"]));
    let all = ok(&t.run(&["search", "merged OR side", "--all-revisions", "--json"]));
    let short = |o: Oid| o.to_string()[..7].to_string();
    assert!(all.contains(&short(m2)), "{all}");
    assert!(all.contains(&short(side)), "{all}");
}

// --- renames ---

#[test]
fn renamed_drafts() {
    let t = TestRepo::new();
    let a = t.commit(&[("old name.md", Some(&draft("zero")))], "Zero draft");
    let b = t.commit(
        &[
            ("old name.md", None),
            ("drafts/new name.md", Some(&draft("zero"))),
        ],
        "Move",
    );
    let c = t.commit(&[("drafts/new name.md", Some(&draft("rev1")))], "Rev.1");
    // The move is an iteration of its own (the history records it), under the new name.
    let commits = log_commits(&t, "drafts/new name.md");
    assert_eq!(commits, [c.to_string(), b.to_string(), a.to_string()]);
    let v = log_json(&t, "drafts/new name.md");
    let paths: Vec<&str> = v["iterations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["draft_path"].as_str())
        .collect();
    assert_eq!(
        paths,
        ["drafts/new name.md", "drafts/new name.md", "old name.md"],
        "{v}"
    );
    // The diff with the previous iteration crosses the rename.
    ok(&t.run(&["diff", "drafts/new name.md"]));
    // The old name is not in HEAD: a clear message, not a crash.
    fails(&t.run(&["log", "old name.md"]), &["old name.md"]);
}

// --- submodules ---

#[test]
fn submodules_present() {
    let t = TestRepo::new();
    t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    // A submodule: a gitlink in the tree, `.gitmodules`, and its own repository on disk.
    let sub = Repository::init(t.root.join("vendor/lib")).unwrap();
    std::fs::write(t.root.join("vendor/lib/readme.md"), "# A library\n").unwrap();
    let mut index = sub.index().unwrap();
    index.add_path(Path::new("readme.md")).unwrap();
    let tree = sub.find_tree(index.write_tree().unwrap()).unwrap();
    let sub_head = sub
        .commit(Some("HEAD"), &sig(0), &sig(0), "lib", &tree, &[])
        .unwrap();
    std::fs::write(
        t.root.join(".gitmodules"),
        "[submodule \"vendor/lib\"]\n\tpath = vendor/lib\n\turl = https://example.org/lib.git\n",
    )
    .unwrap();
    let head = t.git.head().unwrap().peel_to_commit().unwrap();
    let gitmodules = t
        .git
        .blob(&std::fs::read(t.root.join(".gitmodules")).unwrap())
        .unwrap();
    let mut update = git2::build::TreeUpdateBuilder::new();
    update
        .upsert("vendor/lib", sub_head, FileMode::Commit)
        .upsert(".gitmodules", gitmodules, FileMode::Blob);
    let tree = t
        .git
        .find_tree(
            update
                .create_updated(&t.git, &head.tree().unwrap())
                .unwrap(),
        )
        .unwrap();
    let with_sub = t
        .git
        .commit(
            Some("HEAD"),
            &sig(5),
            &sig(5),
            "Add a submodule",
            &tree,
            &[&head],
        )
        .unwrap();
    let mut index = t.git.index().unwrap();
    index.read_tree(&tree).unwrap();
    index.write().unwrap();
    let _ = with_sub;
    let rev1 = t.commit(&[(DRAFT, Some(&draft("rev1")))], "Rev.1");
    assert_eq!(log_commits(&t, DRAFT)[0], rev1.to_string());
    // Listing drafts skips the gitlink; the index and the TUI's loader do not trip on it.
    let drafts = t.repo().draft_files(None).unwrap();
    assert_eq!(drafts, [DRAFT], "{drafts:?}");
    ok(&t.run(&["index"]));
    ok(&t.run(&["search", "rev1", "--json"]));
    // A file in the submodule belongs to the submodule's own repository.
    let sub_log = log_json(&t, "vendor/lib/readme.md");
    assert_eq!(
        sub_log["iterations"][0]["commit"].as_str(),
        Some(sub_head.to_string().as_str())
    );
    // An import next to a submodule works.
    let folder = t.dir.path().join("folder");
    write_folder(&folder, "other/draft.md", 2);
    ok(&t.run(&["import", folder.to_str().unwrap(), "--into", "."]));
    assert_eq!(log_commits(&t, "other/draft.md").len(), 2);
}

// --- 10,000 commits ---

/// A history of `commits` commits built straight into a pack: the draft changes every
/// `every`th commit, a notes file in the others.
fn big_history(t: &TestRepo, commits: usize, every: usize) -> Oid {
    let odb = t.git.odb().unwrap();
    let mempack = odb.add_new_mempack_backend(1000).unwrap();
    let mut parent: Option<Oid> = None;
    let mut draft_blob = t.git.blob(draft("0").as_bytes()).unwrap();
    let mut notes_blob = t.git.blob(b"notes 0\n").unwrap();
    for n in 0..commits {
        if n % every == 0 {
            draft_blob = t
                .git
                .blob(draft(&format!("iteration {n}")).as_bytes())
                .unwrap();
        } else {
            notes_blob = t.git.blob(format!("notes {n}\n").as_bytes()).unwrap();
        }
        let mut res = t.git.treebuilder(None).unwrap();
        res.insert("draft.md", draft_blob, 0o100644).unwrap();
        let res = res.write().unwrap();
        let mut root = t.git.treebuilder(None).unwrap();
        root.insert("res", res, 0o040000).unwrap();
        root.insert("notes.txt", notes_blob, 0o100644).unwrap();
        let tree = t.git.find_tree(root.write().unwrap()).unwrap();
        let s = sig(n as i64);
        let parents: Vec<git2::Commit> = parent
            .iter()
            .map(|p| t.git.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(
            t.git
                .commit(None, &s, &s, &format!("Commit {n}"), &tree, &refs)
                .unwrap(),
        );
    }
    let mut pack = git2::Buf::new();
    mempack.dump(&t.git, &mut pack).unwrap();
    let mut writer = odb.packwriter().unwrap();
    std::io::Write::write_all(&mut writer, &pack).unwrap();
    writer.commit().unwrap();
    mempack.reset().unwrap();
    let tip = parent.unwrap();
    t.git
        .reference("refs/heads/main", tip, true, "big history")
        .unwrap();
    let mut co = git2::build::CheckoutBuilder::new();
    co.force();
    t.git.checkout_head(Some(&mut co)).unwrap();
    tip
}

#[test]
fn a_history_of_10000_commits() {
    let t = TestRepo::new();
    let started = Instant::now();
    let commits = 10_000;
    // Every 10th commit changes the draft (HARDENING_BIG_EVERY=1: every commit does).
    let every = std::env::var("HARDENING_BIG_EVERY")
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(10);
    let tip = big_history(&t, commits, every);
    eprintln!(
        "built {commits} commits in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    // Reopened so that the new pack is seen.
    let repo = t.repo();
    let started = Instant::now();
    let history = repo.history(DRAFT).unwrap();
    eprintln!(
        "history walk (library, debug build): {} iterations in {:.3} s",
        history.iterations.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(history.iterations.len(), commits / every);
    // The newest iteration is the last commit that changed the draft.
    assert_eq!(
        history.iterations[0].message,
        format!("Commit {}", commits - every)
    );
    assert_eq!(history.iterations[0].commit == tip.to_string(), every == 1);
    let started = Instant::now();
    let v = log_json(&t, DRAFT);
    eprintln!(
        "brackets log --json: {:.3} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(v["iterations"].as_array().unwrap().len(), commits / every);
    let started = Instant::now();
    let text = ok(&t.run(&["log", DRAFT]));
    eprintln!(
        "brackets log: {:.3} s, {} lines",
        started.elapsed().as_secs_f64(),
        text.lines().count()
    );
    let started = Instant::now();
    ok(&t.run(&["show", &format!("{DRAFT}@HEAD~5000")]));
    eprintln!(
        "brackets show @HEAD~5000: {:.3} s",
        started.elapsed().as_secs_f64()
    );
    if let Ok(keep) = std::env::var("HARDENING_KEEP_BIG_REPO") {
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::rename(&t.root, &keep).unwrap();
        eprintln!("kept at {keep}");
    }
}

// --- names ---

fn write_folder(dir: &Path, draft_path: &str, iterations: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut list = Vec::new();
    for i in 0..iterations {
        let file = format!("{i:02} itération.md");
        std::fs::write(dir.join(&file), draft(&format!("texte {i}"))).unwrap();
        list.push(serde_json::json!({
            "file": file,
            "date": format!("2025-03-{:02}T10:00:00+03:00", i + 1),
            "author": {"name": "Secrétariat", "email": "s@example.org"},
            "message": format!("Itération {i}"),
        }));
    }
    let manifest = serde_json::json!({"draft": draft_path, "iterations": list});
    std::fs::write(
        dir.join("iterations.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let t = TestRepo::new();
    let name = "projets de résolution/Déclaration sur les villes — 東京.md";
    t.commit(&[(name, Some(&draft("zéro")))], "Avant-projet");
    t.commit(&[(name, Some(&draft("révision 1")))], "Rév.1");
    assert_eq!(log_commits(&t, name).len(), 2);
    ok(&t.run(&["show", &format!("{name}@HEAD~1")]));
    ok(&t.run(&["diff", name]));
    ok(&t.run(&["check", name]));
    // From inside the folder, with a relative path.
    let folder = t.root.join("projets de résolution");
    let out = t.run_in(
        &folder,
        &["log", "Déclaration sur les villes — 東京.md", "--json"],
    );
    ok(&out);
    ok(&t.run(&["comment", "add", name, "OP1", "un commentaire"]));
    let list = ok(&t.run(&["comment", "list", name, "--json"]));
    assert!(list.contains("un commentaire"), "{list}");
    ok(&t.run(&["index"]));
    let found = ok(&t.run(&["search", "révision", "--json"]));
    assert!(found.contains("東京"), "{found}");
    // An import into a folder with spaces and accents, of a draft with such a name.
    let source = t.dir.path().join("dossier d'itérations");
    write_folder(&source, "textes/Résolution finale.md", 3);
    let into = t.dir.path().join("dépôt partagé");
    let out = t.run_in(
        t.dir.path(),
        &[
            "import",
            source.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    );
    ok(&out);
    let log = t.run_in(&into, &["log", "textes/Résolution finale.md", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&log)).unwrap();
    assert_eq!(v["iterations"].as_array().unwrap().len(), 3);
}

// --- outside the repository ---

#[test]
fn a_path_outside_the_repository_is_refused() {
    let t = TestRepo::new();
    t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    let outside = t.dir.path().join("outside.md");
    std::fs::write(&outside, draft("outside")).unwrap();
    let repo = t.repo();
    match repo.relative(&outside) {
        Err(e @ RepoError::OutsideRepository { .. }) => {
            assert!(e.to_string().contains("outside the repository"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match repo.relative(&t.root.join("res/../../outside.md")) {
        Err(RepoError::OutsideRepository { .. }) => {}
        other => panic!("{other:?}"),
    }
    match repo.relative(&t.root.join(".git/config")) {
        Err(RepoError::OutsideRepository { .. }) => {}
        other => panic!("{other:?}"),
    }
    // Through the command line: `..` out of the repository is refused with a message.
    let up = "res/../../outside.md@HEAD";
    fails(&t.run(&["show", up]), &["outside.md"]);
    fails(
        &t.run(&["comment", "add", "../outside.md", "OP1", "x"]),
        &["outside.md"],
    );
    fails(&t.run(&["log", ".git/config"]), &[]);
    // An import manifest naming a draft outside the repository is refused before anything.
    let folder = t.dir.path().join("folder");
    write_folder(&folder, "../escape.md", 1);
    fails(
        &t.run(&["import", folder.to_str().unwrap(), "--into", "."]),
        &["inside the repository"],
    );
    assert!(!t.dir.path().join("escape.md").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_pointing_outside_are_refused() {
    let t = TestRepo::new();
    t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    let outside = t.dir.path().join("secret.md");
    std::fs::write(&outside, draft("secret")).unwrap();
    std::os::unix::fs::symlink(&outside, t.root.join("res/link.md")).unwrap();
    std::os::unix::fs::symlink(t.dir.path(), t.root.join("res/linked folder")).unwrap();
    for reference in [
        "res/link.md",
        "res/link.md@WORKTREE",
        "res/linked folder/secret.md",
    ] {
        let err = fails(&t.run(&["show", reference]), &["outside the repository"]);
        assert!(!err.contains("secret]"), "{err}");
    }
    fails(
        &t.run(&["comment", "add", "res/link.md", "OP1", "x"]),
        &["outside the repository"],
    );
    // A link inside the repository is followed to its target.
    std::os::unix::fs::symlink("draft.md", t.root.join("res/alias.md")).unwrap();
    let shown = ok(&t.run(&["show", "res/alias.md", "--json"]));
    assert!(shown.contains("zero"), "{shown}");
}

// --- saving through a symbolic link (drafting::save) ---

#[cfg(unix)]
#[test]
fn saving_a_draft_over_a_symlink() {
    use brackets::drafting::{SaveError, load, save};
    let t = TestRepo::new();
    t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    let target = t.root.join(DRAFT);
    let link = t.root.join("res/current.md");
    std::os::unix::fs::symlink("draft.md", &link).unwrap();
    // Inside the repository: written through, the link stays a link.
    let (_, loaded) = load(&link).unwrap();
    save(&link, &draft("through the link"), Some(loaded)).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        draft("through the link")
    );
    // Outside the repository: refused, nothing written.
    let outside = t.dir.path().join("elsewhere.md");
    std::fs::write(&outside, draft("elsewhere")).unwrap();
    let out_link = t.root.join("res/out.md");
    std::os::unix::fs::symlink(&outside, &out_link).unwrap();
    let (_, loaded) = load(&out_link).unwrap();
    match save(&out_link, &draft("changed"), Some(loaded)) {
        Err(e @ SaveError::LinkOutside { .. }) => {
            assert!(e.to_string().contains("outside the repository"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        draft("elsewhere")
    );
    assert!(
        std::fs::symlink_metadata(&out_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // Into the git directory: refused too.
    let git_link = t.root.join("res/git.md");
    std::os::unix::fs::symlink("../.git/description", &git_link).unwrap();
    let (_, loaded) = load(&git_link).unwrap();
    assert!(matches!(
        save(&git_link, "x", Some(loaded)),
        Err(SaveError::LinkOutside { .. })
    ));
    // A folder on the way that links out of the repository: refused, for an existing file and
    // for a new one.
    std::os::unix::fs::symlink(t.dir.path(), t.root.join("res/away")).unwrap();
    let through = t.root.join("res/away/elsewhere.md");
    let (_, loaded) = load(&through).unwrap();
    assert!(matches!(
        save(&through, "x", Some(loaded)),
        Err(SaveError::LinkOutside { .. })
    ));
    assert!(matches!(
        save(&t.root.join("res/away/new.md"), "x", None),
        Err(SaveError::LinkOutside { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        draft("elsewhere")
    );
    assert!(!t.dir.path().join("new.md").exists());
    // A dangling link: refused, not replaced by a file.
    let dangling = t.root.join("res/dangling.md");
    std::os::unix::fs::symlink("nowhere.md", &dangling).unwrap();
    match save(&dangling, "x", None) {
        Err(e @ SaveError::DanglingLink { .. }) => {
            assert!(e.to_string().contains("does not exist"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    assert!(!t.root.join("res/nowhere.md").exists());
}

// --- what other people's repositories may hold ---

/// Author names, commit messages, file names and comments come from other people: none of
/// their control characters reaches the terminal raw.
#[cfg(unix)]
#[test]
fn hostile_names_and_messages_are_shown_escaped() {
    let t = TestRepo::new();
    let name = "res/a\u{1b}]0;owned\u{7}b.md";
    let hostile = Signature::new(
        "Evil \u{1b}[2J\u{1b}]0;title\u{7}",
        "e@example.org",
        &Time::new(1_700_000_000, 0),
    )
    .unwrap();
    let blob = t.git.blob(draft("zero").as_bytes()).unwrap();
    let mut update = git2::build::TreeUpdateBuilder::new();
    update.upsert(name, blob, FileMode::Blob);
    let empty = t.git.treebuilder(None).unwrap().write().unwrap();
    let base = t.git.find_tree(empty).unwrap();
    let tree = t
        .git
        .find_tree(update.create_updated(&t.git, &base).unwrap())
        .unwrap();
    t.git
        .commit(
            Some("HEAD"),
            &hostile,
            &hostile,
            "Zero \u{1b}[31mdraft\u{202E}\n\nProposed-by: \u{1b}[5mUSA\n",
            &tree,
            &[],
        )
        .unwrap();
    let mut co = git2::build::CheckoutBuilder::new();
    co.force();
    t.git.checkout_head(Some(&mut co)).unwrap();
    ok(&t.run(&[
        "comment",
        "add",
        name,
        "OP1",
        "see \u{1b}]8;;http://x\u{7}here",
        "--author",
        "R\u{1b}[8m",
    ]));
    ok(&t.run(&["index"]));
    for args in [
        vec!["log", name],
        vec!["show", name],
        vec!["comment", "list", name],
        vec!["search", "zero"],
        vec!["search", "here"],
        vec!["diff", &format!("{name}@HEAD"), &format!("{name}@WORKTREE")],
    ] {
        let out = t.run(&args);
        assert!(!out.stdout.is_empty(), "{args:?}: {out:?}");
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202E}'),
            "{args:?}: {text:?}"
        );
    }
}

/// `.brackets.toml` comes with the repository: a broken one is an error naming it, a strange
/// glob is only a glob (nothing in it is run).
#[test]
fn a_bad_or_strange_brackets_toml() {
    let t = TestRepo::new();
    t.commit(&[(DRAFT, Some(&draft("zero")))], "Zero draft");
    std::fs::write(t.root.join(".brackets.toml"), "[drafts\nglobs = 3\n").unwrap();
    fails(&t.run(&["index"]), &[".brackets.toml"]);
    std::fs::write(
        t.root.join(".brackets.toml"),
        "[hooks]\nrun = \"touch owned\"\n",
    )
    .unwrap();
    fails(&t.run(&["index"]), &[".brackets.toml"]);
    assert!(!t.root.join("owned").exists());
    std::fs::write(
        t.root.join(".brackets.toml"),
        "[drafts]\nglobs = [\"**/**/**/**/**/**/*a*a*a*a*a*a*a*a*b\", \"$(touch owned)\", \"../../**\", \"res/*.md\"]\n",
    )
    .unwrap();
    ok(&t.run(&["index"]));
    let found = ok(&t.run(&["search", "zero", "--json"]));
    assert!(found.contains(DRAFT), "{found}");
    assert!(!t.root.join("owned").exists());
}
