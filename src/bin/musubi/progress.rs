//! Progress of an ingest, told from the work done: articles and megabytes per
//! second since the start, and the time left from the bytes still to read.
//! Articles reach the writer a batch at a time, so a rate averaged over the
//! whole run is the one that holds; a rate of the last few ticks swings with
//! every batch.
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar over a known list of files with known sizes.
pub struct Progress {
    bar: Option<ProgressBar>,
    sizes: Vec<u64>,
    total_bytes: u64,
    done: usize,
    done_bytes: u64,
    started: Instant,
}

impl Progress {
    /// A bar for `sizes` (one per file, in order); hidden for a single file.
    pub fn new(sizes: Vec<u64>) -> Progress {
        let bar = (sizes.len() > 1).then(|| {
            let pb = ProgressBar::new(sizes.len() as u64);
            pb.set_style(
                ProgressStyle::with_template("{bar:32} {pos}/{len} articles {msg}")
                    .expect("valid template"),
            );
            pb
        });
        Progress {
            bar,
            total_bytes: sizes.iter().sum(),
            sizes,
            done: 0,
            done_bytes: 0,
            started: Instant::now(),
        }
    }

    /// One more file has been handled (stored, skipped or failed).
    pub fn advance(&mut self) {
        self.done_bytes += self.sizes.get(self.done).copied().unwrap_or(0);
        self.done += 1;
        if let Some(pb) = &self.bar {
            pb.set_position(self.done as u64);
            pb.set_message(self.rates());
        }
    }

    /// `12.3 articles/s, 0.85 MB/s, 1m 05s left`.
    fn rates(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let per_sec = self.done as f64 / secs;
        let bytes_per_sec = self.done_bytes as f64 / secs;
        let left = if bytes_per_sec > 0.0 {
            let rest = self.total_bytes.saturating_sub(self.done_bytes) as f64;
            format_duration(Duration::from_secs_f64(rest / bytes_per_sec))
        } else {
            "?".into()
        };
        format!(
            "{per_sec:.1} articles/s, {:.2} MB/s, {left} left",
            bytes_per_sec / 1e6
        )
    }

    /// Runs `f` with the bar out of the way, so its lines are not overwritten.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(pb) => pb.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(pb) = &self.bar {
            pb.finish_and_clear();
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

/// `4s`, `1m 05s`, `2h 03m`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(format_duration(Duration::from_secs(4)), "4s");
        assert_eq!(format_duration(Duration::from_secs(65)), "1m 05s");
        assert_eq!(format_duration(Duration::from_secs(7380)), "2h 03m");
    }

    #[test]
    fn the_rate_is_the_work_done_over_the_time_taken() {
        let mut p = Progress::new(vec![1_000_000, 1_000_000, 2_000_000]);
        p.started = Instant::now() - Duration::from_secs(2);
        p.advance();
        p.advance();
        // 2 articles and 2 MB in 2 s; 2 MB left at 1 MB/s.
        let r = p.rates();
        assert!(r.starts_with("1.0 articles/s, 1.00 MB/s, "), "{r}");
        assert!(r.ends_with("2s left"), "{r}");
    }
}
