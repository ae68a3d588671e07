//! Files kept as a record's evidence. A document is added, never changed: its row and an
//! audit entry naming its SHA-256 are written in one transaction, and `audit verify` checks
//! both the row and the bytes against that entry.

use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::{Finding, LatestDigests};
use crate::backend::{Store, Tx, on_pool, on_tx};
use crate::error::StoreError;
use crate::published::sha256_hex;

/// The audit log's name for documents.
pub const ENTITY: &str = "documents";

const COLUMNS: &str = "id, entity, record_id, file_name, media_type, size, sha256, uploaded_by, uploaded_at";

/// What is known of a document besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Document {
    pub id: String,
    /// The record's kind, as the API names it (`tasks`, `outputs`).
    pub entity: String,
    pub record_id: String,
    pub file_name: String,
    /// As the content shows it, whatever the name says.
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    /// RFC 3339, UTC.
    pub uploaded_at: String,
}

impl Document {
    /// What the audit log records of a document: everything but its bytes, which the
    /// SHA-256 stands for.
    pub fn audit_json(&self) -> Value {
        json!(self)
    }
}

impl Tx {
    /// Keep `bytes` as document `document` (its `sha256` and `size` are set from them),
    /// with its audit entry.
    pub async fn add_document(&mut self, mut document: Document, bytes: &[u8]) -> Result<Document, StoreError> {
        document.sha256 = sha256_hex(bytes);
        document.size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let content = base64::engine::general_purpose::STANDARD.encode(bytes);
        let sql = "insert into documents (id, entity, record_id, file_name, media_type, size, sha256, \
                   content_base64, uploaded_by, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let d = document.clone();
        on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(d.id.clone())
                .bind(d.entity.clone())
                .bind(d.record_id.clone())
                .bind(d.file_name.clone())
                .bind(d.media_type.clone())
                .bind(d.size)
                .bind(d.sha256.clone())
                .bind(content.clone())
                .bind(d.uploaded_by.clone())
                .bind(d.uploaded_at.clone())
                .execute(conn)
                .await?;
        });
        let change = self.change("attach", ENTITY, &document.id, None, Some(document.audit_json()))?;
        self.append_audit(vec![change]).await?;
        Ok(document)
    }
}

impl Store {
    /// The documents of record `record_id` of kind `entity`, oldest first.
    pub async fn documents_of(&self, entity: &str, record_id: Uuid) -> Result<Vec<Document>, StoreError> {
        let sql =
            format!("select {COLUMNS} from documents where entity = $1 and record_id = $2 order by uploaded_at, id");
        Ok(on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(entity.to_owned())
            .bind(record_id.to_string())
            .fetch_all(pool)
            .await?))
    }

    /// Document `id` and its bytes.
    pub async fn document(&self, id: Uuid) -> Result<Option<(Document, Vec<u8>)>, StoreError> {
        let sql = format!("select {COLUMNS} from documents where id = $1");
        let found: Option<Document> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        let Some(document) = found else { return Ok(None) };
        let content: Option<String> = on_pool!(self, pool => sqlx::query_scalar("select content_base64 from documents where id = $1")
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content.unwrap_or_default())
            .map_err(|e| StoreError::Corrupt { table: ENTITY, id: id.to_string(), message: e.to_string() })?;
        Ok(Some((document, bytes)))
    }

    /// Every document and its bytes against the audit log's entry about it.
    pub(crate) async fn compare_documents(
        &self,
        latest: &mut LatestDigests,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StoreError> {
        let sql = format!("select {COLUMNS} from documents order by id");
        let documents: Vec<Document> =
            on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await?);
        for document in documents {
            let id: Uuid = document.id.parse().unwrap_or_default();
            let mut problems = Vec::new();
            match latest.matches(ENTITY, &document.id, &document.audit_json()) {
                None => problems.push("not in the audit log: written outside cncl".to_owned()),
                Some(false) => problems.push("differs from the audit log's last entry about it".to_owned()),
                Some(true) => {}
            }
            let bytes = self.document(id).await?.map(|(_, b)| b).unwrap_or_default();
            if sha256_hex(&bytes) != document.sha256 {
                problems.push("its file no longer has its recorded SHA-256".to_owned());
            }
            findings.extend(problems.into_iter().map(|problem| Finding {
                seq: None,
                entity: ENTITY.to_owned(),
                id: document.id.clone(),
                problem,
            }));
        }
        Ok(())
    }
}
