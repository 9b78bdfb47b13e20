//! `steward screen`: a supplier file checked row by row against the lists in force.
//!
//! Every input row comes back, in order, with its columns untouched and the `steward_*` columns
//! added. A row that cannot be read is marked `error` with the reason and never stops the run.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use clap::Args;
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
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

/// The input file as a header and rows, whatever its format. CSV is read as a stream, so a file
/// of any length costs the same memory; a spreadsheet is read whole, as its format requires.
struct Input {
    headers: Vec<String>,
    rows: Box<dyn Iterator<Item = Row>>,
    /// What the progress bar counts to, in `unit`.
    size: u64,
    unit: &'static str,
    /// The encoding, or the worksheet, for the summary.
    described: String,
}

/// How much of a CSV file is looked at to judge its encoding and delimiter.
const SAMPLE_BYTES: u64 = 1 << 20;

/// Counts the bytes read through it, for the progress bar.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl Input {
    fn read(path: &Path) -> Result<Input> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
            let bytes = std::fs::read(path).with_context(|| format!("could not read {}", path.display()))?;
            let table = steward_screen::sheet::read(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
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
        let mut file = std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut sample = Vec::new();
        (&mut file)
            .take(SAMPLE_BYTES)
            .read_to_end(&mut sample)
            .with_context(|| format!("could not read {}", path.display()))?;
        let encoding = steward_screen::text::sniff_encoding(&sample);
        let delimiter = steward_screen::text::sniff_delimiter(&encoding.decode(&sample).0);
        let read = Arc::new(AtomicU64::new(0));
        let source = Counting { inner: std::io::Cursor::new(sample).chain(file), read: read.clone() };
        let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .strip_bom(true)
            .build(source);
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(decoded);
        let headers: Vec<String> = reader
            .headers()
            .with_context(|| format!("{}: the first line is not a readable header", path.display()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let rows = reader.into_records().enumerate().map(move |(i, record)| {
            let line = format!("line {}", i + 2);
            match record {
                Ok(r) => Row::Read {
                    line,
                    position: read.load(Ordering::Relaxed),
                    fields: r.iter().map(String::from).collect(),
                },
                Err(e) => Row::Broken { line, why: e.to_string() },
            }
        });
        Ok(Input { headers, rows: Box::new(rows), size, unit: "bytes", described: encoding.name().to_string() })
    }
}

/// Rows screened together, on every core, then written in order: enough to keep the cores
/// busy, few enough that memory stays small however long the file.
const BATCH: usize = 4096;

/// `f` of every item, in order, the items shared out among `threads` threads.
fn in_parallel<T: Sync, U: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    if threads <= 1 || items.len() < 64 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<U>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// Where rows go.
enum Sink {
    Csv(Box<csv::Writer<Box<dyn Write>>>),
    Json(Box<dyn Write>),
    /// XLSX is a zip written at the end; its rows wait in a temporary file, not in memory.
    Xlsx {
        path: PathBuf,
        book: Option<Box<steward_server::sheets::XlsxStream>>,
    },
}

impl Sink {
    fn open(path: Option<&PathBuf>) -> Result<Sink> {
        let ext = path.and_then(|p| p.extension()).and_then(|e| e.to_str()).unwrap_or("csv").to_ascii_lowercase();
        if let (Some(p), "xlsx") = (path, ext.as_str()) {
            // Fail now, not after the run, if the file cannot be written.
            std::fs::File::create(p).with_context(|| format!("could not create {}", p.display()))?;
            return Ok(Sink::Xlsx { path: p.clone(), book: None });
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
            Sink::Xlsx { book, .. } => {
                let header: Vec<String> =
                    headers.iter().map(String::as_str).chain(OUTPUT_COLUMNS).map(String::from).collect();
                let stream = steward_server::sheets::XlsxStream::new("Screened", &header)
                    .map_err(|e| anyhow::anyhow!("could not start the XLSX output: {e}"))?;
                *book = Some(Box::new(stream));
            }
            Sink::Json(_) => {}
        }
        Ok(())
    }

    fn row(&mut self, headers: &[String], fields: &[String], added: &[String; 7]) -> Result<()> {
        match self {
            Sink::Csv(w) => w.write_record(fields.iter().chain(added.iter()))?,
            Sink::Xlsx { book: Some(book), .. } => {
                book.row(fields.iter().chain(added.iter()).map(String::as_str)).map_err(|e| {
                    anyhow::anyhow!(
                        "{e}: an XLSX worksheet holds at most {} rows; name the output .csv or .jsonl",
                        steward_server::sheets::MAX_XLSX_ROWS
                    )
                })?
            }
            Sink::Xlsx { book: None, .. } => bail!("a row came before the header"),
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
            Sink::Xlsx { path, book } => {
                let book = match book {
                    Some(book) => book,
                    None => Box::new(
                        steward_server::sheets::XlsxStream::new("Screened", &[])
                            .map_err(|e| anyhow::anyhow!("could not start the XLSX output: {e}"))?,
                    ),
                };
                book.save(&path).map_err(|e| anyhow::anyhow!("could not write {}: {e}", path.display()))?;
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

    let input = Input::read(&args.input)?;
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
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut rows = input.rows;
    loop {
        let mut position = None;
        let batch: Vec<(String, Vec<String>, Option<String>)> = rows
            .by_ref()
            .take(BATCH)
            .map(|row| match row {
                Row::Read { line, position: at, fields } => {
                    position = Some(at);
                    let (fields, problem) = fit(fields, headers.len(), &line);
                    (line, fields, problem)
                }
                Row::Broken { line, why } => {
                    let problem = Some(format!("{line} is not readable: {why}"));
                    (line, vec![String::new(); headers.len()], problem)
                }
            })
            .collect();
        if batch.is_empty() {
            break;
        }
        let added = in_parallel(&batch, threads, |(line, fields, problem)| match problem {
            Some(problem) => error_row(problem.clone()),
            None => screen_row(&index, &goods, &cols, fields, line, args.threshold),
        });
        for ((_, fields, _), added) in batch.iter().zip(&added) {
            *counts
                .entry(match added[0].as_str() {
                    "match" => "match",
                    "review" => "review",
                    "error" => "error",
                    _ => "clear",
                })
                .or_default() += 1;
            sink.row(&headers, fields, added)?;
        }
        if let Some(at) = position {
            progress.set_position(at);
        }
    }
    sink.finish()?;
    progress.finish_and_clear();
    let rows: usize = counts.values().sum();
    let secs = started.elapsed().as_secs_f64();
    let memory = super::peak_memory_mib().map(|m| format!(", peak memory {m:.0} MiB")).unwrap_or_default();
    eprintln!(
        "Screened {rows} rows of {} ({encoding}) against {} list edition{} ({} entities, {} goods lists) in {secs:.1} s{memory}: \
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
