//! The book in a real browser: headless Chromium loads every chapter from a local server and the
//! test fails on any JavaScript error, a sidebar without a lesson, a search that finds nothing, or
//! code that was not highlighted. It saves a screenshot of lesson 01 for a person to look at.
//!
//! Chromium is driven over its debugging protocol (CDP) through a pipe (`--remote-debugging-pipe`:
//! it reads commands on its file descriptor 3 and writes answers on 4, as JSON ended by a NUL
//! byte), so the test needs neither a driver program nor a websocket library.
//!
//! It is `#[ignore]`d, so that `cargo test --workspace` needs nothing but Rust; `.ci/run` runs it
//! with `cargo test -p xtask --features book -- --ignored`. Without Chromium it says so and is skipped, except in
//! CI (`CI` set), where a missing Chromium is a failure.

use std::collections::VecDeque;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The longest any single step may take: an answer from Chromium, a page load, a condition.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
const VIEWPORT: (u32, u32) = (1280, 900);

#[test]
#[ignore = "needs Chromium; `.ci/run` runs it: cargo test -p xtask --features book -- --ignored"]
fn the_book_works_in_headless_chromium() {
    let Some(chromium) = find_chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium not found, and CI must run the browser test: install it (apt-get install chromium) or set CHROMIUM"
        );
        // Written past the test harness's capture, so that the skip is visible.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: chromium not found (install Debian's `chromium` package or set CHROMIUM=/path/to/chromium)"
        );
        return;
    };
    let root = crate::workspace_root();
    let out = tempfile::tempdir().unwrap();
    crate::book::build(&root, Some(out.path())).expect("the book builds");
    let address = crate::serve::serve_in_background(out.path().to_path_buf()).unwrap();
    let base = format!("http://{address}/");

    let chapters = summary_chapters(&root);
    let lessons: Vec<&String> = chapters
        .iter()
        .filter(|page| page.starts_with("lesson-"))
        .collect();
    assert!(!lessons.is_empty(), "SUMMARY.md lists no lesson chapter");

    let mut browser = Browser::launch(&chromium);
    browser.command(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": VIEWPORT.0, "height": VIEWPORT.1, "deviceScaleFactor": 1, "mobile": false }),
    );

    let mut cut_off = Vec::new();
    for page in &chapters {
        browser.load(&format!("{base}{page}"));
        let found = browser.wait_for(
            "document.querySelectorAll('#mdbook-sidebar a[href]').length > 0 \
             && [...document.querySelectorAll('pre > code')].every(c => c.classList.contains('hljs'))",
        );
        assert!(
            found,
            "{page}: no sidebar links, or a code block was not highlighted"
        );
        let sidebar = browser.evaluate(
            "[...document.querySelectorAll('#mdbook-sidebar a[href]')]\
               .map(a => a.getAttribute('href'))",
        );
        for lesson in &lessons {
            assert!(
                sidebar
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|href| href.as_str().is_some_and(|href| href.ends_with(*lesson))),
                "{page}: the sidebar does not list {lesson}: {sidebar}"
            );
        }
        let rust_blocks =
            browser.evaluate("document.querySelectorAll('code.language-rust').length");
        if rust_blocks.as_u64().unwrap_or(0) > 0 {
            let keywords =
                browser.evaluate("document.querySelectorAll('code.hljs .hljs-keyword').length");
            assert!(
                keywords.as_u64().unwrap_or(0) > 0,
                "{page}: Rust code without highlighted keywords"
            );
        }
        if page.starts_with("lesson-") {
            let quiz = browser.evaluate(QUIZ);
            assert_eq!(
                quiz,
                json!("ok"),
                "{page}: the quiz at the end of the chapter"
            );
        }
        if let Some(found) = browser.evaluate(CUT_OFF).as_array() {
            cut_off.extend(
                found
                    .iter()
                    .map(|line| format!("{page}: {}", line.as_str().unwrap_or_default())),
            );
        }
        browser.assert_no_errors(page);
    }

    assert!(
        cut_off.is_empty(),
        "listings or tables wider than the book's column at {}×{} with the sidebar open (a \
         reader would have to scroll sideways):\n  {}",
        VIEWPORT.0,
        VIEWPORT.1,
        cut_off.join("\n  ")
    );
    check_search(&mut browser, &base);
    let mut saved = save_screenshots(&mut browser, &base, &target_dir(&root).join("browser-test"));
    saved.push(check_side_by_side(
        &mut browser,
        &base,
        &target_dir(&root).join("browser-test"),
    ));
    browser.close();
    println!("screenshots:\n  {}", saved.join("\n  "));
}

