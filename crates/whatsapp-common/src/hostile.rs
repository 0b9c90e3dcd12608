//! Hostile inputs for decoder tests (feature `mock`): arbitrary bytes and
//! mutations of real samples, from a seeded generator so a failure repeats.
//!
//! ```
//! use whatsapp_common::hostile::{Hostile, assert_no_panic};
//! let sample = br#"{"mtNum":"107930572","id":"8770599"}"#;
//! let inputs = Hostile::new(7).inputs(&[sample], 200);
//! assert_eq!(inputs.len(), 200);
//! assert_no_panic(&inputs, |bytes| {
//!     let _ = serde_json::from_slice::<serde_json::Value>(bytes);
//! });
//! ```

/// A deterministic generator of hostile byte strings.
#[derive(Debug, Clone)]
pub struct Hostile(u64);

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-0",
    b"1e999",
    b"-1e999",
    b"18446744073709551616",
    b"-9223372036854775809",
    b"\\u0000",
    b"\\ud800",
    b"\xff\xfe",
    b"\xc3\x28",
    b"\0",
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"<![CDATA[",
    b"]]>",
    b"<!DOCTYPE a>",
    b"<?xml version=\"1.0\"?>",
    b"xmlns:p=\"u\"",
    b"i:nil=\"true\"",
    b"\xef\xbb\xbf",
    b"\r\n",
    b" ",
    b"\t",
    b"2016-12-24T14:12:12",
    b"9999-99-99T99:99:99Z",
    b"+0300",
    b"NaN",
];

impl Hostile {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    /// The next number of the sequence (xorshift64).
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// One input: random bytes, random tokens, a truncated, bit-flipped,
    /// token-spliced, repeated or deeply nested sample.
    pub fn input(&mut self, samples: &[&[u8]]) -> Vec<u8> {
        let sample = if samples.is_empty() {
            &b"{}"[..]
        } else {
            samples[self.below(samples.len())]
        };
        match self.below(9) {
            0 => (0..self.below(64)).map(|_| self.next_u64() as u8).collect(),
            1 => {
                let mut out = Vec::new();
                for _ in 0..self.below(32) {
                    out.extend_from_slice(TOKENS[self.below(TOKENS.len())]);
                }
                out
            }
            2 => sample[..self.below(sample.len() + 1)].to_vec(),
            3 => {
                let mut out = sample.to_vec();
                for _ in 0..1 + self.below(8) {
                    if !out.is_empty() {
                        let i = self.below(out.len());
                        out[i] ^= 1 << self.below(8);
                    }
                }
                out
            }
            4 => {
                let mut out = sample.to_vec();
                for _ in 0..1 + self.below(4) {
                    let at = self.below(out.len() + 1);
                    let token = TOKENS[self.below(TOKENS.len())];
                    out.splice(at..at, token.iter().copied());
                }
                out
            }
            5 => {
                let mut out = sample.to_vec();
                if !out.is_empty() {
                    let a = self.below(out.len());
                    let b = a + self.below(out.len() - a);
                    out.drain(a..b);
                }
                out
            }
            6 => {
                let depth = 1 + self.below(2000);
                let (open, close): (&[u8], &[u8]) = if self.below(2) == 0 {
                    (b"[", b"]")
                } else {
                    (b"<a>", b"</a>")
                };
                let mut out = open.repeat(depth);
                if self.below(2) == 0 {
                    out.extend(close.repeat(depth));
                }
                out
            }
            7 => {
                let mut out = sample.to_vec();
                let at = self.below(out.len() + 1);
                let chunk: Vec<u8> = sample[at.min(sample.len())..].to_vec();
                for _ in 0..self.below(4) {
                    out.extend_from_slice(&chunk);
                }
                out
            }
            _ => {
                // Replace one quoted value with a token.
                let mut out = sample.to_vec();
                if let Some(start) = out
                    .iter()
                    .skip(self.below(out.len()))
                    .position(|&b| b == b'"')
                {
                    let token = TOKENS[self.below(TOKENS.len())];
                    let start = start.min(out.len());
                    let end = (start + 1 + self.below(16)).min(out.len());
                    out.splice(start..end, token.iter().copied());
                }
                out
            }
        }
    }

