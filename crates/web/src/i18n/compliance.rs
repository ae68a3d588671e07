//! The words of the reporting compliance page: who owes which report, the rates, the
//! matrices and the overdue list, in Vietnamese and English.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { ComplianceUi, VI, EN;
    compliance_heading: "Tình hình nộp báo cáo"
        | "Reporting compliance";
    compliance_intro: "Nghĩa vụ báo cáo được suy ra từ dữ liệu: mỗi nhiệm vụ đã giao nộp báo cáo tiến độ hằng quý đến khi nghiệm thu; doanh nghiệp có mẫu sản phẩm đã ra thị trường báo cáo doanh số, chi phí và định mức hằng năm; tổ chức có số liệu đào tạo báo cáo hằng năm. Hạn nộp theo bộ tiêu chí."
        | "Reporting obligations are derived from the facts: each assigned task reports its progress every quarter until acceptance; the maker of a launched product model reports its sales, costs and bill of materials every year; an organisation with training records reports them every year. Due dates follow the criteria set.";
    compliance_own_intro: "Các báo cáo tổ chức của bạn phải nộp, và tình trạng của từng báo cáo."
        | "The reports your organisation owes, and where each stands.";
    rates_heading: "Tỷ lệ nộp báo cáo"
        | "Reporting rates";
    rates_note: "Tỷ lệ nộp = số báo cáo đã nộp và được chấp nhận hoặc đang chờ duyệt ÷ số báo cáo đã đến hạn. Tỷ lệ đúng hạn = số báo cáo trong đó nộp lần đầu không muộn hơn hạn ÷ số báo cáo đã đến hạn."
        | "Reporting rate = reports submitted and approved or awaiting review ÷ reports due. On-time rate = those of them first submitted by the due date ÷ reports due.";
    whole_programme: "Toàn Chương trình"
        | "Whole programme";
    by_product: "Theo sản phẩm"
        | "By product";
    by_organisation: "Theo tổ chức"
        | "By organisation";
    by_task_group: "Theo nhóm nhiệm vụ"
        | "By task group";
    expected: "Đã đến hạn"
        | "Due";
    reported: "Đã nộp"
        | "Reported";
    reporting_rate: "Tỷ lệ nộp"
        | "Reporting rate";
    on_time_rate: "Tỷ lệ đúng hạn"
        | "On-time rate";
    matrix_heading: "Bảng theo kỳ báo cáo"
        | "By period";
    matrix_note: "Mỗi ô mở báo cáo, hoặc biểu mẫu để nộp báo cáo còn thiếu."
        | "Each cell opens the report, or the form that submits a missing one.";
    matrix_hidden: "dòng khác không hiển thị; hãy lọc theo sản phẩm."
        | "more rows not shown; filter by product.";
    overdue_heading: "Báo cáo quá hạn"
        | "Overdue reports";
    overdue_none: "Không có báo cáo nào quá hạn."
        | "No report is overdue.";
    days_late: "Số ngày trễ"
        | "Days late";
    due_on: "Hạn nộp"
        | "Due on";
    report_kind: "Loại báo cáo"
        | "Report";
    owed_by: "Đơn vị phải nộp"
        | "Owed by";
    subject: "Nhiệm vụ / mẫu sản phẩm / tổ chức"
        | "Task / model / organisation";
    reporting_period: "Kỳ"
        | "Period";
    status: "Tình trạng"
        | "Status";
    escalated: "quá hạn trên"
        | "more than";
    escalated_days: "ngày, đã đưa vào cảnh báo"
        | "days late, escalated to the warnings";
    all_products: "Tất cả sản phẩm"
        | "All products";
    nothing_owed: "Chưa có báo cáo nào phải nộp tính đến ngày này."
        | "No report is owed as of this date.";
}

pub fn compliance_ui(lang: Lang) -> &'static ComplianceUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
