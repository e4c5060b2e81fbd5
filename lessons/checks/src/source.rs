//! Checks that read the file under check instead of running it.
//!
//! Most mistakes of the exercises are forced by the checks: the loopback server holds answers
//! back, loom tries every interleaving. A few happen in a moment that no test can hold open,
//! because no code of the course runs there: a worker that adds one to a shared counter and
//! then, in a second step, reads it. Another worker can add its own one in between, but the gap
//! lasts a few nanoseconds, and such code passes almost every run. And a few are about what the
//! checks can see at all: loom interleaves only its own types, so a file that names std's in
//! full would pass them blind. Those are found here, by reading the code.
//!
//! The file is parsed with `syn` (its items: functions, the imports kept for `#[cfg(not(test))]`)
//! and each item's tokens are read by [`proc_macro2`]'s lexer, so that comments and string
//! literals are never taken for code. `syn` is built with the features clap's derive asks for
//! (`full`), so that the checks share clap's build of it (see the workspace `Cargo.toml`). Its
//! spans carry no line numbers outside a procedural macro (that is `proc-macro2`'s feature
//! `span-locations`, which would build it a second time): a finding names its function instead.

use std::path::Path;
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The file under check: the learner's `src/lib.rs`, or the starter, the solution or an answer of
/// the catalogue when `cargo xtask verify --solutions` builds those targets.
#[derive(Debug, Clone)]
pub struct FileUnderCheck {
    /// Its path under the exercise (`src/lib.rs`, `wrong/std-fence.rs`).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The [`FileUnderCheck`] of the test program this is expanded in (a macro, so that it reads the
/// crate name and manifest folder of the exercise, not of this crate).
#[macro_export]
macro_rules! file_under_check {
    () => {
        $crate::source::FileUnderCheck::of(env!("CARGO_CRATE_NAME"), env!("CARGO_MANIFEST_DIR"))
    };
}

impl FileUnderCheck {
    /// The file of the target `crate_name` (`starter`, `solution`, `wrong_<case>`, whose target
    /// `wrong-<case>` cargo calls so, or the exercise's library) in `manifest_dir`.
    #[must_use]
    pub fn of(crate_name: &str, manifest_dir: &str) -> Self {
        let path = match crate_name.split_once('_') {
            _ if crate_name == "starter" || crate_name == "solution" => {
                format!("{crate_name}/lib.rs")
            }
            Some((folder @ ("wrong" | "right"), case)) => {
                format!("{folder}/{}.rs", case.replace('_', "-"))
            }
            _ => "src/lib.rs".to_string(),
        };
        let file = Path::new(manifest_dir).join(&path);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", file.display()));
        Self { path, text }
    }
}

/// A piece of the file: a function (`fn record`), another item (`struct MaxCounter`), with its
/// tokens; no name for a text that is not a whole file.
struct Place {
    name: String,
    tokens: TokenStream,
}

/// The file's pieces, without those kept for `#[cfg(not(test))]` (the checks never see them).
/// A text that is not a whole file (a test's snippet) is one piece.
fn places(text: &str) -> Vec<Place> {
    match syn::parse_file(text) {
        Ok(file) => {
            let mut places = Vec::new();
            places_in(&file.items, &mut places);
            places
        }
        Err(_) => vec![Place {
            name: String::new(),
            tokens: TokenStream::from_str(text).unwrap_or_default(),
        }],
    }
}

fn places_in(items: &[syn::Item], places: &mut Vec<Place>) {
    use syn::Item;
    for item in items {
        let (attrs, name) = match item {
            Item::Fn(f) => (&f.attrs, format!("fn {}", f.sig.ident)),
            Item::Struct(s) => (&s.attrs, format!("struct {}", s.ident)),
            Item::Enum(e) => (&e.attrs, format!("enum {}", e.ident)),
            Item::Static(s) => (&s.attrs, format!("static {}", s.ident)),
            Item::Const(c) => (&c.attrs, format!("const {}", c.ident)),
            Item::Type(t) => (&t.attrs, format!("type {}", t.ident)),
            Item::Trait(t) => (&t.attrs, format!("trait {}", t.ident)),
            Item::Use(u) => (&u.attrs, "an import".to_string()),
            Item::Mod(m) => {
                if !kept_for_std(&m.attrs)
                    && let Some((_, items)) = &m.content
                {
                    places_in(items, places);
                }
                continue;
            }
            Item::Impl(i) => {
                if kept_for_std(&i.attrs) {
                    continue;
                }
                for inner in &i.items {
                    let (attrs, name) = match inner {
                        syn::ImplItem::Fn(f) => (&f.attrs, format!("fn {}", f.sig.ident)),
                        syn::ImplItem::Const(c) => (&c.attrs, format!("const {}", c.ident)),
                        _ => continue,
                    };
                    if !kept_for_std(attrs) {
                        places.push(Place {
                            name,
                            tokens: inner.to_token_stream(),
                        });
                    }
                }
                continue;
            }
            _ => continue,
        };
        if !kept_for_std(attrs) {
            places.push(Place {
                name,
                tokens: item.to_token_stream(),
            });
        }
    }
}

/// Whether the attributes hold `#[cfg(not(test))]`.
fn kept_for_std(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| is_cfg_not_test(&attr.meta.to_token_stream()))
}

