//! Reviewers' comments: stored beside the draft, written atomically, never overwritten when
//! damaged, and found again in later iterations that renumber, edit or remove paragraphs.

mod common;
use brackets::comments::{self, CommentsError, NewComment, Place, Status, Store};
use brackets::repo::Repo;
use git2::{Repository, Signature, Time};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::sandbox;

const DRAFT: &str = "res/draft.md";

struct TestRepo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    git: Repository,
    day: std::cell::Cell<i64>,
}

impl TestRepo {
    fn new() -> TestRepo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let git = Repository::init(&root).unwrap();
        let root = root.canonicalize().unwrap();
        TestRepo {
            _dir: dir,
            root,
            git,
            day: std::cell::Cell::new(0),
        }
    }

    fn commit(&self, text: &str, message: &str) -> String {
        let full = self.root.join(DRAFT);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        let mut index = self.git.index().unwrap();
        index.add_path(Path::new(DRAFT)).unwrap();
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        let n = self.day.get() + 1;
        self.day.set(n);
        let sig = Signature::new(
            "Secretariat",
            "s@example.org",
            &Time::new(1_700_000_000 + n * 86_400, 180),
        )
        .unwrap();
        let parents: Vec<git2::Commit> = self
            .git
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &refs)
            .unwrap()
            .to_string()
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_brackets"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.root.join(".git"))
            .env("USER", "tester")
            .output()
            .unwrap()
    }
}

const V1: &str = "# Draft\n\nThe Assembly,\n\n\
1. Welcomes the report of the Executive Director on digital inclusion;\n\n\
2. Encourages Member States to promote digital literacy for older persons and persons with disabilities;\n\n\
3. Requests the Executive Director to support [capacity-building] {G77+ USA-} in developing countries;\n\n\
4. Decides to remain seized of the matter.\n";

/// A new OP1 shifts every number; old OP2 keeps its words (now OP3), old OP3 is edited (now
/// OP4), old OP4 is removed.
const V2: &str = "# Draft\n\nThe Assembly,\n\n\
1. Recalls its earlier resolutions on sustainable urbanization;\n\n\
2. Welcomes the report of the Executive Director on digital inclusion;\n\n\
3. Encourages Member States to promote digital literacy for older persons and persons with disabilities;\n\n\
4. Requests the Executive Director to support [capacity-building and technology transfer] {G77+ USA-} in developing countries, within existing resources;\n";

fn comment_on(t: &TestRepo, commit: &str, para: &str, text: &str) -> String {
    let repo = t.repo();
    let source = repo.read_at(DRAFT, commit).unwrap();
    let doc = brackets::parse(&source);
    let p = doc.paragraph(para).unwrap();
    let mut store = Store::open(&t.root, DRAFT).unwrap();
    let id = store
        .add(NewComment {
            author: "Reviewer".into(),
            actor: Some("EGY".into()),
            iteration: commit.to_string(),
            paragraph: para.to_string(),
            fingerprint: comments::fingerprint(&doc, p),
            excerpt: p.plain_text(&doc.source).chars().take(40).collect(),
            text: text.to_string(),
        })
        .id
        .clone();
    store.save().unwrap();
    id
}

#[test]
fn comments_follow_their_paragraph_across_a_renumbering_iteration() {
    let t = TestRepo::new();
    let c1 = t.commit(V1, "Zero draft");
    let same = comment_on(&t, &c1, "OP2", "literacy: add youth");
    let edited = comment_on(&t, &c1, "OP3", "which resources?");
    let removed = comment_on(&t, &c1, "OP4", "premature");
    let kept = comment_on(&t, &c1, "OP1", "welcome, not take note");
    t.commit(V2, "Rev.1 renumbers");

    let repo = t.repo();
    let doc = brackets::parse(&repo.read_at(DRAFT, "HEAD").unwrap());
    let store = Store::open(&t.root, DRAFT).unwrap();
    assert_eq!(store.comments().len(), 4);
    let anchored = comments::anchor(&repo, DRAFT, &doc, store.comments());
    let place = |id: &str| {
        anchored
            .iter()
            .find(|a| a.comment.id == id)
            .unwrap()
            .place
            .clone()
    };
    assert_eq!(
        place(&same),
        Place::Anchored {
            paragraph: "OP3".into(),
            exact: true
        }
    );
    assert_eq!(
        place(&kept),
        Place::Anchored {
            paragraph: "OP2".into(),
            exact: true
        }
    );
    assert_eq!(
        place(&edited),
        Place::Anchored {
            paragraph: "OP4".into(),
            exact: false
        }
    );
    assert_eq!(place(&removed), Place::Orphaned);
    assert_eq!(comments::on_paragraph(&anchored, "OP3").count(), 1);
    assert_eq!(comments::orphaned(&anchored).count(), 1);
    // In the iteration it was made on, each comment sits where it was made.
    let old = brackets::parse(&repo.read_at(DRAFT, &c1).unwrap());
    for a in comments::anchor(&repo, DRAFT, &old, store.comments()) {
        assert_eq!(a.place.paragraph(), Some(a.comment.paragraph.as_str()));
    }
}

