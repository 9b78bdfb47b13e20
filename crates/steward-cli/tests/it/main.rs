#![allow(missing_docs, clippy::unwrap_used)]
//! The real `steward` binary: its command-line contract, start-up, bad input, audit tampering
//! caught through the database's own shell, and one end-to-end run in headless Chromium.

mod browser;
mod cli;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_steward");

/// Runs `steward ARGS` on the embedded database in `dir`.
pub fn steward(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("STEWARD_DATABASE_URL")
        .output()
        .expect("run steward")
}

/// Runs `steward ARGS` on the database at `url`.
pub fn steward_url(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--database-url")
        .arg(url)
        .env("STEWARD_KEY_FILE", key_file_for(url))
        .output()
        .expect("run steward")
}

/// The key file the tests use with the database at `url` (outside the source tree).
pub fn key_file_for(url: &str) -> String {
    let name: String = url.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    std::env::temp_dir().join("steward-test-keys").join(format!("{name}.key")).to_str().unwrap().to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().trim().to_string()
}

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("steward-cli-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> String {
    steward_core::credential::generate_session_secret()[..10].to_string()
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether a program is installed.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}
