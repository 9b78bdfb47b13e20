//! Walks every route with every role and with no credentials, and checks the answer. A route
//! added to the API without a row here fails `every_documented_api_route_is_walked`.

use crate::{servers, TestServer};
use reqwest::header::COOKIE;
use reqwest::Method;
use serde_json::{json, Value};
use steward_core::role::Role;

/// Expected statuses: without credentials, then admin, coordinator, analyst, partner, viewer.
type Expect = [u16; 6];
const ALL_OK: Expect = [401, 200, 200, 200, 200, 200];
const ADMIN_ONLY: Expect = [401, 200, 403, 403, 403, 403];
/// A case no walker may see: 404 to everyone signed in.
const HIDDEN: Expect = [401, 404, 404, 404, 404, 404];
/// Triage of a hidden case: the role is checked first (coordinators only), then visibility.
const MANAGE_HIDDEN: Expect = [401, 403, 404, 403, 403, 403];
/// Work on a hidden case: roles that may report cases get 404, the others 403.
const WORK_HIDDEN: Expect = [401, 403, 404, 404, 404, 403];

struct Fixture {
    org: String,
    victim: String,
    edition: String,
    /// A restricted case that no walker is named on.
    case: String,
}

fn api_table(f: &Fixture) -> Vec<(Method, String, &'static str, Option<Value>, Expect)> {
    let org = &f.org;
    let victim = &f.victim;
    vec![
        (Method::GET, "/api/v1/openapi.json".into(), "/api/v1/openapi.json", None, [200; 6]),
        (Method::GET, "/api/v1/me".into(), "/api/v1/me", None, ALL_OK),
        (Method::GET, "/api/v1/orgs".into(), "/api/v1/orgs", None, ALL_OK),
        (
            Method::POST,
            "/api/v1/orgs".into(),
            "/api/v1/orgs",
            Some(json!({"name": "ROLE org", "kind": "company"})),
            [401, 201, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/orgs/{org}"), "/api/v1/orgs/{id}", None, ALL_OK),
        (Method::GET, "/api/v1/users".into(), "/api/v1/users", None, ADMIN_ONLY),
        (
            Method::POST,
            "/api/v1/users".into(),
            "/api/v1/users",
            Some(json!({"email": "ROLE@new.example.org", "org": "Bars Union", "role": "viewer"})),
            [401, 201, 403, 403, 403, 403],
        ),
        (Method::GET, format!("/api/v1/users/{victim}"), "/api/v1/users/{id}", None, [401, 200, 404, 404, 404, 404]),
        (Method::POST, format!("/api/v1/users/{victim}/disable"), "/api/v1/users/{id}/disable", None, ADMIN_ONLY),
        (Method::POST, format!("/api/v1/users/{victim}/enable"), "/api/v1/users/{id}/enable", None, ADMIN_ONLY),
        (Method::GET, "/api/v1/audit".into(), "/api/v1/audit", None, ADMIN_ONLY),
        (Method::GET, "/api/v1/audit/verify".into(), "/api/v1/audit/verify", None, ADMIN_ONLY),
        (Method::GET, "/api/v1/countries".into(), "/api/v1/countries", None, ALL_OK),
        (Method::GET, "/api/v1/lists".into(), "/api/v1/lists", None, ALL_OK),
        (Method::GET, format!("/api/v1/lists/{}/goods", f.edition), "/api/v1/lists/{id}/goods", None, ALL_OK),
        (
            Method::POST,
            "/api/v1/match/default".into(),
            "/api/v1/match/{dataset}",
            Some(json!({"queries": {"q": {"schema": "Company", "properties": {"name": ["Acme"]}}}})),
            ALL_OK,
        ),
        // Without a multipart body: refused by role first, then 400 for the roles that screen.
        (Method::POST, "/api/v1/screen".into(), "/api/v1/screen", None, [401, 403, 400, 400, 400, 403]),
        (Method::GET, "/api/v1/cases".into(), "/api/v1/cases", None, ALL_OK),
        (
            Method::POST,
            "/api/v1/cases".into(),
            "/api/v1/cases",
            Some(json!({"title": "ROLE case", "risk": "life", "visibility": "internal"})),
            [401, 403, 201, 201, 201, 403],
        ),
        (Method::GET, "/api/v1/cases/export.csv".into(), "/api/v1/cases/export.csv", None, ALL_OK),
        (Method::GET, "/api/v1/cases/export.xlsx".into(), "/api/v1/cases/export.xlsx", None, ALL_OK),
        (Method::GET, "/api/v1/reports/cases".into(), "/api/v1/reports/cases", None, ALL_OK),
        (Method::GET, "/api/v1/reports/cases.csv".into(), "/api/v1/reports/cases.csv", None, ALL_OK),
        (Method::GET, "/api/v1/reports/cases.xlsx".into(), "/api/v1/reports/cases.xlsx", None, ALL_OK),
        (Method::GET, format!("/api/v1/cases/{}", f.case), "/api/v1/cases/{id}", None, [401, 404, 404, 404, 404, 404]),
        (Method::GET, "/api/v1/cases/due".into(), "/api/v1/cases/due", None, ALL_OK),
        (
            Method::POST,
            format!("/api/v1/alerts/{}/merge", f.case),
            "/api/v1/alerts/{id}/merge",
            Some(json!({"case": f.case})),
            [401, 403, 404, 403, 403, 403],
        ),
        (
            Method::PATCH,
            format!("/api/v1/cases/{}", f.case),
            "/api/v1/cases/{id}",
            Some(json!({"status": "triaged"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/delete", f.case),
            "/api/v1/cases/{id}/delete",
            Some(json!({"reason": "ROLE"})),
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/history", f.case), "/api/v1/cases/{id}/history", None, HIDDEN),
        (
            Method::GET,
            format!("/api/v1/cases/{}/sender-notes", f.case),
            "/api/v1/cases/{id}/sender-notes",
            None,
            HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/incidents", f.case), "/api/v1/cases/{id}/incidents", None, HIDDEN),
        (
            Method::POST,
            format!("/api/v1/cases/{}/incidents", f.case),
            "/api/v1/cases/{id}/incidents",
            Some(json!({"kind": "threat"})),
            WORK_HIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{}/incidents/x", f.case),
            "/api/v1/cases/{id}/incidents/{incident}",
            Some(json!({"kind": "threat"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/incidents/x/delete", f.case),
            "/api/v1/cases/{id}/incidents/{incident}/delete",
            Some(json!({"reason": "ROLE"})),
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/actions", f.case), "/api/v1/cases/{id}/actions", None, HIDDEN),
        (
            Method::POST,
            format!("/api/v1/cases/{}/actions", f.case),
            "/api/v1/cases/{id}/actions",
            Some(json!({"kind": "legal aid"})),
            WORK_HIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{}/actions/x", f.case),
            "/api/v1/cases/{id}/actions/{action}",
            Some(json!({"kind": "legal aid"})),
            WORK_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/actions/x/status", f.case),
            "/api/v1/cases/{id}/actions/{action}/status",
            Some(json!({"status": "done"})),
            WORK_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/actions/x/delete", f.case),
            "/api/v1/cases/{id}/actions/{action}/delete",
            Some(json!({"reason": "ROLE"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/statements", f.case),
            "/api/v1/cases/{id}/statements",
            Some(json!({"title": "t", "text": "x"})),
            WORK_HIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{}/access", f.case),
            "/api/v1/cases/{id}/access",
            Some(json!({"visibility": "internal"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/people", f.case),
            "/api/v1/cases/{id}/people",
            Some(json!({"name": "ROLE person"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{}/people/1", f.case),
            "/api/v1/cases/{id}/people/{n}",
            Some(json!({"name": "ROLE person"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/alert-buyers", f.case),
            "/api/v1/cases/{id}/alert-buyers",
            None,
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/sources", f.case), "/api/v1/cases/{id}/sources", None, HIDDEN),
        (
            Method::POST,
            format!("/api/v1/cases/{}/sources", f.case),
            "/api/v1/cases/{id}/sources",
            Some(json!({"channel": "phone", "reliability": "B", "credibility": "2"})),
            WORK_HIDDEN,
        ),
        (
            Method::PUT,
            format!("/api/v1/cases/{}/sources/x", f.case),
            "/api/v1/cases/{id}/sources/{source}",
            Some(json!({"channel": "phone", "reliability": "B", "credibility": "2"})),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/sources/x/delete", f.case),
            "/api/v1/cases/{id}/sources/{source}/delete",
            Some(json!({"reason": "walk"})),
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/attachments", f.case), "/api/v1/cases/{id}/attachments", None, HIDDEN),
        // The body is not even read for those who may not attach to the case.
        (
            Method::POST,
            format!("/api/v1/cases/{}/attachments", f.case),
            "/api/v1/cases/{id}/attachments",
            None,
            WORK_HIDDEN,
        ),
        (
            Method::GET,
            format!("/api/v1/cases/{}/attachments/x", f.case),
            "/api/v1/cases/{id}/attachments/{attachment}",
            None,
            HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/attachments/x/delete", f.case),
            "/api/v1/cases/{id}/attachments/{attachment}/delete",
            Some(json!({"reason": "walk"})),
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/evidence", f.case), "/api/v1/cases/{id}/evidence", None, HIDDEN),
        (Method::GET, format!("/api/v1/cases/{}/esf", f.case), "/api/v1/cases/{id}/esf", None, HIDDEN),
        (
            Method::POST,
            format!("/api/v1/cases/{}/highlight", f.case),
            "/api/v1/cases/{id}/highlight",
            Some(
                json!({"consent_from": "person", "consent_by": "x", "consent_on": "2026-01-01", "title": "t", "summary": "s"}),
            ),
            MANAGE_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/cases/{}/highlight/withdraw", f.case),
            "/api/v1/cases/{id}/highlight/withdraw",
            Some(json!({"reason": "walk"})),
            MANAGE_HIDDEN,
        ),
        (Method::GET, format!("/api/v1/cases/{}/highlights", f.case), "/api/v1/cases/{id}/highlights", None, HIDDEN),
        (Method::GET, "/api/v1/highlights".into(), "/api/v1/highlights", None, [200; 6]),
        (Method::GET, "/api/v1/statements".into(), "/api/v1/statements", None, ALL_OK),
        (Method::GET, format!("/api/v1/statements/{}", f.case), "/api/v1/statements/{id}", None, HIDDEN),
        (
            Method::PATCH,
            format!("/api/v1/statements/{}", f.case),
            "/api/v1/statements/{id}",
            Some(json!({"title": "t", "text": "x"})),
            WORK_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/statements/{}/invite", f.case),
            "/api/v1/statements/{id}/invite",
            Some(json!({"organisations": []})),
            WORK_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/statements/{}/answer", f.case),
            "/api/v1/statements/{id}/answer",
            Some(json!({"answer": "joined"})),
            WORK_HIDDEN,
        ),
        (
            Method::POST,
            format!("/api/v1/statements/{}/publish", f.case),
            "/api/v1/statements/{id}/publish",
            None,
            WORK_HIDDEN,
        ),
        (Method::GET, "/api/v1/notifications".into(), "/api/v1/notifications", None, ALL_OK),
        (Method::POST, "/api/v1/notifications/read".into(), "/api/v1/notifications/read", Some(json!({})), ALL_OK),
        (Method::GET, "/api/v1/webhook".into(), "/api/v1/webhook", None, [401, 403, 200, 403, 403, 403]),
        (
            Method::PUT,
            "/api/v1/webhook".into(),
            "/api/v1/webhook",
            Some(json!({"url": "ftp://ROLE.example"})),
            [401, 403, 400, 403, 403, 403],
        ),
        (Method::DELETE, "/api/v1/webhook".into(), "/api/v1/webhook", None, [401, 403, 204, 403, 403, 403]),
        (Method::GET, "/api/v1/search?q=acme".into(), "/api/v1/search", None, ALL_OK),
        (
            Method::POST,
            "/api/v1/alerts".into(),
            "/api/v1/alerts",
            Some(json!({"summary": "ROLE saw a threat", "country": "KH"})),
            [201; 6],
        ),
        (Method::GET, "/api/v1/alerts".into(), "/api/v1/alerts", None, [401, 403, 200, 403, 403, 403]),
        (
            Method::POST,
            "/api/v1/alerts/status".into(),
            "/api/v1/alerts/status",
            Some(json!({"receipt": "R-AAAA-AAAA-AAAA", "passphrase": "wrong"})),
            [404; 6],
        ),
        (
            Method::POST,
            "/api/v1/alerts/notes".into(),
            "/api/v1/alerts/notes",
            Some(json!({"receipt": "R-AAAA-AAAA-AAAA", "passphrase": "wrong", "text": "more"})),
            [404; 6],
        ),
        (
            Method::POST,
            format!("/api/v1/alerts/{}/case", f.case),
            "/api/v1/alerts/{id}/case",
            Some(json!({"title": "t", "risk": "life"})),
            [401, 403, 404, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/api/v1/alerts/{}/dismiss", f.case),
            "/api/v1/alerts/{id}/dismiss",
            None,
            [401, 403, 404, 403, 403, 403],
        ),
    ]
}

/// Page routes: without a session (303 to sign in), then each role.
fn page_table(f: &Fixture) -> Vec<(Method, String, Expect)> {
    let org = &f.org;
    let victim = &f.victim;
    const PAGE: Expect = [303, 200, 200, 200, 200, 200];
    const ADMIN_PAGE: Expect = [303, 200, 403, 403, 403, 403];
    vec![
        (Method::GET, "/".into(), PAGE),
        (Method::GET, "/orgs".into(), PAGE),
        (Method::GET, format!("/orgs/{org}"), PAGE),
        (Method::POST, "/orgs".into(), [303, 303, 403, 403, 403, 403]),
        (Method::GET, "/users".into(), ADMIN_PAGE),
        (Method::POST, "/users".into(), ADMIN_PAGE),
        (Method::POST, format!("/users/{victim}/disable"), [303, 303, 403, 403, 403, 403]),
        (Method::POST, format!("/users/{victim}/enable"), [303, 303, 403, 403, 403, 403]),
        (Method::POST, format!("/users/{victim}/reset-password"), ADMIN_PAGE),
        (Method::GET, "/lists".into(), PAGE),
        (Method::GET, format!("/lists/{}", f.edition), PAGE),
        (Method::GET, format!("/lists/diff?a={0}&b={0}", f.edition), PAGE),
        (Method::GET, "/lists/diff?a=nope&b=nope".into(), [303, 400, 400, 400, 400, 400]),
        (Method::GET, "/audit".into(), ADMIN_PAGE),
        (Method::GET, "/settings".into(), ADMIN_PAGE),
        (Method::POST, "/settings".into(), [303, 303, 403, 403, 403, 403]),
        (Method::GET, "/account".into(), PAGE),
        (Method::GET, "/account/password".into(), PAGE),
        (Method::GET, "/account/2fa".into(), PAGE),
        (Method::POST, "/account/tokens".into(), [303, 200, 200, 200, 200, 403]),
        (Method::GET, "/login".into(), [200, 303, 303, 303, 303, 303]),
        (Method::GET, "/assets/style.css".into(), [200; 6]),
        (Method::GET, "/cases".into(), PAGE),
        (Method::GET, "/cases/new".into(), [303, 403, 200, 200, 200, 403]),
        (Method::POST, "/cases".into(), [303, 403, 400, 400, 400, 403]),
        (Method::GET, format!("/cases/{}", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, "/cases/due".into(), PAGE),
        (Method::POST, format!("/cases/{}/triage", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/incidents", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/incidents/x", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/actions", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/actions/x", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/actions/x/status", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/delete", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, "/settings/clocks".into(), [303, 400, 403, 403, 403, 403]),
        (Method::POST, format!("/cases/{}/statements", f.case), [303, 403, 400, 400, 400, 403]),
        (Method::POST, format!("/cases/{}/sources", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/sources/x", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/access", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/people", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/alert-buyers", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/people/1", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/attachments", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, format!("/cases/{}/attachments/x", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, format!("/cases/{}/evidence", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, format!("/cases/{}/evidence.json", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, format!("/cases/{}/esf.json", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/highlight", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/cases/{}/highlight/withdraw", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, "/highlights".into(), [200; 6]),
        (Method::GET, "/screen".into(), [303, 403, 200, 200, 200, 403]),
        (Method::POST, "/screen".into(), [303, 403, 400, 400, 400, 403]),
        (Method::GET, "/screen/x".into(), [303, 403, 404, 404, 404, 403]),
        (Method::GET, "/screen/x/results.csv".into(), [303, 403, 404, 404, 404, 403]),
        (Method::GET, "/screen/x/results.xlsx".into(), [303, 403, 404, 404, 404, 403]),
        (Method::POST, "/screen/x/save".into(), [303, 403, 404, 404, 404, 403]),
        (Method::GET, "/assets/progress.js".into(), [200; 6]),
        (Method::GET, "/reports".into(), PAGE),
        (Method::GET, "/reports/cases.csv".into(), PAGE),
        (Method::GET, "/reports/cases.xlsx".into(), PAGE),
        (Method::GET, "/cases/export.csv".into(), PAGE),
        (Method::GET, "/cases/export.xlsx".into(), PAGE),
        (Method::POST, "/settings/reports".into(), [303, 400, 403, 403, 403, 403]),
        (Method::POST, "/settings/alert-desk".into(), [303, 400, 403, 403, 403, 403]),
        (Method::GET, "/statements".into(), PAGE),
        (Method::GET, format!("/statements/{}", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/statements/{}/edit", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/statements/{}/invite", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/statements/{}/answer", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::POST, format!("/statements/{}/publish", f.case), [303, 404, 404, 404, 404, 404]),
        (Method::GET, "/triage".into(), [303, 403, 200, 403, 403, 403]),
        (Method::POST, format!("/triage/{}/case", f.case), [303, 403, 400, 403, 403, 403]),
        (Method::POST, format!("/triage/{}/dismiss", f.case), [303, 403, 404, 403, 403, 403]),
        (Method::POST, format!("/triage/{}/merge", f.case), [303, 403, 404, 403, 403, 403]),
        (Method::GET, "/notifications".into(), PAGE),
        (Method::POST, "/notifications/read".into(), [303; 6]),
        (Method::POST, "/notifications/webhook".into(), [303, 403, 400, 403, 403, 403]),
        (Method::POST, "/notifications/webhook/remove".into(), [303, 403, 303, 403, 403, 403]),
        (Method::GET, "/search?q=bars".into(), PAGE),
        (Method::GET, "/alert".into(), [200; 6]),
        (Method::POST, "/alert".into(), [400; 6]),
        (Method::GET, "/alert/status".into(), [200; 6]),
    ]
}

struct Who {
    role: Option<Role>,
    token: Option<String>,
    cookie: Option<String>,
    csrf: String,
}

async fn people(s: &TestServer) -> Vec<Who> {
    let mut out = vec![Who { role: None, token: None, cookie: None, csrf: String::new() }];
    for role in Role::ALL {
        let email = format!("{role}@example.org");
        let u = s.user(&email, role, "Bars Union").await;
        let cookie = s.sign_in(&email, crate::PASSWORD).await.expect("sign in");
        let csrf = s.csrf(&cookie).await;
        out.push(Who { role: Some(role), token: Some(s.token(&u).await), cookie: Some(cookie), csrf });
    }
    out
}

async fn fixture(s: &TestServer) -> Fixture {
    let org = s.org("Bars Union").await;
    let victim = s.user("victim@example.org", Role::Viewer, "Bars Union").await;
    let rows = steward_screen::lists::tvpra::parse(steward_screen::DEFAULT_TVPRA).unwrap();
    let new = steward_core::list::NewEdition {
        list_name: "tvpra".into(),
        kind: steward_core::list::ListKind::Tvpra,
        source: "test".into(),
        published: None,
        checksum: steward_screen::checksum(steward_screen::DEFAULT_TVPRA),
    };
    let edition = s.store.import_goods_edition(&steward_core::audit::Actor::cli(), new, &rows).await.unwrap();
    let owner = s.user("owner@example.org", Role::Coordinator, "Bars Union").await;
    let new = steward_core::case::NewCase::new(
        "Hidden",
        "Nobody walking the routes is named on this case",
        None,
        steward_core::case::Risk::Life,
        steward_core::case::Visibility::Restricted,
        vec![],
    )
    .unwrap();
    let viewer = steward_core::case::Viewer { user: owner.id, org: owner.org_id };
    let case = s.store.create_case(&steward_core::audit::Actor::cli(), &viewer, new, &[], &[]).await.unwrap();
    Fixture {
        org: org.id.to_string(),
        victim: victim.id.to_string(),
        edition: edition.edition().id.to_string(),
        case: case.id.to_string(),
    }
}

#[tokio::test]
async fn every_api_route_answers_each_role_as_the_permission_table_says() {
    for s in servers().await {
        let f = fixture(&s).await;
        let who = people(&s).await;
        for (method, path, _, body, expect) in api_table(&f) {
            for (i, w) in who.iter().enumerate() {
                let role = w.role.map(|r| r.as_str()).unwrap_or("none");
                let mut req = s.client.request(method.clone(), s.at(&path));
                if let Some(t) = &w.token {
                    req = req.bearer_auth(t);
                }
                if let Some(b) = &body {
                    req = req.json(&serde_json::from_str::<Value>(&b.to_string().replace("ROLE", role)).unwrap());
                }
                let status = req.send().await.unwrap().status().as_u16();
                assert_eq!(status, expect[i], "{method} {path} as {role} on {}", s.backend());
            }
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn every_page_route_answers_each_role_as_the_permission_table_says() {
    for s in servers().await {
        let f = fixture(&s).await;
        let who = people(&s).await;
        for (method, path, expect) in page_table(&f) {
            for (i, w) in who.iter().enumerate() {
                let role = w.role.map(|r| r.as_str()).unwrap_or("none");
                let mut req = s.client.request(method.clone(), s.at(&path));
                if let Some(c) = &w.cookie {
                    req = req.header(COOKIE, c);
                }
                if method == Method::POST {
                    let org = format!("{role} org");
                    let email = format!("{role}@page.example.org");
                    req = req.form(&[
                        ("csrf", w.csrf.as_str()),
                        ("name", &org),
                        ("kind", "company"),
                        ("email", &email),
                        ("org", &f.org),
                        ("role", "viewer"),
                    ]);
                }
                let status = req.send().await.unwrap().status().as_u16();
                assert_eq!(status, expect[i], "{method} {path} as {role} on {}", s.backend());
            }
        }
        s.stop().await;
    }
}

#[tokio::test]
async fn every_documented_api_route_is_walked() {
    let spec = serde_json::to_value(steward_server::api::openapi_document()).unwrap();
    let f = Fixture { org: String::new(), victim: String::new(), edition: String::new(), case: String::new() };
    let walked: Vec<(String, String)> =
        api_table(&f).into_iter().map(|(m, _, p, _, _)| (m.as_str().to_lowercase(), p.to_string())).collect();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            assert!(walked.contains(&(method.clone(), path.clone())), "{method} {path} is not in the route walk");
        }
    }
}
