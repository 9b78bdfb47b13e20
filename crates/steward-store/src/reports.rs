//! What reports count: the unsealed facts of the cases a reader may see, and the installation's
//! small-count threshold.

use crate::cases::parse_opt;
use crate::error::{StoreError, StoreResult};
use crate::sql::Q;
use crate::Store;
use std::collections::HashMap;
use steward_core::audit::Actor;
use steward_core::case::{CaseId, Viewer};
use steward_core::report::{ReportFacts, DEFAULT_MIN_COUNT};

const MIN_COUNT: &str = "report_min_count";

impl Store {
    /// The report facts of every case `viewer` may see. Reads no sealed field.
    pub async fn report_facts(&self, viewer: &Viewer) -> StoreResult<Vec<ReportFacts>> {
        let cases = self.cases_for(viewer).await?;
        let mut facts: HashMap<CaseId, ReportFacts> = cases
            .iter()
            .map(|c| {
                let f = ReportFacts {
                    country: c.country.clone(),
                    sector: c.sector.clone(),
                    risk: c.risk,
                    status: c.status,
                    reported_at: c.created_at,
                    acknowledged_at: c.acknowledged_at,
                    first_action_at: c.first_action_at,
                    incident_types: Vec::new(),
                    perpetrators: Vec::new(),
                };
                (c.id, f)
            })
            .collect();
        // Incidents' types are not sealed; those of cases the viewer cannot see are skipped here
        // and never leave this function.
        let rows = self
            .db
            .all(Q::new("SELECT case_id, kind, perpetrator FROM case_incidents WHERE deleted_at IS NULL"))
            .await?;
        for row in &rows {
            let case: CaseId = row.parse("case_id")?;
            if let Some(f) = facts.get_mut(&case) {
                f.incident_types.push(row.parse("kind")?);
                if let Some(p) = parse_opt(row, "perpetrator")? {
                    f.perpetrators.push(p);
                }
            }
        }
        Ok(cases.iter().filter_map(|c| facts.remove(&c.id)).collect())
    }

    /// The smallest count reports show.
    pub async fn report_min_count(&self) -> StoreResult<u64> {
        let row = self.db.opt(Q::new("SELECT value FROM settings WHERE key = $1").text(MIN_COUNT)).await?;
        match row {
            None => Ok(DEFAULT_MIN_COUNT),
            Some(r) => {
                let v = r.text("value")?;
                v.parse().map_err(|_| StoreError::Corrupt(format!("setting {MIN_COUNT} holds '{v}'")))
            }
        }
    }

    /// Sets the smallest count reports show (2 to 100).
    pub async fn set_report_min_count(&self, actor: &Actor, n: u64) -> StoreResult<()> {
        if !(2..=100).contains(&n) {
            return Err(StoreError::Invalid(steward_core::CoreError::InvalidReference {
                field: "report_min_count",
                reason: format!("must be between 2 and 100, not {n}"),
            }));
        }
        self.set_setting(actor, MIN_COUNT, n.to_string()).await
    }
}
