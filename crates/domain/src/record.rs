//! What every recorded entity has in common: its kind, its cross-field rules, and how it is
//! read from JSON with errors that name the field.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::DomainError;

/// Every kind of record a user can create, with the name it has in URLs and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Organisation,
    Certification,
    Person,
    Task,
    TaskParticipant,
    BudgetLine,
    StateStSpending,
    CoreTechnology,
    TechnologyAssessment,
    Publication,
    IpApplication,
    ResearchOutcome,
    DualUseDemonstration,
    ProductModel,
    BomLine,
    CostLine,
    ModelSales,
    MarketSize,
    TrainingRecord,
    Laboratory,
    StrategicIndustry,
    TaskMilestone,
    Deliverable,
    ProgressReport,
    Appointment,
    TaskForceDocument,
    TaskForceMember,
    Disbursement,
    Proposal,
    ProposalReview,
}

impl EntityKind {
    pub const ALL: [EntityKind; 30] = [
        Self::Organisation,
        Self::Certification,
        Self::Person,
        Self::Task,
        Self::TaskParticipant,
        Self::BudgetLine,
        Self::StateStSpending,
        Self::CoreTechnology,
        Self::TechnologyAssessment,
        Self::Publication,
        Self::IpApplication,
        Self::ResearchOutcome,
        Self::DualUseDemonstration,
        Self::ProductModel,
        Self::BomLine,
        Self::CostLine,
        Self::ModelSales,
        Self::MarketSize,
        Self::TrainingRecord,
        Self::Laboratory,
        Self::StrategicIndustry,
        Self::TaskMilestone,
        Self::Deliverable,
        Self::ProgressReport,
        Self::Appointment,
        Self::TaskForceDocument,
        Self::TaskForceMember,
        Self::Disbursement,
        Self::Proposal,
        Self::ProposalReview,
    ];

