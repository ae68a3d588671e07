//! References written as the keys people use (`cncl_domain::natural_key`), turned into ids
//! on the way in and back into keys on the way out, within one transaction so that a record
//! a workbook creates on one row is found by the rows after it.
//!
//! The records a key may name are read once per kind, reach and (for a tree) model or
//! product, indexed by their last segment, and kept in step with what the transaction
//! writes: a bill of a thousand lines that name their parents costs one query, not a
//! thousand.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use cncl_domain::field_spec::{Input, spec};
use cncl_domain::natural_key::{KeyPart, join, natural_key, split};
use cncl_domain::{EntityKind, Lang, Message, Record, msg, with_record_type};
use cncl_store::search::fold;
use cncl_store::{Scope, Tx};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::AppError;

/// Keys computed (by kind and record) beyond which the memo starts again: an export of a
/// million lines must not keep a million keys.
const MEMO_LIMIT: usize = 200_000;

/// Candidate sets kept at once; an export walks a model's lines together, so a few suffice.
const SETS_KEPT: usize = 64;

/// The records of one kind within one reach (and pin) that keys are matched against.
#[derive(Debug, Default)]
struct Candidates {
    /// Each record's folded last key segment.
    last_of: HashMap<Uuid, String>,
    /// Ids by the folded last segment of their key.
    by_last: HashMap<String, Vec<Uuid>>,
}

impl Candidates {
    fn remove(&mut self, id: Uuid) {
        if let Some(last) = self.last_of.remove(&id)
            && let Some(ids) = self.by_last.get_mut(&last)
        {
            ids.retain(|other| *other != id);
        }
    }

