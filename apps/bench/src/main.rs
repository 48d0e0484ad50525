//! `helpdesk-bench`: seeds benchmark data sets, load-tests a running server, measures the
//! anchors, and writes docs/performance.md. See bench/run.sh and the README.

mod anchors;
mod burst;
mod dataset;
mod fixture;
mod load;
mod mail_intake;
mod pgbench;
mod report;
mod run;
mod seed;
mod smoke;
mod sql;
mod sustained;
mod targets;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "helpdesk-bench",
    about = "Benchmark data sets and load tests for helpdesk"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate an empty database and seed a data set through the bulk path.
    Seed(SeedArgs),
    /// Run the scenarios and anchors against a running server; write JSON results.
    Run(run::RunArgs),
    /// Measure the anchors (with the server stopped) into an existing results file.
    Anchors {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        results: PathBuf,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Combine results into docs/performance.md.
    Report {
        #[arg(long = "results", required = true)]
        results: Vec<PathBuf>,
        /// Results of a small PostgreSQL data set, for the list_filtered scaling target.
        #[arg(long)]
        small_postgres: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// A few seconds of everything on a tiny SQLite data set (CI).
    Smoke,
    /// Drop the waiting jobs and fill the finished-job history up to `--history` rows.
    QueuePrep {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        history: i64,
    },
    /// The write flood against the API with a worker running; adds to a results file.
    Sustained(SustainedArgs),
    /// N messages waiting in a Dovecot folder become N tickets; prints the time it takes.
    MailIntake {
        #[arg(long, default_value_t = 1000)]
        messages: usize,
        /// A fresh PostgreSQL database; default: SQLite in a temp dir.
        #[arg(long)]
        database_url: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct SustainedArgs {
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    database_url: String,
    #[arg(long)]
    tickets: u64,
    #[arg(long, default_value_t = 100)]
    workspaces: u64,
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// The worker's process id (the server's on SQLite), for its peak memory.
    #[arg(long)]
    worker_pid: Option<u32>,
    /// The results file this backend's `run --out` wrote, which gets the figures (else
    /// they are printed only).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct SeedArgs {
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value_t = 1_000_000)]
    tickets: u64,
    #[arg(long, default_value_t = 100)]
    workspaces: u64,
    #[arg(long, default_value_t = 0.5)]
    large_share: f64,
    #[arg(long, default_value_t = 3)]
    messages_per_ticket: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn shape(
    tickets: u64,
    workspaces: u64,
    large_share: f64,
    messages_per_ticket: u64,
) -> dataset::Shape {
    dataset::Shape {
        tickets,
        workspaces,
        large_share,
        large_agents: 50,
        large_customers: 5000,
        large_organizations: 200,
        small_agents: 5,
        small_customers: 100,
        small_organizations: 10,
        messages_per_ticket,
    }
}

async fn main_inner(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Seed(a) => {
            let store =
                helpdesk_storage::Store::connect(&a.database_url, &Default::default()).await?;
            store.migrate().await?;
            seed::seed(
                &store,
                shape(
                    a.tickets,
                    a.workspaces,
                    a.large_share,
                    a.messages_per_ticket,
                ),
                a.seed,
            )
            .await
        }
        Command::Run(a) => run::run(a).await,
        Command::Anchors {
            database_url,
            results,
            seconds,
        } => run::anchors_into(&database_url, &results, seconds).await,
        Command::Report {
            results,
            small_postgres,
            out,
        } => {
            let read = |p: &PathBuf| -> anyhow::Result<report::Results> {
                Ok(serde_json::from_slice(&std::fs::read(p)?)?)
            };
            let runs = results
                .iter()
                .map(read)
                .collect::<anyhow::Result<Vec<_>>>()?;
            let small = small_postgres.as_ref().map(read).transpose()?;
            let now = jiff::Timestamp::now()
                .strftime("%Y-%m-%d %H:%M UTC")
                .to_string();
            let results = report::markdown(&runs, small.as_ref(), &now);
            let page = std::fs::read_to_string(&out).unwrap_or_default();
            std::fs::write(&out, report::splice(&page, &results))?;
            Ok(())
        }
        Command::Smoke => smoke::smoke().await,
        Command::MailIntake {
            messages,
            database_url,
        } => {
            let backend = if database_url.is_some() {
                "postgres"
            } else {
                "sqlite"
            };
            let r = mail_intake::run(messages, database_url).await?;
            mail_intake::print(backend, &r);
            Ok(())
        }
        Command::QueuePrep {
            database_url,
            history,
        } => sustained::prepare(&database_url, history).await,
        Command::Sustained(a) => {
            let seeded = shape(a.tickets, a.workspaces, 0.5, 3).tickets_in(1);
            let fixture = std::sync::Arc::new(
                fixture::prepare(&a.base_url, a.concurrency, seeded, a.workspaces).await?,
            );
            let s = sustained::run(
                fixture,
                &a.database_url,
                a.concurrency,
                a.seconds,
                a.worker_pid,
            )
            .await?;
            match &a.out {
                Some(out) => sustained::record(&s, out),
                None => {
                    sustained::print(&s);
                    Ok(())
                }
            }
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match main_inner(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
