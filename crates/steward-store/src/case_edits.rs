//! Changing a case: triage, status, its text, soft deletion, and the sealed history of edits.
//!
//! Every change is made inside one write that re-reads the case as the viewer sees it, so the
//! visibility rule and the status rules are checked against what is stored, not against what a
//! page showed a minute ago. Each changed field leaves a revision with its old and new value,
//! sealed like the case; the audit trail records only which fields changed.

use crate::cases::Opened;
use crate::cases::{open_opt, parse_opt, seal_opt};
use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::write::Write;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{Case, CaseId, CaseUpdate, PersonAtRisk, Viewer, Visibility, MAX_SHORT};
use steward_core::ids::{OrgId, UserId};
use steward_core::seal::Keyring;
use steward_core::CoreError;
use time::OffsetDateTime;

/// One edited field of a case or of one of its parts, as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// When.
    pub at: OffsetDateTime,
    /// Who (as the audit trail names them).
    pub actor: String,
    /// What was edited: `case`, `incident ID` or `action ID`.
    pub record: String,
    /// Which field.
    pub field: String,
    /// The value before, if there was one.
    pub before: Option<String>,
    /// The value after, if there is one.
    pub after: Option<String>,
}

/// One field's change within a write, sealed.
pub(crate) struct Change<'a> {
    pub(crate) record: &'a str,
    pub(crate) field: &'a str,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

/// Records every field whose value changed (`(field, before, after)`) in the case's history,
/// inside the write that makes the change; answers the fields that changed, for the audit trail.
pub(crate) async fn revise_fields(
    ring: &Keyring,
    w: &mut Write,
    case: CaseId,
    actor: &Actor,
    at: OffsetDateTime,
    record: &str,
    fields: Vec<(&'static str, Option<String>, Option<String>)>,
) -> StoreResult<Vec<&'static str>> {
    let mut changed = Vec::new();
    for (field, before, after) in fields {
        if before != after {
            changed.push(field);
            revise(ring, w, case, actor, at, Change { record, field, before, after }).await?;
        }
    }
    Ok(changed)
}

/// Records `change` in the case's history, inside the write that makes it.
pub(crate) async fn revise(
    ring: &Keyring,
    w: &mut Write,
    case: CaseId,
    actor: &Actor,
    at: OffsetDateTime,
    change: Change<'_>,
) -> StoreResult<()> {
    let id = uuid::Uuid::now_v7().to_string();
    w.tx.exec(
        Q::new(
            "INSERT INTO case_revisions (id, case_id, at, actor, record, field, before, after) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .text(id.clone())
        .text(case.to_string())
        .time(at)
        .text(actor.label.clone())
        .text(change.record)
        .text(change.field)
        .opt_text(seal_opt(ring, "case_revisions", &id, "before", change.before.as_deref()))
        .opt_text(seal_opt(ring, "case_revisions", &id, "after", change.after.as_deref())),
    )
    .await?;
    Ok(())
}

/// Refuses a change to the case itself from outside its organisation.
pub(crate) fn must_manage(case: &Case, viewer: &Viewer) -> StoreResult<()> {
    if case.may_manage(viewer) {
        Ok(())
    } else {
        Err(StoreError::Refused(
            "only the case's own organisation triages, edits or deletes it; partners work on its actions".into(),
        ))
    }
}

/// The reason given for a deletion, checked.
pub(crate) fn deletion_reason(reason: &str) -> StoreResult<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_SHORT {
        return Err(CoreError::InvalidLength { field: "reason", max: MAX_SHORT }.into());
    }
    Ok(reason.to_string())
}

