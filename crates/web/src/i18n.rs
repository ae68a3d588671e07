//! The words of the user interface in Vietnamese (the default) and English, and the
//! language a request asks for. The catalogue is a Rust struct rather than message files:
//! a missing translation is then a compile error, not a blank on a page. Names of products,
//! criteria and choices come from the reference data and the domain's labels, not from here.

use axum::http::HeaderMap;
use cncl_domain::Lang;

/// The fixed words of the pages.
#[derive(Debug)]
pub struct Ui {
    pub lang: Lang,
    pub app_tagline: &'static str,
    pub switch_label: &'static str,
    pub switch_lang: &'static str,
    pub decision: &'static str,
    pub managed_by: &'static str,
    pub period: &'static str,
    pub products_heading: &'static str,
    pub starts_on: &'static str,
    pub task_groups_heading: &'static str,
    pub criteria_heading: &'static str,
    pub criteria_intro: &'static str,
    pub per_product: &'static str,
    pub programme_wide: &'static str,
    pub criterion: &'static str,
    pub target: &'static str,
    pub source: &'static str,
    pub milestones_heading: &'static str,
    pub constraint_note: &'static str,
    pub api_link: &'static str,
    pub not_loaded: &'static str,
    pub nav_home: &'static str,
    pub nav_scorecard: &'static str,
    pub scorecard_heading: &'static str,
    pub as_of: &'static str,
    pub show: &'static str,
    pub value: &'static str,
    pub status: &'static str,
    pub projected: &'static str,
    pub trend: &'static str,
    pub numerator_records: &'static str,
    pub denominator_records: &'static str,
    pub weakest_model: &'static str,
    pub bom_rule: &'static str,
    pub no_data: &'static str,
    pub status_met: &'static str,
    pub status_on_track: &'static str,
    pub status_at_risk: &'static str,
    pub status_not_met: &'static str,
    pub status_no_data: &'static str,
    pub evidence_intro: &'static str,
    pub back_to_scorecard: &'static str,
    pub nav_tasks: &'static str,
    pub nav_funding: &'static str,
    pub nav_governance: &'static str,
    pub tasks_heading: &'static str,
    pub all: &'static str,
    pub code: &'static str,
    pub title: &'static str,
    pub product: &'static str,
    pub task_group: &'static str,
    pub origin: &'static str,
    pub lead: &'static str,
    pub problem: &'static str,
    pub expected_product: &'static str,
    pub budget_ceiling: &'static str,
    pub deadline: &'static str,
    pub assigned_on: &'static str,
    pub accepted_on: &'static str,
    pub seven_clear_heading: &'static str,
    pub history_heading: &'static str,
    pub command: &'static str,
    pub by: &'static str,
    pub recorded_at: &'static str,
    pub milestones_and_deliverables: &'static str,
    pub milestone: &'static str,
    pub deliverable: &'static str,
    pub due_on: &'static str,
    pub done_on: &'static str,
    pub overdue: &'static str,
    pub participants_heading: &'static str,
    pub role: &'static str,
    pub budget_heading: &'static str,
    pub year: &'static str,
    pub source_of_funds: &'static str,
    pub amount: &'static str,
    pub disbursed: &'static str,
    pub reports_heading: &'static str,
    pub quarter: &'static str,
    pub progress: &'static str,
    pub return_reason: &'static str,
    pub proposals_heading: &'static str,
    pub rank: &'static str,
    pub score: &'static str,
    pub organisation: &'static str,
    pub funding_heading: &'static str,
    pub state_budget: &'static str,
    pub st_spending: &'static str,
    pub state_share: &'static str,
    pub over_ceiling: &'static str,
    pub within_ceiling: &'static str,
    pub ceiling: &'static str,
    pub total: &'static str,
    pub by_product: &'static str,
    pub governance_heading: &'static str,
    pub warnings_heading: &'static str,
    pub no_warnings: &'static str,
    pub people_in_charge: &'static str,
    pub person: &'static str,
    pub appointed_on: &'static str,
    pub decision_number: &'static str,
    pub task_force_heading: &'static str,
    pub position: &'static str,
    pub office: &'static str,
    pub documents: &'static str,
    pub issued_on: &'static str,
    pub warning_no_person_in_charge: &'static str,
    pub warning_no_head: &'static str,
    pub warning_funding: &'static str,
    pub warning_overdue_milestone: &'static str,
    pub warning_overdue_deliverable: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub effective_on: &'static str,
    pub rule_tracing: &'static str,
    pub rule_roll_up: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub second_factor: &'static str,
    pub totp_enrol_intro: &'static str,
    pub totp_code: &'static str,
    pub confirm: &'static str,
    pub form_expired: &'static str,
    pub nav_audit: &'static str,
    pub audit_heading: &'static str,
    pub action: &'static str,
    pub entity: &'static str,
    pub chain_intact: &'static str,
    pub chain_broken: &'static str,
}

