//! `steward bench match`: how well and how fast names are matched, beside rapidfuzz and
//! nomenklatura (logic-v2) on the same labelled pairs in the same run.
//!
//! The pairs are the user's (`--pairs FILE.csv` with columns schema,name1,name2,label) or generated
//! from the base names shipped in `bench/entity-names.txt`: for each base, variants that name the
//! same party (legal-form spellings, a typo, abbreviations, punctuation, word order for people)
//! and near misses that name another (another city, another product, another site number,
//! another person of the same family). Generation is deterministic.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::time::Instant;
use steward_core::list::EntitySchema;
use steward_screen::matcher::{compare, DEFAULT_THRESHOLD};

const BASES: &str = include_str!("../../bench/entity-names.txt");

/// A labelled pair.
#[derive(Debug, Clone)]
struct Pair {
    schema: String,
    left: String,
    right: String,
    same: bool,
    kind: &'static str,
}

/// A small deterministic generator, so every run judges the same pairs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const LEGAL_VARIANTS: &[(&str, &[&str])] = &[
    ("Co., Ltd.", &["Company Limited", "CO LTD", "Co. Ltd", "Co.,Ltd."]),
    ("Ltd.", &["Limited", "LTD"]),
    ("S.A. de C.V.", &["SA de CV", "S.A. DE C.V."]),
    ("S.A.", &["SA", "Sociedad Anonima"]),
    ("GmbH", &["G.m.b.H.", "GMBH"]),
    ("LLC", &["Limited Liability Company", "L.L.C."]),
    ("JSC", &["Joint Stock Company", "J.S.C."]),
    ("Joint Stock Company", &["JSC"]),
    ("Company Limited", &["Co., Ltd.", "Co Ltd"]),
    ("Public Company Limited", &["PCL", "Public Co., Ltd."]),
    ("Private Limited", &["Pvt. Ltd.", "Pvt Ltd"]),
    ("Sdn. Bhd.", &["Sdn Bhd", "SDN. BHD."]),
    ("Corporation", &["Corp.", "CORP"]),
    ("SARL", &["S.A.R.L."]),
    ("Ltda.", &["Limitada", "LTDA"]),
    ("Tbk", &["Tbk.", "TBK"]),
];

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("International", "Intl."),
    ("Manufacturing", "Mfg."),
    ("Industries", "Inds."),
    ("Technology", "Tech."),
    (" and ", " & "),
    (" & ", " and "),
];

const PLACES: &[&str] =
    &["Kashgar", "Urumqi", "Shihezi", "Korla", "Turpan", "Hami", "Yining", "Karamay", "Ningbo", "Wuxi"];
const PRODUCTS: &[&str] =
    &["Chemical", "Electronics", "Footwear", "Furniture", "Plastics", "Ceramics", "Paper", "Glass"];
const GIVEN: &[&str] = &["Wei", "Fang", "Jun", "Ahmed", "Irina", "Elena", "Carlos", "Lan", "Omar", "Dmitri"];

fn legal_split(name: &str) -> (&str, Option<&'static str>) {
    for (form, _) in LEGAL_VARIANTS {
        if let Some(core) = name.strip_suffix(form) {
            return (core.trim_end().trim_end_matches(','), Some(form));
        }
    }
    (name, None)
}

