//! Users, their passwords and their second factor.

use crate::error::{conflict_on, StoreError, StoreResult};
use crate::orgs::insert_org;
use crate::sql::{Row, Q};
use crate::write::Write;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::email::Email;
use steward_core::ids::{OrgId, UserId};
use steward_core::org::NewOrg;
use steward_core::role::{Permission, Role};
use steward_core::user::{NewUser, User};

/// A query on `users` reading the columns [`user_from`] expects.
macro_rules! select_users {
    ($rest:literal) => {
        concat!(
            "SELECT id, email, display_name, org_id, role, disabled, must_change_password, totp_enabled, created_at FROM users ",
            $rest
        )
    };
}

pub(crate) fn user_from(row: &Row) -> StoreResult<User> {
    Ok(User {
        id: row.parse("id")?,
        email: row.parse("email")?,
        display_name: row.text("display_name")?,
        org_id: row.parse("org_id")?,
        role: row.parse("role")?,
        disabled: row.get("disabled")?,
        must_change_password: row.get("must_change_password")?,
        totp_enabled: row.get("totp_enabled")?,
        created_at: row.get("created_at")?,
    })
}

fn summary(u: &User) -> serde_json::Value {
    json!({
        "email": u.email.as_str(),
        "display_name": u.display_name,
        "org_id": u.org_id.to_string(),
        "role": u.role.as_str(),
        "disabled": u.disabled,
        "totp_enabled": u.totp_enabled,
    })
}

/// What sign-in needs and nothing else reads: the secrets beside the user.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Base32 TOTP secret, enrolled or pending.
    pub totp_secret: Option<String>,
}

fn not_found(key: impl ToString) -> StoreError {
    StoreError::NotFound { entity: "user", key: key.to_string() }
}

