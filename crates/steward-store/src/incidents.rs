//! Incidents of a case: added by anyone who may see the case, deleted (softly) by its own
//! organisation. Places, perpetrators' names and descriptions are sealed.

use crate::case_edits::{deletion_reason, must_manage, revise, revise_fields, Change};
use crate::cases::Opened;
use crate::cases::{open_opt, parse_opt, seal_opt};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{CaseId, Viewer};
use steward_core::incident::{DatePrecision, FuzzyDate, Incident, NewIncident};
use steward_core::seal::Keyring;

const TABLE: &str = "case_incidents";

impl Store {
    /// Adds an incident to a case `viewer` may see. `victims` were checked against the case's
    /// people by [`NewIncident::new`]; they are checked again here against what is stored.
    pub async fn add_incident(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        new: NewIncident,
    ) -> StoreResult<Incident> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        victims_on_case(&new.victims, case.people.len())?;
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        let names = (!new.perpetrator_names.is_empty())
            .then(|| serde_json::to_string(&new.perpetrator_names))
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let victims = serde_json::to_string(&new.victims).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        w.tx.exec(
            Q::new(
                "INSERT INTO case_incidents (id, case_id, kind, date_from, date_precision, date_until, until_precision, \
                 place, perpetrator, perpetrator_names, description, victims, created_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .text(new.kind.as_str())
            .opt_text(new.date.map(|d| d.first_day.to_string()))
            .opt_text(new.date.map(|d| d.precision.as_str()))
            .opt_text(new.until.map(|d| d.first_day.to_string()))
            .opt_text(new.until.map(|d| d.precision.as_str()))
            .opt_text(seal_opt(ring, TABLE, &id, "place", new.place.as_deref()))
            .opt_text(new.perpetrator.map(|p| p.as_str()))
            .opt_text(seal_opt(ring, TABLE, &id, "perpetrator_names", names.as_deref()))
            .opt_text(seal_opt(ring, TABLE, &id, "description", new.description.as_deref()))
            .text(victims)
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        w.tx.exec(Q::new("UPDATE cases SET updated_at = $1 WHERE id = $2").time(now).text(case_id.to_string())).await?;
        let summary = json!({ "incident": id, "kind": new.kind.as_str() });
        w.audit(AuditEvent::new(actor, "add incident", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Incident {
            id,
            kind: new.kind,
            date: new.date,
            until: new.until,
            place: new.place,
            perpetrator: new.perpetrator,
            perpetrator_names: new.perpetrator_names,
            description: new.description,
            victims: new.victims,
        })
    }

    /// The incidents of a case `viewer` may see, in the order they happened (undated last).
    pub async fn incidents_for(&self, opened: &Opened) -> StoreResult<Vec<Incident>> {
        let case_id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, kind, date_from, date_precision, date_until, until_precision, place, perpetrator, \
                     perpetrator_names, description, victims FROM case_incidents \
                     WHERE case_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
                )
                .text(case_id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        let mut out = rows.iter().map(|r| incident_from(ring, r)).collect::<StoreResult<Vec<_>>>()?;
        out.sort_by_key(|i| (i.date.is_none(), i.date));
        Ok(out)
    }

    /// Replaces what is recorded about an incident, by the case's own organisation. Each changed
    /// field leaves a sealed revision in the case's history; the audit trail names only the fields.
    pub async fn edit_incident(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        incident: &str,
        new: NewIncident,
    ) -> StoreResult<Incident> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        victims_on_case(&new.victims, case.people.len())?;
        let ring = self.keyring()?;
        let row =
            w.tx.all(
                Q::new(
                    "SELECT id, kind, date_from, date_precision, date_until, until_precision, place, perpetrator, \
                     perpetrator_names, description, victims FROM case_incidents \
                     WHERE id = $1 AND case_id = $2 AND deleted_at IS NULL",
                )
                .text(incident)
                .text(case_id.to_string()),
            )
            .await?;
        let before = match row.first() {
            Some(r) => incident_from(ring, r)?,
            None => return Err(StoreError::NotFound { entity: "incident", key: incident.to_string() }),
        };
        let now = steward_core::clock::now();
        let names = (!new.perpetrator_names.is_empty())
            .then(|| serde_json::to_string(&new.perpetrator_names))
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let victims = serde_json::to_string(&new.victims).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        w.tx.exec(
            Q::new(
                "UPDATE case_incidents SET kind = $1, date_from = $2, date_precision = $3, date_until = $4, \
                 until_precision = $5, place = $6, perpetrator = $7, perpetrator_names = $8, description = $9, \
                 victims = $10, updated_at = $11 WHERE id = $12",
            )
            .text(new.kind.as_str())
            .opt_text(new.date.map(|d| d.first_day.to_string()))
            .opt_text(new.date.map(|d| d.precision.as_str()))
            .opt_text(new.until.map(|d| d.first_day.to_string()))
            .opt_text(new.until.map(|d| d.precision.as_str()))
            .opt_text(seal_opt(ring, TABLE, incident, "place", new.place.as_deref()))
            .opt_text(new.perpetrator.map(|p| p.as_str()))
            .opt_text(seal_opt(ring, TABLE, incident, "perpetrator_names", names.as_deref()))
            .opt_text(seal_opt(ring, TABLE, incident, "description", new.description.as_deref()))
            .text(victims)
            .time(now)
            .text(incident),
        )
        .await?;
        let list = |v: &[String]| (!v.is_empty()).then(|| v.join("; "));
        let people = |v: &[usize]| {
            (!v.is_empty()).then(|| v.iter().map(|p| format!("person {}", p + 1)).collect::<Vec<_>>().join(", "))
        };
        let record = format!("incident {incident}");
        let fields = vec![
            ("kind", Some(before.kind.to_string()), Some(new.kind.to_string())),
            ("date", before.date.map(|d| d.to_string()), new.date.map(|d| d.to_string())),
            ("until", before.until.map(|d| d.to_string()), new.until.map(|d| d.to_string())),
            ("place", before.place.clone(), new.place.clone()),
            ("perpetrator", before.perpetrator.map(|p| p.to_string()), new.perpetrator.map(|p| p.to_string())),
            ("perpetrator names", list(&before.perpetrator_names), list(&new.perpetrator_names)),
            ("description", before.description.clone(), new.description.clone()),
            ("victims", people(&before.victims), people(&new.victims)),
        ];
        let changed = revise_fields(ring, &mut w, case_id, actor, now, &record, fields).await?;
        w.tx.exec(Q::new("UPDATE cases SET updated_at = $1 WHERE id = $2").time(now).text(case_id.to_string())).await?;
        let summary = json!({ "incident": incident, "fields": changed });
        w.audit(AuditEvent::new(actor, "edit incident", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Incident {
            id: incident.to_string(),
            kind: new.kind,
            date: new.date,
            until: new.until,
            place: new.place,
            perpetrator: new.perpetrator,
            perpetrator_names: new.perpetrator_names,
            description: new.description,
            victims: new.victims,
        })
    }

    /// Deletes an incident softly, with the reason (sealed), by the case's own organisation.
    pub async fn delete_incident(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        incident: &str,
        reason: &str,
    ) -> StoreResult<()> {
        let reason = deletion_reason(reason)?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        let done =
            w.tx.exec(
                Q::new(
                    "UPDATE case_incidents SET deleted_at = $1, deleted_reason = $2, updated_at = $1 \
                     WHERE id = $3 AND case_id = $4 AND deleted_at IS NULL",
                )
                .time(now)
                .text(crate::cases::seal(ring, TABLE, incident, "deleted_reason", &reason))
                .text(incident)
                .text(case_id.to_string()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound { entity: "incident", key: incident.to_string() });
        }
        let record = format!("incident {incident}");
        revise(
            ring,
            &mut w,
            case_id,
            actor,
            now,
            Change { record: &record, field: "deleted", before: None, after: Some(reason) },
        )
        .await?;
        let summary = json!({ "incident": incident });
        w.audit(AuditEvent::new(actor, "delete incident", "case", case_id, None, Some(summary))).await?;
        w.commit().await
    }
}

/// The victims, by position, are people of the case as stored.
fn victims_on_case(victims: &[usize], people: usize) -> StoreResult<()> {
    match victims.iter().find(|v| **v >= people) {
        Some(v) => Err(steward_core::CoreError::InvalidReference {
            field: "victims",
            reason: format!("person {} is not on this case, which names {people}", v + 1),
        }
        .into()),
        None => Ok(()),
    }
}

fn fuzzy(row: &Row, date: &str, precision: &str) -> StoreResult<Option<FuzzyDate>> {
    let day: Option<String> = row.get(date)?;
    let precision: Option<DatePrecision> = parse_opt(row, precision)?;
    match (day, precision) {
        (Some(day), Some(precision)) => {
            let parsed = FuzzyDate::parse("date", &day).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(Some(FuzzyDate { first_day: parsed.first_day, precision }))
        }
        _ => Ok(None),
    }
}

fn incident_from(ring: &Keyring, r: &Row) -> StoreResult<Incident> {
    let id = r.text("id")?;
    let names: Option<String> = open_opt(ring, TABLE, &id, "perpetrator_names", r.get("perpetrator_names")?)?;
    let perpetrator_names = names
        .map(|n| serde_json::from_str::<Vec<String>>(&n))
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("case_incidents.perpetrator_names: {e}")))?
        .unwrap_or_default();
    let victims = serde_json::from_str(&r.text("victims")?)
        .map_err(|e| StoreError::Corrupt(format!("case_incidents.victims: {e}")))?;
    Ok(Incident {
        kind: r.parse("kind")?,
        date: fuzzy(r, "date_from", "date_precision")?,
        until: fuzzy(r, "date_until", "until_precision")?,
        place: open_opt(ring, TABLE, &id, "place", r.get("place")?)?,
        perpetrator: parse_opt(r, "perpetrator")?,
        perpetrator_names,
        description: open_opt(ring, TABLE, &id, "description", r.get("description")?)?,
        victims,
        id,
    })
}
