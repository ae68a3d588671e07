//! cncl's settings, in layers: a command-line flag wins over a `CNCL_*` environment variable,
//! which wins over `cncl.toml`, which wins over the default. Every setting is declared once in
//! [`KEYS`] — its key in the file, its variable, its flag, whether it is a secret — and that
//! table drives the environment's names, the warning about unknown keys, and `cncl config
//! show`.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, bail};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::{Figment, Provider};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The file read when `--config` and `CNCL_CONFIG` name none: `cncl.toml` where cncl runs,
/// if it is there.
pub const DEFAULT_FILE: &str = "cncl.toml";

/// One setting: where it is written in each layer.
#[derive(Debug)]
pub struct Key {
    /// In `cncl.toml` (`smtp.url` is `url` under `[smtp]`).
    pub path: &'static str,
    pub env: &'static str,
    pub flag: Option<&'static str>,
    /// Never printed as it is: a password or a token.
    pub secret: bool,
}

const fn key(path: &'static str, env: &'static str, flag: Option<&'static str>, secret: bool) -> Key {
    Key { path, env, flag, secret }
}

/// Every setting cncl reads.
pub const KEYS: &[Key] = &[
    key("database", "CNCL_DATABASE", Some("--database"), true),
    key("listen", "CNCL_LISTEN", Some("--listen"), false),
    key("public_url", "CNCL_PUBLIC_URL", Some("--public-url"), false),
    key("trusted_proxies", "CNCL_TRUSTED_PROXIES", Some("--trusted-proxy"), false),
    key("documents_dir", "CNCL_DOCUMENTS_DIR", Some("--documents-dir"), false),
    key("log_format", "CNCL_LOG_FORMAT", None, false),
    key("jobs_every", "CNCL_JOBS_EVERY", Some("--jobs-every"), false),
    key("signing_keystore", "CNCL_SIGNING_KEYSTORE", Some("--sign-with"), false),
    key("session.idle_minutes", "CNCL_SESSION_IDLE_MINUTES", None, false),
    key("throttle.window_minutes", "CNCL_THROTTLE_WINDOW_MINUTES", None, false),
    key("throttle.per_account_and_address", "CNCL_THROTTLE_PER_ACCOUNT_AND_ADDRESS", None, false),
    key("throttle.per_account", "CNCL_THROTTLE_PER_ACCOUNT", None, false),
    key("throttle.per_address", "CNCL_THROTTLE_PER_ADDRESS", None, false),
    key("smtp.url", "CNCL_SMTP_URL", Some("--smtp-url"), true),
    key("smtp.from", "CNCL_MAIL_FROM", Some("--mail-from"), false),
    key("metrics.allow", "CNCL_METRICS_ALLOW", None, false),
    key("metrics.token", "CNCL_METRICS_TOKEN", None, true),
];

/// How the server writes its log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per line, for a log collector.
    Json,
}

/// The settings in effect.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// A SQLite file path or a `postgres://` URL.
    pub database: String,
    /// `HOST:PORT`, or a port alone on this machine.
    #[serde(deserialize_with = "text")]
    pub listen: String,
    /// cncl's public address, in links, e-mails and QR codes; the listening address when
    /// unset.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-*` headers are believed.
    #[serde(deserialize_with = "addresses")]
    pub trusted_proxies: Vec<IpAddr>,
    /// Where documents' bytes are kept; in the database when unset.
    pub documents_dir: Option<PathBuf>,
    pub log_format: LogFormat,
    /// Seconds between two rounds of the job queue; 0 leaves the queue to other instances.
    pub jobs_every: u64,
    /// The office's PKCS#12 certificate to sign published reports with.
    pub signing_keystore: Option<PathBuf>,
    pub session: SessionSettings,
    pub throttle: ThrottleSettings,
    pub smtp: SmtpSettings,
    pub metrics: MetricsSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSettings {
    /// Minutes without a request after which a session ends.
    pub idle_minutes: i64,
}

/// Sign-in throttling (`cncl_app::accounts::AuthPolicy`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThrottleSettings {
    pub window_minutes: i64,
    pub per_account_and_address: i64,
    pub per_account: i64,
    pub per_address: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmtpSettings {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required` or `smtps://user:pass@host`.
    pub url: Option<String>,
    pub from: String,
}

/// Who may read `/metrics`: these addresses, or anyone with the token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricsSettings {
    #[serde(deserialize_with = "addresses")]
    pub allow: Vec<IpAddr>,
    pub token: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let auth = cncl_app::accounts::AuthPolicy::default();
        Settings {
            database: "cncl.db".into(),
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            trusted_proxies: Vec::new(),
            documents_dir: None,
            log_format: LogFormat::Text,
            jobs_every: 300,
            signing_keystore: None,
            session: SessionSettings { idle_minutes: auth.idle_timeout.num_minutes() },
            throttle: ThrottleSettings {
                window_minutes: auth.failure_window.num_minutes(),
                per_account_and_address: auth.attempts_per_account_and_address,
                per_account: auth.attempts_per_account,
                per_address: auth.attempts_per_address,
            },
            smtp: SmtpSettings { url: None, from: "cncl <cncl@localhost>".into() },
            metrics: MetricsSettings {
                allow: vec![IpAddr::from([127, 0, 0, 1]), IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1u16])],
                token: None,
            },
        }
    }
}

