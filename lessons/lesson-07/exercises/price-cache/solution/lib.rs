//~ starter:
//~ //! Exercise `price-cache` (lesson 07).
//~ solution:
//! Exercise `price-cache` (lesson 07): reference solution.
//~ end
//!
//! A cache of prices that many threads read and a few update, behind an `RwLock`: any number of
//! readers at once, or one writer. A price not yet in the cache is loaded (slowly, say from a
//~ starter:
//~ //! database) and kept. This one blocks itself for ever the first time a price is missing.
//~ //!
//~ //! Check your work: `cargo xtask verify price-cache`. Stuck? `cargo xtask hint price-cache`.
//~ //! The checks run under loom, which tries every interleaving of the threads (up to a bound) and
//~ //! reports a thread that waits for ever as a deadlock.
//~ solution:
//! database) and kept.
//~ end
//!
//! What the checks cannot promise: that a writer is never starved by a stream of readers that
//! never ends. std's `RwLock` leaves that policy to the operating system ("might or might not
//! block concurrent calls to read", its documentation says); on Linux a waiting writer goes first.
//! What you can make sure of is that your own code never holds a lock it will wait for.

use std::collections::HashMap;

// The checks use loom's `RwLock`, which loom can pause and interleave; everywhere else it is
// std's. Your code does not change either way.
#[cfg(test)]
use loom::sync::RwLock;
#[cfg(not(test))]
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
        //~ starter:
        //~ let prices = self.prices.read().unwrap();
        //~ if let Some(&price) = prices.get(item) {
        //~ solution:
        // The read guard is a temporary: the read lock ends with this statement.
        let cached = self.prices.read().unwrap().get(item).copied();
        if let Some(price) = cached {
            //~ end
            return price;
        }
        //~ starter:
        //~ // TODO: `prices`, the read guard, is still alive here, so this thread still holds the
        //~ // read lock while it asks for the write lock, and the write lock waits for every reader
        //~ // to leave: for ever. And once the read lock is let go, another thread may load the
        //~ // same item before this one gets the write lock.
        //~ let mut prices = self.prices.write().unwrap();
        //~ let price = load();
        //~ prices.insert(item.to_string(), price);
        //~ price
        //~ solution:
        let mut prices = self.prices.write().unwrap();
        // Look again: another thread may have loaded it between our two locks.
        *prices.entry(item.to_string()).or_insert_with(load)
        //~ end
    }

    /// Sets the price of `item` (a writer).
    pub fn set_price(&self, item: &str, price: u64) {
        self.prices.write().unwrap().insert(item.to_string(), price);
    }
}

#[cfg(test)]
#[path = "../checks.rs"]
mod checks;
