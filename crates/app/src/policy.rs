//! Who may do what: the one place access is decided. Every use-case asks this module before
//! it reads or writes; organisation and product scoping are then applied inside the store's
//! queries (a reporter's list is filtered by its organisation in SQL; a read by id that falls
//! outside the reach finds nothing), never by filtering results afterwards.

use chrono::{DateTime, Utc};
use cncl_domain::EntityKind;
use cncl_domain::governance::ReportCommandName;
use cncl_domain::lifecycle::{TaskCommand, TaskCommandName};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::AppError;

/// The roles of PRODUCT.md's users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The programme office: everything.
    Admin,
    /// Reads everything; approves the acceptance of tasks.
    TaskForce,
    /// Reads everything; owns the core technologies and assessments of its products.
    ChiefEngineer,
    /// Reports for one organisation and sees only its data (and the programme's shared data).
    Reporter,
    /// Reads everything.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::TaskForce, Role::ChiefEngineer, Role::Reporter, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TaskForce => "task_force",
            Role::ChiefEngineer => "chief_engineer",
            Role::Reporter => "reporter",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// What the role is called on the pages.
    pub fn label(self, lang: cncl_domain::Lang) -> &'static str {
        match self {
            Role::Admin => lang.pick("Văn phòng Chương trình (quản trị)", "Programme office (administrator)"),
            Role::TaskForce => lang.pick("Tổ công tác", "Task Force"),
            Role::ChiefEngineer => lang.pick("Tổng công trình sư", "Chief engineer"),
            Role::Reporter => lang.pick("Đơn vị báo cáo", "Reporting organisation"),
            Role::Viewer => lang.pick("Chỉ xem", "Viewer"),
        }
    }
}

/// Who is asking, as the use-cases see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The name written to the audit log.
    pub name: String,
    pub account: Option<Uuid>,
    /// `None` for an anonymous visitor.
    pub role: Option<Role>,
    /// A reporter's organisation.
    pub organisation: Option<Uuid>,
    /// A chief engineer's products.
    pub products: Vec<String>,
    /// Acting by an API token rather than a signed-in account or the command line.
    pub by_token: bool,
}

impl Actor {
    /// The command line and cncl itself (reference data, demo): full rights on the database
    /// they were given.
    pub fn system(name: &str) -> Actor {
        Actor {
            name: name.to_owned(),
            account: None,
            role: Some(Role::Admin),
            organisation: None,
            products: Vec::new(),
            by_token: false,
        }
    }

    pub fn anonymous() -> Actor {
        Actor {
            name: "anonymous".into(),
            account: None,
            role: None,
            organisation: None,
            products: Vec::new(),
            by_token: false,
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.role.is_none()
    }

    fn role(&self) -> Result<Role, AppError> {
        self.role.ok_or(AppError::Unauthenticated)
    }
}

/// How far an actor reaches into one kind of record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    All,
    /// Only records belonging to this organisation (the store's organisation filter).
    Organisation(Uuid),
    /// Only records of these products (the store's product filter).
    Products(Vec<String>),
}

fn forbidden(vi: &str, en: &str) -> AppError {
    AppError::Forbidden(cncl_domain::msg(vi, en))
}

/// Kinds a reporter records for its own organisation.
const REPORTER_WRITES: [EntityKind; 15] = [
    EntityKind::Organisation,
    EntityKind::Certification,
    EntityKind::Person,
    EntityKind::Publication,
    EntityKind::IpApplication,
    EntityKind::ResearchOutcome,
    EntityKind::DualUseDemonstration,
    EntityKind::ProductModel,
    EntityKind::BomLine,
    EntityKind::CostLine,
    EntityKind::ModelSales,
    EntityKind::TrainingRecord,
    EntityKind::ProgressReport,
    EntityKind::Proposal,
    EntityKind::DomesticOffer,
];

/// The sheets of an organisation's reporting workbook, in the order their records refer to
/// each other (people before the publications that name them, a model before its bill, cost
/// lines and sales): what an organisation reports on its own (PRODUCT.md, journey 2).
pub const REPORTING_WORKBOOK: [EntityKind; 11] = [
    EntityKind::Person,
    EntityKind::Certification,
    EntityKind::ProductModel,
    EntityKind::BomLine,
    EntityKind::CostLine,
    EntityKind::ModelSales,
    EntityKind::TrainingRecord,
    EntityKind::Publication,
    EntityKind::IpApplication,
    EntityKind::ResearchOutcome,
    EntityKind::DualUseDemonstration,
];

/// Kinds a chief engineer keeps for its products.
const CHIEF_ENGINEER_WRITES: [EntityKind; 3] =
    [EntityKind::CoreTechnology, EntityKind::TechnologyAssessment, EntityKind::Commentary];

/// Whether records of `kind` belong to organisations (and so are scoped for reporters).
pub fn organisation_owned(kind: EntityKind) -> bool {
    cncl_store::tables::table(kind).filters.organisation.is_some()
}

fn reporter_organisation(actor: &Actor) -> Result<Uuid, AppError> {
    actor.organisation.ok_or_else(|| {
        forbidden("tài khoản báo cáo này chưa gắn với tổ chức nào", "this reporter account has no organisation")
    })
}

/// How far `actor` may read records of `kind`.
pub fn read(actor: &Actor, kind: EntityKind) -> Result<Reach, AppError> {
    match actor.role()? {
        Role::Reporter if organisation_owned(kind) => Ok(Reach::Organisation(reporter_organisation(actor)?)),
        _ => Ok(Reach::All),
    }
}

