//! `cncl config show`: the settings in effect and where each came from, secrets redacted.

use clap::{Args, Subcommand};

use crate::DatabaseArgs;
use crate::settings::{KEYS, Loaded};

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Every setting: its value (passwords and tokens as ***) and whether a flag, a CNCL_*
    /// variable, the settings file or the default gave it.
    Show(DatabaseArgs),
}

pub fn run(args: &ConfigArgs) -> anyhow::Result<()> {
    match &args.command {
        ConfigCommand::Show(database) => {
            let loaded = Loaded::load(database.flags())?;
            loaded.warn_unknown();
            print!("{}", table(&loaded));
            Ok(())
        }
    }
}

/// One line per setting, in columns.
fn table(loaded: &Loaded) -> String {
    let rows: Vec<[String; 3]> =
        KEYS.iter().map(|key| [key.path.to_owned(), loaded.shown(key), loaded.origin(key).to_string()]).collect();
    let width = |column: usize| rows.iter().map(|r| r[column].chars().count()).max().unwrap_or(0);
    let (key_width, value_width) = (width(0), width(1));
    let mut out = format!("{:key_width$}  {:value_width$}  {}\n", "setting", "value", "from");
    for [key, value, origin] in rows {
        out.push_str(&format!("{key:key_width$}  {value:value_width$}  {origin}\n"));
    }
    out
}
