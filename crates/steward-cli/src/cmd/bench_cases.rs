//! `steward bench cases`: what confidentiality costs. Steward seals every name, contact,
//! narrative and perpetrator with an authenticated cipher, checks visibility on every read and
//! chains every write into the audit trail. This measures recording cases, listing them, searching
//! them and building the report on a scratch embedded database, and, in the same run, the same
//! operations on the same records in a plain SQLite table from Python — what a small team keeping
//! its cases in a spreadsheet-like database would otherwise have, with none of the protection.
//!
//! Generation is deterministic: every run records the same cases.

use anyhow::{Context, Result};
use std::time::Instant;
use steward_core::audit::Actor;
use steward_core::case::{NewCase, PersonAtRisk, PersonRole, Risk, Viewer, Visibility};
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
use steward_core::incident::{IncidentType, NewIncident, PerpetratorType};
use steward_core::org::{NewOrg, OrgKind};
use steward_core::report::Report;
use steward_core::role::Role;
use steward_core::user::NewUser;

const COUNTRIES: &[&str] = &["KH", "BD", "MM", "GT", "CO", "PH", "TR", "NG", "PK", "HN", "ZW", "BY"];
const GIVEN: &[&str] = &["Sokun", "Rahima", "Thida", "Mateo", "Ana", "Rodel", "Emre", "Chidi", "Ayesha", "Lucia"];
const FAMILY: &[&str] = &["Chan", "Begum", "Aung", "Lopez", "Reyes", "Santos", "Yilmaz", "Okafor", "Khan", "Moyo"];
const RISKS: &[Risk] = &[Risk::Life, Risk::Liberty, Risk::Livelihood, Risk::Other];
const KINDS: &[IncidentType] = &[
    IncidentType::ArbitraryArrest,
    IncidentType::Threat,
    IncidentType::AntiUnionDismissal,
    IncidentType::PhysicalAssault,
    IncidentType::Surveillance,
    IncidentType::JudicialHarassment,
];

/// One generated case, as both Steward and the plain table record it.
#[derive(serde::Serialize)]
struct Record {
    title: String,
    summary: String,
    country: &'static str,
    risk: &'static str,
    person: String,
    contact: String,
    workplace: String,
    kind: &'static str,
    place: String,
    perpetrator: String,
    description: String,
}

fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let person = format!("{} {} {i}", GIVEN[i % GIVEN.len()], FAMILY[(i / GIVEN.len()) % FAMILY.len()]);
            let kind = KINDS[i % KINDS.len()];
            Record {
                title: format!("Case {i}: {} against a union leader", kind.as_str()),
                summary: format!("Reported by the federation on day {}; the leader of local {i} is at risk.", i % 365),
                country: COUNTRIES[i % COUNTRIES.len()],
                risk: RISKS[i % RISKS.len()].as_str(),
                contact: format!("signal:+000-{i:07}"),
                workplace: format!("Factory {} of the {} district", i % 97, FAMILY[i % FAMILY.len()]),
                kind: kind.as_str(),
                place: format!("Police station {}", i % 31),
                perpetrator: format!("Officer {}", FAMILY[(i * 7) % FAMILY.len()]),
                description: format!("Taken at night after the meeting of local {i}."),
                person,
            }
        })
        .collect()
}

const PEER: &str = r#"
import json, sqlite3, sys, time, os, tempfile
data = json.load(open(sys.argv[1]))
records, word, rounds = data["records"], data["word"], data["rounds"]
path = os.path.join(tempfile.mkdtemp(), "cases.db")
db = sqlite3.connect(path)
db.executescript("""
PRAGMA journal_mode=WAL;
CREATE TABLE cases (id INTEGER PRIMARY KEY, title TEXT, summary TEXT, country TEXT, risk TEXT, created_at TEXT);
CREATE TABLE people (case_id INTEGER, name TEXT, contact TEXT, workplace TEXT);
CREATE TABLE incidents (case_id INTEGER, kind TEXT, place TEXT, perpetrator TEXT, description TEXT);
""")
out = {}
start = time.perf_counter()
for r in records:
    with db:
        cur = db.execute("INSERT INTO cases (title, summary, country, risk, created_at) VALUES (?, ?, ?, ?, datetime('now'))",
                         (r["title"], r["summary"], r["country"], r["risk"]))
        db.execute("INSERT INTO people VALUES (?, ?, ?, ?)", (cur.lastrowid, r["person"], r["contact"], r["workplace"]))
        db.execute("INSERT INTO incidents VALUES (?, ?, ?, ?, ?)", (cur.lastrowid, r["kind"], r["place"], r["perpetrator"], r["description"]))
out["record"] = time.perf_counter() - start
start = time.perf_counter()
for _ in range(rounds):
    rows = db.execute("SELECT c.*, p.name, p.contact, p.workplace FROM cases c JOIN people p ON p.case_id = c.id ORDER BY c.id DESC").fetchall()
out["list"] = (time.perf_counter() - start) / rounds
start = time.perf_counter()
for _ in range(rounds):
    like = "%" + word + "%"
    hits = db.execute("SELECT c.id FROM cases c JOIN people p ON p.case_id = c.id WHERE c.title LIKE ? OR c.summary LIKE ? OR p.name LIKE ? LIMIT 20",
                      (like, like, like)).fetchall()
out["search"] = (time.perf_counter() - start) / rounds
start = time.perf_counter()
for _ in range(rounds):
    db.execute("SELECT country, COUNT(*) FROM cases GROUP BY country").fetchall()
    db.execute("SELECT risk, COUNT(*) FROM cases GROUP BY risk").fetchall()
    db.execute("SELECT kind, COUNT(*) FROM incidents GROUP BY kind").fetchall()
    db.execute("SELECT strftime('%Y', created_at), COUNT(*) FROM cases GROUP BY 1").fetchall()
