//! How accounts are reached and what they are told: each account's contact (e-mail
//! address, the person it is), the accounts accountable for a report, and the in-app
//! notifications with their read state.

use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::backend::{Store, Tx, on_pool, on_tx};
use crate::error::StoreError;

/// How an account is reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub email: Option<String>,
    pub person_id: Option<Uuid>,
}

impl Contact {
    fn audit_json(&self, account: Uuid) -> serde_json::Value {
        json!({ "account_id": account, "email": self.email, "person_id": self.person_id })
    }
}

/// An account a reminder goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Recipient {
    pub account_id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
}

/// Who is accountable for a report: those it goes to, and those in copy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Recipients {
    pub to: Vec<Recipient>,
    pub cc: Vec<Recipient>,
}

/// One thing an account was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub title_vi: String,
    pub title_en: String,
    pub body_vi: String,
    pub body_en: String,
    /// A path within cncl.
    pub link: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

/// A notification to add.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub account_id: Uuid,
    pub dedupe_key: &'a str,
    pub title: (&'a str, &'a str),
    pub body: (&'a str, &'a str),
    pub link: &'a str,
    pub created_at: &'a str,
}

fn uuid(table: &'static str, raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|e| StoreError::Corrupt { table, id: raw.to_owned(), message: e.to_string() })
}

const RECIPIENT_COLUMNS: &str = "a.id, a.display_name, c.email";
type RecipientRow = (String, String, Option<String>);

impl Tx {
    /// Set how an account is reached; logged (`account_contacts`) when it changes.
    pub async fn set_contact(&mut self, account: Uuid, contact: &Contact) -> Result<(), StoreError> {
        let id = account.to_string();
        let before: Option<(Option<String>, Option<String>)> = on_tx!(self, conn => {
            sqlx::query_as("select email, person_id from account_contacts where account_id = $1")
                .bind(id.clone())
                .fetch_optional(conn)
                .await?
        });
        let before = before
            .map(|(email, person)| {
                Ok::<_, StoreError>(Contact {
                    email,
                    person_id: person.as_deref().map(|p| uuid("account_contacts", p)).transpose()?,
                })
            })
            .transpose()?;
        if before.as_ref() == Some(contact) {
            return Ok(());
        }
        let sql = "insert into account_contacts (account_id, email, person_id) values ($1, $2, $3) \
                   on conflict (account_id) do update set email = excluded.email, person_id = excluded.person_id";
        on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(id.clone())
                .bind(contact.email.clone())
                .bind(contact.person_id.map(|p| p.to_string()))
                .execute(conn)
                .await?;
        });
        let change = self.change(
            if before.is_some() { "update" } else { "insert" },
            "account_contacts",
            &id,
            before.map(|b| b.audit_json(account)),
            Some(contact.audit_json(account)),
        )?;
        self.append_audit(vec![change]).await
    }
}

