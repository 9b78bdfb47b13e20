use crate::{free_port, have, key_file_for, last_line, stderr, stdout, steward, steward_url, temp_dir, BIN};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn assert_one_line_error(o: &std::process::Output, contains: &str) {
    assert!(!o.status.success(), "should fail: {}", stdout(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {err}");
    assert!(lines[0].contains(contains), "'{}' should mention '{contains}'", lines[0]);
}

#[test]
fn the_cli_contract_holds() {
    let dir = temp_dir();
    let o = steward(&dir, &["orgs", "create", "--name", "Bars Union", "--kind", "workers"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = steward(
        &dir,
        &["users", "create", "--email", "bars.viewer@example.org", "--org", "Bars Union", "--role", "viewer"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let password = last_line(&o);
    assert!(password.len() >= 16 && !password.contains(' '), "password alone on the last line: {password}");
    let o = steward(&dir, &["users", "list"]);
    assert!(stdout(&o).lines().next().unwrap().starts_with("bars.viewer@example.org"));
    let o = steward(&dir, &["tokens", "create", "--email", "bars.viewer@example.org", "--name", "script"]);
    let token = last_line(&o);
    assert!(token.starts_with("stw_") && token.len() > 40, "{token}");
    let o = steward(&dir, &["tokens", "revoke", &token]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Reading a password from standard input instead.
    let mut child = Command::new(BIN)
        .args([
            "users",
            "create",
            "--email",
            "stdin@example.org",
            "--org",
            "bars union",
            "--role",
            "analyst",
            "--password-stdin",
            "--data-dir",
        ])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"a password from stdin\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("a password from stdin"));

    assert_one_line_error(
        &steward(&dir, &["orgs", "create", "--name", "X", "--kind", "union"]),
        "is not an organisation kind",
    );
    assert_one_line_error(
        &steward(&dir, &["users", "create", "--email", "x@example.org", "--org", "Nobody", "--role", "viewer"]),
        "no organisation named 'Nobody'",
    );
    assert_one_line_error(
        &steward(
            &dir,
            &["users", "create", "--email", "bars.viewer@example.org", "--org", "Bars Union", "--role", "viewer"],
        ),
        "already exists",
    );
    assert_one_line_error(
        &steward(&dir, &["users", "create", "--email", "y@example.org", "--org", "Bars Union", "--role", "root"]),
        "is not a role",
    );
    assert_one_line_error(&steward(&dir, &["tokens", "create", "--email", "nobody@example.org"]), "no user");
    let o = steward(&dir, &["demo", "load"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("6 organisations, 7 users and 12 cases added"), "{}", stdout(&o));
    let again = steward(&dir, &["demo", "load"]);
    assert!(
        stdout(&again).contains("0 organisations, 0 users and 0 cases added"),
        "demo load is idempotent: {}",
        stdout(&again)
    );
    let o = steward(&dir, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_configuration_and_unreachable_databases_fail_in_one_line() {
    let dir = temp_dir();
    assert_one_line_error(
        &steward_url("postgres://postgres@127.0.0.1:1/none", &["users", "list"]),
        "could not connect",
    );
    assert_one_line_error(&steward_url("mysql://x/y", &["users", "list"]), "not a database URL");
    let config = dir.join("bad.toml");
    std::fs::write(&config, "bnd = \"x\"\n").unwrap();
    assert_one_line_error(&steward(&dir, &["users", "list", "--config", config.to_str().unwrap()]), "unknown field");
    let o = Command::new(BIN).args(["serve", "--bind", "not-an-address", "--data-dir"]).arg(&dir).output().unwrap();
    assert_one_line_error(&o, "not IP:PORT");
    let o = Command::new(BIN).args(["config", "example"]).output().unwrap();
    assert!(stdout(&o).contains("database_url"));
    let _ = std::fs::remove_dir_all(dir);
}

/// Starts `serve`, waits for it to listen, and returns the process with what it printed.
fn serve(dir: &std::path::Path, port: u16) -> (std::process::Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.starts_with("Steward is serving");
        lines.push(line.trim_end().to_string());
        if done {
            break;
        }
    }
    (child, lines)
}

#[test]
fn the_first_start_creates_one_administrator_and_a_busy_port_is_a_clear_error() {
    let dir = temp_dir();
    let port = free_port();
    let (mut first, lines) = serve(&dir, port);
    assert!(lines.iter().any(|l| l.contains("login:    admin@steward.local")), "{lines:?}");
    let pw_at = lines.iter().position(|l| l.contains("one-time password")).unwrap();
    assert!(lines[pw_at + 1].len() >= 16);

    let busy = Command::new(BIN)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_one_line_error(&busy, "already in use");
    first.kill().unwrap();
    first.wait().unwrap();

    let (mut second, lines) = serve(&dir, free_port());
    assert!(!lines.iter().any(|l| l.contains("one-time password")), "printed once only: {lines:?}");
    second.kill().unwrap();
    second.wait().unwrap();
    let o = steward(&dir, &["users", "list"]);
    assert_eq!(stdout(&o).lines().count(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_catches_a_row_edited_with_the_sqlite3_shell() {
    if !have("sqlite3") {
        eprintln!("SKIPPED: sqlite3 is not installed (apt-get install sqlite3)");
        return;
    }
    let dir = temp_dir();
    steward(&dir, &["orgs", "create", "--name", "Bars Union", "--kind", "workers"]);
    steward(&dir, &["orgs", "create", "--name", "Acme", "--kind", "company"]);
    assert!(steward(&dir, &["audit", "verify"]).status.success());
    let db = dir.join("steward.db");
    let edit = Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE audit_log SET summary = replace(summary, 'Acme', 'Acne') WHERE seq = 2")
        .output()
        .unwrap();
    assert!(edit.status.success(), "{}", stderr(&edit));
    let o = steward(&dir, &["audit", "verify"]);
    assert_one_line_error(&o, "entry 2");
    let _ = std::fs::remove_dir_all(&dir);

    // Deleting the newest entry is caught too.
    let dir = temp_dir();
    steward(&dir, &["orgs", "create", "--name", "Bars Union", "--kind", "workers"]);
    steward(&dir, &["orgs", "create", "--name", "Acme", "--kind", "company"]);
    Command::new("sqlite3").arg(dir.join("steward.db")).arg("DELETE FROM audit_log WHERE seq = 2").output().unwrap();
    assert_one_line_error(&steward(&dir, &["audit", "verify"]), "removed");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn audit_verify_catches_a_row_edited_with_psql() {
    let Some(base) = steward_store::testing::postgres_url() else { return };
    if !have("psql") {
        eprintln!("SKIPPED: psql is not installed");
        return;
    }
    let schema = format!("cli_{}", std::process::id());
    let run = |sql: &str| Command::new("psql").arg(&base).args(["-qc", sql]).output().unwrap();
    run(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"));
    let url = format!("{base}?options=-c%20search_path%3D{schema}");
    assert!(steward_url(&url, &["orgs", "create", "--name", "Bars Union", "--kind", "workers"]).status.success());
    assert!(steward_url(&url, &["orgs", "create", "--name", "Acme", "--kind", "company"]).status.success());
    assert!(steward_url(&url, &["audit", "verify"]).status.success());
    let edit = run(&format!("UPDATE {schema}.audit_log SET actor = 'someone else' WHERE seq = 1"));
    assert!(edit.status.success(), "{}", stderr(&edit));
    assert_one_line_error(&steward_url(&url, &["audit", "verify"]), "entry 1");
    run(&format!("DROP SCHEMA {schema} CASCADE"));
}

#[test]
fn lists_ship_the_2022_goods_list_import_editions_and_diff_them() {
    let dir = temp_dir();
    let o = steward(&dir, &["lists"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("tvpra@2022-09-28\ttvpra\t467 rows"), "{}", stdout(&o));
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/ilab-tvpra-list/tvpra_goods_2020_edition.csv");
    if !shared.exists() {
        eprintln!("SKIPPED: {} is not available", shared.display());
        return;
    }
    let file = shared.to_str().unwrap();
    let o = steward(&dir, &["lists", "import", "--kind", "tvpra", file, "--published", "2020-09-30"]);
    assert!(stdout(&o).contains("Imported tvpra@2020-09-30 (438 rows)"), "{}{}", stdout(&o), stderr(&o));
    let o = steward(&dir, &["lists", "import", "--kind", "tvpra", file, "--published", "2020-09-30"]);
    assert!(stdout(&o).contains("Already imported"), "re-importing is a no-op: {}", stdout(&o));
    let o = steward(&dir, &["lists", "diff", "tvpra@2020-09-30", "tvpra@2022-09-28"]);
    let out = stdout(&o);
    assert!(out.contains("- Cotton / Uzbekistan (forced labor)"), "{out}");
    assert!(out.contains("Goods and countries added (33)"), "{out}");

    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "good,country,child_labor,forced_labor,forced_child_labor\nCotton,Benin,Yes,No,No\nCocoa,Ghana,Perhaps,No,No\n",
    )
    .unwrap();
    assert_one_line_error(
        &steward(&dir, &["lists", "import", "--kind", "tvpra", bad.to_str().unwrap()]),
        "line 3, field 'child_labor'",
    );
    let o = steward(&dir, &["lists", "editions"]);
    assert_eq!(stdout(&o).lines().count(), 2, "the broken file added nothing");
    assert!(steward(&dir, &["audit", "verify"]).status.success());
    let _ = std::fs::remove_dir_all(dir);
}

/// The official formats: UFLPA Entity List, CBP WROs and Findings, the EO 13126 product list,
/// and FollowTheMoney JSON lines; each becomes an edition, and screening finds their entries.
#[test]
fn official_lists_in_their_own_formats_are_imported_and_screened() {
    let dir = temp_dir();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let uflpa = write(
        "uflpa.csv",
        "Entity,Effective Date,Federal Register Notice\n\"Hoshan Polysilicon Industry Co., Ltd. (also known as Hoshan Silicon) and its subsidiaries\",2023-06-12,88 FR 38080\n\"Lop County Meixin Hair Products Co., Ltd.\",2022-06-21,87 FR 37188\n",
    );
    let wro = write(
        "wro.csv",
        "Entity,Country,Industry,Status,WRO/Finding,Effective Date,Merchandise,Remarks\n\"Quenvale Fishing Co. (a.k.a. Quenvale Marine); Orsk Vessel Holdings\",Taiwan,Fishing,Active,WRO,08/18/2020,Seafood,\n",
    );
    let eo = write("eo13126.csv", "Product,Country\nBricks,Burma\nCotton,Benin\n");
    let ftm = write(
        "entities.ftm.json",
        "{\"id\":\"NK-1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Zhetysu Garment Factory LLP\"],\"country\":[\"kz\"]},\"datasets\":[\"test\"]}\n",
    );
    for (kind, file, rows) in [("uflpa", &uflpa, 2), ("wro", &wro, 2), ("eo13126", &eo, 2), ("ftm", &ftm, 1)] {
        let o = steward(&dir, &["lists", "import", "--kind", kind, file, "--published", "2024-01-15"]);
        assert!(
            stdout(&o).contains(&format!("Imported {kind}@2024-01-15 ({rows} rows)")),
            "{kind}: {}{}",
            stdout(&o),
            stderr(&o)
        );
    }
    let o = steward(&dir, &["lists", "import", "--kind", "uflpa", &uflpa, "--published", "2024-01-15"]);
    assert!(stdout(&o).contains("Already imported"), "{}", stdout(&o));
    let broken = write("broken-wro.csv", "Entity,Country\nAcme,Atlantis\n");
    assert_one_line_error(&steward(&dir, &["lists", "import", "--kind", "wro", &broken]), "line 2, field 'Country'");

    let input = write(
        "suppliers.csv",
        "name,country,goods\nHOSHAN SILICON,CN,\nQuenvale Marine,TW,tuna\nZhetysu Garment Factory,KZ,\nYangon Clay Works,Myanmar,bricks\nAcme Apparel,US,\n",
    );
    let out = dir.join("out.csv");
    let o = steward(&dir, &["screen", &input, "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let verdict: Vec<(&str, &str)> = rows.iter().map(|r| (r.get(3).unwrap(), r.get(5).unwrap())).collect();
    assert_eq!(
        verdict,
        [("match", "uflpa"), ("match", "wro"), ("match", "ftm"), ("review", ""), ("clear", "")],
        "{rows:?}"
    );
    assert!(rows[3].get(8).unwrap().contains("Bricks from MM"), "EO 13126 goods risk: {:?}", rows[3]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn compare_explains_a_pair_and_scores_a_file_of_pairs() {
    let dir = temp_dir();
    let o = steward(
        &dir,
        &[
            "compare",
            "--schema",
            "Company",
            "Hoshan Polysilicon Industry Co., Ltd",
            "HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["score"].as_f64().unwrap() >= 0.9, "{v}");
    assert_eq!(v["explanation"]["legal_forms"][1][0], "co ltd");
    let pairs = dir.join("pairs.csv");
    std::fs::write(
        &pairs,
        "schema,name1,name2,note\nCompany,Acme Ltd,ACME LIMITED,x\nPerson,John Smith,Jane Smith,y\n",
    )
    .unwrap();
    let out = dir.join("scored.csv");
    let o = steward(&dir, &["compare", "--pairs", pairs.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "schema,name1,name2,note,score,match");
    assert!(lines[1].ends_with(",x,1.000,true") && lines[2].ends_with(",false"), "{text}");
    std::fs::write(&pairs, "schema,name1,name2\nRobot,a,b\n").unwrap();
    assert_one_line_error(&steward(&dir, &["compare", "--pairs", pairs.to_str().unwrap()]), "line 2, field 'schema'");

    let list = dir.join("list.csv");
    std::fs::write(&list, "name,aliases,country\nXinjiang Lianchuang Cotton Textile Co. Ltd.,XJ Lianchuang Cotton;新疆联创棉纺织有限公司,CN\n").unwrap();
    let o = steward(&dir, &["lists", "import", "--kind", "csv", list.to_str().unwrap(), "--name", "check-list"]);
    assert!(stdout(&o).contains("Imported check-list@"), "{}{}", stdout(&o), stderr(&o));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn screen_keeps_every_row_and_explains_each_verdict() {
    let dir = temp_dir();
    let list = dir.join("list.csv");
    std::fs::write(&list, "name,aliases,country\nHoshan Polysilicon Industry Co. Ltd.,Hoshan Silicon,CN\n").unwrap();
    assert!(steward(&dir, &["lists", "import", "--kind", "csv", list.to_str().unwrap(), "--name", "check-list"])
        .status
        .success());
    let input = dir.join("in.csv");
    // Windows-1252 with semicolons, as a spreadsheet might save it.
    std::fs::write(
        &input,
        b"name;country;goods\nHOSHAN POLYSILICON INDUSTRY COMPANY LIMITED;CN;\nAcme Apparel;US;\nF\xe1brica Algod\xf3n;China;cotton yarn\nrow;with;too;many\n;;\n",
    )
    .unwrap();
    let out = dir.join("out.csv");
    let o = steward(&dir, &["screen", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Screened 5 rows") && stderr(&o).contains("1 match"), "{}", stderr(&o));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers[..3], ["name", "country", "goods"]);
    assert_eq!(
        headers[3..],
        [
            "steward_status",
            "steward_score",
            "steward_list",
            "steward_entity_id",
            "steward_entity_name",
            "steward_goods_risk",
            "steward_reason"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let status: Vec<&str> = rows.iter().map(|r| r.get(3).unwrap()).collect();
    assert_eq!(status, ["match", "clear", "review", "error", "error"]);
    assert_eq!(rows[0].get(7), Some("Hoshan Polysilicon Industry Co. Ltd."));
    assert_eq!(rows[2].get(0), Some("Fábrica Algodón"), "the input's encoding is read, and the row kept as it was");
    assert!(rows[2].get(8).unwrap().contains("Cotton from CN"), "goods risk: {:?}", rows[2]);
    assert!(rows[3].get(9).unwrap().contains("has 4 fields but the header has 3"));
    let o = steward(&dir, &["screen", input.to_str().unwrap(), "--lists", "nothing"]);
    assert_one_line_error(&o, "no list named 'nothing'");
    let _ = std::fs::remove_dir_all(dir);
}

/// A file longer than the part read to judge its encoding, and than one batch of rows: UTF-16
/// with a byte-order mark and tabs, as Excel's "Unicode text" writes it. Every row comes back,
/// in order, decoded, however far into the file it was.
#[test]
fn screen_streams_long_files_in_any_encoding() {
    let dir = temp_dir();
    let list = dir.join("list.csv");
    std::fs::write(&list, "name,aliases,country\nHoshan Polysilicon Industry Co. Ltd.,Hoshan Silicon,CN\n").unwrap();
    assert!(steward(&dir, &["lists", "import", "--kind", "csv", list.to_str().unwrap(), "--name", "check-list"])
        .status
        .success());
    let rows = 30_000;
    let mut text = String::from("Supplier\tCountry\tReference\n");
    for i in 0..rows {
        let name = if i == rows - 1 {
            "HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED".to_string()
        } else {
            format!("Fábrica Número {i}")
        };
        text.push_str(&format!("{name}\tCN\tPO-{i}\n"));
    }
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert!(bytes.len() > 1 << 20, "the file must outgrow the encoding sample");
    let input = dir.join("unicode.txt");
    std::fs::write(&input, bytes).unwrap();
    let out = dir.join("out.csv");
    let o = steward(&dir, &["screen", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("Screened {rows} rows")) && stderr(&o).contains("UTF-16LE"), "{}", stderr(&o));
    let back: Vec<csv::StringRecord> = csv::Reader::from_path(&out).unwrap().records().map(Result::unwrap).collect();
    assert_eq!(back.len(), rows);
    for (i, row) in back.iter().enumerate().take(rows - 1) {
        assert_eq!(
            (row.get(0), row.get(2)),
            (Some(format!("Fábrica Número {i}").as_str()), Some(format!("PO-{i}").as_str()))
        );
    }
    assert_eq!(back[rows - 1].get(3), Some("match"), "{:?}", back[rows - 1]);
    let _ = std::fs::remove_dir_all(dir);
}

/// A spreadsheet in, a spreadsheet out: the first worksheet's rows screened, numbers kept as
/// people see them (an HS code stays 520100), every row back with the steward_* columns.
#[test]
fn screen_reads_and_writes_xlsx() {
    use steward_server::sheets::{to_xlsx, Sheet};
    let dir = temp_dir();
    let list = dir.join("list.csv");
    std::fs::write(&list, "name,aliases,country\nHoshan Polysilicon Industry Co. Ltd.,Hoshan Silicon,CN\n").unwrap();
    assert!(steward(&dir, &["lists", "import", "--kind", "csv", list.to_str().unwrap(), "--name", "check-list"])
        .status
        .success());
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let input = Sheet {
        name: "Suppliers".into(),
        header: row(&["Supplier Name", "Country of Origin", "HS code", "Product description"]),
        rows: vec![
            row(&["HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED", "China", "280461", "polysilicon"]),
            row(&["Acme Apparel", "US", "610910", "t-shirts"]),
            row(&["", "", "", ""]),
            row(&["Xinjiang Cotton Yarn Mill", "CN", "520100", "cotton yarn"]),
        ],
    };
    let path = dir.join("suppliers.xlsx");
    std::fs::write(&path, to_xlsx(&[input]).unwrap()).unwrap();
    let out = dir.join("screened.xlsx");
    let o = steward(&dir, &["screen", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Screened 4 rows") && stderr(&o).contains("worksheet 'Suppliers'"), "{}", stderr(&o));
    let table = steward_screen::sheet::read(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(table.headers[..4], ["Supplier Name", "Country of Origin", "HS code", "Product description"]);
    assert_eq!(table.headers[4], "steward_status");
    let status: Vec<&str> = table.rows.iter().map(|(_, r)| r[4].as_str()).collect();
    assert_eq!(status, ["match", "clear", "error", "review"], "{:?}", table.rows);
    assert_eq!(table.rows[3].1[2], "520100", "codes come back as they went in");
    assert!(table.rows[3].1[9].contains("Cotton"), "goods risk from the List of Goods: {:?}", table.rows[3].1);
    assert!(table.rows[2].1[10].contains("row 4 has no name"), "the blank row is reported by its row number");
    let bad = dir.join("not-a-sheet.xlsx");
    std::fs::write(&bad, b"this is not a zip").unwrap();
    let o = steward(&dir, &["screen", bad.to_str().unwrap()]);
    assert_one_line_error(&o, "not a spreadsheet Steward can read");
    let _ = std::fs::remove_dir_all(dir);
}

/// Two `steward serve` processes on one PostgreSQL database behave as one service: data written
/// through one is read through the other, and a session begun on one is valid on the other.
#[test]
fn two_serve_processes_on_one_postgres_database_are_one_service() {
    let Some(base) = steward_store::testing::postgres_url() else { return };
    if !have("psql") || !have("curl") {
        eprintln!("SKIPPED: psql and curl are needed for the two-process test");
        return;
    }
    let schema = format!("two_{}", std::process::id());
    Command::new("psql")
        .arg(&base)
        .args(["-qc", &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")])
        .output()
        .unwrap();
    let url = format!("{base}?options=-c%20search_path%3D{schema}");
    // One key file for both, as an operator would deploy it (the first start makes it).
    let key_file = key_file_for(&url);
    let start = |port: u16| {
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--database-url", &url, "--key-file", &key_file])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap() == 0 || line.starts_with("Steward is serving") {
                break;
            }
            lines.push(line.trim().to_string());
        }
        (child, lines)
    };
    let (pa, pb) = (free_port(), free_port());
    let (mut a, lines) = start(pa);
    let (mut b, _) = start(pb);
    let password = lines
        .iter()
        .position(|l| l.contains("one-time password"))
        .map(|i| lines[i + 1].clone())
        .expect("first start prints a password");
    let curl = |args: &[&str]| {
        let o = Command::new("curl").args(["-s", "-o", "-", "-w", "\n%{http_code}"]).args(args).output().unwrap();
        let text = stdout(&o);
        let (body, code) = text.rsplit_once('\n').unwrap();
        (body.to_string(), code.to_string())
    };
    let token = last_line(&steward_url(&url, &["tokens", "create", "--email", "admin@steward.local"]));
    let auth = format!("Authorization: Bearer {token}");
    let (_, code) = curl(&[
        "-X",
        "POST",
        "-H",
        &auth,
        "-H",
        "Content-Type: application/json",
        "-d",
        r#"{"name":"Bars Union","kind":"workers"}"#,
        &format!("http://127.0.0.1:{pa}/api/v1/orgs"),
    ]);
    assert_eq!(code, "201");
    let (body, _) = curl(&["-H", &auth, &format!("http://127.0.0.1:{pb}/api/v1/orgs")]);
    assert!(body.contains("Bars Union"), "written through A, read through B: {body}");

    let jar = temp_dir().join("jar");
    let jar = jar.to_str().unwrap();
    let (page, _) = curl(&["-c", jar, &format!("http://127.0.0.1:{pa}/login")]);
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let (_, code) = curl(&[
        "-b",
        jar,
        "-c",
        jar,
        "--data-urlencode",
        "email=admin@steward.local",
        "--data-urlencode",
        &format!("password={password}"),
        "--data-urlencode",
        &format!("csrf={csrf}"),
        &format!("http://127.0.0.1:{pa}/login"),
    ]);
    assert_eq!(code, "303", "signed in on A");
    let (page, code) = curl(&["-b", jar, &format!("http://127.0.0.1:{pb}/account/password")]);
    assert_eq!(code, "200", "the session from A is valid on B");
    assert!(page.contains("Choose your password"));
    let _ = (a.kill(), b.kill(), a.wait(), b.wait());
    Command::new("psql").arg(&base).args(["-qc", &format!("DROP SCHEMA {schema} CASCADE")]).output().unwrap();
}

/// The encryption keys: made once beside the embedded database, owner-only, checked against the
/// database on every start, never silently replaced, and rotated by `steward keys rotate`.
#[test]
fn keys_are_made_once_checked_against_the_database_and_rotated() {
    let dir = temp_dir();
    assert!(steward(&dir, &["orgs", "create", "--name", "Bars Union", "--kind", "workers"]).status.success());
    let key = dir.join("steward.key");
    let first = std::fs::read_to_string(&key).unwrap();
    assert!(first.contains("steward-key 1 "), "{first}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let o = steward(&dir, &["keys", "rotate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("retired key(s) [1]"), "{}", stdout(&o));
    let second = std::fs::read_to_string(&key).unwrap();
    assert!(second.contains("steward-key 2 ") && !second.contains("steward-key 1 "), "{second}");
    assert!(steward(&dir, &["orgs", "list"]).status.success(), "the rotated key opens the database");

    let elsewhere = temp_dir();
    assert!(steward(&elsewhere, &["orgs", "list"]).status.success());
    let o = Command::new(BIN)
        .args(["orgs", "list", "--data-dir"])
        .arg(&dir)
        .arg("--key-file")
        .arg(elsewhere.join("steward.key"))
        .output()
        .unwrap();
    assert_one_line_error(&o, "not this database's keys");
    std::fs::remove_file(&key).unwrap();
    assert_one_line_error(&steward(&dir, &["orgs", "list"]), "is missing");
    assert!(!key.exists(), "a lost key is never replaced by a new one");
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(elsewhere);
}

/// The case-work benchmark runs end to end on a scratch database of its own, leaving the
/// configured one untouched, and says plainly when its comparison cannot run.
#[test]
fn the_case_work_benchmark_runs_on_a_scratch_database() {
    let dir = temp_dir();
    let o = steward(&dir, &["bench", "cases", "--cases", "12", "--rounds", "1", "--python", "/nonexistent/python"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("12 cases") && out.contains("record a case") && out.contains("(1 found)"), "{out}");
    assert!(out.contains("not run: could not run /nonexistent/python"), "{out}");
    assert!(!dir.join("steward-data").exists(), "the configured database is not created");
    let _ = std::fs::remove_dir_all(dir);
}
