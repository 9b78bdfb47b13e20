//! `steward bench screen`: screening speed at list scale. A synthetic watchlist of realistic
//! multilingual company and person names with aliases (1,000,000 entities by default) is indexed;
//! planted variants of listed names (legal-form spellings, typos, case and punctuation, word
//! order) and names of parties not on the list are screened on one thread and on every core.
//! Reported: index build time, queries per second, recall of planted matches, false hits on
//! unlisted names, and peak memory. In the same run, rapidfuzz (`process.extractOne` with
//! token_set_ratio over every listed name) and nomenklatura (logic-v2, which has no index, on a
//! sample of pairs, extrapolated to the whole list) screen the same queries, as a ratio.
//!
//! Generation is deterministic: every run screens the same list and the same queries.

use anyhow::Result;
use std::time::Instant;
use steward_core::list::{EntitySchema, ListEntity};
use steward_screen::index::{Index, Query, Source};
use steward_screen::matcher::DEFAULT_THRESHOLD;

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PLACES: &[&str] = &[
    "Xinjiang",
    "Hotan",
    "Aksu",
    "Kashgar",
    "Urumqi",
    "Turpan",
    "Shihezi",
    "Korla",
    "Changji",
    "Yili",
    "Guangdong",
    "Shenzhen",
    "Dongguan",
    "Ningbo",
    "Wuxi",
    "Hefei",
    "Dhaka",
    "Gazipur",
    "Chittagong",
    "Phnom Penh",
    "Kampot",
    "Yangon",
    "Mandalay",
    "Tashkent",
    "Samarkand",
    "Almaty",
    "Karaganda",
    "Novosibirsk",
    "Kazan",
    "Tula",
    "Izmir",
    "Bursa",
    "Monterrey",
    "Puebla",
    "Leon",
    "Guatemala",
    "Quetzaltenango",
    "Medellin",
    "Cali",
    "Lima",
    "Arequipa",
    "Accra",
    "Kumasi",
    "Abidjan",
    "Lagos",
    "Kano",
    "Karachi",
    "Lahore",
    "Faisalabad",
    "Tiruppur",
    "Surat",
];
const INDUSTRY: &[&str] = &[
    "Cotton Textile",
    "Polysilicon",
    "Silicon Industry",
    "Garment",
    "Knitwear",
    "Apparel",
    "Yarn Spinning",
    "Tomato Products",
    "Hair Products",
    "Electronics",
    "Solar Technology",
    "Fishing",
    "Seafood",
    "Cocoa Trading",
    "Brick Works",
    "Gold Mining",
    "Steel Wire",
    "Footwear",
    "Leather",
    "Toys",
    "Rubber Gloves",
    "Palm Oil",
    "Sugar Refinery",
    "Tea Estates",
    "Coffee Export",
    "Carpet Weaving",
    "Furniture",
    "Ceramics",
    "Glassware",
    "Packaging",
];
const SUFFIX: &[&str] = &[
    "Co., Ltd.",
    "Company Limited",
    "Ltd.",
    "LLC",
    "GmbH",
    "S.A. de C.V.",
    "S.A.",
    "JSC",
    "OOO",
    "Group",
    "Industries",
    "Corporation",
    "PLC",
    "Pvt. Ltd.",
];
const GIVEN: &[&str] = &[
    "Wei", "Li", "Ahmed", "Mohammed", "Ivan", "Olga", "Maria", "Jose", "Ana", "Rahim", "Fatima", "Sokha", "Dilnoza",
    "Aziz", "Chen", "Nguyen", "Kofi", "Ama", "Luis", "Elena", "Sergei", "Aigerim", "Bolat", "Rustam", "Nadia",
];

