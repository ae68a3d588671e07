//! The words of every page's header: the site's sections, the skip link.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { NavUi, VI, EN;
    nav_home: "Chương trình"
        | "Programme";
    nav_scorecard: "Bảng đánh giá"
        | "Scorecard";
    nav_import: "Nhập dữ liệu"
        | "Import";
    nav_tasks: "Nhiệm vụ"
        | "Tasks";
    nav_funding: "Kinh phí"
        | "Funding";
    nav_governance: "Điều hành"
        | "Governance";
    nav_audit: "Nhật ký"
        | "Audit log";
    nav_records: "Hồ sơ"
        | "Records";
    nav_reports: "Báo cáo"
        | "Reports";
    nav_compliance: "Nộp báo cáo"
        | "Reporting";
    nav_notifications: "Thông báo"
        | "Notifications";
    nav_accounts: "Tài khoản"
        | "Accounts";
    nav_label: "Điều hướng chính"
        | "Main navigation";
    skip_to_content: "Bỏ qua, đến nội dung chính"
        | "Skip to the main content";
    saved: "Đã lưu."
        | "Saved.";
}

pub fn nav_ui(lang: Lang) -> &'static NavUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
