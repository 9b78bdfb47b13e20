//! Public alerts: intake without an account, the submitter's receipt, the triage queue.

use crate::case_edits::{must_manage, revise, Change};
use crate::cases::{insert_case, insert_person, open_opt, open_text, seal, seal_opt, Opened};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::alert::{AlertStatus, NewAlert};
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{Case, CaseId, NewCase, PersonAtRisk, Viewer, MAX_SUMMARY};
use steward_core::credential::{
    generate_passphrase, generate_receipt, hash_password, verify_dummy_password, verify_password,
};
use steward_core::ids::OrgId;
use steward_core::role::Permission;
use steward_core::CoreError;
use time::OffsetDateTime;

/// What the submitter keeps: the only way back to their alert.
#[derive(Debug, Clone)]
pub struct AlertReceipt {
    /// The receipt code.
    pub receipt: String,
    /// The passphrase (shown once, stored only as a hash).
    pub passphrase: String,
    /// The alert's id, for announcing it to the desk (never shown to the sender).
    pub id: String,
    /// The organisation whose desk it waits at.
    pub desk: OrgId,
    /// The sender says someone is in danger right now.
    pub danger: bool,
}

/// What a submitter may see of their alert.
#[derive(Debug, Clone)]
pub struct AlertView {
    /// Where it stands.
    pub status: AlertStatus,
    /// When it was received.
    pub received_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// How many additions the submitter has made.
    pub additions: i64,
}

/// An alert as the triage desk sees it, sensitive fields opened.
#[derive(Debug, Clone)]
pub struct Alert {
    /// Its id.
    pub id: String,
    /// The receipt code, so the desk can refer to it when replying through the contact given.
    pub receipt: String,
    /// Where it stands.
    pub status: AlertStatus,
    /// Country, alpha-2.
    pub country: Option<String>,
    /// What happened.
    pub summary: String,
    /// Who is at risk, if given.
    pub name: Option<String>,
    /// How to reach them, if given.
    pub contact: Option<String>,
    /// What the submitter added later, oldest first, with when.
    pub notes: Vec<(OffsetDateTime, String)>,
    /// The case opened from it, if any.
    pub case_id: Option<String>,
    /// When it was received.
    pub created_at: OffsetDateTime,
    /// The sender says someone's life or freedom is in danger right now.
    pub danger: bool,
}

impl Store {
    /// Takes an alert from the public form into the triage queue of the alert desk (see
    /// [`Store::alert_desk`]).
    pub async fn create_alert(&self, new: NewAlert) -> StoreResult<AlertReceipt> {
        let ring = self.keyring()?;
        let desk = self.alert_desk().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let receipt = generate_receipt();
        let passphrase = generate_passphrase();
        let now = steward_core::clock::now();
        let mut w = self.write().await?;
        w.tx.exec(
            Q::new(
                "INSERT INTO alerts (id, receipt, passphrase_hash, desk_org_id, status, country, summary, name, contact, created_at, updated_at, danger) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
            )
            .text(id.clone())
            .text(receipt.clone())
            .text(hash_password(&passphrase))
            .text(desk.to_string())
            .text(AlertStatus::Received.as_str())
            .opt_text(new.country)
            .text(seal(ring, "alerts", &id, "summary", &new.summary))
            .opt_text(seal_opt(ring, "alerts", &id, "name", new.name.as_deref()))
            .opt_text(seal_opt(ring, "alerts", &id, "contact", new.contact.as_deref()))
            .time(now)
            .boolean(new.danger),
        )
        .await?;
        let coordinators = crate::notices::users_who_can(&mut w, desk, Permission::TriageAlerts).await?;
        crate::notices::notify(&mut w, &coordinators, crate::notices::NoticeKind::Alert, &id, None).await?;
        w.audit(AuditEvent::new(&Actor::public(), "create", "alert", &id, None, None)).await?;
        w.commit().await?;
        Ok(AlertReceipt { receipt, passphrase, id, desk, danger: new.danger })
    }