/// Syllables of brand and family names in the romanisations lists use (pinyin, Russian, Turkic,
/// Arabic, Spanish, West African), combined into words that read like real trade names.
const SYLLABLES: &[&str] = &[
    "hua", "xing", "long", "bao", "tian", "feng", "jin", "sheng", "hong", "kang", "yuan", "da", "zhen", "ming", "ro",
    "sla", "vik", "mir", "ova", "enko", "dar", "bek", "tas", "nur", "kar", "al", "ham", "rah", "sal", "fa", "mon",
    "ter", "vel", "san", "ta", "cruz", "ko", "fi", "ade", "olu", "mba", "na", "zu", "li", "ri", "sa",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let w: String = (0..n).map(|_| rng.pick(SYLLABLES)).collect();
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The synthetic watchlist: companies (most) and persons, with one alias each.
fn watchlist(n: usize) -> Vec<ListEntity> {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    (0..n)
        .map(|i| {
            let person = rng.below(5) == 0;
            let (schema, name, aliases) = if person {
                let (g, f) = (rng.pick(GIVEN), word(&mut rng));
                let middle = word(&mut rng);
                (EntitySchema::Person, format!("{g} {middle} {f}"), vec![format!("{f} {g}")])
            } else {
                let (p, ind, s) = (rng.pick(PLACES), rng.pick(INDUSTRY), rng.pick(SUFFIX));
                let brand = word(&mut rng);
                let name = format!("{p} {brand} {ind} {s}");
                let alias = format!("{brand} {ind}");
                (EntitySchema::Company, name, vec![alias])
            };
            ListEntity {
                row: i + 1,
                key: format!("e{i}"),
                schema,
                name,
                aliases,
                countries: Vec::new(),
                identifiers: Vec::new(),
                notes: String::new(),
            }
        })
        .collect()
}

/// A variant of a listed name as a supplier file might write it.
fn variant(rng: &mut Rng, e: &ListEntity) -> String {
    let name = e.name.clone();
    match rng.below(5) {
        0 => name.to_uppercase().replace(['.', ','], ""),
        1 => name.replace("Co., Ltd.", "Company Limited").replace("Ltd.", "Limited").replace("LLC", "L.L.C."),
        2 => {
            // A typo in a word of five letters or more.
            let words: Vec<&str> = name.split(' ').collect();
            let at = words.iter().position(|w| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic));
            match at {
                Some(i) => {
                    let mut w: Vec<char> = words[i].chars().collect();
                    w.swap(1, 2);
                    let mut out: Vec<String> = words.iter().map(|s| s.to_string()).collect();
                    out[i] = w.into_iter().collect();
                    out.join(" ")
                }
                None => name,
            }
        }
        3 if e.schema == EntitySchema::Person => {
            let mut words: Vec<&str> = name.split(' ').collect();
            words.rotate_left(1);
            words.join(" ")
        }
        _ => name.to_lowercase(),
    }
}

const PEER: &str = r#"
import json, sys, time
data = json.load(open(sys.argv[1]))
names, queries, sample = data["names"], data["queries"], data["sample"]
out = {}
try:
    from rapidfuzz import process, fuzz, utils
    start = time.perf_counter()
    hits = [process.extractOne(q, names, scorer=fuzz.token_set_ratio, processor=utils.default_process) for q in queries]
    out["rapidfuzz"] = {"seconds": time.perf_counter() - start, "hits": [h[2] if h else -1 for h in hits], "scores": [h[1] / 100 if h else 0 for h in hits]}
except ImportError:
    out["rapidfuzz"] = {"error": "rapidfuzz is not installed (pip install rapidfuzz)"}
try:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig
    algo = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()
    def entity(key, name):
        return model.get_proxy({"id": key, "schema": "LegalEntity", "properties": {"name": [name]}})
    left = [entity("q%d" % i, q) for i, q in enumerate(queries[:5])]
    right = [entity("s%d" % i, n) for i, n in enumerate(sample)]
    start = time.perf_counter()
    pairs = 0
    for l in left:
        for r in right:
            algo.compare(l, r, config)
            pairs += 1
    out["nomenklatura"] = {"seconds": time.perf_counter() - start, "pairs": pairs}
except Exception as e:
    out["nomenklatura"] = {"error": f"nomenklatura logic-v2 not available ({type(e).__name__}: {e}); pip install nomenklatura"}
print(json.dumps(out))
"#;

/// Entities of the list the end-to-end run screens against: the size of the official lists
/// together (UFLPA, WROs, a sanctions list) many times over.
const END_TO_END_LISTED: usize = 20_000;

