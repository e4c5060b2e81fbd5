//! A set of addresses (or anything) that workers share, looked up under one lock and marked
//! under another: `if !seen.lock().unwrap().contains(&url) { seen.lock().unwrap().insert(url); }`.
//! Between the two locks, another worker can find the same address new, and it is fetched twice;
//! but the gap lasts nanoseconds, too short for a run to fall into it every time, so the checks
//! read the file for it. `seen.lock().unwrap().insert(url)` alone looks and marks in one step:
//! it returns `false` when the address was there already.

use proc_macro2::{Delimiter, TokenTree};

use super::{ends_with_calls, in_place, is_punct, places, starts_a_statement};

/// A set looked up under one lock and marked under another (see the [module](self)).
#[derive(Debug, PartialEq, Eq)]
pub struct LookedUpApart {
    /// The set's name, the first one of the receiver (`seen` in `seen.lock().unwrap()`).
    pub set: String,
    /// The function it is in: `fn crawl`.
    pub place: String,
}

impl LookedUpApart {
    /// What went wrong and how to do it in one step, for a learner who wrote it in `path`.
    pub fn explain(&self, path: &str) -> String {
        let LookedUpApart { set, place } = self;
        let place = in_place(place, path);
        format!(
            "{place} looks an address up in `{set}` under one lock (`.contains(…)`) and marks it \
             seen under another (`.insert(…)`, its answer thrown away): between the two, another \
             worker can find the same address new, and it is fetched twice. The set is checked \
             in one step and marked in another. Look and mark in one step: \
             `if {set}.lock().unwrap().insert(url.clone()) {{ … }}` (`insert` returns false \
             when it was there already). (This check reads your file: the gap between the two \
             locks lasts nanoseconds, too short for a run to fall into it every time.)"
        )
    }
}

/// One call of `contains` or `insert` on a receiver that takes a lock in the same expression,
/// or on a guard bound by a `let` that took it (`let guard = seen.lock().unwrap();`).
struct Call {
    place: usize,
    set: String,
    /// The field called on, when the receiver names one after the lock or the guard
    /// (`guard.seen.insert(…)`): `None` for the guard or the lock's answer itself.
    field: Option<String>,
    /// The guard it is called through (the index of its `let`), `None` for a lock taken in the
    /// same expression.
    via: Option<usize>,
    insert: bool,
    thrown_away: bool,
}

/// A guard bound by a `let`: its name, and the set whose lock it took.
struct Guard {
    name: String,
    set: String,
}

/// What a walk through one place has seen so far: the guards bound, in order.
#[derive(Default)]
struct Walk {
    guards: Vec<Guard>,
}

impl Walk {
    /// `let [mut] NAME = SET…lock()…;` at `trees[at]`: a guard of `SET`.
    fn note_guard(&mut self, trees: &[TokenTree], at: usize) {
        let mut next = at + 1;
        if matches!(trees.get(next), Some(TokenTree::Ident(word)) if word == "mut") {
            next += 1;
        }
        let Some(TokenTree::Ident(name)) = trees.get(next) else {
            return;
        };
        if !is_punct(trees.get(next + 1), '=') || is_punct(trees.get(next + 2), '=') {
            return;
        }
        let value: Vec<&TokenTree> = trees[next + 2..]
            .iter()
            .take_while(|tree| !is_punct(Some(tree), ';'))
            .collect();
        let Some(TokenTree::Ident(set)) = value
            .iter()
            .find(|tree| matches!(tree, TokenTree::Ident(_)))
            .copied()
        else {
            return;
        };
        let locks = value.windows(2).any(|pair| {
            matches!(pair[0], TokenTree::Ident(method) if ["lock", "read", "write"].iter().any(|m| method == m))
                && matches!(pair[1], TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis)
        });
        if locks {
            self.guards.push(Guard {
                name: name.to_string(),
                set: set.to_string(),
            });
        }
    }

    /// The latest guard named `name`.
    fn guard(&self, name: &str) -> Option<(usize, &Guard)> {
        self.guards
            .iter()
            .enumerate()
            .rev()
            .find(|(_, guard)| guard.name == name)
    }
}

/// The first place in `text` where a set is looked up with `contains` on a receiver that takes
/// its lock (`.lock()`, `.read()`, `.write()`) and marked with an `insert` whose answer nobody
/// reads, on a receiver that takes the lock again. A guard held across both (`let mut seen =
/// seen.lock().unwrap(); if !seen.contains(..) { seen.insert(..); }`) is one step, and so is a
/// set owned by one loop (no lock): neither is reported.
#[must_use]
pub fn set_looked_up_apart_from_its_insert(text: &str) -> Option<LookedUpApart> {
    let places = places(text);
    let mut calls = Vec::new();
    for (index, place) in places.iter().enumerate() {
        let trees: Vec<TokenTree> = place.tokens.clone().into_iter().collect();
        calls_in(&trees, index, true, &mut Walk::default(), &mut calls);
    }
    calls
        .iter()
        .filter(|call| call.insert && call.thrown_away)
        .find(|insert| {
            calls.iter().any(|look| {
                !look.insert
                    && look.place == insert.place
                    && look.set == insert.set
                    && (look.field.is_none() || insert.field.is_none() || look.field == insert.field)
                    // Both through one guard: one step under one lock.
                    && !(look.via.is_some() && look.via == insert.via)
            })
        })
        .map(|insert| LookedUpApart {
            set: insert.set.clone(),
            place: places[insert.place].name.clone(),
        })
}