out["report"] = (time.perf_counter() - start) / rounds
print(json.dumps(out))
"#;

/// Runs the benchmark on `n` cases, repeating each read `rounds` times.
pub async fn run(config: &crate::config::Config, n: usize, rounds: usize, python: &str) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("steward-bench-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let result = measure(config, &dir, n, rounds, python).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(
    config: &crate::config::Config,
    dir: &std::path::Path,
    n: usize,
    rounds: usize,
    python: &str,
) -> Result<()> {
    let mut scratch = config.clone();
    scratch.data_dir = dir.to_path_buf();
    scratch.database_url = format!("sqlite://{}", dir.join("steward.db").display());
    scratch.key_file = dir.join("steward.key");
    scratch.keys_text = None;
    let store = super::open(&scratch).await?;
    let actor = Actor { user_id: None, label: "bench".into() };
    let org = store.create_org(&actor, NewOrg::new("Bench Federation", OrgKind::Workers, Some("KH"))?).await?;
    let user = store
        .create_user(
            &actor,
            NewUser {
                email: Email::parse("coordinator@bench.example")?,
                display_name: "Bench Coordinator".into(),
                org_id: org.id,
                role: Role::Coordinator,
                password_hash: hash_password(&generate_password()),
                must_change_password: false,
            },
        )
        .await?;
    let me = Viewer { user: user.id, org: org.id };
    let records = records(n);

    let progress = indicatif::ProgressBar::new(n as u64);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        progress.set_style(
            indicatif::ProgressStyle::with_template("{spinner} recording cases [{bar:30}] {pos}/{len}, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = Instant::now();
    for r in &records {
        let risk: Risk = r.risk.parse()?;
        let person = PersonAtRisk {
            name: r.person.clone(),
            role: Some(PersonRole::TradeUnionLeader),
            contact: Some(r.contact.clone()),
            workplace: Some(r.workplace.clone()),
            ..Default::default()
        };
        let new = NewCase::new(&r.title, &r.summary, Some(r.country), risk, Visibility::Internal, vec![person])?;
        let case = store.create_case(&actor, &me, new, &[], &[]).await?;
        let kind: IncidentType = r.kind.parse()?;
        let incident = NewIncident::new(
            kind,
            None,
            None,
            Some(&r.place),
            Some(PerpetratorType::Police),
            std::slice::from_ref(&r.perpetrator),
            Some(&r.description),
            &[0],
            1,
        )?;
        store.add_incident(&actor, &me, case.id, incident).await?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    let record_secs = started.elapsed().as_secs_f64();

    let rounds = rounds.max(1);
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(store.cases_for(&me).await?);
    }
    let list_secs = started.elapsed().as_secs_f64() / rounds as f64;

    // As `GET /api/v1/search` does: the cases the caller may see, opened, then their words.
    let wanted = &records[n / 2].person;
    let word = wanted.to_lowercase();
    let started = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        let cases = store.cases_for(&me).await?;
        found = cases
            .iter()
            .filter(|c| {
                let text = format!(
                    "{} {} {}",
                    c.title,
                    c.summary,
                    c.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(" ")
                )
                .to_lowercase();
                word.split_whitespace().all(|w| text.contains(w))
            })
            .take(20)
            .count();
    }
    let search_secs = started.elapsed().as_secs_f64() / rounds as f64;

    let clocks = store.response_clocks().await?;
    let min = store.report_min_count().await?;
    let started = Instant::now();
    for _ in 0..rounds {
        let facts = store.report_facts(&me).await?;
        std::hint::black_box(Report::build(&facts, min, &clocks, steward_core::clock::now()));
    }
    let report_secs = started.elapsed().as_secs_f64() / rounds as f64;
    let size = std::fs::metadata(dir.join("steward.db")).map(|m| m.len()).unwrap_or(0);
    store.close().await;

    println!("Case work benchmark: {n} cases (one person at risk and one incident each), embedded SQLite, sealed");
    println!(
        "  record a case:          {:>9.0} cases/second ({:.2} ms each, with its incident)",
        n as f64 / record_secs,
        record_secs * 1e3 / n as f64
    );
    println!("  list every case:        {:>9.1} ms ({rounds} rounds)", list_secs * 1e3);
    println!("  search '{word}':   {:>9.1} ms ({found} found)", search_secs * 1e3);
    println!("  build the report:       {:>9.1} ms", report_secs * 1e3);
    println!("  database size:          {:>9.1} MiB", size as f64 / (1024.0 * 1024.0));

    let input = serde_json::json!({ "records": records, "word": wanted, "rounds": rounds });
    let peer = super::bench::run_peer(python, PEER, &input, &[])?;
    if let Some(err) = peer.get("error").and_then(|e| e.as_str()) {
        println!("  plain SQLite from Python: not run: {err}");
        return Ok(());
    }
    let secs = |k: &str| peer.get(k).and_then(|v| v.as_f64()).unwrap_or(f64::NAN);
    println!("Plain SQLite from Python (no encryption, no visibility rules, no audit trail), same records:");
    let line = |what: &str, ours: f64, theirs: f64| {
        println!(
            "  {what:<23} {:>9.1} ms vs {:>9.1} ms: Steward takes {:.1}x the time",
            ours * 1e3,
            theirs * 1e3,
            ours / theirs
        )
    };
    println!(
        "  record a case:          {:>9.0} cases/second: Steward takes {:.1}x the time",
        n as f64 / secs("record"),
        record_secs / secs("record")
    );
    line("list every case:", list_secs, secs("list"));
    line("search:", search_secs, secs("search"));
    line("build the report:", report_secs, secs("report"));
    Ok(())
}
