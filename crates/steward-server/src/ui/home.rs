//! The home page: where you are, and where to go next.

use super::{page, Layout, Signed};
use crate::error::AppResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use steward_core::org::Org;
use steward_core::role::Permission;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    org: Org,
    role: String,
    org_count: usize,
    members: usize,
    admin: Option<AdminSummary>,
}

struct AdminSummary {
    users: usize,
    disabled: usize,
    without_2fa: usize,
    audit_entries: i64,
}

pub async fn show_home(State(state): State<AppState>, signed: Signed) -> AppResult<Response> {
    let user = &signed.caller.user;
    let org = state.store.org(user.org_id).await?;
    let orgs = state.store.orgs().await?;
    let members = state.store.users_of_org(org.id).await?.len();
    let admin = if signed.caller.can(Permission::ManageUsers) {
        let users = state.store.users().await?;
        Some(AdminSummary {
            users: users.len(),
            disabled: users.iter().filter(|u| u.disabled).count(),
            without_2fa: users.iter().filter(|u| !u.totp_enabled && !u.disabled).count(),
            audit_entries: state.store.audit_len().await?,
        })
    } else {
        None
    };
    page(&HomePage {
        layout: Layout::for_user(&signed, "home"),
        role: user.role.to_string(),
        org,
        org_count: orgs.len(),
        members,
        admin,
    })
}
