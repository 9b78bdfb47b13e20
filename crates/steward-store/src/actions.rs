//! Actions of a case: proposed by anyone who may see the case, moved on by the case's own
//! organisation or by the organisation that owns the action. Descriptions and outcomes are
//! sealed. The first action under way stops the case's second response clock.

use crate::case_edits::{deletion_reason, must_manage, revise, revise_fields, Change};
use crate::cases::Opened;
use crate::cases::{open_opt, parse_opt, seal, seal_opt};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::action::{parse_day, Action, ActionProgress, ActionStatus, ActionType, NewAction};
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{CaseId, Viewer};
use steward_core::ids::{OrgId, UserId};
use steward_core::seal::Keyring;
use time::Date;

const TABLE: &str = "case_actions";

/// An action as asked for, before it is checked against its case.
#[derive(Debug, Clone)]
pub struct ActionDraft {
    /// What kind.
    pub kind: ActionType,
    /// The organisation responsible.
    pub owner_org: OrgId,
    /// The person responsible.
    pub owner_user: Option<UserId>,
    /// Where it starts.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What is to be done (sensitive).
    pub description: Option<String>,
}

impl Store {
    /// Adds an action to a case `viewer` may see, after [`NewAction::new`] has checked that its
    /// owner may see the case.
    pub async fn add_action(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        draft: ActionDraft,
    ) -> StoreResult<Action> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        let owner_user = match draft.owner_user {
            Some(user) => Some((user, self.user_org(user).await?)),
            None => None,
        };
        let new = NewAction::new(
            &case,
            draft.kind,
            draft.owner_org,
            owner_user,
            draft.status,
            draft.due,
            draft.description.as_deref(),
        )?;
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "INSERT INTO case_actions (id, case_id, kind, owner_org_id, owner_user_id, status, due, description, \
                 created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .text(new.kind.as_str())
            .text(new.owner_org.to_string())
            .opt_text(new.owner_user.map(|u| u.to_string()))
            .text(new.status.as_str())
            .opt_text(new.due.map(|d| d.to_string()))
            .opt_text(seal_opt(ring, TABLE, &id, "description", new.description.as_deref()))
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        self.touch_case(&mut w, case_id, viewer, case.org_id, new.status).await?;
        if let Some(user) = new.owner_user.filter(|u| *u != viewer.user) {
            crate::notices::notify(&mut w, &[user], crate::notices::NoticeKind::Action, &id, Some(case_id)).await?;
        }
        let summary = json!({
            "action": id, "kind": new.kind.as_str(), "owner": new.owner_org.to_string(), "status": new.status.as_str(),
        });
        w.audit(AuditEvent::new(actor, "add action", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Action {
            id,
            kind: new.kind,
            owner_org: new.owner_org,
            owner_user: new.owner_user,
            status: new.status,
            due: new.due,
            description: new.description,
            outcome: None,
            outcome_date: None,
            created_at: now,
            updated_at: now,
        })
    }

