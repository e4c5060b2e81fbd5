//! Lesson 14's site and the pieces its crawlers share.
//!
//! - [`site`]: a site of N pages served on loopback, laid with the traps real sites have, whose
//!   server counts every request per address, the most in flight, and what the other host saw.
//! - [`fetch`]: one request for one address (blocking with ureq, async with hyper) and the links
//!   of a page (read with html5gum, resolved with url).
//! - [`report`]: which hosts a crawl follows, and its report, as text or JSON.
//!
//! What is left to a crawler, and so to the lesson and its exercises, is the concurrency: the
//! queue, the pages already seen, how many requests at once, when the crawl is over.

pub mod fetch;
pub mod report;
pub mod site;

pub use fetch::{FetchError, Fetched, Link, MAX_BODY, links_in, resolve};
pub use report::{Checked, Report, Scope, status_text};
pub use site::{Seen, Site, SiteOptions};

#[cfg(test)]
mod tests;
