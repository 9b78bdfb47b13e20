//! The W3C Entity Reconciliation API 0.2 at `/reconcile`, so that OpenRefine and other
//! reconciliation clients can match a spreadsheet's names against the entity lists in force.
//! `GET` without queries answers the service manifest; `GET` or `POST` with `queries` answers a
//! batch.

use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use steward_core::list::EntitySchema;
use steward_core::role::Permission;
use steward_screen::index::Query as IndexQuery;

/// The batch, as a JSON text in the `queries` field (query string or form).
#[derive(Debug, Default, Deserialize)]
pub struct Batch {
    queries: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ReconQuery {
    query: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    properties: Vec<ReconProperty>,
}

#[derive(Debug, Deserialize)]
struct ReconProperty {
    pid: String,
    v: Value,
}

fn manifest() -> Value {
    let types: Vec<Value> =
        ["LegalEntity", "Company", "Organization", "Person"].iter().map(|t| json!({ "id": t, "name": t })).collect();
    json!({
        "versions": ["0.2"],
        "name": "Steward: forced- and child-labor list screening",
        "identifierSpace": "https://steward.example.org/ns/list-entity/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "documentation": "https://steward.example.org/docs/reconcile",
        "defaultTypes": types,
    })
}

async fn answer(state: &AppState, text: &str) -> AppResult<Value> {
    let batch: BTreeMap<String, ReconQuery> = serde_json::from_str(text)
        .map_err(|e| AppError::field("queries", format!("not a reconciliation query batch: {e}")))?;
    let screening = state.screening().await?;
    let mut out = Map::new();
    for (key, q) in batch {
        let schema = match q.kind.as_deref() {
            Some(t) => {
                t.parse::<EntitySchema>().map_err(|e| AppError::field(&format!("queries.{key}.type"), e.to_string()))?
            }
            None => EntitySchema::LegalEntity,
        };
        let countries = q
            .properties
            .iter()
            .filter(|p| p.pid == "country" || p.pid == "jurisdiction")
            .filter_map(|p| p.v.as_str())
            .filter_map(|c| steward_core::country::resolve(c).ok().map(|c| c.alpha2.to_string()))
            .collect();
        let query = IndexQuery { name: q.query.clone(), schema: Some(schema), countries, ..IndexQuery::default() };
        let results: Vec<Value> = screening
            .index
            .search(&query, q.limit.unwrap_or(5).clamp(1, 50), 0.3)
            .iter()
            .map(|h| {
                let e = &h.entry.entity;
                json!({
                    "id": format!("{}:{}", h.entry.source.list, e.key),
                    "name": e.name,
                    "description": format!("{} ({})", h.entry.source.edition, e.countries.join(", ")),
                    "score": (h.score * 100.0).round(),
                    "match": h.score >= steward_screen::matcher::DEFAULT_THRESHOLD,
                    "type": [{ "id": e.schema.as_str(), "name": e.schema.as_str() }],
                    "features": [{ "id": "name_score", "value": h.comparison.score }],
                })
            })
            .collect();
        out.insert(key, json!({ "result": results }));
    }
    Ok(Value::Object(out))
}

/// The manifest, or a batch given in the query string.
pub async fn get_reconcile(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(batch): Query<Batch>,
) -> AppResult<Response> {
    caller.require(Permission::ViewLists)?;
    match batch.queries {
        Some(text) => Ok(Json(answer(&state, &text).await?).into_response()),
        None => Ok(Json(manifest()).into_response()),
    }
}

/// A batch given as a form field.
pub async fn post_reconcile(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Form(batch): Form<Batch>,
) -> AppResult<Json<Value>> {
    caller.require(Permission::ViewLists)?;
    let text = batch.queries.ok_or_else(|| AppError::field("queries", "send the batch as the form field 'queries'"))?;
    Ok(Json(answer(&state, &text).await?))
}
