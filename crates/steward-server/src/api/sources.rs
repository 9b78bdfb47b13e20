//! Sources and attachments of a case over the API, and the evidence bundle that referrals for
//! accountability carry: what the receiving body needs, with a statement of what was left out.

use super::cases::{viewer, Names};
use super::casework::{case_id, ActionOut, DeleteIn, IncidentIo};
use super::ApiJson;
use crate::auth::{ApiCaller, Caller};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use steward_core::case::CaseId;
use steward_core::role::Permission;
use steward_core::source::{Attachment, NewAttachment, NewSource, Source, MAX_ATTACHMENT};
use utoipa::{IntoParams, ToSchema};

/// A source: who reported what, how, when, and how far to trust it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceIn {
    /// Who reported it (encrypted at rest).
    #[serde(default)]
    pub(crate) reporter: Option<String>,
    /// in person, phone, messaging app, email, public alert, partner organisation, media, social
    /// media, official record or other.
    pub(crate) channel: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub(crate) reported_on: Option<String>,
    /// A (completely reliable) to F (cannot be judged).
    pub(crate) reliability: String,
    /// 1 (confirmed) to 6 (cannot be judged).
    pub(crate) credibility: String,
    /// What the source said (encrypted at rest).
    #[serde(default)]
    pub(crate) notes: Option<String>,
}

impl SourceIn {
    pub(crate) fn validate(&self) -> AppResult<NewSource> {
        let day = self.reported_on.as_deref().map(str::trim).filter(|d| !d.is_empty());
        Ok(NewSource::new(
            self.reporter.as_deref(),
            self.channel.parse()?,
            day.map(|d| steward_core::action::parse_day("reported_on", d)).transpose()?,
            self.reliability.parse()?,
            self.credibility.parse()?,
            self.notes.as_deref(),
        )?)
    }
}

/// A source as the case's readers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceOut {
    pub(crate) id: String,
    /// Absent in evidence bundles unless reporters are included.
    pub(crate) reporter: Option<String>,
    pub(crate) channel: String,
    pub(crate) reported_on: Option<String>,
    pub(crate) reliability: String,
    pub(crate) reliability_meaning: String,
    pub(crate) credibility: String,
    pub(crate) credibility_meaning: String,
    pub(crate) notes: Option<String>,
    pub(crate) created_at: String,
}

impl SourceOut {
    pub(crate) fn new(s: &Source) -> Self {
        Self {
            id: s.id.clone(),
            reporter: s.reporter.clone(),
            channel: s.channel.to_string(),
            reported_on: s.reported_on.map(|d| d.to_string()),
            reliability: s.reliability.to_string(),
            reliability_meaning: s.reliability.meaning().to_string(),
            credibility: s.credibility.to_string(),
            credibility_meaning: s.credibility.meaning().to_string(),
            notes: s.notes.clone(),
            created_at: steward_core::clock::rfc3339(s.created_at),
        }
    }
}

/// An attachment's description.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentOut {
    pub(crate) id: String,
    pub(crate) source: Option<String>,
    pub(crate) filename: String,
    /// pdf, png, jpeg, webp or text: recognised from the content.
    pub(crate) kind: String,
    pub(crate) size: u64,
    /// SHA-256 of the content, hex.
    pub(crate) sha256: String,
    pub(crate) created_at: String,
}

impl AttachmentOut {
    pub(crate) fn new(a: &Attachment) -> Self {
        Self {
            id: a.id.clone(),
            source: a.source_id.clone(),
            filename: a.filename.clone(),
            kind: a.kind.as_str().to_string(),
            size: a.size,
            sha256: a.sha256.clone(),
            created_at: steward_core::clock::rfc3339(a.created_at),
        }
    }
}

