//! What the checks of lesson 06 share: a small seeded generator, so that every run tries other
//! inputs (which job finishes first, how many workers, which capacity) and an answer that only
//! fits one of them fails. Every failure message names the seed; `COURSE_SEED=<seed>` in the
//! environment runs the same inputs again.

use std::time::{SystemTime, UNIX_EPOCH};

/// A splitmix64 generator: small, std only, and the same numbers for the same seed everywhere.
#[derive(Debug, Clone)]
pub struct Seeded {
    seed: u64,
    state: u64,
}

impl Seeded {
    /// Seeded from `COURSE_SEED` when it is set, from the clock otherwise.
    #[must_use]
    pub fn new() -> Self {
        let seed = std::env::var("COURSE_SEED")
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |since| u64::from(since.subsec_nanos()) % 1_000_000)
            });
        Self::from_seed(seed)
    }

    #[must_use]
    pub fn from_seed(seed: u64) -> Self {
        Self { seed, state: seed }
    }

    /// The seed, for a failure message.
    #[must_use]
    pub fn seed(&self) -> u64 {
        self.seed
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `low` to `high`, both included.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        assert!(low <= high, "between({low}, {high})");
        let span = (high - low) as u64 + 1;
        low + usize::try_from(self.next_u64() % span).expect("below a usize's span")
    }

    /// Puts `items` in a random order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            items.swap(last, self.between(0, last));
        }
    }
}

impl Default for Seeded {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (Seeded::from_seed(7), Seeded::from_seed(7));
        let first: Vec<usize> = (0..20).map(|_| a.between(0, 100)).collect();
        let second: Vec<usize> = (0..20).map(|_| b.between(0, 100)).collect();
        assert_eq!(first, second);
        assert!(first.iter().all(|n| *n <= 100));
        assert!(first.iter().any(|n| *n != first[0]));
    }

    #[test]
    fn a_shuffle_keeps_every_item() {
        let mut items: Vec<usize> = (0..50).collect();
        Seeded::from_seed(3).shuffle(&mut items);
        assert_ne!(items, (0..50).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
    }
}
