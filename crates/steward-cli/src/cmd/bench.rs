//! `steward bench countries`: resolving the country names that lists and registries use, side by
//! side with `countrynames` (the Python library FollowTheMoney and OpenSanctions use for the same
//! job), on the same names in the same run.
//!
//! The names come from public reference data read at run time (never shipped): the English names of
//! every ISO country in several official forms (UN short and formal names, CLDR display names,
//! currency-table names) and the countries of every List of Goods edition, each with the code the
//! source gives.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const PEER: &str = r#"
import json, sys, time
try:
    import countrynames
except ImportError:
    print(json.dumps({"error": "countrynames is not installed (pip install countrynames)"})); sys.exit(0)
names = json.load(open(sys.argv[1])); rounds = int(sys.argv[2])
countrynames.to_code("warm-up, not a country")  # loads its tables outside the timing
start = time.perf_counter()
codes = [countrynames.to_code(n) for n in names]
first = time.perf_counter() - start
start = time.perf_counter()
for _ in range(rounds):
    for n in names:
        countrynames.to_code(n)
try:
    from importlib.metadata import version
    v = version("countrynames")
except Exception:
    v = "?"
print(json.dumps({"codes": codes, "first": first, "seconds": time.perf_counter() - start, "version": v}))
"#;

/// Loads (name, expected alpha-2) pairs from the reference data folder.
fn cases(data: &Path) -> Result<Vec<(String, String)>> {
    let mut out = BTreeSet::new();
    let iso = data.join("iso3166-country-codes/country-codes.csv");
    let mut reader = csv::Reader::from_path(&iso).with_context(|| format!("could not read {}", iso.display()))?;
    let headers = reader.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let code = col("ISO3166-1-Alpha-2").context("no ISO3166-1-Alpha-2 column")?;
    let names: Vec<usize> = [
        "UNTERM English Short",
        "UNTERM English Formal",
        "official_name_en",
        "CLDR display name",
        "ISO4217-currency_country_name",
    ]
    .iter()
    .filter_map(|c| col(c))
    .collect();
    for row in reader.records() {
        let row = row?;
        let Some(alpha2) = row.get(code).filter(|c| c.len() == 2) else { continue };
        for &i in &names {
            if let Some(n) = row.get(i).map(str::trim).filter(|n| !n.is_empty()) {
                out.insert((n.to_string(), alpha2.to_string()));
            }
        }
    }
    let editions = data.join("ilab-tvpra-list");
    for entry in std::fs::read_dir(&editions).with_context(|| format!("could not read {}", editions.display()))? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let mut reader = csv::Reader::from_path(&path)?;
        let headers = reader.headers()?.clone();
        let (Some(c), Some(k)) =
            (headers.iter().position(|h| h == "country"), headers.iter().position(|h| h == "iso2"))
        else {
            continue;
        };
        for row in reader.records() {
            let row = row?;
            // Older editions give some countries retired or non-ISO codes (Burma as BU): those
            // rows cannot serve as truth, so only current ISO codes are kept.
            let iso = row.get(k).filter(|k| steward_core::country::by_alpha2(k).is_some());
            if let (Some(name), Some(alpha2)) = (row.get(c), iso) {
                out.insert((name.trim().to_string(), alpha2.to_string()));
            }
        }
    }
    Ok(out.into_iter().collect())
}

