//! Documents on records: any record can carry files as its evidence (the acceptance
//! decision, the IP certificate, the publication's PDF, the test report). Whoever may change
//! a record may attach to it, whoever may read it may download them; the size is bounded
//! and the type is read from the content, never from the name.

use cncl_domain::{EntityKind, msg, with_record_type};
use cncl_store::documents::Document;
use uuid::Uuid;

use crate::{Actor, App, AppError};

/// The largest document kept: a scanned decision or a test report, not a dataset.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file a record's evidence may be, by what their content shows: PDF, images,
/// and office documents (a ZIP container, told apart by the name's extension only once the
/// content is known to be one).
fn media_type(bytes: &[u8], file_name: &str) -> Option<&'static str> {
    let found = infer::get(bytes)?;
    match found.mime_type() {
        "application/pdf" => Some("application/pdf"),
        "image/png" => Some("image/png"),
        "image/jpeg" => Some("image/jpeg"),
        "application/zip"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => {
            let lower = file_name.to_lowercase();
            if lower.ends_with(".docx") {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            } else if lower.ends_with(".xlsx") {
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A file name as kept: its last path part, without control characters, at most 200 chars.
fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.trim().is_empty() { "tai-lieu".to_owned() } else { cleaned.trim().to_owned() }
}

fn refused(message: cncl_domain::Message) -> AppError {
    cncl_domain::DomainError::new("file", message).into()
}

impl App {
    /// Attach `bytes` (named `file_name`) to record `id` of `kind`.
    pub async fn attach(
        &self,
        actor: &Actor,
        kind: EntityKind,
        id: Uuid,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Document, AppError> {
        crate::policy::write(actor, kind)?;
        // The record must be one the actor may reach (a reporter's own organisation's).
        with_record_type!(kind, T => { self.get::<T>(actor, id.into()).await?; });
        if bytes.is_empty() {
            return Err(refused(msg("tệp trống", "the file is empty")));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(refused(msg(
                format!("tệp lớn hơn {} MB", MAX_DOCUMENT_BYTES / 1024 / 1024),
                format!("the file is larger than {} MB", MAX_DOCUMENT_BYTES / 1024 / 1024),
            )));
        }
        let Some(media_type) = media_type(bytes, file_name) else {
            return Err(refused(msg(
                "chỉ nhận PDF, ảnh PNG hoặc JPEG, tài liệu Word (.docx) hoặc Excel (.xlsx), xét theo nội dung tệp",
                "only PDF, PNG or JPEG images, Word (.docx) or Excel (.xlsx) documents are kept, judged by the file's content",
            )));
        };
        let document = Document {
            id: Uuid::now_v7().to_string(),
            entity: kind.resource().to_owned(),
            record_id: id.to_string(),
            file_name: clean_name(file_name),
            media_type: media_type.to_owned(),
            size: 0,
            sha256: String::new(),
            uploaded_by: actor.name.clone(),
            uploaded_at: self.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        };
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let document = tx.add_document(document, bytes, self.store.documents_dir()).await?;
        tx.commit().await?;
        Ok(document)
    }

    /// The documents of record `id` of `kind`, if the actor may read the record.
    pub async fn documents(&self, actor: &Actor, kind: EntityKind, id: Uuid) -> Result<Vec<Document>, AppError> {
        with_record_type!(kind, T => { self.get::<T>(actor, id.into()).await?; });
        Ok(self.store.documents_of(kind.resource(), id).await?)
    }

    /// Document `id` and its bytes, if the actor may read the record it belongs to.
    pub async fn document(&self, actor: &Actor, id: Uuid) -> Result<(Document, Vec<u8>), AppError> {
        let not_found = || AppError::NotFound { noun: "document", id: id.to_string() };
        let (document, bytes) = self.store.document(id).await?.ok_or_else(not_found)?;
        let kind = EntityKind::from_resource(&document.entity).ok_or_else(not_found)?;
        let record: Uuid = document.record_id.parse().map_err(|_| not_found())?;
        // A document of a record out of reach is answered like one that does not exist.
        let reachable = with_record_type!(kind, T => self.get::<T>(actor, record.into()).await.map(|_| ()));
        match reachable {
            Ok(_) => Ok((document, bytes)),
            Err(AppError::NotFound { .. }) => Err(not_found()),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clean_name, media_type};

    #[test]
    fn the_type_is_read_from_the_content_not_the_name() {
        assert_eq!(media_type(b"%PDF-1.7\n...", "quyet-dinh.pdf"), Some("application/pdf"));
        assert_eq!(media_type(b"%PDF-1.7\n...", "anh.png"), Some("application/pdf"), "the content decides");
        assert_eq!(media_type(b"<html><script>alert(1)</script>", "quyet-dinh.pdf"), None, "HTML named .pdf");
        assert_eq!(media_type(b"PK\x03\x04\x14\x00\x00\x00", "bao-cao.xlsx").map(|t| t.ends_with("sheet")), Some(true));
        assert_eq!(media_type(b"PK\x03\x04\x14\x00\x00\x00", "ma-doc.zip"), None);
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\a\\Quyết định.pdf"), "Quyết định.pdf");
    }
}
