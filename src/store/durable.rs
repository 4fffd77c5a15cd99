//! What makes a store on disk trustworthy after a fault: it is created whole or
//! not at all, and it remembers how many articles it reported stored.
//!
//! RocksDB appends every commit to a write-ahead log and only later writes it
//! into table files. The log is not synced after each commit, and when its end
//! is damaged RocksDB recovers the readable part without saying so
//! (point-in-time recovery): a commit that lives only in the log can vanish
//! silently. So [`super::Store::sync`] flushes each reported batch into synced
//! table files, after which the log holds nothing that was reported, and writes
//! the article count to [`LEDGER`] beside them. Opening compares the store with
//! that count, so a store that lost reported articles (a damaged log or table
//! file, a folder copied without its log) is an error that says how to recover,
//! never a smaller store that looks whole.
//!
//! Removing articles (`musubi remove`, `ingest --replace`) is the one write
//! that lowers the count, so it lowers the ledger first ([`lower`]), then
//! commits, then syncs: the ledger never claims more than the store holds,
//! whether the process dies before the commit, after it, or not at all, and
//! a reader that opened the store as the removal committed reads the ledger
//! again before it calls anything lost.
//!
//! A new store is made in a hidden folder next to its final place and renamed
//! into place once RocksDB has created its column families and synced them, so
//! a kill or a full disk during creation leaves either no store or a whole one.
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::store::{StorageError, Store as OxStore};

use super::open_error;
use crate::error::{Error, Result};

/// The file in a store folder that holds the number of articles last synced.
pub const LEDGER: &str = "musubi-stored-articles";

/// The number of articles the store reported stored, if it ever synced. Read
/// before RocksDB opens the store: an ingest running meanwhile only raises it,
/// and whatever it synced before is in what RocksDB then opens.
pub(super) fn claimed(path: &Path) -> Result<Option<usize>> {
    let file = path.join(LEDGER);
    match std::fs::read_to_string(&file) {
        Ok(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| Error::StoreState {
                path: path.to_path_buf(),
                problem: format!(
                    "{} is not an article count (delete it to accept the store as it is)",
                    file.display()
                ),
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(file, e)),
    }
}

/// Fails with [`Error::LostArticles`] when the store holds fewer articles
/// (`found`) than it claimed before it was opened.
pub(super) fn check(found: usize, path: &Path, claimed: Option<usize>) -> Result<()> {
    let Some(claimed) = claimed else {
        return Ok(());
    };
    // A removal lowers the ledger before it commits: one that committed after
    // the first reading shows in a second one.
    let claimed = match claimed {
        c if found < c => self::claimed(path)?.unwrap_or(0).min(c),
        c => c,
    };
    if found < claimed {
        return Err(Error::LostArticles {
            store: path.to_path_buf(),
            found,
            reported: claimed,
            log: newest_log(path),
        });
    }
    Ok(())
}

/// Before a commit that removes `removed` articles: lowers the recorded count
/// by as many, so that it stays at most what the store holds after the commit
/// (and before it). Only articles that were synced are counted, so what the
/// removal takes from them is at most `removed`.
pub(super) fn lower(path: &Path, removed: usize) -> Result<()> {
    match claimed(path)? {
        Some(c) if removed > 0 => record(path, c.saturating_sub(removed)),
        _ => Ok(()),
    }
}

/// Writes the article count, synced, replacing the old one in one rename.
pub(super) fn record(path: &Path, articles: usize) -> Result<()> {
    let file = path.join(LEDGER);
    let partial = path.join(format!("{LEDGER}.partial"));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&partial)?;
        writeln!(f, "{articles}")?;
        f.sync_all()?;
        std::fs::rename(&partial, &file)?;
        sync_dir(path)
    };
    write().map_err(|e| Error::io(file, e))
}

/// Creates an empty store at `path` (which must not exist, or be an empty
/// folder) through a hidden folder beside it and one rename.
pub(super) fn create(path: &Path) -> Result<()> {
    if path.exists() {
        let empty = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::StoreState {
                path: path.to_path_buf(),
                problem: "a folder that is not a musubi store (it has no CURRENT file); \
                          give a new or empty folder"
                    .into(),
            });
        }
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Err(Error::StoreState {
            path: path.to_path_buf(),
            problem: "cannot create a store there (give a folder name)".into(),
        });
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    remove_abandoned(parent, name);
    let partial = parent.join(format!(".{name}.creating-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    let made = (|| -> Result<()> {
        // Opening creates the column families and writes the version key, and
        // oxigraph flushes that; dropping closes the files.
        drop(OxStore::open(&partial).map_err(|e| open_error(&partial, e))?);
        record(&partial, 0)?;
        std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))?;
        sync_dir(parent).map_err(|e| Error::io(parent, e))
    })();
    match made {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            if path.join("CURRENT").exists() {
                // Another process created it meanwhile; opening settles who writes.
                Ok(())
            } else {
                Err(e)
            }
        }
    }
}

