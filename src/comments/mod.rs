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
//! Writes are atomic (a temporary file in the same folder, then a rename). A file that cannot
//! be read is reported with its path and never overwritten.

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
        "the comments file {path} cannot be read: {why}; fix or move it (brackets will not overwrite it)"
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
        let file = match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice::<File>(&bytes).map_err(|e| CommentsError::Corrupt {
                    path: path.clone(),
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
                    path,
                    cause,
                });
            }
        };
        if file.version > VERSION {
            return Err(CommentsError::Corrupt {
                path,
                why: format!(
                    "it was written by a newer brackets (format {}, this one reads {VERSION})",
                    file.version
                ),
            });
        }
        Ok(Store { path, file })
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
        let c = &mut self.file.comments[i];
        c.replies.push(Reply {
            author: author.to_string(),
            created: now().0,
            text: text.to_string(),
        });
        Ok(&self.file.comments[i])
    }

    pub fn resolve(&mut self, id: &str, by: &str) -> Result<&Comment> {
        let i = self.find(id)?;
        let c = &mut self.file.comments[i];
        c.status = Status::Resolved;
        c.resolved_by = Some(by.to_string());
        c.resolved_at = Some(now().0);
        Ok(&self.file.comments[i])
    }

    pub fn reopen(&mut self, id: &str) -> Result<&Comment> {
        let i = self.find(id)?;
        let c = &mut self.file.comments[i];
        c.status = Status::Open;
        c.resolved_by = None;
        c.resolved_at = None;
        Ok(&self.file.comments[i])
    }

    /// Writes the file atomically: a temporary file beside it, flushed, then renamed over it.
    pub fn save(&self) -> Result<()> {
        let io = |action: &'static str, path: &Path| {
            let path = path.to_path_buf();
            move |cause| CommentsError::Io {
                action,
                path,
                cause,
            }
        };
        let mut json = serde_json::to_vec_pretty(&self.file).map_err(|e| CommentsError::Io {
            action: "write",
            path: self.path.clone(),
            cause: std::io::Error::other(e),
        })?;
        json.push(b'\n');
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "comments".into());
        let tmp = dir.join(format!(".{name}.tmp-{}-{}", std::process::id(), now().1));
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()
        };
        if let Err(cause) = write() {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write", &tmp)(cause));
        }
        if let Err(cause) = std::fs::rename(&tmp, &self.path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io("write", &self.path)(cause));
        }
        Ok(())
    }
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
        let store = Store::open(root, &draft)?;
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
