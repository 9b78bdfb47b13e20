//! Screening uploaded supplier files with the server's index, and re-screening saved registries
//! when the lists in force change: each hit that appears or goes away becomes an alert for the
//! registry's organisation.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::collections::BTreeSet;
use steward_screen::batch::{error_row, fit, screen_row, ColumnNames, Columns};
use steward_screen::matcher::DEFAULT_THRESHOLD;

/// Rows with where each came from ("line 7", "row 7").
pub type Rows = Vec<(String, Vec<String>)>;

/// A supplier file read as a table: CSV in any common encoding and delimiter, or a spreadsheet.
pub fn read_table(filename: &str, bytes: &[u8]) -> AppResult<(Vec<String>, Rows)> {
    let ext = filename.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        let t = steward_screen::sheet::read(bytes).map_err(|e| AppError::field("file", format!("{filename}: {e}")))?;
        return Ok((t.headers, t.rows.into_iter().map(|(n, r)| (format!("row {n}"), r)).collect()));
    }
    let (text, _) = steward_screen::text::decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(steward_screen::text::sniff_delimiter(&text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::field("file", format!("{filename}: the first line is not a readable header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let rows = reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let line = format!("line {}", i + 2);
            match r {
                Ok(r) => (line, r.iter().map(String::from).collect()),
                // A row that cannot be read is kept, empty, and reported.
                Err(e) => (format!("{line} (unreadable: {e})"), Vec::new()),
            }
        })
        .collect();
    Ok((headers, rows))
}

/// Largest supplier file screened over the web or the API; larger files are for `steward screen`.
pub const MAX_UPLOAD: usize = 16 * 1024 * 1024;

/// A supplier file as uploaded (web form or API): the file, the columns named for it, and the
/// form's other short fields.
pub struct Upload {
    /// The file's name and bytes, if one was sent and is not empty.
    pub file: Option<(String, Vec<u8>)>,
    /// The columns named by the uploader (`name_column`, `country_column`, ...).
    pub given: ColumnNames,
    /// Other fields, by name (at most a few hundred characters each).
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// A field's value, trimmed; `None` when absent or empty.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }
}

/// Reads a multipart upload of a supplier file, refusing files over [`MAX_UPLOAD`] as they
/// arrive rather than after holding them.
pub async fn read_upload(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Upload> {
    let mut multipart = multipart.map_err(|e| AppError::field("file", e.body_text()))?;
    let bad = |e: axum::extract::multipart::MultipartError| AppError::field("file", e.body_text());
    let mut upload = Upload { file: None, given: ColumnNames::default(), fields: Vec::new() };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let named = |text: String| Some(text.trim().to_string()).filter(|t| !t.is_empty() && t.len() <= 200);
        let given = &mut upload.given;
        match field.name().unwrap_or_default().to_string().as_str() {
            "name_column" => given.name = named(field.text().await.map_err(bad)?),
            "aliases_column" => given.aliases = named(field.text().await.map_err(bad)?),
            "country_column" => given.country = named(field.text().await.map_err(bad)?),
            "goods_column" => given.goods = named(field.text().await.map_err(bad)?),
            "hs_column" => given.hs = named(field.text().await.map_err(bad)?),
            "id_column" => given.ids = named(field.text().await.map_err(bad)?),
            "file" => {
                let name = field.file_name().unwrap_or("suppliers.csv").to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > MAX_UPLOAD {
                        return Err(AppError::field(
                            "file",
                            format!("{name} is larger than {} MiB; screen it with `steward screen`", MAX_UPLOAD >> 20),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                upload.file = Some((name, bytes)).filter(|(_, b)| !b.is_empty());
            }
            other => {
                let name = other.to_string();
                let text = field.text().await.map_err(bad)?;
                if text.len() > 1000 || upload.fields.len() >= 32 {
                    return Err(AppError::field(&name, "too long, or too many fields"));
                }
                upload.fields.push((name, text));
            }
        }
    }
    Ok(upload)
}

/// An uploaded file, screened.
pub struct ScreenedFile {
    /// The file's name.
    pub filename: String,
    /// The editions it was screened against.
    pub key: String,
    /// Its header.
    pub headers: Vec<String>,
    /// Its rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
    /// What Steward adds to each row (`OUTPUT_COLUMNS`).
    pub results: Vec<Vec<String>>,
    /// The columns the uploader named.
    pub given: ColumnNames,
}

/// Reads and screens an uploaded file against the lists in force.
pub async fn screen_upload(state: &AppState, upload: Upload) -> AppResult<ScreenedFile> {
    let (filename, bytes) = upload.file.ok_or_else(|| AppError::field("file", "choose a file to screen"))?;
    let (headers, rows) = read_table(&filename, &bytes)?;
    drop(bytes);
    let (key, rows, results) = screen_rows(state, &headers, rows, &upload.given).await?;
    Ok(ScreenedFile { filename, key, headers, rows, results, given: upload.given })
}

/// Keeps a screened file for the caller's organisation (sealed), so its results can be filtered,
/// downloaded and saved as a registry; answers its id.
pub async fn keep(state: &AppState, caller: &crate::auth::Caller, f: &ScreenedFile) -> AppResult<String> {
    let map = (!f.given.is_empty())
        .then(|| serde_json::to_string(&f.given))
        .transpose()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let me = crate::api::cases::viewer(caller);
    Ok(state
        .store
        .keep_screening(&caller.actor(), &me, &f.filename, &f.key, &f.headers, &f.rows, &f.results, map.as_deref())
        .await?)
}

/// Screens rows against the lists in force; answers the editions' key, the rows as kept and what
/// Steward adds to each.
pub async fn screen_rows(
    state: &AppState,
    headers: &[String],
    rows: Rows,
    given: &ColumnNames,
) -> AppResult<(String, Vec<Vec<String>>, Vec<Vec<String>>)> {
    let cols = Columns::detect(headers, given).map_err(|e| AppError::field("file", e))?;
    let screening = state.screening().await?;
    let mut kept = Vec::with_capacity(rows.len());
    let mut results = Vec::with_capacity(rows.len());
    for (line, fields) in rows {
        let (fields, problem) = if fields.is_empty() && line.contains("unreadable") {
            (vec![String::new(); headers.len()], Some(line.clone()))
        } else {
            fit(fields, headers.len(), &line)
        };
        let added = match problem {
            Some(p) => error_row(p),
            None => screen_row(&screening.index, &screening.goods, &cols, &fields, &line, DEFAULT_THRESHOLD),
        };
        kept.push(fields);
        results.push(added.to_vec());
    }
    Ok((screening.key(), kept, results))
}

/// The columns kept with a screening, or none (detect by header) when none were named.
pub fn column_names(map: Option<&str>) -> ColumnNames {
    map.and_then(|m| serde_json::from_str(m).ok()).unwrap_or_default()
}

/// The hits of a screening: (row, status, list, entity id) for each match or review.
fn hits(results: &[Vec<String>]) -> BTreeSet<(usize, String, String, String)> {
    results
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r.first().map(String::as_str), Some("match" | "review")) && !r[3].is_empty())
        .map(|(i, r)| (i + 1, r[0].clone(), r[2].clone(), r[3].clone()))
        .collect()
}

/// Re-screens every saved registry whose lists changed; answers how many alerts were raised.
pub async fn rescreen_registries(state: &AppState) -> AppResult<usize> {
    let registries = state.store.saved_registries().await?;
    if registries.is_empty() {
        return Ok(0);
    }
    let current = state.screening().await?.key();
    let mut raised = 0;
    for (id, org, editions) in registries {
        if editions == current {
            continue;
        }
        let r = state.store.registry_rows(&id).await?;
        let rows = r.rows.iter().enumerate().map(|(i, f)| (format!("row {}", i + 1), f.clone())).collect();
        let given = column_names(r.column_map.as_deref());
        let (key, _, results) = screen_rows(state, &r.headers, rows, &given).await?;
        let before = hits(&r.results);
        let after = hits(&results);
        let name_col = Columns::detect(&r.headers, &given).ok().and_then(|c| c.name);
        let supplier = |row: usize| {
            name_col
                .and_then(|c| r.rows.get(row - 1).and_then(|f| f.get(c)))
                .cloned()
                .unwrap_or_else(|| format!("row {row}"))
        };
        let mut alerts = Vec::new();
        for (row, status, list, entity) in after.difference(&before) {
            let name = results.get(row - 1).map(|x| x[4].clone()).unwrap_or_default();
            alerts.push((
                "new".to_string(),
                *row,
                format!("{}: now a {status} with {name} ({list}, {entity})", supplier(*row)),
            ));
        }
        for (row, status, list, entity) in before.difference(&after) {
            let name = r.results.get(row - 1).map(|x| x[4].clone()).unwrap_or_default();
            alerts.push((
                "removed".to_string(),
                *row,
                format!("{}: no longer a {status} with {name} ({list}, {entity})", supplier(*row)),
            ));
        }
        raised += alerts.len();
        state.store.rescreened(&id, org, &key, &results, &alerts).await?;
    }
    Ok(raised)
}

/// Alerts every organisation whose saved registry lists a workplace named on the case, so that
/// buyers can use their leverage. The case's own organisation decides to send it (an alert tells
/// an outsider that a case exists), and it carries only what a partner would be told of the
/// situation: the workplace, what is at risk, the kinds of incident, the month, and whom to
/// contact; never a person's name, the case's words or its id.
pub async fn alert_buyers(
    state: &AppState,
    caller: &crate::auth::Caller,
    id: steward_core::case::CaseId,
) -> AppResult<()> {
    use steward_core::role::Permission;
    caller.require(Permission::ManageCases)?;
    let me = crate::api::cases::viewer(caller);
    let opened = state.store.open_case(&caller.actor(), &me, id).await?;
    let case = opened.case();
    if !case.may_manage(&me) {
        return Err(AppError::Refused("only the case's own organisation alerts buyers".into()));
    }
    // A restricted case is for its named people alone; that it exists is not the organisation's
    // to tell. Widening it to partners or internal is the deliberate step that comes first.
    if case.visibility == steward_core::case::Visibility::Restricted {
        return Err(AppError::Refused(
            "a restricted case is for its named people only: alerting buyers would tell outsiders it exists; \
             change its visibility to internal or partners first if that is intended"
                .into(),
        ));
    }
    let workplaces: Vec<(String, Option<String>)> = case
        .people
        .iter()
        .filter_map(|p| p.workplace.clone().map(|w| (w, p.country.clone().or_else(|| case.country.clone()))))
        .collect();
    if workplaces.is_empty() {
        return Err(AppError::field("workplace", "no one on this case has a workplace recorded"));
    }
    // Every saved registry's suppliers (system read: none of it is shown to the case's
    // organisation).
    let (index, _) = registry_index(state, None).await?;
    let incidents = state.store.incidents_for(&opened).await?;
    let mut kinds: Vec<&str> = incidents.iter().map(|i| i.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    let names = crate::api::cases::Names::load(state).await?;
    let month = format!("{:04}-{:02}", case.created_at.year(), u8::from(case.created_at.month()));
    let mut alerts = Vec::new();
    let mut seen = BTreeSet::new();
    for (workplace, country) in &workplaces {
        let query = steward_screen::index::Query {
            name: workplace.clone(),
            aliases: Vec::new(),
            schema: None,
            countries: country.iter().cloned().collect(),
            identifiers: Vec::new(),
        };
        for hit in index.search(&query, 50, DEFAULT_THRESHOLD) {
            let registry = hit.entry.source.list.clone();
            let Ok(org) = hit.entry.source.edition.parse::<steward_core::ids::OrgId>() else { continue };
            let row: usize = hit.entry.entity.key.parse().unwrap_or_default();
            if !seen.insert((registry.clone(), row)) {
                continue;
            }
            let detail = format!(
                "{}: {} reports a labour-rights case at this workplace ({}): risk to {}{}; reported {month}. Contact {} to use your leverage.",
                hit.entry.entity.name,
                names.org(case.org_id),
                country.as_deref().unwrap_or("country not given"),
                case.risk,
                if kinds.is_empty() { String::new() } else { format!("; {}", kinds.join(", ")) },
                names.org(case.org_id),
            );
            alerts.push((registry, org, "case".to_string(), row, detail));
        }
    }
    state.store.add_registry_alerts(&caller.actor(), id, &alerts).await?;
    Ok(())
}

/// The suppliers of saved registries as one index, each entry's source naming its registry (as
/// `list`) and organisation (as `edition`); with each registry's name. `only` keeps one
/// organisation's registries.
async fn registry_index(
    state: &AppState,
    only: Option<steward_core::ids::OrgId>,
) -> AppResult<(steward_screen::index::Index, std::collections::HashMap<String, String>)> {
    let mut lists = Vec::new();
    let mut names = std::collections::HashMap::new();
    for (registry, org, _) in state.store.saved_registries().await? {
        if only.is_some_and(|o| o != org) {
            continue;
        }
        let r = state.store.registry_rows(&registry).await?;
        let Ok(cols) = Columns::detect(&r.headers, &column_names(r.column_map.as_deref())) else { continue };
        let Some(name_col) = cols.name else { continue };
        let entities = r
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| {
                let name = row.get(name_col)?.trim().to_string();
                let countries = cols
                    .country
                    .and_then(|c| row.get(c))
                    .and_then(|c| steward_core::country::resolve(c).ok())
                    .map(|c| vec![c.alpha2.to_string()])
                    .unwrap_or_default();
                (!name.is_empty()).then(|| steward_core::list::ListEntity {
                    row: i + 1,
                    key: format!("{}", i + 1),
                    schema: steward_core::list::EntitySchema::Company,
                    name,
                    aliases: Vec::new(),
                    countries,
                    identifiers: Vec::new(),
                    notes: String::new(),
                })
            })
            .collect();
        names.insert(registry.clone(), r.name.clone().unwrap_or(r.filename.clone()));
        lists.push((steward_screen::index::Source { list: registry, edition: org.to_string() }, entities));
    }
    Ok((steward_screen::index::Index::build(lists), names))
}

/// The least score at which an organisation named for a person is taken to be one of Steward's
/// organisation records: stricter than screening's, since a wrong link files a person under
/// someone else's union.
const ORG_LINK_THRESHOLD: f64 = 0.9;

/// Links a person at risk to what Steward knows, before they are recorded on a case owned by
/// `owner`: their union or group to its organisation record (the one given by id, checked, or
/// the one whose name matches what was written), and their workplace to the best-matching row of
/// the owner's own saved supplier registries. A link the caller gave by id is kept; one found by
/// name is only a suggestion of the matcher, so nothing is linked below a strict threshold.
pub async fn link_person(
    state: &AppState,
    owner: steward_core::ids::OrgId,
    mut person: steward_core::case::PersonAtRisk,
) -> AppResult<steward_core::case::PersonAtRisk> {
    use steward_core::list::EntitySchema;
    let written = person.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string);
    if let Some(id) = person.organisation_id {
        let org = state
            .store
            .org(id)
            .await
            .map_err(|_| AppError::field("organisation_id", format!("no organisation has the id {id}")))?;
        if written.is_none() {
            person.organisation = Some(org.name);
        }
    } else if let Some(written) = written {
        let orgs = state.store.orgs().await?;
        let query = steward_screen::matcher::normalize::prepare(&written);
        person.organisation_id = orgs
            .iter()
            .map(|o| {
                let score = steward_screen::matcher::score_prepared(
                    EntitySchema::Organization,
                    &query,
                    &steward_screen::matcher::normalize::prepare(&o.name),
                );
                (score, o.id)
            })
            .filter(|(score, _)| *score >= ORG_LINK_THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id);
    }
    person.workplace_link = None;
    if let Some(workplace) = person.workplace.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        let (index, names) = registry_index(state, Some(owner)).await?;
        let query = steward_screen::index::Query {
            name: workplace.to_string(),
            aliases: Vec::new(),
            schema: None,
            countries: person.country.iter().cloned().collect(),
            identifiers: Vec::new(),
        };
        if let Some(hit) = index.search(&query, 1, DEFAULT_THRESHOLD).into_iter().next() {
            let registry = hit.entry.source.list.clone();
            person.workplace_link = Some(steward_core::case::WorkplaceLink {
                registry_name: names.get(&registry).cloned().unwrap_or_default(),
                registry,
                row: hit.entry.entity.row,
                supplier: hit.entry.entity.name.clone(),
            });
        }
    }
    Ok(person)
}
