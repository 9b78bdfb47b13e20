//! Reports count only what the reader may see, hide small counts everywhere (JSON, page, map,
//! CSV, XLSX), and the XLSX files carry the same cells as the CSV.

use crate::{servers, TestServer};
use calamine::Reader;
use reqwest::header::COOKIE;
use serde_json::{json, Value};
use steward_core::role::Role;

async fn bytes(s: &TestServer, token: &str, path: &str) -> Vec<u8> {
    let r = s.client.get(s.at(path)).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap().to_vec()
}

/// Every row of every worksheet, as text.
fn xlsx_rows(data: Vec<u8>) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(data)).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names().to_vec() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            out.push(row.iter().map(|c| c.to_string()).collect());
        }
    }
    out
}

#[tokio::test]
async fn reports_suppress_small_counts_everywhere_and_exports_agree() {
    for s in servers().await {
        let owner = s.user("owner@alpha.example", Role::Coordinator, "Alpha Federation").await;
        let stranger = s.user("s@gamma.example", Role::Analyst, "Gamma Ministry").await;
        let (t, st) = (s.token(&owner).await, s.token(&stranger).await);
        for (i, country) in ["KH", "KH", "KH", "KH", "KH", "KH", "GT"].iter().enumerate() {
            let body = json!({"title": format!("Case Zorbel {i}"), "summary": "s", "country": country, "risk": "liberty",
                "visibility": "internal", "people": [{"name": format!("Person Zorbel {i}")}]});
            let r = s.client.post(s.at("/api/v1/cases")).bearer_auth(&t).json(&body).send().await.unwrap();
            let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
            let edit = json!({"sector": "Garments"});
            s.client.patch(s.at(&format!("/api/v1/cases/{id}"))).bearer_auth(&t).json(&edit).send().await.unwrap();
            let incident = json!({"kind": "arbitrary arrest", "perpetrator": "police"});
            let r = s.client.post(s.at(&format!("/api/v1/cases/{id}/incidents"))).bearer_auth(&t).json(&incident);
            assert_eq!(r.send().await.unwrap().status(), 201);
        }
        let r: Value = serde_json::from_slice(&bytes(&s, &t, "/api/v1/reports/cases").await).unwrap();
        assert_eq!(r["cases"], 7, "{}", s.backend());
        assert_eq!(r["min_count"], 5);
        let country = r["tables"].as_array().unwrap().iter().find(|t| t["dimension"] == "country").unwrap();
        // GT's single case is hidden; alone it could be worked out from the total, so KH is too.
        assert!(!country.to_string().contains("GT") && !country.to_string().contains("Guatemala"), "{country}");
        let sector = r["tables"].as_array().unwrap().iter().find(|t| t["dimension"] == "sector").unwrap();
        assert_eq!(sector["rows"][0], json!({"key": "garments", "label": "garments", "cases": 7}));
        let perpetrator = r["tables"].as_array().unwrap().iter().find(|t| t["dimension"] == "perpetrator").unwrap();
        assert_eq!(perpetrator["rows"][0]["cases"], 7);
        assert!(r["median_hours_to_acknowledge"].is_number(), "seven cases acknowledged by their edits");

        let csv = String::from_utf8(bytes(&s, &t, "/api/v1/reports/cases.csv").await).unwrap();
        let xlsx = xlsx_rows(bytes(&s, &t, "/api/v1/reports/cases.xlsx").await);
        let mut csv_rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let header = vec!["table".to_string(), "key".into(), "label".into(), "cases".into()];
        let mut xlsx_body: Vec<Vec<String>> = xlsx.into_iter().filter(|r| *r != header).collect();
        csv_rows.sort();
        xlsx_body.sort();
        assert_eq!(csv_rows, xlsx_body, "{}: the XLSX holds exactly the CSV's cells", s.backend());
        assert!(!csv.contains("GT"), "{}", s.backend());

        let cases = xlsx_rows(bytes(&s, &t, "/api/v1/cases/export.xlsx").await);
        assert_eq!(cases.len(), 8, "{}: a header and seven cases", s.backend());
        assert!(cases.iter().any(|row| row.iter().any(|c| c.contains("Person Zorbel 3"))));
        let theirs = xlsx_rows(bytes(&s, &st, "/api/v1/cases/export.xlsx").await);
        assert_eq!(theirs.len(), 1, "{}: strangers get the header only", s.backend());
        let theirs: Value = serde_json::from_slice(&bytes(&s, &st, "/api/v1/reports/cases").await).unwrap();
        assert_eq!(theirs["cases"], 0, "{}", s.backend());
        assert!(!theirs.to_string().contains("garments"));

        let cookie = s.sign_in("owner@alpha.example", crate::PASSWORD).await.unwrap();
        let page = s.client.get(s.at("/reports")).header(COOKIE, &cookie).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<svg") && page.contains("Cases by type of incident"), "{}", s.backend());
        assert!(
            !page.contains("Guatemala") && !page.contains("Cambodia: "),
            "{}: the map shows no hidden count",
            s.backend()
        );
        s.stop().await;
    }
}
