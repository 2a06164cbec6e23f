//! Reviewers' comments on paragraphs, stored as JSON beside the draft in the repository
//! (`<draft>.comments.json`, e.g. `resolution/people-centred-smart-cities.md.comments.json`),
//! so they are versioned and shared with it.
//!
//! A comment records the iteration it was made on, the paragraph id and a fingerprint of the
//! paragraph's words. In a later iteration it is found again by its fingerprint (the same
//! words under any id), or else through the paragraph alignment of [`crate::diff`] between its
//! iteration and the later one (renumbered, edited, split or merged paragraphs); a comment
//! whose paragraph was removed is kept and listed as orphaned, never dropped.
//!
//! Writes are atomic (a temporary file in the same folder, then a rename) and made under a
//! lock ([`lock`]): the file is read again under the lock and this process's changes replayed
//! on what is there, so two processes commenting at once both keep their comments. A file
//! that cannot be read is reported with its path by [`Store::open`]; a change made to it sets
//! the damaged file aside (`<draft>.comments.json.corrupt-<time>`, never deleted) and starts
//! again from every comment that can still be read in it ([`salvage`]).

use crate::model::Document;
use crate::repo::Repo;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What is appended to a draft's path to name its comments file.
pub const SUFFIX: &str = ".comments.json";
const VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CommentsError {
    #[error(
        "the comments file {path} cannot be read: {why}; fix it, or add a comment: brackets then keeps it aside as {path}.corrupt-<time> (never overwritten) and recovers every comment it can read"
    )]
    Corrupt { path: PathBuf, why: String },
    #[error("cannot {action} {path}: {cause}")]
    Io {
        action: &'static str,
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("no comment has the id {id}")]
    NotFound { id: String },
    #[error("the id {id} is ambiguous: it starts {}", .matches.join(", "))]
    Ambiguous { id: String, matches: Vec<String> },
    #[error(
        "another brackets process has been writing {path} for {waited_ms} ms (lock {lock}); try again when it has finished"
    )]
    Busy {
        path: PathBuf,
        lock: PathBuf,
        waited_ms: u64,
    },
}

pub type Result<T, E = CommentsError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Resolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Resolved => "resolved",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    /// RFC 3339.
    pub created: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// `c` and eight hex digits; commands accept any unique prefix.
    pub id: String,
    pub author: String,
    /// The delegation the comment speaks for, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// RFC 3339.
    pub created: String,
    /// The commit of the iteration it was made on.
    pub iteration: String,
    /// The paragraph's id in that iteration.
    pub paragraph: String,
    /// Hash of the paragraph's words in that iteration (see [`fingerprint`]).
    pub fingerprint: String,
    /// The start of the paragraph's words, so an orphaned comment still says what it was on.
    #[serde(default)]
    pub excerpt: String,
    pub text: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub replies: Vec<Reply>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct File {
    version: u32,
    draft: String,
    comments: Vec<Comment>,
}

/// The comments file of a draft: `<draft>.comments.json`, `/`-separated, inside the repository.
pub fn path_for(draft: &str) -> String {
    format!("{draft}{SUFFIX}")
}

/// A hash of the comments file's bytes (0 when there is none), to tell when it changed.
pub fn file_hash(root: &Path, draft: &str) -> Result<u64> {
    let path = root.join(path_for(draft));
    match std::fs::read(&path) {
        Ok(bytes) => {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            Ok(h.max(1))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(cause) => Err(CommentsError::Io {
            action: "read",
            path,
            cause,
        }),
    }
}

/// The paragraph's words, lower-cased with spaces collapsed, hashed: equal for the same words
/// whatever the id, brackets or attributions.
pub fn fingerprint(doc: &Document, paragraph: &crate::model::Paragraph) -> String {
    let words: Vec<String> = paragraph
        .plain_text(&doc.source)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let joined = words.join(" ");
    format!("{:016x}", crate::index::schema::hash(&[&joined]))
}

/// What a new comment says and where.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub author: String,
    pub actor: Option<String>,
    pub iteration: String,
    pub paragraph: String,
    pub fingerprint: String,
    pub excerpt: String,
    pub text: String,
}

