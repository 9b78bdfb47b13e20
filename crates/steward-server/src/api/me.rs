//! Who the token belongs to.

use super::users::UserOut;
use crate::auth::ApiCaller;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;

/// The user this token acts for.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = UserOut), (status = 401, description = "No valid token")))]
pub async fn get_me(State(state): State<AppState>, ApiCaller(caller): ApiCaller) -> AppResult<Json<UserOut>> {
    let org = state.store.org(caller.user.org_id).await?;
    Ok(Json(UserOut::new(&caller.user, &org.name)))
}