fn typo(rng: &mut Rng, name: &str) -> String {
    // One edit inside the longest word, never its first letter.
    let words: Vec<&str> = name.split(' ').collect();
    let (wi, w) =
        words.iter().enumerate().max_by_key(|(_, w)| w.chars().count()).map(|(i, w)| (i, *w)).unwrap_or((0, name));
    let chars: Vec<char> = w.chars().collect();
    if chars.len() < 5 {
        return name.to_string();
    }
    let at = 1 + (rng.next() as usize % (chars.len() - 2));
    let mut edited: Vec<char> = chars.clone();
    match rng.next() % 3 {
        0 => {
            edited.remove(at);
        }
        1 => edited.swap(at, at + 1),
        _ => edited[at] = if chars[at] == 'e' { 'a' } else { 'e' },
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[wi] = edited.into_iter().collect();
    out.join(" ")
}

fn generate() -> Vec<Pair> {
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let mut pairs = Vec::new();
    let mut push = |schema: &str, left: &str, right: String, same: bool, kind: &'static str| {
        if left != right {
            pairs.push(Pair { schema: schema.into(), left: left.into(), right, same, kind });
        }
    };
    for line in BASES.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let Some((schema, name)) = line.split_once('\t') else { continue };
        if schema == "Person" {
            let parts: Vec<&str> = name.split(' ').collect();
            let reversed = parts.iter().rev().copied().collect::<Vec<_>>().join(" ");
            push(schema, name, reversed.clone(), true, "word order");
            push(schema, name, name.to_uppercase(), true, "case");
            push(schema, name, typo(&mut rng, name), true, "typo");
            if parts.len() >= 2 {
                let initial = format!("{}. {}", &parts[0][..1], parts[1..].join(" "));
                push(schema, name, initial, true, "initial");
                let other = format!("{} {}", rng.pick(GIVEN), parts[1..].join(" "));
                push(schema, name, other, false, "same family, another person");
                let other =
                    format!("{} {}", parts[0], rng.pick(&["Ivanov", "Karimov", "Tran", "Lopez", "Haddad", "Wang"]));
                push(schema, name, other, false, "same given name, another person");
            }
            continue;
        }
        let (core, form) = legal_split(name);
        if let Some(form) = form {
            let variants = LEGAL_VARIANTS.iter().find(|(f, _)| *f == form).map(|(_, v)| *v).unwrap_or(&[]);
            push(schema, name, format!("{core} {}", rng.pick(variants)), true, "legal form spelling");
            push(schema, name, core.to_uppercase(), true, "legal form dropped");
        }
        push(schema, name, typo(&mut rng, name), true, "typo");
        push(schema, name, name.replace([',', '.'], "").to_lowercase(), true, "punctuation and case");
        if let Some((long, short)) = ABBREVIATIONS.iter().find(|(l, _)| name.contains(l)) {
            push(schema, name, name.replace(long, short), true, "abbreviation");
        }
        let words: Vec<&str> = core.split(' ').collect();
        if words.len() >= 3 {
            let mut other: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            other[0] = rng.pick(PLACES).to_string();
            push(
                schema,
                name,
                format!("{}{}", other.join(" "), form.map(|f| format!(" {f}")).unwrap_or_default()),
                false,
                "another city",
            );
            let mut other: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let last = other.len() - 1;
            other[last] = rng.pick(PRODUCTS).to_string();
            push(
                schema,
                name,
                format!("{}{}", other.join(" "), form.map(|f| format!(" {f}")).unwrap_or_default()),
                false,
                "another product",
            );
        }
        push(schema, &format!("{core} No. 1 Factory"), format!("{core} No. 2 Factory"), false, "another site");
    }
    pairs
}

fn read_pairs(path: &Path) -> Result<Vec<Pair>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("could not read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let col = |n: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let (Some(s), Some(a), Some(b), Some(l)) = (col("schema"), col("name1"), col("name2"), col("label")) else {
        bail!("{}: columns schema, name1, name2, label are needed", path.display());
    };
    let mut out = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r?;
        let label = r.get(l).unwrap_or("").trim().to_ascii_lowercase();
        let same = match label.as_str() {
            "1" | "true" | "yes" | "match" => true,
            "0" | "false" | "no" | "nomatch" | "non-match" => false,
            other => bail!("{}: line {}, field 'label': '{other}' is not true or false", path.display(), i + 2),
        };
        out.push(Pair {
            schema: r.get(s).unwrap_or("").into(),
            left: r.get(a).unwrap_or("").into(),
            right: r.get(b).unwrap_or("").into(),
            same,
            kind: "given",
        });
    }
    Ok(out)
}

const PEER: &str = r#"
import json, sys, time
pairs = json.load(open(sys.argv[1]))
out = {}
try:
    from rapidfuzz import fuzz, utils
    start = time.perf_counter()
    scores = [fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100.0 for _, a, b in pairs]
    out["rapidfuzz"] = {"scores": scores, "seconds": time.perf_counter() - start}
except ImportError:
    out["rapidfuzz"] = {"error": "rapidfuzz is not installed (pip install rapidfuzz)"}
try:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig
    algo = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()
    ents = []
    for i, (schema, a, b) in enumerate(pairs):
        ea = model.get_proxy({"id": f"a{i}", "schema": schema if schema in ("Person","Company","Organization") else "LegalEntity", "properties": {"name": [a]}})
        eb = model.get_proxy({"id": f"b{i}", "schema": schema if schema in ("Person","Company","Organization") else "LegalEntity", "properties": {"name": [b]}})
        ents.append((ea, eb))
    start = time.perf_counter()
    scores = [algo.compare(ea, eb, config).score for ea, eb in ents]
    out["nomenklatura"] = {"scores": scores, "seconds": time.perf_counter() - start}