pub const VI: Ui = Ui {
    lang: Lang::Vi,
    app_tagline: "Theo dõi, đánh giá Chương trình phát triển sản phẩm công nghệ chiến lược",
    switch_label: "English",
    switch_lang: "en",
    decision: "Quyết định",
    managed_by: "Cơ quan quản lý",
    period: "Giai đoạn",
    products_heading: "Sáu sản phẩm công nghệ chiến lược",
    starts_on: "Triển khai từ",
    task_groups_heading: "Sáu nhóm nhiệm vụ, giải pháp",
    criteria_heading: "Tiêu chí đánh giá và mục tiêu",
    criteria_intro: "Mọi số liệu đều được tính từ dữ liệu đã ghi nhận, theo bộ tiêu chí dưới đây.",
    per_product: "Đối với từng sản phẩm",
    programme_wide: "Đối với toàn Chương trình",
    criterion: "Tiêu chí",
    target: "Mục tiêu",
    source: "Nguồn",
    milestones_heading: "Mốc đánh giá",
    constraint_note: "giới hạn áp dụng cho từng năm",
    api_link: "API (OpenAPI)",
    not_loaded: "Chưa có dữ liệu tham chiếu.",
    nav_home: "Chương trình",
    nav_scorecard: "Bảng đánh giá",
    scorecard_heading: "Bảng đánh giá theo tiêu chí",
    as_of: "Tính đến ngày",
    show: "Xem",
    value: "Giá trị",
    status: "Tình trạng",
    projected: "Dự báo theo xu hướng",
    trend: "Xu hướng theo quý",
    numerator_records: "Bản ghi ở tử số",
    denominator_records: "Bản ghi ở mẫu số",
    weakest_model: "Mẫu sản phẩm thấp nhất",
    bom_rule: "Quy tắc định mức nguyên vật liệu",
    no_data: "chưa có dữ liệu",
    status_met: "Đạt",
    status_on_track: "Đúng tiến độ",
    status_at_risk: "Có nguy cơ",
    status_not_met: "Không đạt",
    status_no_data: "Chưa có dữ liệu",
    evidence_intro: "Số liệu được tính từ các bản ghi dưới đây.",
    back_to_scorecard: "Về bảng đánh giá",
    nav_tasks: "Nhiệm vụ",
    nav_funding: "Kinh phí",
    nav_governance: "Điều hành",
    tasks_heading: "Danh sách nhiệm vụ",
    all: "Tất cả",
    code: "Mã",
    title: "Tên",
    product: "Sản phẩm",
    task_group: "Nhóm nhiệm vụ",
    origin: "Hình thức",
    lead: "Chủ trì",
    problem: "Vấn đề đặt hàng",
    expected_product: "Sản phẩm dự kiến",
    budget_ceiling: "Trần kinh phí",
    deadline: "Thời hạn",
    assigned_on: "Ngày giao",
    accepted_on: "Ngày nghiệm thu",
    seven_clear_heading: "Bảy rõ",
    history_heading: "Lịch sử xử lý",
    command: "Thao tác",
    by: "Người thực hiện",
    recorded_at: "Ghi nhận lúc",
    milestones_and_deliverables: "Mốc tiến độ và sản phẩm giao nộp",
    milestone: "Mốc",
    deliverable: "Sản phẩm giao nộp",
    due_on: "Hạn",
    done_on: "Hoàn thành",
    overdue: "Quá hạn",
    participants_heading: "Tổ chức tham gia",
    role: "Vai trò",
    budget_heading: "Kinh phí theo nguồn",
    year: "Năm",
    source_of_funds: "Nguồn",
    amount: "Số tiền (đồng)",
    disbursed: "Đã giải ngân",
    reports_heading: "Báo cáo tiến độ quý",
    quarter: "Quý",
    progress: "Tiến độ",
    return_reason: "Lý do trả lại",
    proposals_heading: "Hồ sơ đề xuất và xếp hạng",
    rank: "Hạng",
    score: "Điểm",
    organisation: "Tổ chức",
    funding_heading: "Kinh phí Chương trình",
    state_budget: "Ngân sách nhà nước",
    st_spending: "Chi NSNN cho KH&CN",
    state_share: "Tỷ lệ",
    over_ceiling: "Vượt trần",
    within_ceiling: "Trong trần",
    ceiling: "Trần",
    total: "Tổng",
    by_product: "Theo sản phẩm",
    governance_heading: "Điều hành Chương trình",
    warnings_heading: "Cảnh báo",
    no_warnings: "Không có cảnh báo.",
    people_in_charge: "Tổng công trình sư, kiến trúc sư trưởng",
    person: "Người",
    appointed_on: "Ngày bổ nhiệm",
    decision_number: "Quyết định số",
    task_force_heading: "Tổ công tác triển khai Chương trình",
    position: "Chức vụ trong Tổ",
    office: "Chức vụ",
    documents: "Văn bản",
    issued_on: "Ngày ban hành",
    warning_no_person_in_charge: "Chưa có tổng công trình sư hoặc kiến trúc sư trưởng",
    warning_no_head: "Tổ công tác chưa có Tổ trưởng",
    warning_funding: "Ngân sách nhà nước của năm vượt trần",
    warning_overdue_milestone: "Mốc tiến độ quá hạn",
    warning_overdue_deliverable: "Sản phẩm giao nộp quá hạn",
    yes: "Có",
    no: "Chưa",
    effective_on: "Ngày hiệu lực",
    rule_tracing: "truy vết hàm lượng nhập khẩu qua mọi cấp",
    rule_roll_up: "cụm lắp ráp trong nước đạt ngưỡng được tính là trong nước",
    sign_in: "Đăng nhập",
    sign_out: "Đăng xuất",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    second_factor: "Xác thực hai lớp",
    totp_enrol_intro: "Nhập mã bí mật dưới đây vào ứng dụng xác thực (TOTP), rồi nhập mã 6 chữ số.",
    totp_code: "Mã 6 chữ số",
    confirm: "Xác nhận",
    form_expired: "Biểu mẫu đã hết hạn; hãy thử lại.",
    nav_audit: "Nhật ký",
    audit_heading: "Nhật ký thay đổi",
    action: "Thao tác",
    entity: "Bảng",
    chain_intact: "Chuỗi băm toàn vẹn",
    chain_broken: "Chuỗi băm bị phá vỡ tại bản ghi",
};

