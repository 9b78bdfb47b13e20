//! Notices: what a user is told beside the response clocks. A public alert waits at their desk,
//! their organisation is invited to co-sign a statement, an action or a case is given to them.
//!
//! A notice names what it is about by id and nothing else, so telling someone never opens a
//! sealed field. A notice about a case is shown only while its reader may still see the case
//! (the visibility rule is asked again when notices are read), so a notice cannot outlive a
//! change of who may see the case.

use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::write::Write;
use crate::Store;
use steward_core::case::{CaseId, Viewer};
use steward_core::ids::{OrgId, UserId};
use steward_core::role::{Permission, Role};
use time::OffsetDateTime;

/// Most notices shown to one user at once.
const SHOWN: i64 = 200;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// A public alert waits in the triage queue of the user's organisation.
    Alert,
    /// The user's organisation is invited to co-sign a joint statement.
    Statement,
    /// An action on a case was given to the user.
    Action,
    /// A case was assigned to the user.
    Assigned,
    /// An administrator set a one-time password on an account of the user's organisation (or
    /// their own): whoever holds it can read what that account may read, so its organisation is
    /// told.
    PasswordReset,
    /// An administrator made an account in the user's organisation.
    AccountMade,
}

impl NoticeKind {
    /// The stored and exported name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Alert => "alert",
            NoticeKind::Statement => "statement",
            NoticeKind::Action => "action",
            NoticeKind::Assigned => "assigned",
            NoticeKind::PasswordReset => "password_reset",
            NoticeKind::AccountMade => "account_made",
        }
    }

    fn parse(text: &str) -> StoreResult<Self> {
        Ok(match text {
            "alert" => NoticeKind::Alert,
            "statement" => NoticeKind::Statement,
            "action" => NoticeKind::Action,
            "assigned" => NoticeKind::Assigned,
            "password_reset" => NoticeKind::PasswordReset,
            "account_made" => NoticeKind::AccountMade,
            other => return Err(StoreError::Corrupt(format!("notice kind '{other}'"))),
        })
    }

    /// What happened, in words that name nothing of the record.
    pub fn sentence(self) -> &'static str {
        match self {
            NoticeKind::Alert => "A public alert is waiting in your organisation's triage queue",
            NoticeKind::Statement => "Your organisation is invited to co-sign a joint statement",
            NoticeKind::Action => "An action on a case was given to you",
            NoticeKind::Assigned => "A case was assigned to you",
            NoticeKind::PasswordReset => {
                "An administrator reset the password of an account in your organisation (see the audit trail if it was not asked for)"
            }
            NoticeKind::AccountMade => "An administrator made a new account in your organisation",
        }
    }
}

/// One notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Its id.
    pub id: String,
    /// What it is about.
    pub kind: NoticeKind,
    /// The alert, statement, action or case it points to.
    pub subject: String,
    /// The case, when it concerns one.
    pub case_id: Option<CaseId>,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// When its reader marked it read.
    pub read_at: Option<OffsetDateTime>,
}

impl Notice {
    /// Where its reader acts on it.
    pub fn link(&self) -> String {
        match (self.kind, self.case_id) {
            (NoticeKind::Alert, _) => "/triage".to_string(),
            (NoticeKind::Statement, _) => format!("/statements/{}", self.subject),
            (NoticeKind::PasswordReset | NoticeKind::AccountMade, _) => "/account".to_string(),
            (_, Some(case)) => format!("/cases/{case}"),
            (_, None) => format!("/cases/{}", self.subject),
        }
    }
}

/// Writes a notice to each of `users` within an open write (so a notice exists exactly when
/// what it tells of does).
pub(crate) async fn notify(
    w: &mut Write,
    users: &[UserId],
    kind: NoticeKind,
    subject: &str,
    case: Option<CaseId>,
) -> StoreResult<()> {
    let now = steward_core::clock::now();
    for user in users {
        w.tx.exec(
            Q::new(
                "INSERT INTO notices (id, user_id, kind, subject, case_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .text(uuid::Uuid::now_v7().to_string())
            .text(user.to_string())
            .text(kind.as_str())
            .text(subject)
            .opt_text(case.map(|c| c.to_string()))
            .time(now),
        )
        .await?;
    }
    Ok(())
}

/// The active users of `org` whose role may do `permission`.
pub(crate) async fn users_who_can(w: &mut Write, org: OrgId, permission: Permission) -> StoreResult<Vec<UserId>> {
    let rows =
        w.tx.all(
            Q::new("SELECT id, role FROM users WHERE org_id = $1 AND disabled = FALSE ORDER BY id")
                .text(org.to_string()),
        )
        .await?;
    let mut out = Vec::new();
    for row in &rows {
        let role: Role = row.parse("role")?;
        if role.can(permission) {
            let id = row.text("id")?;
            out.push(id.parse().map_err(|_| StoreError::Corrupt(format!("user id '{id}'")))?);
        }
    }
    Ok(out)
}

/// Notices its reader may still see: those about no case, and those about a case they may see.
macro_rules! readable_notices {
    ($select:literal, $tail:literal) => {
        concat!(
            $select,
            "FROM notices n LEFT JOIN cases c ON c.id = n.case_id WHERE n.user_id = $2 AND (n.case_id IS NULL OR (",
            visible_to!(),
            ")) ",
            $tail
        )
    };
}

fn notice_from(row: &Row) -> StoreResult<Notice> {
    let case: Option<String> = row.get("case_id")?;
    Ok(Notice {
        id: row.text("id")?,
        kind: NoticeKind::parse(&row.text("kind")?)?,
        subject: row.text("subject")?,
        case_id: case
            .map(|c| c.parse().map_err(|_| StoreError::Corrupt(format!("notices.case_id holds '{c}'"))))
            .transpose()?,
        created_at: row.get("created_at")?,
        read_at: row.get("read_at")?,
    })
}

impl Store {
    /// `viewer`'s notices, newest first.
    pub async fn notices_for(&self, viewer: &Viewer) -> StoreResult<Vec<Notice>> {
        let rows = self
            .db
            .all(
                Q::new(readable_notices!(
                    "SELECT n.id, n.kind, n.subject, n.case_id, n.created_at, n.read_at ",
                    "ORDER BY n.created_at DESC, n.id DESC LIMIT $3"
                ))
                .text(viewer.org.to_string())
                .text(viewer.user.to_string())
                .int(SHOWN),
            )
            .await?;
        rows.iter().map(notice_from).collect()
    }

    /// How many of `viewer`'s notices are unread.
    pub async fn unread_notices(&self, viewer: &Viewer) -> StoreResult<i64> {
        let row = self
            .db
            .one(
                Q::new(readable_notices!("SELECT COUNT(*) AS n ", "AND n.read_at IS NULL"))
                    .text(viewer.org.to_string())
                    .text(viewer.user.to_string()),
            )
            .await?;
        row.get("n")
    }

    /// Marks `viewer`'s notices read: one, or all when `id` is `None`. Answers how many; only
    /// notices the viewer may still see are touched, so the count says nothing of the others.
    pub async fn mark_notices_read(&self, viewer: &Viewer, id: Option<&str>) -> StoreResult<u64> {
        let q = Q::new(readable_notices!(
            "UPDATE notices SET read_at = $3 WHERE read_at IS NULL AND ($4 = '' OR id = $4) AND id IN (SELECT n.id ",
            ")"
        ))
        .text(viewer.org.to_string())
        .text(viewer.user.to_string())
        .time(steward_core::clock::now())
        .text(id.unwrap_or_default());
        self.db.exec(q).await
    }
}