/// The code blocks and tables of a page that are wider than the column, as it is shown and with
/// every listing's whole program revealed (what mdBook's eye button does): for each, the longest
/// line of the code or the first line of the table.
const CUT_OFF: &str = "(() => {
    const over = e => e.scrollWidth > e.clientWidth + 1;
    const longest = text => text.split('\\n')
        .reduce((a, b) => b.length > a.length ? b : a, '').trim().slice(0, 80);
    const found = [];
    const look = state => {
        for (const c of document.querySelectorAll('main pre > code'))
            if (over(c)) found.push(`${state}: code: ${longest(c.innerText)}`);
        for (const t of document.querySelectorAll('main .table-wrapper'))
            if (over(t)) found.push(`${state}: table: ${t.innerText.split('\\n')[0].slice(0, 80)}`);
    };
    look('as shown');
    const folded = [...document.querySelectorAll('code.hide-boring')];
    folded.forEach(c => c.classList.remove('hide-boring'));
    look('whole program');
    folded.forEach(c => c.classList.add('hide-boring'));
    return found;
})()";

/// Answers the chapter's quiz as a reader would: a wrong choice in the first question, the right
/// one in the second. Each answer must be hidden before the click, then shown with its verdict,
/// the right choice marked, and the question closed to further picks.
const QUIZ: &str = "(() => {
    const quizzes = [...document.querySelectorAll('main .quiz')];
    if (quizzes.length < 2) return `${quizzes.length} quiz questions`;
    const pick = (quiz, wantRight) => {
        const why = quiz.querySelector('.quiz-why');
        if (!why.hidden || why.offsetParent !== null) return 'the answer shows before a pick';
        const choice = [...quiz.querySelectorAll('.quiz-choice')]
            .find(c => c.hasAttribute('data-right') === wantRight);
        if (!choice) return 'no such choice';
        choice.click();
        if (why.hidden || why.offsetParent === null) return 'the answer is still hidden';
        const verdict = getComputedStyle(why, '::before').content;
        if (!verdict.includes(wantRight ? 'Right' : 'Not quite')) return `verdict ${verdict}`;
        if (!quiz.querySelector('.quiz-choice[data-right]').classList.contains('quiz-right'))
            return 'the right choice is not marked';
        if (![...quiz.querySelectorAll('.quiz-choice')].every(c => c.disabled))
            return 'the choices still take clicks';
        return 'ok';
    };
    const wrong = pick(quizzes[0], false);
    if (wrong !== 'ok') return `a wrong pick: ${wrong}`;
    const right = pick(quizzes[1], true);
    if (right !== 'ok') return `a right pick: ${right}`;
    return 'ok';
})()";

/// Where a chapter compares Python and Rust, the two sit side by side on a wide screen, each fully
/// visible, and one above the other at [`VIEWPORT`] (the per-page checks above). Returns the path
/// of a screenshot of the pair.
fn check_side_by_side(browser: &mut Browser, base: &str, shots: &Path) -> String {
    const PAIR: &str = "(() => {
        const pair = document.querySelector('main .side-by-side');
        if (!pair || pair.children.length !== 2) return 'no pair of columns';
        const [left, right] = [...pair.children].map(c => c.getBoundingClientRect());
        const stacked = right.top >= left.bottom - 1;
        const beside = Math.abs(right.top - left.top) < 2 && right.left >= left.right;
        const cut = [...pair.querySelectorAll('pre > code')]
            .some(c => c.scrollWidth > c.clientWidth + 1);
        const inside = left.left >= 0 && right.right <= window.innerWidth;
        return JSON.stringify({stacked, beside, cut, inside});
    })()";
    browser.load(&format!("{base}lesson-01.html"));
    assert!(browser.wait_for("document.querySelectorAll('code.hljs').length > 0"));
    let narrow = browser.evaluate(PAIR);
    assert!(
        narrow
            .as_str()
            .is_some_and(|v| v.contains("\"stacked\":true")),
        "lesson-01.html at {}×{}: Python and Rust should be one above the other: {narrow}",
        VIEWPORT.0,
        VIEWPORT.1
    );
    browser.command(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": false }),
    );
    browser.load(&format!("{base}lesson-01.html"));
    assert!(browser.wait_for("document.querySelectorAll('code.hljs').length > 0"));
    let wide = browser.evaluate(PAIR);
    assert_eq!(
        wide,
        json!(r#"{"stacked":false,"beside":true,"cut":false,"inside":true}"#),
        "lesson-01.html at 1920×1080: Python and Rust side by side, nothing cut off"
    );
    browser.evaluate("document.querySelector('main .side-by-side').scrollIntoView()");
    let path = shots.join("lesson-01-side-by-side.png");
    browser.screenshot(&path);
    browser.assert_no_errors("lesson-01.html, wide");
    path.display().to_string()
}

