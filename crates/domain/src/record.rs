//! What every recorded entity has in common: its kind, its cross-field rules, and how it is
//! read from JSON with errors that name the field.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{DomainError, Message, msg};

/// Declares every kind of record once: its variant, its Rust type, the plural name it has in
/// URLs (`/api/v1/budget-lines`), the singular English noun for messages, and what records of
/// the kind are called in Vietnamese and English. From that one list come `EntityKind`, its
/// `ALL` and names, and `with_record_type!`. (`$d` is a `$` handed in, so that the macro this
/// one writes can have variables of its own.)
macro_rules! record_kinds {
    ($d:tt $($variant:ident => $module:ident::$ty:ident, $resource:literal, $noun:literal, $vi:literal, $en:literal;)+) => {
        /// Every kind of record a user can create.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum EntityKind {
            $($variant,)+
        }

        impl EntityKind {
            /// How many kinds there are.
            pub const COUNT: usize = [$(EntityKind::$variant,)+].len();
            pub const ALL: [EntityKind; Self::COUNT] = [$(EntityKind::$variant,)+];

            /// The plural name used in URLs (`/api/v1/budget-lines`).
            pub fn resource(self) -> &'static str {
                match self { $(EntityKind::$variant => $resource,)+ }
            }

            /// The singular English noun, for messages ("task not found").
            pub fn noun(self) -> &'static str {
                match self { $(EntityKind::$variant => $noun,)+ }
            }

            /// One record of the kind, for a sentence: the English noun, or the Vietnamese
            /// heading begun in lower case ("tổ chức, doanh nghiệp").
            pub fn noun_in(self, lang: $crate::Lang) -> String {
                match lang {
                    $crate::Lang::En => self.noun().to_owned(),
                    $crate::Lang::Vi => {
                        let label = self.label(lang);
                        let mut chars = label.chars();
                        chars.next().map_or_else(String::new, |first| first.to_lowercase().chain(chars).collect())
                    }
                }
            }

            /// What records of the kind are called, in Vietnamese or English, for headings.
            pub fn label(self, lang: $crate::Lang) -> &'static str {
                match self { $(EntityKind::$variant => lang.pick($vi, $en),)+ }
            }

            /// The kind's position in [`EntityKind::ALL`]: an index for tables built in that order.
            pub const fn index(self) -> usize {
                self as usize
            }
        }

        /// Run `$body` with `$t` standing for the record type of `$kind`, for code that handles
        /// every kind alike (routes, forms, import, tests).
        #[macro_export]
        macro_rules! with_record_type {
            ($d kind:expr, $d t:ident => $d body:expr) => {
                match $d kind {
                    $($d crate::EntityKind::$variant => {
                        type $d t = $d crate::$module::$ty;
                        $d body
                    })+
                }
            };
        }
    };
}

record_kinds! { $
    Organisation => organisation::Organisation, "organisations", "organisation", "Tổ chức, doanh nghiệp", "Organisations";
    Certification => organisation::Certification, "certifications", "certification", "Chứng nhận", "Certifications";
    Person => organisation::Person, "people", "person", "Cá nhân", "People";
    Task => task::Task, "tasks", "task", "Nhiệm vụ", "Tasks";
    TaskParticipant => task::TaskParticipant, "task-participants", "task participant", "Tổ chức tham gia nhiệm vụ", "Task participants";
    BudgetLine => task::BudgetLine, "budget-lines", "budget line", "Dòng kinh phí", "Budget lines";
    StateStSpending => task::StateStSpending, "state-st-spending", "state S&T spending figure", "Chi ngân sách nhà nước cho KH&CN", "State S&T spending";
    CoreTechnology => technology::CoreTechnology, "core-technologies", "core technology", "Công nghệ lõi", "Core technologies";
    TechnologyAssessment => technology::TechnologyAssessment, "technology-assessments", "technology assessment", "Đánh giá mức làm chủ công nghệ", "Technology assessments";
    Publication => output::Publication, "publications", "publication", "Công bố khoa học", "Publications";
    IpApplication => output::IpApplication, "ip-applications", "IP application", "Đơn sở hữu trí tuệ", "IP applications";
    ResearchOutcome => output::ResearchOutcome, "research-outcomes", "research outcome", "Kết quả nghiên cứu", "Research outcomes";
    DualUseDemonstration => output::DualUseDemonstration, "dual-use-demonstrations", "dual-use demonstration", "Trình diễn lưỡng dụng", "Dual-use demonstrations";
    ProductModel => market::ProductModel, "product-models", "product model", "Mẫu sản phẩm", "Product models";
    BomLine => market::BomLine, "bom-lines", "bill-of-materials line", "Định mức linh kiện (BOM)", "Bill-of-materials lines";
    CostLine => market::CostLine, "cost-lines", "production cost line", "Chi phí sản xuất", "Production cost lines";
    ModelSales => market::ModelSales, "model-sales", "yearly sales figure", "Doanh số theo năm", "Yearly sales";
    MarketSize => market::MarketSize, "market-sizes", "domestic market size", "Quy mô thị trường trong nước", "Domestic market sizes";
    TrainingRecord => capacity::TrainingRecord, "training-records", "training record", "Đào tạo", "Training records";
    Laboratory => capacity::Laboratory, "laboratories", "laboratory", "Phòng thí nghiệm", "Laboratories";
    StrategicIndustry => capacity::StrategicIndustry, "strategic-industries", "strategic industry", "Ngành công nghiệp chiến lược", "Strategic industries";
    TaskMilestone => governance::TaskMilestone, "milestones", "milestone", "Mốc tiến độ", "Milestones";
    Deliverable => governance::Deliverable, "deliverables", "deliverable", "Sản phẩm bàn giao", "Deliverables";
    ProgressReport => governance::ProgressReport, "progress-reports", "progress report", "Báo cáo tiến độ quý", "Quarterly progress reports";
    Appointment => governance::Appointment, "appointments", "appointment", "Tổng công trình sư, kiến trúc sư trưởng", "Chief engineers and architects";
    TaskForceDocument => governance::TaskForceDocument, "task-force-documents", "Task Force document", "Văn bản của Tổ công tác", "Task Force documents";
    TaskForceMember => governance::TaskForceMember, "task-force-members", "Task Force member", "Thành viên Tổ công tác", "Task Force members";
    Disbursement => governance::Disbursement, "disbursements", "disbursement", "Giải ngân", "Disbursements";
    Proposal => governance::Proposal, "proposals", "proposal", "Hồ sơ đề xuất", "Proposals";
    ProposalReview => governance::ProposalReview, "proposal-reviews", "proposal review", "Đánh giá hồ sơ đề xuất", "Proposal reviews";
    DomesticOffer => market::DomesticOffer, "domestic-offers", "domestic offer", "Chào hàng sản xuất trong nước", "Domestic offers";
    Commentary => governance::Commentary, "commentaries", "commentary", "Đánh giá quý của sản phẩm", "Quarterly commentaries";
}