/// A number or a word, read as text (`CNCL_LISTEN=8080` arrives as a number).
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Number(u64),
    }
    Ok(match Scalar::deserialize(deserializer)? {
        Scalar::Text(text) => text,
        Scalar::Number(number) => number.to_string(),
    })
}

/// Addresses as a list, or as one text separated by commas (as an environment variable
/// writes them).
fn addresses<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<IpAddr>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Addresses {
        List(Vec<String>),
        Text(String),
    }
    let written = match Addresses::deserialize(deserializer)? {
        Addresses::List(list) => list,
        Addresses::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    written
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| a.parse().map_err(|_| serde::de::Error::custom(format!("{a:?} is not an IP address"))))
        .collect()
}

/// The file named by `--config` (or `CNCL_CONFIG`), set once at start.
static CONFIG_FILE: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Name the settings file for this process (`--config`).
pub fn use_file(path: Option<PathBuf>) {
    let _ = CONFIG_FILE.set(path);
}

/// The settings file and whether it was named (a named file must exist).
fn config_file() -> (PathBuf, bool) {
    match CONFIG_FILE.get().cloned().flatten() {
        Some(path) => (path, true),
        None => (PathBuf::from(DEFAULT_FILE), false),
    }
}

/// Values given as flags, by key.
#[derive(Debug, Default, Clone)]
pub struct Flags(serde_json::Map<String, Value>);

