//! Sources and attachments: sealed at rest, readable by the case's readers only, deleted softly,
//! every download audited.

use crate::cases::{new_case, raw_dump, world};
use steward_core::audit::Actor;
use steward_core::case::Visibility;
use steward_core::source::{Credibility, NewAttachment, NewSource, Reliability, SourceChannel};
use steward_store::testing;
use steward_store::StoreError;

const REPORTER: &str = "Ilvaro Pestrunk";
const NOTES: &str = "Saw the Zentrava convoy at the gate";
const FILE_TEXT: &str = "Witness statement of Morvenna Quill, 3 May";

#[tokio::test]
async fn sources_and_files_are_sealed_and_only_for_the_cases_readers() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Shared", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let new = NewSource::new(
            Some(REPORTER),
            SourceChannel::Messaging,
            Some(time::macros::date!(2026 - 11 - 20)),
            Reliability::B,
            Credibility::ProbablyTrue,
            Some(NOTES),
        )
        .unwrap();
        let source = s.add_source(&actor, &w.partner, case.id, new.clone()).await.unwrap();
        let err = s.add_source(&actor, &w.stranger, case.id, new).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{}: {err}", db.backend);
        let listed = s.sources_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(listed, vec![source.clone()], "{}", db.backend);

        let file = NewAttachment::new("statement.txt", FILE_TEXT.as_bytes().to_vec()).unwrap();
        let sha = file.sha256.clone();
        let att = s.add_attachment(&actor, &w.owner, case.id, Some(&source.id), file.clone()).await.unwrap();
        let wrong = s.add_attachment(&actor, &w.owner, case.id, Some("no-such-source"), file.clone()).await;
        assert!(matches!(wrong, Err(StoreError::Invalid(_))), "{}", db.backend);
        let described = s.attachments_for(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(described.len(), 1);
        assert_eq!((described[0].sha256.as_str(), described[0].size), (sha.as_str(), FILE_TEXT.len() as u64));
        let (_, bytes) = s.attachment_content(&Actor::cli(), &w.partner, case.id, &att.id).await.unwrap();
        assert_eq!(bytes, FILE_TEXT.as_bytes());
        let hidden = s.attachment_content(&Actor::cli(), &w.stranger, case.id, &att.id).await.unwrap_err();
        assert!(matches!(hidden, StoreError::NotFound { .. }), "{}", db.backend);
        let trail = s.case_audit(&case.id.to_string()).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "download attachment"), "{}: downloads are audited", db.backend);

        // Only the owning organisation deletes, and deletion is soft and counted.
        let refused = s.delete_attachment(&actor, &w.partner, case.id, &att.id, "duplicate").await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: {refused}", db.backend);
        s.delete_attachment(&actor, &w.owner, case.id, &att.id, "duplicate upload").await.unwrap();
        s.delete_source(&actor, &w.owner, case.id, &source.id, "entered twice").await.unwrap();
        assert!(s.attachments_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap().is_empty());
        assert!(s.sources_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap().is_empty());
        let gone = s.attachment_content(&Actor::cli(), &w.owner, case.id, &att.id).await.unwrap_err();
        assert!(matches!(gone, StoreError::NotFound { .. }), "{}", db.backend);
        assert_eq!(s.deleted_counts(&w.owner, case.id).await.unwrap(), [0, 1, 1, 0], "{}", db.backend);

        s.audit_case_export(&actor, &w.owner, case.id, serde_json::json!({"export": "evidence"})).await.unwrap();
        let err = s.audit_case_export(&actor, &w.stranger, case.id, serde_json::json!({})).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
        assert!(s.verify_audit().await.unwrap().broken.is_none());

        let raw = raw_dump(&db).await;
        for secret in [REPORTER, NOTES, "Morvenna", "statement.txt", sha.as_str()] {
            assert!(!raw.contains(secret), "{}: '{secret}' is readable at rest", db.backend);
        }
        db.drop_db().await;
    }
}