impl Store {
    /// Triage and edits: applies every field `update` gives. The first change by the case's own
    /// organisation acknowledges it (stopping the first response clock).
    pub async fn update_case(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: CaseId,
        update: CaseUpdate,
    ) -> StoreResult<Case> {
        let update = update.validated()?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, id).await?;
        must_manage(&case, viewer)?;
        let mut next = case.clone();
        let mut changes: Vec<(&'static str, Option<String>, Option<String>)> = Vec::new();
        fn note<T: PartialEq>(
            changes: &mut Vec<(&'static str, Option<String>, Option<String>)>,
            field: &'static str,
            slot: &mut T,
            new: Option<T>,
            show: impl Fn(&T) -> Option<String>,
        ) {
            if let Some(new) = new {
                if *slot != new {
                    changes.push((field, show(slot), show(&new)));
                    *slot = new;
                }
            }
        }
        if let Some(status) = update.status {
            if status != case.status {
                case.status.become_(status)?;
            }
        }
        if let Some(Some(user)) = update.assignee {
            let org = self.user_org(user).await?;
            if !case.access().permits(&Viewer { user, org }) {
                return Err(CoreError::InvalidReference {
                    field: "assignee",
                    reason: "the person assigned must be able to see the case".into(),
                }
                .into());
            }
        }
        note(&mut changes, "status", &mut next.status, update.status, |v| Some(v.to_string()));
        note(&mut changes, "risk", &mut next.risk, update.risk, |v| Some(v.to_string()));
        note(&mut changes, "urgency", &mut next.urgency, update.urgency.map(Some), |v| v.map(|u| u.to_string()));
        note(&mut changes, "assignee", &mut next.assignee, update.assignee, |v| v.map(|u| u.to_string()));
        note(&mut changes, "sector", &mut next.sector, update.sector, Clone::clone);
        note(&mut changes, "title", &mut next.title, update.title, |v| Some(v.clone()));
        note(&mut changes, "summary", &mut next.summary, update.summary, |v| Some(v.clone()));
        note(&mut changes, "pseudonym", &mut next.pseudonym, update.pseudonym, Clone::clone);
        if changes.is_empty() {
            return Ok(case);
        }
        let now = steward_core::clock::now();
        next.updated_at = now;
        next.acknowledged_at = next.acknowledged_at.or(Some(now));
        let ring = self.keyring()?;
        let key = id.to_string();
        w.tx.exec(
            Q::new(
                "UPDATE cases SET status = $1, risk = $2, urgency = $3, assignee_id = $4, sector = $5, title = $6, \
                 summary = $7, pseudonym = $8, acknowledged_at = $9, updated_at = $10 WHERE id = $11",
            )
            .text(next.status.as_str())
            .text(next.risk.as_str())
            .opt_text(next.urgency.map(|u| u.as_str()))
            .opt_text(next.assignee.map(|u| u.to_string()))
            .opt_text(next.sector.clone())
            .text(ring.seal(slot(&key, "title"), &next.title))
            .text(ring.seal(slot(&key, "summary"), &next.summary))
            .opt_text(seal_opt(ring, "cases", &key, "pseudonym", next.pseudonym.as_deref()))
            .opt_time(next.acknowledged_at)
            .time(now)
            .text(key.clone()),
        )
        .await?;
        for (field, before, after) in &changes {
            let change = Change { record: "case", field, before: before.clone(), after: after.clone() };
            revise(ring, &mut w, id, actor, now, change).await?;
        }
        let fields: Vec<&str> = changes.iter().map(|(f, _, _)| *f).collect();
        if let Some(user) = next.assignee.filter(|u| Some(*u) != case.assignee && *u != viewer.user) {
            let subject = id.to_string();
            crate::notices::notify(&mut w, &[user], crate::notices::NoticeKind::Assigned, &subject, Some(id)).await?;
        }
        // Only non-sensitive facts reach the trail: which fields, and the new status and risk.
        let summary = json!({ "fields": fields, "status": next.status.as_str(), "risk": next.risk.as_str() });
        w.audit(AuditEvent::new(actor, "update", "case", id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(next)
    }

    /// Changes who may see a case (its organisation's coordinators only). The one changing it
    /// stays named on a restricted case, so no one locks themselves out; a partners case is never
    /// "shared" with its own organisation. Returns the case as it now is.
    pub async fn set_case_access(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: CaseId,
        visibility: Visibility,
        members: &[UserId],
        shared_with: &[OrgId],
    ) -> StoreResult<Case> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, id).await?;
        must_manage(&case, viewer)?;
        let key = id.to_string();
        let mut members: Vec<UserId> = members.to_vec();
        if visibility == Visibility::Restricted && !members.contains(&viewer.user) {
            members.push(viewer.user);
        }
        members.sort();
        members.dedup();
        let mut shared: Vec<OrgId> = shared_with.iter().copied().filter(|o| *o != case.org_id).collect();
        shared.sort();
        shared.dedup();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE cases SET visibility = $1, updated_at = $2 WHERE id = $3")
                .text(visibility.as_str())
                .time(now)
                .text(key.clone()),
        )
        .await?;
        w.tx.exec(Q::new("DELETE FROM case_members WHERE case_id = $1").text(key.clone())).await?;
        w.tx.exec(Q::new("DELETE FROM case_shares WHERE case_id = $1").text(key.clone())).await?;
        for user in &members {
            w.tx.exec(
                Q::new("INSERT INTO case_members (case_id, user_id) VALUES ($1, $2)")
                    .text(key.clone())
                    .text(user.to_string()),
            )
            .await?;
        }
        for org in &shared {
            w.tx.exec(
                Q::new("INSERT INTO case_shares (case_id, org_id) VALUES ($1, $2)")
                    .text(key.clone())
                    .text(org.to_string()),
            )
            .await?;
        }
        let show = |v: Visibility, m: &[UserId], s: &[OrgId]| {
            let m: Vec<String> = m.iter().map(|u| u.to_string()).collect();
            let s: Vec<String> = s.iter().map(|o| o.to_string()).collect();
            format!("{v}; members: {}; shared with: {}", m.join(", "), s.join(", "))
        };
        let before = show(case.visibility, &case.members, &case.shared_with);
        let after = show(visibility, &members, &shared);
        let ring = self.keyring()?;
        let change = Change { record: "case", field: "access", before: Some(before), after: Some(after) };
        revise(ring, &mut w, id, actor, now, change).await?;
        let summary = json!({
            "visibility": visibility.as_str(),
            "members": members.len(),
            "shared_with": shared.iter().map(|o| o.to_string()).collect::<Vec<_>>(),
        });
        w.audit(AuditEvent::new(actor, "change access", "case", id, None, Some(summary))).await?;
        w.commit().await?;
        // Read back as the one who changed it (who may see it by the rules above).
        self.visible_case(viewer, id).await
    }

