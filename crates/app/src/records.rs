//! Create, read, update and list any kind of record. Field rules were applied when the
//! record was parsed; here come the rules that need other records: what it refers to must
//! exist, what must be unique is, and trees (core technologies, bills of materials) stay
//! trees within one product or model.

use cncl_domain::ids::RecordId;
use cncl_domain::{DomainError, EntityKind, Lang, Message, Record, Stored, msg};
use cncl_store::links::{TreePosition, links_in, tree_position_in};
use cncl_store::tables::{self, Filters};
use cncl_store::{ListFilter, Page, Scope, Tx};
use uuid::Uuid;

use crate::policy::{self, Actor, Reach};
use crate::{App, AppError};

/// Records per page when the caller does not say.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// The most records one page may hold.
pub const MAX_PER_PAGE: u32 = 500;

/// A list request as a user makes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: ListFilter,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Deeper than any real breakdown; stops a walk through rows corrupted into a loop.
const MAX_TREE_DEPTH: usize = 10_000;

/// Record something new within `tx`, with every rule a single create applies.
pub(crate) async fn create_in<T: Record>(
    tx: &mut Tx,
    actor: &Actor,
    id: T::Id,
    record: T,
) -> Result<Stored<T>, AppError> {
    let reach = scope(policy::write(actor, T::KIND)?);
    record.check()?;
    check_links(tx, actor, &record, None).await?;
    crate::rules::check(tx, &record, None).await?;
    tx.insert(id, &record).await?;
    // The new record must fall within the writer's reach (its organisation, its products).
    if !tx.in_scope::<T>(id, &reach).await? {
        return Err(outside_reach::<T>());
    }
    Ok(Stored { id, record })
}

/// Replace a record within `tx`, with every rule a single update applies.
pub(crate) async fn update_in<T: Record>(
    tx: &mut Tx,
    actor: &Actor,
    id: T::Id,
    record: T,
) -> Result<Stored<T>, AppError> {
    let reach = scope(policy::write(actor, T::KIND)?);
    record.check()?;
    let visible = tx.in_scope::<T>(id, &scope(policy::read(actor, T::KIND)?)).await?;
    let Some(stored) = tx.get::<T>(id).await?.filter(|_| visible) else {
        return Err(not_found::<T>(id.as_uuid()));
    };
    if !tx.in_scope::<T>(id, &reach).await? {
        return Err(outside_reach::<T>());
    }
    check_links(tx, actor, &record, Some(id.as_uuid())).await?;
    crate::rules::check(tx, &record, Some((id.as_uuid(), &stored.record))).await?;
    tx.update(id, &record).await?;
    if !tx.in_scope::<T>(id, &reach).await? {
        return Err(outside_reach::<T>());
    }
    Ok(Stored { id, record })
}

/// The store's scope for an access reach.
pub(crate) fn scope(reach: Reach) -> Scope {
    match reach {
        Reach::All => Scope::All,
        Reach::Organisation(org) => Scope::Organisation(org),
        Reach::Products(products) => Scope::Products(products),
    }
}

fn outside_reach<T: Record>() -> AppError {
    AppError::Forbidden(msg(
        format!("{} này nằm ngoài phạm vi tài khoản được thay đổi", T::KIND.noun_in(Lang::Vi)),
        format!("this {} is outside what this account may change", T::KIND.noun()),
    ))
}

impl App {
    /// Record something new.
    pub async fn create<T: Record>(&self, actor: &Actor, record: T) -> Result<Stored<T>, AppError> {
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let stored = create_in(&mut tx, actor, T::Id::from(Uuid::now_v7()), record).await?;
        tx.commit().await?;
        tracing::debug!(kind = T::KIND.resource(), id = %stored.id, "created");
        Ok(stored)
    }

    /// Replace a record with a corrected version.
    pub async fn update<T: Record>(&self, actor: &Actor, id: T::Id, record: T) -> Result<Stored<T>, AppError> {
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let stored = update_in(&mut tx, actor, id, record).await?;
        tx.commit().await?;
        tracing::debug!(kind = T::KIND.resource(), %id, "updated");
        Ok(stored)
    }