/// The comments of one draft.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    file: File,
    /// The changes made since the file was read, replayed on the file as it is when saving.
    pending: Vec<Op>,
}

/// One change to a comments file.
#[derive(Debug, Clone)]
enum Op {
    Add(Box<Comment>),
    Reply(String, Reply),
    Resolve { id: String, by: String, at: String },
    Reopen(String),
}

impl Op {
    fn apply(&self, file: &mut File) {
        let find = |file: &mut File, id: &str| file.comments.iter().position(|c| c.id == id);
        match self {
            Op::Add(c) => {
                if find(file, &c.id).is_none() {
                    file.comments.push((**c).clone());
                }
            }
            Op::Reply(id, r) => {
                if let Some(i) = find(file, id) {
                    file.comments[i].replies.push(r.clone());
                }
            }
            Op::Resolve { id, by, at } => {
                if let Some(i) = find(file, id) {
                    let c = &mut file.comments[i];
                    c.status = Status::Resolved;
                    c.resolved_by = Some(by.clone());
                    c.resolved_at = Some(at.clone());
                }
            }
            Op::Reopen(id) => {
                if let Some(i) = find(file, id) {
                    let c = &mut file.comments[i];
                    c.status = Status::Open;
                    c.resolved_by = None;
                    c.resolved_at = None;
                }
            }
        }
    }
}

/// What [`Store::save`] did besides writing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    /// The file on disk could not be read: it was renamed to this path (kept, never deleted)
    /// and the new file holds every comment that could be read from it plus the changes.
    pub set_aside: Option<PathBuf>,
    /// Comments recovered from the damaged file.
    pub salvaged: usize,
}

impl Saved {
    /// A sentence for the user when something was set aside.
    pub fn notice(&self) -> Option<String> {
        self.set_aside.as_ref().map(|p| {
            format!(
                "the comments file could not be read: it was kept as {} and {} comment{} recovered from it",
                p.display(),
                self.salvaged,
                if self.salvaged == 1 { " was" } else { "s were" }
            )
        })
    }
}

/// Every comment that can be read in a damaged comments file (a truncated file, a merge
/// conflict, a hand edit gone wrong): each JSON object in it that is a whole comment, once per
/// id (the first one, or the one with more replies).
pub fn salvage(bytes: &[u8]) -> Vec<Comment> {
    let mut out: Vec<Comment> = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'{', &bytes[i..]) {
        let at = i + k;
        let mut stream = serde_json::Deserializer::from_slice(&bytes[at..]).into_iter::<Comment>();
        match stream.next() {
            Some(Ok(c)) if !c.id.is_empty() => {
                i = at + stream.byte_offset().max(1);
                match out.iter().position(|o| o.id == c.id) {
                    Some(j) if out[j].replies.len() < c.replies.len() => out[j] = c,
                    Some(_) => {}
                    None => out.push(c),
                }
            }
            _ => i = at + 1,
        }
    }
    out
}

/// Held while a comments file is read and written; released when dropped (or when the process
/// dies: it is an advisory lock on a file under the git directory, never a stale lock file).
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

/// How long [`lock`] waits for another process before giving up.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Where the lock of a comments file lives: `<git dir>/brackets/locks/`, or beside the file
/// outside a repository.
fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "comments".into());
    let dir = path.parent().unwrap_or(Path::new("."));
    // One lock per file however its path is spelt (`a/../a`, a symlinked folder).
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let dir = dir.as_path();
    match git2::Repository::discover(dir) {
        Ok(git) => {
            let key = crate::index::schema::hash(&[&dir.join(&name).to_string_lossy()]);
            git.path()
                .join("brackets/locks")
                .join(format!("comments-{key:016x}.lock"))
        }
        Err(_) => dir.join(format!(".{name}.lock")),
    }
}