    /// Adds a person at risk (when `position` is `None`) or replaces what is recorded about the
    /// person at `position` (0-based), by the case's own organisation. Each changed field leaves
    /// a sealed revision.
    pub async fn set_person(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: CaseId,
        position: Option<usize>,
        person: PersonAtRisk,
    ) -> StoreResult<Case> {
        let person = person.validated()?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let key = id.to_string();
        let now = steward_core::clock::now();
        match position {
            None => {
                if case.people.len() >= steward_core::case::MAX_PEOPLE {
                    return Err(
                        CoreError::InvalidLength { field: "people", max: steward_core::case::MAX_PEOPLE }.into()
                    );
                }
                crate::cases::insert_person(ring, &mut w, &key, case.people.len(), &person).await?;
                let record = format!("person {}", case.people.len() + 1);
                let change = Change { record: &record, field: "added", before: None, after: Some(person.name.clone()) };
                revise(ring, &mut w, id, actor, now, change).await?;
            }
            Some(at) => {
                let before = case
                    .people
                    .get(at)
                    .ok_or_else(|| StoreError::NotFound { entity: "person", key: format!("{}", at + 1) })?;
                let row =
                    w.tx.one(
                        Q::new("SELECT id FROM case_people WHERE case_id = $1 AND position = $2")
                            .text(key.clone())
                            .int(i64::try_from(at).unwrap_or(i64::MAX)),
                    )
                    .await?;
                let pid = row.text("id")?;
                let links = crate::cases::seal_link_fields(ring, &pid, &person);
                w.tx.exec(
                    Q::new(
                        "UPDATE case_people SET name = $1, role = $2, organisation = $3, contact = $4, other_names = $5, \
                         workplace = $6, sector = $7, country = $8, organisation_id = $9, workplace_link = $10 \
                         WHERE id = $11",
                    )
                    .text(crate::cases::seal(ring, "case_people", &pid, "name", &person.name))
                    .opt_text(person.role.map(|r| r.as_str()))
                    .opt_text(seal_opt(ring, "case_people", &pid, "organisation", person.organisation.as_deref()))
                    .opt_text(seal_opt(ring, "case_people", &pid, "contact", person.contact.as_deref()))
                    .opt_text(seal_opt(ring, "case_people", &pid, "other_names", person.other_names.as_deref()))
                    .opt_text(seal_opt(ring, "case_people", &pid, "workplace", person.workplace.as_deref()))
                    .opt_text(person.sector.clone())
                    .opt_text(person.country.clone())
                    .opt_text(links.0)
                    .opt_text(links.1)
                    .text(pid),
                )
                .await?;
                let record = format!("person {}", at + 1);
                let fields = vec![
                    ("name", Some(before.name.clone()), Some(person.name.clone())),
                    ("role", before.role.map(|r| r.to_string()), person.role.map(|r| r.to_string())),
                    ("organisation", before.organisation.clone(), person.organisation.clone()),
                    ("contact", before.contact.clone(), person.contact.clone()),
                    ("other names", before.other_names.clone(), person.other_names.clone()),
                    ("workplace", before.workplace.clone(), person.workplace.clone()),
                    ("sector", before.sector.clone(), person.sector.clone()),
                    ("country", before.country.clone(), person.country.clone()),
                    (
                        "organisation record",
                        before.organisation_id.map(|o| o.to_string()),
                        person.organisation_id.map(|o| o.to_string()),
                    ),
                ];
                revise_fields(ring, &mut w, id, actor, now, &record, fields).await?;
            }
        }
        w.tx.exec(Q::new("UPDATE cases SET updated_at = $1 WHERE id = $2").time(now).text(key)).await?;
        let summary =
            json!({ "person": position.map_or(case.people.len() + 1, |p| p + 1), "added": position.is_none() });
        w.audit(AuditEvent::new(actor, "update person", "case", id, None, Some(summary))).await?;
        w.commit().await?;
        self.visible_case(viewer, id).await
    }

