//! Sources of a case and their attachments: added by anyone who may see the case, deleted
//! (softly) by its own organisation. Reporters, notes, file names, hashes and contents are
//! sealed; every download of a file is audited on its case.

use crate::case_edits::{deletion_reason, must_manage, revise, revise_fields, Change};
use crate::cases::Opened;
use crate::cases::{open_opt, open_text, parse_opt, seal, seal_opt};
use crate::error::{StoreError, StoreResult};
use crate::sql::{Row, Q};
use crate::write::Write;
use crate::Store;
use serde_json::json;
use steward_core::audit::{Actor, AuditEvent};
use steward_core::case::{CaseId, Viewer};
use steward_core::seal::Keyring;
use steward_core::source::{bytes_to_text, text_to_bytes, Attachment, NewAttachment, NewSource, Source};

const SOURCES: &str = "case_sources";
const FILES: &str = "case_attachments";

impl Store {
    /// Adds a source to a case `viewer` may see.
    pub async fn add_source(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        new: NewSource,
    ) -> StoreResult<Source> {
        let mut w = self.write().await?;
        self.visible_case(viewer, case_id).await?;
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "INSERT INTO case_sources (id, case_id, reporter, channel, reported_on, reliability, credibility, notes, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .opt_text(seal_opt(ring, SOURCES, &id, "reporter", new.reporter.as_deref()))
            .text(new.channel.as_str())
            .opt_text(new.reported_on.map(|d| d.to_string()))
            .text(new.reliability.as_str())
            .text(new.credibility.as_str())
            .opt_text(seal_opt(ring, SOURCES, &id, "notes", new.notes.as_deref()))
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        touch(&mut w, case_id, now).await?;
        let summary = json!({ "source": id, "channel": new.channel.as_str() });
        w.audit(AuditEvent::new(actor, "add source", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Source {
            id,
            reporter: new.reporter,
            channel: new.channel,
            reported_on: new.reported_on,
            reliability: new.reliability,
            credibility: new.credibility,
            notes: new.notes,
            created_at: now,
        })
    }

    /// Replaces what is recorded about a source, by the case's own organisation; each changed
    /// field leaves a sealed revision in the case's history.
    pub async fn edit_source(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        source: &str,
        new: NewSource,
    ) -> StoreResult<Source> {
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let rows =
            w.tx.all(
                Q::new(
                    "SELECT id, reporter, channel, reported_on, reliability, credibility, notes, created_at \
                     FROM case_sources WHERE id = $1 AND case_id = $2 AND deleted_at IS NULL",
                )
                .text(source)
                .text(case_id.to_string()),
            )
            .await?;
        let before = match rows.first() {
            Some(r) => source_from(ring, r)?,
            None => return Err(StoreError::NotFound { entity: "source", key: source.to_string() }),
        };
        let now = steward_core::clock::now();
        w.tx.exec(
            Q::new(
                "UPDATE case_sources SET reporter = $1, channel = $2, reported_on = $3, reliability = $4, \
                 credibility = $5, notes = $6 WHERE id = $7",
            )
            .opt_text(seal_opt(ring, SOURCES, source, "reporter", new.reporter.as_deref()))
            .text(new.channel.as_str())
            .opt_text(new.reported_on.map(|d| d.to_string()))
            .text(new.reliability.as_str())
            .text(new.credibility.as_str())
            .opt_text(seal_opt(ring, SOURCES, source, "notes", new.notes.as_deref()))
            .text(source),
        )
        .await?;
        let record = format!("source {source}");
        let fields = vec![
            ("reporter", before.reporter.clone(), new.reporter.clone()),
            ("channel", Some(before.channel.as_str().to_string()), Some(new.channel.as_str().to_string())),
            ("reported on", before.reported_on.map(|d| d.to_string()), new.reported_on.map(|d| d.to_string())),
            ("reliability", Some(before.reliability.as_str().to_string()), Some(new.reliability.as_str().to_string())),
            ("credibility", Some(before.credibility.as_str().to_string()), Some(new.credibility.as_str().to_string())),
            ("notes", before.notes.clone(), new.notes.clone()),
        ];
        let changed = revise_fields(ring, &mut w, case_id, actor, now, &record, fields).await?;
        touch(&mut w, case_id, now).await?;
        let summary = json!({ "source": source, "fields": changed });
        w.audit(AuditEvent::new(actor, "edit source", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Source {
            id: source.to_string(),
            reporter: new.reporter,
            channel: new.channel,
            reported_on: new.reported_on,
            reliability: new.reliability,
            credibility: new.credibility,
            notes: new.notes,
            created_at: before.created_at,
        })
    }

    /// The sources of a case `viewer` may see, oldest first.
    pub async fn sources_for(&self, opened: &Opened) -> StoreResult<Vec<Source>> {
        let case_id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, reporter, channel, reported_on, reliability, credibility, notes, created_at \
                     FROM case_sources WHERE case_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
                )
                .text(case_id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter().map(|r| source_from(ring, r)).collect()
    }

    /// Attaches a file to a case `viewer` may see, and to one of its sources when `source` is
    /// given.
    pub async fn add_attachment(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        source: Option<&str>,
        file: NewAttachment,
    ) -> StoreResult<Attachment> {
        let mut w = self.write().await?;
        self.visible_case(viewer, case_id).await?;
        if let Some(source) = source {
            let found =
                w.tx.opt(
                    Q::new("SELECT id FROM case_sources WHERE id = $1 AND case_id = $2 AND deleted_at IS NULL")
                        .text(source)
                        .text(case_id.to_string()),
                )
                .await?;
            if found.is_none() {
                return Err(steward_core::CoreError::InvalidReference {
                    field: "source",
                    reason: "no such source on this case".into(),
                }
                .into());
            }
        }
        let ring = self.keyring()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = steward_core::clock::now();
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        w.tx.exec(
            Q::new(
                "INSERT INTO case_attachments (id, case_id, source_id, filename, kind, size, sha256, content, \
                 created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .text(id.clone())
            .text(case_id.to_string())
            .opt_text(source)
            .text(seal(ring, FILES, &id, "filename", &file.filename))
            .text(file.kind.as_str())
            .int(size)
            .text(seal(ring, FILES, &id, "sha256", &file.sha256))
            .text(seal(ring, FILES, &id, "content", &bytes_to_text(&file.bytes)))
            .text(viewer.user.to_string())
            .time(now),
        )
        .await?;
        touch(&mut w, case_id, now).await?;
        let summary = json!({ "attachment": id, "kind": file.kind.as_str(), "size": size });
        w.audit(AuditEvent::new(actor, "add attachment", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok(Attachment {
            id,
            source_id: source.map(str::to_string),
            filename: file.filename,
            kind: file.kind,
            size: file.bytes.len() as u64,
            sha256: file.sha256,
            created_at: now,
        })
    }

    /// The attachments of a case `viewer` may see, described (without their contents).
    pub async fn attachments_for(&self, opened: &Opened) -> StoreResult<Vec<Attachment>> {
        let case_id = opened.id();
        let rows = self
            .db
            .all(
                Q::new(
                    "SELECT id, source_id, filename, kind, size, sha256, created_at FROM case_attachments \
                     WHERE case_id = $1 AND deleted_at IS NULL ORDER BY created_at, id",
                )
                .text(case_id.to_string()),
            )
            .await?;
        let ring = self.keyring()?;
        rows.iter().map(|r| attachment_from(ring, r)).collect()
    }

    /// One attachment with its content, for a reader of its case; the download is audited.
    pub async fn attachment_content(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        id: &str,
    ) -> StoreResult<(Attachment, Vec<u8>)> {
        let not_found = || StoreError::NotFound { entity: "attachment", key: id.to_string() };
        self.visible_case(viewer, case_id).await?;
        let row = self
            .db
            .opt(
                Q::new(
                    "SELECT id, source_id, filename, kind, size, sha256, content, created_at FROM case_attachments \
                     WHERE id = $1 AND case_id = $2 AND deleted_at IS NULL",
                )
                .text(id)
                .text(case_id.to_string()),
            )
            .await?
            .ok_or_else(not_found)?;
        let ring = self.keyring()?;
        let meta = attachment_from(ring, &row)?;
        let text = open_text(ring, FILES, id, "content", &row.text("content")?)?;
        let bytes = text_to_bytes(&text).ok_or_else(|| StoreError::Corrupt(format!("attachment {id} content")))?;
        let mut w = self.write().await?;
        let summary = json!({ "attachment": id });
        w.audit(AuditEvent::new(actor, "download attachment", "case", case_id, None, Some(summary))).await?;
        w.commit().await?;
        Ok((meta, bytes))
    }

    /// Deletes a source softly, with the reason, by the case's own organisation.
    pub async fn delete_source(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        id: &str,
        reason: &str,
    ) -> StoreResult<()> {
        self.soft_delete(actor, viewer, case_id, SOURCES, "source", id, reason).await
    }

    /// Deletes an attachment softly, with the reason, by the case's own organisation. Its
    /// content stays sealed in the database, out of every reader's reach.
    pub async fn delete_attachment(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        id: &str,
        reason: &str,
    ) -> StoreResult<()> {
        self.soft_delete(actor, viewer, case_id, FILES, "attachment", id, reason).await
    }

    /// How many of a case's incidents, sources, attachments and actions were deleted: what an
    /// evidence bundle must say it left out.
    pub async fn deleted_counts(&self, viewer: &Viewer, case_id: CaseId) -> StoreResult<[i64; 4]> {
        self.visible_case(viewer, case_id).await?;
        let row = self
            .db
            .one(
                Q::new(
                    "SELECT (SELECT COUNT(*) FROM case_incidents WHERE case_id = $1 AND deleted_at IS NOT NULL) AS i, \
                     (SELECT COUNT(*) FROM case_sources WHERE case_id = $1 AND deleted_at IS NOT NULL) AS s, \
                     (SELECT COUNT(*) FROM case_attachments WHERE case_id = $1 AND deleted_at IS NOT NULL) AS f, \
                     (SELECT COUNT(*) FROM case_actions WHERE case_id = $1 AND deleted_at IS NOT NULL) AS a",
                )
                .text(case_id.to_string()),
            )
            .await?;
        Ok([row.get("i")?, row.get("s")?, row.get("f")?, row.get("a")?])
    }

    /// Records on a case that `viewer` exported it (`what` says which export and what it left
    /// out), whatever the case's visibility: every export is audited.
    pub async fn audit_case_export(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        what: serde_json::Value,
    ) -> StoreResult<()> {
        self.visible_case(viewer, case_id).await?;
        let mut w = self.write().await?;
        w.audit(AuditEvent::new(actor, "export evidence", "case", case_id, None, Some(what))).await?;
        w.commit().await
    }

    #[allow(clippy::too_many_arguments)]
    async fn soft_delete(
        &self,
        actor: &Actor,
        viewer: &Viewer,
        case_id: CaseId,
        table: &'static str,
        entity: &'static str,
        id: &str,
        reason: &str,
    ) -> StoreResult<()> {
        let reason = deletion_reason(reason)?;
        let mut w = self.write().await?;
        let case = self.visible_case(viewer, case_id).await?;
        must_manage(&case, viewer)?;
        let ring = self.keyring()?;
        let now = steward_core::clock::now();
        let sql = match table {
            SOURCES => {
                "UPDATE case_sources SET deleted_at = $1, deleted_reason = $2 WHERE id = $3 AND case_id = $4 AND deleted_at IS NULL"
            }
            _ => {
                "UPDATE case_attachments SET deleted_at = $1, deleted_reason = $2 WHERE id = $3 AND case_id = $4 AND deleted_at IS NULL"
            }
        };
        let done =
            w.tx.exec(
                Q::new(sql)
                    .time(now)
                    .text(seal(ring, table, id, "deleted_reason", &reason))
                    .text(id)
                    .text(case_id.to_string()),
            )
            .await?;
        if done == 0 {
            return Err(StoreError::NotFound { entity, key: id.to_string() });
        }
        let record = format!("{entity} {id}");
        let change = Change { record: &record, field: "deleted", before: None, after: Some(reason) };
        revise(ring, &mut w, case_id, actor, now, change).await?;
        let summary = json!({ entity: id });
        w.audit(AuditEvent::new(actor, &format!("delete {entity}"), "case", case_id, None, Some(summary))).await?;
        w.commit().await
    }
}

async fn touch(w: &mut Write, case_id: CaseId, now: time::OffsetDateTime) -> StoreResult<()> {
    w.tx.exec(Q::new("UPDATE cases SET updated_at = $1 WHERE id = $2").time(now).text(case_id.to_string())).await?;
    Ok(())
}

fn source_from(ring: &Keyring, r: &Row) -> StoreResult<Source> {
    let id = r.text("id")?;
    let reported_on = r
        .get::<Option<String>>("reported_on")?
        .map(|d| steward_core::action::parse_day("reported_on", &d).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()?;
    Ok(Source {
        reporter: open_opt(ring, SOURCES, &id, "reporter", r.get("reporter")?)?,
        channel: r.parse("channel")?,
        reported_on,
        reliability: r.parse("reliability")?,
        credibility: r.parse("credibility")?,
        notes: open_opt(ring, SOURCES, &id, "notes", r.get("notes")?)?,
        created_at: r.get("created_at")?,
        id,
    })
}

fn attachment_from(ring: &Keyring, r: &Row) -> StoreResult<Attachment> {
    let id = r.text("id")?;
    Ok(Attachment {
        source_id: parse_opt(r, "source_id")?,
        filename: open_text(ring, FILES, &id, "filename", &r.text("filename")?)?,
        kind: r.parse("kind")?,
        size: u64::try_from(r.get::<i64>("size")?).unwrap_or_default(),
        sha256: open_text(ring, FILES, &id, "sha256", &r.text("sha256")?)?,
        created_at: r.get("created_at")?,
        id,
    })
}
