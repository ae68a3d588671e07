//! Records named on the command line as people know them: an organisation by its tax code
//! or name (`App::organisation_named`, as the pages do), a person by name, a product by code;
//! an id still works. A name that matches
//! nothing, or several, says so and lists what it could mean.

use anyhow::bail;
use cncl_app::App;
use cncl_domain::organisation::Person;
use uuid::Uuid;

/// How many candidates an ambiguous name lists.
const CANDIDATES: usize = 10;

/// The organisation named, if one is.
pub async fn organisation_if_named(app: &App, typed: Option<&str>) -> anyhow::Result<Option<Uuid>> {
    match typed {
        Some(typed) => Ok(Some(app.organisation_named(&crate::cli_actor(), typed).await?)),
        None => Ok(None),
    }
}

/// The person `typed` names: their id, or a name only they match.
pub async fn person(app: &App, typed: &str) -> anyhow::Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(typed.trim()) {
        return Ok(id);
    }
    let found = app.find::<Person>(&crate::cli_actor(), typed, CANDIDATES + 1).await?;
    one_of("person", typed, found, "the person's id")
}

/// Product codes as typed, each checked against the programme's products.
pub async fn products(app: &App, typed: &[String]) -> anyhow::Result<Vec<String>> {
    let products = app.products().await?;
    for code in typed {
        if !products.iter().any(|p| p.code.as_str() == code) {
            let valid: Vec<&str> = products.iter().map(|p| p.code.as_str()).collect();
            bail!("no product {code:?}: the products are {}", valid.join(", "));
        }
    }
    Ok(typed.to_vec())
}

fn one_of(noun: &str, typed: &str, found: Vec<(Uuid, String)>, instead: &str) -> anyhow::Result<Uuid> {
    match found.as_slice() {
        [(id, _)] => Ok(*id),
        [] => bail!("no {noun} matches {typed:?} (names are matched whatever their accents and case)"),
        several => {
            let listed: Vec<String> =
                several.iter().take(CANDIDATES).map(|(id, name)| format!("  {name} ({id})")).collect();
            let more = if several.len() > CANDIDATES { "\n  …" } else { "" };
            bail!(
                "{} {noun}s match {typed:?}; give more of the name or {instead}:\n{}{more}",
                several.len().min(CANDIDATES),
                listed.join("\n")
            )
        }
    }
}
