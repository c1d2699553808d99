//! A bounded load generator for `bench/serve.sh`: N keep-alive HTTP/1.1 connections to one
//! loopback address, each sending the paths of a file in turn for a fixed time (and at most
//! a fixed number of requests), then latency percentiles per kind of path and errors.
//!
//! sayso-load ADDR PATHS_FILE [--connections 200] [--seconds 60] [--max-requests 5000000]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    addr: SocketAddr,
    paths: Vec<String>,
    connections: usize,
    seconds: u64,
    max_requests: u64,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut addr, mut file, mut connections, mut seconds, mut max_requests) = (None, None, 200, 60, 5_000_000);
    while let Some(a) = it.next() {
        let mut num = |name: &str| it.next().and_then(|v| v.parse::<u64>().ok()).ok_or(format!("{name} needs a number"));
        match a.as_str() {
            "--connections" => connections = num("--connections")?.clamp(1, 10_000) as usize,
            "--seconds" => seconds = num("--seconds")?.clamp(1, 3600),
            "--max-requests" => max_requests = num("--max-requests")?,
            _ if addr.is_none() => addr = Some(a.parse::<SocketAddr>().map_err(|e| format!("{a}: {e}"))?),
            _ => file = Some(a),
        }
    }
    let addr = addr.ok_or("usage: sayso-load ADDR PATHS_FILE [--connections N] [--seconds S] [--max-requests N]")?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr} is not a loopback address: this tool loads only servers on this machine"));
    }
    let file = file.ok_or("no file of paths given")?;
    let paths: Vec<String> = std::fs::read_to_string(&file)
        .map_err(|e| format!("{file}: {e}"))?
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('/'))
        .map(String::from)
        .collect();
    if paths.is_empty() {
        return Err(format!("{file}: no paths (lines starting with /)"));
    }
    Ok(Args { addr, paths, connections, seconds, max_requests })
}

/// The kind of a path for the report: its first segment (`search`, `articles`, …).
fn kind(path: &str) -> String {
    path.trim_start_matches("/api/v1").trim_start_matches('/').split(['/', '?']).next().unwrap_or("").to_string()
}

/// One request on a kept-alive connection: the status, after reading the whole body.
async fn request(conn: &mut BufReader<TcpStream>, host: &str, path: &str) -> std::io::Result<u16> {
    conn.get_mut().write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes()).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or(std::io::ErrorKind::InvalidData)?;
    let mut length = None;
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse::<u64>().ok();
            }
        }
    }
    let length = length.ok_or(std::io::ErrorKind::InvalidData)?;
    tokio::io::copy(&mut (&mut *conn).take(length), &mut tokio::io::sink()).await?;
    Ok(status)
}

#[derive(Default)]
struct Tally {
    /// Microseconds per request, by kind of path.
    latencies: BTreeMap<String, Vec<u32>>,
    errors: u64,
    first_error: Option<String>,
}

async fn connection(a: Arc<Args>, start: usize, deadline: Instant, sent: Arc<AtomicU64>) -> Tally {
    let mut t = Tally::default();
    let host = a.addr.to_string();
    let mut conn = None;
    let mut k = start;
    while Instant::now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < a.max_requests {
        let path = &a.paths[k % a.paths.len()];
        k += 1;
        if conn.is_none() {
            match TcpStream::connect(a.addr).await {
                Ok(s) => conn = Some(BufReader::new(s)),
                Err(e) => {
                    t.errors += 1;
                    t.first_error.get_or_insert(format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let began = Instant::now();
        let r = request(conn.as_mut().expect("connected above"), &host, path).await;
        let us = began.elapsed().as_micros().min(u32::MAX as u128) as u32;
        match r {
            Ok(s) if (200..300).contains(&s) => t.latencies.entry(kind(path)).or_default().push(us),
            Ok(s) => {
                t.errors += 1;
                t.first_error.get_or_insert(format!("{s} for {path}"));
            }
            Err(e) => {
                t.errors += 1;
                t.first_error.get_or_insert(format!("{e} for {path}"));
                conn = None;
            }
        }
    }
    t
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0
}

fn main() {
    let a = match args() {
        Ok(a) => Arc::new(a),
        Err(e) => {
            eprintln!("sayso-load: {e}");
            std::process::exit(2);
        }
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let began = Instant::now();
    let deadline = began + Duration::from_secs(a.seconds);
    let sent = Arc::new(AtomicU64::new(0));
    let tallies = rt.block_on(async {
        let tasks: Vec<_> =
            (0..a.connections).map(|c| tokio::spawn(connection(Arc::clone(&a), c * 7919, deadline, Arc::clone(&sent)))).collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap_or_default());
        }
        out
    });
    let secs = began.elapsed().as_secs_f64();
    let mut all: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let (mut errors, mut first_error) = (0, None);
    for t in tallies {
        for (k, v) in t.latencies {
            all.entry(k).or_default().extend(v);
        }
        errors += t.errors;
        first_error = first_error.or(t.first_error);
    }
    let mut total: Vec<u32> = all.values().flatten().copied().collect();
    total.sort_unstable();
    println!("{} connections, {secs:.1} s: {} requests ({:.0}/s), {errors} errors", a.connections, total.len(), total.len() as f64 / secs);
    let line = |name: &str, v: &[u32]| {
        println!(
            "  {name:<10} {:>8} requests  p50 {:>7.1} ms  p90 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.9),
            percentile(v, 0.99),
            percentile(v, 1.0)
        )
    };
    for (k, v) in &mut all {
        v.sort_unstable();
        line(k, v);
    }
    line("all", &total);
    if let Some(e) = first_error {
        println!("  first error: {e}");
    }
    std::process::exit(if errors > 0 { 1 } else { 0 });
}
