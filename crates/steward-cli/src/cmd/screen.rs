//! `steward screen`: a supplier file checked row by row against the lists in force.
//!
//! Every input row comes back, in order, with its columns untouched and the `steward_*` columns
//! added. A row that cannot be read is marked `error` with the reason and never stops the run.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;
use steward_screen::batch::{error_row, fit, screen_row, ColumnNames, Columns, OUTPUT_COLUMNS};
use steward_screen::goods_risk::GoodsIndex;
use steward_screen::index::{Index, Source};
use steward_screen::matcher::DEFAULT_THRESHOLD;

#[derive(Debug, Args)]
pub struct ScreenArgs {
    /// The supplier file: CSV in any common encoding and delimiter, or a spreadsheet (XLSX, XLS, ODS)
    pub input: PathBuf,
    /// Where to write: .csv, .xlsx or .jsonl (default: CSV to standard output)
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Only these lists (names as `steward lists` shows them), comma-separated
    #[arg(long, value_delimiter = ',')]
    pub lists: Vec<String>,
    /// Score at or above which a name is a match
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// The column holding the supplier's name (default: found by header)
    #[arg(long)]
    pub name_column: Option<String>,
    /// The column holding other names
    #[arg(long)]
    pub aliases_column: Option<String>,
    /// The column holding the country
    #[arg(long)]
    pub country_column: Option<String>,
    /// The column holding the goods, as free text
    #[arg(long)]
    pub goods_column: Option<String>,
    /// The column holding identifiers (registration numbers)
    #[arg(long)]
    pub id_column: Option<String>,
    /// The column holding HS or HTS codes of the goods
    #[arg(long)]
    pub hs_column: Option<String>,
}

/// One input row: read, with where it was (a line or a spreadsheet row) and how far the run
/// has come; or broken, with why.
enum Row {
    Read { line: String, position: u64, fields: Vec<String> },
    Broken { line: String, why: String },
}

/// The input file as a header and rows, whatever its format.
struct Input<'a> {
    headers: Vec<String>,
    rows: Box<dyn Iterator<Item = Row> + 'a>,
    /// What the progress bar counts to, in `unit`.
    size: u64,
    unit: &'static str,
    /// The encoding, or the worksheet, for the summary.
    described: String,
}

impl<'a> Input<'a> {
    fn read(path: &std::path::Path, bytes: &'a [u8]) -> Result<Input<'a>> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
            let table = steward_screen::sheet::read(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            let size = table.rows.len() as u64;
            let rows = table.rows.into_iter().enumerate().map(|(i, (n, fields))| Row::Read {
                line: format!("row {n}"),
                position: i as u64 + 1,
                fields,
            });
            return Ok(Input {
                headers: table.headers,
                rows: Box::new(rows),
                size,
                unit: "rows",
                described: format!("worksheet '{}'", table.sheet),
            });
        }
        let (text, encoding) = steward_screen::text::decode(bytes);
        let size = text.len() as u64;
        let delimiter = steward_screen::text::sniff_delimiter(&text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(std::io::Cursor::new(text.into_owned().into_bytes()));
        let headers: Vec<String> = reader
            .headers()
            .with_context(|| format!("{}: the first line is not a readable header", path.display()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let rows = reader.into_records().enumerate().map(|(i, record)| {
            let line = format!("line {}", i + 2);
            match record {
                Ok(r) => Row::Read {
                    line,
                    position: r.position().map(|p| p.byte()).unwrap_or(0),
                    fields: r.iter().map(String::from).collect(),
                },
                Err(e) => Row::Broken { line, why: e.to_string() },
            }
        });
        Ok(Input { headers, rows: Box::new(rows), size, unit: "bytes", described: encoding.to_string() })
    }
}

/// Where rows go.
enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Json(Box<dyn Write>),
    /// XLSX is a zip written at the end, so its rows are kept until then.
    Xlsx {
        path: PathBuf,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

impl Sink {
    fn open(path: Option<&PathBuf>) -> Result<Sink> {
        let ext = path.and_then(|p| p.extension()).and_then(|e| e.to_str()).unwrap_or("csv").to_ascii_lowercase();
        if let (Some(p), "xlsx") = (path, ext.as_str()) {
            // Fail now, not after the run, if the file cannot be written.
            std::fs::File::create(p).with_context(|| format!("could not create {}", p.display()))?;
            return Ok(Sink::Xlsx { path: p.clone(), header: Vec::new(), rows: Vec::new() });
        }
        let out: Box<dyn Write> = match path {
            Some(p) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("could not create {}", p.display()))?,
            )),
            None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
        };
        match ext.as_str() {
            "csv" | "txt" => Ok(Sink::Csv(Box::new(csv::Writer::from_writer(out)))),
            "jsonl" | "ndjson" => Ok(Sink::Json(out)),
            other => bail!("cannot write .{other} files; name the output .csv, .xlsx or .jsonl"),
        }
    }

    fn header(&mut self, headers: &[String]) -> Result<()> {
        match self {
            Sink::Csv(w) => w.write_record(headers.iter().map(String::as_str).chain(OUTPUT_COLUMNS))?,
            Sink::Xlsx { header, .. } => {
                *header = headers.iter().map(String::as_str).chain(OUTPUT_COLUMNS).map(String::from).collect()
            }
            Sink::Json(_) => {}
        }
        Ok(())
    }

    fn row(&mut self, headers: &[String], fields: &[String], added: &[String; 7]) -> Result<()> {
        match self {
            Sink::Csv(w) => w.write_record(fields.iter().chain(added.iter()))?,
            Sink::Xlsx { rows, .. } => rows.push(fields.iter().chain(added.iter()).cloned().collect()),
            Sink::Json(w) => {
                let mut obj = serde_json::Map::new();
                for (h, v) in headers.iter().zip(fields) {
                    obj.insert(h.clone(), serde_json::Value::String(v.clone()));
                }
                for (h, v) in OUTPUT_COLUMNS.iter().zip(added) {
                    obj.insert((*h).to_string(), serde_json::Value::String(v.clone()));
                }
                serde_json::to_writer(&mut *w, &obj)?;
                w.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Json(mut w) => w.flush()?,
            Sink::Xlsx { path, header, rows } => {
                let sheet = steward_server::sheets::Sheet { name: "Screened".into(), header, rows };
                let bytes = steward_server::sheets::to_xlsx(&[sheet]).map_err(|e| anyhow::anyhow!("{e}"))?;
                std::fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))?;
            }
        }
        Ok(())
    }
}

