//! The words of the user interface in Vietnamese (the default) and English, and the
//! language a request asks for. The catalogue is a Rust struct rather than message files:
//! a missing translation is then a compile error, not a blank on a page. Names of products,
//! criteria and choices come from the reference data and the domain's labels, not from here.

use cncl_domain::Lang;

mod accounts;
mod catalogue;
mod compliance;
mod dashboard;
mod documents;
mod evidence;
mod exchange;
mod failure;
mod navigation;
mod position;
mod products;
mod reports;
pub use accounts::{AccountsUi, accounts_ui};
use catalogue::ui_strings;
pub use cncl_domain::format::{
    format_count, format_date, format_decimal, format_instant, format_percent, format_vnd, format_vnd_short,
    start_of_day_in_vietnam,
};
pub use compliance::{ComplianceUi, compliance_ui};
pub use dashboard::{DashboardUi, dashboard_ui};
pub use documents::{DocumentsUi, documents_ui};
pub use evidence::{EvidenceUi, evidence_ui};
pub use exchange::{ExchangeUi, exchange_ui};
pub use failure::{FailureUi, failure_ui};
pub use navigation::{NavUi, nav_ui};
pub use position::{PositionUi, position_ui};
pub use products::{ProductsUi, products_ui};
pub use reports::{ReportsUi, reports_ui};

