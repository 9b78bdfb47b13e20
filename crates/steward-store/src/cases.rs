//! Cases: sealed on the way in, filtered by visibility and opened on the way out.
//!
//! Every read takes a [`Viewer`]. SQL narrows the rows to those the viewer's visibility admits;
//! then [`CaseAccess::permits`], the one rule, is asked again for each before any sealed field is
//! opened, so a mistake in a query hides a case rather than leaking it.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::write::Write;
use crate::Store;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{Case, CaseId, CaseStatus, NewCase, PersonAtRisk, PersonRole, Viewer};
use steward_core::ids::{OrgId, UserId};
use steward_core::seal::{Keyring, Slot};

/// A sealed column, with the statements that re-seal it. Every table holding sealed columns has
/// an `id` column, which the values are bound to.
pub(crate) struct SealedColumn {
    pub(crate) table: &'static str,
    pub(crate) column: &'static str,
    pub(crate) select: &'static str,
    pub(crate) update: &'static str,
}

macro_rules! sealed_columns {
    ($(($t:literal, $c:literal)),+ $(,)?) => {
        &[$(SealedColumn {
            table: $t,
            column: $c,
            select: concat!("SELECT id, ", $c, " AS v FROM ", $t, " WHERE ", $c, " IS NOT NULL ORDER BY id"),
            update: concat!("UPDATE ", $t, " SET ", $c, " = $1 WHERE id = $2"),
        }),+]
    };
}

/// Every sealed column. Key rotation walks this list, so a new sealed column must be added here
/// (a store test checks that none of a case's sensitive strings is left readable).
pub(crate) const SEALED: &[SealedColumn] = sealed_columns!(
    ("cases", "title"),
    ("cases", "summary"),
    ("cases", "pseudonym"),
    ("cases", "deleted_reason"),
    ("case_people", "name"),
    ("case_people", "organisation"),
    ("case_people", "contact"),
    ("case_people", "other_names"),
    ("case_people", "workplace"),
    ("case_people", "organisation_id"),
    ("case_people", "workplace_link"),
    ("alerts", "summary"),
    ("alerts", "name"),
    ("alerts", "contact"),
    ("alert_notes", "body"),
    ("case_incidents", "place"),
    ("case_incidents", "perpetrator_names"),
    ("case_incidents", "description"),
    ("case_incidents", "deleted_reason"),
    ("case_actions", "description"),
    ("case_actions", "outcome"),
    ("case_actions", "deleted_reason"),
    ("case_revisions", "before"),
    ("case_revisions", "after"),
    ("statements", "title"),
    ("statements", "body"),
    ("webhooks", "secret"),
    ("case_sources", "reporter"),
    ("case_sources", "notes"),
    ("case_sources", "deleted_reason"),
    ("case_attachments", "filename"),
    ("case_attachments", "sha256"),
    ("case_attachments", "content"),
    ("case_attachments", "deleted_reason"),
    ("case_highlights", "consent_by"),
    ("case_highlights", "title"),
    ("case_highlights", "summary"),
    ("case_highlights", "withdrawn_reason"),
    ("registries", "filename"),
    ("registries", "name"),
    ("registries", "headers"),
    ("registries", "rows_json"),
    ("registries", "results"),
    ("registries", "column_map"),
    ("registry_alerts", "detail"),
    ("users", "totp_secret"),
);

/// The visibility filter in SQL: `$1` is the viewer's organisation, `$2` the viewer.
/// The one visibility rule in SQL, for a case `c` and a reader given as the SQL expressions of
/// their organisation and their user id: internal cases to their organisation, partners cases
/// to it and the organisations it is shared with, restricted cases to their named users. Every
/// query that reads cases for someone, or finds who may read a case, is built on it.
macro_rules! visible_to {
    () => {
        visible_to!("$1", "$2")
    };
    ($org:literal, $user:literal) => {
        concat!(
            "c.deleted_at IS NULL AND ( (c.visibility = 'internal' AND c.org_id = ",
            $org,
            ") OR (c.visibility = 'partners' AND (c.org_id = ",
            $org,
            " OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.org_id = ",
            $org,
            "))) OR (c.visibility = 'restricted' AND EXISTS \
             (SELECT 1 FROM case_members m WHERE m.case_id = c.id AND m.user_id = ",
            $user,
            "))) "
        )
    };
}

