//! How far a chunked operation got, kept where the caller can read it.
//!
//! Some vendor operations split their input into chunks, one request each
//! (Bird's batch send, 100 messages a request; Blip's audience upload,
//! 5,000 a command). Such an operation takes a `&mut Progress<T>` that the
//! caller owns and records each chunk in it as the chunk finishes, so:
//!
//! - after an error, [`Progress::chunks`] says which chunks were done, and
//!   calling the operation again with the same `Progress` and the same
//!   items resumes after the last finished chunk ([`Progress::next_index`]);
//! - after the caller drops the operation's future (a timeout, a task
//!   cancelled), the chunks finished before it are still recorded, and
//!   [`Progress::in_flight`] names the chunk whose request was under way:
//!   the vendor may or may not have accepted it.
//!
//! ```
//! use whatsapp_common::Progress;
//!
//! let mut progress: Progress<()> = Progress::new();
//! let items = ["a", "b", "c", "d", "e"];
//! for (first, chunk) in progress.remaining(&items, 2).unwrap() {
//!     progress.start(first, chunk.len());
//!     // … one request for `chunk` …
//!     progress.finish(());
//!     if first == 2 {
//!         break; // an error, say
//!     }
//! }
//! assert_eq!(progress.next_index(), 4);
//! // Again with the same progress: only the rest is sent.
//! let rest: Vec<_> = progress.remaining(&items, 2).unwrap().collect();
//! assert_eq!(rest, [(4, &items[4..])]);
//! ```

use crate::ValidationError;

/// The chunks of a chunked operation that finished, in order, with each
/// one's outcome, and the chunk under way, if any. See the
/// [module docs](self).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress<T> {
    chunks: Vec<ChunkDone<T>>,
    in_flight: Option<(usize, usize)>,
}

/// One finished chunk: which items it carried and how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChunkDone<T> {
    /// Index, in the operation's items, of the chunk's first item.
    pub first_index: usize,
    /// How many items the chunk carried.
    pub len: usize,
    /// What the vendor answered for the chunk.
    pub outcome: T,
}

impl<T> Default for Progress<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Progress<T> {
    /// Nothing done yet.
    pub fn new() -> Self {
        Self {
            chunks: Vec::new(),
            in_flight: None,
        }
    }

    /// The finished chunks, oldest first.
    pub fn chunks(&self) -> &[ChunkDone<T>] {
        &self.chunks
    }

    /// The finished chunks, taken out.
    pub fn into_chunks(self) -> Vec<ChunkDone<T>> {
        self.chunks
    }

    /// How many items the finished chunks carried: the index of the first
    /// item not yet sent.
    pub fn next_index(&self) -> usize {
        self.chunks.last().map_or(0, |c| c.first_index + c.len)
    }

    /// The chunk whose request was started and not finished, as
    /// `(first_index, len)`: after a dropped future or an error in
    /// transit, the vendor may have accepted it. `None` once the chunk's
    /// answer is recorded.
    pub fn in_flight(&self) -> Option<(usize, usize)> {
        self.in_flight
    }

    /// The chunks of `items` still to send, `chunk_len` at a time, each
    /// with the index of its first item. Fails when this progress has
    /// recorded more items than `items` holds (it belongs to other items).
    ///
    /// A chunk left [in flight](Self::in_flight) is among them: resuming
    /// sends it again, which a caller who must not risk a duplicate checks
    /// with the vendor first.
    pub fn remaining<'a, I>(
        &self,
        items: &'a [I],
        chunk_len: usize,
    ) -> Result<impl Iterator<Item = (usize, &'a [I])> + 'a, ValidationError> {
        let start = self.next_index();
        if start > items.len() {
            return Err(ValidationError::new(
                "progress",
                format!(
                    "records {start} items done but the operation has {}: pass the progress of these items",
                    items.len()
                ),
            ));
        }
        let chunk_len = chunk_len.max(1);
        Ok(items[start..]
            .chunks(chunk_len)
            .enumerate()
            .map(move |(n, chunk)| (start + n * chunk_len, chunk)))
    }

    /// Marks the chunk of `len` items from `first_index` as under way,
    /// just before its request is made.
    pub fn start(&mut self, first_index: usize, len: usize) {
        self.in_flight = Some((first_index, len));
    }

    /// Records the answer for the chunk under way. Does nothing when none
    /// is.
    pub fn finish(&mut self, outcome: T) {
        if let Some((first_index, len)) = self.in_flight.take() {
            self.chunks.push(ChunkDone {
                first_index,
                len,
                outcome,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resumes_after_the_last_finished_chunk() {
        let items: Vec<u32> = (0..10).collect();
        let mut p: Progress<&str> = Progress::new();
        let firsts: Vec<_> = p.remaining(&items, 4).unwrap().map(|(i, _)| i).collect();
        assert_eq!(firsts, [0, 4, 8]);
        p.start(0, 4);
        assert_eq!(p.in_flight(), Some((0, 4)));
        assert_eq!(p.next_index(), 0, "not done until finished");
        p.finish("ok");
        assert_eq!(p.in_flight(), None);
        p.start(4, 4);
        // Dropped here: the chunk at 4 is in flight, and is sent again.
        let rest: Vec<_> = p.remaining(&items, 4).unwrap().collect();
        assert_eq!(rest, [(4, &items[4..8]), (8, &items[8..])]);
        p.finish("ok");
        p.finish("ignored: nothing in flight");
        assert_eq!(p.chunks().len(), 2);
        assert_eq!(p.next_index(), 8);
        assert_eq!(p.chunks()[1].outcome, "ok");
        let err = p.remaining(&items[..5], 4).err().unwrap();
        assert!(err.to_string().contains("records 8 items"), "{err}");
        assert_eq!(p.remaining(&items[..8], 4).unwrap().count(), 0);
    }
}
