//! `helpdesk`: one binary for the API server, the worker, the scheduler and migrations.

use clap::Parser;
use helpdesk::{Cli, Command};

/// jemalloc instead of glibc's malloc: glibc gives each thread that allocates (the runtime's,
/// every SQLite connection's, the hashing threads') an arena of its own and returns little
/// of it, which is where most of the peak memory went (docs/architecture.md, Processes).
/// Built with one arena per CPU (`.cargo/config.toml`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested");
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    helpdesk::telemetry::init(config.log, &config.log_filter)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .map_err(|e| {
                    anyhow::anyhow!("HELPDESK_BIND: cannot listen on {}: {e}", config.bind)
                })?;
            helpdesk::serve(config, listener, shutdown_signal()).await
        }
        Command::Worker => helpdesk::run_worker(config, shutdown_signal()).await,
        Command::Scheduler => helpdesk::run_scheduler(config, shutdown_signal()).await,
        Command::Migrate => helpdesk::migrate(&config).await,
        Command::Version => {
            println!("helpdesk {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A missing .env is normal; variables already set win over the file.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