    /// Moves a demo case's report (and its acknowledgement and first action) `days` into the past,
    /// so that a fictional dataset shows a year of activity. Only `steward demo load` calls it.
    #[doc(hidden)]
    pub async fn backdate_case_for_demo(&self, id: CaseId, days: i64) -> StoreResult<()> {
        let shift = time::Duration::days(days);
        let row = self
            .db
            .one(
                Q::new("SELECT created_at, acknowledged_at, first_action_at FROM cases WHERE id = $1")
                    .text(id.to_string()),
            )
            .await?;
        let created: OffsetDateTime = row.get("created_at")?;
        let ack: Option<OffsetDateTime> = row.get("acknowledged_at")?;
        let first: Option<OffsetDateTime> = row.get("first_action_at")?;
        // Acknowledged and acted on a few hours after the (earlier) report.
        let at = created - shift;
        self.db
            .exec(
                Q::new("UPDATE cases SET created_at = $1, acknowledged_at = $2, first_action_at = $3 WHERE id = $4")
                    .time(at)
                    .opt_time(ack.map(|_| at + time::Duration::hours(2 + days % 5)))
                    .opt_time(first.map(|_| at + time::Duration::hours(6 + days % 17)))
                    .text(id.to_string()),
            )
            .await?;
        Ok(())
    }

    /// Deletes a case softly: it disappears from every list, page and export, and stays in the
    /// database with the reason (sealed) and an audit entry.
    pub async fn delete_case(&self, actor: &Actor, viewer: &Viewer, id: CaseId, reason: &str) -> StoreResult<()> {
        let reason = deletion_reason(reason)?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let key = id.to_string();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE cases SET deleted_at = $1, deleted_reason = $2, updated_at = $1 WHERE id = $3")
                .time(now)
                .text(
                    ring.seal(
                        steward_core::seal::Slot { table: "cases", record: &key, field: "deleted_reason" },
                        &reason,
                    ),
                )
                .text(key.clone()),
        )
        .await?;
        let change = Change { record: "case", field: "deleted", before: None, after: Some(reason) };
        revise(ring, &mut w, id, actor, now, change).await?;
        w.audit(AuditEvent::new(actor, "delete", "case", id, None, None)).await?;
        w.commit().await
    }

    /// Every edit of a case and its parts, oldest first, if `viewer` may see the case.
    pub async fn case_history(&self, opened: &Opened) -> StoreResult<Vec<Revision>> {
        let id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, at, actor, record, field, before, after FROM case_revisions \
                     WHERE case_id = $1 ORDER BY at, id",
                )
                .text(id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|r| {
                let rid = r.text("id")?;
                Ok(Revision {
                    at: r.get("at")?,
                    actor: r.text("actor")?,
                    record: r.text("record")?,
                    field: r.text("field")?,
                    before: open_opt(ring, "case_revisions", &rid, "before", r.get("before")?)?,
                    after: open_opt(ring, "case_revisions", &rid, "after", r.get("after")?)?,
                })
            })
            .collect()
    }

    /// The organisation a user belongs to.
    pub(crate) async fn user_org(&self, user: UserId) -> StoreResult<steward_core::ids::OrgId> {
        let row = self
            .db
            .opt(Q::new("SELECT org_id FROM users WHERE id = $1").text(user.to_string()))
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "user", key: user.to_string() })?;
        parse_opt(&row, "org_id")?.ok_or_else(|| StoreError::Corrupt("users.org_id is empty".into()))
    }
}

fn slot<'a>(record: &'a str, field: &'a str) -> steward_core::seal::Slot<'a> {
    steward_core::seal::Slot { table: "cases", record, field }
}