fn is_cfg_not_test(meta: &TokenStream) -> bool {
    let text: String = meta.to_string().split_whitespace().collect();
    text == "cfg(not(test))"
}

fn is_punct(tree: Option<&TokenTree>, c: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// `::` at `trees[at]`.
fn is_path_separator(trees: &[TokenTree], at: usize) -> bool {
    matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint)
        && is_punct(trees.get(at + 1), ':')
}

/// Every path in `tokens` that starts at `std` or `core`, a use tree's braces expanded
/// (`std::sync::{Arc, atomic::fence}` gives `std::sync::Arc` and `std::sync::atomic::fence`).
/// Statements kept for `#[cfg(not(test))]` are left out.
fn std_paths(tokens: TokenStream, found: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut at = 0;
    while at < trees.len() {
        match &trees[at] {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                if let Some(TokenTree::Group(attr)) = trees.get(at + 1)
                    && attr.delimiter() == Delimiter::Bracket
                    && is_cfg_not_test(&attr.stream())
                {
                    // Skip the statement the attribute is on: up to its `;` or its block.
                    at += 2;
                    while at < trees.len() {
                        let end = is_punct(trees.get(at), ';')
                            || matches!(&trees[at], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
                        at += 1;
                        if end {
                            break;
                        }
                    }
                    continue;
                }
            }
            TokenTree::Ident(root)
                if (root == "std" || root == "core") && is_path_separator(&trees, at + 1) =>
            {
                let (paths, next) = path_tree(&trees, at);
                found.extend(paths);
                at = next;
                continue;
            }
            TokenTree::Group(group) => std_paths(group.stream(), found),
            _ => {}
        }
        at += 1;
    }
}

/// The paths of the path (or use tree) that starts with the name at `trees[start]`, and where
/// it ends.
fn path_tree(trees: &[TokenTree], start: usize) -> (Vec<String>, usize) {
    let mut prefix = vec![trees[start].to_string()];
    let mut at = start + 1;
    while is_path_separator(trees, at) {
        match trees.get(at + 2) {
            Some(TokenTree::Ident(name)) => prefix.push(name.to_string()),
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                let mut paths = Vec::new();
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                for part in inner.split(|tree| is_punct(Some(tree), ',')) {
                    let tails = match part.first() {
                        Some(TokenTree::Ident(_)) => path_tree(part, 0).0,
                        Some(TokenTree::Group(_)) => {
                            // `{{a, b}}`: a group in a group.
                            let mut nested = Vec::new();
                            std_paths_of_group(part, &mut nested);
                            nested
                        }
                        _ => continue,
                    };
                    for tail in tails {
                        paths.push(format!("{}::{tail}", prefix.join("::")));
                    }
                }
                return (paths, at + 3);
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '*' => prefix.push("*".to_string()),
            _ => break,
        }
        at += 3;
    }
    (vec![prefix.join("::")], at)
}