    /// The alert's id when `passphrase` is right for `receipt`. Always spends one password
    /// verification, so a wrong receipt answers no faster than a wrong passphrase.
    async fn alert_by_receipt(&self, receipt: &str, passphrase: &str) -> StoreResult<Option<Row>> {
        let row = self
            .db
            .opt(
                Q::new("SELECT id, status, passphrase_hash, created_at, updated_at FROM alerts WHERE receipt = $1")
                    .text(receipt.trim().to_ascii_uppercase()),
            )
            .await?;
        let Some(row) = row else {
            verify_dummy_password(passphrase);
            return Ok(None);
        };
        let ok = verify_password(passphrase.trim(), &row.text("passphrase_hash")?);
        Ok(ok.then_some(row))
    }

    /// What the submitter may see, if `passphrase` opens `receipt`.
    pub async fn alert_status(&self, receipt: &str, passphrase: &str) -> StoreResult<Option<AlertView>> {
        let Some(row) = self.alert_by_receipt(receipt, passphrase).await? else {
            return Ok(None);
        };
        let additions = self
            .db
            .one(
                Q::new("SELECT COUNT(*) AS n FROM alert_notes WHERE alert_id = $1 AND from_submitter = TRUE")
                    .text(row.text("id")?),
            )
            .await?
            .get("n")?;
        Ok(Some(AlertView {
            status: row.parse("status")?,
            received_at: row.get("created_at")?,
            updated_at: row.get("updated_at")?,
            additions,
        }))
    }

    /// Adds the submitter's text to their alert; `false` when the receipt and passphrase do not match.
    pub async fn add_alert_note(&self, receipt: &str, passphrase: &str, text: &str) -> StoreResult<bool> {
        let Some(row) = self.alert_by_receipt(receipt, passphrase).await? else {
            return Ok(false);
        };
        let ring = self.keyring()?;
        let alert = row.text("id")?;
        let note = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        let mut w = self.write().await?;
        w.tx.exec(
            Q::new("INSERT INTO alert_notes (id, alert_id, at, from_submitter, body) VALUES ($1, $2, $3, TRUE, $4)")
                .text(note.clone())
                .text(alert.clone())
                .time(now)
                .text(seal(ring, "alert_notes", &note, "body", text)),
        )
        .await?;
        // New information on a dismissed alert puts it back in the triage queue: the situation
        // may have changed since the team looked.
        w.tx.exec(
            Q::new(
                "UPDATE alerts SET updated_at = $1, status = CASE WHEN status = 'dismissed' THEN 'received' ELSE status END \
                 WHERE id = $2",
            )
            .time(now)
            .text(alert.clone()),
        )
        .await?;
        w.audit(AuditEvent::new(&Actor::public(), "add_note", "alert", &alert, None, None)).await?;
        w.commit().await?;
        Ok(true)
    }

