//! The "7 clear" (7 rõ; seeds 003, 004): a task may be assigned only when its person, work,
//! responsibility, time, authority, product and resources are all clear. This module says
//! which recorded facts make each element clear; the lifecycle and the evaluator both ask it.

use crate::labelled_enum;

labelled_enum! {
    /// One of the seven elements.
    pub enum ClearElement {
        Person = "person", "Rõ người", "Clear person";
        Work = "work", "Rõ việc", "Clear work";
        Responsibility = "responsibility", "Rõ trách nhiệm", "Clear responsibility";
        Time = "time", "Rõ thời gian", "Clear time";
        Authority = "authority", "Rõ thẩm quyền", "Clear authority";
        Product = "product", "Rõ sản phẩm", "Clear product";
        Resources = "resources", "Rõ nguồn lực", "Clear resources";
    }
}

impl ClearElement {
    /// The kinds of record that make the element clear (see [`SevenClearFacts::missing`]):
    /// where to go to clear it.
    pub fn recorded_in(self) -> &'static [crate::EntityKind] {
        use crate::EntityKind as K;
        match self {
            ClearElement::Person | ClearElement::Work | ClearElement::Authority => &[K::Task],
            ClearElement::Responsibility => &[K::Task, K::TaskParticipant],
            ClearElement::Time => &[K::Task, K::TaskMilestone],
            ClearElement::Product => &[K::Deliverable],
            ClearElement::Resources => &[K::BudgetLine],
        }
    }
}

/// Which of a task's facts are recorded. Built from a task and its related records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SevenClearFacts {
    /// A lead person is named.
    pub lead_person: bool,
    /// The scope of work is written down.
    pub scope: bool,
    /// The split of responsibility is written down…
    pub responsibility: bool,
    /// …and a lead organisation takes part.
    pub lead_organisation: bool,
    pub starts_on: bool,
    pub ends_on: bool,
    /// …and at least one milestone has a due date.
    pub milestones: bool,
    /// The approving body is named…
    pub approving_body: bool,
    /// …and what is delegated to the lead is written down.
    pub delegated_authority: bool,
    /// At least one deliverable, with its acceptance criteria.
    pub deliverables: bool,
    /// At least one budget line funds the task.
    pub budget: bool,
}

impl SevenClearFacts {
    /// The elements that are not clear, in the order of the seven.
    pub fn missing(&self) -> Vec<ClearElement> {
        let clear = [
            (ClearElement::Person, self.lead_person),
            (ClearElement::Work, self.scope),
            (ClearElement::Responsibility, self.responsibility && self.lead_organisation),
            (ClearElement::Time, self.starts_on && self.ends_on && self.milestones),
            (ClearElement::Authority, self.approving_body && self.delegated_authority),
            (ClearElement::Product, self.deliverables),
            (ClearElement::Resources, self.budget),
        ];
        clear.into_iter().filter(|(_, ok)| !ok).map(|(e, _)| e).collect()
    }

    pub fn all_clear(&self) -> bool {
        self.missing().is_empty()
    }
}

/// What a task's related records contribute to its 7 clear.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelatedRecords {
    pub lead_organisation: bool,
    pub milestones: bool,
    pub deliverables: bool,
    pub budget: bool,
}

impl crate::task::Task {
    /// The 7-clear facts of this task, given its related records.
    pub fn seven_clear_facts(&self, related: RelatedRecords) -> SevenClearFacts {
        SevenClearFacts {
            lead_person: self.lead_person_id.is_some(),
            scope: self.scope.is_some(),
            responsibility: self.responsibility.is_some(),
            lead_organisation: related.lead_organisation,
            starts_on: self.starts_on.is_some(),
            ends_on: self.ends_on.is_some(),
            milestones: related.milestones,
            approving_body: self.approving_body.is_some(),
            delegated_authority: self.delegated_authority.is_some(),
            deliverables: related.deliverables,
            budget: related.budget,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> SevenClearFacts {
        SevenClearFacts {
            lead_person: true,
            scope: true,
            responsibility: true,
            lead_organisation: true,
            starts_on: true,
            ends_on: true,
            milestones: true,
            approving_body: true,
            delegated_authority: true,
            deliverables: true,
            budget: true,
        }
    }

    #[test]
    fn each_element_missing_alone() {
        assert!(all().all_clear());
        type Unset = fn(&mut SevenClearFacts);
        let cases: [(Unset, ClearElement); 11] = [
            (|f| f.lead_person = false, ClearElement::Person),
            (|f| f.scope = false, ClearElement::Work),
            (|f| f.responsibility = false, ClearElement::Responsibility),
            (|f| f.lead_organisation = false, ClearElement::Responsibility),
            (|f| f.starts_on = false, ClearElement::Time),
            (|f| f.ends_on = false, ClearElement::Time),
            (|f| f.milestones = false, ClearElement::Time),
            (|f| f.approving_body = false, ClearElement::Authority),
            (|f| f.delegated_authority = false, ClearElement::Authority),
            (|f| f.deliverables = false, ClearElement::Product),
            (|f| f.budget = false, ClearElement::Resources),
        ];
        for (unset, element) in cases {
            let mut facts = all();
            unset(&mut facts);
            assert_eq!(facts.missing(), vec![element]);
        }
    }

    #[test]
    fn all_missing_at_once() {
        assert_eq!(SevenClearFacts::default().missing(), ClearElement::ALL.to_vec());
    }
}