pub fn countries(data: &Path, python: &str, rounds: usize) -> Result<()> {
    let cases = cases(data)?;
    if cases.is_empty() {
        bail!("no names found under {}", data.display());
    }
    let names: Vec<&str> = cases.iter().map(|(n, _)| n.as_str()).collect();
    // Builds the name index outside the timing, as the peer loads its tables outside it.
    let _ = steward_core::country::resolve("warm-up, not a country");
    let start = Instant::now();
    let steward_codes: Vec<Option<&str>> =
        names.iter().map(|n| steward_core::country::resolve(n).ok().map(|c| c.alpha2)).collect();
    let steward_first = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let mut found = 0usize;
    for _ in 0..rounds {
        for n in &names {
            found += usize::from(steward_core::country::resolve(n).is_ok());
        }
    }
    let steward_secs = start.elapsed().as_secs_f64();
    std::hint::black_box(found);
    let correct = |codes: &[Option<&str>]| {
        cases.iter().zip(codes).filter(|((_, want), got)| got.as_deref() == Some(want.as_str())).count()
    };
    let steward_correct = correct(&steward_codes);

    let peer = run_peer(python, PEER, &names, &[rounds.to_string()])?;

    let n = cases.len();
    let rate = |secs: f64, passes: usize| (n * passes) as f64 / secs.max(1e-9);
    println!(
        "Country-name resolution: {n} distinct names with their ISO codes; first pass, then {rounds} repeated passes"
    );
    println!("{:<30} {:>8} {:>9} {:>16} {:>16}", "tool", "correct", "accuracy", "first, names/s", "repeat, names/s");
    let row = |label: &str, correct: usize, first: f64, repeat: f64| {
        println!(
            "{label:<30} {correct:>8} {:>8.1}% {:>16.0} {:>16.0}",
            100.0 * correct as f64 / n as f64,
            rate(first, 1),
            rate(repeat, rounds)
        );
    };
    row("steward", steward_correct, steward_first, steward_secs);
    if let Some(err) = peer.get("error").and_then(|e| e.as_str()) {
        println!("{:<30} not run: {err}", "countrynames (Python)");
        return Ok(());
    }
    let peer_codes: Vec<Option<String>> =
        peer["codes"].as_array().map(|a| a.iter().map(|c| c.as_str().map(String::from)).collect()).unwrap_or_default();
    let peer_refs: Vec<Option<&str>> = peer_codes.iter().map(|c| c.as_deref()).collect();
    let peer_correct = correct(&peer_refs);
    let peer_first = peer["first"].as_f64().unwrap_or(f64::NAN);
    let peer_secs = peer["seconds"].as_f64().unwrap_or(f64::NAN);
    row(
        &format!("countrynames {} (Python)", peer["version"].as_str().unwrap_or("?")),
        peer_correct,
        peer_first,
        peer_secs,
    );
    println!(
        "ratio steward/countrynames: {:.1}x on a first pass, {:.1}x repeated (countrynames caches answers); {:+} names resolved correctly",
        peer_first / steward_first,
        peer_secs / steward_secs,
        steward_correct as i64 - peer_correct as i64
    );
    let missed: Vec<&str> = cases
        .iter()
        .zip(&steward_codes)
        .filter(|((_, want), got)| got.as_deref() != Some(want.as_str()))
        .map(|((n, _), _)| n.as_str())
        .take(12)
        .collect();
    if !missed.is_empty() {
        println!("steward misses, for example: {}", missed.join("; "));
    }
    Ok(())
}

/// Runs a peer tool's Python script on `input` (written to a temporary JSON file, whose path is
/// the script's first argument) and returns what it printed as JSON, or `{"error": ...}` saying
/// why it could not run, so a missing peer shows in the report instead of stopping the benchmark.
pub fn run_peer(
    python: &str,
    script: &str,
    input: &impl serde::Serialize,
    args: &[String],
) -> Result<serde_json::Value> {
    let tmp = std::env::temp_dir().join(format!("steward-bench-{}.json", std::process::id()));
    std::fs::File::create(&tmp)?.write_all(serde_json::to_string(input)?.as_bytes())?;
    let output = Command::new(python).arg("-c").arg(script).arg(&tmp).args(args).output();
    let _ = std::fs::remove_file(&tmp);
    Ok(match output {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).unwrap_or_default(),
        Ok(o) => {
            serde_json::json!({"error": String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("failed").to_string()})
        }
        Err(e) => serde_json::json!({"error": format!("could not run {python}: {e}")}),
    })
}