macro_rules! visible_cases {
    ($rest:literal) => {
        concat!(
            "SELECT c.id, c.org_id, c.created_by, c.visibility, c.status, c.risk, c.country, c.title, c.summary, \
             c.pseudonym, c.urgency, c.assignee_id, c.sector, c.acknowledged_at, c.first_action_at, \
             c.created_at, c.updated_at FROM cases c WHERE ",
            visible_to!(),
            $rest
        )
    };
}

/// The members, partner organisations and people of cases, by case id, read in one query each
/// rather than three per case, so that listing a thousand cases is three queries, not 3,000.
#[derive(Default)]
struct Parts {
    members: HashMap<String, Vec<UserId>>,
    shares: HashMap<String, Vec<OrgId>>,
    people: HashMap<String, Vec<Row>>,
}

impl Parts {
    fn from_rows(members: &[Row], shares: &[Row], people: Vec<Row>) -> StoreResult<Parts> {
        let mut parts = Parts::default();
        for r in members {
            parts.members.entry(r.text("case_id")?).or_default().push(r.parse("user_id")?);
        }
        for r in shares {
            parts.shares.entry(r.text("case_id")?).or_default().push(r.parse("org_id")?);
        }
        for r in people {
            parts.people.entry(r.text("case_id")?).or_default().push(r);
        }
        Ok(parts)
    }
}

/// An optional column holding a vocabulary term or id.
pub(crate) fn parse_opt<T: std::str::FromStr>(row: &Row, col: &str) -> StoreResult<Option<T>>
where
    T::Err: std::fmt::Display,
{
    row.get::<Option<String>>(col)?
        .map(|raw| raw.parse().map_err(|e| StoreError::Corrupt(format!("column {col} holds '{raw}': {e}"))))
        .transpose()
}

pub(crate) fn open_text(ring: &Keyring, table: &str, record: &str, field: &str, sealed: &str) -> StoreResult<String> {
    ring.open(Slot { table, record, field }, sealed).map_err(StoreError::Sealed)
}

pub(crate) fn open_opt(
    ring: &Keyring,
    table: &str,
    record: &str,
    field: &str,
    sealed: Option<String>,
) -> StoreResult<Option<String>> {
    sealed.map(|s| open_text(ring, table, record, field, &s)).transpose()
}

pub(crate) fn seal(ring: &Keyring, table: &str, record: &str, field: &str, plain: &str) -> String {
    ring.seal(Slot { table, record, field }, plain)
}

pub(crate) fn seal_opt(ring: &Keyring, table: &str, record: &str, field: &str, plain: Option<&str>) -> Option<String> {
    plain.map(|p| seal(ring, table, record, field, p))
}

/// A case its reader may see, opened by [`Store::open_case`] (audited): the key to its parts.
/// It cannot be made outside the store, so holding one proves the read was allowed and recorded.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The case as its reader sees it (private, so that no one outside the store makes one).
    case: Case,
}

impl Opened {
    /// The case's id.
    pub fn id(&self) -> CaseId {
        self.case.id
    }

    /// The case as its reader sees it.
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// The case, giving up the key to its parts.
    pub fn into_case(self) -> Case {
        self.case
    }
}

impl Store {
    /// Records a case owned by the reporter's organisation. The reporter is always named on it,
    /// so a restricted case is never out of its own reporter's sight.
    pub async fn create_case(
        &self,
        actor: &Actor,
        reporter: &Viewer,
        new: NewCase,
        members: &[UserId],
        shared_with: &[OrgId],
    ) -> StoreResult<Case> {
        let mut w = self.write().await?;
        let now = steward_core::clock::now();
        let case = insert_case(self.keyring()?, &mut w, actor, reporter, new, members, shared_with, now).await?;
        w.commit().await?;
        Ok(case)
    }

