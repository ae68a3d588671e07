//! `cncl serve`: the web server, with graceful shutdown on SIGINT and SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The address to listen on. Port 0 picks a free port (printed at start).
    #[arg(long, env = "CNCL_LISTEN", default_value = "127.0.0.1:8080", value_parser = listen_address)]
    listen: SocketAddr,
    /// Load the demo data set first (skipped if already loaded).
    #[arg(long)]
    demo: bool,
    /// A reverse proxy in front of cncl (repeat, or separate with commas): its
    /// X-Forwarded-For names the client for sign-in throttling, and its X-Forwarded-Proto
    /// turns on HSTS. From any other peer those headers are ignored.
    #[arg(long = "trusted-proxy", env = "CNCL_TRUSTED_PROXIES", value_delimiter = ',', value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// cncl's public address, printed on the reports it publishes; the listening address
    /// when not given.
    #[arg(long, env = "CNCL_PUBLIC_URL")]
    public_url: Option<String>,
    /// The office's certificate and key (PKCS#12) to sign the reports it publishes with; the
    /// password is read from CNCL_SIGNING_PASSWORD.
    #[arg(long, env = "CNCL_SIGNING_KEYSTORE", value_name = "FILE.p12")]
    sign_with: Option<std::path::PathBuf>,
    /// The SMTP server reminders are e-mailed through: smtp://host:25 (plain, on the office's
    /// own network), smtp://user:pass@host:587?tls=required (STARTTLS) or
    /// smtps://user:pass@host (TLS). Without it reminders are shown in cncl only. The
    /// environment's value is not shown in `--help`: it may hold a password.
    #[arg(long, env = "CNCL_SMTP_URL", hide_env_values = true, value_name = "URL")]
    smtp_url: Option<String>,
    /// The sender of cncl's e-mails.
    #[arg(long, env = "CNCL_MAIL_FROM", default_value = "cncl <cncl@localhost>")]
    mail_from: String,
    /// Every this many seconds, plan the reminders due and work the job queue; 0 leaves the
    /// queue to other instances.
    #[arg(long, env = "CNCL_JOBS_EVERY", default_value_t = 300, value_name = "SECONDS")]
    jobs_every: u64,
}

/// Plan the reminders due and work the queue every `every`, until the server stops. A
/// failure is logged and tried again next time: the queue keeps what was not done.
fn spawn_worker(
    app: cncl_app::App,
    worker: cncl_app::jobs::Worker,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            if let Err(e) = app.plan_reminders(app.today()).await {
                tracing::warn!(error = %e, "planning reminders");
            }
            match app.work_jobs(&worker).await {
                Ok(0) => {}
                Ok(done) => tracing::info!(done, "jobs worked"),
                Err(e) => tracing::warn!(error = %e, "working the job queue"),
            }
        }
    })
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let signing = crate::report::signing(args.sign_with.as_deref())?;
    let app = args.database.create_or_open().await?;
    let moved = app.canonicalise_provinces(&cncl_app::Actor::system("cncl:provinces")).await?;
    if moved > 0 {
        println!("{moved} organisations' provinces named as in today's list of 34 (the audit log has each)");
    }
    if let Some(password) = app.ensure_admin(std::env::var("CNCL_ADMIN_PASSWORD").ok()).await? {
        println!("created the first account: admin, one-time password {password} (set up TOTP at first sign-in)");
    }
    if args.demo {
        crate::demo::report(app.load_demo(&crate::cli_actor()).await?);
    }
    let listener =
        tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listening on {}", args.listen))?;
    let local = listener.local_addr()?;
    println!("cncl is serving http://{local}/ (database: {}); press Ctrl+C to stop", args.database.shown());
    let public_url = args.public_url.unwrap_or_else(|| format!("http://{local}"));
    let mailer = match &args.smtp_url {
        Some(url) => {
            let mailer = cncl_mail::SmtpMailer::new(url, &args.mail_from)?;
            println!("reminders are e-mailed through {}", cncl_mail::shown_url(url));
            Some(std::sync::Arc::new(mailer) as std::sync::Arc<dyn cncl_app::mail::Mailer>)
        }
        None => None,
    };
    let worker = (args.jobs_every > 0).then(|| {
        let worker = cncl_app::jobs::Worker {
            name: format!("{local}/{}", std::process::id()),
            mailer,
            base_url: public_url.clone(),
        };
        spawn_worker(app.clone(), worker, std::time::Duration::from_secs(args.jobs_every))
    });
    let config = cncl_web::client::WebConfig {
        trusted_proxies: args.trusted_proxies,
        public_url,
        reports: Some(std::sync::Arc::new(cncl_report::Typst { signing })),
    };
    let service = cncl_web::router_with(app.clone(), config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await?;
    if let Some(worker) = worker {
        worker.abort();
    }
    app.close().await;
    println!("cncl stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// `--listen`: `HOST:PORT`, or a port alone on this machine only (`8080` is
/// `127.0.0.1:8080`: opening cncl to the network is said in full).
fn listen_address(raw: &str) -> Result<SocketAddr, String> {
    if let Ok(port) = raw.trim().parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    raw.trim()
        .parse()
        .map_err(|_| format!("{raw:?} is not an address: write a port (8080) or HOST:PORT (0.0.0.0:8080)"))
}

#[cfg(test)]
mod tests {
    use super::listen_address;

    #[test]
    fn a_port_alone_listens_on_this_machine() {
        assert_eq!(listen_address("8080").map(|a| a.to_string()), Ok("127.0.0.1:8080".to_owned()));
        assert_eq!(listen_address("0.0.0.0:9000").map(|a| a.to_string()), Ok("0.0.0.0:9000".to_owned()));
        assert!(listen_address("eighty").is_err_and(|e| e.contains("HOST:PORT")));
    }
}
