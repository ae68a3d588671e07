//! A transaction's memory of the records it has checked or written.

use cncl_domain::EntityKind;
use uuid::Uuid;

/// What a transaction already knows of the records it checked or wrote, so that a thousand
/// lines naming one model ask the database once: records known to lie within a scope, and
/// tree nodes' parents. A change to an existing record can move others out of a scope (a
/// model's maker changes, and its lines with it), so any update or erasure forgets it all.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// By scope, so that a lookup by the scope's name makes no string.
    in_scope: std::collections::HashMap<String, std::collections::HashSet<(EntityKind, Uuid)>>,
    tree_parents: std::collections::HashMap<(EntityKind, Uuid), (Option<Uuid>, String)>,
}

/// Entries a transaction keeps before it starts again (an import of a million lines).
const KNOWN_LIMIT: usize = 500_000;

impl Known {
    pub(crate) fn forget(&mut self) {
        self.in_scope.clear();
        self.tree_parents.clear();
    }

    pub(crate) fn keep_in_scope(&mut self, kind: EntityKind, id: Uuid, scope: String) {
        let known = self.in_scope.entry(scope).or_default();
        if known.len() >= KNOWN_LIMIT {
            known.clear();
        }
        known.insert((kind, id));
    }

    pub(crate) fn is_in_scope(&self, kind: EntityKind, id: Uuid, scope: &str) -> bool {
        self.in_scope.get(scope).is_some_and(|known| known.contains(&(kind, id)))
    }

    pub(crate) fn keep_tree_parent(&mut self, kind: EntityKind, id: Uuid, position: (Option<Uuid>, String)) {
        if self.tree_parents.len() >= KNOWN_LIMIT {
            self.tree_parents.clear();
        }
        self.tree_parents.insert((kind, id), position);
    }

    pub(crate) fn tree_parent(&self, kind: EntityKind, id: Uuid) -> Option<&(Option<Uuid>, String)> {
        self.tree_parents.get(&(kind, id))
    }

    pub(crate) fn remember_tree_parent(&mut self, kind: EntityKind, id: Uuid, position: (Option<Uuid>, String)) {
        self.keep_tree_parent(kind, id, position);
    }
}
