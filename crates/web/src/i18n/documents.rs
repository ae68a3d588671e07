//! The words of a record's documents: the files kept as its evidence.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { DocumentsUi, VI, EN;
    heading: "Tài liệu kèm theo"
        | "Documents";
    intro: "Tệp làm căn cứ cho bản ghi: quyết định nghiệm thu, văn bằng sở hữu trí tuệ, bài báo, biên bản thử nghiệm. Mỗi tệp được ghi vào nhật ký kiểm toán kèm mã SHA-256."
        | "Files the record rests on: the acceptance decision, the IP certificate, the paper, the test report. Each is in the audit log with its SHA-256.";
    none: "Chưa có tài liệu nào."
        | "No documents yet.";
    file: "Tệp"
        | "File";
    media_type: "Loại"
        | "Type";
    size: "Dung lượng"
        | "Size";
    uploaded: "Người tải lên, thời điểm"
        | "Uploaded by, at";
    upload: "Tải tệp lên"
        | "Upload the file";
    allowed: "PDF, PNG, JPEG, Word (.docx) hoặc Excel (.xlsx), tối đa 20 MB; loại tệp xét theo nội dung."
        | "PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx), at most 20 MB; the type is judged by the content.";
}

pub fn documents_ui(lang: Lang) -> &'static DocumentsUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