impl EntityKind {
    pub fn from_resource(resource: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.resource() == resource)
    }
}

/// A record a user can create and change. Field rules live in the value types; rules that
/// relate two fields of one record live in `check`. Rules that need other records (does the
/// task exist?) belong to the application layer.
pub trait Record: Serialize + DeserializeOwned + ToSchema + Clone + std::fmt::Debug + Send + Sync + 'static {
    const KIND: EntityKind;

    /// The id of a record of this kind (`TaskId`, `PersonId`…).
    type Id: crate::ids::RecordId;

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
#[serde(bound(serialize = "T: Record", deserialize = "T: Record"))]
pub struct Stored<T: Record> {
    pub id: T::Id,
    #[serde(flatten)]
    pub record: T,
}

/// A stored record's schema: the record's own (closed, as the record is) with its `id`.
impl<T: Record> utoipa::PartialSchema for Stored<T> {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{Object, Schema, Type};
        use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
        let id = Object::builder().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)));
        match T::schema() {
            RefOr::T(Schema::Object(mut object)) => {
                object.properties.insert("id".into(), RefOr::T(Schema::Object(id.build())));
                object.required.insert(0, "id".into());
                RefOr::T(Schema::Object(object))
            }
            other => other,
        }
    }
}

impl<T: Record> ToSchema for Stored<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Owned(format!("{}Stored", T::name()))
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        T::schemas(schemas);
    }
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
    InputError::Invalid(DomainError::new(field, serde_message(&message)))
}

/// What serde said, in both languages: a value's own `ValueError` as it was written, or one
/// of serde's few sentences put into Vietnamese.
pub fn serde_message(message: &str) -> Message {
    if let Some(carried) = Message::from_serde(message) {
        return carried;
    }
    let after = |prefix: &str| message.strip_prefix(prefix).map(str::to_owned);
    let vi = if message.starts_with("missing field") {
        "bắt buộc, chưa có giá trị".to_owned()
    } else if let Some(rest) = after("unknown field ") {
        format!("trường không có trong loại hồ sơ này: {}", rest.replace("expected one of", "các trường là"))
    } else if let Some(rest) = after("unknown variant ") {
        format!("giá trị không thuộc danh sách: {}", rest.replace("expected one of", "cần một trong"))
    } else if let Some(rest) = after("invalid type: ") {
        format!("sai kiểu dữ liệu: {}", rest.replace("expected", "cần"))
    } else if let Some(rest) = after("invalid value: ") {
        format!("giá trị không hợp lệ: {}", rest.replace("expected", "cần"))
    } else if let Some(rest) = after("invalid length ") {
        format!("độ dài không hợp lệ: {}", rest.replace("expected", "cần"))
    } else {
        format!("giá trị không hợp lệ ({message})")
    };
    Message::new(vi, message)
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
        (Some(a), Some(b)) if b < a => Err(DomainError::new(
            later_field,
            msg(format!("không được trước {earlier_field}"), format!("must not be before {earlier_field}")),
        )),
        _ => Ok(()),
    }
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

    fn message_of(json: &str) -> Message {
        match parse_json::<BudgetLine>(json.as_bytes()) {
            Err(InputError::Invalid(e)) => e.message,
            other => panic!("not refused by field: {other:?}"),
        }
    }

    #[test]
    fn errors_say_why_in_both_languages() {
        // A value's own rule, carried through serde whole.
        let negative = message_of(&LINE.replace("5}", "-5}"));
        assert_eq!(negative.en, "must be a whole number of đồng, zero or more (got -5)");
        assert_eq!(negative.vi, "phải là số đồng nguyên, từ 0 trở lên (đã nhập -5)");
        // serde's own sentences, put into Vietnamese.
        assert_eq!(message_of(&LINE.replace(r#","year":2026"#, "")).vi, "bắt buộc, chưa có giá trị");
        let unknown = message_of(&LINE.replace("enterprise", "lottery"));
        assert!(unknown.en.starts_with("unknown variant `lottery`"), "{unknown:?}");
        assert!(unknown.vi.starts_with("giá trị không thuộc danh sách: `lottery`, cần một trong"), "{unknown:?}");
        let typed = message_of(&LINE.replace("2026", "\"2026\""));
        assert!(typed.vi.starts_with("sai kiểu dữ liệu: "), "{typed:?}");
    }
}