/// Takes the lock of the comments file at `path`, waiting up to [`LOCK_WAIT`] for another
/// process (`waiting` is told once, when it must wait).
pub fn lock(path: &Path, waiting: &mut dyn FnMut(&str)) -> Result<Lock> {
    lock_within(path, LOCK_WAIT, waiting)
}

/// [`lock`], giving up after `wait` with [`CommentsError::Busy`].
pub fn lock_within(
    path: &Path,
    wait: std::time::Duration,
    waiting: &mut dyn FnMut(&str),
) -> Result<Lock> {
    let lock = lock_path(path);
    let file = crate::lockfile::acquire(
        &lock,
        wait,
        std::time::Duration::from_millis(10),
        &mut || {
            waiting(&format!(
                "waiting for another brackets process writing {}",
                path.display()
            ))
        },
    )
    .map_err(|failure| match failure {
        crate::lockfile::LockFailure::Io {
            action,
            path,
            cause,
        } => CommentsError::Io {
            action,
            path,
            cause,
        },
        crate::lockfile::LockFailure::Busy { waited } => CommentsError::Busy {
            path: path.to_path_buf(),
            lock: lock.clone(),
            waited_ms: waited.as_millis() as u64,
        },
    })?;
    Ok(Lock { _file: file })
}

fn now() -> (String, u128) {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (
        crate::repo::time::format_rfc3339(d.as_secs() as i64, 0),
        d.as_nanos(),
    )
}

impl Store {
    /// The comments of `draft` (a path inside the repository at `root`); none when the file
    /// does not exist yet.
    pub fn open(root: &Path, draft: &str) -> Result<Store> {
        let path = root.join(path_for(draft));
        let file = read_file(&path, draft)?;
        Ok(Store {
            path,
            file,
            pending: Vec::new(),
        })
    }

