//! `steward compare`: how alike two names are, and why; or a whole file of pairs.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::PathBuf;
use steward_core::list::EntitySchema;
use steward_screen::matcher::{compare, DEFAULT_THRESHOLD};

/// Compares two names and prints one JSON object with `score`, `match` and `explanation`.
pub fn pair(schema: &str, left: &str, right: &str) -> Result<()> {
    let schema: EntitySchema = schema.parse()?;
    let c = compare(schema, left, right);
    let out = serde_json::json!({
        "schema": schema.as_str(),
        "name1": left,
        "name2": right,
        "score": c.score,
        "match": c.score >= DEFAULT_THRESHOLD,
        "threshold": DEFAULT_THRESHOLD,
        "explanation": c.explanation,
    });
    println!("{out}");
    Ok(())
}

/// Reads `schema,name1,name2` rows and writes them back, in order, with `score` and `match`.
pub fn pairs(file: &PathBuf, output: Option<&PathBuf>) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let (text, _) = steward_screen::text::decode(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(steward_screen::text::sniff_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().with_context(|| format!("{}: unreadable header", file.display()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let (Some(s), Some(a), Some(b)) = (col("schema"), col("name1"), col("name2")) else {
        bail!(
            "{}: the header must have the columns schema, name1, name2 (found: {})",
            file.display(),
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    };
    let sink: Box<dyn Write> = match output {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("could not create {}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(sink);
    let mut out_headers: Vec<String> = headers.iter().map(String::from).collect();
    out_headers.extend(["score".to_string(), "match".to_string()]);
    writer.write_record(&out_headers)?;
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: line {} is not readable CSV", file.display(), i + 2))?;
        let schema: EntitySchema = record
            .get(s)
            .unwrap_or("")
            .parse()
            .with_context(|| format!("{}: line {}, field 'schema'", file.display(), i + 2))?;
        let c = compare(schema, record.get(a).unwrap_or(""), record.get(b).unwrap_or(""));
        let mut row: Vec<String> = record.iter().map(String::from).collect();
        row.resize(headers.len(), String::new());
        row.push(format!("{:.3}", c.score));
        row.push((c.score >= DEFAULT_THRESHOLD).to_string());
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}
