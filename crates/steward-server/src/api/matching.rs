//! `POST /api/v1/match/{dataset}`: matching by example, in the request and response shape of
//! yente (OpenSanctions' matching API), so that its clients work against Steward unchanged.

use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use steward_core::list::EntitySchema;
use steward_core::role::Permission;
use steward_screen::index::{Hit, Query as IndexQuery};
use utoipa::{IntoParams, ToSchema};

/// Scoring options, as yente takes them.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MatchParams {
    /// Results per query (default 5, at most 100).
    limit: Option<usize>,
    /// Score at or above which `match` is true (default: Steward's threshold).
    threshold: Option<f64>,
    /// Score below which candidates are left out (default 0.5).
    cutoff: Option<f64>,
}

/// A batch of queries by example, keyed by the caller's names for them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchRequest {
    /// Each query: `{"schema": "Company", "properties": {"name": [...], "country": [...]}}`.
    #[schema(value_type = Object)]
    queries: BTreeMap<String, QueryEntity>,
}

/// An entity given by example.
#[derive(Debug, Deserialize)]
pub struct QueryEntity {
    schema: String,
    #[serde(default)]
    properties: BTreeMap<String, Vec<Value>>,
}

fn strings(props: &BTreeMap<String, Vec<Value>>, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter_map(|n| props.get(*n))
        .flatten()
        .filter_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from))
        .collect()
}

fn result(hit: &Hit<'_>, threshold: f64) -> Value {
    let e = &hit.entry.entity;
    let mut props = Map::new();
    props.insert("name".into(), json!([e.name]));
    if !e.aliases.is_empty() {
        props.insert("alias".into(), json!(e.aliases));
    }
    if !e.countries.is_empty() {
        props.insert("country".into(), json!(e.countries.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>()));
    }
    if !e.identifiers.is_empty() {
        props.insert("registrationNumber".into(), json!(e.identifiers));
    }
    if !e.notes.is_empty() {
        props.insert("notes".into(), json!([e.notes]));
    }
    let country = match hit.country_agrees {
        Some(true) => 1.0,
        Some(false) => -1.0,
        None => 0.0,
    };
    json!({
        "id": format!("{}:{}", hit.entry.source.list, e.key),
        "caption": e.name,
        "schema": e.schema.as_str(),
        "properties": props,
        "datasets": [hit.entry.source.list],
        "referents": [],
        "target": true,
        "score": hit.score,
        "match": hit.score >= threshold,
        "explanations": {
            "name_match": {
                "score": hit.comparison.score,
                "detail": hit.comparison.explanation.summary,
                "query": hit.query_name,
                "candidate": hit.matched_name,
            },
            "country_match": { "score": country, "detail": "countries of the query and the listed entity" },
            "identifier_match": { "score": if hit.identifier.is_some() { 1.0 } else { 0.0 }, "detail": hit.identifier.clone().unwrap_or_default() },
        },
    })
}

/// Matches each query entity against a dataset: `default` (all entity lists in force) or one
/// list by name.
#[utoipa::path(post, path = "/api/v1/match/{dataset}", tag = "screening", request_body = MatchRequest,
    params(("dataset" = String, Path, description = "`default`, or a list's name"), MatchParams),
    responses((status = 200, description = "yente's response shape: responses.KEY.results[]"), (status = 404, description = "No such dataset")))]
pub async fn match_entities(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(dataset): Path<String>,
    Query(params): Query<MatchParams>,
    ApiJson(body): ApiJson<MatchRequest>,
) -> AppResult<Json<Value>> {
    caller.require(Permission::ViewLists)?;
    let limit = params.limit.unwrap_or(5).clamp(1, 100);
    let threshold = params.threshold.unwrap_or(steward_screen::matcher::DEFAULT_THRESHOLD);
    let cutoff = params.cutoff.unwrap_or(0.5);
    let screening = state.screening().await?;
    if dataset != "default" && !screening.index.lists().any(|l| l == dataset) {
        return Err(AppError::NotFound);
    }
    let mut responses = Map::new();
    for (key, q) in body.queries {
        let schema: EntitySchema = q
            .schema
            .parse()
            .map_err(|e: steward_core::CoreError| AppError::field(&format!("queries.{key}.schema"), e.to_string()))?;
        let names = strings(&q.properties, &["name", "alias", "weakAlias", "previousName"]);
        let Some((name, aliases)) = names.split_first() else {
            return Err(AppError::field(&format!("queries.{key}.properties.name"), "give at least one name"));
        };
        let countries =
            strings(&q.properties, &["country", "jurisdiction", "nationality", "citizenship", "mainCountry"])
                .iter()
                .filter_map(|c| steward_core::country::resolve(c).ok().map(|c| c.alpha2.to_string()))
                .collect();
        let query = IndexQuery {
            name: name.clone(),
            aliases: aliases.to_vec(),
            schema: Some(schema),
            countries,
            identifiers: strings(
                &q.properties,
                &["registrationNumber", "taxNumber", "innCode", "ogrnCode", "leiCode", "idNumber", "vatCode"],
            ),
        };
        let hits: Vec<Value> = screening
            .index
            .search(&query, 100, cutoff)
            .into_iter()
            .filter(|h| dataset == "default" || h.entry.source.list == dataset)
            .take(limit)
            .map(|h| result(&h, threshold))
            .collect();
        let total = hits.len();
        responses.insert(
            key,
            json!({
                "status": 200,
                "results": hits,
                "total": { "value": total, "relation": "eq" },
                "query": { "schema": schema.as_str(), "properties": q.properties },
            }),
        );
    }
    Ok(Json(json!({ "responses": responses, "limit": limit })))
}
