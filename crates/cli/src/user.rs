//! `cncl user`: accounts and API tokens from the command line (for the first office account
//! beyond the generated admin, and for machine clients).

use anyhow::Context;
use chrono::Duration;
use clap::{Args, Subcommand};
use cncl_app::accounts::NewAccount;
use cncl_app::{App, Role};
use uuid::Uuid;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    action: UserAction,
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Add an account; prints its one-time password.
    Add {
        username: String,
        /// admin, task_force, chief_engineer, reporter or viewer.
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: Option<String>,
        /// A reporter's organisation: its tax code, its name, or its id.
        #[arg(long)]
        organisation: Option<String>,
        /// A chief engineer's products (codes), repeatable.
        #[arg(long = "product")]
        products: Vec<String>,
    },
    /// List accounts.
    List,
    /// Disable an account; its sessions end.
    Disable { username: String },
    /// Enable a disabled account again (for another 45 days of use).
    Enable { username: String },
    /// A new one-time password for a lost password or TOTP device; TOTP is set up again.
    Reset { username: String },
    /// Create an API token for a machine client; prints it once.
    Token {
        name: String,
        #[arg(long)]
        role: String,
        /// A reporter token's organisation: its tax code, its name, or its id.
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long = "product")]
        products: Vec<String>,
        /// Days until it expires.
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// Revoke an API token: its name or its id.
    Revoke { token: String },
    /// How an account is reached by reminders: its e-mail address, and the person it is (a
    /// task's lead, a chief engineer: the person's name or id). Omitted ones are cleared.
    Contact {
        username: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        person: Option<String>,
    },
}

fn role(raw: &str) -> anyhow::Result<Role> {
    Role::parse(raw)
        .with_context(|| format!("unknown role {raw:?}: use admin, task_force, chief_engineer, reporter or viewer"))
}

pub async fn run(args: UserArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let actor = crate::cli_actor();
    match args.action {
        UserAction::Add { username, role: r, name, organisation, products } => {
            let new = NewAccount {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role: role(&r)?,
                organisation_id: crate::lookup::organisation_if_named(&app, organisation.as_deref()).await?,
                products: crate::lookup::products(&app, &products).await?,
                password: None,
            };
            let (account, password) = app.create_account(&actor, new).await?;
            println!("account {} ({}) created; one-time password: {password}", account.username, account.role);
        }
        UserAction::List => {
            for a in app.accounts(&actor).await? {
                let state = if a.disabled { "disabled" } else { "active" };
                println!(
                    "{:<20} {:<15} {:<8} totp:{} last used {}",
                    a.username,
                    a.role,
                    state,
                    a.totp_enabled,
                    a.last_used_at.unwrap_or_default()
                );
            }
        }
        UserAction::Disable { username } => toggle(&app, &actor, &username, true).await?,
        UserAction::Enable { username } => toggle(&app, &actor, &username, false).await?,
        UserAction::Reset { username } => {
            let account =
                app.store().account_by_username(&username).await?.with_context(|| format!("no account {username}"))?;
            let (account, password) = app.reset_password(&actor, account.id).await?;
            println!("{}: new one-time password: {password} (TOTP is set up again at sign-in)", account.username);
        }
        UserAction::Token { name, role: r, organisation, products, days } => {
            let expires = app.now() + Duration::days(days);
            let organisation = crate::lookup::organisation_if_named(&app, organisation.as_deref()).await?;
            let products = crate::lookup::products(&app, &products).await?;
            let (token, secret) =
                app.create_api_token(&actor, &name, role(&r)?, organisation, products, expires).await?;
            println!("token {} ({}) expires {}; secret (shown once): {secret}", token.id, token.role, token.expires_at);
        }
        UserAction::Revoke { token } => {
            app.revoke_api_token(&actor, token_id(&app, &actor, &token).await?).await?;
            println!("token {token} revoked");
        }
        UserAction::Contact { username, email, person } => {
            let person = match person {
                Some(typed) => Some(crate::lookup::person(&app, &typed).await?),
                None => None,
            };
            contact(&app, &actor, &username, email, person).await?;
        }
    }
    app.close().await;
    Ok(())
}

/// The token `typed` names: its id, or the name of exactly one token not revoked.
async fn token_id(app: &App, actor: &cncl_app::Actor, typed: &str) -> anyhow::Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(typed) {
        return Ok(id);
    }
    let tokens = app.api_tokens(actor).await?;
    let named: Vec<_> = tokens.iter().filter(|t| t.name == typed && t.revoked_at.is_none()).collect();
    match named.as_slice() {
        [one] => Ok(one.id),
        [] => anyhow::bail!("no token named {typed:?} that is not revoked"),
        _ => anyhow::bail!("several tokens are named {typed:?}: revoke by id"),
    }
}

async fn toggle(app: &App, actor: &cncl_app::Actor, username: &str, disabled: bool) -> anyhow::Result<()> {
    let account = app.store().account_by_username(username).await?.with_context(|| format!("no account {username}"))?;
    let after = app.set_account_disabled(actor, account.id, disabled).await?;
    println!("{}: {}", after.username, if after.disabled { "disabled" } else { "enabled" });
    Ok(())
}

async fn contact(
    app: &App,
    actor: &cncl_app::Actor,
    username: &str,
    email: Option<String>,
    person: Option<Uuid>,
) -> anyhow::Result<()> {
    let account = app.store().account_by_username(username).await?.with_context(|| format!("no account {username}"))?;
    let contact = cncl_store::notifications::Contact { email, person_id: person };
    app.set_contact(actor, account.id, contact.clone()).await?;
    println!(
        "{username}: e-mail {}, person {}",
        contact.email.as_deref().unwrap_or("none"),
        contact.person_id.map_or_else(|| "none".to_owned(), |p| p.to_string())
    );
    Ok(())
}