/// Records a source on a case the caller may see.
#[utoipa::path(post, path = "/api/v1/cases/{id}/sources", tag = "cases", request_body = SourceIn,
    params(("id" = String, Path, description = "Case id")),
    responses((status = 201, body = SourceOut), (status = 400, description = "Invalid field"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn add_source(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SourceIn>,
) -> AppResult<(StatusCode, Json<SourceOut>)> {
    let source = add_source_for(&state, &caller, &id, &body).await?;
    Ok((StatusCode::CREATED, Json(SourceOut::new(&source))))
}

pub(crate) async fn add_source_for(state: &AppState, caller: &Caller, id: &str, body: &SourceIn) -> AppResult<Source> {
    let id = case_id(id)?;
    caller.require(Permission::ReportCases)?;
    let new = body.validate()?;
    Ok(state.store.add_source(&caller.actor(), &viewer(caller), id, new).await?)
}

/// Replaces what is recorded about a source (the case's own organisation); each changed field is
/// kept, with its old value, in the case's sealed history.
#[utoipa::path(put, path = "/api/v1/cases/{id}/sources/{source}", tag = "cases", request_body = SourceIn,
    params(("id" = String, Path, description = "Case id"), ("source" = String, Path, description = "Source id")),
    responses((status = 200, body = SourceOut), (status = 400, description = "Invalid field"), (status = 404, description = "No such case or source, or not yours to see")))]
pub async fn edit_source(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, source)): Path<(String, String)>,
    ApiJson(body): ApiJson<SourceIn>,
) -> AppResult<Json<SourceOut>> {
    let source = edit_source_for(&state, &caller, &id, &source, &body).await?;
    Ok(Json(SourceOut::new(&source)))
}

pub(crate) async fn edit_source_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    source: &str,
    body: &SourceIn,
) -> AppResult<Source> {
    let id = case_id(id)?;
    caller.require(Permission::ManageCases)?;
    let new = body.validate()?;
    Ok(state.store.edit_source(&caller.actor(), &viewer(caller), id, source, new).await?)
}

/// The case's sources, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/sources", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [SourceOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn list_sources(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<SourceOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let sources = state.store.sources_for(&opened).await?;
    Ok(Json(sources.iter().map(SourceOut::new).collect()))
}

/// Deletes a source softly, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/sources/{source}/delete", tag = "cases", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id"), ("source" = String, Path, description = "Source id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such case or source, or not yours to see")))]
pub async fn delete_source(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, source)): Path<(String, String)>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.delete_source(&caller.actor(), &viewer(&caller), id, &source, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A multipart upload's parts: `file` (required), `source` and `csrf` (for pages).
pub(crate) struct Upload {
    pub(crate) file: NewAttachment,
    pub(crate) source: Option<String>,
    pub(crate) csrf: String,
}

/// Reads an upload, refusing a file too large or of a kind Steward does not keep. Called only
/// once the caller is known to work on the case, so strangers' bodies are never read.
pub(crate) async fn read_upload(multipart: Result<Multipart, MultipartRejection>) -> AppResult<Upload> {
    let mut multipart = multipart.map_err(|e| AppError::field("file", e.body_text()))?;
    let bad = |e: axum::extract::multipart::MultipartError| AppError::field("file", e.body_text());
    let (mut file, mut source, mut csrf) = (None, None, String::new());
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "file" => {
                let name = field.file_name().unwrap_or("attachment").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > MAX_ATTACHMENT {
                        return Err(AppError::field(
                            "file",
                            format!("{name} is larger than {} MiB", MAX_ATTACHMENT / (1024 * 1024)),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some(NewAttachment::new(&name, bytes)?);
            }
            "source" => source = Some(field.text().await.map_err(bad)?).filter(|s| !s.trim().is_empty()),
            "csrf" => csrf = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    let file = file.ok_or_else(|| AppError::field("file", "choose a file to attach"))?;
    Ok(Upload { file, source, csrf })
}

/// Checks the caller may attach to the case before a byte of the upload is read.
pub(crate) async fn may_attach(state: &AppState, caller: &Caller, id: CaseId) -> AppResult<()> {
    caller.require(Permission::ReportCases)?;
    Ok(state.store.ensure_case_visible(&viewer(caller), id).await?)
}

pub(crate) async fn add_attachment_for(
    state: &AppState,
    caller: &Caller,
    id: CaseId,
    upload: Upload,
) -> AppResult<Attachment> {
    let me = viewer(caller);
    Ok(state.store.add_attachment(&caller.actor(), &me, id, upload.source.as_deref(), upload.file).await?)
}

/// Attaches a file (multipart field `file`, optional `source`): PDF, PNG, JPEG, WebP or plain
/// text, at most 8 MiB, recognised by its content. Stored encrypted.
#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    request_body(content_type = "multipart/form-data", description = "file, and optionally source (a source id)"),
    responses((status = 201, body = AttachmentOut), (status = 400, description = "Missing, empty, too large or not an accepted kind"), (status = 404, description = "No such case, or not yours to see")))]
pub async fn add_attachment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<(StatusCode, Json<AttachmentOut>)> {
    let id = case_id(&id)?;
    may_attach(&state, &caller, id).await?;
    let upload = read_upload(multipart).await?;
    let attachment = add_attachment_for(&state, &caller, id, upload).await?;
    Ok((StatusCode::CREATED, Json(AttachmentOut::new(&attachment))))
}

/// The case's attachments, described.
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments", tag = "cases",
    params(("id" = String, Path, description = "Case id")),
    responses((status = 200, body = [AttachmentOut]), (status = 404, description = "No such case, or not yours to see")))]