    /// Read one record; one outside the actor's reach is not found.
    pub async fn get<T: Record>(&self, actor: &Actor, id: T::Id) -> Result<Stored<T>, AppError> {
        let reach = scope(policy::read(actor, T::KIND)?);
        self.store.get_within::<T>(id, &reach).await?.ok_or_else(|| not_found::<T>(id.as_uuid()))
    }

    /// Records of `T` within the actor's reach whose code, name or title contains every word
    /// of `query`, diacritics and case aside, as `(id, names)`; at most `limit`.
    pub async fn find<T: Record>(
        &self,
        actor: &Actor,
        query: &str,
        limit: usize,
    ) -> Result<Vec<(Uuid, String)>, AppError> {
        let reach = scope(policy::read(actor, T::KIND)?);
        Ok(self.store.find::<T>(query, &reach, limit).await?)
    }

    /// The records [`App::find`] finds, whole.
    pub async fn search<T: Record>(
        &self,
        actor: &Actor,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Stored<T>>, AppError> {
        let reach = scope(policy::read(actor, T::KIND)?);
        let mut records = Vec::new();
        for (id, _) in self.store.find::<T>(query, &reach, limit).await? {
            records.extend(self.store.get_within::<T>(id.into(), &reach).await?);
        }
        Ok(records)
    }

    /// Every record of `T` that `filter` keeps and `actor` may read, all pages.
    pub(crate) async fn all_of<T: Record>(
        &self,
        actor: &Actor,
        filter: &ListFilter,
    ) -> Result<Vec<Stored<T>>, AppError> {
        let reach = scope(policy::read(actor, T::KIND)?);
        let mut all = Vec::new();
        for page in 1.. {
            let batch = self.store.list_within::<T>(filter, &reach, page, MAX_PER_PAGE).await?;
            let done = batch.items.len() < MAX_PER_PAGE as usize;
            all.extend(batch.items);
            if done {
                break;
            }
        }
        Ok(all)
    }

    /// The organisation `typed` names as people name it: its id, its tax code, or a name
    /// (accents and case aside) that only it matches. None matching, or several, is refused
    /// naming `organisation` and, for several, the candidates.
    pub async fn organisation_named(&self, actor: &Actor, typed: &str) -> Result<Uuid, AppError> {
        const CANDIDATES: usize = 10;
        let typed = typed.trim();
        if let Ok(id) = Uuid::parse_str(typed) {
            return Ok(id);
        }
        if let Some(found) = self.store.organisation_by_tax_code(typed).await? {
            return Ok(found.id.as_uuid());
        }
        let found = self.find::<cncl_domain::organisation::Organisation>(actor, typed, CANDIDATES + 1).await?;
        let refused = |message| AppError::from(cncl_domain::DomainError::new("organisation", message));
        match found.as_slice() {
            [(id, _)] => Ok(*id),
            [] => Err(refused(msg(
                format!("không có tổ chức nào khớp «{typed}»"),
                format!("no organisation matches “{typed}”"),
            ))),
            several => {
                let more = if several.len() > CANDIDATES { "; …" } else { "" };
                let names = several.iter().take(CANDIDATES).map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("; ");
                Err(refused(msg(
                    format!("nhiều tổ chức khớp «{typed}»: {names}{more}; hãy nhập mã số thuế"),
                    format!("several organisations match “{typed}”: {names}{more}; type the tax code"),
                )))
            }
        }
    }

    /// One page of records, within the actor's reach.
    pub async fn list<T: Record>(&self, actor: &Actor, query: &ListQuery) -> Result<Page<Stored<T>>, AppError> {
        let reach = scope(policy::read(actor, T::KIND)?);
        let page = query.page.unwrap_or(1);
        if page == 0 {
            return Err(AppError::bad_request("page", msg("phải từ 1 trở lên", "must be 1 or more")));
        }
        let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(AppError::bad_request(
                "per_page",
                msg(format!("phải từ 1 đến {MAX_PER_PAGE}"), format!("must be from 1 to {MAX_PER_PAGE}")),
            ));
        }
        check_filters(T::KIND, &query.filter)?;
        Ok(self.store.list_within::<T>(&query.filter, &reach, page, per_page).await?)
    }
}

fn not_found<T: Record>(id: Uuid) -> AppError {
    AppError::NotFound { noun: T::KIND.noun(), id: id.to_string() }
}