    /// Like [`Store::open`], but a file that cannot be read gives the comments that can still
    /// be read in it ([`salvage`]) instead of an error: for changing it, since [`Store::save`]
    /// sets the damaged file aside. A file written by a newer brackets is still an error.
    pub fn open_repairing(root: &Path, draft: &str) -> Result<Store> {
        match Store::open(root, draft) {
            Err(CommentsError::Corrupt { path, why }) => {
                let bytes = std::fs::read(&path).map_err(|cause| CommentsError::Io {
                    action: "read",
                    path: path.clone(),
                    cause,
                })?;
                if newer_version(&bytes) {
                    return Err(CommentsError::Corrupt { path, why });
                }
                Ok(Store {
                    path,
                    file: File {
                        version: VERSION,
                        draft: draft.to_string(),
                        comments: salvage(&bytes),
                    },
                    pending: Vec::new(),
                })
            }
            other => other,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn draft(&self) -> &str {
        &self.file.draft
    }

    pub fn comments(&self) -> &[Comment] {
        &self.file.comments
    }

    /// Adds a comment (not saved until [`Store::save`]) and returns it.
    pub fn add(&mut self, new: NewComment) -> &Comment {
        let (created, nanos) = now();
        let mut n = 0u32;
        let id = loop {
            let h = crate::index::schema::hash(&[
                &self.file.draft,
                &new.author,
                &new.text,
                &nanos.to_string(),
                &n.to_string(),
            ]);
            let id = format!("c{:08x}", h as u32);
            if !self.file.comments.iter().any(|c| c.id == id) {
                break id;
            }
            n += 1;
        };
        self.file.comments.push(Comment {
            id,
            author: new.author,
            actor: new.actor,
            created,
            iteration: new.iteration,
            paragraph: new.paragraph,
            fingerprint: new.fingerprint,
            excerpt: new.excerpt,
            text: new.text,
            status: Status::Open,
            resolved_by: None,
            resolved_at: None,
            replies: Vec::new(),
        });
        let last = self.file.comments.len() - 1;
        self.pending
            .push(Op::Add(Box::new(self.file.comments[last].clone())));
        &self.file.comments[last]
    }

    /// The index of the comment whose id is `id` or starts with it (uniquely).
    pub fn find(&self, id: &str) -> Result<usize> {
        if let Some(i) = self.file.comments.iter().position(|c| c.id == id) {
            return Ok(i);
        }
        let matches: Vec<usize> = self
            .file
            .comments
            .iter()
            .enumerate()
            .filter(|(_, c)| !id.is_empty() && c.id.starts_with(id))
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(CommentsError::NotFound { id: id.to_string() }),
            many => Err(CommentsError::Ambiguous {
                id: id.to_string(),
                matches: many
                    .iter()
                    .map(|&i| self.file.comments[i].id.clone())
                    .collect(),
            }),
        }
    }

    pub fn reply(&mut self, id: &str, author: &str, text: &str) -> Result<&Comment> {
        let i = self.find(id)?;
        let reply = Reply {
            author: author.to_string(),
            created: now().0,
            text: text.to_string(),
        };
        let op = Op::Reply(self.file.comments[i].id.clone(), reply);
        op.apply(&mut self.file);
        self.pending.push(op);
        Ok(&self.file.comments[i])
    }

    pub fn resolve(&mut self, id: &str, by: &str) -> Result<&Comment> {
        let i = self.find(id)?;
        let op = Op::Resolve {
            id: self.file.comments[i].id.clone(),
            by: by.to_string(),
            at: now().0,
        };
        op.apply(&mut self.file);
        self.pending.push(op);
        Ok(&self.file.comments[i])
    }

    pub fn reopen(&mut self, id: &str) -> Result<&Comment> {
        let i = self.find(id)?;
        let op = Op::Reopen(self.file.comments[i].id.clone());
        op.apply(&mut self.file);
        self.pending.push(op);
        Ok(&self.file.comments[i])
    }

    /// Saves the changes made since the file was read: under the file's [`lock`], the file is
    /// read again, the changes are replayed on what is there (another process may have added
    /// comments meanwhile), and the result is written atomically (a temporary file beside it,
    /// synced, then renamed over it). A file on disk that cannot be read is set aside first,
    /// never overwritten. Waits up to [`LOCK_WAIT`] for another process.
    pub fn save(&mut self) -> Result<Saved> {
        self.save_waiting(&mut |_| {})
    }

    /// [`Store::save`], telling `waiting` when another process holds the lock.
    pub fn save_waiting(&mut self, waiting: &mut dyn FnMut(&str)) -> Result<Saved> {
        let _lock = lock(&self.path, waiting)?;
        let mut saved = Saved::default();
        let draft = self.file.draft.clone();
        let mut file = match read_file(&self.path, &draft) {
            Ok(f) => f,
            Err(CommentsError::Corrupt { path, why }) => {
                let bytes = std::fs::read(&path).map_err(|cause| CommentsError::Io {
                    action: "read",
                    path: path.clone(),
                    cause,
                })?;
                if newer_version(&bytes) {
                    return Err(CommentsError::Corrupt { path, why });
                }
                let comments = salvage(&bytes);
                saved.salvaged = comments.len();
                saved.set_aside = Some(set_aside(&path)?);
                File {
                    version: VERSION,
                    draft: draft.clone(),
                    comments,
                }
            }
            Err(e) => return Err(e),
        };
        for op in &self.pending {
            op.apply(&mut file);
        }
        remove_stale_temporaries(&self.path);
        write_atomically(&self.path, &file)?;
        self.file = file;
        self.pending.clear();
        Ok(saved)
    }
}

/// Reads and checks a comments file; an empty one when it does not exist.
fn read_file(path: &Path, draft: &str) -> Result<File> {
    let file = match std::fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice::<File>(&bytes).map_err(|e| CommentsError::Corrupt {
                path: path.to_path_buf(),
                why: e.to_string(),
            })?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => File {
            version: VERSION,
            draft: draft.to_string(),
            comments: Vec::new(),
        },
        Err(cause) => {
            return Err(CommentsError::Io {
                action: "read",
                path: path.to_path_buf(),
                cause,
            });
        }
    };
    if file.version > VERSION {
        return Err(CommentsError::Corrupt {
            path: path.to_path_buf(),
            why: format!(
                "it was written by a newer brackets (format {}, this one reads {VERSION})",
                file.version
            ),
        });
    }
    Ok(file)
}

