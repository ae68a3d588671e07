//! The words of the dashboard: the headline figures against their milestones, the office's
//! warnings, the reports due this month, a reporter's own tasks.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { DashboardUi, VI, EN;
    dashboard_heading: "Tổng quan"
        | "At a glance";
    dashboard_intro: "Các chỉ số chính của Chương trình tính đến ngày"
        | "The programme's headline figures as of";
    against_milestone: "So với mục tiêu"
        | "Against the target";
    met_now: "Đạt"
        | "Met";
    not_yet: "Chưa đạt"
        | "Not yet";
    whole_programme: "Toàn Chương trình"
        | "Whole programme";
    warnings_heading: "Cảnh báo của Văn phòng"
        | "The office's warnings";
    no_warnings: "Không có cảnh báo."
        | "No warnings.";
    all_warnings: "Tất cả cảnh báo"
        | "All warnings";
    due_heading: "Báo cáo đến hạn trong tháng"
        | "Reports due this month";
    none_due: "Không còn báo cáo nào phải nộp trong tháng này."
        | "No reports are still owed this month.";
    and_more: "và còn"
        | "and";
    more_on_compliance: "báo cáo khác — xem trang Tình hình nộp báo cáo"
        | "more — see the reporting compliance page";
    map_heading: "Tổ chức tham gia và kinh phí theo tỉnh, thành phố"
        | "Organisations taking part and funding by province";
    map_note: "Màu đậm hơn: nhiều tổ chức tham gia nhiệm vụ đã giao hơn. Kinh phí: tổng kinh phí các nhiệm vụ do tổ chức trong tỉnh chủ trì."
        | "Darker: more organisations taking part in assigned tasks. Funding: the budget of the tasks led by the province's organisations.";
    province: "Tỉnh, thành phố"
        | "Province or city";
    organisations: "Tổ chức tham gia"
        | "Organisations taking part";
    funding: "Kinh phí"
        | "Funding";
    tasks_heading: "Nhiệm vụ của tổ chức"
        | "Your organisation's tasks";
    no_tasks: "Tổ chức chưa tham gia nhiệm vụ nào."
        | "Your organisation takes part in no task yet.";
    published_in: "theo báo cáo đã công bố"
        | "as published in the report of";
    public_note: "Đăng nhập để xem số liệu hiện hành và hồ sơ chứng minh."
        | "Sign in to see the current figures and the records behind them.";
    nothing_published: "Văn phòng Chương trình chưa công bố báo cáo nào. Số liệu hiện hành, tính từ dữ liệu đã ghi nhận, có tại"
        | "The Programme Office has not published a report yet. The current figures, computed from the recorded facts, are on";
    current_figures: "trang Bảng đánh giá"
        | "the scorecard page";
}

pub fn dashboard_ui(lang: Lang) -> &'static DashboardUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
