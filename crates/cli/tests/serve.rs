//! `sayso serve` from the command line: it refuses what it cannot serve, and the demo answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn sayso() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sayso"))
}

#[test]
fn a_missing_store_is_refused_with_a_message() {
    let out = sayso().args(["serve", "--db", "/nonexistent/sayso.db", "--addr", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_demo_serves_pages_on_loopback() {
    let mut child = sayso().args(["serve", "--demo", "--addr", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|s| s.split('/').next()).map(String::from);
    let answer = addr.as_deref().map(|a| {
        let mut s = TcpStream::connect(a).unwrap();
        s.write_all(b"GET /speakers/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let answer = answer.unwrap_or_else(|| panic!("no address in {line:?}"));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Helen Marsh") || answer.contains("Tomas Reyes"), "{answer}");
}