pub const EN: Ui = Ui {
    lang: Lang::En,
    app_tagline: "Monitoring and evaluation of the Programme for the development of strategic technology products",
    switch_label: "Tiếng Việt",
    switch_lang: "vi",
    decision: "Decision",
    managed_by: "Managed by",
    period: "Period",
    products_heading: "The six strategic technology products",
    starts_on: "Starts",
    task_groups_heading: "The six groups of tasks and solutions",
    criteria_heading: "Evaluation criteria and targets",
    criteria_intro: "Every figure is computed from recorded facts, against the criteria below.",
    per_product: "For each product",
    programme_wide: "For the programme as a whole",
    criterion: "Criterion",
    target: "Target",
    source: "Source",
    milestones_heading: "Milestones",
    constraint_note: "a limit for every year",
    api_link: "API (OpenAPI)",
    not_loaded: "No reference data yet.",
    nav_home: "Programme",
    nav_scorecard: "Scorecard",
    scorecard_heading: "Scorecard by criterion",
    as_of: "As of",
    show: "Show",
    value: "Value",
    status: "Status",
    projected: "Projected by the trend",
    trend: "Quarterly trend",
    numerator_records: "Records in the numerator",
    denominator_records: "Records in the denominator",
    weakest_model: "Weakest model",
    bom_rule: "Bill-of-materials rule",
    no_data: "no data",
    status_met: "Met",
    status_on_track: "On track",
    status_at_risk: "At risk",
    status_not_met: "Not met",
    status_no_data: "No data",
    evidence_intro: "The figure is computed from the records below.",
    back_to_scorecard: "Back to the scorecard",
    nav_tasks: "Tasks",
    nav_funding: "Funding",
    nav_governance: "Governance",
    tasks_heading: "Tasks",
    all: "All",
    code: "Code",
    title: "Title",
    product: "Product",
    task_group: "Task group",
    origin: "Origin",
    lead: "Lead",
    problem: "Problem ordered",
    expected_product: "Expected product",
    budget_ceiling: "Budget ceiling",
    deadline: "Deadline",
    assigned_on: "Assigned on",
    accepted_on: "Accepted on",
    seven_clear_heading: "The 7 clear",
    history_heading: "History",
    command: "Command",
    by: "By",
    recorded_at: "Recorded at",
    milestones_and_deliverables: "Milestones and deliverables",
    milestone: "Milestone",
    deliverable: "Deliverable",
    due_on: "Due",
    done_on: "Done",
    overdue: "Overdue",
    participants_heading: "Organisations",
    role: "Role",
    budget_heading: "Budget by source",
    year: "Year",
    source_of_funds: "Source",
    amount: "Amount (đồng)",
    disbursed: "Disbursed",
    reports_heading: "Quarterly progress reports",
    quarter: "Quarter",
    progress: "Progress",
    return_reason: "Reason returned",
    proposals_heading: "Proposals and ranking",
    rank: "Rank",
    score: "Score",
    organisation: "Organisation",
    funding_heading: "Programme funding",
    state_budget: "State budget",
    st_spending: "State S&T spending",
    state_share: "Share",
    over_ceiling: "Over the ceiling",
    within_ceiling: "Within the ceiling",
    ceiling: "Ceiling",
    total: "Total",
    by_product: "By product",
    governance_heading: "Running the programme",
    warnings_heading: "Warnings",
    no_warnings: "No warnings.",
    people_in_charge: "Chief engineers and architects",
    person: "Person",
    appointed_on: "Appointed on",
    decision_number: "Decision no.",
    task_force_heading: "Programme Implementation Task Force",
    position: "Position",
    office: "Office",
    documents: "Documents",
    issued_on: "Issued on",
    warning_no_person_in_charge: "No chief engineer or chief architect",
    warning_no_head: "The Task Force has no head",
    warning_funding: "The state budget for the year passes the ceiling",
    warning_overdue_milestone: "Overdue milestone",
    warning_overdue_deliverable: "Overdue deliverable",
    yes: "Yes",
    no: "No",
    effective_on: "Effective on",
    rule_tracing: "imported content traced through every level",
    rule_roll_up: "domestic sub-assemblies at the threshold count as domestic",
    sign_in: "Sign in",
    sign_out: "Sign out",
    username: "Username",
    password: "Password",
    second_factor: "Second factor",
    totp_enrol_intro: "Add the secret below to an authenticator app (TOTP), then enter its 6-digit code.",
    totp_code: "6-digit code",
    confirm: "Confirm",
    form_expired: "The form expired; please try again.",
    nav_audit: "Audit log",
    audit_heading: "Audit log",
    action: "Action",
    entity: "Table",
    chain_intact: "The hash chain is intact",
    chain_broken: "The hash chain breaks at entry",
};