const GOODS: &[&str] = &[
    "cotton yarn",
    "polysilicon wafers",
    "tomato paste",
    "garments",
    "bricks",
    "raw cotton",
    "cocoa beans",
    "palm oil",
    "solar panels",
    "office chairs",
    "steel wire",
    "seafood",
];
const COUNTRIES: &[&str] = &["CN", "BD", "IN", "TR", "MX", "UZ", "GH", "MM", "PK", "VN", "US", "DE"];

/// A supplier file of `rows` rows screened end to end by `steward screen` in a child process —
/// reading, decoding, screening on every core, writing — against a synthetic user list and the
/// shipped List of Goods, in a scratch data folder that is removed afterwards.
fn end_to_end(rows: usize) -> Result<()> {
    use anyhow::Context;
    let dir = std::env::temp_dir().join(format!("steward-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    let result = (|| -> Result<()> {
        let listed = watchlist(END_TO_END_LISTED);
        let mut w = csv::Writer::from_path(dir.join("list.csv"))?;
        w.write_record(["name", "aliases", "country", "identifiers", "notes"])?;
        for e in &listed {
            w.write_record([e.name.as_str(), &e.aliases.join(";"), "CN", "", ""])?;
        }
        w.flush()?;
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        let mut w =
            csv::Writer::from_writer(std::io::BufWriter::new(std::fs::File::create(dir.join("suppliers.csv"))?));
        w.write_record(["Supplier name", "Country", "Goods", "Buyer reference"])?;
        // Brand and family names of listed parties: an unlisted supplier is given none of them,
        // so that every match among the unlisted rows is a false one.
        let listed_words: std::collections::HashSet<String> =
            listed.iter().flat_map(|e| e.name.split(' ').map(str::to_lowercase).collect::<Vec<_>>()).collect();
        let unlisted_word = |rng: &mut Rng| loop {
            let w = word(rng);
            if !listed_words.contains(&w.to_lowercase()) {
                return w;
            }
        };
        for i in 0..rows {
            // One row in a hundred names a listed party; the rest are parties that are not.
            let name = if i % 100 == 0 {
                let at = rng.below(listed.len());
                variant(&mut rng, &listed[at])
            } else {
                let brand = unlisted_word(&mut rng);
                format!("{} {brand} {} {}", rng.pick(PLACES), rng.pick(INDUSTRY), rng.pick(SUFFIX))
            };
            w.write_record([name.as_str(), rng.pick(COUNTRIES), rng.pick(GOODS), &format!("PO-{i:07}")])?;
        }
        w.flush()?;
        drop(w);
        let size = std::fs::metadata(dir.join("suppliers.csv"))?.len();
        let exe = std::env::current_exe()?;
        let steward = |args: &[&str]| {
            std::process::Command::new(&exe)
                .arg("--data-dir")
                .arg(&dir)
                .args(args)
                .current_dir(&dir)
                .stdout(std::process::Stdio::null())
                .output()
                .with_context(|| format!("could not run {}", exe.display()))
        };
        let import = steward(&["lists", "import", "--kind", "csv", "list.csv", "--name", "synthetic"])?;
        if !import.status.success() {
            anyhow::bail!("importing the list failed: {}", String::from_utf8_lossy(&import.stderr));
        }
        let started = Instant::now();
        let screened = steward(&["screen", "suppliers.csv", "-o", "screened.csv"])?;
        let secs = started.elapsed().as_secs_f64();
        let summary = String::from_utf8_lossy(&screened.stderr).to_string();
        if !screened.status.success() {
            anyhow::bail!("steward screen failed: {summary}");
        }
        // Verdicts on the planted rows (every hundredth) and on the unlisted ones.
        let mut reader = csv::Reader::from_path(dir.join("screened.csv"))?;
        let status = reader.headers()?.iter().position(|h| h == "steward_status").context("no steward_status")?;
        let goods = reader.headers()?.iter().position(|h| h == "steward_goods_risk").context("no goods risk")?;
        let (mut back, mut planted_found, mut false_matches, mut name_review, mut goods_review) = (0, 0, 0, 0, 0);
        for (i, row) in reader.records().enumerate() {
            let row = row?;
            back += 1;
            let verdict = row.get(status).unwrap_or_default();
            if i % 100 == 0 {
                planted_found += usize::from(verdict == "match");
            } else if verdict == "match" {
                false_matches += 1;
            } else if verdict == "review" {
                if row.get(goods).is_some_and(|g| !g.is_empty()) {
                    goods_review += 1;
                } else {
                    name_review += 1;
                }
            }
        }
        let memory = summary
            .split("peak memory ")
            .nth(1)
            .and_then(|m| m.split_whitespace().next())
            .map_or("unknown".to_string(), |m| format!("{m} MiB"));
        println!(
            "End to end: `steward screen` on a {rows}-row supplier CSV ({:.0} MiB) against {END_TO_END_LISTED} listed entities and the List of Goods",
            size as f64 / (1024.0 * 1024.0)
        );
        println!("  wall time:              {secs:.1} s ({:.0} rows/second), all cores", rows as f64 / secs.max(1e-9));
        println!("  peak memory:            {memory} (the screening process)");
        println!("  rows written back:      {back} of {rows}");
        let planted = rows.div_ceil(100);
        println!("  planted rows matched:   {planted_found} of {planted}");
        println!("  unlisted rows:          {false_matches} matched (false), {name_review} to review for a name alone, {goods_review} to review for goods risk");
        print!("  its summary:            {summary}");
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs the benchmark.
pub fn run(
    entities: usize,
    queries: usize,
    peer_queries: usize,
    python: &str,
    show_misses: usize,
    rows: usize,
) -> Result<()> {
    let started = Instant::now();
    let list = watchlist(entities);
    let generated = started.elapsed().as_secs_f64();
    let names: Vec<String> = list.iter().map(|e| e.name.clone()).collect();
    // Keys are `e` and the entity's position.
    let named = |key: &Option<String>| {
        let at = key.as_deref().and_then(|k| k.strip_prefix('e')).and_then(|i| i.parse::<usize>().ok());
        at.and_then(|i| names.get(i)).map_or("nothing", String::as_str)
    };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Half planted variants of listed names, half names of parties not on the list.
    let mut planted: Vec<(Query, Option<String>)> = Vec::with_capacity(queries);
    for q in 0..queries {
        if q % 2 == 0 {
            let e = &list[rng.below(list.len())];
            let name = variant(&mut rng, e);
            planted.push((
                Query { name, aliases: vec![], schema: Some(e.schema), countries: vec![], identifiers: vec![] },
                Some(e.key.clone()),
            ));
        } else {
            let name = format!(
                "{} {} Trading House {} {}",
                rng.pick(GIVEN),
                rng.pick(PLACES),
                rng.pick(INDUSTRY),
                rng.pick(SUFFIX)
            );
            planted.push((Query { name, aliases: vec![], schema: None, countries: vec![], identifiers: vec![] }, None));
        }
    }

    let build = Instant::now();
    let index = Index::build([(Source { list: "synthetic".into(), edition: "synthetic@bench".into() }, list)]);
    let build_secs = build.elapsed().as_secs_f64();

    let screen =
        |q: &Query| index.search(q, 1, DEFAULT_THRESHOLD).into_iter().next().map(|h| h.entry.entity.key.clone());
    let one = Instant::now();
    let results: Vec<Option<String>> = planted.iter().map(|(q, _)| screen(q)).collect();
    let one_secs = one.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let all = Instant::now();
    std::thread::scope(|s| {
        for chunk in planted.chunks(planted.len().div_ceil(cores).max(1)) {
            let screen = &screen;
            s.spawn(move || chunk.iter().for_each(|(q, _)| drop(std::hint::black_box(screen(q)))));
        }
    });
    let all_secs = all.elapsed().as_secs_f64();

    let listed = planted.iter().filter(|(_, k)| k.is_some()).count();
    // Two listed entities of one name (the generator makes a few) cannot be told apart by name:
    // finding either counts.
    let same = |want: &Option<String>, got: &Option<String>| {
        want.is_some() && got.is_some() && (want == got || named(want) == named(got))
    };
    let found = planted.iter().zip(&results).filter(|((_, want), got)| same(want, got)).count();
    let false_hits = planted.iter().zip(&results).filter(|((_, want), got)| want.is_none() && got.is_some()).count();
    let recall = found as f64 / listed.max(1) as f64;
    let qps1 = planted.len() as f64 / one_secs.max(1e-9);
    let qpsn = planted.len() as f64 / all_secs.max(1e-9);

    println!("Screening benchmark: {entities} synthetic listed entities (80% companies, 20% persons, one alias each; generated in {generated:.1} s)");
    let distinct = names.iter().collect::<std::collections::HashSet<_>>().len();
    println!("  distinct names:         {distinct}");
    println!("  index build:            {build_secs:.1} s");
    println!(
        "  queries:                {} ({listed} planted variants of listed names, {} unlisted names)",
        planted.len(),
        planted.len() - listed
    );
    println!("  one thread:             {qps1:>10.0} queries/second");
    println!("  {cores} threads:              {qpsn:>10.0} queries/second ({:.0} per core)", qpsn / cores as f64);
    println!("  recall of planted:      {recall:.4} ({found} of {listed}) at threshold {DEFAULT_THRESHOLD}");
    println!("  false hits on unlisted: {false_hits} of {}", planted.len() - listed);
    if let Some(mib) = super::peak_memory_mib() {
        println!("  peak memory:            {mib:.0} MiB");
    }
    let misses = planted.iter().zip(&results).filter(|((_, want), got)| want != *got && !same(want, got));
    for ((query, want), got) in misses.take(show_misses) {
        let why = match index.search(query, 1, 0.0).first() {
            Some(hit) => format!("best: {:.3} {}", hit.score, hit.reason()),
            None => "no candidate".into(),
        };
        println!("  miss: '{}' wanted '{}', got '{}' ({why})", query.name, named(want), named(got));
    }

    if rows > 0 {
        drop(index);
        end_to_end(rows)?;
    }

    // The peers, on the first queries (rapidfuzz scans every listed name per query).
    let peer_set: Vec<&(Query, Option<String>)> = planted.iter().take(peer_queries).collect();
    let sample: Vec<&str> = names.iter().step_by((names.len() / 2000).max(1)).take(2000).map(String::as_str).collect();
    let input = serde_json::json!({
        "names": names,
        "queries": peer_set.iter().map(|(q, _)| q.name.clone()).collect::<Vec<_>>(),
        "sample": sample,
    });
    let peer = super::bench::run_peer(python, PEER, &input, &[])?;
    if let Some(err) = peer.get("error").and_then(|e| e.as_str()) {
        println!("  peers: not run: {err}");
        return Ok(());
    }
    let rf = &peer["rapidfuzz"];
    match rf.get("error").and_then(|e| e.as_str()) {
        Some(err) => println!("  rapidfuzz: not run: {err}"),
        None => {
            let secs = rf["seconds"].as_f64().unwrap_or(f64::NAN);
            let qps = peer_set.len() as f64 / secs;
            let hits = rf["hits"].as_array().cloned().unwrap_or_default();
            let scores = rf["scores"].as_array().cloned().unwrap_or_default();
            let (mut got, mut want) = (0, 0);
            for (i, (_, key)) in peer_set.iter().enumerate() {
                if let Some(k) = key {
                    want += 1;
                    let hit = hits.get(i).and_then(|v| v.as_i64()).unwrap_or(-1);
                    let score = scores.get(i).and_then(|v| v.as_f64()).unwrap_or(0.0);
                    if hit >= 0 && format!("e{hit}") == *k && score >= 0.9 {
                        got += 1;
                    }
                }
            }
            println!(
                "  rapidfuzz extractOne (token_set_ratio, one thread, {} queries): {qps:.2} queries/second, recall {:.3}; Steward is {:.0}x faster",
                peer_set.len(),
                got as f64 / want.max(1) as f64,
                qps1 / qps
            );
        }
    }
    let nk = &peer["nomenklatura"];
    match nk.get("error").and_then(|e| e.as_str()) {
        Some(err) => println!("  nomenklatura: not run: {err}"),
        None => {
            let pairs_per_sec = nk["pairs"].as_f64().unwrap_or(0.0) / nk["seconds"].as_f64().unwrap_or(f64::NAN);
            let qps = pairs_per_sec / entities as f64;
            println!(
                "  nomenklatura logic-v2 (no index; {pairs_per_sec:.0} pairs/second, so {qps:.6} queries/second against {entities} entities): Steward is {:.0}x faster",
                qps1 / qps
            );
        }
    }
    Ok(())
}