pub async fn list_attachments(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<AttachmentOut>>> {
    let opened = state.store.open_case(&caller.actor(), &viewer(&caller), case_id(&id)?).await?;
    let files = state.store.attachments_for(&opened).await?;
    Ok(Json(files.iter().map(AttachmentOut::new).collect()))
}

/// A file as a download that no browser will run or render inline.
pub(crate) fn download(meta: &Attachment, bytes: Vec<u8>) -> Response {
    let ascii: String =
        meta.filename.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"");
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(meta.kind.media_type()));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Downloads one attachment; every download is written to the case's audit trail.
#[utoipa::path(get, path = "/api/v1/cases/{id}/attachments/{attachment}", tag = "cases",
    params(("id" = String, Path, description = "Case id"), ("attachment" = String, Path, description = "Attachment id")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such case or file, or not yours to see")))]
pub async fn get_attachment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, attachment)): Path<(String, String)>,
) -> AppResult<Response> {
    let (meta, bytes) =
        state.store.attachment_content(&caller.actor(), &viewer(&caller), case_id(&id)?, &attachment).await?;
    Ok(download(&meta, bytes))
}

/// Deletes an attachment softly, with the reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments/{attachment}/delete", tag = "cases", request_body = DeleteIn,
    params(("id" = String, Path, description = "Case id"), ("attachment" = String, Path, description = "Attachment id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "No such case or file, or not yours to see")))]
pub async fn delete_attachment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path((id, attachment)): Path<(String, String)>,
    ApiJson(body): ApiJson<DeleteIn>,
) -> AppResult<StatusCode> {
    let id = case_id(&id)?;
    caller.require(Permission::ManageCases)?;
    state.store.delete_attachment(&caller.actor(), &viewer(&caller), id, &attachment, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an evidence bundle includes beyond the defaults.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    /// `include` to name the reporters of sources; by default they are withheld for their safety.
    #[serde(default)]
    pub(crate) reporters: Option<String>,
    /// `pseudonyms` to replace the names of the people at risk with "Person 1", "Person 2"...
    #[serde(default)]
    pub(crate) people: Option<String>,
    /// Incident ids, separated by commas: only these go into the bundle, for a referral that
    /// concerns them (the others are counted among what it leaves out). All when absent.
    #[serde(default)]
    pub(crate) incidents: Option<String>,
}

/// A person at risk as an evidence bundle shows them: never their contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidencePerson {
    /// 1 for the first person: incidents' victims refer to these numbers.
    pub(crate) number: usize,
    pub(crate) name: String,
    pub(crate) role: Option<String>,
    pub(crate) organisation: Option<String>,
}

/// The case as an evidence bundle shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceCase {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) country: Option<String>,
    pub(crate) risk: String,
    pub(crate) sector: Option<String>,
    pub(crate) status: String,
    pub(crate) reported_at: String,
    /// The organisation that documented it.
    pub(crate) organisation: String,
}