ui_strings! { Ui, VI, EN;
    app_tagline: "Theo dõi, đánh giá Chương trình phát triển sản phẩm công nghệ chiến lược"
        | "Monitoring and evaluation of the Programme for the development of strategic technology products";
    switch_label: "English"
        | "Tiếng Việt";
    switch_lang: "en"
        | "vi";
    decision: "Quyết định"
        | "Decision";
    managed_by: "Cơ quan quản lý"
        | "Managed by";
    period: "Giai đoạn"
        | "Period";
    products_heading: "Sáu sản phẩm công nghệ chiến lược"
        | "The six strategic technology products";
    starts_on: "Triển khai từ"
        | "Starts";
    task_groups_heading: "Sáu nhóm nhiệm vụ, giải pháp"
        | "The six groups of tasks and solutions";
    criteria_heading: "Tiêu chí đánh giá và mục tiêu"
        | "Evaluation criteria and targets";
    criteria_intro: "Mọi số liệu đều được tính từ dữ liệu đã ghi nhận, theo bộ tiêu chí dưới đây."
        | "Every figure is computed from recorded facts, against the criteria below.";
    per_product: "Đối với từng sản phẩm"
        | "For each product";
    programme_wide: "Đối với toàn Chương trình"
        | "For the programme as a whole";
    criterion: "Tiêu chí"
        | "Criterion";
    target: "Mục tiêu"
        | "Target";
    source: "Nguồn"
        | "Source";
    milestones_heading: "Mốc đánh giá"
        | "Milestones";
    constraint_note: "giới hạn áp dụng cho từng năm"
        | "a limit for every year";
    api_link: "API (OpenAPI)"
        | "API (OpenAPI)";
    not_loaded: "Chưa có dữ liệu tham chiếu."
        | "No reference data yet.";
    scorecard_heading: "Bảng đánh giá theo tiêu chí"
        | "Scorecard by criterion";
    as_of: "Tính đến ngày"
        | "As of";
    show: "Xem"
        | "Show";
    value: "Giá trị"
        | "Value";
    status: "Tình trạng"
        | "Status";
    projected: "Dự báo theo xu hướng"
        | "Projected by the trend";
    trend: "Xu hướng theo quý"
        | "Quarterly trend";
    numerator_records: "Bản ghi ở tử số"
        | "Records in the numerator";
    denominator_records: "Bản ghi ở mẫu số"
        | "Records in the denominator";
    evidence_withheld: "bản ghi ngoài phạm vi của tài khoản này được tính nhưng không liệt kê"
        | "records outside this account's reach are counted but not listed";
    weakest_model: "Mẫu sản phẩm thấp nhất"
        | "Weakest model";
    bom_rule: "Quy tắc định mức nguyên vật liệu"
        | "Bill-of-materials rule";
    criteria_set: "Bộ tiêu chí"
        | "Criteria set";
    download: "Tải về"
        | "Download";
    plan_heading: "Phương án nội địa hóa"
        | "Localisation plan";
    plan_intro: "Tập hợp chào hàng trong nước (mỗi linh kiện nhập khẩu tối đa một chào hàng) có chi phí tăng thêm nhỏ nhất mà vẫn đưa mẫu sản phẩm đạt các chỉ tiêu giá trị gia tăng; tính chính xác, không ước lượng."
        | "The set of domestic offers (at most one per imported part) with the least added cost that brings the model to the value-added targets; computed exactly, not estimated.";
    roadmap_heading: "Lộ trình nội địa hóa"
        | "Localisation roadmap";
    roadmap_intro: "Phương án của mọi mẫu sản phẩm chưa đạt chỉ tiêu giá trị gia tăng, với các doanh nghiệp phụ trợ sẽ tham gia."
        | "The plan of every model below a value-added target, with the supporting enterprises it would bring in.";
    roadmap_none: "Mọi mẫu sản phẩm đã đạt chỉ tiêu."
        | "Every model meets the targets.";
    roadmap_suppliers: "Doanh nghiệp phụ trợ tham gia"
        | "Supporting enterprises brought in";
    now: "Hiện tại"
        | "Now";
    plan_meets_now: "Đã đạt chỉ tiêu"
        | "Meets the targets";
    plan_reachable: "Có thể đạt"
        | "Can reach the targets";
    plan_unreachable: "Chưa thể đạt với các chào hàng hiện có"
        | "Cannot reach them with the offers standing";
    plan_after: "Sau phương án"
        | "After the plan";
    plan_best: "Cao nhất có thể"
        | "Best reachable";
    plan_gap: "Còn thiếu"
        | "Still missing";
    percentage_points: "điểm %"
        | "percentage points";
    plan_added_cost: "Chi phí tăng thêm (đ/đơn vị)"
        | "Added cost (₫ per unit)";
    plan_product_effect: "Tác động lên chỉ số của sản phẩm"
        | "Effect on the product's figures";
    component: "Linh kiện"
        | "Component";
    plan_units: "Số lượng/đơn vị"
        | "Units per model";
    plan_current_cost: "Đơn giá hiện tại"
        | "Current unit cost";
    plan_offered_cost: "Đơn giá chào"
        | "Offered unit cost";
    plan_supplier: "Doanh nghiệp chào hàng"
        | "Supplier";
    plan_removed: "Giảm nhập khẩu (đ/đơn vị)"
        | "Imports removed (₫ per unit)";
    plan_delivery: "Giao sớm nhất"
        | "Earliest delivery";
    plan_uncovered: "Linh kiện nhập khẩu chưa có chào hàng trong nước:"
        | "Imported parts no domestic offer covers:";
    roadmap_link: "Lộ trình nội địa hóa"
        | "Localisation roadmap";
    criteria_sets_heading: "Các bộ tiêu chí"
        | "Criteria sets";
    criteria_sets_intro: "Mỗi phiên bản bộ tiêu chí đã nạp được lưu nguyên vẹn và ghi vào nhật ký kiểm toán. Chương trình được đánh giá theo bộ đang dùng; có thể xem bảng đánh giá hoặc so sánh theo bất kỳ bộ nào."
        | "Every version of a criteria set loaded is kept unchanged and recorded in the audit log. The programme is evaluated against the one in use; the scorecard can be seen, or compared, under any of them.";
    criteria_set_current: "đang dùng"
        | "in use";
    criteria_set_loaded: "Đã nạp bộ tiêu chí"
        | "Criteria set loaded";
    criteria_set_chosen: "Chương trình nay đánh giá theo"
        | "The programme is now evaluated against";
    criteria_compare: "So sánh với bộ đang dùng"
        | "Compare with the one in use";
    criteria_use: "Dùng bộ này"
        | "Use this set";
    criteria_load_heading: "Nạp bộ tiêu chí từ tệp"
        | "Load a criteria set from a file";
    criteria_load_intro: "Tệp TOML theo định dạng trong docs/criteria.md. Một phiên bản đã có chỉ được nạp lại khi nội dung giống hệt; bộ mới không thay bộ đang dùng cho đến khi văn phòng chọn."
        | "A TOML file in the format of docs/criteria.md. A version already loaded is accepted again only with identical content; a new set does not replace the one in use until the office chooses it.";
    criteria_file: "Tệp bộ tiêu chí"
        | "Criteria file";
    criteria_load: "Nạp"
        | "Load";
    criteria_file_missing: "chọn một tệp bộ tiêu chí"
        | "choose a criteria file";
    criteria_compare_heading: "So sánh hai bộ tiêu chí"
        | "Two criteria sets compared";
    criteria_differences: "Số dòng khác nhau"
        | "Rows that differ";
    criteria_absent: "không có trong bộ này"
        | "not in this set";
    materials_mismatch_marker: "lệch định mức"
        | "bill mismatch";
    materials_mismatch_heading: "Chi phí nguyên vật liệu không khớp định mức"
        | "Materials cost does not match the bill of materials";
    materials_mismatch_intro: "Các mẫu sản phẩm dưới đây khai chi phí nguyên vật liệu lệch với tổng định mức nguyên vật liệu quá mức dung sai của bộ tiêu chí. Số liệu tính theo định mức; hãy sửa khoản sai."
        | "The models below report a materials cost that differs from their bill of materials by more than the criteria set's tolerance. The figure counts the bill; correct whichever is wrong.";
    product_model: "Mẫu sản phẩm"
        | "Product model";
    materials_cost_lines: "Chi phí nguyên vật liệu đã khai (đ/đơn vị)"
        | "Materials cost lines (₫ per unit)";
    bill_of_materials_cost: "Tổng định mức nguyên vật liệu (đ/đơn vị)"
        | "Bill of materials (₫ per unit)";
    no_data: "chưa có dữ liệu"
        | "no data";
    evidence_intro: "Số liệu được tính từ các bản ghi dưới đây."
        | "The figure is computed from the records below.";
    back_to_scorecard: "Về bảng đánh giá"
        | "Back to the scorecard";
    tasks_heading: "Danh sách nhiệm vụ"
        | "Tasks";
    all: "Tất cả"
        | "All";
    code: "Mã"
        | "Code";
    title: "Tên"
        | "Title";
    product: "Sản phẩm"
        | "Product";
    task_group: "Nhóm nhiệm vụ"
        | "Task group";
    origin: "Hình thức"
        | "Origin";
    lead: "Chủ trì"
        | "Lead";
    problem: "Vấn đề đặt hàng"
        | "Problem ordered";
    expected_product: "Sản phẩm dự kiến"
        | "Expected product";
    budget_ceiling: "Trần kinh phí"
        | "Budget ceiling";
    deadline: "Thời hạn"
        | "Deadline";
    assigned_on: "Ngày giao"
        | "Assigned on";
    accepted_on: "Ngày nghiệm thu"
        | "Accepted on";
    seven_clear_heading: "Bảy rõ"
        | "The 7 clear";
    history_heading: "Lịch sử xử lý"
        | "History";
    command: "Thao tác"
        | "Command";
    by: "Người thực hiện"
        | "By";
    recorded_at: "Ghi nhận lúc"
        | "Recorded at";
    milestones_and_deliverables: "Mốc tiến độ và sản phẩm giao nộp"
        | "Milestones and deliverables";
    milestone: "Mốc"
        | "Milestone";
    deliverable: "Sản phẩm giao nộp"
        | "Deliverable";
    due_on: "Hạn"
        | "Due";
    done_on: "Hoàn thành"
        | "Done";
    overdue: "Quá hạn"
        | "Overdue";
    participants_heading: "Tổ chức tham gia"
        | "Organisations";
    role: "Vai trò"
        | "Role";
    budget_heading: "Kinh phí theo nguồn"
        | "Budget by source";
    year: "Năm"
        | "Year";
    source_of_funds: "Nguồn"
        | "Source";
    amount: "Số tiền (đồng)"
        | "Amount (đồng)";
    disbursed: "Đã giải ngân"
        | "Disbursed";
    reports_heading: "Báo cáo tiến độ quý"
        | "Quarterly progress reports";
    quarter: "Quý"
        | "Quarter";
    progress: "Tiến độ"
        | "Progress";
    return_reason: "Lý do trả lại"
        | "Reason returned";
    proposals_heading: "Hồ sơ đề xuất và xếp hạng"
        | "Proposals and ranking";
    rank: "Hạng"
        | "Rank";
    score: "Điểm"
        | "Score";
    organisation: "Tổ chức"
        | "Organisation";
    funding_heading: "Kinh phí Chương trình"
        | "Programme funding";
    state_budget: "Ngân sách nhà nước"
        | "State budget";
    st_spending: "Chi NSNN cho KH&CN"
        | "State S&T spending";
    state_share: "Tỷ lệ"
        | "Share";
    over_ceiling: "Vượt trần"
        | "Over the ceiling";
    within_ceiling: "Trong trần"
        | "Within the ceiling";
    ceiling: "Trần"
        | "Ceiling";
    total: "Tổng"
        | "Total";
    by_product: "Theo sản phẩm"
        | "By product";
    governance_heading: "Điều hành Chương trình"
        | "Running the programme";
    warnings_heading: "Cảnh báo"
        | "Warnings";
    no_warnings: "Không có cảnh báo."
        | "No warnings.";
    people_in_charge: "Tổng công trình sư, kiến trúc sư trưởng"
        | "Chief engineers and architects";
    person: "Người"
        | "Person";
    appointed_on: "Ngày bổ nhiệm"
        | "Appointed on";
    decision_number: "Quyết định số"
        | "Decision no.";
    task_force_heading: "Tổ công tác triển khai Chương trình"
        | "Programme Implementation Task Force";
    position: "Chức vụ trong Tổ"
        | "Position";
    office: "Chức vụ"
        | "Office";
    documents: "Văn bản"
        | "Documents";
    issued_on: "Ngày ban hành"
        | "Issued on";
    yes: "Có"
        | "Yes";
    no: "Chưa"
        | "No";
    effective_on: "Ngày hiệu lực"
        | "Effective on";
    sign_in: "Đăng nhập"
        | "Sign in";
    sign_out: "Đăng xuất"
        | "Sign out";
    username: "Tên đăng nhập"
        | "Username";
    password: "Mật khẩu"
        | "Password";
    second_factor: "Xác thực hai lớp"
        | "Second factor";
    totp_enrol_intro: "Quét mã QR dưới đây bằng ứng dụng xác thực (TOTP), hoặc nhập mã bí mật, rồi nhập mã 6 chữ số."
        | "Scan the QR code below with an authenticator app (TOTP), or type in the secret, then enter its 6-digit code.";
    totp_qr_label: "Mã QR để thiết lập ứng dụng xác thực"
        | "QR code to set up the authenticator app";
    totp_code: "Mã 6 chữ số"
        | "6-digit code";
    confirm: "Xác nhận"
        | "Confirm";
    form_expired: "Biểu mẫu đã hết hạn; hãy thử lại."
        | "The form expired; please try again.";
    audit_heading: "Nhật ký thay đổi"
        | "Audit log";
    action: "Thao tác"
        | "Action";
    entity: "Bảng"
        | "Table";
    chain_intact: "Chuỗi băm toàn vẹn"
        | "The hash chain is intact";
    chain_broken: "Chuỗi băm bị phá vỡ tại bản ghi"
        | "The hash chain breaks at entry";
    audit_intro: "Mỗi thay đổi được ghi kèm người thực hiện, thời điểm, giá trị trước và sau; mỗi bản ghi nối băm SHA-256 với bản ghi trước nên mọi sửa đổi ngoài hệ thống đều bị phát hiện khi kiểm tra."
        | "Every change is recorded with who made it, when, and the values before and after; each entry is chained to the previous one by SHA-256, so any edit made outside cncl is found by verification.";
    date_from: "Từ ngày"
        | "From";
    date_to: "Đến hết ngày"
        | "Through";
    verify_chain: "Kiểm tra toàn vẹn"
        | "Verify integrity";
    chain_not_intact: "Phát hiện dữ liệu không khớp nhật ký"
        | "Stored data does not match the log";
    changes: "Thay đổi"
        | "Changes";
    previous_page: "Trang trước"
        | "Previous";
    next_page: "Trang sau"
        | "Next";
    page: "Trang"
        | "Page";
    change_password: "Đổi mật khẩu"
        | "Change password";
    password_change_intro: "Mật khẩu này chỉ dùng một lần. Hãy đặt mật khẩu của riêng bạn (ít nhất 12 ký tự) trước khi tiếp tục."
        | "That password was for one sign-in only. Choose your own (at least 12 characters) before going on.";
    current_password: "Mật khẩu hiện tại"
        | "Current password";
    new_password: "Mật khẩu mới"
        | "New password";
    repeat_password: "Nhập lại mật khẩu mới"
        | "New password again";
    passwords_differ: "Hai lần nhập mật khẩu mới không khớp."
        | "The two new passwords differ.";
    actions_heading: "Thao tác với nhiệm vụ"
        | "Act on this task";
    lead_organisation: "Tổ chức chủ trì"
        | "Lead organisation";
    lead_person: "Chủ nhiệm nhiệm vụ"
        | "Lead person";
    accepting_body: "Hội đồng nghiệm thu"
        | "Accepting body";
    reasons: "Lý do không đạt"
        | "Reasons";
    reason: "Lý do"
        | "Reason";
    no_participants: "Chưa có tổ chức tham gia; hãy ghi nhận tổ chức trước khi giao."
        | "No organisation takes part yet; record them before assigning.";
    select_proposal: "Chọn và giao nhiệm vụ"
        | "Select and assign";
    back: "Quay lại"
        | "Back";
    edit_task: "Sửa thông tin nhiệm vụ (phạm vi, trách nhiệm, thời gian, thẩm quyền)"
        | "Edit the task (scope, responsibilities, dates, authority)";
    search: "Tìm"
        | "Search";
    record_name: "Tên, mã"
        | "Name";
    task_page: "Trang nhiệm vụ: bảy rõ, thao tác, lịch sử"
        | "The task's page: 7 clear, commands, history";
    search_hint: "tên, mã, tiêu đề — không cần dấu"
        | "name, code, title — accents optional";
    find_hint: "Quá nhiều để liệt kê: gõ tên hoặc mã (không cần dấu) rồi lưu; cncl tìm giúp."
        | "Too many to list: type a name or code (accents optional) and save; cncl finds it.";
    several_match: "nhiều bản ghi khớp; chọn một"
        | "several records match; choose one";
    none_match: "không có bản ghi nào khớp"
        | "no record matches";
    read_only: "Bạn chỉ được xem hồ sơ này."
        | "You may only read this record.";
    change_history: "Lịch sử thay đổi"
        | "Change history";
    set_by_commands: "Chỉ thay đổi qua các thao tác (giao, nộp, duyệt…)."
        | "Changed only through the commands (assign, submit, approve…).";
    none_option: "— không có —"
        | "— none —";
    choose_option: "— chọn —"
        | "— choose —";
    final_command: "Lệnh này chấm dứt nhiệm vụ và không hoàn tác được."
        | "This ends the task and cannot be undone.";
    edit: "Sửa"
        | "Edit";
    save: "Lưu"
        | "Save";
    add_record: "Thêm mới"
        | "Add";
    records_intro: "Ghi nhận và sửa từng loại hồ sơ bằng biểu mẫu; mọi con số của bảng theo dõi được tính từ các hồ sơ này."
        | "Record and correct each kind of record by form; every figure on the scorecard is computed from them.";
    records_heading: "Hồ sơ dữ liệu của Chương trình"
        | "The programme's records";
    recorded_notice: "Số liệu như cncl đã ghi nhận đến mục sổ kiểm toán"
        | "Figures as cncl had recorded them up to audit log entry";
    assessment_heading: "Đánh giá trong quý"
        | "Assessment of the quarter";
    reports_missing: "báo cáo chưa nộp"
        | "reports missing";
    unread: "chưa đọc"
        | "unread";
    notifications_none: "Chưa có thông báo nào."
        | "No notifications yet.";
    mark_all_read: "Đánh dấu tất cả là đã đọc"
        | "Mark all as read";
    mark_read: "Đã đọc"
        | "Read";
}

impl Ui {
    pub fn status_label(&self, status: cncl_eval::status::Status) -> &'static str {
        status.label(self.lang)
    }

    /// Every status with its CSS class, for the scorecard's legend.
    pub fn status_legend(&self) -> Vec<(&'static str, &'static str)> {
        cncl_eval::status::Status::ALL.iter().map(|&s| (status_class(s), s.label(self.lang))).collect()
    }
}

/// The CSS class of a status, for its colour.
pub fn status_class(status: cncl_eval::status::Status) -> &'static str {
    use cncl_eval::status::Status;
    match status {
        Status::Met => "met",
        Status::OnTrack => "on-track",
        Status::AtRisk => "at-risk",
        Status::NotMet => "not-met",
        Status::NoData => "no-data",
    }
}

pub fn ui(lang: Lang) -> &'static Ui {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}

/// The cookie that remembers the language a user switched to.
pub const LANG_COOKIE: &str = "cncl_lang";
