//! The demo's tasks, driven through the lifecycle's commands so that every state appears
//! for every product with its history: drafts, orders with competing proposals, assigned,
//! running (with progress reports, one returned), submitted, accepted, rejected and
//! cancelled tasks; their milestones, deliverables, budgets, disbursements and outputs.

use serde_json::{Value, json};
use uuid::Uuid;

use super::loader::{Loader, Orgs, date};
use crate::AppError;

/// Every lifecycle status appears for every product.
const TASK_STATUSES: [&str; 10] = [
    "draft",
    "ordered",
    "assigned",
    "in_progress",
    "in_progress",
    "submitted",
    "accepted",
    "accepted",
    "rejected",
    "cancelled",
];

impl Loader<'_> {
    async fn command(&mut self, task: Uuid, command: Value) -> Result<(), AppError> {
        let command = cncl_domain::parse_input_value(command)?;
        self.app.task_command(self.actor, task.into(), command).await?;
        Ok(())
    }
}

/// One product's people: its chief engineer, chief architect and two task leads.
pub(super) struct ProductPeople<'a> {
    pub people: &'a [Uuid],
    pub product: &'a str,
    pub stem: &'a str,
    pub p: usize,
}

pub(super) async fn tasks(l: &mut Loader<'_>, orgs: &Orgs, who: &ProductPeople<'_>) -> Result<(), AppError> {
    let dual_use_product = matches!(who.product, "amr" | "uav" | "5g" | "ai-camera");
    for (t, status) in TASK_STATUSES.iter().enumerate() {
        let drafted = *status == "draft";
        let id = draft(l, who, t, dual_use_product, drafted).await?;
        if !drafted {
            take_through_its_life(l, orgs, who, id, t, dual_use_product).await?;
        }
    }
    Ok(())
}

/// Task `t` of the product, as a draft.
async fn draft(
    l: &mut Loader<'_>,
    who: &ProductPeople<'_>,
    t: usize,
    dual_use_product: bool,
    drafted: bool,
) -> Result<Uuid, AppError> {
    use cncl_domain::task::Task;
    let (product, stem) = (who.product, who.stem);
    l.add::<Task>(json!({
            "code": format!("{}-{:02}", product.to_uppercase(), t + 1),
            "title": format!("{stem}: nhiệm vụ {} (mẫu)", t + 1),
            "product_code": product,
            "task_group_code": if t == 9 { "human-resources" } else if t == 1 { "innovation-market" } else { "research-development" },
            "origin": if drafted || t == 3 { "self_proposed" } else { "ordered" },
            "is_research": (2..=8).contains(&t),
            "dual_use": dual_use_product && (3..=7).contains(&t),
            "status": "draft",
            "lead_person_id": null, "problem": null, "deadline": null,
            "scope": format!("Nghiên cứu, phát triển {stem} giai đoạn {}", t + 1),
            "responsibility": (!drafted).then_some("Đơn vị chủ trì chịu trách nhiệm toàn bộ kết quả; đơn vị phối hợp theo hợp đồng"),
            "starts_on": date(2026, 1 + (t % 3) as u32, 1),
            "ends_on": (!drafted).then(|| date(2027 + (t % 3) as i32, 12, 31)),
            "approving_body": (!drafted).then_some("Bộ Khoa học và Công nghệ"),
            "delegated_authority": (!drafted).then_some("Điều chỉnh dự toán trong phạm vi 10 %"),
            "expected_product": null, "budget_ceiling_vnd": null, "assigned_on": null, "accepted_on": null,
        }))
        .await
}