/// What a receiving body (visa restrictions, sanctions, trade enforcement) needs, with what was
/// left out and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct Evidence {
    /// steward-evidence/1
    pub(crate) format: String,
    pub(crate) generated_at: String,
    /// Who exported it, by email.
    pub(crate) generated_by: String,
    pub(crate) case: EvidenceCase,
    pub(crate) people: Vec<EvidencePerson>,
    pub(crate) incidents: Vec<IncidentIo>,
    pub(crate) sources: Vec<SourceOut>,
    /// Files, by name, size and SHA-256: their contents travel separately, and the hashes let the
    /// receiving body check the copies it is sent.
    pub(crate) attachments: Vec<AttachmentOut>,
    /// The case's referral actions (visa restriction, sanctions, trade enforcement).
    pub(crate) referrals: Vec<ActionOut>,
    /// What this bundle leaves out, in plain words.
    pub(crate) omitted: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Assembles the evidence bundle of a case the caller may see, and audits the export.
pub(crate) async fn evidence_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    q: &EvidenceQuery,
) -> AppResult<Evidence> {
    let id = case_id(id)?;
    let me = viewer(caller);
    let actor = caller.actor();
    let opened = state.store.open_case(&actor, &me, id).await?;
    let case = opened.case();
    let include_reporters = q.reporters.as_deref().map(str::trim) == Some("include");
    let pseudonyms = q.people.as_deref().map(str::trim) == Some("pseudonyms");
    let names = Names::load(state).await?;
    let mut incidents = state.store.incidents_for(&opened).await?;
    let recorded = incidents.len();
    if let Some(chosen) = q.incidents.as_deref().filter(|c| !c.trim().is_empty()) {
        let chosen: Vec<&str> = chosen.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
        if let Some(unknown) = chosen.iter().find(|c| !incidents.iter().any(|i| i.id == **c)) {
            return Err(AppError::field("incidents", format!("this case has no incident '{unknown}'")));
        }
        incidents.retain(|i| chosen.contains(&i.id.as_str()));
    }
    let sources = state.store.sources_for(&opened).await?;
    let attachments = state.store.attachments_for(&opened).await?;
    let actions = state.store.actions_for(&opened).await?;
    let [del_incidents, del_sources, del_files, del_actions] = state.store.deleted_counts(&me, id).await?;

    let mut omitted = vec!["Contact details of the people at risk: never part of an export.".to_string()];
    if incidents.len() < recorded {
        omitted.push(format!(
            "{} of the case not chosen for this referral.",
            plural(recorded - incidents.len(), "other incident", "other incidents")
        ));
    }
    if pseudonyms {
        omitted.push(
            "The names of the people at risk, replaced by \"Person 1\", \"Person 2\" and so on wherever they appear as \
             recorded; other identifying details in the narratives are not detected, so read them before sending."
                .into(),
        );
    }
    let named = sources.iter().filter(|s| s.reporter.is_some()).count();
    if !include_reporters && named > 0 {
        omitted.push(format!(
            "The names of {}, withheld for their safety; each source's channel, date and ratings are given.",
            plural(named, "source's reporter", "sources' reporters")
        ));
    }
    if !attachments.is_empty() {
        omitted.push(format!(
            "The contents of {}: listed by name, size and SHA-256 so that copies sent separately can be checked.",
            plural(attachments.len(), "attached file", "attached files")
        ));
    }
    let others = actions.iter().filter(|a| !a.kind.is_referral()).count();
    if others > 0 {
        omitted.push(format!(
            "{} other than referrals (statements, protection, legal and other support), which could expose the people helping.",
            plural(others, "action", "actions")
        ));
    }
    let deleted = [
        (del_incidents, "incident", "incidents"),
        (del_sources, "source", "sources"),
        (del_files, "attached file", "attached files"),
        (del_actions, "action", "actions"),
    ]
    .iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(usize::try_from(*n).unwrap_or_default(), one, many))
    .collect::<Vec<_>>();
    if !deleted.is_empty() {
        omitted.push(format!(
            "{} deleted from the case by its organisation (the reasons are kept in the case's history).",
            deleted.join(", ")
        ));
    }
    omitted.push("The case's edit history, access list, response clocks and internal notes.".into());

    // Each person's name and other names (written in one field, separated by commas or
    // semicolons); longest first, so "Ana Lopez Ruiz" is replaced before "Ana Lopez".
    let mut replacements: Vec<(String, String)> = case
        .people
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            let others = p.other_names.as_deref().unwrap_or_default().split([',', ';']).map(str::trim);
            std::iter::once(p.name.as_str())
                .chain(others)
                .filter(|n| n.chars().count() >= 3)
                .map(move |n| (n.to_string(), format!("Person {}", i + 1)))
                .collect::<Vec<_>>()
        })
        .collect();
    replacements.sort_by_key(|(name, _)| std::cmp::Reverse(name.chars().count()));
    let scrub = |text: &str| -> String {
        if !pseudonyms {
            return text.to_string();
        }
        replacements.iter().fold(text.to_string(), |t, (name, alias)| t.replace(name.as_str(), alias))
    };
    let scrub_opt = |text: &Option<String>| text.as_deref().map(scrub);
    let people = case
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| EvidencePerson {
            number: i + 1,
            name: if pseudonyms { format!("Person {}", i + 1) } else { p.name.clone() },
            role: p.role.map(|r| r.to_string()),
            organisation: p.organisation.clone(),
        })
        .collect();
    let evidence = Evidence {
        format: "steward-evidence/1".into(),
        generated_at: steward_core::clock::rfc3339(steward_core::clock::now()),
        generated_by: caller.user.email.to_string(),
        case: EvidenceCase {
            id: case.id.to_string(),
            title: match (&case.pseudonym, pseudonyms) {
                (Some(pseudonym), true) => pseudonym.clone(),
                _ => scrub(&case.title),
            },
            summary: scrub(&case.summary),
            country: case.country.clone(),
            risk: case.risk.to_string(),
            sector: case.sector.clone(),
            status: case.status.to_string(),
            reported_at: steward_core::clock::rfc3339(case.created_at),
            organisation: names.org(case.org_id),
        },
        people,
        incidents: incidents
            .iter()
            .map(|i| {
                let mut out = IncidentIo::new(i);
                out.description = scrub_opt(&out.description);
                out
            })
            .collect(),
        sources: sources
            .iter()
            .map(|s| {
                let mut out = SourceOut::new(s);
                if !include_reporters {
                    out.reporter = None;
                }
                out.notes = scrub_opt(&out.notes);
                out
            })
            .collect(),
        attachments: attachments.iter().map(AttachmentOut::new).collect(),
        referrals: actions
            .iter()
            .filter(|a| a.kind.is_referral())
            .map(|a| {
                let mut out = ActionOut::new(a, &names);
                out.description = scrub_opt(&out.description);
                out.outcome = scrub_opt(&out.outcome);
                out
            })
            .collect(),
        omitted,
    };
    let what = json!({
        "export": "evidence",
        "reporters": include_reporters,
        "pseudonyms": pseudonyms,
        "incidents": evidence.incidents.len(),
        "sources": evidence.sources.len(),
        "attachments": evidence.attachments.len(),
    });
    state.store.audit_case_export(&actor, &me, id, what).await?;
    Ok(evidence)
}

/// The evidence bundle for a referral for accountability: incidents, perpetrators, sources and
/// files' fingerprints, with a statement of what was left out. Every export is audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence", tag = "cases",
    params(("id" = String, Path, description = "Case id"), EvidenceQuery),
    responses((status = 200, body = Evidence), (status = 404, description = "No such case, or not yours to see")))]
pub async fn get_evidence(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
    Query(q): Query<EvidenceQuery>,
) -> AppResult<Json<Evidence>> {
    Ok(Json(evidence_for(&state, &caller, &id, &q).await?))
}
