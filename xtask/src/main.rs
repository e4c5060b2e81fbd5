//! Tooling for learners and maintainers: `cargo xtask <command>` (the alias lives in
//! `.cargo/config.toml`). Run `cargo xtask --help` for the list.

mod book;
mod exercises;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Tooling for the course: build the book, and more."
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
    },
    #[command(flatten)]
    Exercises(exercises::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Book { out } => book::build(&workspace_root(), out.as_deref()).map(|index| {
            println!("The book is built. Open it in a browser:");
            println!("  {}", index.display());
        }),
        Command::Exercises(command) => {
            return exercises::run(&workspace_root(), command).unwrap_or_else(|error| {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            });
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives in `<root>/xtask`.
fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
