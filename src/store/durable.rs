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
//! A new store is made in a hidden folder next to its final place and renamed
//! into place once RocksDB has created its column families and synced them, so
//! a kill or a full disk during creation leaves either no store or a whole one.
use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::store::{StorageError, Store as OxStore};

use super::{open_error, Store};
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

/// Fails with [`Error::LostArticles`] when the store holds fewer articles than
/// it claimed before it was opened.
pub(super) fn check(store: &Store, path: &Path, claimed: Option<usize>) -> Result<()> {
    let Some(claimed) = claimed else {
        return Ok(());
    };
    let found = store.article_count()?;
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
