//! Validation and writing on two threads: the file is read and every row checked on a
//! helper thread while the store writes the previous rows on the caller's thread, so an
//! import takes as long as the slower of the two instead of their sum.

use std::sync::mpsc::{sync_channel, Receiver};
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use sepakat_store::{ImportSource, WriteStage};

/// Rows handed over at a time: large enough to make the channel cost nothing per row.
const BATCH: usize = 2048;
/// Batches that may wait in the channel (bounds the memory between the two threads).
const QUEUED_BATCHES: usize = 4;

/// Where the two threads of a pipelined import spent their time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PipelineTimes {
    /// The validation thread reading and checking rows.
    pub(crate) validating: Duration,
    /// The validation thread waiting for the store to take a batch (the store is slower).
    pub(crate) validation_waited: Duration,
    /// The store waiting for a batch (validation is slower).
    pub(crate) store_waited: Duration,
}

/// Runs `consume` (a store import) against `source`, validating on a second thread.
///
/// The store sees an ordinary `ImportSource`. Rows it rejects while validation is still
/// running are held and passed on when validation ends, before `commit_wanted`.
pub(crate) fn pipelined<T, S, R>(
    source: &mut S,
    consume: impl FnOnce(&mut dyn ImportSource<T>) -> R,
) -> (R, PipelineTimes)
where
    T: Send,
    S: ImportSource<T> + Send,
{
    let rows_expected = source.rows_expected();
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel::<Vec<T>>(QUEUED_BATCHES);
        let producer = scope.spawn(move || {
            let mut times = PipelineTimes::default();
            loop {
                let started = Instant::now();
                let mut batch = Vec::with_capacity(BATCH);
                while batch.len() < BATCH {
                    match source.next_valid() {
                        Some(row) => batch.push(row),
                        None => break,
                    }
                }
                let last = batch.len() < BATCH;
                let sending = Instant::now();
                times.validating += sending - started;
                // A send fails only when the store stopped reading (it failed): stop too.
                let stopped = !batch.is_empty() && sender.send(batch).is_err();
                times.validation_waited += sending.elapsed();
                if stopped || last {
                    break;
                }
            }
            (source, times)
        });
        let mut front = Front {
            receiver,
            batch: Vec::new().into_iter(),
            producer: Some(producer),
            source: None,
            held_rejects: Vec::new(),
            rows_expected,
            times: PipelineTimes::default(),
        };
        let result = consume(&mut front);
        // If the store stopped early, let validation finish before leaving the scope.
        drop(front.receiver);
        if let Some(handle) = front.producer.take() {
            let _ = handle.join();
        }
        (result, front.times)
    })
}

/// The store's side of the pipeline.
struct Front<'scope, T, S: 'scope> {
    receiver: Receiver<Vec<T>>,
    batch: std::vec::IntoIter<T>,
    producer: Option<ScopedJoinHandle<'scope, (&'scope mut S, PipelineTimes)>>,
    /// The source, once validation has ended.
    source: Option<&'scope mut S>,
    /// Store rejections made while the source was still busy validating.
    held_rejects: Vec<(u64, String, String)>,
    /// What the source said before validation started.
    rows_expected: Option<u64>,
    /// The validation thread's times (once it ended) and the store's waits.
    times: PipelineTimes,
}

impl<'scope, T, S: ImportSource<T>> Front<'scope, T, S> {
    /// Takes the source back from the finished validation thread.
    fn reclaim(&mut self) {
        if let Some(handle) = self.producer.take() {
            let (source, times) = match handle.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            self.times.validating = times.validating;
            self.times.validation_waited = times.validation_waited;
            for (row, column, message) in self.held_rejects.drain(..) {
                source.reject(row, &column, message);
            }
            self.source = Some(source);
        }
    }
}

impl<'scope, T, S: ImportSource<T>> ImportSource<T> for Front<'scope, T, S> {
    fn next_valid(&mut self) -> Option<T> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(row);
            }
            let waiting = Instant::now();
            let received = self.receiver.recv();
            self.times.store_waited += waiting.elapsed();
            match received {
                Ok(batch) => self.batch = batch.into_iter(),
                Err(_) => {
                    self.reclaim();
                    return None;
                }
            }
        }
    }

    fn rows_expected(&self) -> Option<u64> {
        self.rows_expected
    }

    fn reject(&mut self, row: u64, column: &str, message: String) {
        match self.source.as_deref_mut() {
            Some(source) => source.reject(row, column, message),
            None => self.held_rejects.push((row, column.to_string(), message)),
        }
    }

    fn commit_wanted(&self) -> bool {
        // Asked before the last row was taken would be a store bug: never commit then.
        self.source.as_deref().is_some_and(|s| s.commit_wanted())
    }

    fn timed(&mut self, stage: WriteStage, took: Duration) {
        // The store reports its stages after the last row, when the source is back.
        if let Some(source) = self.source.as_deref_mut() {
            source.timed(stage, took);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Numbers {
        next: u64,
        end: u64,
        rejected: Vec<u64>,
    }

    impl ImportSource<u64> for Numbers {
        fn next_valid(&mut self) -> Option<u64> {
            (self.next < self.end).then(|| {
                self.next += 1;
                self.next
            })
        }
        fn reject(&mut self, row: u64, _column: &str, _message: String) {
            self.rejected.push(row);
        }
        fn commit_wanted(&self) -> bool {
            self.rejected.is_empty()
        }
    }

    #[test]
    fn every_row_arrives_in_order_and_rejects_reach_the_source() {
        let mut source = Numbers {
            next: 0,
            end: 10_000,
            rejected: Vec::new(),
        };
        let ((seen, commit), _) = pipelined(&mut source, |s| {
            let mut seen = Vec::new();
            while let Some(n) = s.next_valid() {
                if n % 1000 == 0 {
                    s.reject(n, "x", "no".into());
                }
                seen.push(n);
            }
            (seen, s.commit_wanted())
        });
        assert_eq!(seen, (1..=10_000).collect::<Vec<_>>());
        assert_eq!(source.rejected.len(), 10);
        assert!(!commit);
    }

    #[test]
    fn a_store_that_stops_early_does_not_hang_and_never_commits() {
        let mut source = Numbers {
            next: 0,
            end: 1_000_000,
            rejected: Vec::new(),
        };
        let (commit, _) = pipelined(&mut source, |s| {
            s.next_valid();
            s.commit_wanted()
        });
        assert!(!commit);
    }
}