    /// `count` inputs built from `samples`, plus the samples themselves.
    pub fn inputs(&mut self, samples: &[&[u8]], count: usize) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = samples.iter().map(|s| s.to_vec()).collect();
        while out.len() < count {
            out.push(self.input(samples));
        }
        out.truncate(count.max(samples.len()));
        out
    }
}

/// Runs `decode` on every input and panics, naming the input, if any call
/// panicked. Decoders must answer hostile bytes with an error, never a panic.
pub fn assert_no_panic(inputs: &[Vec<u8>], decode: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    for (i, input) in inputs.iter().enumerate() {
        let outcome = std::panic::catch_unwind(|| decode(input));
        if outcome.is_err() {
            panic!(
                "input {i} made the decoder panic: {:?}",
                String::from_utf8_lossy(&input[..input.len().min(300)])
            );
        }
    }
}

/// Every text made from `valid` by replacing a span of zero, one or two
/// characters with a two-byte (`é`) or a four-byte (`😀`) character. A
/// parser that cuts fields out of its text by byte position panics on some
/// of these; feed them all to it through [`assert_no_panic`].
///
/// ```
/// use whatsapp_common::hostile::{assert_no_panic, multibyte_spans};
/// let texts = multibyte_spans("10:00");
/// assert!(texts.contains(&"1é00".to_owned()) && texts.contains(&"10:0😀".to_owned()));
/// let inputs: Vec<Vec<u8>> = texts.into_iter().map(String::into_bytes).collect();
/// assert_no_panic(&inputs, |b| {
///     let _ = std::str::from_utf8(b).map(|t| t.split(':').count());
/// });
/// ```
pub fn multibyte_spans(valid: &str) -> Vec<String> {
    let bounds: Vec<usize> = valid
        .char_indices()
        .map(|(i, _)| i)
        .chain([valid.len()])
        .collect();
    let mut out = Vec::new();
    for (k, &start) in bounds.iter().enumerate() {
        for width in 0..=2 {
            let end = bounds[(k + width).min(bounds.len() - 1)];
            for c in ['é', '😀'] {
                out.push(format!("{}{c}{}", &valid[..start], &valid[end..]));
            }
        }
    }
    out
}

/// Checks that `parse` reads every text in `valid`, then that it answers
/// each of their [`multibyte_spans`] without panicking.
pub fn assert_no_panic_on_multibyte_spans<T, E: std::fmt::Debug>(
    valid: &[&str],
    parse: impl Fn(&str) -> Result<T, E> + std::panic::RefUnwindSafe,
) {
    for text in valid {
        if let Err(e) = parse(text) {
            panic!("{text:?} should parse: {e:?}");
        }
        let inputs: Vec<Vec<u8>> = multibyte_spans(text)
            .into_iter()
            .map(String::into_bytes)
            .collect();
        assert_no_panic(&inputs, |b| {
            let _ = std::str::from_utf8(b).map(&parse);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_spans_cover_every_position_and_width() {
        let texts = multibyte_spans("ab");
        for expected in [
            "éab", "éb", "é", "aéb", "aé", "abé", "😀ab", "😀b", "😀", "a😀b", "a😀", "ab😀",
        ] {
            assert!(texts.iter().any(|t| t == expected), "{expected}");
        }
        assert_eq!(texts.len(), 3 * 3 * 2);
    }

    #[test]
    fn inputs_repeat_for_a_seed_and_vary() {
        let a = Hostile::new(1).inputs(&[b"{\"a\":1}"], 100);
        let b = Hostile::new(1).inputs(&[b"{\"a\":1}"], 100);
        assert_eq!(a, b);
        let distinct: std::collections::HashSet<_> = a.iter().collect();
        assert!(distinct.len() > 50);
    }

    #[test]
    #[should_panic(expected = "made the decoder panic")]
    fn a_panicking_decoder_is_caught() {
        let inputs = Hostile::new(3).inputs(&[b"x"], 10);
        assert_no_panic(&inputs, |b| {
            if b == b"x" {
                panic!("boom")
            }
        });
    }
}