/// Presses `s`, types "deadlock" as a reader would, and checks that the glossary is found.
fn check_search(browser: &mut Browser, base: &str) {
    browser.load(&format!("{base}introduction.html"));
    browser.press_key("s");
    assert!(
        browser
            .wait_for("document.activeElement && document.activeElement.id === 'mdbook-searchbar'"),
        "pressing `s` did not open the search bar"
    );
    for key in "deadlock".chars() {
        browser.press_key(&key.to_string());
    }
    assert!(
        browser.wait_for("document.querySelectorAll('#mdbook-searchresults li a').length > 0"),
        "searching for \"deadlock\" found nothing"
    );
    let results = browser.evaluate(
        "[...document.querySelectorAll('#mdbook-searchresults li a')].map(a => a.getAttribute('href'))",
    );
    assert!(
        results.to_string().contains("glossary.html"),
        "the search results for \"deadlock\" do not include the glossary: {results}"
    );
    browser.assert_no_errors("the search");
}

/// Screenshots of lesson 01, for a person to look at: its top, its Rust listing, its output, and
/// its closing table. Returns their paths.
fn save_screenshots(browser: &mut Browser, base: &str, shots: &Path) -> Vec<String> {
    browser.load(&format!("{base}lesson-01.html"));
    assert!(browser.wait_for("document.querySelectorAll('code.hljs').length > 0"));
    fs::create_dir_all(shots).unwrap();
    let mut saved = Vec::new();
    for (name, selector) in [
        ("lesson-01.png", None),
        ("lesson-01-rust.png", Some("pre > code.language-rust")),
        ("lesson-01-output.png", Some("pre > code.language-text")),
        ("lesson-01-table.png", Some("table")),
        ("lesson-01-quiz.png", Some(".quiz")),
    ] {
        if let Some(selector) = selector {
            let scrolled = browser.evaluate(&format!(
                "(e => {{ if (!e) return false; e.scrollIntoView({{block: 'center'}}); return true; }})\
                 (document.querySelector('{selector}'))"
            ));
            assert_eq!(scrolled, json!(true), "lesson-01.html has no {selector}");
        }
        let path = shots.join(name);
        browser.screenshot(&path);
        saved.push(path.display().to_string());
    }
    // The first question answered wrongly, as a reader sees it then.
    browser.evaluate(
        "(q => { q.scrollIntoView({block: 'center'}); \
           q.querySelector('.quiz-choice:not([data-right])').click(); })\
         (document.querySelector('.quiz'))",
    );
    let path = shots.join("lesson-01-quiz-answered.png");
    browser.screenshot(&path);
    saved.push(path.display().to_string());
    // The first listing's eye button reveals the whole program that ran, `main` included.
    let revealed = browser.evaluate(
        "(() => { const button = document.querySelector('pre > .buttons button[title=\"Show hidden lines\"]'); \
           if (!button) return 'no eye button'; \
           const code = button.closest('pre').querySelector('code'); \
           const before = code.innerText.includes('fn main()'); \
           button.click(); \
           code.scrollIntoView({block: 'start'}); \
           return before ? 'main shown before the click' \
             : code.innerText.includes('fn main()') ? 'ok' : 'main still hidden'; })()",
    );
    assert_eq!(
        revealed,
        json!("ok"),
        "lesson-01.html, the eye button of the first listing"
    );
    let path = shots.join("lesson-01-whole-program.png");
    browser.screenshot(&path);
    saved.push(path.display().to_string());
    browser.assert_no_errors("lesson-01.html");
    saved
}

