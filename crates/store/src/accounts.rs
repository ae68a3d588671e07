//! Accounts, sessions, API tokens and failed sign-ins, as stored. Secrets are stored only as
//! hashes (passwords with argon2id, session and API tokens with SHA-256), and never written
//! to the audit log, which records each account's and token's public fields.

use serde::Serialize;
use serde_json::{Value, json};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::error::StoreError;
use crate::sql::Bind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    pub products: Vec<String>,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub disabled: bool,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// The password was generated for one sign-in; its holder must choose their own.
    pub password_change_required: bool,
}

impl Account {
    /// What the audit log records of an account: no secrets, no last-use time.
    pub fn audit_json(&self) -> Value {
        let mut value = json!({"id": self.id, "username": self.username, "display_name": self.display_name,
               "role": self.role, "organisation_id": self.organisation_id, "products": self.products,
               "totp_enabled": self.totp_enabled, "disabled": self.disabled, "created_at": self.created_at});
        // Recorded only while it holds, so entries written before the flag existed still
        // describe accounts that never had it.
        if self.password_change_required {
            value["password_change_required"] = Value::Bool(true);
        }
        value
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub second_factor_done: bool,
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    #[serde(skip)]
    pub token_hash: String,
    pub name: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
    pub products: Vec<String>,
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

impl ApiToken {
    /// What the audit log records of a token: never its hash.
    pub fn audit_json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "role": self.role, "organisation_id": self.organisation_id,
               "products": self.products, "created_by": self.created_by, "created_at": self.created_at,
               "expires_at": self.expires_at, "revoked_at": self.revoked_at})
    }
}

const ACCOUNT_COLUMNS: &str = "id, username, display_name, password_hash, role, organisation_id, products, totp_secret, \
                               totp_enabled, disabled, created_at, last_used_at, password_change_required";
type AccountRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    bool,
    bool,
    String,
    Option<String>,
    bool,
);

const TOKEN_COLUMNS: &str =
    "id, token_hash, name, role, organisation_id, products, created_by, created_at, expires_at, revoked_at";
type TokenRow = (String, String, String, String, Option<String>, String, String, String, String, Option<String>);

const SESSION_COLUMNS: &str =
    "token_hash, account_id, csrf_token, created_at, last_seen_at, second_factor_done, address";
type SessionRow = (String, String, String, String, String, bool, String);

fn uuid(table: &'static str, text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt { table, id: text.to_owned(), message: e.to_string() })
}

fn products(table: &'static str, text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { table, id: String::new(), message: e.to_string() })
}

fn account_of(row: AccountRow) -> Result<Account, StoreError> {
    let (
        id,
        username,
        display_name,
        password_hash,
        role,
        organisation_id,
        product_list,
        totp_secret,
        totp_enabled,
        disabled,
        created_at,
        last_used_at,
        password_change_required,
    ) = row;
    Ok(Account {
        id: uuid("accounts", &id)?,
        username,
        display_name,
        password_hash,
        role,
        organisation_id: organisation_id.as_deref().map(|o| uuid("accounts", o)).transpose()?,
        products: products("accounts", &product_list)?,
        totp_secret,
        totp_enabled,
        disabled,
        created_at,
        last_used_at,
        password_change_required,
    })
}

fn token_of(row: TokenRow) -> Result<ApiToken, StoreError> {
    let (id, token_hash, name, role, organisation_id, product_list, created_by, created_at, expires_at, revoked_at) =
        row;
    Ok(ApiToken {
        id: uuid("api_tokens", &id)?,
        token_hash,
        name,
        role,
        organisation_id: organisation_id.as_deref().map(|o| uuid("api_tokens", o)).transpose()?,
        products: products("api_tokens", &product_list)?,
        created_by,
        created_at,
        expires_at,
        revoked_at,
    })
}

