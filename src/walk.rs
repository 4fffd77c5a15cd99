//! Finding the files to ingest: each file named, and every `*.txt` below each
//! folder named, in path order, each file once.
//!
//! Folders are walked with `walkdir`, following symbolic links (a corpus may
//! link its parts in) but detecting loops: a link back to a folder being walked
//! is noted and not entered. A file reached twice (through two links, or named
//! and also inside a named folder) is read once, under the path that sorts
//! first. A folder or file that cannot be read is reported and the walk goes
//! on, so one unreadable subfolder does not keep the rest from being stored.
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The files to read, sorted by path, each once.
    pub files: Vec<PathBuf>,
    /// Folders and files that could not be read, one error each.
    pub unreadable: Vec<Error>,
    /// Links that lead back into a folder being walked: (link, the folder).
    pub loops: Vec<(PathBuf, PathBuf)>,
}

/// Walks `paths`. A path that does not exist, or a folder that holds no `*.txt`
/// file at all, is an error: a typo should not look like an empty corpus.
pub fn article_files(paths: &[PathBuf]) -> Result<Walk> {
    let mut walk = Walk::default();
    let mut found: Vec<(PathBuf, Option<FileKey>)> = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io(p, e))?;
        if !meta.is_dir() {
            found.push((p.clone(), FileKey::of(&meta)));
            continue;
        }
        let before = found.len();
        let unreadable_before = walk.unreadable.len();
        for entry in walkdir::WalkDir::new(p).follow_links(true) {
            match entry {
                Ok(e) => {
                    // Not only regular files: a named pipe is read as what it carries.
                    let txt = e.path().extension().is_some_and(|x| x == "txt");
                    if txt && !e.file_type().is_dir() {
                        let key = e.metadata().ok().and_then(|m| FileKey::of(&m));
                        found.push((e.into_path(), key));
                    }
                }
                Err(e) => {
                    let at = e.path().map(Path::to_path_buf).unwrap_or_else(|| p.clone());
                    if let Some(ancestor) = e.loop_ancestor() {
                        walk.loops.push((at, ancestor.to_path_buf()));
                    } else {
                        let source = e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("cannot be read"));
                        walk.unreadable.push(Error::io(at, source));
                    }
                }
            }
        }
        if found.len() == before && walk.unreadable.len() == unreadable_before {
            return Err(Error::bad_input(p, "no *.txt files in this folder"));
        }
    }
    found.sort();
    let mut seen = HashSet::new();
    for (path, key) in found {
        if key.is_none_or(|k| seen.insert(k)) {
            walk.files.push(path);
        }
    }
    Ok(walk)
}

/// What identifies a file whatever the path it is reached by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct FileKey {
    device: u64,
    inode: u64,
}

impl FileKey {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<FileKey> {
        use std::os::unix::fs::MetadataExt;
        Some(FileKey {
            device: meta.dev(),
            inode: meta.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Option<FileKey> {
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn loops_are_noted_and_every_file_is_listed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/one.txt"), "一").unwrap();
        std::fs::write(root.join("a/b/two.txt"), "二").unwrap();
        symlink(&root, root.join("a/b/up")).unwrap();
        symlink(root.join("a"), root.join("a/b/again")).unwrap();
        symlink(root.join("a/one.txt"), root.join("a/b/same.txt")).unwrap();
        let walk = article_files(std::slice::from_ref(&root)).unwrap();
        assert_eq!(
            walk.files,
            [root.join("a/b/same.txt"), root.join("a/b/two.txt")],
        );
        assert_eq!(walk.loops.len(), 2, "{:?}", walk.loops);
        assert!(walk.unreadable.is_empty());
    }
}
