//! What `audit verify` checks of accounts: every account, API token and contact as stored
//! against the audit log's last entry about it, so that one changed behind cncl's back is
//! named.

use super::{Finding, LatestDigests};
use crate::backend::Store;
use crate::error::StoreError;

impl Store {
    /// Every account, API token and contact against the audit log's last entry about it.
    pub(super) async fn compare_accounts(
        &self,
        latest: &mut LatestDigests,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StoreError> {
        let accounts = self.accounts().await?.into_iter().map(|a| ("accounts", a.id.to_string(), a.audit_json()));
        let tokens = self.api_tokens().await?.into_iter().map(|t| ("api_tokens", t.id.to_string(), t.audit_json()));
        let contacts = self.contacts_audit_json().await?.into_iter().map(|(id, json)| ("account_contacts", id, json));
        for (entity, id, json) in accounts.chain(tokens).chain(contacts).collect::<Vec<_>>() {
            let problem = match latest.matches(entity, &id, &json) {
                None => Some("not in the audit log: written outside cncl"),
                Some(false) => Some("differs from the audit log's last entry about it"),
                Some(true) => None,
            };
            if let Some(problem) = problem {
                findings.push(Finding { seq: None, entity: entity.to_owned(), id, problem: problem.into() });
            }
        }
        Ok(())
    }
}
