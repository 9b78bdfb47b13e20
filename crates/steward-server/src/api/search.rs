//! One search box across capabilities: cases the caller may see, organisations, list entries.

use super::cases::viewer;
use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::country::fold;
use steward_core::role::Permission;
use steward_screen::index::Query as IndexQuery;
use utoipa::{IntoParams, ToSchema};

/// What to look for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words to find (at least two characters).
    q: String,
}

/// One thing found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// `case`, `organisation` or `list_entity`.
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) title: String,
    /// Where it was found, in a few words.
    pub(crate) detail: String,
    /// The page that shows it.
    pub(crate) url: String,
}

/// Found things, grouped by kind. The query is not echoed: a reply should hold only what was
/// found, so that nothing in it can be mistaken for (or be) a leak.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub(crate) results: Vec<SearchHit>,
}

/// Most hits of each kind.
const PER_KIND: usize = 20;

/// Searches everything the caller may see. Cases are searched after they are filtered by
/// visibility and opened, so the words of a case the caller may not see can never match.
pub(crate) async fn search_all(state: &AppState, caller: &crate::auth::Caller, q: &str) -> AppResult<SearchOut> {
    let needle = fold(q);
    if needle.chars().count() < 2 {
        return Err(AppError::field("q", "type at least two letters or digits"));
    }
    let words: Vec<&str> = needle.split_whitespace().collect();
    let has_all = |text: &str| {
        let hay = fold(text);
        words.iter().all(|w| hay.contains(w))
    };
    let mut results = Vec::new();
    for case in state.store.cases_for(&viewer(caller)).await? {
        let mut fields = vec![("title", case.title.as_str()), ("summary", case.summary.as_str())];
        if let Some(p) = case.pseudonym.as_deref() {
            fields.push(("pseudonym", p));
        }
        if let Some(sector) = case.sector.as_deref() {
            fields.push(("sector", sector));
        }
        for p in &case.people {
            fields.push(("person", p.name.as_str()));
            if let Some(o) = p.other_names.as_deref() {
                fields.push(("person's other names", o));
            }
            if let Some(o) = p.organisation.as_deref() {
                fields.push(("organisation", o));
            }
            if let Some(w) = p.workplace.as_deref() {
                fields.push(("workplace", w));
            }
        }
        let all_text = fields.iter().map(|(_, t)| *t).collect::<Vec<_>>().join(" ");
        if has_all(&all_text) {
            let found_in = fields.iter().find(|(_, t)| words.iter().any(|w| fold(t).contains(w))).map(|(f, _)| *f);
            results.push(SearchHit {
                kind: "case",
                id: case.id.to_string(),
                title: case.display_title().to_string(),
                detail: format!("case, {} risk; matched in its {}", case.risk, found_in.unwrap_or("text")),
                url: format!("/cases/{}", case.id),
            });
            if results.len() >= PER_KIND {
                break;
            }
        }
    }
    // Joint statements the caller may read: their case's readers in the drafting organisation,
    // and the organisations invited to co-sign.
    let statements = state.store.statements_for(&viewer(caller)).await?;
    for st in statements.iter().filter(|st| has_all(&format!("{} {}", st.text.title, st.text.body))).take(PER_KIND) {
        results.push(SearchHit {
            kind: "statement",
            id: st.id.clone(),
            title: st.text.title.clone(),
            detail: format!("joint statement, {}", st.status),
            url: format!("/statements/{}", st.id),
        });
    }
    if caller.can(Permission::ViewDirectory) {
        for org in state.store.orgs().await?.into_iter().filter(|o| has_all(&o.name)).take(PER_KIND) {
            results.push(SearchHit {
                kind: "organisation",
                id: org.id.to_string(),
                title: org.name,
                detail: format!("organisation, {}", org.kind.as_str()),
                url: "/orgs".into(),
            });
        }
    }
    if caller.can(Permission::ViewLists) {
        let screening = state.screening().await?;
        let query = IndexQuery { name: q.to_string(), ..Default::default() };
        for hit in screening.index.search(&query, PER_KIND, 0.7) {
            results.push(SearchHit {
                kind: "list_entity",
                id: hit.entry.entity.key.clone(),
                title: hit.entry.entity.name.clone(),
                detail: format!("on {} (score {:.2})", hit.entry.source.edition, hit.score),
                url: "/lists".into(),
            });
        }
    }
    Ok(SearchOut { results })
}

/// Searches cases the caller may see, organisations and list entries.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchOut), (status = 400, description = "Query too short")))]
pub async fn search(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(params): Query<SearchParams>,
) -> AppResult<Json<SearchOut>> {
    Ok(Json(search_all(&state, &caller, params.q.trim()).await?))
}
