//! Advisory file locks with a bounded wait, released by the system when the process dies (a
//! killed brackets leaves no lock behind): what serialises the writers of a comments file and
//! the opening of the search index.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockFailure {
    /// Creating the lock's folder, opening or locking its file failed (`action` says which).
    Io {
        action: &'static str,
        path: PathBuf,
        cause: std::io::Error,
    },
    /// Another process held the lock for the whole wait.
    Busy { waited: Duration },
}

/// Takes an exclusive lock on the file `lock` (created, with its folder, when missing), trying
/// again every `poll` until `wait` has passed. `waiting` is called once, when it must wait.
/// The lock lasts as long as the returned file stays open.
pub fn acquire(
    lock: &Path,
    wait: Duration,
    poll: Duration,
    waiting: &mut dyn FnMut(),
) -> Result<File, LockFailure> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |cause| LockFailure::Io {
            action,
            path,
            cause,
        }
    };
    if let Some(dir) = lock.parent() {
        std::fs::create_dir_all(dir).map_err(io("create the lock folder", dir))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)
        .map_err(io("open the lock", lock))?;
    let started = Instant::now();
    let mut told = false;
    loop {
        if fs4::fs_std::FileExt::try_lock_exclusive(&file).map_err(io("lock", lock))? {
            return Ok(file);
        }
        if started.elapsed() >= wait {
            return Err(LockFailure::Busy {
                waited: started.elapsed(),
            });
        }
        if !told {
            told = true;
            waiting();
        }
        std::thread::sleep(poll);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_makes_the_second_wait_then_give_up_and_is_free_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/a.lock");
        let held = acquire(&path, Duration::ZERO, Duration::ZERO, &mut || {}).unwrap();
        let mut told = 0;
        let second = acquire(
            &path,
            Duration::from_millis(30),
            Duration::from_millis(5),
            &mut || told += 1,
        );
        assert!(matches!(second, Err(LockFailure::Busy { .. })));
        assert_eq!(told, 1, "told once that it waits");
        drop(held);
        assert!(acquire(&path, Duration::ZERO, Duration::ZERO, &mut || {}).is_ok());
    }
}
