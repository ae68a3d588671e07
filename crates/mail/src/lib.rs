//! The application's `Mailer` over SMTP, with lettre. The server is named by a URL, as
//! lettre reads it: `smtp://host:25` (plain, for a relay on the office's own network or
//! loopback), `smtp://user:pass@host:587?tls=required` (STARTTLS), `smtps://user:pass@host`
//! (TLS from the start).

use cncl_app::mail::{Address, Mail, MailFuture, Mailer};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Sends through one SMTP server, from one address.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The server as configured, without its password, for messages and logs.
    shown: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("server", &self.shown).field("from", &self.from.to_string()).finish()
    }
}

/// Why the mailer could not be set up; never holds the URL's password.
#[derive(Debug)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

/// `url` with any password replaced, to be shown.
pub fn shown_url(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(at)) if at > scheme.len() => {
            let user = rest.get(..at - scheme.len() - 3).unwrap_or_default();
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{}", url.get(at + 1..).unwrap_or_default())
        }
        _ => url.to_owned(),
    }
}

impl SmtpMailer {
    /// A mailer for the server at `url`, sending as `from` (`Name <address>` or an address).
    pub fn new(url: &str, from: &str) -> Result<SmtpMailer, SetupError> {
        let shown = shown_url(url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| SetupError(format!("the SMTP server {shown}: {e}")))?
            .build();
        let from: Mailbox = from.parse().map_err(|e| SetupError(format!("the sender {from:?}: {e}")))?;
        Ok(SmtpMailer { transport, from, shown })
    }

    fn message(&self, mail: &Mail) -> Result<Message, String> {
        let mailbox = |a: &Address| -> Result<Mailbox, String> {
            format!("{} <{}>", a.name.replace(['<', '>', '"'], ""), a.email)
                .parse()
                .map_err(|e| format!("the address {}: {e}", a.email))
        };
        let mut builder = Message::builder().from(self.from.clone()).subject(mail.subject.clone());
        for a in &mail.to {
            builder = builder.to(mailbox(a)?);
        }
        for a in &mail.cc {
            builder = builder.cc(mailbox(a)?);
        }
        builder.header(ContentType::TEXT_PLAIN).body(mail.text.clone()).map_err(|e| e.to_string())
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> MailFuture<'a> {
        Box::pin(async move {
            let message = self.message(mail)?;
            self.transport.send(message).await.map(|_| ()).map_err(|e| format!("{}: {e}", self.shown))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn a_password_is_never_shown() {
        assert_eq!(shown_url("smtps://office:s3cret@mail.most.gov.vn:465"), "smtps://office:***@mail.most.gov.vn:465");
        assert_eq!(shown_url("smtp://127.0.0.1:2525"), "smtp://127.0.0.1:2525");
    }
}
