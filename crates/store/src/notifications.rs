//! How accounts are reached and what they are told: each account's contact (e-mail
//! address, the person it is), the accounts accountable for a report, and the in-app
//! notifications with their read state.

use std::collections::HashMap;

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

/// An enabled account as the directory reads it: id, display name, e-mail, role,
/// organisation, products (a JSON array of codes), person.
type DirectoryRow = (String, String, Option<String>, String, Option<String>, String, Option<String>);

/// The enabled accounts, looked up by what makes one accountable for a report.
#[derive(Debug, Clone, Default)]
pub struct RecipientDirectory {
    /// By username.
    accounts: Vec<Recipient>,
    /// Places in `accounts`, in its order.
    by_person: HashMap<Uuid, Vec<usize>>,
    reporters_of: HashMap<Uuid, Vec<usize>>,
    chief_engineers_of: HashMap<String, Vec<usize>>,
}

impl RecipientDirectory {
    /// Add the next account, in username order.
    fn add(&mut self, row: DirectoryRow) -> Result<(), StoreError> {
        let (id, display_name, email, role, organisation, products, person) = row;
        let parse = |raw: Option<String>| raw.as_deref().map(|raw| uuid("accounts", raw)).transpose();
        let place = self.accounts.len();
        if let Some(person) = parse(person)? {
            self.by_person.entry(person).or_default().push(place);
        }
        match (role.as_str(), parse(organisation)?) {
            ("reporter", Some(organisation)) => self.reporters_of.entry(organisation).or_default().push(place),
            ("chief_engineer", _) => {
                let products: Vec<String> = serde_json::from_str(&products).map_err(|e| StoreError::Corrupt {
                    table: "accounts",
                    id: id.clone(),
                    message: e.to_string(),
                })?;
                for product in products {
                    self.chief_engineers_of.entry(product).or_default().push(place);
                }
            }
            _ => {}
        }
        self.accounts.push(Recipient { account_id: uuid("accounts", &id)?, display_name, email });
        Ok(())
    }

    /// The accounts accountable for a report: those of the person leading it, then the owing
    /// organisation's reporters; in copy, the chief engineers of its product who are not
    /// already among them. Each list by username, each account once.
    pub fn recipients(
        &self,
        lead_person: Option<Uuid>,
        organisation: Option<Uuid>,
        product: Option<&str>,
    ) -> Recipients {
        fn places(found: Option<&Vec<usize>>) -> &[usize] {
            found.map_or(&[], Vec::as_slice)
        }
        let mut to_places = places(lead_person.and_then(|p| self.by_person.get(&p))).to_vec();
        for &place in places(organisation.and_then(|o| self.reporters_of.get(&o))) {
            if !to_places.contains(&place) {
                to_places.push(place);
            }
        }
        let cc_places: Vec<usize> = places(product.and_then(|p| self.chief_engineers_of.get(p)))
            .iter()
            .copied()
            .filter(|place| !to_places.contains(place))
            .collect();
        let recipients = |found: Vec<usize>| found.into_iter().map(|place| self.accounts[place].clone()).collect();
        Recipients { to: recipients(to_places), cc: recipients(cc_places) }
    }
}

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

    /// The enabled accounts, read once for every reminder planned at a time: asking for each
    /// report's accounts apart made up to three queries a report, for 87,000 reports at
    /// national scale.
    pub async fn recipient_directory(&self) -> Result<RecipientDirectory, StoreError> {
        let sql = "select a.id, a.display_name, c.email, a.role, a.organisation_id, a.products, c.person_id \
                   from accounts a left join account_contacts c on c.account_id = a.id \
                   where a.disabled = $1 order by a.username, a.id";
        let rows: Vec<DirectoryRow> = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(false).fetch_all(pool).await?
        });
        let mut directory = RecipientDirectory::default();
        for row in rows {
            directory.add(row)?;
        }
        Ok(directory)
    }

    /// Each task's lead person, for the reminders of its reports.
    pub async fn lead_persons(&self) -> Result<HashMap<Uuid, Uuid>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self, pool => {
            sqlx::query_as("select id, lead_person_id from tasks where lead_person_id is not null")
                .fetch_all(pool)
                .await?
        });
        rows.iter().map(|(task, person)| Ok((uuid("tasks", task)?, uuid("tasks", person)?))).collect()
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
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    fn row(name: &str, role: &str, organisation: Option<Uuid>, products: &str, person: Option<Uuid>) -> DirectoryRow {
        let id = Uuid::new_v4();
        let text = |id: Option<Uuid>| id.map(|id| id.to_string());
        (
            id.to_string(),
            name.into(),
            Some(format!("{name}@example.vn")),
            role.into(),
            text(organisation),
            products.into(),
            text(person),
        )
    }

    #[test]
    fn the_lead_then_the_reporters_each_once_and_the_chief_engineers_in_copy() {
        let (organisation, other, lead) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let mut directory = RecipientDirectory::default();
        for account in [
            row("an", "reporter", Some(organisation), "[]", None),
            row("binh", "chief_engineer", None, r#"["llm","uav"]"#, Some(lead)),
            row("chi", "reporter", Some(organisation), "[]", Some(lead)),
            row("dung", "reporter", Some(other), "[]", None),
            row("giang", "chief_engineer", None, r#"["llm"]"#, None),
            row("ha", "chief_engineer", None, r#"["uav"]"#, None),
            row("khanh", "viewer", Some(organisation), "[]", None),
        ] {
            directory.add(account).expect("a well-formed account");
        }
        fn names(list: &[Recipient]) -> Vec<&str> {
            list.iter().map(|r| r.display_name.as_str()).collect()
        }
        let report = directory.recipients(Some(lead), Some(organisation), Some("llm"));
        assert_eq!(names(&report.to), ["binh", "chi", "an"], "the lead's accounts first, then the reporters");
        assert_eq!(names(&report.cc), ["giang"], "a chief engineer already addressed is not copied");
        let unled = directory.recipients(None, Some(other), Some("uav"));
        assert_eq!((names(&unled.to), names(&unled.cc)), (vec!["dung"], vec!["binh", "ha"]));
        assert_eq!(directory.recipients(None, None, Some("amr")), Recipients::default());
        assert!(directory.add(row("lan", "chief_engineer", None, "not json", None)).is_err(), "named as corrupt");
    }
}