    /// The plural name used in URLs (`/api/v1/budget-lines`).
    pub fn resource(self) -> &'static str {
        match self {
            Self::Organisation => "organisations",
            Self::Certification => "certifications",
            Self::Person => "people",
            Self::Task => "tasks",
            Self::TaskParticipant => "task-participants",
            Self::BudgetLine => "budget-lines",
            Self::StateStSpending => "state-st-spending",
            Self::CoreTechnology => "core-technologies",
            Self::TechnologyAssessment => "technology-assessments",
            Self::Publication => "publications",
            Self::IpApplication => "ip-applications",
            Self::ResearchOutcome => "research-outcomes",
            Self::DualUseDemonstration => "dual-use-demonstrations",
            Self::ProductModel => "product-models",
            Self::BomLine => "bom-lines",
            Self::CostLine => "cost-lines",
            Self::ModelSales => "model-sales",
            Self::MarketSize => "market-sizes",
            Self::TrainingRecord => "training-records",
            Self::Laboratory => "laboratories",
            Self::StrategicIndustry => "strategic-industries",
            Self::TaskMilestone => "milestones",
            Self::Deliverable => "deliverables",
            Self::ProgressReport => "progress-reports",
            Self::Appointment => "appointments",
            Self::TaskForceDocument => "task-force-documents",
            Self::TaskForceMember => "task-force-members",
            Self::Disbursement => "disbursements",
            Self::Proposal => "proposals",
            Self::ProposalReview => "proposal-reviews",
        }
    }

    /// The singular English noun, for messages ("task not found").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Organisation => "organisation",
            Self::Certification => "certification",
            Self::Person => "person",
            Self::Task => "task",
            Self::TaskParticipant => "task participant",
            Self::BudgetLine => "budget line",
            Self::StateStSpending => "state S&T spending figure",
            Self::CoreTechnology => "core technology",
            Self::TechnologyAssessment => "technology assessment",
            Self::Publication => "publication",
            Self::IpApplication => "IP application",
            Self::ResearchOutcome => "research outcome",
            Self::DualUseDemonstration => "dual-use demonstration",
            Self::ProductModel => "product model",
            Self::BomLine => "bill-of-materials line",
            Self::CostLine => "production cost line",
            Self::ModelSales => "yearly sales figure",
            Self::MarketSize => "domestic market size",
            Self::TrainingRecord => "training record",
            Self::Laboratory => "laboratory",
            Self::StrategicIndustry => "strategic industry",
            Self::TaskMilestone => "milestone",
            Self::Deliverable => "deliverable",
            Self::ProgressReport => "progress report",
            Self::Appointment => "appointment",
            Self::TaskForceDocument => "Task Force document",
            Self::TaskForceMember => "Task Force member",
            Self::Disbursement => "disbursement",
            Self::Proposal => "proposal",
            Self::ProposalReview => "proposal review",
        }
    }

    /// What records of the kind are called, in Vietnamese or English, for headings.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        let (vi, en) = match self {
            Self::Organisation => ("Tổ chức, doanh nghiệp", "Organisations"),
            Self::Certification => ("Chứng nhận", "Certifications"),
            Self::Person => ("Cá nhân", "People"),
            Self::Task => ("Nhiệm vụ", "Tasks"),
            Self::TaskParticipant => ("Tổ chức tham gia nhiệm vụ", "Task participants"),
            Self::BudgetLine => ("Dòng kinh phí", "Budget lines"),
            Self::StateStSpending => ("Chi ngân sách nhà nước cho KH&CN", "State S&T spending"),
            Self::CoreTechnology => ("Công nghệ lõi", "Core technologies"),
            Self::TechnologyAssessment => ("Đánh giá mức làm chủ công nghệ", "Technology assessments"),
            Self::Publication => ("Công bố khoa học", "Publications"),
            Self::IpApplication => ("Đơn sở hữu trí tuệ", "IP applications"),
            Self::ResearchOutcome => ("Kết quả nghiên cứu", "Research outcomes"),
            Self::DualUseDemonstration => ("Trình diễn lưỡng dụng", "Dual-use demonstrations"),
            Self::ProductModel => ("Mẫu sản phẩm", "Product models"),
            Self::BomLine => ("Định mức linh kiện (BOM)", "Bill-of-materials lines"),
            Self::CostLine => ("Chi phí sản xuất", "Production cost lines"),
            Self::ModelSales => ("Doanh số theo năm", "Yearly sales"),
            Self::MarketSize => ("Quy mô thị trường trong nước", "Domestic market sizes"),
            Self::TrainingRecord => ("Đào tạo", "Training records"),
            Self::Laboratory => ("Phòng thí nghiệm", "Laboratories"),
            Self::StrategicIndustry => ("Ngành công nghiệp chiến lược", "Strategic industries"),
            Self::TaskMilestone => ("Mốc tiến độ", "Milestones"),
            Self::Deliverable => ("Sản phẩm bàn giao", "Deliverables"),
            Self::ProgressReport => ("Báo cáo tiến độ quý", "Quarterly progress reports"),
            Self::Appointment => ("Tổng công trình sư, kiến trúc sư trưởng", "Chief engineers and architects"),
            Self::TaskForceDocument => ("Văn bản của Ban Chỉ đạo", "Task Force documents"),
            Self::TaskForceMember => ("Thành viên Ban Chỉ đạo", "Task Force members"),
            Self::Disbursement => ("Giải ngân", "Disbursements"),
            Self::Proposal => ("Hồ sơ đề xuất", "Proposals"),
            Self::ProposalReview => ("Đánh giá hồ sơ đề xuất", "Proposal reviews"),
        };
        lang.pick(vi, en)
    }

    pub fn from_resource(resource: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.resource() == resource)
    }
}

/// A record a user can create and change. Field rules live in the value types; rules that
/// relate two fields of one record live in `check`. Rules that need other records (does the
/// task exist?) belong to the application layer.
pub trait Record: Serialize + DeserializeOwned + ToSchema + Clone + std::fmt::Debug + Send + Sync + 'static {
    const KIND: EntityKind;

    /// Cross-field rules, such as an end date not before its start date.
    fn check(&self) -> Result<(), DomainError> {
        Ok(())
    }

    /// Fields that only the kind's commands change, each with the value a new record holds
    /// (`None` for null). Forms show them and never send them; the rules that enforce this
    /// are the application's (`cncl_app::rules`).
    const COMMAND_FIELDS: &'static [(&'static str, Option<&'static str>)] = &[];
}