/// Task `t`, drafted, taken as far through its lifecycle as the demo wants it: ordered,
/// planned, assigned, started, reported, submitted, accepted or rejected, or cancelled.
async fn take_through_its_life(
    l: &mut Loader<'_>,
    orgs: &Orgs,
    who: &ProductPeople<'_>,
    id: Uuid,
    t: usize,
    dual_use_product: bool,
) -> Result<(), AppError> {
    use cncl_domain::task::Task;
    let (stem, p) = (who.stem, who.p);
    if t != 3 {
        l.command(id, json!({"command": "order", "problem": format!("Làm chủ công nghệ {stem}"),
            "expected_product": format!("Sản phẩm {stem} đạt chỉ tiêu kỹ thuật"),
            "budget_ceiling_vnd": 80_000_000_000_i64 + 5_000_000_000 * t as i64, "deadline": date(2027 + (t % 3) as i32, 12, 31)}))
            .await?;
    }
    plan(l, orgs, id, p, t).await?;
    match t {
        1 => {
            proposals(l, orgs, id, who).await?;
            return Ok(());
        }
        9 => {
            l.command(id, json!({"command": "cancel", "on": date(2026, 2, 1), "reason": "Nội dung đã được bao gồm trong nhiệm vụ khác"})).await?;
            return Ok(());
        }
        _ => {}
    }
    l.command(
        id,
        json!({"command": "assign", "lead_organisation_id": orgs.makers[p * 6 + t % 6],
        "lead_person_id": who.people[2 + t % 2], "on": date(2025, 11, 10 + t as u32)}),
    )
    .await?;
    if t == 4 {
        // Since assignment the approving body was dropped from the record: the 7-clear
        // figure and the task's checklist have something to show.
        let mut task = l.app.get::<Task>(l.actor, id.into()).await?.record;
        task.approving_body = None;
        l.app.update(l.actor, id.into(), task).await?;
    }
    if t == 2 {
        return Ok(());
    }
    l.command(id, json!({"command": "start", "on": date(2026, 1, 5)})).await?;
    if (3..=8).contains(&t) {
        super::outputs::task_outputs(l, id, t, dual_use_product && (3..=7).contains(&t)).await?;
    }
    if t == 3 || t == 4 {
        reports(l, id, t).await?;
        return Ok(());
    }
    l.command(id, json!({"command": "submit", "on": date(2026, 5, 15)})).await?;
    match t {
        6 | 7 => {
            l.command(id, json!({"command": "accept", "on": date(2026, 6 + t as u32 % 3, 20), "accepting_body": "Hội đồng nghiệm thu cấp Bộ"}))
                .await?
        }
        8 => {
            l.command(id, json!({"command": "reject", "on": date(2026, 6, 25), "accepting_body": "Hội đồng nghiệm thu cấp Bộ",
                "reasons": "Sản phẩm chưa đạt chỉ tiêu độ chính xác"}))
                .await?
        }
        _ => {}
    }
    Ok(())
}

/// What makes a task's time, product, responsibility and resources clear: milestones, a
/// deliverable, partners and budget lines (with a disbursement).
async fn plan(l: &mut Loader<'_>, orgs: &Orgs, task: Uuid, p: usize, t: usize) -> Result<(), AppError> {
    use cncl_domain::governance::{Deliverable, Disbursement, TaskMilestone};
    use cncl_domain::task::{BudgetLine, TaskParticipant};
    // The first milestone of task 5 was never completed: it shows as overdue.
    let first_done = (t != 5).then(|| date(2026, 3, 20));
    l.add::<TaskMilestone>(json!({"task_id": task, "name": "Hoàn thành thiết kế chi tiết", "due_on": date(2026, 3, 31), "completed_on": first_done}))
        .await?;
    l.add::<TaskMilestone>(
        json!({"task_id": task, "name": "Mẫu thử nghiệm đầu tiên", "due_on": date(2026, 12, 31), "completed_on": null}),
    )
    .await?;
    l.add::<Deliverable>(json!({"task_id": task, "name": "Sản phẩm mẫu và hồ sơ kỹ thuật",
        "acceptance_criteria": "Đạt các chỉ tiêu kỹ thuật trong thuyết minh; thử nghiệm độc lập", "due_on": date(2027, 6, 30), "delivered_on": null}))
        .await?;
    let partner = orgs.institutes[(p * 2 + t) % orgs.institutes.len()];
    let supplier = orgs.suppliers[(p * 4 + t) % orgs.suppliers.len()];
    for (org, role) in [(partner, "participant"), (supplier, "supporting_supplier")] {
        l.add::<TaskParticipant>(json!({"task_id": task, "organisation_id": org, "role": role})).await?;
    }
    let base = 10_000_000_000_i64 + 1_000_000_000 * (t as i64);
    let mut first_line = None;
    for (year, source, amount) in [
        (2026, "central_state", base * 3),
        (2026, "enterprise", base),
        (2027, "central_state", base * 2),
        (2027, "local_state", base / 2),
        (2027, "private", base / 4),
    ] {
        let line =
            l.add::<BudgetLine>(json!({"task_id": task, "year": year, "source": source, "amount_vnd": amount})).await?;
        first_line.get_or_insert(line);
    }
    if let Some(line) = first_line {
        l.add::<Disbursement>(
            json!({"budget_line_id": line, "disbursed_on": date(2026, 4, 1), "amount_vnd": base * 3 / 5,
            "document": "Ủy nhiệm chi (mẫu)"}),
        )
        .await?;
    }
    Ok(())
}

