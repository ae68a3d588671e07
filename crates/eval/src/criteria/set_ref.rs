//! How a query, the command line and the audit log name one version of one criteria set.

use serde::{Deserialize, Serialize};

/// A criteria set's id and version, written `ID@VERSION` (e.g. `decision-2815@2026-12`):
/// how a query, the command line and the audit log name one version of one set.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SetRef {
    pub id: String,
    pub version: String,
}

impl SetRef {
    /// Longest id or version accepted.
    pub const MAX_PART: usize = 64;

    /// An id or a version: 1 to 64 letters, digits, `.`, `_` or `-`, so that `ID@VERSION`
    /// reads back unambiguously in a URL, a file name or a shell.
    pub fn check_part(part: &str) -> Result<(), &'static str> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if part.is_empty() || part.len() > Self::MAX_PART || !part.chars().all(allowed) {
            return Err("must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Ok(())
    }
}

impl std::fmt::Display for SetRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.id, self.version)
    }
}

impl std::str::FromStr for SetRef {
    type Err = &'static str;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, version) = text.split_once('@').ok_or("must be ID@VERSION, e.g. decision-2815@2026-12")?;
        Self::check_part(id)?;
        Self::check_part(version)?;
        Ok(SetRef { id: id.to_owned(), version: version.to_owned() })
    }
}
