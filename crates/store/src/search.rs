//! Records found by their names, whatever the diacritics and case.

use cncl_domain::Record;
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;

use crate::backend::{Store, bind_all, on_pool};
use crate::error::StoreError;
use crate::scope::Scope;
use crate::sql::Bind;
use crate::tables::table;

/// The columns a record is known by, searched by [`Store::find`].
const NAME_COLUMNS: [&str; 10] =
    ["code", "tax_code", "full_name", "name", "title", "number", "decision_number", "component", "standard", "course"];

/// Rows read at a time while searching.
const SEARCH_BATCH: u32 = 5_000;

/// `text` as searched: diacritics and case folded ("Nguyễn Đức" → "nguyen duc"; đ → d).
pub fn fold(text: &str) -> String {
    // ASCII needs no transliteration: one copy rather than two (keys are folded by the
    // hundred thousand in an import).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    deunicode::deunicode(text).to_lowercase()
}

impl Store {
    /// Records of `T` within `scope` whose names (code, name, title…) contain every word of
    /// `query`, whatever their diacritics and case — "nguyen duc" finds "Nguyễn Đức" —, as
    /// `(id, names)`, at most `limit`, oldest first.
    ///
    /// The names are folded here rather than in SQL: SQLite has no Unicode-aware folding, and
    /// the tables people pick from (organisations, people, tasks) are small enough to scan.
    pub async fn find<T: Record>(
        &self,
        query: &str,
        scope: &Scope,
        limit: usize,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let table = table(T::KIND);
        let columns: Vec<&str> =
            table.columns.iter().map(|c| c.name).filter(|name| NAME_COLUMNS.contains(name)).collect();
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
        let mut found = Vec::new();
        if columns.is_empty() || words.is_empty() {
            return Ok(found);
        }
        let Some((condition, scope_binds)) = scope.condition(table, 2) else { return Ok(found) };
        let sql = format!(
            "select id, {} from {} where id > $1 and {condition} order by id limit {SEARCH_BATCH}",
            columns.join(", "),
            table.name
        );
        let mut after = String::new();
        loop {
            let mut binds = vec![Bind::Text(Some(after.clone()))];
            binds.extend(scope_binds.iter().cloned());
            // Each row as its id and its names joined, the empty ones left out.
            let rows: Vec<(String, String)> = on_pool!(self, pool => {
                let rows = bind_all!(sqlx::query(AssertSqlSafe(sql.clone())), &binds).fetch_all(pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in &rows {
                    let id: String = row.try_get(0)?;
                    let mut names = Vec::new();
                    for i in 1..=columns.len() {
                        if let Some(name) = row.try_get::<Option<String>, _>(i)? {
                            names.push(name);
                        }
                    }
                    out.push((id, names.join(" · ")));
                }
                out
            });
            let Some((last, _)) = rows.last() else { break };
            after.clone_from(last);
            let full = rows.len() == SEARCH_BATCH as usize;
            for (id, names) in rows {
                let folded = fold(&names);
                if words.iter().all(|w| folded.contains(w.as_str()))
                    && let Ok(id) = Uuid::parse_str(&id)
                {
                    found.push((id, names));
                    if found.len() == limit {
                        return Ok(found);
                    }
                }
            }
            if !full {
                break;
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_drops_diacritics_and_case_and_leaves_ascii_as_lower_case() {
        assert_eq!(fold("Nguyễn Đức"), "nguyen duc");
        assert_eq!(fold("Động cơ ĐIỆN"), "dong co dien");
        assert_eq!(fold("Motor-Driver/X2 Board"), "motor-driver/x2 board");
        assert_eq!(fold(""), "");
    }
}