impl Store {
    /// How an account is reached.
    pub async fn contact(&self, account: Uuid) -> Result<Contact, StoreError> {
        let row: Option<(Option<String>, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as("select email, person_id from account_contacts where account_id = $1")
                .bind(account.to_string())
                .fetch_optional(pool)
                .await?
        });
        let Some((email, person)) = row else { return Ok(Contact::default()) };
        Ok(Contact { email, person_id: person.as_deref().map(|p| uuid("account_contacts", p)).transpose()? })
    }

    /// Every account's contact, as the audit log last recorded it, for `audit verify`.
    pub(crate) async fn contacts_audit_json(&self) -> Result<Vec<(String, serde_json::Value)>, StoreError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as("select account_id, email, person_id from account_contacts").fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(account, email, person)| {
                let id = uuid("account_contacts", &account)?;
                let person_id = person.as_deref().map(|p| uuid("account_contacts", p)).transpose()?;
                Ok((account, Contact { email, person_id }.audit_json(id)))
            })
            .collect()
    }

    /// The enabled accounts accountable for a report: the person leading it (by the
    /// account's person) and the owing organisation's reporters; in copy, the chief
    /// engineers of its product.
    pub async fn recipients(
        &self,
        lead_person: Option<Uuid>,
        organisation: Option<Uuid>,
        product: Option<&str>,
    ) -> Result<Recipients, StoreError> {
        let base = format!(
            "select {RECIPIENT_COLUMNS} from accounts a left join account_contacts c on c.account_id = a.id where a.disabled = $1"
        );
        let mut to: Vec<RecipientRow> = Vec::new();
        if let Some(person) = lead_person {
            let sql = format!("{base} and c.person_id = $2 order by a.username");
            to.extend(self.recipient_rows(&sql, person.to_string()).await?);
        }
        if let Some(organisation) = organisation {
            let sql = format!("{base} and a.role = 'reporter' and a.organisation_id = $2 order by a.username");
            to.extend(self.recipient_rows(&sql, organisation.to_string()).await?);
        }
        let mut cc = Vec::new();
        if let Some(product) = product {
            // `products` is a JSON array of codes; a code is letters, digits and dashes.
            let sql = format!("{base} and a.role = 'chief_engineer' and a.products like $2 order by a.username");
            cc.extend(self.recipient_rows(&sql, format!("%\"{product}\"%")).await?);
        }
        let to = recipients_of(to)?;
        let cc: Vec<Recipient> = recipients_of(cc)?.into_iter().filter(|r| !to.contains(r)).collect();
        Ok(Recipients { to, cc })
    }

    async fn recipient_rows(&self, sql: &str, bind: String) -> Result<Vec<RecipientRow>, StoreError> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())).bind(false).bind(bind).fetch_all(pool).await?
        }))
    }

    /// Tell an account something once; false when it was told already.
    pub async fn notify(&self, n: &NewNotification<'_>) -> Result<bool, StoreError> {
        let sql = "insert into notifications (id, account_id, dedupe_key, title_vi, title_en, body_vi, body_en, link, created_at) \
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (account_id, dedupe_key) do nothing";
        let added = on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(Uuid::now_v7().to_string())
                .bind(n.account_id.to_string())
                .bind(n.dedupe_key.to_owned())
                .bind(n.title.0.to_owned())
                .bind(n.title.1.to_owned())
                .bind(n.body.0.to_owned())
                .bind(n.body.1.to_owned())
                .bind(n.link.to_owned())
                .bind(n.created_at.to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(added == 1)
    }

    /// An account's notifications, the newest first, at most `limit`.
    pub async fn notifications(&self, account: Uuid, limit: u32) -> Result<Vec<Notification>, StoreError> {
        let sql = "select id, title_vi, title_en, body_vi, body_en, link, created_at, read_at from notifications \
                   where account_id = $1 order by created_at desc, id desc limit $2";
        type Row = (String, String, String, String, String, String, String, Option<String>);
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(account.to_string()).bind(i64::from(limit)).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, title_vi, title_en, body_vi, body_en, link, created_at, read_at)| {
                Ok(Notification {
                    id: uuid("notifications", &id)?,
                    title_vi,
                    title_en,
                    body_vi,
                    body_en,
                    link,
                    created_at,
                    read_at,
                })
            })
            .collect()
    }

    /// How many of an account's notifications are unread.
    pub async fn unread_notifications(&self, account: Uuid) -> Result<u64, StoreError> {
        let count: i64 = on_pool!(self, pool => {
            sqlx::query_scalar("select count(*) from notifications where account_id = $1 and read_at is null")
                .bind(account.to_string())
                .fetch_one(pool)
                .await?
        });
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Mark an account's notifications read at `at`: one, or all when `id` is `None`.
    pub async fn mark_notifications_read(&self, account: Uuid, id: Option<Uuid>, at: &str) -> Result<u64, StoreError> {
        let sql = "update notifications set read_at = $1 where account_id = $2 and read_at is null and ($3 is null or id = $3)";
        let changed = on_pool!(self, pool => {
            sqlx::query(sql)
                .bind(at.to_owned())
                .bind(account.to_string())
                .bind(id.map(|i| i.to_string()))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(changed)
    }

    /// A task's lead person, if it has one.
    pub async fn lead_person(&self, task: Uuid) -> Result<Option<Uuid>, StoreError> {
        let person: Option<Option<String>> = on_pool!(self, pool => {
            sqlx::query_scalar("select lead_person_id from tasks where id = $1")
                .bind(task.to_string())
                .fetch_optional(pool)
                .await?
        });
        person.flatten().as_deref().map(|p| uuid("tasks", p)).transpose()
    }
}

fn recipients_of(rows: Vec<RecipientRow>) -> Result<Vec<Recipient>, StoreError> {
    let mut recipients: Vec<Recipient> = Vec::with_capacity(rows.len());
    for (id, display_name, email) in rows {
        let recipient = Recipient { account_id: uuid("accounts", &id)?, display_name, email };
        if !recipients.iter().any(|r| r.account_id == recipient.account_id) {
            recipients.push(recipient);
        }
    }
    Ok(recipients)
}