impl Flags {
    /// `value` as the setting at `path`, if given.
    pub fn set<T: Serialize>(mut self, path: &str, value: Option<T>) -> Self {
        let Some(value) = value.and_then(|v| serde_json::to_value(v).ok()) else { return self };
        let mut level = &mut self.0;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                level.insert(part.to_owned(), value);
                break;
            }
            let next = level.entry(part.to_owned()).or_insert_with(|| Value::Object(Default::default()));
            let Value::Object(map) = next else { break };
            level = map;
        }
        self
    }

    fn has(&self, path: &str) -> bool {
        let mut level = &self.0;
        let mut parts = path.split('.').peekable();
        while let Some(part) = parts.next() {
            match (level.get(part), parts.peek()) {
                (Some(_), None) => return true,
                (Some(Value::Object(inner)), Some(_)) => level = inner,
                _ => return false,
            }
        }
        false
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Flag(&'static str),
    Environment(&'static str),
    File(PathBuf),
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Environment(name) => write!(f, "environment {name}"),
            Origin::File(path) => write!(f, "file {}", path.display()),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// The settings, and what made them.
#[derive(Debug)]
pub struct Loaded {
    pub settings: Settings,
    file: Option<PathBuf>,
    file_layer: Figment,
    flags: Flags,
    /// Keys in the file that cncl does not read.
    pub unknown_keys: Vec<String>,
}

/// The environment's `CNCL_*` variables that are settings, keyed as in the file.
fn environment() -> Env {
    Env::prefixed("CNCL_").filter_map(|name| {
        KEYS.iter()
            .find(|k| k.env.strip_prefix("CNCL_").is_some_and(|n| name.as_str().eq_ignore_ascii_case(n)))
            .map(|k| k.path.into())
    })
}

/// The keys a TOML table holds, dotted.
fn keys_in(dict: &figment::value::Dict, prefix: &str, found: &mut Vec<String>) {
    for (name, value) in dict {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        match value.as_dict() {
            Some(inner) if KEYS.iter().any(|k| k.path.starts_with(&format!("{path}."))) => keys_in(inner, &path, found),
            _ => found.push(path),
        }
    }
}

impl Loaded {
    /// Read the layers, flags first.
    pub fn load(flags: Flags) -> anyhow::Result<Loaded> {
        let (path, named) = config_file();
        let file = if path.exists() {
            Some(path)
        } else if named {
            bail!("the settings file {} is not there", path.display());
        } else {
            None
        };
        let file_layer = file.as_ref().map_or_else(Figment::new, |p| Figment::from(Toml::file_exact(p)));
        let mut unknown_keys = Vec::new();
        if file.is_some() {
            let dict = file_layer.data().map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut found = Vec::new();
            for profile in dict.values() {
                keys_in(profile, "", &mut found);
            }
            unknown_keys = found.into_iter().filter(|f| !KEYS.iter().any(|k| k.path == f)).collect();
        }
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(file_layer.clone())
            .merge(environment())
            .merge(Serialized::globals(Value::Object(flags.0.clone())))
            .extract()
            .map_err(|e| anyhow::anyhow!("settings: {e}"))?;
        settings.check()?;
        Ok(Loaded { settings, file, file_layer, flags, unknown_keys })
    }

    /// Where the value of `key` came from.
    pub fn origin(&self, key: &Key) -> Origin {
        if let Some(flag) = key.flag.filter(|_| self.flags.has(key.path)) {
            return Origin::Flag(flag);
        }
        if std::env::var_os(key.env).is_some() {
            return Origin::Environment(key.env);
        }
        match &self.file {
            Some(path) if self.file_layer.find_value(key.path).is_ok() => Origin::File(path.clone()),
            _ => Origin::Default,
        }
    }

    /// The value of `key` as it may be printed: a secret redacted.
    pub fn shown(&self, key: &Key) -> String {
        let all = serde_json::to_value(&self.settings).unwrap_or_default();
        let value = key.path.split('.').try_fold(&all, |v, part| v.get(part)).cloned().unwrap_or(Value::Null);
        let text = match &value {
            Value::Null => return "—".to_owned(),
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        match key.path {
            "database" => cncl_store::shown_address(&text),
            "smtp.url" => cncl_mail::shown_url(&text),
            _ if key.secret => "***".to_owned(),
            _ => text,
        }
    }

    /// Print a warning for each key of the file cncl does not read.
    pub fn warn_unknown(&self) {
        for unknown in &self.unknown_keys {
            let file = self.file.as_deref().unwrap_or(Path::new(DEFAULT_FILE));
            eprintln!("warning: {}: cncl has no setting {unknown:?}; it is ignored", file.display());
        }
    }
}

impl Settings {
    /// Every count and duration from outside within bounds, every address readable.
    fn check(&self) -> anyhow::Result<()> {
        let within = |name: &str, value: i64, low: i64, high: i64| -> anyhow::Result<()> {
            if !(low..=high).contains(&value) {
                bail!("settings: {name} is {value}; it must be between {low} and {high}");
            }
            Ok(())
        };
        within("session.idle_minutes", self.session.idle_minutes, 1, 24 * 60)?;
        within("throttle.window_minutes", self.throttle.window_minutes, 1, 24 * 60)?;
        within("throttle.per_account_and_address", self.throttle.per_account_and_address, 1, 10_000)?;
        within("throttle.per_account", self.throttle.per_account, 1, 10_000)?;
        within("throttle.per_address", self.throttle.per_address, 1, 10_000)?;
        within("jobs_every", i64::try_from(self.jobs_every).unwrap_or(i64::MAX), 0, 24 * 3600)?;
        self.listen_address()?;
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url).map_err(|e| anyhow::anyhow!("settings: public_url {url:?}: {e}"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("settings: public_url {url:?} must start with http:// or https://");
            }
        }
        Ok(())
    }

    /// `listen` as an address: a port alone is on this machine only (`8080` is
    /// `127.0.0.1:8080`: opening cncl to the network is said in full).
    pub fn listen_address(&self) -> anyhow::Result<SocketAddr> {
        let raw = self.listen.trim();
        if let Ok(port) = raw.parse::<u16>() {
            return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
        }
        raw.parse().with_context(|| {
            format!("settings: listen {raw:?} is not an address: write a port (8080) or HOST:PORT (0.0.0.0:8080)")
        })
    }

    /// The sign-in limits these settings give.
    pub fn auth_policy(&self) -> cncl_app::accounts::AuthPolicy {
        cncl_app::accounts::AuthPolicy {
            idle_timeout: chrono::Duration::minutes(self.session.idle_minutes),
            failure_window: chrono::Duration::minutes(self.throttle.window_minutes),
            attempts_per_account_and_address: self.throttle.per_account_and_address,
            attempts_per_account: self.throttle.per_account,
            attempts_per_address: self.throttle.per_address,
            ..Default::default()
        }
    }

    /// Whether the database is a file that is not there yet.
    pub fn database_missing(&self) -> Option<&str> {
        let is_url = self.database.starts_with("postgres://") || self.database.starts_with("postgresql://");
        let path = self.database.strip_prefix("sqlite://").unwrap_or(&self.database);
        (!is_url && !Path::new(path).exists()).then_some(path)
    }

    /// Open the application, creating the database when missing, with these settings'
    /// sign-in limits and documents' place. An error names the address without its password.
    pub async fn open_app(&self) -> anyhow::Result<cncl_app::App> {
        let app = cncl_app::App::open(&self.database)
            .await
            .with_context(|| format!("opening {}", cncl_store::shown_address(&self.database)))?;
        Ok(app.with_auth_policy(self.auth_policy()).with_documents_in(self.documents_dir.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::{Flags, Settings};

    #[test]
    fn a_port_alone_listens_on_this_machine() {
        let listen = |raw: &str| Settings { listen: raw.into(), ..Settings::default() }.listen_address();
        assert_eq!(listen("8080").map(|a| a.to_string()).ok(), Some("127.0.0.1:8080".to_owned()));
        assert_eq!(listen("0.0.0.0:9000").map(|a| a.to_string()).ok(), Some("0.0.0.0:9000".to_owned()));
        assert!(listen("eighty").is_err_and(|e| e.to_string().contains("HOST:PORT")));
    }

    #[test]
    fn flags_are_kept_by_their_dotted_key() {
        let flags = Flags::default().set("smtp.url", Some("smtp://x")).set("listen", None::<String>);
        assert!(flags.has("smtp.url"));
        assert!(!flags.has("smtp.from") && !flags.has("listen") && !flags.has("smtp.url.more"));
    }
}