/// How far a record of kind `from` that `actor` writes may refer to records of kind `to`:
/// what the actor may read, so that a reference outside it is answered exactly like one to
/// nothing ("no such record"), never confirming that it exists. Two references reach
/// further: any organisation (the register of enterprises and institutes is public; a bill
/// of materials names its suppliers), and, from a proposal, any task (an ordered task is an
/// open call; seed 003).
pub fn reference_reach(actor: &Actor, from: EntityKind, to: EntityKind) -> Result<Reach, AppError> {
    match (from, to) {
        (_, EntityKind::Organisation) | (EntityKind::Proposal, EntityKind::Task) => Ok(Reach::All),
        _ => read(actor, to),
    }
}

/// How far `actor` may create or change records of `kind`.
pub fn write(actor: &Actor, kind: EntityKind) -> Result<Reach, AppError> {
    match actor.role()? {
        Role::Admin => Ok(Reach::All),
        Role::Reporter if REPORTER_WRITES.contains(&kind) => Ok(Reach::Organisation(reporter_organisation(actor)?)),
        Role::ChiefEngineer if CHIEF_ENGINEER_WRITES.contains(&kind) => Ok(Reach::Products(actor.products.clone())),
        _ => Err(forbidden(
            "tài khoản này không được thay đổi các bản ghi này",
            "this account may not change these records",
        )),
    }
}

/// Whether `actor` may give a task this command (the task's reach is then checked like a
/// write: a reporter's organisation must lead it, a chief engineer's product must be its).
pub fn task_command(actor: &Actor, command: &TaskCommand) -> Result<Reach, AppError> {
    task_command_named(actor, command.name())
}

/// [`task_command`] by the command's name, for offering only the commands one may give.
pub fn task_command_named(actor: &Actor, command: TaskCommandName) -> Result<Reach, AppError> {
    use TaskCommandName::{Accept, Reject, Start, Submit};
    let role = actor.role()?;
    match (role, command) {
        (Role::Admin, _) => Ok(Reach::All),
        (Role::TaskForce, Accept | Reject) => Ok(Reach::All),
        (Role::Reporter, Start | Submit) => Ok(Reach::Organisation(reporter_organisation(actor)?)),
        (Role::ChiefEngineer, Start | Submit) => Ok(Reach::Products(actor.products.clone())),
        _ => Err(forbidden(
            "tài khoản này không được ra lệnh này cho nhiệm vụ",
            "this account may not give tasks this command",
        )),
    }
}

/// Whether `actor` may give tasks any command at all: asked before a command is read, so
/// that who may not is refused whatever they sent.
pub fn gives_task_commands(actor: &Actor) -> Result<(), AppError> {
    match actor.role()? {
        Role::Admin | Role::TaskForce | Role::Reporter | Role::ChiefEngineer => Ok(()),
        Role::Viewer => {
            Err(forbidden("tài khoản này không được ra lệnh cho nhiệm vụ", "this account may not give tasks commands"))
        }
    }
}

/// Whether `actor` may give progress reports any command at all (see
/// [`gives_task_commands`]).
pub fn gives_report_commands(actor: &Actor) -> Result<(), AppError> {
    match actor.role()? {
        Role::Admin | Role::Reporter => Ok(()),
        _ => Err(forbidden(
            "chỉ Văn phòng Chương trình xét duyệt báo cáo tiến độ",
            "only the programme office reviews progress reports",
        )),
    }
}

/// Whether `actor` may submit (`submit`) or review (`approve`, `return`) a progress report.
pub fn report_command(actor: &Actor, command: &cncl_domain::governance::ReportCommand) -> Result<Reach, AppError> {
    report_command_named(actor, command.name())
}

/// [`report_command`] by the command's name, for offering only the commands one may give.
pub fn report_command_named(actor: &Actor, command: ReportCommandName) -> Result<Reach, AppError> {
    match (actor.role()?, command) {
        (Role::Admin, _) => Ok(Reach::All),
        (Role::Reporter, ReportCommandName::Submit) => Ok(Reach::Organisation(reporter_organisation(actor)?)),
        _ => Err(forbidden(
            "chỉ Văn phòng Chương trình xét duyệt báo cáo tiến độ",
            "only the programme office reviews progress reports",
        )),
    }
}

/// The office's own views and decisions: funding, warnings, selection, the audit log.
pub fn office(actor: &Actor, decides: bool) -> Result<(), AppError> {
    match (actor.role()?, decides) {
        (Role::Admin, _) => Ok(()),
        (Role::TaskForce | Role::ChiefEngineer | Role::Viewer, false) => Ok(()),
        _ => Err(forbidden("việc này dành cho Văn phòng Chương trình", "this is for the programme office")),
    }
}

/// Reporting obligations: a reporter sees its own organisation's, every other role all.
pub fn obligations(actor: &Actor) -> Result<Reach, AppError> {
    match actor.role()? {
        Role::Reporter => actor.organisation.map(Reach::Organisation).ok_or_else(|| {
            forbidden("tài khoản báo cáo chưa gắn với tổ chức nào", "the reporting account belongs to no organisation")
        }),
        _ => Ok(Reach::All),
    }
}

/// The audit log: the office and the Task Force read it.
pub fn audit(actor: &Actor) -> Result<(), AppError> {
    match actor.role()? {
        Role::Admin | Role::TaskForce => Ok(()),
        _ => Err(forbidden(
            "nhật ký kiểm toán dành cho Văn phòng Chương trình và Tổ công tác",
            "the audit log is for the programme office and the Task Force",
        )),
    }
}

/// Where the application's time comes from: the system clock, or a test's.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}
