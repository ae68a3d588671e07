//! The words of the import page and its downloads, in Vietnamese and English.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { ExchangeUi, VI, EN;
    heading: "Nhập dữ liệu từ Excel hoặc CSV"
        | "Import from Excel or CSV";
    intro: "Tải sổ mẫu, điền rồi tải lên. Mỗi trang tính là một loại hồ sơ; tham chiếu ghi bằng khóa quen dùng (mã số thuế, mã nhiệm vụ, tên mẫu sản phẩm, đường dẫn linh kiện), không cần mã ID. Dòng có ID hoặc trùng khóa là cập nhật, dòng khác là hồ sơ mới. Xem trước mọi dòng; chỉ khi không dòng nào lỗi mới ghi, tất cả trong một lần."
        | "Download a workbook, fill it in and upload it. Each sheet is one kind of record; references are written as the keys people use (tax code, task code, model name, component path), never as IDs. A row with an ID or a known key updates that record; any other row is new. Every row is previewed; nothing is written unless no row is in error, and then all at once.";
    file: "Tệp .xlsx hoặc .csv"
        | "An .xlsx or .csv file";
    preview: "Xem trước"
        | "Preview";
    commit: "Ghi vào hệ thống"
        | "Write it";
    committed: "Đã ghi toàn bộ tệp."
        | "The whole file was written.";
    fix_errors: "Có dòng lỗi: không ghi gì. Sửa tệp rồi xem trước lại."
        | "Some rows are in error: nothing is written. Fix the file and preview it again.";
    sheet: "Trang tính"
        | "Sheet";
    row: "Dòng"
        | "Row";
    detail: "Chi tiết"
        | "Detail";
    new: "Mới"
        | "New";
    update: "Cập nhật"
        | "Update";
    unchanged: "Không đổi"
        | "Unchanged";
    error: "Lỗi"
        | "Error";
    downloads: "Tải sổ mẫu"
        | "Download a workbook";
    reporting_workbook: "Sổ báo cáo của tổ chức (trống)"
        | "The organisation's reporting workbook (blank)";
    reporting_workbook_prefilled: "Sổ báo cáo kèm dữ liệu đã có (sửa rồi tải lên để cập nhật)"
        | "The reporting workbook with the records already kept (edit and upload it to update them)";
    template_of: "Mẫu nhập cho loại hồ sơ"
        | "Template for the kind of record";
    template_download: "Tải mẫu"
        | "Download the template";
    template_prefilled: "kèm dữ liệu"
        | "with the records";
    mapping_heading: "Ghép cột và trang tính"
        | "Match the columns and sheets";
    mapping_intro: "Một số cột hoặc trang tính không khớp mẫu của cncl. Chọn trường cho từng cột và loại hồ sơ cho từng trang tính (đã gợi ý theo tên, không phân biệt dấu); lựa chọn được lưu cho lần tải lên sau của đơn vị."
        | "Some columns or sheets do not match cncl's templates. Choose the field each column holds and the kind of record each sheet holds (suggested by name, accents aside); the choices are saved for your organisation's next upload.";
    mapping_apply: "Áp dụng và xem trước lại"
        | "Apply and preview again";
    mapping_skip: "— bỏ qua —"
        | "— leave out —";
    annotated: "Tải tệp kèm cột kết quả kiểm tra"
        | "Download the file with a column of what checking found";
}

pub fn exchange_ui(lang: Lang) -> &'static ExchangeUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
