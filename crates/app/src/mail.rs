//! Outgoing e-mail, as the application sees it: a message and something that sends it. The
//! SMTP transport lives in the `cncl-mail` crate, so that this crate needs no TLS stack.

use std::future::Future;
use std::pin::Pin;

/// A person an e-mail goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub name: String,
    pub email: String,
}

/// A plain-text e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    pub subject: String,
    pub text: String,
}

/// Why an e-mail was not sent: said so the job's record can name it (never a password).
pub type MailFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Sends e-mail.
pub trait Mailer: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, mail: &'a Mail) -> MailFuture<'a>;
}
