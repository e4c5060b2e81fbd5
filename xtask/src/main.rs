//! Tooling for learners and maintainers: `cargo xtask <command>` (the alias lives in
//! `.cargo/config.toml`). Run `cargo xtask --help` for the list.

mod bench;
#[cfg(feature = "book")]
mod book;
#[cfg(all(test, feature = "book"))]
mod browser_test;
#[cfg_attr(
    not(any(test, feature = "book")),
    allow(dead_code, reason = "the book build and the tests read the chapters")
)]
mod chapters;
mod exercises;
// Used by the book's build; its tests check every quiz in `cargo test --workspace`.
#[cfg(any(feature = "book", test))]
mod quiz;
#[cfg(feature = "book")]
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Tooling for the course: build the book, measure the lessons, and more."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the book (mdBook, no separate install needed) and print where its HTML is.
    Book {
        /// Write the HTML here instead of `book/build`.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Then open it in your default browser.
        #[arg(long)]
        open: bool,
        /// Then serve it on http://127.0.0.1:PORT/ until you press Ctrl-C.
        #[arg(long)]
        serve: bool,
        /// The port for `--serve`.
        #[arg(long, value_name = "PORT", default_value_t = 3000, requires = "serve")]
        port: u16,
    },
    #[command(flatten)]
    Exercises(exercises::Command),
    /// Measure the lessons' speed claims on this machine: the CPU job with threads and processes,
    /// downloads, the price of a thread and of a process, the counter fixes, Python beside Rust,
    /// rayon on uniform and uneven work, and up to 10 000 downloads at once.
    ///
    /// Builds lessons 02, 03, 05, 09 and 10 with --release and runs them as a learner would,
    /// several times; prints medians, speedups and the course's targets (pass or miss: the exit
    /// code does not depend on them), and writes every figure to target/bench/bench.json. Python
    /// is optional.
    Bench {
        /// Smaller jobs and three runs: well under a minute on two cores (for CI and a first look).
        #[arg(long)]
        quick: bool,
        /// Print the JSON with every figure on stdout (the table then goes to stderr).
        #[arg(long)]
        json: bool,
        /// Also write the table, the charts and the JSON into book/src/generated/ for the book.
        #[arg(long)]
        book: bool,
        /// Measure nothing: report the figures saved in this JSON file (with --book, redraw the
        /// book's table and charts from them).
        #[arg(long, value_name = "FILE", conflicts_with = "quick")]
        from: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Book {
            out,
            open,
            serve,
            port,
        } => build_book(out.as_deref(), open, serve.then_some(port)),
        Command::Exercises(command) => {
            return exercises::run(&workspace_root(), command).unwrap_or_else(|error| {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            });
        }
        Command::Bench {
            quick,
            json,
            book,
            from,
        } => bench::run(&workspace_root(), quick, json, book, from.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Without the feature `book`, this xtask has no mdBook in it: it runs the one that has, built
/// the first time it is needed. mdBook is a third of the course's dependencies, and neither the
/// lessons, nor their tests, nor `verify` need it.
#[cfg(not(feature = "book"))]
fn build_book(_: Option<&Path>, _: bool, _: Option<u16>) -> Result<()> {
    eprintln!("Building the book needs mdBook: building xtask with it (the first time only) …");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        // The `test` profile, as `cargo test --workspace` builds: cargo keys what build scripts
        // depend on (cc, shlex) by profile, and would otherwise compile them a second time.
        .args(["run", "--quiet", "--profile", "test", "--package", "xtask"])
        .args(["--features", "book", "--"])
        .args(std::env::args_os().skip(1))
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}

#[cfg(feature = "book")]
fn build_book(out: Option<&Path>, open: bool, serve_on_port: Option<u16>) -> Result<()> {
    let index = book::build(&workspace_root(), out)?;
    println!("The book is built. Open it in a browser:");
    println!("  {}", index.display());
    let Some(port) = serve_on_port else {
        if open {
            open_in_browser(&index.display().to_string());
        }
        return Ok(());
    };
    let listener =
        serve::bind(port).with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    let url = format!("http://{}/", listener.local_addr()?);
    println!("Serving it at {url} (press Ctrl-C to stop).");
    if open {
        open_in_browser(&url);
    }
    serve::serve(
        &listener,
        index.parent().expect("index.html sits in a directory"),
    );
    Ok(())
}

#[cfg(feature = "book")]
/// Asks the desktop to open `target` (a path or a URL); says so when it cannot.
fn open_in_browser(target: &str) {
    // Windows: `start` is a command of cmd's own; its first quoted argument is a window title.
    let (opener, first_args): (&str, &[&str]) = if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else if cfg!(target_os = "macos") {
        ("open", &[])
    } else {
        ("xdg-open", &[])
    };
    let launched = std::process::Command::new(opener)
        .args(first_args)
        .arg(target)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !launched {
        println!("Could not start `{opener}`; open the address above yourself.");
    }
}

/// The workspace root: xtask lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