fn calls_in(
    trees: &[TokenTree],
    place: usize,
    opens_a_block: bool,
    walk: &mut Walk,
    calls: &mut Vec<Call>,
) {
    for (at, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                calls_in(
                    &inner,
                    place,
                    group.delimiter() == Delimiter::Brace,
                    walk,
                    calls,
                );
            }
            TokenTree::Ident(word) if word == "let" => walk.note_guard(trees, at),
            TokenTree::Ident(name) if name == "contains" || name == "insert" => {
                let called = matches!(trees.get(at + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                if at < 2 || !is_punct(trees.get(at - 1), '.') || !called {
                    continue;
                }
                let Some((start, set, locks)) = receiver(&trees[..at - 1]) else {
                    continue;
                };
                let (set, via) = if locks {
                    (set, None)
                } else if let Some((index, guard)) = walk.guard(&set) {
                    (guard.set.clone(), Some(index))
                } else {
                    continue;
                };
                let field = match &trees[at - 2] {
                    TokenTree::Ident(field) if at - 2 > start => Some(field.to_string()),
                    _ => None,
                };
                calls.push(Call {
                    place,
                    set,
                    field,
                    via,
                    insert: name == "insert",
                    thrown_away: starts_a_statement(&trees[..start], opens_a_block)
                        && ends_with_calls(&trees[at + 2..]),
                });
            }
            _ => {}
        }
    }
}

/// The receiver that ends `before` (`seen.lock().unwrap()`, `self.seen.write().await`): where
/// it starts, the set's name (the name the lock is taken on, `seen`), and whether it takes a
/// lock.
fn receiver(before: &[TokenTree]) -> Option<(usize, String, bool)> {
    let mut end = before.len();
    let mut locks = false;
    let mut set = None;
    loop {
        // A call `name(…)`, or a name alone (a field, a variable, `await`).
        let called = matches!(before.get(end.checked_sub(1)?), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
        let name_at = if called { end.checked_sub(2)? } else { end - 1 };
        let TokenTree::Ident(name) = &before[name_at] else {
            return None;
        };
        if called
            && ["lock", "read", "write"]
                .iter()
                .any(|method| name == method)
        {
            locks = true;
        } else if !called && locks && set.is_none() {
            set = Some(name.to_string());
        }
        if name_at >= 2 && is_punct(before.get(name_at - 1), '.') {
            end = name_at - 1;
            continue;
        }
        let set = set.unwrap_or_else(|| name.to_string());
        return (!called).then_some((name_at, set, locks));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(code: &str) -> Option<String> {
        set_looked_up_apart_from_its_insert(code).map(|two| format!("{} in {}", two.set, two.place))
    }

    #[test]
    fn two_locks_are_two_steps() {
        let code = "fn crawl() { for url in urls { if !seen.lock().unwrap().contains(&url) { seen.lock().unwrap().insert(url.clone()); send(url); } } }";
        assert_eq!(found(code).as_deref(), Some("seen in fn crawl"));
        let code = "fn crawl() { let new = !self.seen.read().unwrap().contains(&u); if new { let _ = self.seen.write().unwrap().insert(u); } }";
        assert_eq!(found(code).as_deref(), Some("seen in fn crawl"));
        let code = "async fn crawl() { if !seen.lock().await.contains(&u) { seen.lock().await.insert(u); } }";
        assert_eq!(found(code).as_deref(), Some("seen in fn crawl"));
        // A guard looked at, dropped, and the lock taken again to mark.
        let code = "fn crawl() { let new = { let seen = seen.lock().unwrap(); !seen.contains(&u) }; if new { seen.lock().unwrap().insert(u.clone()); } }";
        assert_eq!(found(code).as_deref(), Some("seen in fn crawl"));
        let code = "fn crawl() { let new = { let s = state.lock().unwrap(); !s.seen.contains(&u) }; if new { let mut s = state.lock().unwrap(); s.seen.insert(u.clone()); s.queue.push(u); } }";
        assert_eq!(found(code).as_deref(), Some("state in fn crawl"));
        let code = "fn crawl() { if !seen.lock().unwrap().contains(&u) { let mut guard = seen.lock().unwrap(); guard.insert(u); } }";
        assert_eq!(found(code).as_deref(), Some("seen in fn crawl"));
    }

    #[test]
    fn one_step_one_guard_or_one_owner_is_right() {
        for code in [
            "fn crawl() { if seen.lock().unwrap().insert(url.clone()) { send(url); } }",
            "fn crawl() { let mut seen = seen.lock().unwrap(); if !seen.contains(&url) { seen.insert(url); } }",
            "fn crawl() { for u in links { let mut s = state.lock().unwrap(); if !s.seen.contains(&u) { s.seen.insert(u.clone()); s.queue.push(u); } } }",
            "fn crawl() { let g = state.lock().unwrap(); if g.queue.contains(&u) { return; } drop(g); let mut h = state.lock().unwrap(); h.seen.insert(u); }",
            "fn crawl() { if !seen.contains(&url) { seen.insert(url); } }",
            "fn crawl() { if seen.lock().unwrap().contains(&a) { return; } if seen.lock().unwrap().insert(a) { go(); } }",
            "fn crawl() { // seen.lock().unwrap().contains(&a); seen.lock().unwrap().insert(a);\n }",
        ] {
            assert_eq!(found(code), None, "{code}");
        }
    }
}
