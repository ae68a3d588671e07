//! Reminders of reports owed: seven days before the due date, on it, and each week while the
//! report is overdue (`ReminderStage`). Planning adds one job per obligation and stage, under
//! a unique key, so a reminder is never planned twice, across restarts and instances; the job
//! tells each accountable account in the application and sends one e-mail, Vietnamese with
//! English below, holding the link to the form.

use chrono::NaiveDate;
use cncl_domain::Lang;
use cncl_domain::format::format_date;
use cncl_eval::obligations::ObligationKind;
use cncl_eval::reminders::ReminderStage;
use cncl_store::jobs::NewJob;
use cncl_store::notifications::{NewNotification, Recipients};
use serde::{Deserialize, Serialize};

use crate::compliance::Compliance;
use crate::mail::{Address, Mail, Mailer};
use crate::policy::Actor;
use crate::{App, AppError};

/// The jobs' kind.
pub const REMINDER_JOB: &str = "reminder";
/// Tries before a reminder is given up.
const MAX_ATTEMPTS: u32 = 5;

/// What a reminder job carries: everything the message says, fixed when it was planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// The obligation's key and the stage: also the notifications' key.
    pub key: String,
    pub stage: ReminderStage,
    pub kind: ObligationKind,
    pub subject: String,
    pub owed_by: String,
    pub period: String,
    pub due_on: NaiveDate,
    pub planned_on: NaiveDate,
    /// The path of the form (or report) that answers it.
    pub link: String,
    pub recipients: Recipients,
}

impl Reminder {
    fn stage_sentence(&self, lang: Lang) -> String {
        let late = (self.planned_on - self.due_on).num_days();
        match (self.stage, lang) {
            (ReminderStage::WeekBefore, Lang::Vi) => "Sắp đến hạn nộp báo cáo".into(),
            (ReminderStage::WeekBefore, Lang::En) => "A report falls due soon".into(),
            (ReminderStage::DueDay, Lang::Vi) => "Đã đến hạn nộp báo cáo".into(),
            (ReminderStage::DueDay, Lang::En) => "A report is due".into(),
            (ReminderStage::Overdue(_), Lang::Vi) => format!("Báo cáo đã quá hạn {late} ngày"),
            (ReminderStage::Overdue(_), Lang::En) => format!("A report is {late} days overdue"),
        }
    }

    /// The title and the body, in `lang`, with the form's address.
    fn words(&self, lang: Lang, url: &str) -> (String, String) {
        let title = format!(
            "{}: {} — {} — {} {}",
            self.stage_sentence(lang),
            self.kind.label(lang),
            self.subject,
            lang.pick("kỳ", "period"),
            self.period
        );
        let body = format!(
            "{} {} ({}), {} {}, {} {}.\n{}: {url}",
            self.kind.label(lang),
            self.subject,
            self.owed_by,
            lang.pick("kỳ", "period"),
            self.period,
            lang.pick("hạn nộp", "due on"),
            format_date(self.due_on, lang),
            lang.pick("Nộp hoặc xem báo cáo tại", "Submit or see it at"),
        );
        (title, body)
    }

    /// The e-mail: Vietnamese, then English below.
    pub fn mail(&self, base_url: &str) -> Mail {
        let url = format!("{}{}", base_url.trim_end_matches('/'), self.link);
        let (title_vi, body_vi) = self.words(Lang::Vi, &url);
        let (title_en, body_en) = self.words(Lang::En, &url);
        let addresses = |list: &[cncl_store::notifications::Recipient]| -> Vec<Address> {
            list.iter()
                .filter_map(|r| r.email.clone().map(|email| Address { name: r.display_name.clone(), email }))
                .collect()
        };
        Mail {
            to: addresses(&self.recipients.to),
            cc: addresses(&self.recipients.cc),
            subject: format!("[cncl] {title_vi} / {title_en}"),
            text: format!(
                "{title_vi}\n\n{body_vi}\n\nThư này do cncl gửi tự động; mỗi nhắc nhở chỉ gửi một lần.\n\n---\n\n{title_en}\n\n{body_en}\n\nSent by cncl; each reminder is sent once.\n"
            ),
        }
    }
}

impl App {
    /// Plan the reminders owed on `today`: one job per obligation and stage not planned yet.
    /// Returns how many were added.
    pub async fn plan_reminders(&self, today: cncl_domain::Date) -> Result<usize, AppError> {
        let compliance = self.compliance(&Actor::system("cncl-reminders"), today).await?;
        let planned = self.store.job_keys(REMINDER_JOB).await?;
        // Read once for every report, not once per report.
        let (directory, leads) = (self.store.recipient_directory().await?, self.store.lead_persons().await?);
        let mut jobs = Vec::new();
        for o in compliance.obligations() {
            let Some(stage) = ReminderStage::of(o, today.get()) else { continue };
            let key = format!("{}:{}", o.key(), stage.key());
            let dedupe_key = format!("{REMINDER_JOB}:{key}");
            if planned.contains(&dedupe_key) {
                continue;
            }
            let lead = match o.kind {
                ObligationKind::TaskProgress => leads.get(&o.subject).copied(),
                _ => None,
            };
            let reminder = Reminder {
                key,
                stage,
                kind: o.kind,
                subject: compliance.name(Some(o.subject)).to_owned(),
                owed_by: compliance.name(o.organisation).to_owned(),
                period: o.period.to_string(),
                due_on: o.due_on,
                planned_on: today.get(),
                link: Compliance::form_path(o).unwrap_or_else(|| "/compliance".to_owned()),
                recipients: directory.recipients(lead, o.organisation, o.product.as_deref()),
            };
            jobs.push(NewJob {
                kind: REMINDER_JOB.into(),
                payload: crate::error::to_json(&reminder)?,
                dedupe_key,
                run_at: self.now(),
                max_attempts: MAX_ATTEMPTS,
            });
        }
        Ok(self.store.enqueue(&jobs, self.now()).await?)
    }

    /// Send one reminder: a notification to each account (once, even when retried), and the
    /// e-mail when a mailer is set and someone has an address.
    pub(crate) async fn send_reminder(
        &self,
        reminder: &Reminder,
        mailer: Option<&dyn Mailer>,
        base_url: &str,
    ) -> Result<(), String> {
        let (title_vi, body_vi) = reminder.words(Lang::Vi, &reminder.link);
        let (title_en, body_en) = reminder.words(Lang::En, &reminder.link);
        let created_at = self.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        for recipient in reminder.recipients.to.iter().chain(&reminder.recipients.cc) {
            let notification = NewNotification {
                account_id: recipient.account_id,
                dedupe_key: &reminder.key,
                title: (&title_vi, &title_en),
                body: (&body_vi, &body_en),
                link: &reminder.link,
                created_at: &created_at,
            };
            self.store.notify(&notification).await.map_err(|e| e.to_string())?;
        }
        let mail = reminder.mail(base_url);
        match mailer {
            Some(mailer) if !(mail.to.is_empty() && mail.cc.is_empty()) => mailer.send(&mail).await,
            _ => Ok(()),
        }
    }
}
