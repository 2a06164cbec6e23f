//! Data safety (issue #9, point 4): the real binary is killed (SIGKILL) at random points while
//! it writes a comments file, updates the search index, imports a folder, or commits an
//! iteration (through a helper: this test binary run again, see [`helper`]), many times; after
//! each kill the previous state must be intact and usable, and the operation must complete when
//! run again. Two processes writing at once must both keep their work.
//!
//! The delays are spread over the duration of the operation measured first; the seed is
//! printed (set `HARDENING_SEED` to replay one). No assertion depends on the wall clock.

#![cfg(unix)]

mod common;
use brackets::comments::{self, Store};
use common::sandbox;
use git2::{ObjectType, Oid, Repository, Signature, Time};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const DRAFT: &str = "res/draft.md";
const HELPER: &str = "BRACKETS_HARDENING_HELPER";

/// A small xorshift generator: no dependency, and a seed to replay a failure.
struct Rng(u64);

impl Rng {
    fn new(name: &str) -> Rng {
        let seed = std::env::var("HARDENING_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    ^ u64::from(std::process::id())
            });
        eprintln!("{name}: HARDENING_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A delay in `[0, max]`.
    fn delay(&mut self, max: Duration) -> Duration {
        let nanos = max.as_nanos().max(1) as u64;
        Duration::from_nanos(self.next() % (nanos + 1))
    }
}

fn command(home: &Path, cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brackets"));
    c.current_dir(cwd)
        .env_clear()
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("BRACKETS_CACHE_DIR", home.join("cache"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .stdin(Stdio::null());
    c
}

fn run(mut c: Command) -> Output {
    c.output().unwrap()
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

/// Starts `c`, kills it (SIGKILL) after `delay`, and reaps it. Whether it had finished is
/// returned (a kill that came too late).
fn kill_after(mut c: Command, delay: Duration) -> bool {
    c.stdout(Stdio::null()).stderr(Stdio::null());
    let mut child: Child = c.spawn().unwrap();
    std::thread::sleep(delay);
    let finished = matches!(child.try_wait(), Ok(Some(_)));
    let _ = child.kill();
    let _ = child.wait();
    finished
}

/// How long `c` takes, the median of three runs (each set up by `setup`).
fn measure(mut setup: impl FnMut() -> Command) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let c = setup();
            let started = Instant::now();
            ok(&run(c));
            started.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

fn sig() -> Signature<'static> {
    Signature::new(
        "Secretariat",
        "secretariat@example.org",
        &Time::new(1_700_000_000, 0),
    )
    .unwrap()
}

/// A draft of some size, variant `v`.
fn draft(v: usize, paragraphs: usize) -> String {
    let mut s = String::from("# Draft resolution\n\nThe Assembly,\n\n");
    for i in 1..=paragraphs {
        s.push_str(&format!(
            "{i}. Requests [the secretariat {v}] {{USA+ FRA-}} to report on item {i} of the agenda, within existing resources;\n\n"
        ));
    }
    s
}

struct TestRepo {
    _dir: tempfile::TempDir,
    home: PathBuf,
    root: PathBuf,
}

impl TestRepo {
    fn new(paragraphs: usize) -> TestRepo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let root = dir.path().join("repo");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        let mut config = git.config().unwrap();
        config.set_str("user.name", "Editor").unwrap();
        config.set_str("user.email", "editor@example.org").unwrap();
        let root = root.canonicalize().unwrap();
        let t = TestRepo {
            _dir: dir,
            home,
            root,
        };
        t.commit(&draft(0, paragraphs), "Zero draft");
        t
    }

    fn git(&self) -> Repository {
        Repository::open(&self.root).unwrap()
    }

    fn commit(&self, text: &str, message: &str) -> Oid {
        let git = self.git();
        let full = self.root.join(DRAFT);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        let mut index = git.index().unwrap();
        index.add_path(Path::new(DRAFT)).unwrap();
        index.write().unwrap();
        let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
        let parent = git.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        git.commit(Some("HEAD"), &sig(), &sig(), message, &tree, &parents)
            .unwrap()
    }

    fn brackets(&self) -> Command {
        command(&self.home, &self.root)
    }
}

/// A `git fsck`-like check through git2: HEAD resolves (or the branch is unborn), every
/// reference peels to an object that exists, and every commit reachable from them has its
/// tree, subtrees and blobs.
fn fsck(root: &Path) {
    let git = Repository::open(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    match git.head() {
        Ok(h) => {
            h.peel_to_commit()
                .unwrap_or_else(|e| panic!("HEAD is not a commit: {e}"));
        }
        Err(e) => assert_eq!(e.code(), git2::ErrorCode::UnbornBranch, "HEAD: {e}"),
    }
    let mut walk = git.revwalk().unwrap();
    for r in git.references().unwrap() {
        let r = r.unwrap();
        let name = r.name().unwrap_or("?").to_string();
        let commit = r
            .peel_to_commit()
            .unwrap_or_else(|e| panic!("{name} does not lead to a commit: {e}"));
        walk.push(commit.id()).unwrap();
    }
    let odb = git.odb().unwrap();
    let mut seen = std::collections::HashSet::new();
    for oid in walk {
        let commit = git.find_commit(oid.unwrap()).unwrap();
        let mut trees = vec![commit.tree_id()];
        while let Some(t) = trees.pop() {
            if !seen.insert(t) {
                continue;
            }
            let tree = git
                .find_tree(t)
                .unwrap_or_else(|e| panic!("tree {t} of {}: {e}", commit.id()));
            for entry in tree.iter() {
                match entry.kind() {
                    Some(ObjectType::Tree) => trees.push(entry.id()),
                    Some(ObjectType::Blob) => {
                        let (_, kind) = odb.read_header(entry.id()).unwrap_or_else(|e| {
                            panic!("blob {} in {}: {e}", entry.id(), commit.id())
                        });
                        assert_eq!(kind, ObjectType::Blob);
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Lock files git or libgit2 leave behind when killed mid-write (`index.lock`,
/// `refs/heads/main.lock`): reported by the operation run next, never silently removed.
fn stale_git_locks(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p.ends_with("brackets") {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "lock") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join(".git"), &mut out);
    out
}

// --- comments ---

#[test]
fn killing_comment_add_leaves_the_old_or_the_new_comments() {
    let t = TestRepo::new(6);
    let mut rng = Rng::new("comments");
    let add = |n: usize| {
        let mut c = t.brackets();
        c.args([
            "comment",
            "add",
            DRAFT,
            "OP2",
            &format!("comment number {n}"),
        ]);
        c
    };
    let mut n = 0;
    let duration = measure(|| {
        n += 1;
        add(n)
    });
    eprintln!("comment add: {duration:?}");
    let mut finished = 0;
    for k in 0..40 {
        let before = Store::open(&t.root, DRAFT).unwrap().comments().to_vec();
        n += 1;
        if kill_after(add(n), rng.delay(duration * 11 / 10)) {
            finished += 1;
        }
        let after = Store::open(&t.root, DRAFT)
            .unwrap_or_else(|e| panic!("kill {k}: {e}"))
            .comments()
            .to_vec();
        assert!(
            after[..before.len().min(after.len())] == before[..],
            "kill {k}: an old comment changed"
        );
        assert!(
            after.len() == before.len()
                || (after.len() == before.len() + 1
                    && after[before.len()].text == format!("comment number {n}")),
            "kill {k}: {} comments before, {} after",
            before.len(),
            after.len()
        );
    }
    eprintln!("comment add: 40 kills, {finished} came after the end");
    // Still usable: a new comment goes in, and no temporary file is left beside the file.
    ok(&run(add(n + 1)));
    let names: Vec<String> = std::fs::read_dir(t.root.join("res"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains(".tmp-")),
        "temporary files left: {names:?}"
    );
}

#[test]
fn two_processes_adding_comments_at_once_keep_every_comment() {
    let t = TestRepo::new(4);
    let per = 6;
    let writers: Vec<Child> = (0..3)
        .map(|w| {
            let script = (0..per)
                .map(|i| {
                    format!(
                        "\"$0\" comment add {DRAFT} OP1 'writer {w} comment {i}' >/dev/null || exit 1"
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let mut c = Command::new("sh");
            c.args(["-c", &script, env!("CARGO_BIN_EXE_brackets")])
                .current_dir(&t.root)
                .env("HOME", &t.home)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("NO_COLOR", "1");
            c.spawn().unwrap()
        })
        .collect();
    for mut w in writers {
        assert!(w.wait().unwrap().success());
    }
    let store = Store::open(&t.root, DRAFT).unwrap();
    let mut texts: Vec<&str> = store.comments().iter().map(|c| c.text.as_str()).collect();
    texts.sort();
    assert_eq!(texts.len(), 3 * per, "{texts:?}");
}

#[test]
fn a_waiting_writer_is_told_and_a_held_lock_is_a_clear_error() {
    let t = TestRepo::new(3);
    ok(&run({
        let mut c = t.brackets();
        c.args(["comment", "add", DRAFT, "OP1", "first"]);
        c
    }));
    // This process holds the lock (through another spelling of the path) while another adds
    // a comment: it waits, says so, and goes on when the lock is released.
    let path = t
        .root
        .join("res/../res")
        .join(Path::new(&comments::path_for(DRAFT)).file_name().unwrap());
    let lock = comments::lock(&path, &mut |_| {}).unwrap();
    let mut c = t.brackets();
    c.args(["comment", "add", DRAFT, "OP1", "second"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    // It cannot go on while the lock is held: its first words on stderr say it waits.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut first).unwrap();
    assert!(
        first.contains("waiting for another brackets process writing"),
        "{first}"
    );
    drop(lock);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(Store::open(&t.root, DRAFT).unwrap().comments().len(), 2);
    // Held for longer than a writer waits: a clear error naming the file and the lock.
    let held = comments::lock(&path, &mut |_| {}).unwrap();
    let mut told = Vec::new();
    let err = comments::lock_within(&path, Duration::from_millis(200), &mut |m| {
        told.push(m.to_string())
    })
    .unwrap_err();
    assert!(matches!(err, comments::CommentsError::Busy { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("another brackets process") && msg.contains("draft.md.comments.json"),
        "{msg}"
    );
    assert_eq!(told.len(), 1, "{told:?}");
    drop(held);
}

#[test]
fn a_damaged_comments_file_is_set_aside_and_its_comments_recovered() {
    let t = TestRepo::new(3);
    for text in ["kept one", "kept two"] {
        ok(&run({
            let mut c = t.brackets();
            c.args(["comment", "add", DRAFT, "OP1", text]);
            c
        }));
    }
    let path = t.root.join(comments::path_for(DRAFT));
    let good = std::fs::read_to_string(&path).unwrap();
    // A merge conflict in the file: both sides' comments are in it, the JSON is broken.
    let conflicted = good.replacen(
        "  \"comments\": [",
        "<<<<<<< HEAD\n  \"comments\": [\n=======\n  \"comments\": [\n>>>>>>> theirs",
        1,
    );
    std::fs::write(&path, &conflicted).unwrap();
    let out = run({
        let mut c = t.brackets();
        c.args(["comment", "list", DRAFT]);
        c
    });
    assert_eq!(out.status.code(), Some(1));
    let out = run({
        let mut c = t.brackets();
        c.args(["comment", "add", DRAFT, "OP2", "after the conflict"]);
        c
    });
    ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 comments were recovered"), "{err}");
    let texts: Vec<String> = Store::open(&t.root, DRAFT)
        .unwrap()
        .comments()
        .iter()
        .map(|c| c.text.clone())
        .collect();
    assert_eq!(texts, ["kept one", "kept two", "after the conflict"]);
    let aside: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".comments.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), conflicted);
}

// --- index ---

fn search_works(t: &TestRepo, k: usize) -> String {
    let out = run({
        let mut c = t.brackets();
        c.args(["search", "secretariat", "--json", "--limit", "3"]);
        c
    });
    let stdout = ok(&out);
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("kill {k}: {e}: {stdout}"));
    assert!(v["total"].as_u64().unwrap() > 0, "kill {k}: {v}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn killing_the_index_update_leaves_an_index_that_opens_or_is_rebuilt() {
    let t = TestRepo::new(40);
    for v in 1..6 {
        t.commit(&draft(v, 40), &format!("Rev.{v}"));
    }
    let mut rng = Rng::new("index");
    let rebuild = || {
        let mut c = t.brackets();
        c.args(["index", "--rebuild"]);
        c
    };
    let duration = measure(rebuild);
    eprintln!("index --rebuild: {duration:?}");
    let mut finished = 0;
    let mut rebuilt = 0;
    for k in 0..30 {
        // Alternately a full rebuild and an incremental update over a new commit.
        let c = if k % 2 == 0 {
            rebuild()
        } else {
            t.commit(&draft(10 + k, 40), &format!("Rev.{}", 10 + k));
            let mut c = t.brackets();
            c.arg("index");
            c
        };
        if kill_after(c, rng.delay(duration * 11 / 10)) {
            finished += 1;
        }
        // The index opens through the library too (or is found damaged and recreated).
        let repo = brackets::repo::Repo::open(&t.root).unwrap();
        drop(brackets::index::Index::open(&repo).unwrap_or_else(|e| panic!("kill {k}: {e}")));
        let err = search_works(&t, k);
        if err.contains("rebuilding") {
            rebuilt += 1;
        }
    }
    eprintln!("index: 30 kills, {finished} after the end, {rebuilt} rebuilds");
}

#[test]
fn two_processes_on_a_repository_with_no_index_both_answer() {
    let t = TestRepo::new(30);
    for v in 1..4 {
        t.commit(&draft(v, 30), &format!("Rev.{v}"));
    }
    for round in 0..4 {
        let _ = std::fs::remove_dir_all(t.root.join(".git/brackets/index"));
        let children: Vec<Child> = (0..3)
            .map(|i| {
                let mut c = t.brackets();
                if i == 0 {
                    c.arg("index");
                } else {
                    c.args(["search", "secretariat", "--json"]);
                }
                c.stdout(Stdio::piped()).stderr(Stdio::piped());
                c.spawn().unwrap()
            })
            .collect();
        for (i, child) in children.into_iter().enumerate() {
            // A hang here is the bug: each must answer.
            let out = child.wait_with_output().unwrap();
            let stdout = ok(&out);
            if i > 0 {
                let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                // Never a search of an empty index being created by the other.
                assert!(v["total"].as_u64().unwrap() > 0, "round {round}: {v}");
            }
        }
    }
}

// --- import ---

fn write_import_folder(dir: &Path, iterations: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut list = Vec::new();
    for i in 0..iterations {
        let file = format!("{i:02}.md");
        std::fs::write(dir.join(&file), draft(i, 60)).unwrap();
        list.push(serde_json::json!({
            "file": file,
            "label": format!("Rev.{i}"),
            "tag": format!("rev{i}"),
            "date": format!("2025-03-{:02}T10:00:00+03:00", i + 1),
            "author": {"name": "Secretariat", "email": "s@example.org"},
            "message": format!("Rev.{i}"),
            "proposed_by": ["KEN"],
        }));
    }
    let manifest = serde_json::json!({"draft": DRAFT, "iterations": list});
    std::fs::write(
        dir.join("iterations.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

/// After a kill: nothing at all, or a consistent repository the import completes in.
/// Returns whether a lock file left by the kill had to be removed.
fn check_import(
    home: &Path,
    folder: &Path,
    into: &Path,
    k: usize,
    iterations: usize,
    commits: usize,
) -> bool {
    if into.join(".git").exists() {
        fsck(into);
    }
    let again = || {
        let mut c = command(home, home);
        c.args(["import"]).arg(folder).arg("--into").arg(into);
        run(c)
    };
    let mut out = again();
    // A lock file git leaves when killed while writing a reference or the index: the import
    // names it; once it is removed (no other process runs here), the import goes on.
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let locked = !out.status.success() && err.contains(".lock exists");
    if locked {
        for l in stale_git_locks(into) {
            assert!(err.contains(&*l.to_string_lossy()), "kill {k}: {err}");
            std::fs::remove_file(l).unwrap();
        }
        out = again();
    }
    assert!(
        out.status.success(),
        "kill {k}: re-running the import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    fsck(into);
    // Idempotent: a second run writes nothing.
    let stdout = ok(&again());
    assert!(
        stdout.contains("already present; nothing changed"),
        "kill {k}: {stdout}"
    );
    let git = Repository::open(into).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let blob = head
        .tree()
        .unwrap()
        .get_path(Path::new(DRAFT))
        .unwrap()
        .to_object(&git)
        .unwrap()
        .peel_to_blob()
        .unwrap();
    let last = draft(iterations - 1, 60);
    assert!(blob.content() == last.as_bytes(), "kill {k}: HEAD");
    assert!(
        std::fs::read_to_string(into.join(DRAFT)).unwrap() == last,
        "kill {k}: the working tree"
    );
    let mut walk = git.revwalk().unwrap();
    walk.push_head().unwrap();
    assert_eq!(walk.count(), commits, "kill {k}");
    locked
}

#[test]
fn killing_an_import_leaves_nothing_or_a_repository_it_completes() {
    sandbox();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let iterations = 8;
    let folder = dir.path().join("folder");
    write_import_folder(&folder, iterations);
    let mut rng = Rng::new("import");
    let import = |into: &Path| {
        let mut c = command(&home, &home);
        c.args(["import"]).arg(&folder).arg("--into").arg(into);
        c
    };
    let mut n = 0;
    let duration = measure(|| {
        n += 1;
        import(&dir.path().join(format!("measure{n}")))
    });
    eprintln!("import: {duration:?}");
    let mut finished = 0;
    let mut locks_left = 0;
    for k in 0..40 {
        let into = dir.path().join(format!("into{k}"));
        // Half into a new folder, half into an existing repository holding another draft.
        if k % 2 == 1 {
            let mut opts = git2::RepositoryInitOptions::new();
            opts.initial_head("main");
            let git = Repository::init_opts(&into, &opts).unwrap();
            std::fs::write(into.join("other.md"), "# Another draft\n").unwrap();
            let mut index = git.index().unwrap();
            index.add_path(Path::new("other.md")).unwrap();
            index.write().unwrap();
            let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
            git.commit(Some("HEAD"), &sig(), &sig(), "Other", &tree, &[])
                .unwrap();
        }
        if kill_after(import(&into), rng.delay(duration * 11 / 10)) {
            finished += 1;
        }
        let commits = iterations + usize::from(k % 2 == 1);
        if check_import(&home, &folder, &into, k, iterations, commits) {
            locks_left += 1;
        }
        let _ = std::fs::remove_dir_all(&into);
        // The re-run removed what the killed import left beside its target (Linux).
        if Path::new("/proc/self").exists() {
            let prefix = format!(".into{k}.brackets-import-");
            let left: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix))
                .collect();
            assert!(left.is_empty(), "kill {k}: {left:?}");
        }
    }
    eprintln!("import: 40 kills, {finished} after the end, {locks_left} left a git lock file");
}

// --- commit (through a helper process: no command reaches `commit_iteration`) ---

/// Run as a child process (`HELPER` set): commits the draft's working-tree text as the next
/// iteration, or saves a draft. Does nothing in a normal test run.
#[test]
fn helper() {
    let Ok(op) = std::env::var(HELPER) else {
        return;
    };
    let root = PathBuf::from(std::env::var("HELPER_ROOT").unwrap());
    match op.as_str() {
        "commit" => {
            let repo = brackets::repo::Repo::open(&root).unwrap();
            let head = repo.git().head().ok().and_then(|h| h.target());
            let request = brackets::drafting::commit::CommitRequest {
                draft: DRAFT.to_string(),
                message: "Next iteration".into(),
                proposed_by: vec!["KEN".into()],
                expected_head: head,
                ..Default::default()
            };
            brackets::drafting::commit::commit_iteration(&repo, &request).unwrap();
        }
        "save" => {
            let path = root.join(DRAFT);
            let (_, loaded) = brackets::drafting::load(&path).unwrap();
            let v: usize = std::env::var("HELPER_VARIANT").unwrap().parse().unwrap();
            brackets::drafting::save(&path, &draft(v, SAVE_PARAGRAPHS), Some(loaded)).unwrap();
        }
        other => panic!("unknown helper {other}"),
    }
}

fn helper_command(op: &str, root: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--exact", "helper", "--test-threads=1", "--quiet"])
        .env(HELPER, op)
        .env("HELPER_ROOT", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::null());
    c
}

fn head_text(root: &Path) -> (Oid, String) {
    let git = Repository::open(root).unwrap();
    let head = git.head().unwrap().peel_to_commit().unwrap();
    let blob = head
        .tree()
        .unwrap()
        .get_path(Path::new(DRAFT))
        .unwrap()
        .to_object(&git)
        .unwrap()
        .peel_to_blob()
        .unwrap();
    (
        head.id(),
        String::from_utf8(blob.content().to_vec()).unwrap(),
    )
}

#[test]
fn killing_a_commit_leaves_head_on_the_old_or_the_new_iteration() {
    let t = TestRepo::new(200);
    let mut rng = Rng::new("commit");
    let mut v = 0;
    let duration = measure(|| {
        v += 1;
        std::fs::write(t.root.join(DRAFT), draft(v, 200)).unwrap();
        helper_command("commit", &t.root)
    });
    eprintln!("commit: {duration:?}");
    let mut finished = 0;
    let mut locks_left = 0;
    for k in 0..40 {
        let (old_head, old_text) = head_text(&t.root);
        v += 1;
        let new_text = draft(v, 200);
        std::fs::write(t.root.join(DRAFT), &new_text).unwrap();
        if kill_after(
            helper_command("commit", &t.root),
            rng.delay(duration * 11 / 10),
        ) {
            finished += 1;
        }
        fsck(&t.root);
        let (head, text) = head_text(&t.root);
        assert!(
            (head == old_head && text == old_text) || text == new_text,
            "kill {k}: HEAD holds neither the old nor the new text"
        );
        if head != old_head {
            let git = Repository::open(&t.root).unwrap();
            let c = git.find_commit(head).unwrap();
            assert_eq!(c.parent_ids().collect::<Vec<_>>(), [old_head], "kill {k}");
        }
        // A lock file left by the kill makes the next commit fail with a message naming it;
        // removed here, as the user would once no other process runs.
        let locks = stale_git_locks(&t.root);
        if !locks.is_empty() {
            locks_left += 1;
            if head == old_head {
                let out = run(helper_command("commit", &t.root));
                assert!(!out.status.success());
                let err = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                assert!(err.contains(".lock"), "kill {k}: {err}");
            }
            for l in locks {
                std::fs::remove_file(l).unwrap();
            }
        }
        // Run again: completes (or finds nothing to commit).
        if head == old_head {
            ok(&run(helper_command("commit", &t.root)));
        }
        assert_eq!(head_text(&t.root).1, new_text, "kill {k}");
    }
    eprintln!("commit: 40 kills, {finished} after the end, {locks_left} left a git lock file");
}

const SAVE_PARAGRAPHS: usize = 20_000;

#[test]
fn killing_a_save_leaves_the_old_or_the_new_draft() {
    let t = TestRepo::new(3);
    let mut rng = Rng::new("save");
    // A big draft, so that writing it takes a while.
    let texts: Vec<String> = (0..2).map(|v| draft(v, SAVE_PARAGRAPHS)).collect();
    std::fs::write(t.root.join(DRAFT), &texts[0]).unwrap();
    let save = |v: usize| {
        let mut c = helper_command("save", &t.root);
        c.env("HELPER_VARIANT", v.to_string());
        c
    };
    let mut v = 0;
    let duration = measure(|| {
        v = 1 - v;
        save(v)
    });
    eprintln!("save ({} bytes): {duration:?}", texts[0].len());
    let mut finished = 0;
    for k in 0..30 {
        let before = std::fs::read_to_string(t.root.join(DRAFT)).unwrap();
        let next = usize::from(before == texts[0]);
        if kill_after(save(next), rng.delay(duration * 11 / 10)) {
            finished += 1;
        }
        let after = std::fs::read_to_string(t.root.join(DRAFT)).unwrap();
        assert!(after == before || after == texts[next], "kill {k}");
    }
    eprintln!("save: 30 kills, {finished} after the end");
    // The next save removes the temporary files the killed ones left (on Linux, where a dead
    // process can be told).
    let before = std::fs::read_to_string(t.root.join(DRAFT)).unwrap();
    ok(&run(save(usize::from(before == texts[0]))));
    if Path::new("/proc/self").exists() {
        let left: Vec<String> = std::fs::read_dir(t.root.join("res"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}

#[test]
fn two_search_workers_in_one_process_on_a_repository_with_no_index() {
    let t = TestRepo::new(30);
    for v in 1..4 {
        t.commit(&draft(v, 30), &format!("Rev.{v}"));
    }
    for round in 0..4 {
        let _ = std::fs::remove_dir_all(t.root.join(".git/brackets/index"));
        let workers: Vec<_> = (0..3)
            .map(|_| {
                let root = t.root.clone();
                std::thread::spawn(move || {
                    let repo = brackets::repo::Repo::open(&root).unwrap();
                    let mut index = brackets::index::Index::open(&repo).unwrap();
                    index.update(&repo, &mut |_| {}).unwrap();
                    let query = brackets::index::query::Query::parse("secretariat").unwrap();
                    index
                        .search(&query, &brackets::index::SearchOptions::default())
                        .unwrap()
                        .total
                })
            })
            .collect();
        for w in workers {
            // A hang here is the bug; each answers, and finds what the first one indexed.
            assert!(w.join().unwrap() > 0, "round {round}");
        }
    }
}

#[test]
fn salvage_recovers_whole_comments_from_a_truncated_or_garbled_file() {
    let t = TestRepo::new(3);
    for text in ["one", "two", "three"] {
        ok(&run({
            let mut c = t.brackets();
            c.args(["comment", "add", DRAFT, "OP1", text]);
            c
        }));
    }
    let path = t.root.join(comments::path_for(DRAFT));
    let good = std::fs::read(&path).unwrap();
    let texts = |cs: Vec<comments::Comment>| cs.into_iter().map(|c| c.text).collect::<Vec<_>>();
    // Cut inside the third comment: the first two are whole.
    let third = good.windows(7).position(|w| w == b"\"three\"").unwrap();
    assert_eq!(texts(comments::salvage(&good[..third])), ["one", "two"]);
    // Every prefix: never a panic, never a comment that was not in the file.
    for cut in 0..good.len() {
        for c in comments::salvage(&good[..cut]) {
            assert!(["one", "two", "three"].contains(&c.text.as_str()), "{cut}");
        }
    }
    assert!(comments::salvage(b"").is_empty());
    assert!(comments::salvage(b"{{{{[[[\"\\").is_empty());
    // Through the store: a truncated file is set aside on the next change.
    std::fs::write(&path, &good[..third]).unwrap();
    let mut store = Store::open_repairing(&t.root, DRAFT).unwrap();
    assert_eq!(store.comments().len(), 2);
    let id = store.comments()[0].id.clone();
    store.resolve(&id, "Chair").unwrap();
    let saved = store.save().unwrap();
    assert_eq!(saved.salvaged, 2);
    assert!(saved.notice().unwrap().contains(".corrupt-"));
    let back = Store::open(&t.root, DRAFT).unwrap();
    assert_eq!(back.comments().len(), 2);
    assert_eq!(back.comments()[0].status, comments::Status::Resolved);
    assert!(saved.set_aside.unwrap().exists());
}

#[test]
fn two_brackets_index_at_once_the_second_waits_and_says_so() {
    let t = TestRepo::new(40);
    for v in 1..6 {
        t.commit(&draft(v, 40), &format!("Rev.{v}"));
    }
    ok(&run({
        let mut c = t.brackets();
        c.arg("index");
        c
    }));
    // The index holds something; a rebuild and an update start together.
    let spawn = |args: &[&str]| {
        let mut c = t.brackets();
        c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    let mut waited = 0;
    for round in 0..3 {
        t.commit(&draft(20 + round, 40), "Another");
        let first = spawn(&["index", "--rebuild"]);
        let second = spawn(&["index"]);
        let (a, b) = (
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        );
        ok(&a);
        ok(&b);
        for out in [&a, &b] {
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("waiting for it to finish") {
                waited += 1;
            }
        }
    }
    eprintln!("index twice at once: {waited} of 3 rounds had one waiting");
    search_works(&t, 0);
}

#[test]
fn two_imports_into_the_same_new_folder_at_once() {
    sandbox();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let folder = dir.path().join("folder");
    write_import_folder(&folder, 5);
    for round in 0..4 {
        let into = dir.path().join(format!("into{round}"));
        let children: Vec<Child> = (0..2)
            .map(|_| {
                let mut c = command(&home, &home);
                c.args(["import"])
                    .arg(&folder)
                    .arg("--into")
                    .arg(&into)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                c.spawn().unwrap()
            })
            .collect();
        for c in children {
            ok(&c.wait_with_output().unwrap());
        }
        fsck(&into);
        let git = Repository::open(&into).unwrap();
        let mut walk = git.revwalk().unwrap();
        walk.push_head().unwrap();
        assert_eq!(walk.count(), 5, "round {round}");
    }
}

/// Damaged index files (a flipped byte, a truncated file) are found damaged and rebuilt, or
/// still answer: never a panic, never a failed search.
#[test]
fn damaged_index_files_are_rebuilt_or_still_answer() {
    let t = TestRepo::new(40);
    for v in 1..4 {
        t.commit(&draft(v, 40), &format!("Rev.{v}"));
    }
    let index = t.root.join(".git/brackets/index");
    let mut rng = Rng::new("damaged index");
    let mut rebuilt = 0;
    let mut runs = 0;
    for ext in ["term", "idx", "pos", "store", "fast", "fieldnorm", "json"] {
        for truncate in [false, true] {
            ok(&run({
                let mut c = t.brackets();
                c.args(["index", "--rebuild"]);
                c
            }));
            let Some(victim) = std::fs::read_dir(&index)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
            else {
                continue;
            };
            let mut bytes = std::fs::read(&victim).unwrap();
            if bytes.is_empty() {
                continue;
            }
            if truncate {
                bytes.truncate(bytes.len() / 2);
            } else {
                let i = (rng.next() as usize) % bytes.len();
                bytes[i] ^= 0x5a;
            }
            std::fs::write(&victim, &bytes).unwrap();
            runs += 1;
            // A flipped byte may change what is found, not whether the search answers.
            let out = run({
                let mut c = t.brackets();
                c.args(["search", "secretariat", "--json", "--limit", "3"]);
                c
            });
            let stdout = ok(&out);
            serde_json::from_str::<serde_json::Value>(&stdout)
                .unwrap_or_else(|e| panic!("{ext}: {e}: {stdout}"));
            if String::from_utf8_lossy(&out.stderr).contains("rebuilding") {
                rebuilt += 1;
            }
        }
    }
    eprintln!("damaged index: {runs} damaged files, {rebuilt} rebuilt, the others still answered");
}
