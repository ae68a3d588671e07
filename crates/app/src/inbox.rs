//! What an account has been told in the application (reminders so far), and how it is
//! reached: its e-mail address and the person it is, set by the office.

use cncl_domain::msg;
use cncl_store::notifications::{Contact, Notification};
use uuid::Uuid;

use crate::policy::{self, Actor};
use crate::{App, AppError};

/// The longest e-mail address accepted (RFC 5321's path limit).
const MAX_EMAIL_BYTES: usize = 254;
/// How many notifications a page lists.
pub const INBOX_SIZE: u32 = 100;

/// Whether `email` looks like one mailbox: `local@domain`, no spaces or angle brackets.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        && !domain.contains('@')
}

impl App {
    /// Set how an account is reached (the office only).
    pub async fn set_contact(&self, actor: &Actor, account: Uuid, contact: Contact) -> Result<(), AppError> {
        policy::office(actor, true)?;
        if let Some(email) = &contact.email
            && (email.len() > MAX_EMAIL_BYTES || !plausible_email(email))
        {
            return Err(cncl_domain::DomainError::new(
                "email",
                msg("không phải một địa chỉ thư điện tử", "is not an e-mail address"),
            )
            .into());
        }
        if self.store.account(account).await?.is_none() {
            return Err(AppError::NotFound { noun: "account", id: account.to_string() });
        }
        let mut tx = self.store.begin(self.writer(actor)).await?;
        tx.set_contact(account, &contact).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The signed-in account's notifications, the newest first, and how many are unread.
    pub async fn inbox(&self, actor: &Actor) -> Result<(Vec<Notification>, u64), AppError> {
        let account = actor.account.ok_or(AppError::Unauthenticated)?;
        Ok((self.store.notifications(account, INBOX_SIZE).await?, self.store.unread_notifications(account).await?))
    }

    /// How many of the signed-in account's notifications are unread; none for others.
    pub async fn unread(&self, actor: &Actor) -> Result<u64, AppError> {
        match actor.account {
            Some(account) => Ok(self.store.unread_notifications(account).await?),
            None => Ok(0),
        }
    }

    /// Mark the account's notifications read: one, or all.
    pub async fn mark_read(&self, actor: &Actor, id: Option<Uuid>) -> Result<u64, AppError> {
        let account = actor.account.ok_or(AppError::Unauthenticated)?;
        let at = self.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Ok(self.store.mark_notifications_read(account, id, &at).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::plausible_email;

    #[test]
    fn an_address_is_one_mailbox() {
        for good in ["a@b.vn", "nguyen.van.a@most.gov.vn"] {
            assert!(plausible_email(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.vn", "a@.vn", "a b@c.vn", "a@b.vn,c@d.vn", "<a@b.vn>", "a@b@c.vn"] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }
}
