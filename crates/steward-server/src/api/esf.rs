//! A case in HURIDOCS Events Standard Formats (ESF): the event, its acts, the persons involved,
//! perpetrators' involvement, the information (sources) and the interventions, keyed by the ESF
//! field names and carrying HURIDOCS micro-thesaurus codes, for tools that speak ESF.
//!
//! Like the evidence bundle, it never carries contacts, withholds reporters' names unless asked,
//! and is audited on the case.

use super::cases::{viewer, Names};
use super::casework::case_id;
use super::sources::EvidenceQuery;
use crate::auth::{ApiCaller, Caller};
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};
use steward_core::huridocs;
use steward_core::incident::FuzzyDate;

fn day(d: Option<FuzzyDate>, last: bool) -> Value {
    match d {
        Some(d) if last => json!(d.last_day().to_string()),
        Some(d) => json!(d.first_day.to_string()),
        None => Value::Null,
    }
}

/// The case as ESF records; the export is audited.
pub(crate) async fn esf_for(state: &AppState, caller: &Caller, id: &str, q: &EvidenceQuery) -> AppResult<Value> {
    let id = case_id(id)?;
    let me = viewer(caller);
    let actor = caller.actor();
    let opened = state.store.open_case(&actor, &me, id).await?;
    let case = opened.case();
    let names = Names::load(state).await?;
    let incidents = state.store.incidents_for(&opened).await?;
    let sources = state.store.sources_for(&opened).await?;
    let actions = state.store.actions_for(&opened).await?;
    let reporters = q.reporters.as_deref() == Some("include");

    let mut persons: Vec<Value> = case
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "person_record_number": format!("V{}", i + 1),
                "counting_unit": "individual",
                "person_name": p.name,
                "occupation": p.role.map(|r| r.to_string()),
                "remarks": p.organisation.as_ref().map(|o| format!("Organisation: {o}")),
            })
        })
        .collect();
    let mut acts = Vec::new();
    let mut involvements = Vec::new();
    for (n, i) in incidents.iter().enumerate() {
        let act = huridocs::act(i.kind);
        let victims: Vec<String> = if i.victims.is_empty() {
            vec![String::new()]
        } else {
            i.victims.iter().map(|v| format!("V{}", v + 1)).collect()
        };
        for (k, victim) in victims.iter().enumerate() {
            acts.push(json!({
                "act_record_number": format!("A{}-{}", n + 1, k + 1),
                "event": case.id.to_string(),
                "victim": if victim.is_empty() { Value::Null } else { json!(victim) },
                "type_of_act": {"list": act.list, "code": act.code, "steward_term": i.kind.as_str()},
                "initial_date": day(i.date, false),
                "final_date": day(i.until.or(i.date), true),
                "exact_location": i.place,
                "remarks": i.description,
            }));
        }
        let kind = i.perpetrator.map(huridocs::perpetrator);
        let perpetrators: Vec<Option<String>> = if i.perpetrator_names.is_empty() {
            vec![None]
        } else {
            i.perpetrator_names.iter().cloned().map(Some).collect()
        };
        for (k, name) in perpetrators.into_iter().enumerate() {
            if name.is_none() && kind.is_none() {
                continue;
            }
            let record = format!("P{}-{}", n + 1, k + 1);
            if let Some(name) = name {
                persons
                    .push(json!({"person_record_number": record, "counting_unit": "individual", "person_name": name}));
            }
            involvements.push(json!({
                "involvement_record_number": format!("I{}-{}", n + 1, k + 1),
                "perpetrator": record,
                "event": case.id.to_string(),
                "act": format!("A{}-1", n + 1),
                "type_of_perpetrator": kind.map(|c| json!({"list": c.list, "code": c.code, "steward_term": i.perpetrator.map(|p| p.as_str())})),
            }));
        }
    }
    let information: Vec<Value> = sources
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let record = format!("S{}", n + 1);
            if reporters {
                if let Some(r) = &s.reporter {
                    persons.push(json!({"person_record_number": record, "counting_unit": "individual", "person_name": r}));
                }
            }
            json!({
                "information_record_number": format!("N{}", n + 1),
                "source": if reporters && s.reporter.is_some() { json!(record) } else { Value::Null },
                "event": case.id.to_string(),
                "date_of_source_material": s.reported_on.map(|d| d.to_string()),
                "type_of_source_material": s.channel.as_str(),
                "reliability_of_information": format!("{}{} ({}; {})", s.reliability, s.credibility, s.reliability.meaning(), s.credibility.meaning()),
                "remarks": s.notes,
            })
        })
        .collect();
    let interventions: Vec<Value> = actions
        .iter()
        .enumerate()
        .map(|(n, a)| {
            let code = huridocs::intervention(a.kind);
            json!({
                "intervention_record_number": format!("T{}", n + 1),
                "intervening_party": names.org(a.owner_org),
                "event": case.id.to_string(),
                "type_of_intervention": {"list": code.list, "code": code.code, "steward_term": a.kind.as_str()},
                "date_of_intervention": a.outcome_date.map(|d| d.to_string()).unwrap_or_else(|| a.created_at.date().to_string()),
                "status": a.status.as_str(),
                "remarks": a.description,
                "response": a.outcome,
            })
        })
        .collect();
    let first = incidents.iter().filter_map(|i| i.date).min();
    let last = incidents.iter().filter_map(|i| i.until.or(i.date)).max();
    let esf = json!({
        "format": "HURIDOCS Events Standard Formats, as exported by Steward (steward-esf/1)",
        "note": "Field names follow the ESF field dictionary; codes are HURIDOCS micro-thesaurus codes (list 4 types of acts, 20 types of intervention, 24 types of perpetrators). Countries are ISO 3166-1 alpha-2. Contact details are never exported; reporters' names only when asked for.",
        "event": {
            "event_record_number": case.id.to_string(),
            "event_title": case.title,
            "confidentiality": if case.visibility.as_str() == "internal" { "n" } else { "y" },
            "geographical_term": case.country,
            "initial_date": day(first, false),
            "final_date": day(last, true),
            "event_description": case.summary,
            "date_received": case.created_at.date().to_string(),
            "date_updated": case.updated_at.date().to_string(),
            "monitoring_status": case.status.as_str(),
            "remarks": case.sector.as_ref().map(|s| format!("Sector: {s}")),
        },
        "persons": persons,
        "acts": acts,
        "involvements": involvements,
        "information": information,
        "interventions": interventions,
    });
    let what = json!({"export": "esf", "reporters": reporters, "acts": esf["acts"].as_array().map_or(0, Vec::len)});
    state.store.audit_case_export(&actor, &me, id, what).await?;
    Ok(esf)
}

/// The case in HURIDOCS Events Standard Formats (JSON): event, acts, persons, involvements,
/// information and interventions with HURIDOCS codes. Audited like every export.
#[utoipa::path(get, path = "/api/v1/cases/{id}/esf", tag = "cases",
    params(("id" = String, Path, description = "Case id"), EvidenceQuery),
    responses((status = 200, description = "ESF records as JSON"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn get_esf(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> AppResult<Json<Value>> {
    Ok(Json(esf_for(&state, &caller, &id, &q).await?))
}
