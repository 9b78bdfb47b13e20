//! Response-clock events and who hears of them: in-app notifications for the people who can act
//! on a case, and signed webhooks for organisations' own systems.
//!
//! Events name a case by id, which clock, its state and when it was due, and nothing else, so
//! scanning and notifying never opens a sealed field. Each (case, clock, state, due) is recorded
//! once, however often the scanner runs or however many servers share the database.
//!
//! Who is told: the users who may see the case and can act on its clocks (coordinators, the
//! assignee, the people named on a restricted case). Webhooks fire for `internal` and `partners`
//! cases only, to the organisations that may see them: a restricted case is for named people, and
//! an organisation's systems are not a named person.

use crate::cases::{open_text, seal};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use std::collections::HashMap;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{Case, CaseId, CaseStatus, Viewer};
use steward_core::ids::OrgId;
use steward_core::response::{Clock, ClockFacts, ClockState};
use steward_core::role::{Permission, Role};
use steward_core::CoreError;
use time::OffsetDateTime;

/// Most notifications shown to one user at once.
const SHOWN: i64 = 200;

/// Longest webhook address accepted.
pub const MAX_WEBHOOK_URL: usize = 2000;

/// A clock that entered "due soon" or "overdue".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockEvent {
    /// Its id.
    pub id: String,
    /// The case.
    pub case_id: CaseId,
    /// `acknowledge` or `first_action`.
    pub clock: String,
    /// `DueSoon` or `Overdue`.
    pub state: ClockState,
    /// When the clock runs (or ran) out.
    pub due: OffsetDateTime,
    /// When the scanner saw it.
    pub at: OffsetDateTime,
}

/// A newly recorded event and the webhooks to tell about it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The event.
    pub event: ClockEvent,
    /// What is at stake on the case (sent in webhook payloads: it decides how fast to move).
    pub risk: steward_core::case::Risk,
    /// The users notified in the application.
    pub notified: usize,
    /// Webhooks to deliver to.
    pub webhooks: Vec<WebhookTarget>,
}

/// Where and how to deliver one webhook.
#[derive(Debug, Clone)]
pub struct WebhookTarget {
    /// The receiving organisation.
    pub org_id: OrgId,
    /// Its address.
    pub url: String,
    /// The key payloads are signed with.
    pub secret: String,
}

/// One notification, with its case as the reader may see it.
#[derive(Debug, Clone)]
pub struct Notification {
    /// Its id.
    pub id: String,
    /// What happened.
    pub event: ClockEvent,
    /// The case, as the reader sees it.
    pub case: Case,
    /// When it was read, if it has been.
    pub read_at: Option<OffsetDateTime>,
}

/// An organisation's webhook, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Where payloads go.
    pub url: String,
    /// Since when.
    pub created_at: OffsetDateTime,
}

/// One attempt to deliver a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The event delivered.
    pub event_id: String,
    /// When.
    pub at: OffsetDateTime,
    /// The HTTP status answered, if any.
    pub status: Option<i64>,
    /// Why it failed, if it did.
    pub error: Option<String>,
}

/// `SELECT` columns, the visible-notifications filter (`$1` the reader's organisation, `$2` the
/// reader), then a tail. A notification stays only as visible as its case: someone taken off a
/// case stops seeing its notifications.
macro_rules! concat_query {
    ($select:literal, $tail:literal) => {
        concat!(
            $select,
            "FROM notifications n JOIN clock_events e ON e.id = n.event_id \
             JOIN cases c ON c.id = e.case_id WHERE n.user_id = $2 AND ",
            visible_to!(),
            $tail
        )
    };
}

fn event_from(row: &Row) -> StoreResult<ClockEvent> {
    Ok(ClockEvent {
        id: row.text("event_id")?,
        case_id: row.parse("case_id")?,
        clock: row.text("clock")?,
        state: row.parse("state")?,
        due: row.get("due")?,
        at: row.get("at")?,
    })
}