    /// What the senders of the alerts that became (or joined) this case wrote, oldest first,
    /// including what they added after the case was opened: the case's readers see all of it.
    pub async fn sender_notes(&self, opened: &Opened) -> StoreResult<Vec<(OffsetDateTime, String)>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT n.id, n.at, n.body FROM alert_notes n JOIN alerts a ON a.id = n.alert_id \
                     WHERE a.case_id = $1 AND n.from_submitter = TRUE ORDER BY n.at, n.id",
                )
                .text(opened.id().to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|n| Ok((n.get("at")?, open_text(ring, "alert_notes", &n.text("id")?, "body", &n.text("body")?)?)))
            .collect()
    }

    /// How many alerts wait at `desk`'s triage queue: shown beside "Triage" on every page a
    /// coordinator opens, so that an alert sent at midnight is seen on the next page load. A
    /// count only: nothing of any alert is read.
    pub async fn alerts_waiting(&self, desk: OrgId) -> StoreResult<i64> {
        let row = self
            .db
            .one(
                Q::new("SELECT COUNT(*) AS n FROM alerts WHERE desk_org_id = $1 AND status = 'received'")
                    .text(desk.to_string()),
            )
            .await?;
        row.get("n")
    }

    /// Alerts waiting at `desk`'s triage queue, oldest first. The caller must hold the triage
    /// permission and belong to `desk`; reading the queue is audited per alert.
    pub async fn alerts_for_desk(&self, actor: &Actor, desk: OrgId) -> StoreResult<Vec<Alert>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, receipt, status, country, summary, name, contact, case_id, created_at, danger FROM alerts \
                     WHERE desk_org_id = $1 AND status = 'received' ORDER BY danger DESC, created_at, id",
                )
                .text(desk.to_string()),
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.alert_from(row).await?);
        }
        if !out.is_empty() {
            let mut w = self.write().await?;
            for alert in &out {
                w.audit(AuditEvent::new(actor, "view", "alert", &alert.id, None, None)).await?;
            }
            w.commit().await?;
        }
        Ok(out)
    }

    /// One waiting alert at `desk`, for a coordinator about to triage it; the read is audited.
    pub async fn desk_alert(&self, actor: &Actor, desk: OrgId, alert_id: &str) -> StoreResult<Alert> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, receipt, status, country, summary, name, contact, case_id, created_at, danger FROM alerts \
                     WHERE id = $1 AND desk_org_id = $2 AND status = 'received'",
                )
                .text(alert_id)
                .text(desk.to_string()),
            )
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "alert", key: alert_id.to_string() })?;
        let alert = self.alert_from(&row).await?;
        let mut w = self.write().await?;
        w.audit(AuditEvent::new(actor, "view", "alert", &alert.id, None, None)).await?;
        w.commit().await?;
        Ok(alert)
    }

    async fn alert_from(&self, row: &Row) -> StoreResult<Alert> {
        let ring = self.keyring()?;
        let id = row.text("id")?;
        let notes = self
            .db
            .all(Q::new("SELECT id, at, body FROM alert_notes WHERE alert_id = $1 ORDER BY at, id").text(id.clone()))
            .await?
            .iter()
            .map(|n| Ok((n.get("at")?, open_text(ring, "alert_notes", &n.text("id")?, "body", &n.text("body")?)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Alert {
            receipt: row.text("receipt")?,
            status: row.parse("status")?,
            country: row.get("country")?,
            summary: open_text(ring, "alerts", &id, "summary", &row.text("summary")?)?,
            name: open_opt(ring, "alerts", &id, "name", row.get("name")?)?,
            contact: open_opt(ring, "alerts", &id, "contact", row.get("contact")?)?,
            notes,
            case_id: row.get("case_id")?,
            created_at: row.get("created_at")?,
            danger: row.get("danger")?,
            id,
        })
    }

    /// Opens a case from a waiting alert at `desk`, owned by the coordinator's organisation, and
    /// marks the alert accepted, in one transaction.
    pub async fn open_case_from_alert(
        &self,
        actor: &Actor,
        coordinator: &Viewer,
        alert_id: &str,
        new: NewCase,
    ) -> StoreResult<Case> {
        let ring = self.keyring()?;
        let mut w = self.write().await?;
        let found =
            w.tx.opt(
                Q::new("SELECT id, created_at FROM alerts WHERE id = $1 AND desk_org_id = $2 AND status = 'received'")
                    .text(alert_id)
                    .text(coordinator.org.to_string()),
            )
            .await?;
        let Some(found) = found else {
            return Err(StoreError::NotFound { entity: "alert", key: alert_id.to_string() });
        };
        // The case was reported when the alert arrived, not when a coordinator got to it: its
        // clocks, and the report's times to acknowledgement, count the wait in the queue. Opening
        // it is the coordinator's acknowledgement.
        let arrived: time::OffsetDateTime = found.get("created_at")?;
        let mut case = insert_case(ring, &mut w, actor, coordinator, new, &[], &[], arrived).await?;
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new("UPDATE cases SET acknowledged_at = $1, updated_at = $1 WHERE id = $2")
                .time(now)
                .text(case.id.to_string()),
        )
        .await?;
        case.acknowledged_at = Some(now);
        case.updated_at = now;
        w.tx.exec(
            Q::new("UPDATE alerts SET status = 'accepted', case_id = $1, updated_at = $2 WHERE id = $3")
                .text(case.id.to_string())
                .time(steward_core::clock::now())
                .text(alert_id),
        )
        .await?;
        w.audit(AuditEvent::new(
            actor,
            "accept",
            "alert",
            alert_id,
            None,
            Some(json!({ "case": case.id.to_string() })),
        ))
        .await?;
        w.commit().await?;
        Ok(case)
    }

    /// Adds a waiting alert at the coordinator's desk to an existing case the coordinator's
    /// organisation manages: its text is appended to the case's summary (kept in the history),
    /// the person it names joins the people at risk, and the alert is marked accepted.
    pub async fn merge_alert_into_case(
        &self,
        actor: &Actor,
        coordinator: &Viewer,
        alert_id: &str,
        case_id: CaseId,
    ) -> StoreResult<Case> {
        let ring = self.keyring()?;
        let mut w = self.write().await?;
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, receipt, status, country, summary, name, contact, case_id, created_at, danger FROM alerts \
                     WHERE id = $1 AND desk_org_id = $2 AND status = 'received'",
                )
                .text(alert_id)
                .text(coordinator.org.to_string()),
            )
            .await?
            .ok_or_else(|| StoreError::NotFound { entity: "alert", key: alert_id.to_string() })?;
        let alert = self.alert_from(&row).await?;
        let case = self.visible_case(coordinator, case_id).await?;
        must_manage(&case, coordinator)?;
        let mut addition = format!(
            "From public alert {} ({}):\n{}",
            alert.receipt,
            steward_core::clock::rfc3339(alert.created_at),
            alert.summary
        );
        for (at, note) in &alert.notes {
            addition.push_str(&format!("\nAdded {}: {note}", steward_core::clock::rfc3339(*at)));
        }
        let summary = if case.summary.is_empty() { addition } else { format!("{}\n\n{addition}", case.summary) };
        if summary.chars().count() > MAX_SUMMARY {
            return Err(CoreError::InvalidLength { field: "summary", max: MAX_SUMMARY }.into());
        }
        let now = steward_core::clock::now();
        let key = case_id.to_string();
        w.tx.exec(
            Q::new(
                "UPDATE cases SET summary = $1, updated_at = $2, \
                 acknowledged_at = COALESCE(acknowledged_at, $2) WHERE id = $3",
            )
            .text(seal(ring, "cases", &key, "summary", &summary))
            .time(now)
            .text(key.clone()),
        )
        .await?;
        let change =
            Change { record: "case", field: "summary", before: Some(case.summary.clone()), after: Some(summary) };
        revise(ring, &mut w, case_id, actor, now, change).await?;
        if let Some(name) = &alert.name {
            let person = PersonAtRisk { name: name.clone(), contact: alert.contact.clone(), ..Default::default() };
            insert_person(ring, &mut w, &key, case.people.len(), &person).await?;
        }
        w.tx.exec(
            Q::new("UPDATE alerts SET status = 'accepted', case_id = $1, updated_at = $2 WHERE id = $3")
                .text(key.clone())
                .time(now)
                .text(alert_id),
        )
        .await?;
        w.audit(AuditEvent::new(actor, "merge", "alert", alert_id, None, Some(json!({ "case": key })))).await?;
        w.audit(AuditEvent::new(
            actor,
            "merge alert",
            "case",
            case_id,
            None,
            Some(json!({ "fields": ["summary", "people"] })),
        ))
        .await?;
        w.commit().await?;
        self.visible_case(coordinator, case_id).await
    }

    /// Marks a waiting alert at `desk` as not needing a response.
    pub async fn dismiss_alert(&self, actor: &Actor, desk: OrgId, alert_id: &str) -> StoreResult<()> {
        let mut w = self.write().await?;
        let n = w
            .tx
            .exec(
                Q::new("UPDATE alerts SET status = 'dismissed', updated_at = $1 WHERE id = $2 AND desk_org_id = $3 AND status = 'received'")
                    .time(steward_core::clock::now())
                    .text(alert_id)
                    .text(desk.to_string()),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::NotFound { entity: "alert", key: alert_id.to_string() });
        }
        w.audit(AuditEvent::new(actor, "dismiss", "alert", alert_id, None, None)).await?;
        w.commit().await
    }
}
