//! Wrong: std's RwLock imported under test too, so loom cannot explore it.
//! verify says: "not loom's"

use std::collections::HashMap;

// The checks use loom's `RwLock`, which loom can pause and interleave; everywhere else it is
// std's. Your code does not change either way.
use std::sync::RwLock;

/// Prices by item, shared by any number of threads.
#[derive(Debug, Default)]
pub struct PriceCache {
    prices: RwLock<HashMap<String, u64>>,
}

impl PriceCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The price of `item`: from the cache if it is there, else from `load`, which is then kept.
    /// `load` is slow: it runs at most once per item, however many threads ask at once.
    pub fn get_or_load(&self, item: &str, load: impl FnOnce() -> u64) -> u64 {
        let prices = self.prices.read().unwrap();
        if let Some(&price) = prices.get(item) {
            return price;
        }
        // TODO: `prices`, the read guard, is still alive here, so this thread still holds the
        // read lock while it asks for the write lock, and the write lock waits for every reader
        // to leave: for ever. And once the read lock is let go, another thread may load the
        // same item before this one gets the write lock.
        let mut prices = self.prices.write().unwrap();
        let price = load();
        prices.insert(item.to_string(), price);
        price
    }

    /// Sets the price of `item` (a writer).
    pub fn set_price(&self, item: &str, price: u64) {
        self.prices.write().unwrap().insert(item.to_string(), price);
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