/// Which list filters a kind supports.
pub fn supported_filters(kind: EntityKind) -> Filters {
    tables::table(kind).filters
}

pub(crate) fn check_filters(kind: EntityKind, filter: &ListFilter) -> Result<(), AppError> {
    let supported = supported_filters(kind);
    let asked = [
        ("product", filter.product.is_some(), supported.product.is_some()),
        ("organisation", filter.organisation.is_some(), supported.organisation.is_some()),
        ("status", filter.status.is_some(), supported.status.is_some()),
    ];
    for (name, is_asked, is_supported) in asked {
        if is_asked && !is_supported {
            return Err(AppError::bad_request(
                name,
                msg(
                    format!("không lọc được {} theo {name}", kind.noun_in(Lang::Vi)),
                    format!("{} cannot be filtered by {name}", kind.resource()),
                ),
            ));
        }
    }
    Ok(())
}

async fn check_links<T: Record>(tx: &mut Tx, actor: &Actor, record: &T, id: Option<Uuid>) -> Result<(), AppError> {
    let fields = cncl_store::fields_of(record)?;
    for link in links_in(T::KIND, &fields) {
        let found = match (link.kind, Uuid::parse_str(&link.value)) {
            (Some(kind), Ok(target)) => {
                let reach = scope(policy::reference_reach(actor, T::KIND, kind)?);
                tx.kind_in_scope(kind, &target.to_string(), &reach).await?
            }
            (Some(_), Err(_)) => false,
            (None, _) => tx.reference_data_exists(&link).await?,
        };
        if !found {
            let noun_vi =
                link.kind.map_or_else(|| reference_noun_vi(link.noun).to_owned(), |kind| kind.noun_in(Lang::Vi));
            return Err(DomainError::new(
                link.field,
                msg(
                    format!("chưa có {noun_vi} nào là {} trong hệ thống", link.value),
                    format!("no {} {} is recorded", link.noun, link.value),
                ),
            )
            .into());
        }
    }
    if let Some(clash) = tx.clash(record, id).await? {
        return Err(AppError::Conflict {
            field: Some(clash.field.to_owned()),
            message: msg(
                format!(
                    "đã có {} khác trùng {}",
                    T::KIND.noun_in(Lang::Vi),
                    clash
                        .fields
                        .iter()
                        .map(|f| cncl_domain::fields::field_label(T::KIND, f, Lang::Vi).unwrap_or(f))
                        .collect::<Vec<_>>()
                        .join(" và ")
                ),
                format!("another {} already has the same {}", T::KIND.noun(), clash.fields.join(" and ")),
            ),
        });
    }
    if let Some(position) = tree_position_in(T::KIND, &fields) {
        check_tree(tx, T::KIND, &position, id).await?;
    }
    Ok(())
}

/// What reference data (no kind of record) and tree groups are called in Vietnamese.
fn reference_noun_vi(noun: &str) -> &str {
    match noun {
        "product" => "sản phẩm",
        "product model" => "mẫu sản phẩm",
        "task group" => "nhóm nhiệm vụ",
        other => other,
    }
}

/// A tree node's parent is in the same product or model, and never the node itself or one of
/// its descendants.
async fn check_tree(tx: &mut Tx, kind: EntityKind, position: &TreePosition, id: Option<Uuid>) -> Result<(), AppError> {
    let invalid = |message: Message| AppError::Invalid(DomainError::new(position.parent_field, message));
    let mut current = position.parent;
    let mut depth = 0;
    while let Some(node) = current {
        if Some(node) == id {
            return Err(invalid(msg(
                "sẽ khiến bản ghi này thành cấp trên của chính nó",
                "would make this record its own ancestor",
            )));
        }
        let Some((next, node_group)) = tx.tree_parent(kind, node).await? else {
            break;
        };
        if depth == 0 && node_group != position.group {
            return Err(invalid(msg(
                format!("thuộc {} khác", reference_noun_vi(position.group_noun)),
                format!("belongs to another {}", position.group_noun),
            )));
        }
        depth += 1;
        if depth > MAX_TREE_DEPTH {
            return Err(invalid(msg(
                "cây phía trên bản ghi này sâu hơn mọi cách phân rã thực tế",
                "the tree above this record is deeper than any real breakdown",
            )));
        }
        current = next;
    }
    Ok(())
}
