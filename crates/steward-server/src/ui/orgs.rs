//! The organisation directory and one page per organisation.

use super::{page, Layout, Signed};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use steward_core::ids::OrgId;
use steward_core::org::{NewOrg, Org, OrgKind};
use steward_core::role::Permission;
use steward_core::user::User;

#[derive(Template)]
#[template(path = "orgs/list.html")]
struct OrgsPage {
    layout: Layout,
    orgs: Vec<Org>,
    can_create: bool,
    kinds: Vec<(&'static str, &'static str)>,
    form: OrgForm,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs/show.html")]
struct OrgPage {
    layout: Layout,
    org: Org,
    country_name: String,
    members: Option<Vec<User>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    csrf: String,
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    OrgKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
}

async fn orgs_page(state: &AppState, signed: &Signed, form: OrgForm, error: Option<String>) -> AppResult<Response> {
    signed.caller.require(Permission::ViewDirectory)?;
    let mut response = page(&OrgsPage {
        layout: Layout::for_user(signed, "orgs"),
        orgs: state.store.orgs().await?,
        can_create: signed.caller.can(Permission::ManageOrganisations),
        kinds: kinds(),
        form,
        error: error.clone(),
    })?;
    if error.is_some() {
        *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

pub async fn list_orgs(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    orgs_page(&state, &signed, OrgForm::default(), None).await
}

pub async fn create_org(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<OrgForm>,
) -> AppResult<Response> {
    signed.check_csrf(&form.csrf)?;
    signed.caller.require(Permission::ManageOrganisations)?;
    let new = form.kind.parse::<OrgKind>().and_then(|kind| NewOrg::new(&form.name, kind, Some(form.country.as_str())));
    let result = match new {
        Ok(new) => state.store.create_org(&signed.caller.actor(), new).await.map_err(AppError::from),
        Err(e) => Err(AppError::from(e)),
    };
    match result {
        Ok(org) => Ok(Redirect::to(&format!("/orgs/{}", org.id)).into_response()),
        Err(e @ (AppError::BadRequest { .. } | AppError::Conflict { .. })) => {
            orgs_page(&state, &signed, form, Some(e.to_string())).await
        }
        Err(e) => Err(e),
    }
}

pub async fn show_org(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> AppResult<Response> {
    signed.caller.require(Permission::ViewDirectory)?;
    let id: OrgId = id.parse().map_err(|_| AppError::NotFound)?;
    let org = state.store.org(id).await?;
    // Members are shown to the organisation's own people and to administrators only.
    let members = if signed.caller.user.org_id == org.id || signed.caller.can(Permission::ManageUsers) {
        Some(state.store.users_of_org(org.id).await?)
    } else {
        None
    };
    let country_name = org
        .country
        .as_deref()
        .and_then(steward_core::country::by_alpha2)
        .map(|c| c.name.to_string())
        .unwrap_or_default();
    page(&OrgPage { layout: Layout::for_user(&signed, "orgs"), org, country_name, members })
}
