//! The canonical JSON of a stored record, as the audit log records it. Writing
//! (`records.rs`) and verifying (`audit`) both use it, so they agree by construction.

use cncl_domain::{Record, Stored};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::StoreError;

/// The canonical form of a stored record, as the log holds it.
pub fn record_json<T: Record>(stored: &Stored<T>) -> Result<Value, StoreError> {
    crate::error::to_json(stored)
}

/// `record_json` of the record stored under `id`, from its fields as `fields_of` serialised
/// them: the id beside them, in a map that orders its keys as `Stored`'s does.
pub fn record_json_of_fields(id: Uuid, mut fields: Map<String, Value>) -> Value {
    fields.insert("id".to_owned(), Value::String(id.to_string()));
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use cncl_domain::market::BomLine;
    use serde_json::json;

    use super::*;

    #[test]
    fn a_record_from_its_fields_is_the_canonical_json_of_the_stored_record() {
        let id = Uuid::now_v7();
        for line in [
            json!({"model_id": Uuid::now_v7(), "parent_line_id": null, "component": "Bo mạch", "quantity": 2,
                "unit_cost_vnd": 1_250_000, "origin": "domestic", "supplier_id": null}),
            json!({"model_id": Uuid::now_v7(), "parent_line_id": Uuid::now_v7(), "component": "Cảm biến",
                "quantity": 1, "unit_cost_vnd": 0, "origin": "imported", "supplier_id": Uuid::now_v7()}),
        ] {
            let record: BomLine = serde_json::from_value(line).unwrap_or_else(|e| panic!("{e}"));
            let fields = crate::records::fields_of(&record).unwrap_or_else(|e| panic!("{e}"));
            let stored = record_json(&Stored { id: id.into(), record }).unwrap_or_else(|e| panic!("{e}"));
            let built = record_json_of_fields(id, fields);
            assert_eq!(built, stored);
            // The log digests the text: it must be the same text.
            assert_eq!(built.to_string(), stored.to_string());
        }
    }
}
