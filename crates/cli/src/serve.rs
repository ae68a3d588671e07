//! `cncl serve`: the web server, with graceful shutdown on SIGINT and SIGTERM.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;

use crate::DatabaseArgs;

/// The server's flags; each is also a `CNCL_*` variable and a key of cncl.toml
/// (`cncl config show`).
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The address to listen on (127.0.0.1:8080 by default); a port alone listens on this
    /// machine only. Port 0 picks a free port (printed at start).
    #[arg(long, value_name = "HOST:PORT")]
    listen: Option<String>,
    /// Load the demo data set first (skipped if already loaded).
    #[arg(long)]
    demo: bool,
    /// A reverse proxy in front of cncl (repeat, or separate with commas): its
    /// X-Forwarded-For names the client for sign-in throttling, and its X-Forwarded-Proto
    /// turns on HSTS. From any other peer those headers are ignored.
    #[arg(long = "trusted-proxy", value_delimiter = ',', value_name = "IP")]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// cncl's public address, in the links of e-mails and on the reports it publishes; the
    /// listening address when not given.
    #[arg(long)]
    public_url: Option<String>,
    /// The office's certificate and key (PKCS#12) to sign the reports it publishes with; the
    /// password is read from CNCL_SIGNING_PASSWORD.
    #[arg(long, value_name = "FILE.p12")]
    sign_with: Option<std::path::PathBuf>,
    /// The SMTP server reminders are e-mailed through: smtp://host:25 (plain, on the office's
    /// own network), smtp://user:pass@host:587?tls=required (STARTTLS) or
    /// smtps://user:pass@host (TLS). Without it reminders are shown in cncl only.
    #[arg(long, value_name = "URL")]
    smtp_url: Option<String>,
    /// The sender of cncl's e-mails (`cncl <cncl@localhost>` by default).
    #[arg(long)]
    mail_from: Option<String>,
    /// Every this many seconds (300 by default), plan the reminders due and work the job
    /// queue; 0 leaves the queue to other instances.
    #[arg(long, value_name = "SECONDS")]
    jobs_every: Option<u64>,
    /// Keep documents' bytes as files in this directory rather than in the database.
    #[arg(long, value_name = "DIR")]
    documents_dir: Option<std::path::PathBuf>,
}

impl ServeArgs {
    fn flags(&self) -> crate::settings::Flags {
        self.database
            .flags()
            .set("listen", self.listen.as_ref())
            .set("trusted_proxies", (!self.trusted_proxies.is_empty()).then_some(&self.trusted_proxies))
            .set("public_url", self.public_url.as_ref())
            .set("signing_keystore", self.sign_with.as_ref())
            .set("smtp.url", self.smtp_url.as_ref())
            .set("smtp.from", self.mail_from.as_ref())
            .set("jobs_every", self.jobs_every)
            .set("documents_dir", self.documents_dir.as_ref())
    }
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
            let started = std::time::Instant::now();
            match app.plan_reminders(app.today()).await {
                Ok(0) => {}
                Ok(planned) => tracing::info!(planned, took_ms = started.elapsed().as_millis(), "reminders planned"),
                Err(e) => tracing::warn!(error = %e, "planning reminders"),
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
    let loaded = crate::settings::Loaded::load(args.flags())?;
    loaded.warn_unknown();
    let settings = loaded.settings;
    let signing = crate::report::signing(settings.signing_keystore.as_deref())?;
    let listen = settings.listen_address()?;
    let app = settings.open_app().await?;
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
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("listening on {listen}"))?;
    let local = listener.local_addr()?;
    println!(
        "cncl is serving http://{local}/ (database: {}); press Ctrl+C to stop",
        cncl_store::shown_address(&settings.database)
    );
    let public_url = settings.public_url.clone().unwrap_or_else(|| format!("http://{local}"));
    let mailer = match &settings.smtp.url {
        Some(url) => {
            let mailer = cncl_mail::SmtpMailer::new(url, &settings.smtp.from)?;
            println!("reminders are e-mailed through {}", cncl_mail::shown_url(url));
            Some(std::sync::Arc::new(mailer) as std::sync::Arc<dyn cncl_app::mail::Mailer>)
        }
        None => None,
    };
    let worker = (settings.jobs_every > 0).then(|| {
        let worker = cncl_app::jobs::Worker {
            name: format!("{local}/{}", std::process::id()),
            mailer,
            base_url: public_url.clone(),
        };
        spawn_worker(app.clone(), worker, std::time::Duration::from_secs(settings.jobs_every))
    });
    let config = cncl_web::client::WebConfig {
        trusted_proxies: settings.trusted_proxies.clone(),
        public_url,
        reports: Some(std::sync::Arc::new(cncl_report::Typst { signing })),
        metrics: cncl_web::client::MetricsAccess {
            allow: settings.metrics.allow.clone(),
            token: settings.metrics.token.clone(),
        },
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
