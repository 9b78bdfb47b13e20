//! `steward`: the one binary. It reads the configuration, chooses the database (embedded SQLite
//! unless a PostgreSQL URL is given) and runs a subcommand. Each subcommand lives in `cmd/`.
//!
//! Contract with scripts: exit code 0 on success; otherwise non-zero with one line on standard
//! error saying what went wrong and how to fix it. Secrets printed for people (one-time
//! passwords, tokens) stand alone on the last line of standard output.

mod cmd;
mod config;

use clap::{Args, Parser, Subcommand};
use config::{Config, Overrides};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "steward",
    version,
    about = "Steward: protecting workers' rights across borders",
    propagate_version = true
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// Database URL: postgres://USER@HOST/DB or sqlite://PATH (default: the embedded database under --data-dir)
    #[arg(long, env = "STEWARD_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Folder of the embedded database
    #[arg(long, env = "STEWARD_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    /// TOML configuration file (see `steward config example`)
    #[arg(long, env = "STEWARD_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// File of the keys that encrypt case data at rest (default: steward.key under --data-dir)
    #[arg(long, env = "STEWARD_KEY_FILE", global = true)]
    key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Start the web server and API
    Serve {
        /// Address to listen on
        #[arg(long, env = "STEWARD_BIND")]
        bind: Option<String>,
    },
    /// Database maintenance
    #[command(subcommand)]
    Db(DbCommand),
    /// Manage user accounts
    #[command(subcommand)]
    Users(cmd::users::UsersCommand),
    /// Manage organisations
    #[command(subcommand)]
    Orgs(cmd::orgs::OrgsCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Tokens(cmd::tokens::TokensCommand),
    /// Official lists as dated editions: the editions in force, import, diff
    Lists {
        #[command(subcommand)]
        command: Option<cmd::lists::ListsCommand>,
    },
    /// How alike two names are, with the explanation (or a CSV of pairs with --pairs)
    Compare {
        /// Company, Person, Organization or LegalEntity
        #[arg(long, default_value = "LegalEntity")]
        schema: String,
        /// A CSV with columns schema,name1,name2, written back with score and match
        #[arg(long, conflicts_with_all = ["name1", "name2"])]
        pairs: Option<PathBuf>,
        /// Where --pairs writes (default: standard output)
        #[arg(short = 'o', long = "output", requires = "pairs")]
        output: Option<PathBuf>,
        /// The first name
        #[arg(required_unless_present = "pairs")]
        name1: Option<String>,
        /// The second name
        #[arg(required_unless_present = "pairs")]
        name2: Option<String>,
    },
    /// Screen a supplier file against the lists in force, row by row
    Screen(cmd::screen::ScreenArgs),
    /// Inspect the audit trail
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The keys that encrypt case data at rest
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Show configuration
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Demonstration data
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Benchmarks, side by side with the tools users would otherwise pick
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Country-name resolution against Python's countrynames, on public reference names
    Countries {
        /// Folder of the reference data (iso3166-country-codes/, ilab-tvpra-list/)
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Python interpreter with countrynames installed
        #[arg(long, default_value = "python3")]
        python: String,
        /// Passes over the names, for steadier timings
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Name matching quality (precision, recall, F1) and speed beside rapidfuzz and nomenklatura
    Match {
        /// Labelled pairs (columns schema,name1,name2,label); default: pairs generated from bench/entity-names.txt
        #[arg(long)]
        pairs: Option<PathBuf>,
        /// Python interpreter with rapidfuzz and nomenklatura installed
        #[arg(long, default_value = "python3")]
        python: String,
        /// Passes over the pairs for Steward's timing
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Case work: recording, listing, searching and reporting sealed cases, beside a plain SQLite table from Python
    Cases {
        /// Cases recorded
        #[arg(long, default_value_t = 2_000)]
        cases: usize,
        /// Times each read is repeated
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Python interpreter (its standard sqlite3 module is the comparison)
        #[arg(long, default_value = "python3")]
        python: String,
    },
    /// Screening at list scale: a synthetic watchlist, queries per second, recall, memory, beside rapidfuzz and nomenklatura
    Screen {
        /// Listed entities in the synthetic watchlist
        #[arg(long, default_value_t = 1_000_000)]
        entities: usize,
        /// Queries screened (half planted variants of listed names, half unlisted names)
        #[arg(long, default_value_t = 20_000)]
        queries: usize,
        /// Queries given to the peers (rapidfuzz scans the whole list for each)
        #[arg(long, default_value_t = 20)]
        peer_queries: usize,
        /// Python interpreter with rapidfuzz and nomenklatura installed
        #[arg(long, default_value = "python3")]
        python: String,
        /// Print this many missed planted variants and false hits, with what was found instead
        #[arg(long, default_value_t = 0)]
        show_misses: usize,
        /// Rows of the supplier CSV screened end to end by `steward screen` (0 to skip)
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
    },
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Apply pending migrations (serve does this too)
    Migrate,
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every entry's hash and link; exits non-zero naming the first broken entry
    Verify,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Make a new key, re-encrypt every sealed value under it, and retire the old keys
    Rotate,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Print a commented example configuration file
    Example,
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Fill the database with a clearly fictional demonstration dataset
    Load,
}

fn main() {
    // `steward users list | head` closes the pipe early: that ends the output, it is not a crash.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message =
            payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied());
        if message.is_some_and(|m| m.contains("Broken pipe")) {
            std::process::exit(0);
        }
        default_hook(info);
    }));
    let cli = Cli::parse();
    let serving = matches!(cli.command, Command::Serve { .. });
    let default_filter = if serving { "info,sqlx=warn,tower_http=warn" } else { "warn,sqlx=error" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("STEWARD_LOG").unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli)));
    if let Err(e) = result {
        // One line: what failed and, through the context chain, why.
        eprintln!("steward: {}", format!("{e:#}").replace('\n', " "));
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let bind = match &cli.command {
        Command::Serve { bind } => bind.clone(),
        _ => None,
    };
    let overrides = Overrides {
        config_file: cli.global.config,
        database_url: cli.global.database_url,
        data_dir: cli.global.data_dir,
        bind,
        key_file: cli.global.key_file,
        keys_text: std::env::var("STEWARD_KEYS").ok(),
    };
    let config = Config::load(&overrides)?;
    match cli.command {
        Command::Config(ConfigCommand::Example) => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
        Command::Serve { .. } => cmd::serve::run(&config).await,
        Command::Db(DbCommand::Migrate) => cmd::db::migrate(&config).await,
        Command::Users(c) => cmd::users::run(&config, c).await,
        Command::Orgs(c) => cmd::orgs::run(&config, c).await,
        Command::Tokens(c) => cmd::tokens::run(&config, c).await,
        Command::Compare { schema, pairs, output, name1, name2 } => match pairs {
            Some(file) => cmd::compare::pairs(&file, output.as_ref()),
            None => {
                cmd::compare::pair(&schema, name1.as_deref().unwrap_or_default(), name2.as_deref().unwrap_or_default())
            }
        },
        Command::Screen(args) => cmd::screen::run(&config, args).await,
        Command::Lists { command } => cmd::lists::run(&config, command).await,
        Command::Audit(AuditCommand::Verify) => cmd::audit::verify(&config).await,
        Command::Keys(KeysCommand::Rotate) => cmd::keys::rotate(&config).await,
        Command::Demo(DemoCommand::Load) => cmd::demo::load(&config).await,
        Command::Bench(BenchCommand::Match { pairs, python, rounds }) => {
            cmd::bench_match::run(pairs.as_deref(), &python, rounds.max(1))
        }
        Command::Bench(BenchCommand::Screen { entities, queries, peer_queries, python, show_misses, rows }) => {
            cmd::bench_screen::run(entities.max(1), queries.max(2), peer_queries, &python, show_misses, rows)
        }
        Command::Bench(BenchCommand::Cases { cases, rounds, python }) => {
            cmd::bench_cases::run(&config, cases.max(1), rounds, &python).await
        }
        Command::Bench(BenchCommand::Countries { data, python, rounds }) => {
            cmd::bench::countries(&data, &python, rounds.max(1))
        }
    }
}
