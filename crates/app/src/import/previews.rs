//! Previews kept for their commit (a few, for an hour, each only for the account that made
//! it), and a preview's file written back with what checking found on each row.

use std::collections::HashMap;

use cncl_domain::{Lang, msg};
use serde::Serialize;
use uuid::Uuid;

use super::file::read_file;
use super::{ImportReport, ImportRun, Mapping, RowOutcome};
use crate::{Actor, App, AppError};

/// What checking found on a row, as the annotated workbook writes it.
pub(super) fn note(outcome: &RowOutcome, row: u32, lang: Lang) -> String {
    match outcome {
        RowOutcome::New { .. } => lang.pick("Mới", "New").to_owned(),
        RowOutcome::Unchanged { .. } => lang.pick("Không đổi", "Unchanged").to_owned(),
        RowOutcome::Update { changes, .. } => {
            let changed: Vec<String> =
                changes.iter().map(|c| format!("{}: {} → {}", c.field, c.before, c.after)).collect();
            format!("{}: {}", lang.pick("Cập nhật", "Update"), changed.join("; "))
        }
        RowOutcome::Error { column, header, message, message_vi } => {
            let at = match (column, header) {
                (Some(c), Some(h)) => format!(" {c}{row} ({h})"),
                _ => String::new(),
            };
            format!("{}{at}: {}", lang.pick("LỖI", "ERROR"), lang.pick(message_vi, message))
        }
    }
}

/// A preview kept for its commit: the file, who previewed it, and the audit log's last entry
/// then (any write since moves it).
#[derive(Debug, Clone)]
pub(super) struct Pending {
    actor: String,
    file_name: String,
    bytes: Vec<u8>,
    /// The columns and sheets chosen for this file.
    mapping: Mapping,
    report: ImportReport,
    seq: i64,
    at: std::time::Instant,
}

/// Previews waiting for their commit, a few and not for long.
#[derive(Debug, Default)]
pub(crate) struct Previews(std::sync::Mutex<HashMap<Uuid, Pending>>);

/// Previews kept at once, and how long one waits for its commit.
pub(super) const KEPT_PREVIEWS: usize = 32;
pub(super) const PREVIEW_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

/// A preview and the id its commit names.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub id: Uuid,
    pub report: ImportReport,
}

impl App {
    /// Preview a file and keep it for [`App::commit_import`].
    pub async fn preview_import(&self, actor: &Actor, file_name: &str, bytes: Vec<u8>) -> Result<Preview, AppError> {
        self.preview_mapped(actor, file_name, bytes, Mapping::default()).await
    }

    /// Preview `id`'s file again with the sheets and columns chosen in `mapping`, which is
    /// saved for the owner's next uploads.
    pub async fn remap_import(&self, actor: &Actor, id: Uuid, mapping: Mapping) -> Result<Preview, AppError> {
        let pending = self.pending(actor, id)?;
        self.save_import_mapping(actor, &mapping).await?;
        self.preview_mapped(actor, &pending.file_name, pending.bytes, pending.mapping.overridden_by(&mapping)).await
    }

    async fn preview_mapped(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
        mapping: Mapping,
    ) -> Result<Preview, AppError> {
        let seq = self.store.audit_seq().await?;
        let report =
            self.import(actor, file_name, &bytes, ImportRun { mapping: &mapping, ..ImportRun::default() }).await?;
        let id = Uuid::now_v7();
        let mut kept = self.previews.0.lock().map_err(|_| AppError::internal("the previews' lock is poisoned"))?;
        kept.retain(|_, p| p.at.elapsed() < PREVIEW_LIFETIME);
        while kept.len() >= KEPT_PREVIEWS {
            let oldest = kept.iter().min_by_key(|(_, p)| p.at).map(|(id, _)| *id);
            oldest.and_then(|id| kept.remove(&id));
        }
        let pending = Pending {
            actor: actor.name.clone(),
            file_name: file_name.to_owned(),
            bytes,
            mapping,
            report: report.clone(),
            seq,
            at: std::time::Instant::now(),
        };
        kept.insert(id, pending);
        Ok(Preview { id, report })
    }

    /// The file of preview `id` as a workbook with a column saying what checking found on
    /// each row, and its file name.
    pub async fn annotated_preview(&self, actor: &Actor, id: Uuid, lang: Lang) -> Result<(String, Vec<u8>), AppError> {
        let pending = self.pending(actor, id)?;
        let workbook = read_file(&pending.file_name, &pending.bytes)?;
        let notes = pending
            .report
            .sheets
            .iter()
            .flat_map(|sheet| {
                sheet.rows.iter().map(move |r| ((sheet.sheet.clone(), r.row), note(&r.outcome, r.row, lang)))
            })
            .collect();
        let bytes = cncl_exchange::annotate(&workbook, lang.pick("Kết quả kiểm tra", "Check result"), &notes)
            .map_err(|e| AppError::internal(&format!("annotated preview: {e}")))?;
        let stem = std::path::Path::new(&pending.file_name).file_stem().and_then(|s| s.to_str()).unwrap_or("import");
        Ok((format!("{stem}.{}.xlsx", lang.pick("kiem-tra", "checked")), bytes))
    }

    /// The preview `id` kept for `actor`; not found for another account's.
    fn pending(&self, actor: &Actor, id: Uuid) -> Result<Pending, AppError> {
        let kept = self.previews.0.lock().map_err(|_| AppError::internal("the previews' lock is poisoned"))?;
        kept.get(&id)
            .filter(|p| p.actor == actor.name && p.at.elapsed() < PREVIEW_LIFETIME)
            .cloned()
            .ok_or_else(|| AppError::NotFound { noun: "import preview", id: id.to_string() })
    }

    /// Apply exactly what preview `id` showed; refused (409) when anything was written since,
    /// and not found for another account's preview.
    pub async fn commit_import(&self, actor: &Actor, id: Uuid) -> Result<ImportReport, AppError> {
        let pending = self.pending(actor, id)?;
        if self.store.audit_seq().await? != pending.seq {
            return Err(AppError::Conflict {
                field: None,
                message: msg(
                    "dữ liệu đã thay đổi kể từ lúc xem trước: hãy xem trước tệp lại",
                    "the data changed since the preview: preview the file again",
                ),
            });
        }
        let run = ImportRun { commit: true, mapping: &pending.mapping, progress: None };
        let report = self.import(actor, &pending.file_name, &pending.bytes, run).await?;
        if let (true, Ok(mut kept)) = (report.committed, self.previews.0.lock()) {
            kept.remove(&id);
        }
        Ok(report)
    }
}