fn session_of(row: SessionRow) -> Result<Session, StoreError> {
    let (token_hash, account_id, csrf_token, created_at, last_seen_at, second_factor_done, address) = row;
    Ok(Session {
        token_hash,
        account_id: uuid("sessions", &account_id)?,
        csrf_token,
        created_at,
        last_seen_at,
        second_factor_done,
        address,
    })
}

fn account_binds(a: &Account) -> Vec<Bind> {
    let text = |v: &str| Bind::Text(Some(v.to_owned()));
    vec![
        text(&a.id.to_string()),
        text(&a.username),
        text(&a.display_name),
        text(&a.password_hash),
        text(&a.role),
        Bind::Text(a.organisation_id.map(|o| o.to_string())),
        text(&serde_json::to_string(&a.products).unwrap_or_else(|_| "[]".into())),
        Bind::Text(a.totp_secret.clone()),
        Bind::Bool(Some(a.totp_enabled)),
        Bind::Bool(Some(a.disabled)),
        text(&a.created_at),
        Bind::Text(a.last_used_at.clone()),
        Bind::Bool(Some(a.password_change_required)),
    ]
}

impl Store {
    pub async fn account_count(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, pool => sqlx::query_scalar("select count(*) from accounts").fetch_one(pool).await?))
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where username = $1");
        let row: Option<AccountRow> = on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).bind(username.to_owned()).fetch_optional(pool).await?);
        row.map(account_of).transpose()
    }

    pub async fn account(&self, id: Uuid) -> Result<Option<Account>, StoreError> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts where id = $1");
        let row: Option<AccountRow> = on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).bind(id.to_string()).fetch_optional(pool).await?);
        row.map(account_of).transpose()
    }

    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let sql = format!("select {ACCOUNT_COLUMNS} from accounts order by username");
        let rows: Vec<AccountRow> =
            on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).fetch_all(pool).await?);
        rows.into_iter().map(account_of).collect()
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let sql = format!("select {SESSION_COLUMNS} from sessions where token_hash = $1");
        let row: Option<SessionRow> = on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).bind(token_hash.to_owned()).fetch_optional(pool).await?);
        row.map(session_of).transpose()
    }

    pub async fn api_token(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError> {
        let sql = format!("select {TOKEN_COLUMNS} from api_tokens where token_hash = $1");
        let row: Option<TokenRow> = on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).bind(token_hash.to_owned()).fetch_optional(pool).await?);
        row.map(token_of).transpose()
    }

    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let sql = format!("select {TOKEN_COLUMNS} from api_tokens order by created_at");
        let rows: Vec<TokenRow> =
            on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).fetch_all(pool).await?);
        rows.into_iter().map(token_of).collect()
    }
}

async fn execute(tx: &mut Tx, sql: &str, binds: &[Bind]) -> Result<u64, StoreError> {
    Ok(
        on_tx!(tx, conn => bind_all!(sqlx::query(AssertSqlSafe(sql.to_owned())), binds).execute(conn).await?.rows_affected()),
    )
}

fn text(v: &str) -> Bind {
    Bind::Text(Some(v.to_owned()))
}