#[test]
fn replies_resolution_prefixes_and_atomic_writes() {
    let t = TestRepo::new();
    let c1 = t.commit(V1, "Zero draft");
    let id = comment_on(&t, &c1, "OP2", "first");
    let mut store = Store::open(&t.root, DRAFT).unwrap();
    store.reply(&id[..5], "Chair", "noted").unwrap();
    store.resolve(&id, "Chair").unwrap();
    store.save().unwrap();
    let again = Store::open(&t.root, DRAFT).unwrap();
    let c = &again.comments()[0];
    assert_eq!(c.status, Status::Resolved);
    assert_eq!(c.resolved_by.as_deref(), Some("Chair"));
    assert_eq!(c.replies[0].text, "noted");
    assert!(matches!(
        again.find("zzz"),
        Err(CommentsError::NotFound { .. })
    ));
    // No temporary file is left beside the comments file.
    let leftovers: Vec<String> = std::fs::read_dir(t.root.join("res"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let (found, i) = comments::find_comment(&t.root, &id[..4]).unwrap();
    assert_eq!(found.comments()[i].id, id);
    assert_eq!(comments::drafts_with_comments(&t.root), [DRAFT]);
}

#[test]
fn a_corrupt_comments_file_is_reported_and_never_overwritten() {
    let t = TestRepo::new();
    t.commit(V1, "Zero draft");
    let file = t.root.join(comments::path_for(DRAFT));
    std::fs::write(&file, "{\"version\": 1, \"draft\": ").unwrap();
    match Store::open(&t.root, DRAFT) {
        Err(e @ CommentsError::Corrupt { .. }) => {
            assert!(e.to_string().contains(&file.display().to_string()), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Reading reports it; a change sets it aside, never overwrites it, and recovers what it can.
    let out = t.run(&["comment", "list", DRAFT]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("draft.md.comments.json"), "{err}");
    assert!(err.contains("never overwritten"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"version\": 1, \"draft\": "
    );
    let out = t.run(&["comment", "add", DRAFT, "OP1", "a comment"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not be read: it was kept as"), "{err}");
    let aside: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(".comments.json.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read_to_string(aside[0].path()).unwrap(),
        "{\"version\": 1, \"draft\": "
    );
    assert_eq!(Store::open(&t.root, DRAFT).unwrap().comments().len(), 1);
    // Damage it again for the index.
    std::fs::write(&file, "{\"version\": 1, \"draft\": ").unwrap();
    // The index reports it and goes on.
    let repo = t.repo();
    let mut index = brackets::index::Index::open(&repo).unwrap();
    let mut notices = Vec::new();
    index
        .update(&repo, &mut |p| {
            if let brackets::index::Progress::Notice(n) = p {
                notices.push(n.to_string());
            }
        })
        .unwrap();
    assert!(
        notices.iter().any(|n| n.contains("comments.json")),
        "{notices:?}"
    );
}

#[test]
fn the_comment_commands() {
    let t = TestRepo::new();
    t.commit(V1, "Zero draft");
    let out = t.run(&[
        "comment",
        "add",
        DRAFT,
        "OP2",
        "add youth",
        "--actor",
        "egy",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = added["id"].as_str().unwrap().to_string();
    assert_eq!(added["actor"], "EGY");
    assert_eq!(added["author"], "tester");
    assert_eq!(added["paragraph"], "OP2");

    let out = t.run(&["comment", "add", DRAFT, "OP9", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no paragraph OP9"));

    t.commit(V2, "Rev.1");
    let out = t.run(&["comment", "list", DRAFT, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["comments"][0]["place"]["paragraph"], "OP3");
    assert_eq!(list["comments"][0]["place"]["anchor"], "anchored");
    let out = t.run(&["comment", "list", DRAFT]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("OP3 (was OP2)") && text.contains("add youth"),
        "{text}"
    );

    let out = t.run(&["comment", "resolve", &id[..6]]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = t.run(&["comment", "list", DRAFT]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("No open comments"));
    let out = t.run(&["comment", "list", DRAFT, "--all", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["comments"][0]["status"], "resolved");
    let out = t.run(&["comment", "resolve", "cffffffff"]);
    assert_eq!(out.status.code(), Some(1));
}