except Exception as e:
    out["nomenklatura"] = {"error": f"nomenklatura logic-v2 not available ({type(e).__name__}: {e}); pip install nomenklatura"}
print(json.dumps(out))
"#;

struct Quality {
    precision: f64,
    recall: f64,
    f1: f64,
}

fn quality(pairs: &[Pair], scores: &[f64], threshold: f64) -> Quality {
    let (mut tp, mut fp, mut fneg) = (0.0, 0.0, 0.0);
    for (p, s) in pairs.iter().zip(scores) {
        match (*s >= threshold, p.same) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fneg += 1.0,
            _ => {}
        }
    }
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let recall = if tp + fneg > 0.0 { tp / (tp + fneg) } else { 0.0 };
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    Quality { precision, recall, f1 }
}

/// The threshold (in steps of 0.01) at which `scores` reach their best F1 on these pairs.
fn best_threshold(pairs: &[Pair], scores: &[f64]) -> (f64, f64) {
    (1..100).map(|t| t as f64 / 100.0).map(|t| (t, quality(pairs, scores, t).f1)).fold((0.0, 0.0), |best, x| {
        if x.1 > best.1 {
            x
        } else {
            best
        }
    })
}

pub fn run(pairs_file: Option<&Path>, python: &str, rounds: usize) -> Result<()> {
    let pairs = match pairs_file {
        Some(p) => read_pairs(p)?,
        None => generate(),
    };
    let positives = pairs.iter().filter(|p| p.same).count();
    let schema = |p: &Pair| p.schema.parse::<EntitySchema>().unwrap_or(EntitySchema::LegalEntity);
    let scores: Vec<f64> = pairs.iter().map(|p| compare(schema(p), &p.left, &p.right).score).collect();
    let start = Instant::now();
    for _ in 0..rounds {
        for p in &pairs {
            std::hint::black_box(compare(schema(p), &p.left, &p.right));
        }
    }
    let steward_secs = start.elapsed().as_secs_f64() / rounds as f64;

    let wire: Vec<(&str, &str, &str)> =
        pairs.iter().map(|p| (p.schema.as_str(), p.left.as_str(), p.right.as_str())).collect();
    let peer = super::bench::run_peer(python, PEER, &wire, &[])?;

    println!(
        "Name matching: {} labelled pairs ({positives} same party, {} different){}",
        pairs.len(),
        pairs.len() - positives,
        if pairs_file.is_some() { "" } else { ", generated from bench/entity-names.txt" }
    );
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>9} {:>10} {:>14}",
        "tool", "threshold", "precision", "recall", "F1", "best F1", "pairs/second"
    );
    let row = |label: &str, scores: &[f64], threshold: f64, secs: f64| {
        let q = quality(&pairs, scores, threshold);
        let (bt, bf) = best_threshold(&pairs, scores);
        println!(
            "{label:<26} {threshold:>9.2} {:>9.3} {:>9.3} {:>9.3} {:>5.3}@{bt:.2} {:>14.0}",
            q.precision,
            q.recall,
            q.f1,
            bf,
            pairs.len() as f64 / secs.max(1e-9)
        );
        q.f1
    };
    let steward_f1 = row("steward", &scores, DEFAULT_THRESHOLD, steward_secs);
    for (key, label, threshold) in
        [("rapidfuzz", "rapidfuzz token_set_ratio", 0.9), ("nomenklatura", "nomenklatura logic-v2", 0.7)]
    {
        let p = &peer[key];
        if let Some(err) =
            p.get("error").and_then(|e| e.as_str()).or_else(|| peer.get("error").and_then(|e| e.as_str()))
        {
            println!("{label:<26} not run: {err}");
            continue;
        }
        let peer_scores: Vec<f64> =
            p["scores"].as_array().map(|a| a.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect()).unwrap_or_default();
        let secs = p["seconds"].as_f64().unwrap_or(f64::NAN);
        let f1 = row(label, &peer_scores, threshold, secs);
        println!("  ratio steward/{key}: {:.2}x the speed, F1 {:+.3}", secs / steward_secs, steward_f1 - f1);
    }
    let mut misses: Vec<String> = pairs
        .iter()
        .zip(&scores)
        .filter(|(p, s)| (**s >= DEFAULT_THRESHOLD) != p.same)
        .map(|(p, s)| format!("[{}] {} / {} = {s:.2}", p.kind, p.left, p.right))
        .collect();
    misses.truncate(10);
    if !misses.is_empty() {
        println!("steward's errors, for example:\n  {}", misses.join("\n  "));
    }
    Ok(())
}