fn std_paths_of_group(part: &[TokenTree], found: &mut Vec<String>) {
    if let Some(TokenTree::Group(group)) = part.first() {
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        for piece in inner.split(|tree| is_punct(Some(tree), ',')) {
            if matches!(piece.first(), Some(TokenTree::Ident(_))) {
                found.extend(path_tree(piece, 0).0);
            }
        }
    }
}

/// A path of std that the file names where the checks see it (not in an item or statement kept
/// for `#[cfg(not(test))]`), with the function or item it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdPath {
    /// Where: `fn record`, `struct MaxCounter`, `an import` (empty in a text that is not a whole
    /// file).
    pub place: String,
    /// The path, `std::sync::Mutex`, a use tree's braces expanded.
    pub path: String,
}

/// Every path of `std` or `core` in `text` that the checks see, in the order of the file.
#[must_use]
pub fn std_paths_under_test(text: &str) -> Vec<StdPath> {
    let mut found = Vec::new();
    for place in places(text) {
        let mut paths = Vec::new();
        std_paths(place.tokens, &mut paths);
        found.extend(paths.into_iter().map(|path| StdPath {
            place: place.name.clone(),
            path,
        }));
    }
    found
}

/// Two steps on one atomic counter where a single one is needed (see
/// [`counter_read_apart_from_its_update`]).
#[derive(Debug, PartialEq, Eq)]
pub struct TwoSteps {
    /// The counter's name, the last one before the method (`next` in `self.next.load(…)`).
    pub counter: String,
    /// The function (or item) they are in: `fn download_all` (empty in a text that is not a
    /// whole file).
    pub place: String,
    /// The first step's method, such as `fetch_add`.
    pub first: &'static str,
    /// The second step's.
    pub second: &'static str,
}

impl TwoSteps {
    /// What went wrong and how to do it in one step, for a learner who wrote it in `path`, in
    /// the words of a pool of workers that share URLs (at-most-k-downloads).
    pub fn explain(&self, path: &str) -> String {
        let TwoSteps {
            counter,
            place,
            first,
            second,
        } = self;
        let place = in_place(place, path);
        format!(
            "{place} uses `{counter}` in two steps, `{counter}.{first}(…)` and then \
             `{counter}.{second}(…)`. Another worker can take a step of its own between your \
             two, and then two workers see the same number: if it picks a URL, one URL is \
             downloaded twice and another one never. Take your number in one step, \
             `let index = {counter}.fetch_add(1, Ordering::Relaxed);`: it adds one and gives \
             the value from before, which no other worker gets (add one to it for the count \
             after your step). (This check reads your file: the gap between the two steps \
             lasts a few nanoseconds, too short for a run to fall into it every time.)"
        )
    }
}

/// `` `fn record` in src/lib.rs ``, or the path alone.
#[must_use]
pub fn in_place(place: &str, path: &str) -> String {
    if place.is_empty() {
        path.to_string()
    } else {
        format!("`{place}` in {path}")
    }
}

/// The methods of the atomic types that read or change a counter.
const METHODS: [&str; 7] = [
    "load",
    "store",
    "fetch_add",
    "fetch_sub",
    "swap",
    "compare_exchange",
    "compare_exchange_weak",
];

/// A call of one of [`METHODS`] on a named receiver.
struct Step {
    /// Its place among the file's steps.
    order: usize,
    /// The innermost `{ … }` around it.
    block: usize,
    place: usize,
    counter: String,
    method: &'static str,
    /// The call is a statement of its own (or `let _ = …;`, or `….ok();`): nobody looks at
    /// the value it gives.
    result_thrown_away: bool,
}