    /// The cases `viewer` may see, newest first. Listing is not audited; opening one is.
    pub async fn cases_for(&self, viewer: &Viewer) -> StoreResult<Vec<Case>> {
        let rows = self
            .db
            .all(
                Q::new(visible_cases!("ORDER BY c.created_at DESC, c.id DESC"))
                    .text(viewer.org.to_string())
                    .text(viewer.user.to_string()),
            )
            .await?;
        let (org, user) = (viewer.org.to_string(), viewer.user.to_string());
        let members = self
            .db
            .all(
                Q::new(concat!(
                    "SELECT x.case_id, x.user_id FROM case_members x WHERE x.case_id IN (SELECT c.id FROM cases c WHERE ",
                    visible_to!(),
                    ") ORDER BY x.case_id, x.user_id"
                ))
                .text(org.clone())
                .text(user.clone()),
            )
            .await?;
        let shares = self
            .db
            .all(
                Q::new(concat!(
                    "SELECT x.case_id, x.org_id FROM case_shares x WHERE x.case_id IN (SELECT c.id FROM cases c WHERE ",
                    visible_to!(),
                    ") ORDER BY x.case_id, x.org_id"
                ))
                .text(org.clone())
                .text(user.clone()),
            )
            .await?;
        let people = self
            .db
            .all(
                Q::new(concat!(
                    "SELECT p.case_id, p.id, p.name, p.role, p.organisation, p.contact, p.other_names, p.workplace, \
                     p.sector, p.country, p.organisation_id, p.workplace_link FROM case_people p WHERE p.case_id IN (SELECT c.id FROM cases c WHERE ",
                    visible_to!(),
                    ") ORDER BY p.case_id, p.position"
                ))
                .text(org)
                .text(user),
            )
            .await?;
        let parts = Parts::from_rows(&members, &shares, people)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some(case) = self.case_from(row, viewer, &parts)? {
                out.push(case);
            }
        }
        Ok(out)
    }

    /// One case, if `viewer` may see it; otherwise exactly the error a missing case gives.
    /// Reading a restricted or partners case is written to the audit trail.
    pub async fn case_for(&self, actor: &Actor, viewer: &Viewer, id: CaseId) -> StoreResult<Case> {
        Ok(self.open_case(actor, viewer, id).await?.into_case())
    }

    /// Opens a case for reading its parts (incidents, sources, attachments, actions,
    /// highlights, history), which are read through the [`Opened`] this returns and no other
    /// way: so no part of a restricted or partners case is read without the opening being
    /// written to the audit trail, once per reading.
    pub async fn open_case(&self, actor: &Actor, viewer: &Viewer, id: CaseId) -> StoreResult<Opened> {
        let case = self.visible_case(viewer, id).await?;
        if case.access().reads_are_audited() {
            let mut w = self.write().await?;
            w.audit(AuditEvent::new(actor, "view", "case", case.id, None, None)).await?;
            w.commit().await?;
        }
        Ok(Opened { case })
    }

    /// Whether `viewer` may see a case: `NotFound` (as for a missing case) when not. Reads
    /// nothing of the case; for checking before accepting a large upload.
    pub async fn ensure_case_visible(&self, viewer: &Viewer, id: CaseId) -> StoreResult<()> {
        self.visible_case(viewer, id).await.map(|_| ())
    }

    /// One case if `viewer` may see it, without writing the read to the audit trail: for
    /// changes, whose own audit entries record the access.
    pub(crate) async fn visible_case(&self, viewer: &Viewer, id: CaseId) -> StoreResult<Case> {
        let not_found = || StoreError::NotFound { entity: "case", key: id.to_string() };
        let row = self
            .db
            .opt(
                Q::new(visible_cases!("AND c.id = $3"))
                    .text(viewer.org.to_string())
                    .text(viewer.user.to_string())
                    .text(id.to_string()),
            )
            .await?
            .ok_or_else(not_found)?;
        let key = id.to_string();
        let members = self
            .db
            .all(
                Q::new("SELECT case_id, user_id FROM case_members WHERE case_id = $1 ORDER BY user_id")
                    .text(key.clone()),
            )
            .await?;
        let shares = self
            .db
            .all(Q::new("SELECT case_id, org_id FROM case_shares WHERE case_id = $1 ORDER BY org_id").text(key.clone()))
            .await?;
        let people = self
            .db
            .all(
                Q::new(
                    "SELECT p.case_id, p.id, p.name, p.role, p.organisation, p.contact, p.other_names, p.workplace, \
                     p.sector, p.country, p.organisation_id, p.workplace_link FROM case_people p WHERE p.case_id = $1 ORDER BY p.position",
                )
                .text(key),
            )
            .await?;
        let parts = Parts::from_rows(&members, &shares, people)?;
        self.case_from(&row, viewer, &parts)?.ok_or_else(not_found)
    }

    /// Everything `viewer` may see, for an export; the export itself is audited on each case, so
    /// that a case's readers can see that it left the system and who took it.
    pub async fn export_cases(&self, actor: &Actor, viewer: &Viewer) -> StoreResult<Vec<Case>> {
        let cases = self.cases_for(viewer).await?;
        if !cases.is_empty() {
            let mut w = self.write().await?;
            for case in &cases {
                w.audit(AuditEvent::new(actor, "export", "case", case.id, None, None)).await?;
            }
            w.commit().await?;
        }
        Ok(cases)
    }

    /// Builds a case from its row and its parts, or `None` when the one rule says the viewer may
    /// not see it.
    fn case_from(&self, row: &Row, viewer: &Viewer, parts: &Parts) -> StoreResult<Option<Case>> {
        let id: CaseId = row.parse("id")?;
        let key = id.to_string();
        let members = parts.members.get(&key).cloned().unwrap_or_default();
        let shared_with = parts.shares.get(&key).cloned().unwrap_or_default();
        let mut case = Case {
            id,
            org_id: row.parse("org_id")?,
            created_by: row.parse("created_by")?,
            title: String::new(),
            summary: String::new(),
            pseudonym: None,
            country: row.get("country")?,
            risk: row.parse("risk")?,
            urgency: parse_opt(row, "urgency")?,
            status: row.parse("status")?,
            visibility: row.parse("visibility")?,
            assignee: parse_opt(row, "assignee_id")?,
            sector: row.get("sector")?,
            acknowledged_at: row.get("acknowledged_at")?,
            first_action_at: row.get("first_action_at")?,
            people: Vec::new(),
            members,
            shared_with,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
        };
        if !case.access().permits(viewer) {
            tracing::error!(case = %id, "the visibility query admitted a case the visibility rule refuses; hidden");
            return Ok(None);
        }
        let ring = self.keyring()?;
        case.title = open_text(ring, "cases", &key, "title", &row.text("title")?)?;
        case.summary = open_text(ring, "cases", &key, "summary", &row.text("summary")?)?;
        case.pseudonym = open_opt(ring, "cases", &key, "pseudonym", row.get("pseudonym")?)?;
        let people = parts.people.get(&key).map(Vec::as_slice).unwrap_or_default();
        for p in people {
            let pid = p.text("id")?;
            case.people.push(PersonAtRisk {
                name: open_text(ring, "case_people", &pid, "name", &p.text("name")?)?,
                role: p
                    .get::<Option<String>>("role")?
                    .map(|r| r.parse::<PersonRole>())
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("case_people.role: {e}")))?,
                organisation: open_opt(ring, "case_people", &pid, "organisation", p.get("organisation")?)?,
                contact: open_opt(ring, "case_people", &pid, "contact", p.get("contact")?)?,
                other_names: open_opt(ring, "case_people", &pid, "other_names", p.get("other_names")?)?,
                workplace: open_opt(ring, "case_people", &pid, "workplace", p.get("workplace")?)?,
                sector: p.get("sector")?,
                country: p.get("country")?,
                organisation_id: open_opt(ring, "case_people", &pid, "organisation_id", p.get("organisation_id")?)?
                    .map(|o| o.parse::<OrgId>())
                    .transpose()
                    .map_err(|e| StoreError::Corrupt(format!("case_people.organisation_id: {e}")))?,
                // The registry is its organisation's business: others on the case see the
                // workplace as written, not where it sits in someone's supply chain.
                workplace_link: match open_opt(ring, "case_people", &pid, "workplace_link", p.get("workplace_link")?)? {
                    Some(json) if viewer.org == case.org_id => Some(
                        serde_json::from_str(&json)
                            .map_err(|e| StoreError::Corrupt(format!("case_people.workplace_link: {e}")))?,
                    ),
                    _ => None,
                },
            });
        }
        Ok(Some(case))
    }
}