/// A file that parses as JSON with a `version` above ours: not damaged, just newer; never
/// set aside.
fn newer_version(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Head {
        version: u32,
    }
    serde_json::from_slice::<Head>(bytes).is_ok_and(|h| h.version > VERSION)
}

/// Renames a damaged comments file to `<name>.corrupt-<unix time>[-n]` beside it.
fn set_aside(path: &Path) -> Result<PathBuf> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let base = format!("{}.corrupt-{secs}", path.display());
    let mut n = 0u32;
    loop {
        let aside = if n == 0 {
            PathBuf::from(&base)
        } else {
            PathBuf::from(format!("{base}-{n}"))
        };
        if !aside.exists() {
            std::fs::rename(path, &aside).map_err(|cause| CommentsError::Io {
                action: "set aside the damaged comments file",
                path: path.to_path_buf(),
                cause,
            })?;
            return Ok(aside);
        }
        n += 1;
    }
}

/// The prefix of the temporary files [`write_atomically`] writes beside `path`.
fn temporary_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "comments".into());
    format!(".{name}.tmp-")
}

/// Temporary files left by a process killed while writing: under the lock nobody else can be
/// writing one.
fn remove_stale_temporaries(path: &Path) {
    let dir = path.parent().unwrap_or(Path::new("."));
    let prefix = temporary_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn write_atomically(path: &Path, file: &File) -> Result<()> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |cause| CommentsError::Io {
            action,
            path,
            cause,
        }
    };
    let mut json = serde_json::to_vec_pretty(file).map_err(|e| CommentsError::Io {
        action: "write",
        path: path.to_path_buf(),
        cause: std::io::Error::other(e),
    })?;
    json.push(b'\n');
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        "{}{}-{}",
        temporary_prefix(path),
        std::process::id(),
        now().1
    ));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()
    };
    if let Err(cause) = write() {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("write", &tmp)(cause));
    }
    if let Err(cause) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io("write", path)(cause));
    }
    // The rename is durable once the folder is synced (not every platform opens folders).
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Every comments file in the working tree (outside hidden folders), as draft paths.
pub fn drafts_with_comments(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
        if depth > 32 {
            return;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                walk(root, &path, depth + 1, out);
            } else if let Some(draft) = name.strip_suffix(SUFFIX)
                && kind.is_file()
                && !draft.is_empty()
                && let Ok(rel) = path.strip_prefix(root)
            {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                let joined = rel.join("/");
                out.push(joined[..joined.len() - SUFFIX.len()].to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, 0, &mut out);
    out.sort();
    out
}

/// The store holding comment `id` (or a unique prefix of it), among all comments files of the
/// working tree.
pub fn find_comment(root: &Path, id: &str) -> Result<(Store, usize)> {
    let mut found: Vec<(Store, usize)> = Vec::new();
    let mut ambiguous = Vec::new();
    for draft in drafts_with_comments(root) {
        let store = Store::open_repairing(root, &draft)?;
        match store.find(id) {
            Ok(i) => found.push((store, i)),
            Err(CommentsError::Ambiguous { matches, .. }) => ambiguous.extend(matches),
            Err(_) => {}
        }
    }
    if found.len() == 1 && ambiguous.is_empty() {
        return Ok(found.remove(0));
    }
    if found.is_empty() && ambiguous.is_empty() {
        return Err(CommentsError::NotFound { id: id.to_string() });
    }
    // An exact id wins over prefixes of others.
    if let Some(k) = found.iter().position(|(s, i)| s.comments()[*i].id == id) {
        return Ok(found.swap_remove(k));
    }
    ambiguous.extend(found.iter().map(|(s, i)| s.comments()[*i].id.clone()));
    Err(CommentsError::Ambiguous {
        id: id.to_string(),
        matches: ambiguous,
    })
}

/// Where a comment stands in the iteration being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "anchor", rename_all = "snake_case")]
pub enum Place {
    /// On this paragraph. `exact`: its words are the ones commented on.
    Anchored { paragraph: String, exact: bool },
    /// Its paragraph is gone (removed, or cannot be traced).
    Orphaned,
}

impl Place {
    pub fn paragraph(&self) -> Option<&str> {
        match self {
            Place::Anchored { paragraph, .. } => Some(paragraph),
            Place::Orphaned => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Anchored<'a> {
    pub comment: &'a Comment,
    pub place: Place,
}

/// Finds each comment's paragraph in `target` (an iteration of `draft`): by fingerprint
/// first, then through the paragraph alignment between the comment's iteration and `target`.
pub fn anchor<'a>(
    repo: &Repo,
    draft: &str,
    target: &Document,
    comments: &'a [Comment],
) -> Vec<Anchored<'a>> {
    let prints: Vec<String> = target
        .paragraphs
        .iter()
        .map(|p| fingerprint(target, p))
        .collect();
    // The comment's iteration, parsed and aligned with `target` once per commit.
    let mut aligned: HashMap<String, Option<(Document, crate::diff::DocumentDiff)>> =
        HashMap::new();
    comments
        .iter()
        .map(|c| {
            let same: Vec<usize> = prints
                .iter()
                .enumerate()
                .filter(|(_, f)| **f == c.fingerprint)
                .map(|(i, _)| i)
                .collect();
            if !same.is_empty() {
                let k = same
                    .iter()
                    .copied()
                    .find(|&i| target.paragraphs[i].id == c.paragraph)
                    .unwrap_or(same[0]);
                return Anchored {
                    comment: c,
                    place: Place::Anchored {
                        paragraph: target.paragraphs[k].id.clone(),
                        exact: true,
                    },
                };
            }
            let entry = aligned.entry(c.iteration.clone()).or_insert_with(|| {
                let commit = repo.resolve_revision(&c.iteration).ok()?;
                let text = repo.read_in_commit(draft, &commit, &c.iteration).ok()?;
                let old = crate::parse(&text);
                let d = crate::diff::diff(&old, target);
                Some((old, d))
            });
            let place = match entry {
                Some((old, d)) if old.paragraph(&c.paragraph).is_some() => d
                    .changes
                    .iter()
                    .find(|ch| ch.old.contains(&c.paragraph))
                    .and_then(|ch| ch.new.first())
                    .map_or(Place::Orphaned, |id| Place::Anchored {
                        paragraph: id.clone(),
                        exact: false,
                    }),
                // The iteration cannot be read (history rewritten, or the comment was made on
                // uncommitted text): fall back on the id.
                _ => match target.paragraph(&c.paragraph) {
                    Some(p) => Place::Anchored {
                        paragraph: p.id.clone(),
                        exact: false,
                    },
                    None => Place::Orphaned,
                },
            };
            Anchored { comment: c, place }
        })
        .collect()
}

/// The comments [`anchor`] placed on paragraph `id`.
pub fn on_paragraph<'b, 'a>(
    anchored: &'b [Anchored<'a>],
    id: &'b str,
) -> impl Iterator<Item = &'b Anchored<'a>> + 'b {
    anchored
        .iter()
        .filter(move |a| a.place.paragraph() == Some(id))
}

/// The comments [`anchor`] could not place: their paragraph is gone.
pub fn orphaned<'b, 'a>(anchored: &'b [Anchored<'a>]) -> impl Iterator<Item = &'b Anchored<'a>> {
    anchored.iter().filter(|a| a.place == Place::Orphaned)
}