/// Removes the hidden creation folders of processes that died while creating
/// the store `name` (Linux only, where /proc tells which processes live).
fn remove_abandoned(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.creating-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The file that reading processes hold a shared lock on for as long as they
/// read, and the writer holds exclusively while it writes and syncs a batch.
/// RocksDB does not support opening a store read-only while another process
/// writes it: the reader replays a log and reads a file list that change under
/// it, and can fail or read garbage (once, 21 GB of it). So reads and batch
/// writes take turns: a reader sees the store as of the last synced batch, and
/// the writer waits between batches while anyone reads.
const READERS_LOCK: &str = "musubi.readers";

/// Takes the readers' shared lock of the store at `path`, waiting for a batch
/// being written to finish. `None` when the lock file cannot be made (a store
/// on read-only media, which nobody writes either).
pub(super) fn start_reading(path: &Path) -> Result<Option<std::fs::File>> {
    let lock_path = path.join(READERS_LOCK);
    let opened = lock_file(&lock_path).or_else(|_| std::fs::File::open(&lock_path));
    let Ok(file) = opened else {
        return Ok(None);
    };
    file.lock_shared().map_err(|e| Error::io(&lock_path, e))?;
    Ok(Some(file))
}

/// Takes the readers' lock of the store at `path` exclusively, for writing one
/// batch: waits for the processes reading it, and calls `waiting` first if
/// there are any. The lock is released when the returned file is dropped.
pub(super) fn start_writing(path: &Path, waiting: impl FnOnce()) -> Result<std::fs::File> {
    let lock_path = path.join(READERS_LOCK);
    let file = lock_file(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock().map_err(|e| Error::io(&lock_path, e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
    }
    Ok(file)
}

/// Opens the file at `lock_path`, creating it empty if missing, for a file
/// lock (its contents are never read or written).
pub(super) fn lock_file(lock_path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
}

/// Opens a read-only view of the store at `path` with `open` (RocksDB's
/// read-only opening, then the checks that read it). RocksDB reads the list of
/// table files and opens them lazily; the writer's background compaction may
/// delete some in between, and the reading then fails as if a file were lost.
/// That is a race, not damage: when another process held the writer lock
/// (`lock`) as the opening began or holds it now, such a failure is tried again with a fresh list, and reported as
/// [`Error::StoreChanging`] if it persists.
pub(super) fn open_read_only<T>(
    path: &Path,
    lock: &Path,
    mut open: impl FnMut() -> Result<T>,
) -> Result<T> {
    const ATTEMPTS: u32 = 8;
    // A writer that ends while the opening fails leaves a quiet store that the
    // next attempt reads whole.
    let writer_was_running = writer_running(lock);
    let mut attempt = 1;
    loop {
        match open() {
            Err(e) if is_lost_file(&e) && (writer_was_running || writer_running(lock)) => {
                if attempt == ATTEMPTS {
                    return Err(Error::StoreChanging(path.to_path_buf()));
                }
                std::thread::sleep(std::time::Duration::from_millis(25 << attempt.min(5)));
                attempt += 1;
            }
            opened => return opened,
        }
    }
}

/// Whether `e` says a table file is missing: what a reader meets when the
/// writer compacts files away under it.
fn is_lost_file(e: &Error) -> bool {
    match e {
        Error::StoreDamaged { source, .. } | Error::Store { source, .. } => {
            matches!(source, StorageError::Corruption(_) | StorageError::Io(_))
                && source.to_string().contains("No such file")
        }
        _ => false,
    }
}

/// Whether another process holds the writer lock file `lock`.
pub(super) fn writer_running(lock: &Path) -> bool {
    std::fs::File::open(lock)
        .is_ok_and(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
}

/// True for the errors RocksDB gives on a store whose creation never finished:
/// column families missing, or no version key (which a read-only opening cannot
/// write).
pub(super) fn is_unfinished_creation(e: &StorageError) -> bool {
    let msg = e.to_string();
    msg.contains("Column family not found") || msg.contains("only possible on read-write")
}

/// The write-ahead log RocksDB wrote last: the `*.log` file with the highest number.
fn newest_log(path: &Path) -> Option<PathBuf> {
    std::fs::read_dir(path)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let number: u64 = name.strip_suffix(".log")?.parse().ok()?;
            Some((number, e.path()))
        })
        .max()
        .map(|(_, p)| p)
}

/// Makes a rename or a new file in `dir` survive an OS crash.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}
