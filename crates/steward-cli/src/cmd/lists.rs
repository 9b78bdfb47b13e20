//! `steward lists`, `steward lists import`, `steward lists diff`: official lists as dated editions.

use crate::config::Config;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use steward_core::audit::Actor;
use steward_core::list::{Edition, ListKind, NewEdition};
use steward_store::{EditionRows, Imported, Store};

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Import a list file as a new edition (a file already imported is left as it is)
    Import {
        /// The file's format
        #[arg(long, value_parser = ["tvpra", "eo13126", "uflpa", "wro", "csv", "ftm"])]
        kind: String,
        /// The file: ILAB XML or flat CSV for tvpra; for csv, columns name, aliases, country,
        /// identifiers, notes (any common encoding and delimiter)
        file: PathBuf,
        /// The list it is an edition of (default: the kind)
        #[arg(long)]
        name: Option<String>,
        /// Publication date, YYYY-MM-DD
        #[arg(long)]
        published: Option<String>,
    },
    /// Compare two editions: goods and countries added and removed
    Diff {
        /// An edition: its id, a unique start of it, or NAME@PUBLISHED (as `steward lists` shows)
        edition_a: String,
        /// The edition to compare it with
        edition_b: String,
    },
    /// Every edition of every list, not only those in force
    Editions,
}

/// The shipped List of Goods, imported when no edition of `tvpra` exists yet.
pub async fn ensure_default(store: &Store) -> Result<Option<Edition>> {
    if store.editions().await?.iter().any(|e| e.list_name == "tvpra") {
        return Ok(None);
    }
    let rows =
        steward_screen::lists::tvpra::parse(steward_screen::DEFAULT_TVPRA).context("the shipped List of Goods")?;
    let new = NewEdition {
        list_name: "tvpra".into(),
        kind: ListKind::Tvpra,
        source: "ILAB List of Goods Produced by Child Labor or Forced Labor, 2022 (shipped with Steward)".into(),
        published: Some(time::macros::date!(2022 - 09 - 28)),
        checksum: steward_screen::checksum(steward_screen::DEFAULT_TVPRA),
    };
    Ok(Some(store.import_goods_edition(&steward_core::audit::Actor::system(), new, &rows).await?.edition().clone()))
}

fn line(e: &Edition) -> String {
    format!("{}\t{}\t{} rows\t{}\t{}", e.label(), e.kind.as_str(), e.rows, e.id, e.source)
}

pub async fn run(config: &Config, command: Option<ListsCommand>) -> Result<()> {
    let store = super::open(config).await?;
    ensure_default(&store).await?;
    match command {
        None => {
            for e in store.editions_in_force().await? {
                println!("{}", line(&e));
            }
        }
        Some(ListsCommand::Editions) => {
            for e in store.editions().await? {
                println!("{}", line(&e));
            }
        }
        Some(ListsCommand::Import { kind, file, name, published }) => {
            let kind: ListKind = kind.parse()?;
            let bytes = std::fs::read(&file).with_context(|| format!("could not read {}", file.display()))?;
            let published = published
                .map(|p| {
                    time::Date::parse(&p, time::macros::format_description!("[year]-[month]-[day]"))
                        .with_context(|| format!("--published '{p}' is not a date like 2024-09-05"))
                })
                .transpose()?;
            let rejected = |e: steward_screen::ParseError| {
                anyhow::anyhow!("{}: {e}; nothing was imported, the editions in force are unchanged", file.display())
            };
            let parsed = steward_screen::lists::parse(kind, &bytes).map_err(rejected)?;
            let rows = match &parsed {
                steward_screen::lists::Parsed::Goods(goods) => EditionRows::Goods(goods),
                steward_screen::lists::Parsed::Entities(entities) => EditionRows::Entities(entities),
            };
            let new = NewEdition {
                list_name: name.unwrap_or_else(|| kind.as_str().to_string()),
                kind,
                source: file.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default(),
                published,
                checksum: steward_screen::checksum(&bytes),
            };
            match store.import_edition(&Actor::cli(), new, rows).await? {
                Imported::New(e) => println!("Imported {} ({} rows), id {}", e.label(), e.rows, e.id),
                Imported::AlreadyPresent(e) => {
                    println!("Already imported as {} (same checksum); nothing changed", e.label())
                }
            }
        }
        Some(ListsCommand::Diff { edition_a, edition_b }) => {
            let all = store.editions().await?;
            let a = find(&all, &edition_a)?;
            let b = find(&all, &edition_b)?;
            println!("{} -> {}", a.label(), b.label());
            let sections = if a.kind.holds_entities() || b.kind.holds_entities() {
                steward_screen::diff::diff_entities(
                    &store.edition_entities(a.id).await?,
                    &store.edition_entities(b.id).await?,
                )
                .sections()
            } else {
                steward_screen::diff::diff(&store.edition_goods(a.id).await?, &store.edition_goods(b.id).await?)
                    .sections()
            };
            for (title, items) in sections {
                println!("{title} ({}){}", items.len(), if items.is_empty() { "" } else { ":" });
                for i in items {
                    println!("  {i}");
                }
            }
        }
    }
    store.close().await;
    Ok(())
}

/// An edition by id, unique id prefix, or label.
fn find<'a>(all: &'a [Edition], key: &str) -> Result<&'a Edition> {
    let key = key.trim();
    let hits: Vec<&Edition> = all.iter().filter(|e| e.label() == key || e.id.to_string() == key).collect();
    let hits = if hits.is_empty() && key.len() >= 6 {
        all.iter().filter(|e| e.id.to_string().starts_with(key)).collect()
    } else {
        hits
    };
    match hits.as_slice() {
        [one] => Ok(one),
        [] => bail!("no edition '{key}' (see `steward lists editions`)"),
        _ => bail!("'{key}' matches {} editions; give the full id", hits.len()),
    }
}