/// Adds a person at risk to a case within an open write, at `position` (0 is the first).
pub(crate) async fn insert_person(
    ring: &Keyring,
    w: &mut Write,
    case: &str,
    position: usize,
    person: &PersonAtRisk,
) -> StoreResult<()> {
    let pid = uuid::Uuid::now_v7().to_string();
    let links = seal_link_fields(ring, &pid, person);
    w.tx.exec(
        Q::new(
            "INSERT INTO case_people (id, case_id, position, name, role, organisation, contact, other_names, workplace, \
             sector, country, organisation_id, workplace_link) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .text(pid.clone())
        .text(case)
        .int(i64::try_from(position).unwrap_or(i64::MAX))
        .text(seal(ring, "case_people", &pid, "name", &person.name))
        .opt_text(person.role.map(|r| r.as_str()))
        .opt_text(seal_opt(ring, "case_people", &pid, "organisation", person.organisation.as_deref()))
        .opt_text(seal_opt(ring, "case_people", &pid, "contact", person.contact.as_deref()))
        .opt_text(seal_opt(ring, "case_people", &pid, "other_names", person.other_names.as_deref()))
        .opt_text(seal_opt(ring, "case_people", &pid, "workplace", person.workplace.as_deref()))
        .opt_text(person.sector.clone())
        .opt_text(person.country.clone())
        .opt_text(links.0)
        .opt_text(links.1),
    )
    .await?;
    Ok(())
}

/// The sealed `organisation_id` and `workplace_link` of a person row.
pub(crate) fn seal_link_fields(ring: &Keyring, pid: &str, person: &PersonAtRisk) -> (Option<String>, Option<String>) {
    let org = person.organisation_id.map(|o| o.to_string());
    let link = person.workplace_link.as_ref().and_then(|l| serde_json::to_string(l).ok());
    (
        seal_opt(ring, "case_people", pid, "organisation_id", org.as_deref()),
        seal_opt(ring, "case_people", pid, "workplace_link", link.as_deref()),
    )
}

/// Inserts a case within an open write (also used when an alert becomes a case), reported at
/// `reported_at`: when the news arrived, which is when its response clocks start.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_case(
    ring: &Keyring,
    w: &mut Write,
    actor: &Actor,
    reporter: &Viewer,
    new: NewCase,
    members: &[UserId],
    shared_with: &[OrgId],
    reported_at: time::OffsetDateTime,
) -> StoreResult<Case> {
    let now = reported_at;
    let id = CaseId::new();
    let key = id.to_string();
    let members: Vec<UserId> =
        std::iter::once(reporter.user).chain(members.iter().copied()).collect::<BTreeSet<_>>().into_iter().collect();
    let shared_with: Vec<OrgId> =
        shared_with.iter().copied().filter(|o| *o != reporter.org).collect::<BTreeSet<_>>().into_iter().collect();
    w.tx.exec(
        Q::new(
            "INSERT INTO cases (id, org_id, created_by, visibility, status, risk, country, title, summary, pseudonym, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .text(key.clone())
        .text(reporter.org.to_string())
        .text(reporter.user.to_string())
        .text(new.visibility.as_str())
        .text(CaseStatus::New.as_str())
        .text(new.risk.as_str())
        .opt_text(new.country.clone())
        .text(seal(ring, "cases", &key, "title", &new.title))
        .text(seal(ring, "cases", &key, "summary", &new.summary))
        .opt_text(seal_opt(ring, "cases", &key, "pseudonym", new.pseudonym.as_deref()))
        .time(now),
    )
    .await?;
    for (position, person) in new.people.iter().enumerate() {
        insert_person(ring, w, &key, position, person).await?;
    }
    for user in &members {
        w.tx.exec(
            Q::new("INSERT INTO case_members (case_id, user_id) VALUES ($1, $2)")
                .text(key.clone())
                .text(user.to_string()),
        )
        .await?;
    }
    for org in &shared_with {
        w.tx.exec(
            Q::new("INSERT INTO case_shares (case_id, org_id) VALUES ($1, $2)").text(key.clone()).text(org.to_string()),
        )
        .await?;
    }
    // The trail records that a case exists and who may see it, never what it says.
    let after = json!({
        "visibility": new.visibility.as_str(),
        "members": members.len(),
        "shared_with": shared_with.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
    });
    w.audit(AuditEvent::new(actor, "create", "case", id, None, Some(after))).await?;
    Ok(Case {
        id,
        org_id: reporter.org,
        created_by: reporter.user,
        title: new.title,
        summary: new.summary,
        pseudonym: new.pseudonym,
        country: new.country,
        risk: new.risk,
        urgency: None,
        status: CaseStatus::New,
        visibility: new.visibility,
        assignee: None,
        sector: None,
        acknowledged_at: None,
        first_action_at: None,
        people: new.people,
        members,
        shared_with,
        created_at: now,
        updated_at: now,
    })
}