impl Ui {
    pub fn status_label(&self, status: cncl_eval::status::Status) -> &'static str {
        use cncl_eval::status::Status;
        match status {
            Status::Met => self.status_met,
            Status::OnTrack => self.status_on_track,
            Status::AtRisk => self.status_at_risk,
            Status::NotMet => self.status_not_met,
            Status::NoData => self.status_no_data,
        }
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

/// The language of a request: `?lang=` if given, else the cookie, else Vietnamese.
pub fn request_lang(query_lang: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(lang) = query_lang.and_then(Lang::parse) {
        return lang;
    }
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
        .unwrap_or_default()
}

/// A whole number written the way the language writes it: 10.000 in Vietnamese, 10,000 in
/// English.
pub fn format_count(value: i64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A date as the language writes it: 31/12/2027 in Vietnamese, 31 Dec 2027 in English.
pub fn format_date(date: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Vi => date.format("%d/%m/%Y").to_string(),
        Lang::En => date.format("%-d %b %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_dates() {
        assert_eq!(format_count(10_000, Lang::Vi), "10.000");
        assert_eq!(format_count(10_000, Lang::En), "10,000");
        assert_eq!(format_count(999, Lang::En), "999");
        assert_eq!(format_count(1_234_567, Lang::Vi), "1.234.567");
        let d = chrono::NaiveDate::from_ymd_opt(2027, 12, 31).unwrap_or_default();
        assert_eq!(format_date(d, Lang::Vi), "31/12/2027");
        assert_eq!(format_date(d, Lang::En), "31 Dec 2027");
    }

    #[test]
    fn language_from_query_then_cookie_then_default() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_lang(None, &headers), Lang::Vi);
        headers.insert(
            axum::http::header::COOKIE,
            "a=b; cncl_lang=en".parse().unwrap_or(axum::http::HeaderValue::from_static("")),
        );
        assert_eq!(request_lang(None, &headers), Lang::En);
        assert_eq!(request_lang(Some("vi"), &headers), Lang::Vi);
        assert_eq!(request_lang(Some("xx"), &headers), Lang::En);
    }
}