    /// Replaces what an action is, who owns it, when it is due and its description (its status
    /// moves with [`Store::progress_action`]). Allowed to the case's own organisation and to the
    /// action's owner; the new owner is checked as a new action's would be, and each changed field
    /// is kept in the case's sealed history.
    pub async fn edit_action(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        action_id: &str,
        draft: ActionDraft,
    ) -> StoreResult<Action> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        let ring = self.keyring()?;
        let before = self.action_row(ring, case_id, action_id).await?;
        if viewer.org != case.org_id && viewer.org != before.owner_org {
            return Err(StoreError::Refused("only the case's organisation and the action's owner can edit it".into()));
        }
        let owner_user = match draft.owner_user {
            Some(user) => Some((user, self.user_org(user).await?)),
            None => None,
        };
        // Checked as a new action would be; the status is the action's own business.
        let new = NewAction::new(
            &case,
            draft.kind,
            draft.owner_org,
            owner_user,
            ActionStatus::Proposed,
            draft.due,
            draft.description.as_deref(),
        )?;
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "UPDATE case_actions SET kind = $1, owner_org_id = $2, owner_user_id = $3, due = $4, description = $5, \
                 updated_at = $6 WHERE id = $7",
            )
            .text(new.kind.as_str())
            .text(new.owner_org.to_string())
            .opt_text(new.owner_user.map(|u| u.to_string()))
            .opt_text(new.due.map(|d| d.to_string()))
            .opt_text(seal_opt(ring, TABLE, &before.id, "description", new.description.as_deref()))
            .time(now)
            .text(before.id.clone()),
        )
        .await?;
        let record = format!("action {}", before.id);
        let fields = vec![
            ("kind", Some(before.kind.to_string()), Some(new.kind.to_string())),
            ("owner", Some(before.owner_org.to_string()), Some(new.owner_org.to_string())),
            ("owner user", before.owner_user.map(|u| u.to_string()), new.owner_user.map(|u| u.to_string())),
            ("due", before.due.map(|d| d.to_string()), new.due.map(|d| d.to_string())),
            ("description", before.description.clone(), new.description.clone()),
        ];
        let changed = revise_fields(ring, &mut w, case_id, actor, now, &record, fields).await?;
        if let Some(user) = new.owner_user.filter(|u| Some(*u) != before.owner_user && *u != viewer.user) {
            crate::notices::notify(&mut w, &[user], crate::notices::NoticeKind::Action, &before.id, Some(case_id))
                .await?;
        }
        let summary = json!({ "action": before.id, "fields": changed });
        w.audit(AuditEvent::new(actor, "edit action", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Action {
            kind: new.kind,
            owner_org: new.owner_org,
            owner_user: new.owner_user,
            due: new.due,
            description: new.description,
            updated_at: now,
            ..before
        })
    }

    /// Moves an action on. Allowed to the case's own organisation and to the action's owner.
    pub async fn progress_action(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        action_id: &str,
        progress: ActionProgress,
    ) -> StoreResult<Action> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        let ring = self.keyring()?;
        let mut action = self.action_row(ring, case_id, action_id).await?;
        if viewer.org != case.org_id && viewer.org != action.owner_org {
            return Err(StoreError::Refused(
                "only the case's organisation and the action's owner can move an action on".into(),
            ));
        }
        let before = action.clone();
        action.status = before.status.become_(progress.status)?;
        if progress.outcome.is_some() {
            action.outcome = progress.outcome;
            action.outcome_date = progress.outcome_date;
        }
        let now = steward_core::clock::now();
        action.updated_at = now;
        w.tx.exec(
            Q::new(
                "UPDATE case_actions SET status = $1, outcome = $2, outcome_date = $3, updated_at = $4 WHERE id = $5",
            )
            .text(action.status.as_str())
            .opt_text(seal_opt(ring, TABLE, &action.id, "outcome", action.outcome.as_deref()))
            .opt_text(action.outcome_date.map(|d| d.to_string()))
            .time(now)
            .text(action.id.clone()),
        )
        .await?;
        let record = format!("action {}", action.id);
        let changes = vec![
            ("status", Some(before.status.to_string()), Some(action.status.to_string())),
            ("outcome", before.outcome.clone(), action.outcome.clone()),
            ("outcome_date", before.outcome_date.map(|d| d.to_string()), action.outcome_date.map(|d| d.to_string())),
        ];
        revise_fields(ring, &mut w, case_id, actor, now, &record, changes).await?;
        self.touch_case(&mut w, case_id, viewer, case.org_id, action.status).await?;
        let summary = json!({ "action": action.id, "status": action.status.as_str() });
        w.audit(AuditEvent::new(actor, "update action", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(action)
    }

    /// The actions of a case `viewer` may see, oldest first.
    pub async fn actions_for(&self, opened: &Opened) -> StoreResult<Vec<Action>> {
        let case_id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, kind, owner_org_id, owner_user_id, status, due, description, outcome, outcome_date, \
                     created_at, updated_at FROM case_actions WHERE case_id = $1 AND deleted_at IS NULL \
                     ORDER BY created_at, id",
                )
                .text(case_id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter().map(|r| action_from(ring, r)).collect()
    }

    /// Deletes an action softly, with the reason (sealed), by the case's own organisation.
    pub async fn delete_action(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        action_id: &str,
        reason: &str,
    ) -> StoreResult<()> {
        let reason = deletion_reason(reason)?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let action = self.action_row(ring, case_id, action_id).await?;
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE case_actions SET deleted_at = $1, deleted_reason = $2, updated_at = $1 WHERE id = $3")
                .time(now)
                .text(seal(ring, TABLE, &action.id, "deleted_reason", &reason))
                .text(action.id.clone()),
        )
        .await?;
        let record = format!("action {}", action.id);
        revise(
            ring,
            &mut w,
            case_id,
            actor,
            now,
            Change { record: &record, field: "deleted", before: None, after: Some(reason) },
        )
        .await?;
        let summary = json!({ "action": action.id });
        w.audit(AuditEvent::new(actor, "delete action", "case", case_id, None, Some(summary))).await?;
        w.commit().await
    }

    async fn action_row(&self, ring: &Keyring, case_id: CaseId, action_id: &str) -> StoreResult<Action> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, kind, owner_org_id, owner_user_id, status, due, description, outcome, outcome_date, \
                     created_at, updated_at FROM case_actions WHERE id = $1 AND case_id = $2 AND deleted_at IS NULL",
                )
                .text(action_id)
                .text(case_id.to_string()),
            )
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "action", key: action_id.to_string() })?;
        action_from(ring, &row)
    }

    /// Marks the case changed; an action under way stops its first-action clock, and any work
    /// by the case's own organisation acknowledges it.
    async fn touch_case(
        &self,
        w: &mut crate::write::Write,
        case_id: CaseId,
        viewer: &Viewer,
        owner: OrgId,
        status: ActionStatus,
    ) -> StoreResult<()> {
        let now = steward_core::clock::now();
        let ours = viewer.org == owner;
        w.tx.exec(
            Q::new(
                "UPDATE cases SET updated_at = $1, \
                 acknowledged_at = CASE WHEN acknowledged_at IS NULL AND $2 THEN $1 ELSE acknowledged_at END, \
                 first_action_at = CASE WHEN first_action_at IS NULL AND $3 THEN $1 ELSE first_action_at END \
                 WHERE id = $4",
            )
            .time(now)
            .boolean(ours)
            .boolean(status.is_under_way())
            .text(case_id.to_string()),
        )
        .await?;
        Ok(())
    }
}

fn day(row: &Row, col: &str) -> StoreResult<Option<Date>> {
    row.get::<Option<String>>(col)?
        .map(|d| parse_day("date", &d).map_err(|e| StoreError::Corrupt(format!("{col}: {e}"))))
        .transpose()
}

fn action_from(ring: &Keyring, r: &Row) -> StoreResult<Action> {
    let id = r.text("id")?;
    Ok(Action {
        kind: r.parse("kind")?,
        owner_org: r.parse("owner_org_id")?,
        owner_user: parse_opt(r, "owner_user_id")?,
        status: r.parse("status")?,
        due: day(r, "due")?,
        description: open_opt(ring, TABLE, &id, "description", r.get("description")?)?,
        outcome: open_opt(ring, TABLE, &id, "outcome", r.get("outcome")?)?,
        outcome_date: day(r, "outcome_date")?,
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
        id,
    })
}