    fn insert(&mut self, id: Uuid, last: String) {
        self.by_last.entry(last.clone()).or_default().push(id);
        self.last_of.insert(id, last);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SetKey {
    kind: EntityKind,
    scope: String,
    /// The field and value every candidate holds (a bill's model, a tree's product).
    pin: Option<(&'static str, String)>,
}

/// Keys and ids for one transaction.
#[derive(Debug, Default)]
pub(crate) struct Keys {
    sets: HashMap<SetKey, Candidates>,
    memo: HashMap<(EntityKind, Uuid), Vec<String>>,
    shortest: HashMap<(EntityKind, Uuid), String>,
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// The kind field `field` of `kind` refers to.
pub(crate) fn referenced_kind(kind: EntityKind, field: &str) -> Option<EntityKind> {
    spec(kind).fields.iter().find(|f| f.name == field).and_then(|f| match f.input {
        Input::Reference(target) => Some(target),
        _ => None,
    })
}

/// A field's value as a key segment.
fn segment(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The tree part of `kind`'s key, if it is a tree.
fn tree_of(kind: EntityKind) -> Option<(&'static str, &'static str)> {
    natural_key(kind)?.iter().find_map(|part| match part {
        KeyPart::Tree { parent, name } => Some((*parent, *name)),
        _ => None,
    })
}

/// For a tree kind, the field its whole tree shares (a bill's model, a technology's product).
fn tree_pin(kind: EntityKind) -> Option<&'static str> {
    tree_of(kind)?;
    natural_key(kind)?.iter().find_map(|part| match part {
        KeyPart::Field(f) | KeyPart::Reference(f) => Some(*f),
        KeyPart::Tree { .. } => None,
    })
}

/// Whether `field` of `kind` names the record's parent in its own tree.
pub(crate) fn is_tree_parent(kind: EntityKind, field: &str) -> bool {
    tree_of(kind).is_some_and(|(parent, _)| parent == field)
}

/// For a reference from a record of `kind` to one of its own tree (a line's parent line),
/// the field that pins the candidates to the same model or product.
fn pin_field(kind: EntityKind, field: &str) -> Option<&'static str> {
    tree_of(kind).filter(|(parent, _)| *parent == field).and_then(|_| tree_pin(kind))
}

async fn record_json(tx: &mut Tx, kind: EntityKind, id: Uuid) -> Result<Option<Value>, AppError> {
    with_record_type!(kind, T => {
        match tx.get::<T>(<T as Record>::Id::from(id)).await? {
            Some(stored) => Ok(Some(cncl_store::to_json(&stored.record)?)),
            None => Ok(None),
        }
    })
}

async fn all_json(
    tx: &mut Tx,
    kind: EntityKind,
    pin: Option<(&str, &str)>,
    scope: &Scope,
) -> Result<Vec<(Uuid, Value)>, AppError> {
    with_record_type!(kind, T => {
        let stored = tx.matching_within::<T>(pin, scope).await?;
        stored
            .into_iter()
            .map(|s| Ok((s.id.as_uuid(), cncl_store::to_json(&s.record)?)))
            .collect::<Result<Vec<_>, AppError>>()
    })
}

impl Keys {
    /// The key of record `id` of `kind`; `None` when there is no such record.
    pub(crate) fn key_of<'a>(
        &'a mut self,
        tx: &'a mut Tx,
        kind: EntityKind,
        id: Uuid,
    ) -> Boxed<'a, Option<Vec<String>>> {
        Box::pin(async move {
            if let Some(key) = self.memo.get(&(kind, id)) {
                return Ok(Some(key.clone()));
            }
            let Some(json) = record_json(tx, kind, id).await? else { return Ok(None) };
            // A tree's node: its whole tree (a model's bill) at once, one query rather than one
            // for every node an export or an import names.
            if let Some(pin) = tree_pin(kind)
                && let Some(value) = segment(&json[pin])
            {
                self.learn_tree(tx, kind, pin, &value, &json).await?;
                if let Some(key) = self.memo.get(&(kind, id)) {
                    return Ok(Some(key.clone()));
                }
            }
            let key = self.key_from_json(tx, kind, &json).await?;
            if self.memo.len() >= MEMO_LIMIT {
                self.memo.clear();
            }
            self.memo.insert((kind, id), key.clone());
            Ok(Some(key))
        })
    }

    /// The key of a record of `kind` holding `json` (its references as ids).
    pub(crate) fn key_from_json<'a>(
        &'a mut self,
        tx: &'a mut Tx,
        kind: EntityKind,
        json: &'a Value,
    ) -> Boxed<'a, Vec<String>> {
        Box::pin(async move {
            let mut key = Vec::new();
            for part in natural_key(kind).unwrap_or_default() {
                match *part {
                    KeyPart::Field(field) => key.extend(segment(&json[field])),
                    KeyPart::Reference(field) => {
                        let (Some(target), Some(id)) =
                            (referenced_kind(kind, field), json[field].as_str().and_then(|s| Uuid::parse_str(s).ok()))
                        else {
                            continue;
                        };
                        match self.key_of(tx, target, id).await? {
                            Some(referenced) => key.extend(referenced),
                            None => key.push(id.to_string()),
                        }
                    }
                    KeyPart::Tree { parent, name } => {
                        if let Some(parent_id) = json[parent].as_str().and_then(|s| Uuid::parse_str(s).ok())
                            && let Some(parent_key) = self.key_of(tx, kind, parent_id).await?
                        {
                            key = parent_key;
                        }
                        key.extend(segment(&json[name]));
                    }
                }
            }
            Ok(key)
        })
    }

    /// The keys of every node of the tree of `kind` whose `pin` field holds `value` (one
    /// model's bill of materials), worked out together; `sample` is one of its nodes.
    async fn learn_tree(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        pin: &str,
        value: &str,
        sample: &Value,
    ) -> Result<(), AppError> {
        let Some((parent_field, name_field)) = tree_of(kind) else { return Ok(()) };
        // The parts before the tree (the model's key) are the same for every node.
        let mut root = sample.clone();
        root[parent_field] = Value::Null;
        root[name_field] = Value::Null;
        let prefix = self.key_from_json(tx, kind, &root).await?;
        let nodes = all_json(tx, kind, Some((pin, value)), &Scope::All).await?;
        let parents: HashMap<Uuid, (Option<Uuid>, String)> = nodes
            .iter()
            .map(|(id, json)| {
                let parent = json[parent_field].as_str().and_then(|p| Uuid::parse_str(p).ok());
                (*id, (parent, segment(&json[name_field]).unwrap_or_default()))
            })
            .collect();
        if self.memo.len() + parents.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        for &id in parents.keys() {
            // The names from the node up to the root; a loop (a corrupt tree) stops the walk.
            let mut names = Vec::new();
            let mut at = Some(id);
            while let Some(node) = at {
                let Some((parent, name)) = parents.get(&node) else { break };
                names.push(name.clone());
                at = *parent;
                if names.len() > parents.len() {
                    break;
                }
            }
            names.reverse();
            let mut key = prefix.clone();
            key.extend(names);
            self.memo.insert((kind, id), key);
        }
        Ok(())
    }

    /// The folded last segment of a record's key, for the index.
    async fn last_segment(&mut self, tx: &mut Tx, kind: EntityKind, json: &Value) -> Result<String, AppError> {
        let last = match natural_key(kind).and_then(|parts| parts.last()) {
            Some(KeyPart::Field(field)) => segment(&json[*field]),
            Some(KeyPart::Tree { name, .. }) => segment(&json[*name]),
            _ => self.key_from_json(tx, kind, json).await?.pop(),
        };
        Ok(fold(&last.unwrap_or_default()))
    }

    /// The candidates of `kind` within `scope` and `pin`, read once.
    async fn candidates(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        scope: &Scope,
        pin: Option<(&'static str, String)>,
    ) -> Result<SetKey, AppError> {
        let set_key = SetKey { kind, scope: format!("{scope:?}"), pin };
        if self.sets.contains_key(&set_key) {
            return Ok(set_key);
        }
        if self.sets.len() >= SETS_KEPT {
            self.sets.clear();
        }
        let records = all_json(tx, kind, set_key.pin.as_ref().map(|(f, v)| (*f, v.as_str())), scope).await?;
        let mut set = Candidates::default();
        for (id, json) in records {
            let last = self.last_segment(tx, kind, &json).await?;
            set.insert(id, last);
        }
        self.sets.insert(set_key.clone(), set);
        Ok(set_key)
    }

    /// The candidates of a set whose keys end with `segments`.
    async fn matches(
        &mut self,
        tx: &mut Tx,
        set_key: &SetKey,
        segments: &[String],
    ) -> Result<Vec<(Uuid, Vec<String>)>, AppError> {
        let wanted: Vec<String> = segments.iter().map(|s| fold(s)).collect();
        let Some(last) = wanted.last() else { return Ok(Vec::new()) };
        let ids = self.sets.get(set_key).and_then(|set| set.by_last.get(last)).cloned().unwrap_or_default();
        let mut found = Vec::new();
        for id in ids {
            let Some(key) = self.key_of(tx, set_key.kind, id).await? else { continue };
            // Only the trailing segments compared are folded: a line's key starts with its
            // maker's and model's, the same for every line of a bill.
            let tail = key.get(key.len().saturating_sub(wanted.len())..).unwrap_or_default();
            if key.len() >= wanted.len() && tail.iter().zip(&wanted).all(|(segment, want)| fold(segment) == *want) {
                found.push((id, key));
            }
        }
        Ok(found)
    }

    /// The id a reference cell names: a UUID as it is, or a key (or its trailing part) that
    /// names exactly one record of the field's kind within `scope`. `row` is the record
    /// being read, its other references already ids, for a tree's parent within its model.
    pub(crate) async fn resolve(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        field: &str,
        written: &str,
        row: &Map<String, Value>,
        scope: &Scope,
    ) -> Result<Result<Uuid, Message>, AppError> {
        if let Ok(id) = Uuid::parse_str(written.trim()) {
            return Ok(Ok(id));
        }
        let Some(target) = referenced_kind(kind, field) else {
            return Ok(Err(msg(
                format!("{field} không trỏ tới bản ghi nào"),
                format!("{field} does not name a record"),
            )));
        };
        let segments = split(written);
        if segments.is_empty() {
            return Ok(Err(msg(
                format!("hãy ghi {}", target.noun_in(Lang::Vi)),
                format!("name the {}", target.noun()),
            )));
        }
        let pin = pin_field(kind, field).and_then(|f| row.get(f).and_then(segment).map(|v| (f, v)));
        let set_key = self.candidates(tx, target, scope, pin).await?;
        let found = self.matches(tx, &set_key, &segments).await?;
        Ok(match found.as_slice() {
            [(id, _)] => Ok(*id),
            [] => Err(msg(
                format!("không có {} nào là “{}”", target.noun_in(Lang::Vi), join(&segments)),
                format!("no {} is known as “{}”", target.noun(), join(&segments)),
            )),
            [(_, first), (_, second), ..] => Err(msg(
                format!(
                    "“{}” trỏ tới {} bản ghi ({}): hãy ghi đầy đủ hơn, như “{}” hoặc “{}”",
                    join(&segments),
                    found.len(),
                    target.noun_in(Lang::Vi),
                    join(first),
                    join(second)
                ),
                format!(
                    "“{}” names {} records ({}): write more of the key, as “{}” or “{}”",
                    join(&segments),
                    found.len(),
                    target.noun(),
                    join(first),
                    join(second)
                ),
            )),
        })
    }

    /// The record of `kind` within `scope` whose whole key is `key`, for a row without an id
    /// that describes a record already kept (an update by key).
    pub(crate) async fn find_exact(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        row: &Value,
        scope: &Scope,
    ) -> Result<Option<Uuid>, AppError> {
        if natural_key(kind).is_none() {
            return Ok(None);
        }
        let key = self.key_from_json(tx, kind, row).await?;
        if key.is_empty() {
            return Ok(None);
        }
        let key = key.as_slice();
        let pin = tree_pin(kind).and_then(|f| segment(&row[f]).map(|v| (f, v)));
        let set_key = self.candidates(tx, kind, scope, pin).await?;
        let found = self.matches(tx, &set_key, key).await?;
        Ok(found.into_iter().find(|(_, k)| k.len() == key.len()).map(|(id, _)| id))
    }

    /// A key as a workbook writes it for field `field` of a `kind` record holding `row`: a
    /// tree's parent by its path within the same model or product, anything else by the
    /// shortest trailing part of its key that names it alone among what `scope` holds (a
    /// bill's lines, too many to compare, by their whole key).
    pub(crate) async fn written(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        field: &str,
        id: Uuid,
        row: &Value,
        scope: &Scope,
    ) -> Result<String, AppError> {
        let Some(target) = referenced_kind(kind, field) else { return Ok(id.to_string()) };
        let Some(key) = self.key_of(tx, target, id).await? else { return Ok(id.to_string()) };
        if let Some(pin) = pin_field(kind, field) {
            // The pinned part (the model, the product) is the row's own: drop it.
            let pinned = match natural_key(kind).and_then(|parts| parts.first()) {
                Some(KeyPart::Reference(_)) => {
                    match (referenced_kind(kind, pin), row[pin].as_str().map(Uuid::parse_str)) {
                        (Some(pin_kind), Some(Ok(pin_id))) => {
                            self.key_of(tx, pin_kind, pin_id).await?.map_or(0, |k| k.len())
                        }
                        _ => 0,
                    }
                }
                _ => 1,
            };
            return Ok(join(&key[pinned.min(key.len())..]));
        }
        if target == EntityKind::BomLine || key.len() < 2 {
            return Ok(join(&key));
        }
        if let Some(shortest) = self.shortest.get(&(target, id)) {
            return Ok(shortest.clone());
        }
        let set_key = self.candidates(tx, target, scope, None).await?;
        let mut written = join(&key);
        for take in 1..key.len() {
            if self.matches(tx, &set_key, &key[key.len() - take..]).await?.len() == 1 {
                written = join(&key[key.len() - take..]);
                break;
            }
        }
        if self.shortest.len() >= MEMO_LIMIT {
            self.shortest.clear();
        }
        self.shortest.insert((target, id), written.clone());
        Ok(written)
    }

    /// Keep the candidate sets in step with a record the transaction wrote.
    pub(crate) async fn wrote(
        &mut self,
        tx: &mut Tx,
        kind: EntityKind,
        id: Uuid,
        json: &Value,
        updated: bool,
    ) -> Result<(), AppError> {
        if natural_key(kind).is_none() {
            return Ok(());
        }
        if updated {
            // A renamed record renames whatever its key is part of.
            self.memo.clear();
            self.shortest.clear();
        }
        // The new key, known now: the rows after it name it as parent or model.
        let key = self.key_from_json(tx, kind, json).await?;
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        self.memo.insert((kind, id), key);
        let last = self.last_segment(tx, kind, json).await?;
        // The record's value of each pinning field, read once: a bill's lines are kept in a
        // set per model, and an import of a hundred models writes to one of a hundred.
        let mut pinned: Vec<(&str, Option<String>)> = Vec::new();
        for (set_key, set) in self.sets.iter_mut().filter(|(k, _)| k.kind == kind) {
            if updated {
                set.remove(id);
            }
            let belongs = match &set_key.pin {
                None => true,
                Some((field, value)) => {
                    let at = match pinned.iter().position(|(f, _)| f == field) {
                        Some(at) => at,
                        None => {
                            pinned.push((field, segment(&json[*field])));
                            pinned.len() - 1
                        }
                    };
                    pinned[at].1.as_ref() == Some(value)
                }
            };
            if belongs {
                set.insert(id, last.clone());
            }
        }
        Ok(())
    }
}
