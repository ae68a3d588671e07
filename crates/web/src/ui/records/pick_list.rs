//! A list of records to pick from, as people can use it: each labelled by its path in its
//! tree (`UAV › Hệ thống điều khiển bay › Bộ điều khiển`), only those that fit what the form
//! already names (a parent assembly only from the chosen model), sorted by label.

use std::collections::HashMap;

use serde_json::Value;

use crate::forms::display_name;

/// The fields that place a record under another of its own kind.
const TREE_PARENTS: [&str; 2] = ["parent_id", "parent_line_id"];

/// The deepest tree followed for a label: deeper is a loop in the data.
const MAX_DEPTH: usize = 32;

/// `(id, label)` of the records in `rows` (`(id, record as JSON)`) that agree with every
/// `(field, value)` the form has `chosen` and that they carry, sorted by label.
pub fn choices(rows: Vec<(String, Value)>, chosen: &[(&str, &str)], lang: cncl_domain::Lang) -> Vec<(String, String)> {
    let by_id: HashMap<&str, &Value> = rows.iter().map(|(id, r)| (id.as_str(), r)).collect();
    let fits = |record: &Value| {
        chosen.iter().all(|(field, value)| record.get(*field).and_then(Value::as_str).is_none_or(|v| v == *value))
    };
    let mut kept: Vec<(String, String)> =
        rows.iter().filter(|(_, r)| fits(r)).map(|(id, r)| (id.clone(), path_label(r, &by_id, lang))).collect();
    // As Vietnamese is read: letters before their accents (d, đ, e), then the accents.
    kept.sort_by_cached_key(|(_, label)| (cncl_store::search::fold(label), label.to_lowercase()));
    kept
}

/// A record's name after its ancestors' (and, at the root of a tree, its product's code).
fn path_label(record: &Value, by_id: &HashMap<&str, &Value>, lang: cncl_domain::Lang) -> String {
    let in_tree = TREE_PARENTS.iter().any(|f| record.get(*f).is_some());
    let mut parts = vec![display_name(record, lang)];
    let mut at = record;
    for _ in 0..MAX_DEPTH {
        let parent = TREE_PARENTS.iter().find_map(|f| at.get(*f).and_then(Value::as_str)).and_then(|p| by_id.get(p));
        let Some(parent) = parent else { break };
        parts.push(display_name(parent, lang));
        at = parent;
    }
    if let Some(product) = record.get("product_code").and_then(Value::as_str).filter(|_| in_tree) {
        parts.push(product.to_uppercase());
    }
    parts.reverse();
    parts.join(" › ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::choices;

    #[test]
    fn records_are_labelled_by_their_path_narrowed_and_sorted() {
        let rows = vec![
            ("c".to_owned(), json!({"product_code": "uav", "parent_id": "b", "name": "Bộ điều khiển"})),
            ("b".to_owned(), json!({"product_code": "uav", "parent_id": null, "name": "Hệ thống điều khiển bay"})),
            ("a".to_owned(), json!({"product_code": "uav", "parent_id": null, "name": "Động cơ"})),
            ("x".to_owned(), json!({"product_code": "llm", "parent_id": null, "name": "Mô hình nền"})),
        ];
        let listed = choices(rows.clone(), &[("product_code", "uav")], cncl_domain::Lang::Vi);
        let labels: Vec<&str> = listed.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["UAV › Động cơ", "UAV › Hệ thống điều khiển bay", "UAV › Hệ thống điều khiển bay › Bộ điều khiển"]
        );
        assert_eq!(choices(rows, &[], cncl_domain::Lang::Vi).len(), 4, "nothing chosen, nothing narrowed");
        let looped = vec![
            ("p".to_owned(), json!({"parent_line_id": "q", "component": "P"})),
            ("q".to_owned(), json!({"parent_line_id": "p", "component": "Q"})),
        ];
        assert!(choices(looped, &[], cncl_domain::Lang::Vi)[0].1.len() < 200, "a loop ends");
    }
}
