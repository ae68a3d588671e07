//! Files kept as a record's evidence. A document is added, never changed: its row and an
//! audit entry naming its SHA-256 are written in one transaction, and `audit verify` checks
//! both the row and the bytes against that entry.

use std::path::{Path, PathBuf};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

/// By hand: sqlx's derive is its proc-macro crate, which this workspace no longer builds
/// (see `backend::MIGRATOR`).
impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for Document
where
    &'r str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(row: &'r R) -> Result<Self, sqlx::Error> {
        Ok(Document {
            id: row.try_get("id")?,
            entity: row.try_get("entity")?,
            record_id: row.try_get("record_id")?,
            file_name: row.try_get("file_name")?,
            media_type: row.try_get("media_type")?,
            size: row.try_get("size")?,
            sha256: row.try_get("sha256")?,
            uploaded_by: row.try_get("uploaded_by")?,
            uploaded_at: row.try_get("uploaded_at")?,
        })
    }
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
    /// with its audit entry: in the row, or as a file in `directory` named by its SHA-256.
    pub async fn add_document(
        &mut self,
        mut document: Document,
        bytes: &[u8],
        directory: Option<&Path>,
    ) -> Result<Document, StoreError> {
        document.sha256 = sha256_hex(bytes);
        document.size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        let content = match directory {
            // Written before the row: a file whose row is rolled back is only unused (and
            // is the same file if the document is uploaded again); a row without its file
            // would be a lost document.
            Some(directory) => {
                write_file(directory, &document.sha256, bytes).await?;
                String::new()
            }
            None => base64::engine::general_purpose::STANDARD.encode(bytes),
        };
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

/// Where a document with this SHA-256 is kept in `directory`: under its first two hex
/// digits, so that no one directory holds every file.
pub fn file_in(directory: &Path, sha256: &str) -> PathBuf {
    directory.join(sha256.get(..2).unwrap_or("00")).join(sha256)
}

/// Write `bytes` durably as the file of `sha256`: to a temporary name, synced, then renamed,
/// so a crash leaves the whole file or none.
pub(crate) async fn write_file(directory: &Path, sha256: &str, bytes: &[u8]) -> Result<(), StoreError> {
    let path = file_in(directory, sha256);
    let bytes = bytes.to_vec();
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        if path.exists() {
            return Ok(());
        }
        let parent = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let temporary = parent.join(format!(".{}.part", Uuid::now_v7()));
        let mut file = std::fs::File::create(&temporary)?;
        std::io::Write::write_all(&mut file, &bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })
    .await;
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(StoreError::Files(format!("writing a document to {}: {e}", directory.display()))),
        Err(e) => Err(StoreError::Files(e.to_string())),
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
        let content = content.unwrap_or_default();
        let bytes = if content.is_empty() {
            self.document_file(&document).await?
        } else {
            base64::engine::general_purpose::STANDARD.decode(content).map_err(|e| StoreError::Corrupt {
                table: ENTITY,
                id: id.to_string(),
                message: e.to_string(),
            })?
        };
        Ok(Some((document, bytes)))
    }

    /// This store with documents' bytes kept as files in `directory` (created when
    /// missing); documents already in the database stay readable there.
    pub fn with_documents_in(mut self, directory: Option<PathBuf>) -> Store {
        self.documents_dir = directory.map(std::sync::Arc::from);
        self
    }

    /// Where new documents' bytes are written as files, if not in the database.
    pub fn documents_dir(&self) -> Option<&Path> {
        self.documents_dir.as_deref()
    }

    /// The bytes of a document kept as a file: empty when the file is missing, which `audit
    /// verify` reports as a changed document.
    async fn document_file(&self, document: &Document) -> Result<Vec<u8>, StoreError> {
        let Some(directory) = self.documents_dir.clone() else {
            return Err(StoreError::Files(format!(
                "document {} is kept as a file, and no documents directory is set (documents_dir)",
                document.id
            )));
        };
        let path = file_in(&directory, &document.sha256);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(StoreError::Files(format!("reading {}: {e}", path.display()))),
        }
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
