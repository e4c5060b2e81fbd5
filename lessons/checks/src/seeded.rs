//! A small seeded generator (splitmix64) for inputs that differ from run to run, so that an
//! answer written for the checks' values does not pass. Every message that uses its values
//! prints the seed; `COURSE_SEED=<seed>` runs the checks with that seed again.

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
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                // The nanoseconds within the second and the seconds, mixed: both change.
                now.as_secs() ^ u64::from(now.subsec_nanos()).rotate_left(32)
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

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `low` to `high`, both included.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        assert!(low <= high, "between({low}, {high})");
        match (high - low).checked_add(1) {
            Some(width) => low + self.next_u64() % width,
            None => self.next_u64(),
        }
    }

    /// A length or an index from `low` to `high`, both included.
    pub fn size(&mut self, low: usize, high: usize) -> usize {
        let wide = |n: usize| u64::try_from(n).expect("a usize fits a u64");
        usize::try_from(self.between(wide(low), wide(high))).expect("it is at most `high`")
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.size(0, items.len() - 1)]
    }

    /// Puts `items` in a random order.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            items.swap(last, self.size(0, last));
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
    use super::Seeded;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let mut one = Seeded::from_seed(7);
        let mut two = Seeded::from_seed(7);
        for _ in 0..10 {
            assert_eq!(one.next_u64(), two.next_u64());
        }
        assert!((3..=5).contains(&one.between(3, 5)));
        assert!((0..=u64::MAX).contains(&one.between(0, u64::MAX)));
    }

    #[test]
    fn a_shuffle_keeps_every_item() {
        let mut items: Vec<usize> = (0..20).collect();
        Seeded::from_seed(3).shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, (0..20).collect::<Vec<_>>());
    }
}
