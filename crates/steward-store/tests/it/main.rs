#![allow(missing_docs, clippy::unwrap_used)]
//! The store's contract: every test runs on SQLite, and on PostgreSQL when
//! `STEWARD_TEST_POSTGRES_URL` is set, each on a fresh database or schema.

mod audit;
mod cases;
mod casework;
mod editions;
mod highlights;
mod notifications;
mod orgs_users;
mod sessions_tokens;
mod sources;

use steward_core::credential::hash_password;
use steward_core::email::Email;
use steward_core::ids::OrgId;
use steward_core::role::Role;
use steward_core::user::NewUser;

/// Opens a case as the CLI would, for reading its parts.
pub(crate) async fn opened(
    s: &steward_store::Store,
    viewer: &steward_core::case::Viewer,
    id: steward_core::case::CaseId,
) -> steward_store::StoreResult<steward_store::Opened> {
    s.open_case(&steward_core::audit::Actor::cli(), viewer, id).await
}

pub(crate) fn new_user(email: &str, org: OrgId, role: Role) -> NewUser {
    NewUser {
        email: Email::parse(email).expect("valid email"),
        display_name: email.split('@').next().unwrap_or_default().to_string(),
        org_id: org,
        role,
        // A fixed, cheap-to-verify hash is not wanted here: the store never looks inside it.
        password_hash: hash_password("correct horse battery staple"),
        must_change_password: false,
    }
}
