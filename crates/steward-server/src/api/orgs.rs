//! Organisations.

use super::users::UserOut;
use super::ApiJson;
use crate::auth::ApiCaller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use steward_core::ids::OrgId;
use steward_core::org::{NewOrg, Org, OrgKind};
use steward_core::role::Permission;
use utoipa::ToSchema;

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgOut {
    id: String,
    name: String,
    /// government, workers, civil-society, company, philanthropy or multilateral.
    kind: String,
    /// ISO 3166-1 alpha-2.
    country: Option<String>,
    created_at: String,
    /// Present for the organisation's own members and administrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<UserOut>>,
}

impl OrgOut {
    fn new(org: &Org) -> Self {
        Self {
            id: org.id.to_string(),
            name: org.name.clone(),
            kind: org.kind.as_str().into(),
            country: org.country.clone(),
            created_at: steward_core::clock::rfc3339(org.created_at),
            members: None,
        }
    }
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgIn {
    name: String,
    /// government, workers, civil-society, company, philanthropy or multilateral.
    kind: String,
    /// A code or name; stored as alpha-2.
    #[serde(default)]
    country: Option<String>,
}

/// The directory of organisations.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "organisations",
    responses((status = 200, body = [OrgOut]), (status = 401, description = "No valid token")))]
pub async fn list_orgs(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<Vec<OrgOut>>> {
    caller.require(Permission::ViewDirectory)?;
    Ok(Json(state.store.orgs().await?.iter().map(OrgOut::new).collect()))
}

/// Creates an organisation (administrators).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "organisations", request_body = OrgIn,
    responses((status = 201, body = OrgOut), (status = 400, description = "Invalid field"), (status = 403, description = "Not an administrator"), (status = 409, description = "Name taken")))]
pub async fn create_org(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    ApiJson(body): ApiJson<OrgIn>,
) -> AppResult<(StatusCode, Json<OrgOut>)> {
    caller.require(Permission::ManageOrganisations)?;
    let kind: OrgKind = body.kind.parse()?;
    let new = NewOrg::new(&body.name, kind, body.country.as_deref())?;
    let org = state.store.create_org(&caller.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(OrgOut::new(&org))))
}

/// One organisation; its members for its own people and administrators.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "organisations",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, body = OrgOut), (status = 404, description = "No such organisation")))]
pub async fn get_org(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<OrgOut>> {
    caller.require(Permission::ViewDirectory)?;
    let id: OrgId = id.parse().map_err(|_| AppError::NotFound)?;
    let org = state.store.org(id).await?;
    let mut out = OrgOut::new(&org);
    if caller.user.org_id == org.id || caller.can(Permission::ManageUsers) {
        let members = state.store.users_of_org(org.id).await?;
        let admin = caller.can(Permission::ManageUsers);
        out.members = Some(
            members
                .iter()
                .map(|u| {
                    let o = UserOut::new(u, &org.name);
                    if admin || u.id == caller.user.id {
                        o
                    } else {
                        o.for_colleagues()
                    }
                })
                .collect(),
        );
    }
    Ok(Json(out))
}
