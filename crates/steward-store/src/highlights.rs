//! Public highlights: published and withdrawn by the case's own organisation; read by the public
//! only while consent stands and the case is not deleted.

use crate::case_edits::{deletion_reason, must_manage, revise, Change};
use crate::cases::Opened;
use crate::cases::{open_text, seal};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{CaseId, Viewer};
use steward_core::highlight::{Highlight, NewHighlight, PublicHighlight};
use steward_core::seal::Keyring;

const TABLE: &str = "case_highlights";

impl Store {
    /// Publishes a case's approved story, replacing (withdrawing) any earlier publication.
    pub async fn publish_highlight(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        new: NewHighlight,
    ) -> StoreResult<Highlight> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE case_highlights SET withdrawn_at = $1 WHERE case_id = $2 AND withdrawn_at IS NULL")
                .time(now)
                .text(case_id.to_string()),
        )
        .await?;
        w.tx.exec(
            Q::new(
                "INSERT INTO case_highlights (id, case_id, consent_from, consent_by, consent_on, title, summary, country, \
                 published_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .text(new.consent_from.as_str())
            .text(seal(ring, TABLE, &id, "consent_by", &new.consent_by))
            .text(new.consent_on.to_string())
            .text(seal(ring, TABLE, &id, "title", &new.title))
            .text(seal(ring, TABLE, &id, "summary", &new.summary))
            .opt_text(case.country.clone())
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        let summary = json!({ "highlight": id, "consent_from": new.consent_from.as_str(), "consent_on": new.consent_on.to_string() });
        w.audit(AuditEvent::new(actor, "publish highlight", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Highlight {
            id,
            consent_from: new.consent_from,
            consent_by: new.consent_by,
            consent_on: new.consent_on,
            title: new.title,
            summary: new.summary,
            published_at: now,
            withdrawn_at: None,
        })
    }

    /// Takes a case's highlight down at once, recording why (sealed).
    pub async fn withdraw_highlight(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        reason: &str,
    ) -> StoreResult<()> {
        let reason = deletion_reason(reason)?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        let live =
            w.tx.opt(
                Q::new("SELECT id FROM case_highlights WHERE case_id = $1 AND withdrawn_at IS NULL")
                    .text(case_id.to_string()),
            )
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "highlight", key: case_id.to_string() })?;
        let id = live.text("id")?;
        w.tx.exec(
            Q::new("UPDATE case_highlights SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3")
                .time(now)
                .text(seal(ring, TABLE, &id, "withdrawn_reason", &reason))
                .text(id.clone()),
        )
        .await?;
        let record = format!("highlight {id}");
        let change = Change { record: &record, field: "consent withdrawn", before: None, after: Some(reason) };
        revise(ring, &mut w, case_id, actor, now, change).await?;
        w.audit(AuditEvent::new(actor, "withdraw highlight", "case", case_id, None, Some(json!({ "highlight": id }))))
            .await?;
        w.commit().await
    }

    /// The case's publications, newest first, for its readers.
    pub async fn highlights_of(&self, opened: &Opened) -> StoreResult<Vec<Highlight>> {
        let case_id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, consent_from, consent_by, consent_on, title, summary, published_at, withdrawn_at \
                     FROM case_highlights WHERE case_id = $1 ORDER BY published_at DESC, id DESC",
                )
                .text(case_id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter().map(|r| highlight_from(ring, r)).collect()
    }

    /// Everything the public page shows: live highlights of cases not deleted, newest first.
    pub async fn public_highlights(&self) -> StoreResult<Vec<PublicHighlight>> {
        let rows = self
            .db
            .all(Q::new(
                "SELECT h.id, h.title, h.summary, h.country, h.published_at FROM case_highlights h \
                 JOIN cases c ON c.id = h.case_id WHERE h.withdrawn_at IS NULL AND c.deleted_at IS NULL \
                 ORDER BY h.published_at DESC, h.id DESC",
            ))
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|r| {
                let id = r.text("id")?;
                Ok(PublicHighlight {
                    title: open_text(ring, TABLE, &id, "title", &r.text("title")?)?,
                    summary: open_text(ring, TABLE, &id, "summary", &r.text("summary")?)?,
                    country: r.get("country")?,
                    published_at: r.get("published_at")?,
                    id,
                })
            })
            .collect()
    }
}

fn highlight_from(ring: &Keyring, r: &Row) -> StoreResult<Highlight> {
    let id = r.text("id")?;
    let day = r.text("consent_on")?;
    Ok(Highlight {
        consent_from: r.parse("consent_from")?,
        consent_by: open_text(ring, TABLE, &id, "consent_by", &r.text("consent_by")?)?,
        consent_on: steward_core::action::parse_day("consent_on", &day)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        title: open_text(ring, TABLE, &id, "title", &r.text("title")?)?,
        summary: open_text(ring, TABLE, &id, "summary", &r.text("summary")?)?,
        published_at: r.get("published_at")?,
        withdrawn_at: r.get("withdrawn_at")?,
        id,
    })
}
