//! Joint statements: drafted by a case's organisation, answered by invited organisations,
//! frozen on publication. Titles and texts are sealed.
//!
//! Who may read one: readers of its case from the drafting organisation, and the invited
//! organisations (who see the statement, never the case). Everything else answers as missing.

use crate::case_edits::{revise, Change};
use crate::cases::{open_text, parse_opt, seal};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::write::Write;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{CaseId, Viewer};
use steward_core::ids::OrgId;
use steward_core::statement::{Answer, Invitation, Statement, StatementStatus, StatementText};

const TABLE: &str = "statements";

/// Most organisations invited to one statement.
pub const MAX_INVITED: usize = 200;

fn not_found(id: &str) -> StoreError {
    StoreError::NotFound { entity: "statement", key: id.to_string() }
}

fn refused(why: &str) -> StoreError {
    StoreError::Refused(why.to_string())
}

impl Store {
    /// Drafts a statement on a case: only the case's own organisation drafts, and only a reader
    /// of the case.
    pub async fn draft_statement(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        text: StatementText,
        invite: &[OrgId],
    ) -> StoreResult<Statement> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        if case.org_id != viewer.org {
            return Err(refused("only the case's own organisation drafts its statements"));
        }
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "INSERT INTO statements (id, case_id, org_id, status, title, body, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .text(viewer.org.to_string())
            .text(StatementStatus::Draft.as_str())
            .text(seal(ring, TABLE, &id, "title", &text.title))
            .text(seal(ring, TABLE, &id, "body", &text.body))
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        invite_into(&mut w, &id, viewer.org, 0, invite).await?;
        let summary = json!({ "statement": id, "invited": invite.len() });
        w.audit(AuditEvent::new(actor, "draft statement", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        self.statement_for(viewer, &id).await
    }

    /// The statements `viewer` may read: its organisation's drafts on cases it may see, and
    /// those its organisation is invited to; newest first.
    pub async fn statements_for(&self, viewer: &Viewer) -> StoreResult<Vec<Statement>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id FROM statements s WHERE s.org_id = $1 OR EXISTS \
                     (SELECT 1 FROM statement_invitations i WHERE i.statement_id = s.id AND i.org_id = $1) \
                     ORDER BY s.created_at DESC, s.id DESC",
                )
                .text(viewer.org.to_string()),
            )
            .await?;
        let mut out = Vec::new();
        for row in &rows {
            match self.statement_for(viewer, &row.text("id")?).await {
                Ok(s) => out.push(s),
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The case a statement belongs to, when `viewer` may see that case; `None` for an invitee
    /// who may read the statement only.
    pub async fn statement_case_visible(&self, viewer: &Viewer, statement: &Statement) -> StoreResult<bool> {
        match self.visible_case(viewer, statement.case_id).await {
            Ok(_) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// One statement, if `viewer` may read it; otherwise exactly the error a missing one gives.
    pub async fn statement_for(&self, viewer: &Viewer, id: &str) -> StoreResult<Statement> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, case_id, org_id, status, title, body, signatories, created_at, updated_at, published_at \
                     FROM statements WHERE id = $1",
                )
                .text(id),
            )
            .await?
            .ok_or_else(|| not_found(id))?;
        let statement = self.statement_from(&row).await?;
        let drafter = statement.org_id == viewer.org && self.statement_case_visible(viewer, &statement).await?;
        if drafter || statement.invites(viewer.org) {
            Ok(statement)
        } else {
            Err(not_found(id))
        }
    }

    /// Rewrites a draft. Answers already given go back to "no answer": no one signs words they
    /// have not read.
    pub async fn edit_statement(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: &str,
        text: StatementText,
    ) -> StoreResult<Statement> {
        let mut w = self.write().await?;
        let before = self.drafters_statement(viewer, id).await?;
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE statements SET title = $1, body = $2, updated_at = $3 WHERE id = $4")
                .text(seal(ring, TABLE, id, "title", &text.title))
                .text(seal(ring, TABLE, id, "body", &text.body))
                .time(now)
                .text(id),
        )
        .await?;
        let reset =
            w.tx.exec(
                Q::new(
                    "UPDATE statement_invitations SET answer = $1, answered_at = NULL, answered_by = NULL \
                     WHERE statement_id = $2 AND answer <> $1",
                )
                .text(Answer::NoAnswer.as_str())
                .text(id),
            )
            .await?;
        let record = format!("statement {id}");
        for (field, b, a) in [("title", &before.text.title, &text.title), ("text", &before.text.body, &text.body)] {
            if b != a {
                let change = Change { record: &record, field, before: Some(b.clone()), after: Some(a.clone()) };
                revise(ring, &mut w, before.case_id, actor, now, change).await?;
            }
        }
        let summary = json!({ "statement": id, "answers_reset": reset });
        w.audit(AuditEvent::new(actor, "edit statement", "case", before.case_id, None, Some(summary))).await?;
        w.commit().await?;
        self.statement_for(viewer, id).await
    }

    /// Invites more organisations to a draft.
    pub async fn invite_to_statement(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: &str,
        orgs: &[OrgId],
    ) -> StoreResult<Statement> {
        let mut w = self.write().await?;
        let statement = self.drafters_statement(viewer, id).await?;
        let fresh: Vec<OrgId> = orgs.iter().copied().filter(|o| !statement.invites(*o)).collect();
        invite_into(&mut w, id, statement.org_id, statement.invitations.len(), &fresh).await?;
        let summary = json!({ "statement": id, "invited": fresh.iter().map(|o| o.to_string()).collect::<Vec<_>>() });
        w.audit(AuditEvent::new(actor, "invite to statement", "case", statement.case_id, None, Some(summary))).await?;
        w.commit().await?;
        self.statement_for(viewer, id).await
    }

    /// Records the viewer's organisation's answer to an invitation, with when and who.
    pub async fn answer_statement(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        id: &str,
        answer: Answer,
    ) -> StoreResult<Statement> {
        let mut w = self.write().await?;
        let statement = self.statement_for(viewer, id).await?;
        if !statement.invites(viewer.org) {
            return Err(refused("only invited organisations answer; the drafting organisation signs by publishing"));
        }
        if statement.status == StatementStatus::Published {
            return Err(refused("this statement is published; its signatories are final"));
        }
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "UPDATE statement_invitations SET answer = $1, answered_at = $2, answered_by = $3 \
                 WHERE statement_id = $4 AND org_id = $5",
            )
            .text(answer.as_str())
            .time(now)
            .text(viewer.user.to_string())
            .text(id)
            .text(viewer.org.to_string()),
        )
        .await?;
        let summary = json!({ "statement": id, "org": viewer.org.to_string(), "answer": answer.as_str() });
        w.audit(AuditEvent::new(actor, "answer statement", "case", statement.case_id, None, Some(summary))).await?;
        w.commit().await?;
        self.statement_for(viewer, id).await
    }

    /// Publishes a draft: its text and its signatories (the drafting organisation and those
    /// that have joined) are frozen; no answer or edit is taken afterwards.
    pub async fn publish_statement(&self, actor: &Actor, viewer: &Viewer, id: &str) -> StoreResult<Statement> {
        let mut w = self.write().await?;
        let statement = self.drafters_statement(viewer, id).await?;
        let signatories: Vec<String> = statement.signing_now().iter().map(|o| o.to_string()).collect();
        let frozen = serde_json::to_string(&signatories).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "UPDATE statements SET status = $1, signatories = $2, published_at = $3, updated_at = $3 \
                 WHERE id = $4 AND status = $5",
            )
            .text(StatementStatus::Published.as_str())
            .text(frozen)
            .time(now)
            .text(id)
            .text(StatementStatus::Draft.as_str()),
        )
        .await?;
        let summary = json!({ "statement": id, "signatories": signatories });
        w.audit(AuditEvent::new(actor, "publish statement", "case", statement.case_id, None, Some(summary))).await?;
        w.commit().await?;
        self.statement_for(viewer, id).await
    }

    /// A draft the viewer's organisation wrote, on a case the viewer may see.
    async fn drafters_statement(&self, viewer: &Viewer, id: &str) -> StoreResult<Statement> {
        let statement = self.statement_for(viewer, id).await?;
        if statement.org_id != viewer.org {
            return Err(refused("only the drafting organisation edits, invites to or publishes a statement"));
        }
        if statement.status == StatementStatus::Published {
            return Err(refused("this statement is published; its text and signatories are frozen"));
        }
        Ok(statement)
    }

    async fn statement_from(&self, row: &Row) -> StoreResult<Statement> {
        let ring = self.keyring()?;
        let id = row.text("id")?;
        let invitations = self
            .db
            .all(
                Q::new(
                    "SELECT org_id, answer, answered_at, answered_by FROM statement_invitations \
                     WHERE statement_id = $1 ORDER BY position",
                )
                .text(id.clone()),
            )
            .await?
            .iter()
            .map(|r| {
                Ok(Invitation {
                    org: r.parse("org_id")?,
                    answer: r.parse("answer")?,
                    answered_at: r.get("answered_at")?,
                    answered_by: parse_opt(r, "answered_by")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let signatories: Vec<OrgId> = row
            .get::<Option<String>>("signatories")?
            .map(|s| serde_json::from_str::<Vec<String>>(&s))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("statements.signatories: {e}")))?
            .unwrap_or_default()
            .iter()
            .map(|o| o.parse().map_err(|_| StoreError::Corrupt(format!("statements.signatories holds '{o}'"))))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Statement {
            case_id: row.parse("case_id")?,
            org_id: row.parse("org_id")?,
            status: row.parse("status")?,
            text: StatementText {
                title: open_text(ring, TABLE, &id, "title", &row.text("title")?)?,
                body: open_text(ring, TABLE, &id, "body", &row.text("body")?)?,
            },
            invitations,
            signatories,
            created_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            published_at: row.get("published_at")?,
            id,
        })
    }
}

async fn invite_into(w: &mut Write, id: &str, drafter: OrgId, from: usize, orgs: &[OrgId]) -> StoreResult<()> {
    let mut seen = std::collections::BTreeSet::new();
    let orgs: Vec<OrgId> = orgs.iter().copied().filter(|o| *o != drafter && seen.insert(*o)).collect();
    if from + orgs.len() > MAX_INVITED {
        return Err(steward_core::CoreError::InvalidLength { field: "invite", max: MAX_INVITED }.into());
    }
    for (i, org) in orgs.iter().enumerate() {
        let coordinators = crate::notices::users_who_can(w, *org, steward_core::role::Permission::ManageCases).await?;
        crate::notices::notify(w, &coordinators, crate::notices::NoticeKind::Statement, id, None).await?;
        w.tx.exec(
            Q::new(
                "INSERT INTO statement_invitations (statement_id, org_id, position, answer) VALUES ($1, $2, $3, $4)",
            )
            .text(id)
            .text(org.to_string())
            .int(i64::try_from(from + i).unwrap_or(i64::MAX))
            .text(Answer::NoAnswer.as_str()),
        )
        .await?;
    }
    Ok(())
}