#[test]
#[ignore = "needs Chromium; `.ci/run` runs it: cargo test -p xtask --features book -- --ignored"]
fn the_browser_test_sees_a_javascript_error() {
    let Some(chromium) = find_chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium not found");
        let _ = writeln!(std::io::stderr(), "skipped: chromium not found");
        return;
    };
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("index.html"),
        "<html><body><script>throw new Error('deliberate failure')</script></body></html>",
    )
    .unwrap();
    let address = crate::serve::serve_in_background(site.path().to_path_buf()).unwrap();
    let mut browser = Browser::launch(&chromium);
    browser.load(&format!("http://{address}/"));
    browser.evaluate("true"); // the exception event arrives before this answer
    let errors = browser.errors.join("\n");
    assert!(errors.contains("deliberate failure"), "{errors:?}");
    browser.close();
}

/// `CHROMIUM` if set, else the first `chromium` or `chromium-browser` on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The chapter pages of SUMMARY.md, in order, as `name.html`.
fn summary_chapters(root: &Path) -> Vec<String> {
    let summary = fs::read_to_string(root.join("book/src/SUMMARY.md")).unwrap();
    summary
        .match_indices("](")
        .filter_map(|(start, _)| {
            let rest = &summary[start + 2..];
            let target = &rest[..rest.find(')')?];
            Some(target.strip_suffix(".md")?.to_string() + ".html")
        })
        .collect()
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// One headless Chromium with one page, spoken to over its debugging protocol.
struct Browser {
    child: Child,
    commands: ChildStdin,
    messages: Receiver<Value>,
    /// Events that arrived while the test waited for something else.
    pending: VecDeque<Value>,
    session: String,
    next_id: u64,
    /// JavaScript exceptions, console errors and failed loads, not yet reported.
    errors: Vec<String>,
    log: PathBuf,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let log = profile.path().join("chromium.log");
        // `sh` hands our stdin and stdout to Chromium as its descriptors 3 and 4.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", chromium.display()));
        let commands = child.stdin.take().unwrap();
        let answers = child.stdout.take().unwrap();
        let (sender, messages) = mpsc::channel();
        thread::spawn(move || {
            let mut answers = BufReader::new(answers);
            let mut message = Vec::new();
            while answers.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                message.pop_if(|byte| *byte == 0);
                if let Ok(value) = serde_json::from_slice(&message)
                    && sender.send(value).is_err()
                {
                    break;
                }
                message.clear();
            }
        });
        let mut browser = Browser {
            child,
            commands,
            messages,
            pending: VecDeque::new(),
            session: String::new(),
            next_id: 0,
            errors: Vec::new(),
            log,
            _profile: profile,
        };
        let target = browser.command("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].clone();
        let attached = browser.command(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.command(domain, json!({}));
        }
        browser
    }

    /// Sends one command (to the page once attached) and returns its result.
    fn command(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method });
        message["params"] = params;
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        if let Err(error) = self.commands.write_all(&bytes) {
            self.fail(&format!("cannot send {method}: {error}"));
        }
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let message = self.receive(deadline, method);
            if message["id"] == json!(id) {
                if let Some(error) = message.get("error") {
                    self.fail(&format!("{method} failed: {error}"));
                }
                return message["result"].clone();
            }
            self.note(message);
        }
    }

    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.messages.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => self.fail(&format!(
                "no answer within {STEP_TIMEOUT:?} to {waiting_for}"
            )),
            Err(RecvTimeoutError::Disconnected) => self.fail(&format!(
                "Chromium closed its pipe while waiting for {waiting_for}"
            )),
        }
    }

    /// Keeps an event: errors go to `errors`, everything else waits in `pending`.
    fn note(&mut self, event: Value) {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or("") {
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                let text = details["exception"]["description"]
                    .as_str()
                    .or(details["text"].as_str())
                    .unwrap_or("an exception");
                self.errors.push(format!(
                    "JavaScript exception: {text} at {}",
                    details["url"]
                ));
            }
            "Runtime.consoleAPICalled"
                if params["type"] == "error" || params["type"] == "assert" =>
            {
                self.errors
                    .push(format!("console.error: {}", params["args"]));
            }
            "Log.entryAdded" if params["entry"]["level"] == "error" => {
                let entry = &params["entry"];
                self.errors.push(format!(
                    "browser error: {} ({})",
                    entry["text"], entry["url"]
                ));
            }
            _ => self.pending.push_back(event),
        }
    }

    fn wait_for_event(&mut self, method: &str) {
        if let Some(index) = self.pending.iter().position(|e| e["method"] == method) {
            self.pending.remove(index);
            return;
        }
        let deadline = Instant::now() + STEP_TIMEOUT;
        loop {
            let message = self.receive(deadline, method);
            if message["method"] == method {
                return;
            }
            self.note(message);
        }
    }

    /// Navigates to `url` and waits for its load event.
    fn load(&mut self, url: &str) {
        self.pending.clear();
        let navigation = self.command("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigation.get("errorText") {
            self.fail(&format!("cannot load {url}: {error}"));
        }
        self.wait_for_event("Page.loadEventFired");
    }

    /// The value of a JavaScript expression in the page.
    fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.command(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            self.fail(&format!("evaluating {expression}: {exception}"));
        }
        result["result"]["value"].clone()
    }

    /// Whether the JavaScript `condition` becomes true within the step timeout (checked in the
    /// page every 50 ms).
    fn wait_for(&mut self, condition: &str) -> bool {
        let limit = STEP_TIMEOUT.as_millis() / 2;
        self.evaluate(&format!(
            "new Promise(done => {{ const start = Date.now(); (function check() {{ \
               if ({condition}) done(true); \
               else if (Date.now() - start > {limit}) done(false); \
               else setTimeout(check, 50); }})(); }})"
        )) == json!(true)
    }

    /// Presses and releases one printable key, as typing does.
    fn press_key(&mut self, key: &str) {
        let code = format!("Key{}", key.to_uppercase());
        let key_code = key.to_uppercase().chars().next().map_or(0, |c| c as u32);
        self.command(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyDown", "key": key, "code": code, "text": key,
                    "windowsVirtualKeyCode": key_code }),
        );
        self.command(
            "Input.dispatchKeyEvent",
            json!({ "type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": key_code }),
        );
    }

    fn screenshot(&mut self, path: &Path) {
        let shot = self.command("Page.captureScreenshot", json!({ "format": "png" }));
        let png = decode_base64(shot["data"].as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        fs::write(path, png).unwrap();
    }

    /// Fails with every error collected since the last check, if there is one.
    fn assert_no_errors(&mut self, during: &str) {
        if !self.errors.is_empty() {
            let errors = self.errors.join("\n  ");
            self.fail(&format!("errors while loading {during}:\n  {errors}"));
        }
    }

    fn close(&mut self) {
        self.session.clear();
        let _ = self
            .commands
            .write_all(b"{\"id\":0,\"method\":\"Browser.close\"}\0");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait().is_ok_and(|status| status.is_some()) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn fail(&mut self, message: &str) -> ! {
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "{message}\n--- last lines of Chromium's log ---\n{}",
            tail.join("\n")
        );
    }
}

impl Drop for Browser {
    /// Chromium never outlives the test, whether it passed or failed.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (as in the protocol's screenshot data), without a crate for it.
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u32> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0, |acc, (i, digit)| acc | digit << (18 - 6 * i));
        let [_, b0, b1, b2] = bits.to_be_bytes();
        bytes.extend_from_slice(&[b0, b1, b2][..chunk.len() - 1]);
    }
    bytes
}

#[test]
fn base64_decodes_what_it_should() {
    assert_eq!(decode_base64("TWFu"), b"Man");
    assert_eq!(decode_base64("TWE="), b"Ma");
    assert_eq!(decode_base64("TQ=="), b"M");
    assert_eq!(decode_base64(""), b"");
}