/// Three organisations propose for the ordered task; two reviewers score them, and two
/// proposals tie.
async fn proposals(l: &mut Loader<'_>, orgs: &Orgs, task: Uuid, who: &ProductPeople<'_>) -> Result<(), AppError> {
    use cncl_domain::governance::{Proposal, ProposalReview};
    let scores = [[(8, 6, 7), (6, 8, 7)], [(7, 7, 7), (7, 7, 7)], [(5, 5, 5), (6, 6, 6)]];
    for (k, pair) in scores.iter().enumerate() {
        let proposal = l
            .add::<Proposal>(json!({"task_id": task, "organisation_id": orgs.makers[who.p * 6 + 1 + k],
                "lead_person_id": who.people[2 + k % 2], "title": format!("Đề xuất thực hiện số {} (mẫu)", k + 1),
                "summary": null, "submitted_on": date(2025, 12, 1 + k as u32), "status": "submitted"}))
            .await?;
        for (r, (a, b, c)) in pair.iter().enumerate() {
            l.add::<ProposalReview>(
                json!({"proposal_id": proposal, "reviewer_id": who.people[r], "national_problem": a,
                "commercialisation": b, "core_technology": c, "comment": null, "reviewed_on": date(2025, 12, 15)}),
            )
            .await?;
        }
    }
    Ok(())
}

/// Quarterly reports of a running task: the first quarter approved (task 4's sent five days
/// after its due date); the second returned for task 3 (with the reason) and awaiting review
/// for task 4. Neither sent one for the quarter it was assigned in, nor yet for the third.
async fn reports(l: &mut Loader<'_>, task: Uuid, t: usize) -> Result<(), AppError> {
    use cncl_domain::governance::ProgressReport;
    for quarter in [1, 2] {
        let id = l
            .add::<ProgressReport>(json!({"task_id": task, "year": 2026, "quarter": quarter, "progress_percent": 20 * quarter,
                "summary": format!("Tiến độ quý {quarter} (mẫu)"), "spent_central_state_vnd": 3_000_000_000_i64 * quarter,
                "spent_local_state_vnd": 0, "spent_enterprise_vnd": 1_000_000_000_i64 * quarter, "spent_private_vnd": 0,
                "spent_other_vnd": 0, "outputs": "Báo cáo kỹ thuật", "risks": if quarter == 2 { Some("Chậm nhập khẩu linh kiện") } else { None },
                "status": "draft", "submitted_on": null, "reviewed_on": null, "return_reason": null}))
            .await?;
        let end = date(2026, 3 * quarter as u32, if quarter == 1 { 31 } else { 30 });
        let sent = if (quarter, t) == (1, 4) { date(2026, 4, 20) } else { end };
        let submit = cncl_domain::parse_input_value(json!({"command": "submit", "on": sent}))?;
        l.app.report_command(l.actor, id.into(), submit).await?;
        let review = match (quarter, t) {
            (1, _) => Some(json!({"command": "approve", "on": date(2026, 4, 24)})),
            (_, 3) => Some(
                json!({"command": "return", "on": date(2026, 7, 10), "reason": "Thiếu chứng từ chi từ nguồn doanh nghiệp"}),
            ),
            _ => None,
        };
        if let Some(review) = review {
            l.app.report_command(l.actor, id.into(), cncl_domain::parse_input_value(review)?).await?;
        }
    }
    Ok(())
}
