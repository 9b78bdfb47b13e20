//! Public highlights show only approved words while consent stands, and vanish at once when it
//! is withdrawn or the case is deleted.

use crate::cases::{new_case, raw_dump, world};
use steward_core::audit::Actor;
use steward_core::case::Visibility;
use steward_core::highlight::{ConsentFrom, NewHighlight};
use steward_store::testing;
use steward_store::StoreError;
use time::macros::date;

#[tokio::test]
async fn highlights_need_consent_and_withdrawal_takes_them_down_at_once() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Secret", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let story = |title: &str| {
            NewHighlight::new(
                ConsentFrom::Person,
                "Orsolya Benkt, by phone",
                date!(2026 - 11 - 20),
                title,
                "A union leader was detained for organising; released after an international campaign.",
                date!(2026 - 11 - 23),
            )
            .unwrap()
        };
        let refused = s.publish_highlight(&actor, &w.partner, case.id, story("Freed")).await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: only the owning organisation publishes", db.backend);
        let hidden = s.publish_highlight(&actor, &w.stranger, case.id, story("Freed")).await.unwrap_err();
        assert!(matches!(hidden, StoreError::NotFound { .. }), "{}", db.backend);
        assert!(s.public_highlights().await.unwrap().is_empty());

        s.publish_highlight(&actor, &w.owner, case.id, story("Union leader freed")).await.unwrap();
        let public = s.public_highlights().await.unwrap();
        assert_eq!(public.len(), 1);
        assert_eq!((public[0].title.as_str(), public[0].country.as_deref()), ("Union leader freed", Some("KH")));
        // Publishing again replaces the earlier text.
        s.publish_highlight(&actor, &w.owner, case.id, story("Union leader released")).await.unwrap();
        let public = s.public_highlights().await.unwrap();
        assert_eq!(public.len(), 1, "{}", db.backend);
        assert_eq!(public[0].title, "Union leader released");
        let history = s.highlights_of(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].consent_by, "Orsolya Benkt, by phone");

        s.withdraw_highlight(&actor, &w.owner, case.id, "The family asked us to take it down").await.unwrap();
        assert!(s.public_highlights().await.unwrap().is_empty(), "{}: withdrawal is immediate", db.backend);
        let again = s.withdraw_highlight(&actor, &w.owner, case.id, "again").await.unwrap_err();
        assert!(matches!(again, StoreError::NotFound { .. }));

        s.publish_highlight(&actor, &w.owner, case.id, story("Union leader released")).await.unwrap();
        s.delete_case(&actor, &w.owner, case.id, "opened twice").await.unwrap();
        assert!(s.public_highlights().await.unwrap().is_empty(), "{}: a deleted case shows nothing", db.backend);

        let raw = raw_dump(&db).await;
        assert!(!raw.contains("Orsolya Benkt") && !raw.contains("family asked"), "{}: sealed at rest", db.backend);
        db.drop_db().await;
    }
}
