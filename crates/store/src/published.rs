//! Published programme reports: written once, with their files, as one audit entry that
//! names every file by its SHA-256; never updated or removed.

use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::audit::{Finding, LatestDigests};
use crate::backend::{Store, Tx, on_pool, on_tx};
use crate::error::StoreError;

/// The audit log's name for published reports.
pub const ENTITY: &str = "published_reports";

/// What a published report was computed from and when it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedReport {
    pub id: String,
    /// `2026Q4`.
    pub quarter: String,
    pub lang: String,
    pub as_of: String,
    pub issued_on: String,
    /// `ID@VERSION`.
    pub criteria_set: String,
    pub audit_seq: i64,
    pub audit_hash: String,
    /// The public address of cncl printed on the report (its pages link to the report).
    pub base_url: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub published_by: String,
    pub files: Vec<PublishedFile>,
}

/// One file of a published report, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublishedFile {
    /// `pdf` or `xlsx`.
    pub format: String,
    pub sha256: String,
    pub size: i64,
}

/// A report to publish: its description (the files' hashes aside) and its files' bytes.
#[derive(Debug, Clone)]
pub struct NewPublication {
    pub id: String,
    pub quarter: String,
    pub lang: String,
    pub as_of: String,
    pub issued_on: String,
    pub criteria_set: String,
    pub audit_seq: i64,
    pub audit_hash: String,
    pub base_url: String,
    /// Format and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Lower-case hex SHA-256 of a file.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::audit::chain::hex(&Sha256::digest(bytes))
}

impl PublishedReport {
    /// What the audit log records of a published report: everything but the files' bytes,
    /// which their hashes stand for.
    pub fn audit_json(&self) -> Value {
        json!({
            "id": self.id, "quarter": self.quarter, "lang": self.lang, "as_of": self.as_of,
            "issued_on": self.issued_on, "criteria_set": self.criteria_set, "audit_seq": self.audit_seq,
            "audit_hash": self.audit_hash, "base_url": self.base_url, "published_at": self.published_at, "published_by": self.published_by,
            "files": self.files.iter().map(|f| json!({"format": f.format, "sha256": f.sha256, "size": f.size})).collect::<Vec<_>>(),
        })
    }
}

type ReportRow = (String, String, String, String, String, String, i64, String, String, String, String);
type FileRow = (String, String, String, i64);

const REPORT_COLUMNS: &str =
    "id, quarter, lang, as_of, issued_on, criteria_set, audit_seq, audit_hash, base_url, published_at, published_by";

fn report_of(row: ReportRow, files: &[FileRow]) -> PublishedReport {
    let (
        id,
        quarter,
        lang,
        as_of,
        issued_on,
        criteria_set,
        audit_seq,
        audit_hash,
        base_url,
        published_at,
        published_by,
    ) = row;
    let files = files
        .iter()
        .filter(|(report, ..)| *report == id)
        .map(|(_, format, sha256, size)| PublishedFile { format: format.clone(), sha256: sha256.clone(), size: *size })
        .collect();
    PublishedReport {
        id,
        quarter,
        lang,
        as_of,
        issued_on,
        criteria_set,
        audit_seq,
        audit_hash,
        base_url,
        published_at,
        published_by,
        files,
    }
}