impl Store {
    /// The clock facts of every case still open, for the scanner. Reads no sealed field.
    pub async fn open_case_clocks(&self) -> StoreResult<Vec<(CaseId, ClockFacts)>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, risk, status, created_at, acknowledged_at, first_action_at FROM cases \
                     WHERE deleted_at IS NULL AND status <> $1",
                )
                .text(CaseStatus::Closed.as_str()),
            )
            .await?;
        rows.iter()
            .map(|row| {
                let status: CaseStatus = row.parse("status")?;
                Ok((
                    row.parse("id")?,
                    ClockFacts {
                        risk: row.parse("risk")?,
                        open: status.is_open(),
                        reported_at: row.get("created_at")?,
                        acknowledged_at: row.get("acknowledged_at")?,
                        first_action_at: row.get("first_action_at")?,
                    },
                ))
            })
            .collect()
    }

    /// Records that a case's clock needs attention, notifies who can act, and answers the
    /// webhooks to deliver; `None` when this very event was already recorded.
    pub async fn record_clock_event(&self, case_id: CaseId, clock: &Clock) -> StoreResult<Option<Recorded>> {
        if !clock.state.needs_attention() {
            return Ok(None);
        }
        let mut w = self.write().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        let inserted =
            w.tx.exec(
                Q::new(
                    "INSERT INTO clock_events (id, case_id, clock, state, due, at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (case_id, clock, state, due) DO NOTHING",
                )
                .text(id.clone())
                .text(case_id.to_string())
                .text(clock.name)
                .text(clock.state.as_str())
                .time(clock.due)
                .time(now),
            )
            .await?;
        if inserted == 0 {
            return Ok(None);
        }
        let case =
            w.tx.opt(Q::new("SELECT visibility, risk, assignee_id FROM cases WHERE id = $1").text(case_id.to_string()))
                .await?
                .ok_or_else(|| StoreError::NotFound { entity: "case", key: case_id.to_string() })?;
        let risk = case.parse("risk")?;
        let visibility: String = case.text("visibility")?;
        let assignee: Option<String> = case.get("assignee_id")?;
        let readers =
            w.tx.all(
                Q::new(concat!(
                    "SELECT u.id, u.role, EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = c.id AND m.user_id = u.id) \
                     AS named FROM users u JOIN cases c ON c.id = $1 WHERE u.disabled = FALSE AND ",
                    visible_to!("u.org_id", "u.id"),
                    "ORDER BY u.id"
                ))
                .text(case_id.to_string()),
            )
            .await?;
        let mut notified = 0;
        for row in &readers {
            let user = row.text("id")?;
            let role: Role = row.parse("role")?;
            let acts = role.can(Permission::ManageCases)
                || row.get::<bool>("named")?
                || assignee.as_deref() == Some(user.as_str());
            if !acts {
                continue;
            }
            w.tx.exec(
                Q::new("INSERT INTO notifications (id, user_id, event_id, created_at) VALUES ($1, $2, $3, $4)")
                    .text(uuid::Uuid::now_v7().to_string())
                    .text(user)
                    .text(id.clone())
                    .time(now),
            )
            .await?;
            notified += 1;
        }
        let ring = self.keyring()?;
        let mut webhooks = Vec::new();
        if visibility != "restricted" {
            let hooks =
                w.tx.all(
                    Q::new(
                        "SELECT h.id, h.org_id, h.url, h.secret FROM webhooks h JOIN cases c ON c.id = $1 \
                         WHERE h.org_id = c.org_id OR (c.visibility = 'partners' AND EXISTS \
                         (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.org_id = h.org_id)) \
                         ORDER BY h.org_id",
                    )
                    .text(case_id.to_string()),
                )
                .await?;
            for row in &hooks {
                let org_id: String = row.text("org_id")?;
                webhooks.push(WebhookTarget {
                    secret: open_text(ring, "webhooks", &row.text("id")?, "secret", &row.text("secret")?)?,
                    org_id: org_id
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("webhooks.org_id holds '{org_id}'")))?,
                    url: row.text("url")?,
                });
            }
        }
        let summary = json!({ "clock": clock.name, "state": clock.state.as_str(), "notified": notified, "webhooks": webhooks.len() });
        w.audit(AuditEvent::new(&Actor::system(), "clock event", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        let event =
            ClockEvent { id, case_id, clock: clock.name.to_string(), state: clock.state, due: clock.due, at: now };
        Ok(Some(Recorded { event, risk, notified, webhooks }))
    }

    /// `viewer`'s notifications on cases they may still see, newest first.
    pub async fn notifications_for(&self, viewer: &Viewer) -> StoreResult<Vec<Notification>> {
        let rows = self
            .db
            .all(
                Q::new(concat_query!(
                    "SELECT n.id, n.read_at, e.id AS event_id, e.case_id, e.clock, e.state, e.due, e.at ",
                    "ORDER BY n.created_at DESC, n.id DESC LIMIT $3"
                ))
                .text(viewer.org.to_string())
                .text(viewer.user.to_string())
                .int(SHOWN),
            )
            .await?;
        let mut cases: HashMap<CaseId, Case> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let event = event_from(row)?;
            let case = match cases.get(&event.case_id) {
                Some(case) => case.clone(),
                None => match self.visible_case(viewer, event.case_id).await {
                    Ok(case) => cases.entry(event.case_id).or_insert(case).clone(),
                    Err(StoreError::NotFound { .. }) => continue,
                    Err(e) => return Err(e),
                },
            };
            out.push(Notification { id: row.text("id")?, event, case, read_at: row.get("read_at")? });
        }
        Ok(out)
    }

    /// How many of `viewer`'s notifications are unread, counting only cases they may still see.
    pub async fn unread_notifications(&self, viewer: &Viewer) -> StoreResult<i64> {
        let row = self
            .db
            .one(
                Q::new(concat_query!("SELECT COUNT(*) AS n ", "AND n.read_at IS NULL"))
                    .text(viewer.org.to_string())
                    .text(viewer.user.to_string()),
            )
            .await?;
        row.get("n")
    }

    /// Marks `viewer`'s notifications read: one, or all when `id` is `None`. Answers how many;
    /// only notifications on cases the viewer may still see are touched, so the count says
    /// nothing of the others.
    pub async fn mark_notifications_read(&self, viewer: &Viewer, id: Option<&str>) -> StoreResult<u64> {
        let q = Q::new(concat_query!(
            "UPDATE notifications SET read_at = $3 WHERE read_at IS NULL AND ($4 = '' OR id = $4) AND id IN (SELECT n.id ",
            ")"
        ))
        .text(viewer.org.to_string())
        .text(viewer.user.to_string())
        .time(steward_core::clock::now())
        .text(id.unwrap_or_default());
        self.db.exec(q).await
    }

    /// Sets an organisation's webhook, replacing any before it, and answers the new signing
    /// secret: shown once, stored sealed.
    pub async fn set_webhook(&self, actor: &Actor, org: OrgId, url: &str) -> StoreResult<String> {
        let url = check_webhook_url(url)?;
        let secret = steward_core::credential::generate_token();
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let mut w = self.write().await?;
        w.tx.exec(Q::new("DELETE FROM webhooks WHERE org_id = $1").text(org.to_string())).await?;
        w.tx.exec(
            Q::new("INSERT INTO webhooks (id, org_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5)")
                .text(id.clone())
                .text(org.to_string())
                .text(url.clone())
                .text(seal(ring, "webhooks", &id, "secret", &secret))
                .time(steward_core::clock::now()),
        )
        .await?;
        w.audit(AuditEvent::new(actor, "set webhook", "org", org, None, Some(json!({ "url": url })))).await?;
        w.commit().await?;
        Ok(secret)
    }

    /// An organisation's webhook, if it has one.
    pub async fn webhook_of(&self, org: OrgId) -> StoreResult<Option<Webhook>> {
        let row =
            self.db.opt(Q::new("SELECT url, created_at FROM webhooks WHERE org_id = $1").text(org.to_string())).await?;
        row.map(|r| Ok(Webhook { url: r.text("url")?, created_at: r.get("created_at")? })).transpose()
    }

    /// Clock events whose webhook delivery to an organisation has not yet landed, after fewer
    /// than `max_attempts` tries, the last before `before`; each with its risk and where to send
    /// it. Only to organisations that may still see the case (never for a case since made
    /// restricted or unshared) and still have a webhook.
    pub async fn clock_redeliveries(
        &self,
        max_attempts: i64,
        before: OffsetDateTime,
    ) -> StoreResult<Vec<(Recorded, i64)>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT e.id AS event_id, e.case_id, e.clock, e.state, e.due, e.at, c.risk, h.id AS hook_id, h.org_id, \
                     h.url, h.secret, d.attempts FROM (SELECT event_id, org_id, COUNT(*) AS attempts, MAX(at) AS last \
                     FROM webhook_deliveries GROUP BY event_id, org_id \
                     HAVING SUM(CASE WHEN error IS NULL THEN 1 ELSE 0 END) = 0) d \
                     JOIN clock_events e ON e.id = d.event_id JOIN cases c ON c.id = e.case_id \
                     JOIN webhooks h ON h.org_id = d.org_id \
                     WHERE d.attempts < $1 AND d.last < $2 AND c.deleted_at IS NULL AND c.visibility <> 'restricted' \
                     AND (c.org_id = d.org_id OR (c.visibility = 'partners' AND EXISTS \
                     (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.org_id = d.org_id))) \
                     ORDER BY e.at, e.id, h.org_id",
                )
                .int(max_attempts)
                .time(before),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|row| {
                let org_id: String = row.text("org_id")?;
                let target = WebhookTarget {
                    secret: open_text(ring, "webhooks", &row.text("hook_id")?, "secret", &row.text("secret")?)?,
                    org_id: org_id
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("webhooks.org_id holds '{org_id}'")))?,
                    url: row.text("url")?,
                };
                let recorded =
                    Recorded { event: event_from(row)?, risk: row.parse("risk")?, notified: 0, webhooks: vec![target] };
                Ok((recorded, row.get("attempts")?))
            })
            .collect()
    }

    /// Public alerts whose announcement to their desk's webhook has not yet landed, after fewer
    /// than `max_attempts` tries, the last before `before`: (alert id, whether its sender says
    /// someone is in danger now, where to send, attempts).
    /// Only while the alert still waits at that desk.
    pub async fn alert_redeliveries(
        &self,
        max_attempts: i64,
        before: OffsetDateTime,
    ) -> StoreResult<Vec<(String, bool, WebhookTarget, i64)>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT a.id AS alert_id, a.danger, h.id AS hook_id, h.org_id, h.url, h.secret, d.attempts \
                     FROM (SELECT alert_id, org_id, COUNT(*) AS attempts, MAX(at) AS last FROM alert_deliveries \
                     GROUP BY alert_id, org_id HAVING SUM(CASE WHEN error IS NULL THEN 1 ELSE 0 END) = 0) d \
                     JOIN alerts a ON a.id = d.alert_id JOIN webhooks h ON h.org_id = d.org_id \
                     WHERE d.attempts < $1 AND d.last < $2 AND a.status = 'received' AND a.desk_org_id = d.org_id \
                     ORDER BY a.id",
                )
                .int(max_attempts)
                .time(before),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter()
            .map(|row| {
                let org_id: String = row.text("org_id")?;
                let target = WebhookTarget {
                    secret: open_text(ring, "webhooks", &row.text("hook_id")?, "secret", &row.text("secret")?)?,
                    org_id: org_id
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("webhooks.org_id holds '{org_id}'")))?,
                    url: row.text("url")?,
                };
                Ok((row.text("alert_id")?, row.get("danger")?, target, row.get("attempts")?))
            })
            .collect()
    }

    /// Where and how to deliver to `org`'s webhook, if it has one (its secret opened).
    pub async fn webhook_target(&self, org: OrgId) -> StoreResult<Option<WebhookTarget>> {
        let row =
            self.db.opt(Q::new("SELECT id, url, secret FROM webhooks WHERE org_id = $1").text(org.to_string())).await?;
        let Some(row) = row else { return Ok(None) };
        let secret = open_text(self.keyring()?, "webhooks", &row.text("id")?, "secret", &row.text("secret")?)?;
        Ok(Some(WebhookTarget { org_id: org, url: row.text("url")?, secret }))
    }

    /// Removes an organisation's webhook; answers whether there was one.
    pub async fn remove_webhook(&self, actor: &Actor, org: OrgId) -> StoreResult<bool> {
        let mut w = self.write().await?;
        let gone = w.tx.exec(Q::new("DELETE FROM webhooks WHERE org_id = $1").text(org.to_string())).await?;
        if gone > 0 {
            w.audit(AuditEvent::new(actor, "remove webhook", "org", org, None, None)).await?;
        }
        w.commit().await?;
        Ok(gone > 0)
    }

    /// Records one delivery attempt.
    pub async fn record_delivery(
        &self,
        event_id: &str,
        org: OrgId,
        status: Option<u16>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        self.insert_delivery(
            "INSERT INTO webhook_deliveries (id, event_id, org_id, at, status, error) VALUES ($1, $2, $3, $4, $5, $6)",
            event_id,
            org,
            status,
            error,
        )
        .await
    }

    /// Records one attempt to announce a waiting public alert to `org`'s webhook.
    pub async fn record_alert_delivery(
        &self,
        alert_id: &str,
        org: OrgId,
        status: Option<u16>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        self.insert_delivery(
            "INSERT INTO alert_deliveries (id, alert_id, org_id, at, status, error) VALUES ($1, $2, $3, $4, $5, $6)",
            alert_id,
            org,
            status,
            error,
        )
        .await
    }

    async fn insert_delivery(
        &self,
        sql: &'static str,
        subject: &str,
        org: OrgId,
        status: Option<u16>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        let event_id = subject;
        self.db
            .exec(
                Q::new(sql)
                    .text(uuid::Uuid::now_v7().to_string())
                    .text(event_id)
                    .text(org.to_string())
                    .time(steward_core::clock::now())
                    .opt_int(status.map(i64::from))
                    .opt_text(error.map(|e| e.chars().take(500).collect::<String>())),
            )
            .await?;
        Ok(())
    }

    /// An organisation's latest webhook deliveries, newest first.
    pub async fn deliveries_of(&self, org: OrgId, limit: i64) -> StoreResult<Vec<Delivery>> {
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, event_id, at, status, error FROM webhook_deliveries WHERE org_id = $1 \
                     UNION ALL SELECT id, alert_id AS event_id, at, status, error FROM alert_deliveries WHERE org_id = $1 \
                     ORDER BY at DESC, id DESC LIMIT $2",
                )
                .text(org.to_string())
                .int(limit),
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Delivery {
                    event_id: r.text("event_id")?,
                    at: r.get("at")?,
                    status: r.get("status")?,
                    error: r.get("error")?,
                })
            })
            .collect()
    }
}

/// A webhook address: `https://`, or `http://` (for receivers on the same private network), at
/// most [`MAX_WEBHOOK_URL`] characters, no spaces or credentials in it.
fn check_webhook_url(url: &str) -> StoreResult<String> {
    let url = url.trim();
    let bad = |why: &str| {
        StoreError::Invalid(CoreError::InvalidReference { field: "webhook address", reason: why.to_string() })
    };
    if url.chars().count() > MAX_WEBHOOK_URL {
        return Err(bad("longer than 2000 characters"));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| bad("must start with https:// or http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() {
        return Err(bad("names no host"));
    }
    if host.contains('@') {
        return Err(bad("must not carry a user name or password"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("must not contain spaces"));
    }
    Ok(url.to_string())
}