/// The first place in `text` where an atomic counter is updated in one step and read in
/// another, both in the same block (`{ … }`), so that other threads can come in between:
///
/// - a `fetch_add` or `fetch_sub` whose result is thrown away, with a `load` of the same
///   counter in that block (before or after it);
/// - a `load` and a `store` of the same counter in that block, or a `swap`, `compare_exchange`
///   or `compare_exchange_weak` whose result is thrown away (a compare-exchange tried once,
///   not in a retry loop), unless the counter is an `AtomicBool` (a flag is not a counter).
///
/// A `load` in another block is left alone: after the threads are joined, reading a total is
/// right, and a `load` that feeds a `compare_exchange` retry loop is the way to update a
/// value in one step. Comments and strings are not code.
#[must_use]
pub fn counter_read_apart_from_its_update(text: &str) -> Option<TwoSteps> {
    let places = places(text);
    let mut steps = Vec::new();
    let mut blocks = 0;
    for (index, place) in places.iter().enumerate() {
        let trees: Vec<TokenTree> = place.tokens.clone().into_iter().collect();
        blocks += 1;
        let mut walk = Walk {
            place: index,
            blocks: &mut blocks,
            steps: &mut steps,
        };
        walk.steps_in(&trees, *walk.blocks, true);
    }
    let mut flat = Vec::new();
    for place in &places {
        flatten(place.tokens.clone(), &mut flat);
    }
    let is_flag = |counter: &str| declared_as_atomic_bool(&flat, counter);
    let mut found: Vec<(usize, TwoSteps)> = Vec::new();
    for update in &steps {
        let pairs_with: &[&str] = match update.method {
            "fetch_add" | "fetch_sub" if update.result_thrown_away => &["load"],
            _ if is_flag(&update.counter) => continue,
            "store" => &["load"],
            "swap" | "compare_exchange" | "compare_exchange_weak" if update.result_thrown_away => {
                &["load"]
            }
            _ => continue,
        };
        let read = steps.iter().find(|read| {
            read.counter == update.counter
                && pairs_with.contains(&read.method)
                && read.block == update.block
        });
        if let Some(read) = read {
            let (first, second) = if read.order < update.order {
                (read, update)
            } else {
                (update, read)
            };
            found.push((
                first.order,
                TwoSteps {
                    counter: update.counter.clone(),
                    place: places[update.place].name.clone(),
                    first: first.method,
                    second: second.method,
                },
            ));
        }
    }
    found
        .into_iter()
        .min_by_key(|(order, _)| *order)
        .map(|(_, two)| two)
}

struct Walk<'a> {
    place: usize,
    blocks: &'a mut usize,
    steps: &'a mut Vec<Step>,
}