impl Tx {
    /// Store a report and its files as published, with its audit entry. A report with the
    /// same id is already published: `Conflict`.
    pub async fn publish_report(&mut self, new: NewPublication) -> Result<PublishedReport, StoreError> {
        let writer = self.writer()?;
        let published_at = writer.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let exists: Option<String> = on_tx!(self, conn => {
            sqlx::query_scalar("select id from published_reports where id = $1").bind(new.id.clone()).fetch_optional(conn).await?
        });
        if exists.is_some() {
            return Err(StoreError::Conflict(format!("report {} is already published", new.id)));
        }
        let sql = format!(
            "insert into published_reports ({REPORT_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        );
        on_tx!(self, conn => {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(new.id.clone())
                .bind(new.quarter.clone())
                .bind(new.lang.clone())
                .bind(new.as_of.clone())
                .bind(new.issued_on.clone())
                .bind(new.criteria_set.clone())
                .bind(new.audit_seq)
                .bind(new.audit_hash.clone())
                .bind(new.base_url.clone())
                .bind(published_at.clone())
                .bind(writer.actor.clone())
                .execute(conn)
                .await?;
        });
        let mut files = Vec::new();
        for (format, bytes) in &new.files {
            files.push(self.insert_published_file(&new.id, format, bytes).await?);
        }
        // As they are read back, so that the audit entry names them in the order a
        // verification finds them.
        files.sort_by(|a, b| a.format.cmp(&b.format));
        let report = PublishedReport {
            id: new.id,
            quarter: new.quarter,
            lang: new.lang,
            as_of: new.as_of,
            issued_on: new.issued_on,
            criteria_set: new.criteria_set,
            audit_seq: new.audit_seq,
            audit_hash: new.audit_hash,
            base_url: new.base_url,
            published_at,
            published_by: writer.actor,
            files,
        };
        let change = self.change("publish", ENTITY, &report.id, None, Some(report.audit_json()))?;
        self.append_audit(vec![change]).await?;
        Ok(report)
    }
}

impl Tx {
    async fn insert_published_file(
        &mut self,
        id: &str,
        format: &str,
        bytes: &[u8],
    ) -> Result<PublishedFile, StoreError> {
        let file = PublishedFile {
            format: format.to_owned(),
            sha256: sha256_hex(bytes),
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        };
        let content = base64::engine::general_purpose::STANDARD.encode(bytes);
        let sql = "insert into published_report_files (report_id, format, sha256, size, content_base64) \
                   values ($1, $2, $3, $4, $5)";
        on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(id.to_owned())
                .bind(file.format.clone())
                .bind(file.sha256.clone())
                .bind(file.size)
                .bind(content.clone())
                .execute(conn)
                .await?;
        });
        Ok(file)
    }
}

impl Store {
    /// Every published report, newest quarter first.
    pub async fn published_reports(&self) -> Result<Vec<PublishedReport>, StoreError> {
        let sql = format!("select {REPORT_COLUMNS} from published_reports order by as_of desc, published_at desc, id");
        let (rows, files): (Vec<ReportRow>, Vec<FileRow>) = on_pool!(self, pool => {
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(pool).await?;
            let files = sqlx::query_as("select report_id, format, sha256, size from published_report_files order by report_id, format")
                .fetch_all(pool)
                .await?;
            (rows, files)
        });
        Ok(rows.into_iter().map(|row| report_of(row, &files)).collect())
    }

    /// The published report `id`.
    pub async fn published_report(&self, id: &str) -> Result<Option<PublishedReport>, StoreError> {
        Ok(self.published_reports().await?.into_iter().find(|r| r.id == id))
    }

    /// The published report one of whose files has this SHA-256, and that file's format.
    pub async fn published_report_with_file(
        &self,
        sha256: &str,
    ) -> Result<Option<(PublishedReport, String)>, StoreError> {
        let sql = "select report_id, format from published_report_files where sha256 = $1";
        let found: Option<(String, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(sha256.to_owned()).fetch_optional(pool).await?);
        let Some((id, format)) = found else { return Ok(None) };
        Ok(self.published_report(&id).await?.map(|report| (report, format)))
    }

    /// A published file's bytes.
    pub async fn published_file(&self, id: &str, format: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let sql = "select content_base64 from published_report_files where report_id = $1 and format = $2";
        let content: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(id.to_owned()).bind(format.to_owned()).fetch_optional(pool).await?
        });
        content
            .map(|text| {
                base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| StoreError::Corrupt {
                    table: "published_report_files",
                    id: format!("{id}/{format}"),
                    message: e.to_string(),
                })
            })
            .transpose()
    }

    /// Every published report against the last entry about it; a file whose bytes no longer
    /// have the recorded hash is named too.
    pub(crate) async fn compare_published_reports(
        &self,
        latest: &mut LatestDigests,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StoreError> {
        for report in self.published_reports().await? {
            let problem = match latest.matches(ENTITY, &report.id, &report.audit_json()) {
                None => Some("not in the audit log: written outside cncl".to_owned()),
                Some(false) => Some("differs from the audit log's last entry about it".to_owned()),
                Some(true) => None,
            };
            let mut problems: Vec<String> = problem.into_iter().collect();
            for file in &report.files {
                let bytes = self.published_file(&report.id, &file.format).await?.unwrap_or_default();
                if sha256_hex(&bytes) != file.sha256 {
                    problems.push(format!("its {} file no longer has its recorded SHA-256", file.format));
                }
            }
            findings.extend(problems.into_iter().map(|problem| Finding {
                seq: None,
                entity: ENTITY.to_owned(),
                id: report.id.clone(),
                problem,
            }));
        }
        Ok(())
    }
}
