//! End to end: the real binary and a real headless Chromium, driven over the DevTools protocol.
//! Signs in as the first administrator with the printed password, chooses a new password,
//! creates an organisation and a user through the pages, and checks what the pages show.

use crate::{free_port, have, temp_dir, BIN};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed when dropped, so a failing assertion leaves nothing running.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Browser {
    _child: Proc,
    ws: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next_id: u64,
}

/// A minimal HTTP GET of the DevTools endpoint, which keeps connections open: the body is read
/// by its Content-Length.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut reader = BufReader::new(s);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    String::from_utf8(body).ok()
}

impl Browser {
    fn launch(url: &str) -> Browser {
        let profile = temp_dir();
        let child = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let child = Proc(child);
        let active = profile.join("DevToolsActivePort");
        let start = Instant::now();
        let port: u16 = loop {
            if let Some(p) =
                std::fs::read_to_string(&active).ok().and_then(|t| t.lines().next().and_then(|l| l.parse().ok()))
            {
                break p;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "chromium did not open its DevTools port");
            std::thread::sleep(Duration::from_millis(100));
        };
        let ws_url = loop {
            let list: Value =
                http_get(port, "/json/list").and_then(|b| serde_json::from_str(&b).ok()).unwrap_or(Value::Null);
            if let Some(u) = list
                .as_array()
                .and_then(|a| a.iter().find(|t| t["type"] == "page"))
                .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            {
                break u.to_string();
            }
            assert!(start.elapsed() < Duration::from_secs(30), "no page target in chromium");
            std::thread::sleep(Duration::from_millis(100));
        };
        let (ws, _) = tungstenite::connect(ws_url).expect("connect to DevTools");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(20))).expect("read timeout");
        }
        Browser { _child: child, ws, next_id: 1 }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.ws
            .send(tungstenite::Message::Text(json!({"id": id, "method": method, "params": params}).to_string()))
            .unwrap();
        loop {
            let msg = self.ws.read().expect("DevTools message");
            if let tungstenite::Message::Text(text) = msg {
                let v: Value = serde_json::from_str(&text).unwrap();
                if v["id"] == id {
                    return v;
                }
            }
        }
    }

    fn eval(&mut self, js: &str) -> Value {
        let v = self.call("Runtime.evaluate", json!({"expression": js, "returnByValue": true}));
        v["result"]["result"]["value"].clone()
    }

    fn goto(&mut self, url: &str) {
        self.mark();
        self.call("Page.navigate", json!({"url": url}));
        self.settle();
    }

    /// Marks the current document, so that [`Browser::settle`] can tell when it has been replaced.
    fn mark(&mut self) {
        self.eval("window.__stewardOld = true");
    }

    /// Waits until a new document (one without the mark) has finished loading.
    fn settle(&mut self) {
        let start = Instant::now();
        while self.eval("window.__stewardOld !== true && document.readyState === 'complete'") != true {
            assert!(start.elapsed() < Duration::from_secs(15), "page did not load");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn path(&mut self) -> String {
        self.eval("location.pathname").as_str().unwrap_or_default().to_string()
    }

    fn text(&mut self, selector: &str) -> String {
        self.eval(&format!("(document.querySelector({selector:?}) || {{}}).innerText || ''"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Types into fields by id, then clicks the button with this text, as a person would.
    fn fill_and_submit(&mut self, fields: &[(&str, &str)], button: &str) {
        for (id, value) in fields {
            let done = self.eval(&format!(
                "(() => {{ const e = document.getElementById({id:?}); if (!e) return false; \
                 if (e.tagName === 'SELECT') {{ const o = [...e.options].find(o => o.value === {value:?} || o.text === {value:?}); if (!o) return false; e.value = o.value; }} \
                 else {{ e.value = {value:?}; }} return true; }})()"
            ));
            assert_eq!(done, true, "no field #{id} on {}", self.path());
        }
        self.mark();
        let clicked = self.eval(&format!(
            "(() => {{ const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === {button:?}); if (!b) return false; b.click(); return true; }})()"
        ));
        assert_eq!(clicked, true, "no button '{button}' on {}", self.path());
        self.settle();
    }
}

impl Browser {
    /// Ticks the checkbox named `name` with this value.
    fn check(&mut self, name: &str, value: &str) {
        let done = self.eval(&format!(
            "(() => {{ const e = [...document.querySelectorAll('input[type=checkbox]')].find(e => e.name === {name:?} && e.value === {value:?}); if (!e) return false; e.checked = true; return true; }})()"
        ));
        assert_eq!(done, true, "no checkbox {name}={value} on {}", self.path());
    }

    /// The id of the first element matching `selector`.
    fn id_of(&mut self, selector: &str) -> String {
        self.eval(&format!("(document.querySelector({selector:?}) || {{}}).id || ''"))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Signs in for the first time with a one-time password and replaces it.
    fn first_sign_in(&mut self, base: &str, email: &str, one_time: &str) {
        self.goto(&format!("{base}/login"));
        self.fill_and_submit(&[("email", email), ("password", one_time)], "Sign in");
        assert_eq!(self.path(), "/account/password", "{email} must replace the one-time password first");
        self.fill_and_submit(
            &[
                ("current", one_time),
                ("password", "a long passphrase of mine"),
                ("confirm", "a long passphrase of mine"),
            ],
            "Save password",
        );
        assert_eq!(self.path(), "/");
    }

    fn sign_out(&mut self) {
        self.fill_and_submit(&[], "Sign out");
        assert_eq!(self.path(), "/login");
    }
}

/// Starts `steward serve` on a fresh embedded database; answers the server and its address.
fn serve(dir: &std::path::Path) -> (Proc, String) {
    let port = free_port();
    let mut server = Proc(
        Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve stopped early");
        if line.starts_with("Steward is serving") {
            break;
        }
    }
    (server, format!("http://127.0.0.1:{port}"))
}

/// Creates a user with the CLI (beside the running server) and answers the one-time password.
fn user(dir: &std::path::Path, email: &str, org: &str, role: &str) -> String {
    let o = crate::steward(dir, &["users", "create", "--email", email, "--org", org, "--role", role]);
    assert!(o.status.success(), "users create: {}", crate::stderr(&o));
    crate::last_line(&o)
}

#[test]
fn a_midnight_alert_becomes_a_coordinated_response_entirely_in_the_browser() {
    if !have("chromium") {
        eprintln!("SKIPPED: the midnight-alert browser test needs Debian's chromium (apt-get install chromium); it was NOT run");
        return;
    }
    let started = Instant::now();
    let dir = temp_dir();
    let (server, base) = serve(&dir);
    for org in ["Beta Union", "Gamma Federation"] {
        let o = crate::steward(&dir, &["orgs", "create", "--name", org, "--kind", "workers"]);
        assert!(o.status.success(), "orgs create: {}", crate::stderr(&o));
    }
    // Public alerts reach the desk of the first organisation, where the coordinator works.
    let coord = user(&dir, "desk@steward.example", "Steward administrators", "coordinator");
    let beta = user(&dir, "beta@beta.example", "Beta Union", "coordinator");
    let gamma = user(&dir, "gamma@gamma.example", "Gamma Federation", "coordinator");

    let mut b = Browser::launch("about:blank");
    // 00:07, a worker's phone: the public form, no account.
    b.goto(&format!("{base}/alert"));
    b.fill_and_submit(
        &[
            ("a-summary", "Our union president Sokha Vireak was arrested at the factory gate tonight by police."),
            ("a-country", "Cambodia"),
            ("a-name", "Sokha Vireak"),
            ("a-contact", "via the federation's night line"),
        ],
        "Send the alert",
    );
    assert!(b.text("#receipt").starts_with("R-"), "the submitter gets a receipt");

    // The coordinator on duty: triage queue, open a case.
    b.first_sign_in(&base, "desk@steward.example", &coord);
    b.goto(&format!("{base}/triage"));
    assert!(b.text("main").contains("Sokha Vireak"), "the alert waits in the triage queue");
    let (title, risk) = (b.id_of("input[name=title]"), b.id_of("select[name=risk]"));
    b.fill_and_submit(&[(&title, "Arrest of union president Sokha Vireak"), (&risk, "liberty")], "Open a case");
    let case_path = b.path();
    assert!(case_path.starts_with("/cases/"), "opened the case, not {case_path}");
    b.fill_and_submit(
        &[
            ("t-status", "triaged"),
            ("t-urgency", "immediate"),
            ("t-assignee", "desk@steward.example"),
            ("t-sector", "garments"),
        ],
        "Save triage",
    );
    assert_eq!(b.path(), case_path);
    assert!(b.text(".clocks").contains("met"), "triage stops the acknowledgement clock: {}", b.text(".clocks"));
    // Share with the two partners, then give each an action.
    b.check("shared_with", "Beta Union");
    b.check("shared_with", "Gamma Federation");
    b.fill_and_submit(&[("v-visibility", "partners")], "Save who may see it");
    assert!(b.text(".facts").contains("Beta Union"), "shared: {}", b.text(".facts"));
    b.fill_and_submit(
        &[
            ("i-kind", "arbitrary arrest or detention"),
            ("i-date", "2026-11-23"),
            ("i-perp", "police or security forces"),
        ],
        "Record the incident",
    );
    b.fill_and_submit(
        &[("a-kind", "embassy or trial observation"), ("a-owner", "Beta Union"), ("a-status", "in progress")],
        "Add the action",
    );
    b.fill_and_submit(
        &[("a-kind", "legal aid"), ("a-owner", "Gamma Federation"), ("a-status", "approved")],
        "Add the action",
    );
    let actions = b.text("#actions");
    assert!(actions.contains("Beta Union") && actions.contains("Gamma Federation"), "{actions}");
    let clocks = b.text(".clocks");
    assert!(!clocks.contains("overdue") && clocks.matches("met").count() >= 2, "both clocks met: {clocks}");

    // A joint statement, drafted and sent to both partners.
    b.check("invite", "Beta Union");
    b.check("invite", "Gamma Federation");
    b.fill_and_submit(
        &[
            ("s-title", "Release Sokha Vireak now"),
            ("s-text", "We call on the authorities to release the union president at once."),
        ],
        "Draft the statement",
    );
    let statement = b.path();
    assert!(statement.starts_with("/statements/"), "{statement}");
    b.sign_out();

    for (email, otp) in [("beta@beta.example", &beta), ("gamma@gamma.example", &gamma)] {
        b.first_sign_in(&base, email, otp);
        b.goto(&format!("{base}{statement}"));
        assert_eq!(b.text("h1"), "Release Sokha Vireak now");
        b.fill_and_submit(&[], "Join the statement");
        assert!(b.text("main").contains("joined"), "{email} joined");
        b.goto(&format!("{base}{case_path}"));
        assert!(b.text("h1").contains("Arrest of union president"), "{email}'s organisation sees the shared case");
        b.sign_out();
    }

    b.goto(&format!("{base}/login"));
    b.fill_and_submit(&[("email", "desk@steward.example"), ("password", "a long passphrase of mine")], "Sign in");
    b.goto(&format!("{base}{statement}"));
    b.fill_and_submit(&[], "Publish the statement");
    let published = b.text("main").to_lowercase();
    assert!(
        published.contains("published") && published.contains("beta union") && published.contains("gamma federation"),
        "{} {published}",
        b.path()
    );
    assert!(started.elapsed() < Duration::from_secs(300), "the whole response took {:?}", started.elapsed());

    drop(b);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_administrator_signs_in_and_creates_an_organisation_and_a_user_in_chromium() {
    if !have("chromium") {
        eprintln!(
            "SKIPPED: the end-to-end browser test needs Debian's chromium (apt-get install chromium); it was NOT run"
        );
        return;
    }
    let dir = temp_dir();
    let port = free_port();
    let mut server = Proc(
        Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    let (mut email, mut password, mut previous) = (String::new(), String::new(), String::new());
    loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "serve stopped early");
        if let Some(e) = line.trim().strip_prefix("login:") {
            email = e.trim().to_string();
        }
        if previous.contains("one-time password") {
            password = line.trim().to_string();
        }
        if line.starts_with("Steward is serving") {
            break;
        }
        previous = line;
    }
    let base = format!("http://127.0.0.1:{port}");
    // Chromium starts on a blank page; navigating from it lets `settle` tell the pages apart.
    let mut b = Browser::launch("about:blank");
    b.goto(&format!("{base}/login"));
    assert_eq!(b.path(), "/login");
    b.fill_and_submit(&[("email", &email), ("password", "not the password")], "Sign in");
    assert!(b.text("[role=alert]").contains("email or password is wrong"), "a wrong password is refused");

    b.fill_and_submit(&[("email", &email), ("password", &password)], "Sign in");
    assert_eq!(b.path(), "/account/password", "the one-time password must be replaced first");
    b.fill_and_submit(
        &[("current", &password), ("password", "my own long passphrase"), ("confirm", "my own long passphrase")],
        "Save password",
    );
    assert_eq!(b.path(), "/");
    assert!(b.text("h1").contains("Welcome"));

    b.goto(&format!("{base}/orgs"));
    b.fill_and_submit(
        &[("org-name", "Bars Union"), ("org-kind", "workers"), ("org-country", "Cambodia")],
        "Create organisation",
    );
    assert!(b.path().starts_with("/orgs/"), "went to the new organisation's page, not {}", b.path());
    assert_eq!(b.text("h1"), "Bars Union");
    assert!(b.text(".facts").contains("Cambodia"));

    b.goto(&format!("{base}/users"));
    b.fill_and_submit(
        &[
            ("user-email", "bars.viewer@example.org"),
            ("user-name", "Bars Viewer"),
            ("user-org", "Bars Union"),
            ("user-role", "viewer"),
        ],
        "Create user",
    );
    assert_eq!(b.text("#new-user-email"), "bars.viewer@example.org");
    assert!(b.text("#one-time-password").trim().len() >= 16, "the one-time password is shown");
    b.goto(&format!("{base}/users"));
    let table = b.text("table");
    assert!(
        table.contains("bars.viewer@example.org") && table.contains("Bars Union") && table.contains("viewer"),
        "{table}"
    );
    b.goto(&format!("{base}/audit"));
    assert!(b.text(".banner").contains("verify"), "the audit page reports the chain");

    drop(b);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
