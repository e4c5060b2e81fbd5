//! The CPU-bound job of lessons 05 and 09: counting primes by trial division. Nothing but
//! arithmetic, and the higher the numbers the dearer each one, so equal ranges are unequal work.

use std::ops::Range;

// ANCHOR: count_primes
/// The CPU-bound job. Loops, threads, worker processes and rayon all call this function.
#[inline] // compiled into each lesson, with the lesson's optimisation
pub fn count_primes(numbers: Range<u64>) -> u64 {
    numbers.filter(|&n| is_prime(n)).count() as u64
}

#[inline]
pub fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let mut divisor = 3;
    while divisor * divisor <= n {
        if n.is_multiple_of(divisor) {
            return false;
        }
        divisor += 2;
    }
    true
}
// ANCHOR_END: count_primes

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_primes_below_a_hundred() {
        assert_eq!(count_primes(0..100), 25);
        assert_eq!(count_primes(0..2), 0);
        assert!(is_prime(7919) && !is_prime(7917));
    }
}
