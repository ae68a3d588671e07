//! The words of the published reports' pages: the list, one report, publishing and
//! checking a copy, in Vietnamese and English.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { ReportsUi, VI, EN;
    report_changes_heading: "Số liệu thay đổi từ khi công bố"
        | "Figures changed since publication";
    report_changes_link: "So sánh số liệu của báo cáo với số liệu hiện nay"
        | "Compare the report's figures with today's";
    report_no_changes: "Mọi số liệu của báo cáo vẫn như khi công bố."
        | "Every figure of the report still reads as published.";
    report_now: "Hiện nay"
        | "Now";
    report_changed_records: "Hồ sơ được ghi sau khi công bố"
        | "Records written since";
    published_reports_heading: "Báo cáo Chương trình đã công bố"
        | "Published programme reports";
    reports_intro: "Mỗi báo cáo đã công bố được lưu nguyên vẹn cùng mã SHA-256 trong sổ kiểm toán. Bất kỳ ai cũng có thể kiểm tra một bản sao: cncl dựng lại số liệu từ sổ kiểm toán như lúc báo cáo được lập, kể cả khi dữ liệu đã được sửa sau đó."
        | "Each published report is kept unchanged with its SHA-256 in the audit log. Anyone can check a copy: cncl rebuilds the figures from the audit log as they stood when the report was made, even after later corrections.";
    reports_none: "Chưa có báo cáo nào được công bố."
        | "No report has been published yet.";
    report_quarter: "Kỳ báo cáo"
        | "Quarter";
    report_language: "Ngôn ngữ"
        | "Language";
    report_as_of: "Số liệu tính đến"
        | "Figures as of";
    report_issued_on: "Ngày ban hành"
        | "Issued on";
    report_published_at: "Công bố lúc"
        | "Published";
    report_publish_heading: "Công bố báo cáo quý"
        | "Publish a quarter's report";
    report_publish_intro: "Lập báo cáo PDF theo thể thức Nghị định 30/2020/NĐ-CP và bảng tính .xlsx từ số liệu hiện có, rồi lưu cả hai không thể sửa đổi."
        | "Builds the PDF laid out per Decree 30/2020/NĐ-CP and the .xlsx workbook from the figures as they stand, and stores both unchangeable.";
    report_publish: "Công bố"
        | "Publish";
    report_files: "Tệp"
        | "Files";
    report_download: "Tải về"
        | "Download";
    report_size: "Dung lượng (byte)"
        | "Size (bytes)";
    report_basis: "Căn cứ số liệu"
        | "What the figures rest on";
    report_audit_head: "Sổ kiểm toán đến mục"
        | "Audit log up to entry";
    verify_heading: "Kiểm tra một bản báo cáo"
        | "Check a copy of a report";
    verify_intro: "Tải lên tệp PDF hoặc .xlsx của một báo cáo. Kết quả là: trùng khớp, đã bị sửa đổi (chỉ rõ ô hoặc trang khác biệt), hoặc không xác định."
        | "Upload a report's PDF or .xlsx. The answer is identical, altered (naming the cells or pages that differ), or unknown.";
    verify_file: "Tệp báo cáo"
        | "Report file";
    verify_submit: "Kiểm tra"
        | "Check";
    verify_place: "Vị trí"
        | "Where";
    verify_published_value: "Bản đã công bố"
        | "Published";
    verify_this_copy: "Bản được kiểm tra"
        | "This copy";
    verify_replayed: "bản ghi được dựng lại từ sổ kiểm toán"
        | "records rebuilt from the audit log";
    verify_erased: "bản ghi đã xóa theo yêu cầu sau đó, không được khôi phục"
        | "records erased on request since, not brought back";
    reports_unavailable: "Máy chủ này không được cấu hình để lập hay kiểm tra báo cáo."
        | "This server is not set up to build or check reports.";
}

pub fn reports_ui(lang: Lang) -> &'static ReportsUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