/// A record together with the id the store gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored<T> {
    pub id: Uuid,
    #[serde(flatten)]
    pub record: T,
}

/// Why JSON input was refused: it was not JSON at all, or a field was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("malformed JSON: {0}")]
    Syntax(String),
    #[error(transparent)]
    Invalid(#[from] DomainError),
}

/// Read a record from JSON, apply its field and cross-field rules, and name the field that
/// failed.
pub fn parse_json<T: Record>(bytes: &[u8]) -> Result<T, InputError> {
    let record: T = parse_input(bytes)?;
    record.check()?;
    Ok(record)
}

/// Read any input (a command, say) from JSON, naming the field that failed.
pub fn parse_input<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(classify)?;
    de.end().map_err(|e| InputError::Syntax(e.to_string()))?;
    Ok(value)
}

/// Like `parse_json`, from an already parsed JSON value (an import row, a form).
pub fn parse_value<T: Record>(value: serde_json::Value) -> Result<T, InputError> {
    let record: T = parse_input_value(value)?;
    record.check()?;
    Ok(record)
}

/// Like `parse_input`, from an already parsed JSON value.
pub fn parse_input_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, InputError> {
    serde_path_to_error::deserialize(value).map_err(classify)
}

fn classify(error: serde_path_to_error::Error<serde_json::Error>) -> InputError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    if !matches!(inner.classify(), serde_json::error::Category::Data) {
        return InputError::Syntax(inner.to_string());
    }
    let message = strip_position(&inner.to_string());
    // The name of a missing or unknown field is the first `quoted` word of the message.
    let named = (message.starts_with("missing field") || message.starts_with("unknown field"))
        .then(|| message.split('`').nth(1).map(str::to_owned))
        .flatten();
    // serde_path_to_error already ends the path with an unknown field's name, but not with
    // a missing one's.
    let field = match (named, path.as_str()) {
        (Some(name), "." | "") => name,
        (Some(name), path) if path == name || path.ends_with(&format!(".{name}")) => path.to_owned(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, ".") => String::new(),
        (None, path) => path.to_owned(),
    };
    InputError::Invalid(DomainError::new(field, message))
}

/// serde_json appends " at line 1 column 42"; the field name says more to a user.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Fails with a message naming `later` when it is before `earlier`.
pub fn not_before<T: PartialOrd>(
    earlier: Option<T>,
    earlier_field: &str,
    later: Option<T>,
    later_field: &str,
) -> Result<(), DomainError> {
    match (earlier, later) {
        (Some(a), Some(b)) if b < a => {
            Err(DomainError::new(later_field, format!("must not be before {earlier_field}")))
        }
        _ => Ok(()),
    }
}