pub async fn run(config: &Config, args: ScreenArgs) -> Result<()> {
    let started = Instant::now();
    let store = super::open(config).await?;
    super::lists::ensure_default(&store).await?;
    let mut editions = store.editions_in_force().await?;
    if !args.lists.is_empty() {
        for wanted in &args.lists {
            if !editions.iter().any(|e| &e.list_name == wanted) {
                bail!("no list named '{wanted}' (see `steward lists`)");
            }
        }
        editions.retain(|e| args.lists.contains(&e.list_name));
    }
    let mut entity_lists = Vec::new();
    let mut goods_lists = Vec::new();
    for e in &editions {
        if e.kind.holds_entities() {
            entity_lists
                .push((Source { list: e.list_name.clone(), edition: e.label() }, store.edition_entities(e.id).await?));
        } else {
            goods_lists.push((e.label(), store.edition_goods(e.id).await?));
        }
    }
    store.close().await;
    let index = Index::build(entity_lists);
    let goods = GoodsIndex::build(goods_lists);

    let bytes = std::fs::read(&args.input).with_context(|| format!("could not read {}", args.input.display()))?;
    let input = Input::read(&args.input, &bytes)?;
    let headers = input.headers.clone();
    let given = ColumnNames {
        name: args.name_column.clone(),
        aliases: args.aliases_column.clone(),
        country: args.country_column.clone(),
        goods: args.goods_column.clone(),
        ids: args.id_column.clone(),
        hs: args.hs_column.clone(),
    };
    let cols = Columns::detect(&headers, &given).map_err(|e| anyhow::anyhow!("{}: {e}", args.input.display()))?;

    let mut sink = Sink::open(args.output.as_ref())?;
    sink.header(&headers)?;
    let progress = indicatif::ProgressBar::new(input.size);
    if std::io::stderr().is_terminal() {
        progress.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} screening [{bar:30}] {percent}% {pos}/{len} {msg}, {elapsed} elapsed, {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        progress.set_message(input.unit);
    } else {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let encoding = input.described.clone();
    for row in input.rows {
        let (line, fields, problem) = match row {
            Row::Read { line, position, fields } => {
                progress.set_position(position);
                let (fields, problem) = fit(fields, headers.len(), &line);
                (line, fields, problem)
            }
            Row::Broken { line, why } => {
                let problem = Some(format!("{line} is not readable: {why}"));
                (line, vec![String::new(); headers.len()], problem)
            }
        };
        let added = match problem {
            Some(problem) => error_row(problem),
            None => screen_row(&index, &goods, &cols, &fields, &line, args.threshold),
        };
        *counts
            .entry(match added[0].as_str() {
                "match" => "match",
                "review" => "review",
                "error" => "error",
                _ => "clear",
            })
            .or_default() += 1;
        sink.row(&headers, &fields, &added)?;
    }
    sink.finish()?;
    progress.finish_and_clear();
    let rows: usize = counts.values().sum();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "Screened {rows} rows of {} ({encoding}) against {} list edition{} ({} entities, {} goods lists) in {secs:.1} s: \
         {} match{}, {} to review, {} clear, {} error{}.{}",
        args.input.display(),
        editions.len(),
        if editions.len() == 1 { "" } else { "s" },
        index.len(),
        editions.iter().filter(|e| e.kind.holds_goods()).count(),
        counts.get("match").copied().unwrap_or(0),
        if counts.get("match").copied().unwrap_or(0) == 1 { "" } else { "es" },
        counts.get("review").copied().unwrap_or(0),
        counts.get("clear").copied().unwrap_or(0),
        counts.get("error").copied().unwrap_or(0),
        if counts.get("error").copied().unwrap_or(0) == 1 { "" } else { "s" },
        match &args.output {
            Some(p) => format!(" Results: {}", p.display()),
            None => String::new(),
        }
    );
    Ok(())
}