impl Tx {
    pub async fn insert_account(&mut self, account: &Account) -> Result<(), StoreError> {
        let sql = format!(
            "insert into accounts ({ACCOUNT_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        );
        execute(self, &sql, &account_binds(account)).await?;
        let change = self.change("insert", "accounts", &account.id.to_string(), None, Some(account.audit_json()))?;
        self.append_audit(vec![change]).await
    }

    /// Replace an account; logged when its public fields change.
    pub async fn update_account(&mut self, before: &Account, after: &Account) -> Result<(), StoreError> {
        let sql = "update accounts set username = $2, display_name = $3, password_hash = $4, role = $5, organisation_id = $6, \
                   products = $7, totp_secret = $8, totp_enabled = $9, disabled = $10, created_at = $11, last_used_at = $12, \
                   password_change_required = $13 where id = $1";
        execute(self, sql, &account_binds(after)).await?;
        if before.audit_json() != after.audit_json() || before.password_hash != after.password_hash {
            let change = self.change(
                "update",
                "accounts",
                &after.id.to_string(),
                Some(before.audit_json()),
                Some(after.audit_json()),
            )?;
            self.append_audit(vec![change]).await?;
        }
        Ok(())
    }

    /// Log an event about an account that changes none of its fields (a sign-in, a refusal).
    pub async fn log_account_event(&mut self, action: &str, account: &Account) -> Result<(), StoreError> {
        let change = self.change(
            action,
            "accounts",
            &account.id.to_string(),
            Some(account.audit_json()),
            Some(account.audit_json()),
        )?;
        self.append_audit(vec![change]).await
    }

    pub async fn insert_session(&mut self, s: &Session) -> Result<(), StoreError> {
        let sql = format!("insert into sessions ({SESSION_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7)");
        let binds = [
            text(&s.token_hash),
            text(&s.account_id.to_string()),
            text(&s.csrf_token),
            text(&s.created_at),
            text(&s.last_seen_at),
            Bind::Bool(Some(s.second_factor_done)),
            text(&s.address),
        ];
        execute(self, &sql, &binds).await.map(|_| ())
    }

    pub async fn touch_session(
        &mut self,
        token_hash: &str,
        at: &str,
        second_factor_done: bool,
    ) -> Result<(), StoreError> {
        let sql = "update sessions set last_seen_at = $2, second_factor_done = $3 where token_hash = $1";
        execute(self, sql, &[text(token_hash), text(at), Bind::Bool(Some(second_factor_done))]).await.map(|_| ())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<(), StoreError> {
        execute(self, "delete from sessions where token_hash = $1", &[text(token_hash)]).await.map(|_| ())
    }

    pub async fn delete_sessions_of(&mut self, account: Uuid) -> Result<(), StoreError> {
        execute(self, "delete from sessions where account_id = $1", &[text(&account.to_string())]).await.map(|_| ())
    }

    /// End every session of `account` but the one holding `token_hash`.
    pub async fn delete_other_sessions(&mut self, account: Uuid, token_hash: &str) -> Result<(), StoreError> {
        let sql = "delete from sessions where account_id = $1 and token_hash <> $2";
        execute(self, sql, &[text(&account.to_string()), text(token_hash)]).await.map(|_| ())
    }

    pub async fn insert_api_token(&mut self, t: &ApiToken) -> Result<(), StoreError> {
        let sql = format!("insert into api_tokens ({TOKEN_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        let binds = [
            text(&t.id.to_string()),
            text(&t.token_hash),
            text(&t.name),
            text(&t.role),
            Bind::Text(t.organisation_id.map(|o| o.to_string())),
            text(&serde_json::to_string(&t.products).unwrap_or_else(|_| "[]".into())),
            text(&t.created_by),
            text(&t.created_at),
            text(&t.expires_at),
            Bind::Text(t.revoked_at.clone()),
        ];
        execute(self, &sql, &binds).await?;
        let change = self.change("insert", "api_tokens", &t.id.to_string(), None, Some(t.audit_json()))?;
        self.append_audit(vec![change]).await
    }

    /// Revoke a token; false when there is no such token or it was already revoked.
    pub async fn revoke_api_token(&mut self, before: &ApiToken, at: &str) -> Result<bool, StoreError> {
        let sql = "update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null";
        let changed = execute(self, sql, &[text(&before.id.to_string()), text(at)]).await? == 1;
        if changed {
            let after = ApiToken { revoked_at: Some(at.to_owned()), ..before.clone() };
            let change = self.change(
                "revoke",
                "api_tokens",
                &before.id.to_string(),
                Some(before.audit_json()),
                Some(after.audit_json()),
            )?;
            self.append_audit(vec![change]).await?;
        }
        Ok(changed)
    }
}