/// Run `$body` with `$t` standing for the record type of `$kind`: the one place that maps
/// each kind to its type, for code that handles every kind alike (routes, import, tests).
#[macro_export]
macro_rules! with_record_type {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            $crate::EntityKind::Organisation => {
                type $t = $crate::organisation::Organisation;
                $body
            }
            $crate::EntityKind::Certification => {
                type $t = $crate::organisation::Certification;
                $body
            }
            $crate::EntityKind::Person => {
                type $t = $crate::organisation::Person;
                $body
            }
            $crate::EntityKind::Task => {
                type $t = $crate::task::Task;
                $body
            }
            $crate::EntityKind::TaskParticipant => {
                type $t = $crate::task::TaskParticipant;
                $body
            }
            $crate::EntityKind::BudgetLine => {
                type $t = $crate::task::BudgetLine;
                $body
            }
            $crate::EntityKind::StateStSpending => {
                type $t = $crate::task::StateStSpending;
                $body
            }
            $crate::EntityKind::CoreTechnology => {
                type $t = $crate::technology::CoreTechnology;
                $body
            }
            $crate::EntityKind::TechnologyAssessment => {
                type $t = $crate::technology::TechnologyAssessment;
                $body
            }
            $crate::EntityKind::Publication => {
                type $t = $crate::output::Publication;
                $body
            }
            $crate::EntityKind::IpApplication => {
                type $t = $crate::output::IpApplication;
                $body
            }
            $crate::EntityKind::ResearchOutcome => {
                type $t = $crate::output::ResearchOutcome;
                $body
            }
            $crate::EntityKind::DualUseDemonstration => {
                type $t = $crate::output::DualUseDemonstration;
                $body
            }
            $crate::EntityKind::ProductModel => {
                type $t = $crate::market::ProductModel;
                $body
            }
            $crate::EntityKind::BomLine => {
                type $t = $crate::market::BomLine;
                $body
            }
            $crate::EntityKind::CostLine => {
                type $t = $crate::market::CostLine;
                $body
            }
            $crate::EntityKind::ModelSales => {
                type $t = $crate::market::ModelSales;
                $body
            }
            $crate::EntityKind::MarketSize => {
                type $t = $crate::market::MarketSize;
                $body
            }
            $crate::EntityKind::TrainingRecord => {
                type $t = $crate::capacity::TrainingRecord;
                $body
            }
            $crate::EntityKind::Laboratory => {
                type $t = $crate::capacity::Laboratory;
                $body
            }
            $crate::EntityKind::StrategicIndustry => {
                type $t = $crate::capacity::StrategicIndustry;
                $body
            }
            $crate::EntityKind::TaskMilestone => {
                type $t = $crate::governance::TaskMilestone;
                $body
            }
            $crate::EntityKind::Deliverable => {
                type $t = $crate::governance::Deliverable;
                $body
            }
            $crate::EntityKind::ProgressReport => {
                type $t = $crate::governance::ProgressReport;
                $body
            }
            $crate::EntityKind::Appointment => {
                type $t = $crate::governance::Appointment;
                $body
            }
            $crate::EntityKind::TaskForceDocument => {
                type $t = $crate::governance::TaskForceDocument;
                $body
            }
            $crate::EntityKind::TaskForceMember => {
                type $t = $crate::governance::TaskForceMember;
                $body
            }
            $crate::EntityKind::Disbursement => {
                type $t = $crate::governance::Disbursement;
                $body
            }
            $crate::EntityKind::Proposal => {
                type $t = $crate::governance::Proposal;
                $body
            }
            $crate::EntityKind::ProposalReview => {
                type $t = $crate::governance::ProposalReview;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::BudgetLine;

    fn field_of(json: &str) -> Option<String> {
        match parse_json::<BudgetLine>(json.as_bytes()) {
            Err(InputError::Invalid(e)) => Some(e.field),
            _ => None,
        }
    }

    const LINE: &str =
        r#"{"task_id":"01a2100a-a6aa-7192-86ab-84c98e8bbeb2","year":2026,"source":"enterprise","amount_vnd":5}"#;

    #[test]
    fn errors_name_the_field() {
        assert!(parse_json::<BudgetLine>(LINE.as_bytes()).is_ok());
        assert_eq!(field_of(&LINE.replace("5}", "-5}")).as_deref(), Some("amount_vnd"));
        assert_eq!(field_of(&LINE.replace("2026", "1800")).as_deref(), Some("year"));
        assert_eq!(field_of(&LINE.replace("enterprise", "lottery")).as_deref(), Some("source"));
        assert_eq!(field_of(&LINE.replace(r#","year":2026"#, "")).as_deref(), Some("year"));
        assert_eq!(field_of(&LINE.replace("}", r#","colour":1}"#)).as_deref(), Some("colour"));
        assert!(matches!(parse_json::<BudgetLine>(b"{"), Err(InputError::Syntax(_))));
        assert!(matches!(parse_json::<BudgetLine>(format!("{LINE} x").as_bytes()), Err(InputError::Syntax(_))));
    }
}