impl Walk<'_> {
    /// Notes the steps in `trees`, whose innermost block is `block`; `opens_a_block`: `trees` is
    /// the inside of a `{ … }` (or a whole item), where a statement can start at the first token.
    fn steps_in(&mut self, trees: &[TokenTree], block: usize, opens_a_block: bool) {
        for (at, tree) in trees.iter().enumerate() {
            match tree {
                TokenTree::Group(group) => {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    if group.delimiter() == Delimiter::Brace {
                        *self.blocks += 1;
                        let inner_block = *self.blocks;
                        self.steps_in(&inner, inner_block, true);
                    } else {
                        self.steps_in(&inner, block, false);
                    }
                }
                TokenTree::Ident(name) => {
                    let Some(method) = METHODS.iter().find(|method| name == *method) else {
                        continue;
                    };
                    let called = matches!(trees.get(at + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                    if at < 2 || !is_punct(trees.get(at - 1), '.') || !called {
                        continue;
                    }
                    // `urls().load(…)`, `(a + b).load(…)`: not a counter by name.
                    let TokenTree::Ident(counter) = &trees[at - 2] else {
                        continue;
                    };
                    // The receiver's whole path: `self.state.next`.
                    let mut start = at - 2;
                    while start >= 2
                        && is_punct(trees.get(start - 1), '.')
                        && matches!(trees[start - 2], TokenTree::Ident(_))
                    {
                        start -= 2;
                    }
                    let result_thrown_away = starts_a_statement(&trees[..start], opens_a_block)
                        && ends_with_calls(&trees[at + 2..]);
                    self.steps.push(Step {
                        order: self.steps.len(),
                        block,
                        place: self.place,
                        counter: counter.to_string(),
                        method,
                        result_thrown_away,
                    });
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => {}
            }
        }
    }
}

/// Whether a statement starts right after `before`: nothing, a `;` or a block before it, or a
/// binding nobody reads (`_ =`, `let _ =`, `let _unused =`).
fn starts_a_statement(before: &[TokenTree], opens_a_block: bool) -> bool {
    let nothing_before = |before: &[TokenTree]| match before.last() {
        None => opens_a_block,
        Some(TokenTree::Punct(p)) => p.as_char() == ';',
        Some(TokenTree::Group(g)) => g.delimiter() == Delimiter::Brace,
        _ => false,
    };
    if nothing_before(before) {
        return true;
    }
    let [
        rest @ ..,
        TokenTree::Ident(binding),
        TokenTree::Punct(equals),
    ] = before
    else {
        return false;
    };
    if equals.as_char() != '=' || !binding.to_string().starts_with('_') {
        return false;
    }
    match rest {
        [rest @ .., TokenTree::Ident(keyword)] if keyword == "let" => nothing_before(rest),
        _ => nothing_before(rest),
    }
}

/// Whether `after` holds nothing but method calls (`.ok()`, `.unwrap()`) and then a `;`: the
/// value of the call before it is looked at by nobody.
fn ends_with_calls(after: &[TokenTree]) -> bool {
    let mut at = 0;
    loop {
        match after.get(at) {
            Some(TokenTree::Punct(p)) if p.as_char() == ';' => return true,
            Some(TokenTree::Punct(p)) if p.as_char() == '.' => {
                let named = matches!(after.get(at + 1), Some(TokenTree::Ident(_)));
                let called = matches!(after.get(at + 2), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                if !named || !called {
                    return false;
                }
                at += 3;
            }
            _ => return false,
        }
    }
}

/// Every token of `tokens`, the insides of groups in their place (without the brackets).
fn flatten(tokens: TokenStream, flat: &mut Vec<TokenTree>) {
    for tree in tokens {
        match tree {
            TokenTree::Group(group) => flatten(group.stream(), flat),
            other => flat.push(other),
        }
    }
}

/// Whether `counter` is declared as an `AtomicBool`: `let stop = AtomicBool::new(…)`, a field
/// `stop: AtomicBool`, or behind an `Arc`.
fn declared_as_atomic_bool(flat: &[TokenTree], counter: &str) -> bool {
    flat.iter().enumerate().any(|(at, tree)| {
        let named = matches!(tree, TokenTree::Ident(name) if name == counter);
        let declared = match flat.get(at + 1) {
            Some(TokenTree::Punct(p)) if p.as_char() == ':' => {
                p.spacing() == Spacing::Alone && !is_punct(flat.get(at.wrapping_sub(1)), ':')
            }
            Some(TokenTree::Punct(p)) if p.as_char() == '=' => p.spacing() == Spacing::Alone,
            _ => false,
        };
        named
            && declared
            && flat[at + 2..]
                .iter()
                .take_while(|tree| !is_punct(Some(tree), ';') && !is_punct(Some(tree), ','))
                .any(|tree| matches!(tree, TokenTree::Ident(name) if name == "AtomicBool"))
    })
}

mod look_and_mark;
pub use look_and_mark::{LookedUpApart, set_looked_up_apart_from_its_insert};

#[cfg(test)]
mod tests;