impl Store {
    /// Creates a user.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> StoreResult<User> {
        let mut w = self.write().await?;
        let user = insert_user(&mut w, actor, new).await?;
        let mut told = crate::notices::users_who_can(&mut w, user.org_id, Permission::ManageCases).await?;
        told.retain(|u| *u != user.id && Some(*u) != actor.user_id);
        crate::notices::notify(&mut w, &told, crate::notices::NoticeKind::AccountMade, &user.id.to_string(), None)
            .await?;
        w.commit().await?;
        Ok(user)
    }

    /// On the very first start: creates the administrators' organisation (or reuses one of that
    /// name) and the first administrator, unless any user exists. Safe when several processes
    /// start at once: the write lock makes the check and the insert one step.
    pub async fn bootstrap_admin(
        &self,
        org: NewOrg,
        admin: impl FnOnce(OrgId) -> NewUser,
    ) -> StoreResult<Option<User>> {
        let mut w = self.write().await?;
        let count: i64 = w.tx.one(Q::new("SELECT COUNT(*) AS n FROM users")).await?.get("n")?;
        if count > 0 {
            return Ok(None);
        }
        let existing =
            w.tx.opt(Q::new("SELECT id FROM orgs WHERE name_key = $1").text(crate::orgs::name_key(&org.name))).await?;
        let org_id = match existing {
            Some(row) => row.parse("id")?,
            None => insert_org(&mut w, &Actor::system(), org).await?.id,
        };
        let user = insert_user(&mut w, &Actor::system(), admin(org_id)).await?;
        w.commit().await?;
        Ok(Some(user))
    }

    /// All users, oldest first (the first administrator comes first).
    pub async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = self.db.all(Q::new(select_users!("ORDER BY created_at, id"))).await?;
        rows.iter().map(user_from).collect()
    }

    /// The members of one organisation, by email.
    pub async fn users_of_org(&self, org: OrgId) -> StoreResult<Vec<User>> {
        let rows = self.db.all(Q::new(select_users!("WHERE org_id = $1 ORDER BY email")).text(org.to_string())).await?;
        rows.iter().map(user_from).collect()
    }

    /// One user by id.
    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let row = self
            .db
            .opt(Q::new(select_users!("WHERE id = $1")).text(id.to_string()))
            .await?
            .ok_or_else(|| not_found(id))?;
        user_from(&row)
    }

    /// One user by email.
    pub async fn user_by_email(&self, email: &Email) -> StoreResult<User> {
        let row = self
            .db
            .opt(Q::new(select_users!("WHERE email = $1")).text(email.as_str()))
            .await?
            .ok_or_else(|| not_found(email))?;
        user_from(&row)
    }

    /// The user with their secrets, for sign-in; `None` when no such user exists.
    pub async fn credentials(&self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, email, display_name, org_id, role, disabled, must_change_password, totp_enabled, created_at, \
                     password_hash, totp_secret FROM users WHERE email = $1",
                )
                .text(email.as_str()),
            )
            .await?;
        row.map(|row| {
            let user = user_from(&row)?;
            let secret: Option<String> = row.get("totp_secret")?;
            let totp_secret = match secret {
                Some(s) if is_sealed(&s) => {
                    Some(self.keyring()?.open(totp_slot(&user.id.to_string()), &s).map_err(StoreError::Sealed)?)
                }
                // Written before secrets were sealed; sealed at the next start (`check_keyring`).
                other => other,
            };
            Ok(UserCredentials { user, password_hash: row.text("password_hash")?, totp_secret })
        })
        .transpose()
    }

    /// Disables or re-enables an account. Disabling ends its sessions at once.
    pub async fn set_user_disabled(&self, actor: &Actor, id: UserId, disabled: bool) -> StoreResult<User> {
        let update = Q::new("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .boolean(disabled)
            .time(steward_core::clock::now())
            .text(id.to_string());
        let action = if disabled { "disable" } else { "enable" };
        self.update_user(actor, id, action, update, disabled).await
    }

    /// Changes a user's role.
    pub async fn set_user_role(&self, actor: &Actor, id: UserId, role: Role) -> StoreResult<User> {
        let update = Q::new("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .text(role.as_str())
            .time(steward_core::clock::now())
            .text(id.to_string());
        self.update_user(actor, id, "change_role", update, false).await
    }

    /// Replaces a password. `one_time` marks it for replacement at the next sign-in (an
    /// administrator's reset). All the user's sessions end except `keep_session`, if given.
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: UserId,
        password_hash: &str,
        one_time: bool,
        keep_session: Option<&str>,
    ) -> StoreResult<User> {
        let mut w = self.write().await?;
        let before = load(&mut w, id).await?;
        w.tx.exec(
            Q::new("UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
                .text(password_hash)
                .boolean(one_time)
                .time(steward_core::clock::now())
                .text(id.to_string()),
        )
        .await?;
        w.tx.exec(
            Q::new("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .text(id.to_string())
                .text(keep_session.unwrap_or_default()),
        )
        .await?;
        if one_time {
            // An administrator's reset answers a compromise: the account's tokens stop working too.
            w.tx.exec(
                Q::new("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                    .time(steward_core::clock::now())
                    .text(id.to_string()),
            )
            .await?;
        }
        let after = load(&mut w, id).await?;
        if one_time {
            // Whoever holds a one-time password reads what the account may read: the account's
            // owner and its organisation's coordinators hear of it.
            let mut told = crate::notices::users_who_can(&mut w, after.org_id, Permission::ManageCases).await?;
            told.push(id);
            told.sort();
            told.dedup();
            told.retain(|u| Some(*u) != actor.user_id);
            crate::notices::notify(&mut w, &told, crate::notices::NoticeKind::PasswordReset, &id.to_string(), None)
                .await?;
        }
        let action = if one_time { "reset_password" } else { "change_password" };
        w.audit(AuditEvent::new(actor, action, "user", id, Some(summary(&before)), Some(summary(&after)))).await?;
        w.commit().await?;
        Ok(after)
    }

    /// Stores a TOTP secret awaiting confirmation (not yet required at sign-in).
    pub async fn set_pending_totp(&self, actor: &Actor, id: UserId, secret: &str) -> StoreResult<()> {
        let key = id.to_string();
        let sealed = self.keyring()?.seal(totp_slot(&key), secret);
        let mut w = self.write().await?;
        w.tx.exec(
            Q::new("UPDATE users SET totp_secret = $1, totp_enabled = FALSE, updated_at = $2 WHERE id = $3")
                .text(sealed)
                .time(steward_core::clock::now())
                .text(id.to_string()),
        )
        .await?;
        w.audit(AuditEvent::new(actor, "start_totp_enrolment", "user", id, None, None)).await?;
        w.commit().await
    }

    /// Turns two-factor sign-in on, replacing any recovery codes with these hashes. Sessions
    /// begun with the password alone end, except `keep_session` (the one enrolling).
    pub async fn enable_totp(
        &self,
        actor: &Actor,
        id: UserId,
        recovery_code_hashes: &[String],
        keep_session: Option<&str>,
    ) -> StoreResult<User> {
        let mut w = self.write().await?;
        let before = load(&mut w, id).await?;
        w.tx.exec(
            Q::new("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .text(id.to_string())
                .text(keep_session.unwrap_or_default()),
        )
        .await?;
        w.tx.exec(
            Q::new("UPDATE users SET totp_enabled = TRUE, updated_at = $1 WHERE id = $2 AND totp_secret IS NOT NULL")
                .time(steward_core::clock::now())
                .text(id.to_string()),
        )
        .await?;
        w.tx.exec(Q::new("DELETE FROM recovery_codes WHERE user_id = $1").text(id.to_string())).await?;
        for hash in recovery_code_hashes {
            w.tx.exec(
                Q::new("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                    .text(id.to_string())
                    .text(hash.clone()),
            )
            .await?;
        }
        let after = load(&mut w, id).await?;
        w.audit(AuditEvent::new(actor, "enable_totp", "user", id, Some(summary(&before)), Some(summary(&after))))
            .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Turns two-factor sign-in off and forgets the secret and recovery codes.
    pub async fn disable_totp(&self, actor: &Actor, id: UserId) -> StoreResult<User> {
        let mut w = self.write().await?;
        let before = load(&mut w, id).await?;
        w.tx.exec(
            Q::new("UPDATE users SET totp_enabled = FALSE, totp_secret = NULL, updated_at = $1 WHERE id = $2")
                .time(steward_core::clock::now())
                .text(id.to_string()),
        )
        .await?;
        w.tx.exec(Q::new("DELETE FROM recovery_codes WHERE user_id = $1").text(id.to_string())).await?;
        let after = load(&mut w, id).await?;
        w.audit(AuditEvent::new(actor, "disable_totp", "user", id, Some(summary(&before)), Some(summary(&after))))
            .await?;
        w.commit().await?;
        Ok(after)
    }

    /// Spends a recovery code: true if it was unused and is now used.
    pub async fn use_recovery_code(&self, actor: &Actor, id: UserId, code_hash: &str) -> StoreResult<bool> {
        let mut w = self.write().await?;
        let used =
            w.tx.exec(
                Q::new(
                    "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
                )
                .time(steward_core::clock::now())
                .text(id.to_string())
                .text(code_hash),
            )
            .await?
                == 1;
        if used {
            w.audit(AuditEvent::new(actor, "use_recovery_code", "user", id, None, None)).await?;
        }
        w.commit().await?;
        Ok(used)
    }

    /// Records that the authenticator code of time step `step` was used: true only if no code of
    /// this or a later step was used before, so that each code works once.
    pub async fn use_totp_step(&self, id: UserId, step: u64) -> StoreResult<bool> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let changed = self
            .db
            .exec(
                Q::new("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)")
                    .int(step)
                    .text(id.to_string()),
            )
            .await?;
        Ok(changed == 1)
    }

    /// Unused recovery codes left.
    pub async fn recovery_codes_left(&self, id: UserId) -> StoreResult<i64> {
        self.db
            .one(
                Q::new("SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
                    .text(id.to_string()),
            )
            .await?
            .get("n")
    }

    /// Runs one `UPDATE` on a user, audited with the user before and after.
    async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        action: &str,
        update: Q,
        end_sessions: bool,
    ) -> StoreResult<User> {
        let mut w = self.write().await?;
        let before = load(&mut w, id).await?;
        w.tx.exec(update).await?;
        if end_sessions {
            w.tx.exec(Q::new("DELETE FROM sessions WHERE user_id = $1").text(id.to_string())).await?;
        }
        let after = load(&mut w, id).await?;
        w.audit(AuditEvent::new(actor, action, "user", id, Some(summary(&before)), Some(summary(&after)))).await?;
        w.commit().await?;
        Ok(after)
    }
}

async fn load(w: &mut Write, id: UserId) -> StoreResult<User> {
    let row =
        w.tx.opt(Q::new(select_users!("WHERE id = $1")).text(id.to_string())).await?.ok_or_else(|| not_found(id))?;
    user_from(&row)
}

pub(crate) async fn insert_user(w: &mut Write, actor: &Actor, new: NewUser) -> StoreResult<User> {
    let now = steward_core::clock::now();
    let user = User {
        id: UserId::new(),
        email: new.email,
        display_name: new.display_name,
        org_id: new.org_id,
        role: new.role,
        disabled: false,
        must_change_password: new.must_change_password,
        totp_enabled: false,
        created_at: now,
    };
    w.tx.exec(
        Q::new(
            "INSERT INTO users (id, email, display_name, org_id, role, password_hash, must_change_password, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .text(user.id.to_string())
        .text(user.email.as_str())
        .text(user.display_name.clone())
        .text(user.org_id.to_string())
        .text(user.role.as_str())
        .text(new.password_hash)
        .boolean(user.must_change_password)
        .time(now),
    )
    .await
    .map_err(conflict_on("user", "email", user.email.as_str()))?;
    w.audit(AuditEvent::new(actor, "create", "user", user.id, None, Some(summary(&user)))).await?;
    Ok(user)
}

/// Where a user's second-factor secret is sealed: bound to the user, so it cannot be moved to
/// another account unnoticed.
pub(crate) fn totp_slot(user: &str) -> steward_core::seal::Slot<'_> {
    steward_core::seal::Slot { table: "users", record: user, field: "totp_secret" }
}

/// Whether a stored value is sealed (a base32 secret never holds a dot).
pub(crate) fn is_sealed(value: &str) -> bool {
    value.starts_with("s1.")
}
