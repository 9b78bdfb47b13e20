//! Working a case: triage and edits with a sealed history, incidents, actions, soft deletion and
//! the response clocks' setting, on both backends.

use crate::cases::{new_case, raw_dump, world};
use steward_core::action::{ActionProgress, ActionStatus, ActionType};
use steward_core::audit::Actor;
use steward_core::case::{CaseStatus, CaseUpdate, Risk, Urgency, Visibility};
use steward_core::incident::{IncidentType, NewIncident, PerpetratorType};
use steward_core::response::ResponseClocks;
use steward_store::testing;
use steward_store::{ActionDraft, StoreError};

const PERPETRATOR: &str = "Commander Yslevatrik";
const OUTCOME: &str = "Released on bail after the Oskarveld hearing";

fn draft(kind: ActionType, owner_org: steward_core::ids::OrgId, status: ActionStatus) -> ActionDraft {
    ActionDraft { kind, owner_org, owner_user: None, status, due: None, description: Some("Call the embassy".into()) }
}

#[tokio::test]
async fn triage_is_the_owning_organisations_and_every_edit_is_kept_sealed() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Old title", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        assert!(case.acknowledged_at.is_none());
        let triage = CaseUpdate {
            status: Some(CaseStatus::Triaged),
            urgency: Some(Urgency::Immediate),
            risk: Some(Risk::Life),
            assignee: Some(Some(w.colleague.user)),
            title: Some("New title".into()),
            ..Default::default()
        };
        let refused = s.update_case(&actor, &w.partner, case.id, triage.clone()).await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: partners do not triage: {refused}", db.backend);
        let stranger = s.update_case(&actor, &w.stranger, case.id, triage.clone()).await.unwrap_err();
        assert!(matches!(stranger, StoreError::NotFound { .. }), "{}: {stranger}", db.backend);

        let updated = s.update_case(&actor, &w.owner, case.id, triage).await.unwrap();
        assert_eq!(
            (updated.status, updated.risk, updated.urgency),
            (CaseStatus::Triaged, Risk::Life, Some(Urgency::Immediate))
        );
        let stored = s.case_for(&actor, &w.colleague, case.id).await.unwrap();
        assert_eq!(stored.title, "New title");
        assert_eq!(stored.assignee, Some(w.colleague.user));
        assert!(stored.acknowledged_at.is_some(), "{}: triage acknowledges", db.backend);

        let backwards = CaseUpdate { status: Some(CaseStatus::New), ..Default::default() };
        let err = s.update_case(&actor, &w.owner, case.id, backwards).await.unwrap_err();
        assert!(err.to_string().contains("cannot go from 'triaged' to 'new'"), "{}: {err}", db.backend);
        let outsider = CaseUpdate { assignee: Some(Some(w.stranger.user)), ..Default::default() };
        let err = s.update_case(&actor, &w.owner, case.id, outsider).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{}: assignees must see the case: {err}", db.backend);

        let history = s.case_history(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        let title = history.iter().find(|r| r.field == "title").unwrap();
        assert_eq!((title.before.as_deref(), title.after.as_deref()), (Some("Old title"), Some("New title")));
        assert!(history.iter().any(|r| r.field == "status" && r.after.as_deref() == Some("triaged")));
        assert!(crate::opened(s, &w.stranger, case.id).await.is_err());
        let raw = raw_dump(&db).await;
        assert!(!raw.contains("Old title") && !raw.contains("New title"), "{}: history is sealed", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn incidents_and_actions_follow_the_case_and_stop_its_clocks() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Arrest", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let incident = NewIncident::new(
            IncidentType::ArbitraryArrest,
            Some("2026-11-22"),
            None,
            Some("Central police station"),
            Some(PerpetratorType::Police),
            &[PERPETRATOR.to_string()],
            Some("Taken at midnight"),
            &[0],
            case.people.len(),
        )
        .unwrap();
        let added = s.add_incident(&actor, &w.partner, case.id, incident.clone()).await.unwrap();
        assert!(s.add_incident(&actor, &w.stranger, case.id, incident).await.is_err());
        let seen = s.incidents_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].perpetrator_names, vec![PERPETRATOR]);
        assert_eq!(seen[0].date.unwrap().to_string(), "2026-11-22");
        assert!(matches!(crate::opened(s, &w.stranger, case.id).await, Err(StoreError::NotFound { .. })));

        // Work by a partner neither acknowledges the case nor, while only proposed, starts the response.
        let proposed = s
            .add_action(
                &actor,
                &w.partner,
                case.id,
                draft(ActionType::JointStatement, w.partner.org, ActionStatus::Proposed),
            )
            .await
            .unwrap();
        let after = s.case_for(&actor, &w.owner, case.id).await.unwrap();
        assert!(after.acknowledged_at.is_none() && after.first_action_at.is_none(), "{}", db.backend);
        let elsewhere = draft(ActionType::LegalAid, w.stranger.org, ActionStatus::Proposed);
        let err = s.add_action(&actor, &w.owner, case.id, elsewhere).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{}: an unshared org cannot own an action: {err}", db.backend);

        let ours = s
            .add_action(&actor, &w.owner, case.id, draft(ActionType::LegalAid, w.owner.org, ActionStatus::InProgress))
            .await
            .unwrap();
        let after = s.case_for(&actor, &w.owner, case.id).await.unwrap();
        assert!(after.acknowledged_at.is_some() && after.first_action_at.is_some(), "{}", db.backend);

        let done = ActionProgress::new(ActionStatus::Done, Some(OUTCOME), None).unwrap();
        let err = s.progress_action(&actor, &w.partner, case.id, &ours.id, done.clone()).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{}: not the partner's action: {err}", db.backend);
        let approved = ActionProgress::new(ActionStatus::Approved, None, None).unwrap();
        s.progress_action(&actor, &w.partner, case.id, &proposed.id, approved.clone()).await.unwrap();
        let err = s.progress_action(&actor, &w.partner, case.id, &proposed.id, approved).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{}: {err}", db.backend);
        let finished = s.progress_action(&actor, &w.owner, case.id, &ours.id, done).await.unwrap();
        assert_eq!((finished.status, finished.outcome.as_deref()), (ActionStatus::Done, Some(OUTCOME)));

        assert!(matches!(
            s.delete_action(&actor, &w.partner, case.id, &proposed.id, "duplicate").await,
            Err(StoreError::Refused(_))
        ));
        s.delete_action(&actor, &w.owner, case.id, &proposed.id, "duplicate of the coalition's").await.unwrap();
        s.delete_incident(&actor, &w.owner, case.id, &added.id, "entered twice").await.unwrap();
        let actions = s.actions_for(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(actions.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), vec![ours.id.as_str()]);
        assert!(s.incidents_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap().is_empty());

        let raw = raw_dump(&db).await;
        for needle in
            [PERPETRATOR, "Yslevatrik", OUTCOME, "Oskarveld", "Central police", "Taken at midnight", "entered twice"]
        {
            assert!(!raw.contains(needle), "{}: '{needle}' is readable at rest", db.backend);
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn a_deleted_case_disappears_but_stays_in_the_database() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s.create_case(&actor, &w.owner, new_case("Gone", Visibility::Internal), &[], &[]).await.unwrap();
        assert!(matches!(s.delete_case(&actor, &w.owner, case.id, " ").await, Err(StoreError::Invalid(_))));
        s.delete_case(&actor, &w.owner, case.id, "reported twice").await.unwrap();
        assert!(s.cases_for(&w.colleague).await.unwrap().is_empty());
        assert!(matches!(s.case_for(&actor, &w.owner, case.id).await, Err(StoreError::NotFound { .. })));
        let trail = s.case_audit(&case.id.to_string()).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "delete"), "{}", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn response_clocks_are_configurable() {
    for db in testing::fresh().await {
        let s = &db.store;
        assert_eq!(s.response_clocks().await.unwrap(), ResponseClocks::default());
        let custom = ResponseClocks::parse("life=30m/12h; other=5d/14d").unwrap();
        s.set_response_clocks(&Actor::cli(), &custom).await.unwrap();
        assert_eq!(s.response_clocks().await.unwrap(), custom, "{}", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn an_alert_merges_into_a_case_its_desk_manages() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Strike", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let alert =
            steward_core::alert::NewAlert::new("Second organiser taken", Some("KH"), Some("Maru Ket"), None).unwrap();
        let receipt = s.create_alert(alert).await.unwrap();
        let queue = s.alerts_for_desk(&actor, w.owner.org).await.unwrap();
        let id = &queue[0].id;
        assert!(
            matches!(s.merge_alert_into_case(&actor, &w.partner, id, case.id).await, Err(StoreError::NotFound { .. })),
            "{}: another desk",
            db.backend
        );
        let merged = s.merge_alert_into_case(&actor, &w.owner, id, case.id).await.unwrap();
        assert!(merged.summary.contains("Second organiser taken") && merged.summary.contains(&receipt.receipt));
        assert_eq!(merged.people.last().map(|p| p.name.as_str()), Some("Maru Ket"));
        assert!(merged.acknowledged_at.is_some());
        let status = s.alert_status(&receipt.receipt, &receipt.passphrase).await.unwrap().unwrap().status;
        assert_eq!(status, steward_core::alert::AlertStatus::Accepted);
        assert!(s.merge_alert_into_case(&actor, &w.owner, id, case.id).await.is_err(), "only once");
        // The sender's later words reach the merged case, for its partners too.
        assert!(s.add_alert_note(&receipt.receipt, &receipt.passphrase, "Moved to Prey Sar").await.unwrap());
        let notes = s.sender_notes(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(notes.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(), ["Moved to Prey Sar"], "{}", db.backend);

        // A dismissed alert the sender writes to again goes back to the queue.
        let again = steward_core::alert::NewAlert::new("Threats at the gate", Some("KH"), None, None).unwrap();
        let receipt = s.create_alert(again).await.unwrap();
        let queued = s.alerts_for_desk(&actor, w.owner.org).await.unwrap();
        s.dismiss_alert(&actor, w.owner.org, &queued[0].id).await.unwrap();
        assert_eq!(s.alerts_waiting(w.owner.org).await.unwrap(), 0);
        assert!(s.add_alert_note(&receipt.receipt, &receipt.passphrase, "They came back armed").await.unwrap());
        assert_eq!(s.alerts_waiting(w.owner.org).await.unwrap(), 1, "{}: back in the queue", db.backend);
        let status = s.alert_status(&receipt.receipt, &receipt.passphrase).await.unwrap().unwrap().status;
        assert_eq!(status, steward_core::alert::AlertStatus::Received);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn joint_statements_are_cosigned_and_frozen_when_published() {
    use steward_core::statement::{Answer, StatementStatus, StatementText};
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s.create_case(&actor, &w.owner, new_case("Arrest", Visibility::Restricted), &[], &[]).await.unwrap();
        let text =
            StatementText::new("Release Vantrel now", "We, the undersigned, call for Vantrel's release.").unwrap();
        let refused = s.draft_statement(&actor, &w.partner, case.id, text.clone(), &[]).await.unwrap_err();
        assert!(matches!(refused, StoreError::NotFound { .. }), "{}: the partner cannot see the case", db.backend);
        let draft = s
            .draft_statement(&actor, &w.owner, case.id, text, &[w.partner.org, w.stranger.org, w.partner.org])
            .await
            .unwrap();
        assert_eq!(draft.invitations.len(), 2, "{}: invited once each", db.backend);

        // Invitees read the statement, not the case; the owner's colleague is not on the case.
        assert_eq!(s.statement_for(&w.partner, &draft.id).await.unwrap().text.title, "Release Vantrel now");
        assert!(s.case_for(&actor, &w.partner, case.id).await.is_err());
        assert!(matches!(s.statement_for(&w.colleague, &draft.id).await, Err(StoreError::NotFound { .. })));
        assert_eq!(s.statements_for(&w.stranger).await.unwrap().len(), 1);

        s.answer_statement(&actor, &w.partner, &draft.id, Answer::Joined).await.unwrap();
        s.answer_statement(&actor, &w.stranger, &draft.id, Answer::Declined).await.unwrap();
        // A changed text puts every answer back to "no answer".
        let edited = StatementText::new("Release Vantrel now", "We call for Vantrel's immediate release.").unwrap();
        let after = s.edit_statement(&actor, &w.owner, &draft.id, edited).await.unwrap();
        assert!(after.invitations.iter().all(|i| i.answer == Answer::NoAnswer), "{}", db.backend);
        assert!(matches!(
            s.edit_statement(&actor, &w.partner, &draft.id, StatementText::new("x", "y").unwrap()).await,
            Err(StoreError::Refused(_))
        ));
        let joined = s.answer_statement(&actor, &w.partner, &draft.id, Answer::Joined).await.unwrap();
        assert!(
            joined.invitations[0].answered_at.is_some() && joined.invitations[0].answered_by == Some(w.partner.user)
        );

        let published = s.publish_statement(&actor, &w.owner, &draft.id).await.unwrap();
        assert_eq!(published.status, StatementStatus::Published);
        assert_eq!(published.signatories, vec![w.owner.org, w.partner.org], "{}", db.backend);
        assert!(
            matches!(
                s.answer_statement(&actor, &w.stranger, &draft.id, Answer::Joined).await,
                Err(StoreError::Refused(_))
            ),
            "{}: frozen",
            db.backend
        );
        assert!(s.edit_statement(&actor, &w.owner, &draft.id, StatementText::new("x", "y").unwrap()).await.is_err());
        let raw = raw_dump(&db).await;
        assert!(!raw.contains("Vantrel"), "{}: statements are sealed at rest", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn access_can_be_widened_and_narrowed_by_the_owning_organisation_only() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case =
            s.create_case(&actor, &w.owner, new_case("Midnight arrest", Visibility::Internal), &[], &[]).await.unwrap();
        assert!(s.case_for(&actor, &w.partner, case.id).await.is_err());
        let refused = s
            .set_case_access(&actor, &w.colleague, case.id, Visibility::Partners, &[], &[w.partner.org])
            .await
            .map(|c| c.visibility);
        // The colleague is a coordinator of the owning organisation: allowed.
        assert_eq!(refused.unwrap(), Visibility::Partners, "{}", db.backend);
        assert!(s.case_for(&actor, &w.partner, case.id).await.is_ok(), "{}: shared with the partner", db.backend);
        let err = s.set_case_access(&actor, &w.partner, case.id, Visibility::Internal, &[], &[]).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{}: partners do not change access: {err}", db.backend);
        // Narrowed to restricted with one named outsider: the one changing it stays named.
        let narrowed = s
            .set_case_access(&actor, &w.owner, case.id, Visibility::Restricted, &[w.member_elsewhere.user], &[])
            .await
            .unwrap();
        assert!(narrowed.members.contains(&w.owner.user) && narrowed.members.contains(&w.member_elsewhere.user));
        assert!(s.case_for(&actor, &w.partner, case.id).await.is_err(), "{}: the partner lost sight", db.backend);
        assert!(s.case_for(&actor, &w.colleague, case.id).await.is_err(), "{}: so did the colleague", db.backend);
        assert!(s.case_for(&actor, &w.member_elsewhere, case.id).await.is_ok());
        let history = s.case_history(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(history.iter().filter(|r| r.field == "access").count(), 2, "{}", db.backend);
        assert!(s.verify_audit().await.unwrap().broken.is_none());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn people_at_risk_are_added_and_edited_with_sealed_history() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("People", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let person = steward_core::case::PersonAtRisk {
            name: "Daravuth Kheng".into(),
            other_names: Some("Brother Kheng".into()),
            workplace: Some("Quenliss Apparel factory, Phnom Penh".into()),
            sector: Some("garments".into()),
            country: Some("Cambodia".into()),
            organisation_id: Some(w.partner.org),
            workplace_link: Some(steward_core::case::WorkplaceLink {
                registry: "r-1".into(),
                registry_name: "Suppliers of Yrvelle".into(),
                row: 12,
                supplier: "Quenliss Apparel Co. (Yrvelle unit)".into(),
            }),
            ..Default::default()
        };
        let refused = s.set_person(&actor, &w.partner, case.id, None, person.clone()).await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: partners do not edit people", db.backend);
        let added = s.set_person(&actor, &w.owner, case.id, None, person.clone()).await.unwrap();
        assert_eq!(added.people.len(), 2);
        assert_eq!(added.people[1].country.as_deref(), Some("KH"), "{}: country resolved to its code", db.backend);
        let mut moved = person.clone();
        moved.workplace = Some("Orvane Textiles".into());
        let linked = &added.people[1];
        assert_eq!(linked.organisation_id, Some(w.partner.org), "{}", db.backend);
        assert_eq!(linked.workplace_link.as_ref().map(|l| l.row), Some(12), "{}", db.backend);
        // The registry row is the owner's business: the partner sees the workplace, not the link.
        let seen = s.case_for(&actor, &w.partner, case.id).await.unwrap();
        assert_eq!(seen.people[1].workplace.as_deref(), Some("Quenliss Apparel factory, Phnom Penh"));
        assert_eq!(seen.people[1].workplace_link, None, "{}", db.backend);
        assert_eq!(seen.people[1].organisation_id, Some(w.partner.org), "{}", db.backend);
        moved.workplace_link = None;
        moved.organisation_id = None;
        let edited = s.set_person(&actor, &w.owner, case.id, Some(1), moved).await.unwrap();
        assert_eq!(edited.people[1].workplace.as_deref(), Some("Orvane Textiles"));
        assert_eq!(edited.people[1].workplace_link, None, "{}", db.backend);
        assert_eq!(edited.people[1].organisation_id, None, "{}", db.backend);
        let missing = s.set_person(&actor, &w.owner, case.id, Some(7), person.clone()).await.unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{}", db.backend);
        let history = s.case_history(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        let workplace = history.iter().find(|r| r.field == "workplace").unwrap();
        assert_eq!(workplace.before.as_deref(), Some("Quenliss Apparel factory, Phnom Penh"));
        let raw = raw_dump(&db).await;
        for secret in ["Brother Kheng", "Quenliss", "Orvane", "Yrvelle"] {
            assert!(!raw.contains(secret), "{}: '{secret}' readable at rest", db.backend);
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn incidents_and_sources_are_edited_by_the_owners_with_sealed_history() {
    use steward_core::source::{Credibility, NewSource, Reliability, SourceChannel};
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Edits", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let first = NewIncident::new(
            IncidentType::Threat,
            Some("2026-11"),
            None,
            Some("Union office in Varnholt"),
            Some(PerpetratorType::Unknown),
            &[],
            Some("Anonymous calls"),
            &[0],
            case.people.len(),
        )
        .unwrap();
        let added = s.add_incident(&actor, &w.partner, case.id, first).await.unwrap();
        let corrected = NewIncident::new(
            IncidentType::ArbitraryArrest,
            Some("2026-11-21"),
            None,
            Some("Tessaly district police station"),
            Some(PerpetratorType::Police),
            &["Inspector Quorvane".to_string()],
            Some("Anonymous calls, then arrest at dawn"),
            &[0],
            case.people.len(),
        )
        .unwrap();
        let refused = s.edit_incident(&actor, &w.partner, case.id, &added.id, corrected.clone()).await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: partners add, owners correct", db.backend);
        let hidden = s.edit_incident(&actor, &w.stranger, case.id, &added.id, corrected.clone()).await.unwrap_err();
        assert!(matches!(hidden, StoreError::NotFound { .. }), "{}: {hidden}", db.backend);
        let missing = s.edit_incident(&actor, &w.owner, case.id, "no-such-incident", corrected.clone()).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{}", db.backend);
        let edited = s.edit_incident(&actor, &w.owner, case.id, &added.id, corrected).await.unwrap();
        assert_eq!(edited.kind, IncidentType::ArbitraryArrest);
        let seen = s.incidents_for(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(seen, vec![edited.clone()], "{}: read back as saved", db.backend);

        let source = NewSource::new(
            Some("Brannoc Elspeth"),
            SourceChannel::Messaging,
            None,
            Reliability::F,
            Credibility::CannotBeJudged,
            Some("Heard it from a cousin"),
        )
        .unwrap();
        let recorded = s.add_source(&actor, &w.partner, case.id, source).await.unwrap();
        let better = NewSource::new(
            Some("Brannoc Elspeth"),
            SourceChannel::Messaging,
            Some(time::macros::date!(2026 - 11 - 21)),
            Reliability::B,
            Credibility::ProbablyTrue,
            Some("Saw the arrest from the bakery at Kestrel Lane"),
        )
        .unwrap();
        assert!(s.edit_source(&actor, &w.partner, case.id, &recorded.id, better.clone()).await.is_err());
        let saved = s.edit_source(&actor, &w.owner, case.id, &recorded.id, better).await.unwrap();
        assert_eq!(
            s.sources_for(&crate::opened(s, &w.partner, case.id).await.unwrap()).await.unwrap(),
            vec![saved],
            "{}",
            db.backend
        );

        let history = s.case_history(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        let place = history.iter().find(|r| r.field == "place").unwrap();
        assert_eq!(
            (place.before.as_deref(), place.after.as_deref()),
            (Some("Union office in Varnholt"), Some("Tessaly district police station"))
        );
        assert_eq!(place.record, format!("incident {}", added.id));
        let notes = history.iter().find(|r| r.field == "notes").unwrap();
        assert_eq!(notes.before.as_deref(), Some("Heard it from a cousin"));
        assert!(history.iter().any(|r| r.field == "reliability" && r.after.as_deref() == Some("B")));
        assert!(!history.iter().any(|r| r.field == "victims"), "{}: unchanged fields leave no revision", db.backend);
        assert!(s.verify_audit().await.unwrap().broken.is_none());
        let raw = raw_dump(&db).await;
        for secret in ["Varnholt", "Tessaly", "Quorvane", "Anonymous calls", "cousin", "Kestrel Lane", "Brannoc"] {
            assert!(!raw.contains(secret), "{}: '{secret}' readable at rest", db.backend);
        }
        db.drop_db().await;
    }
}

#[tokio::test]
async fn actions_are_edited_by_the_case_or_the_owner_with_sealed_history() {
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        let case = s
            .create_case(&actor, &w.owner, new_case("Actions", Visibility::Partners), &[], &[w.partner.org])
            .await
            .unwrap();
        let ours = s
            .add_action(&actor, &w.owner, case.id, draft(ActionType::LegalAid, w.owner.org, ActionStatus::Proposed))
            .await
            .unwrap();
        let mut to_partner = draft(ActionType::TrialObservation, w.partner.org, ActionStatus::Proposed);
        to_partner.description = Some("Observe the hearing at the Veldmark court".into());
        to_partner.due = Some(time::macros::date!(2026 - 12 - 01));
        let hidden = s.edit_action(&actor, &w.stranger, case.id, &ours.id, to_partner.clone()).await.unwrap_err();
        assert!(matches!(hidden, StoreError::NotFound { .. }), "{}: {hidden}", db.backend);
        let refused = s.edit_action(&actor, &w.partner, case.id, &ours.id, to_partner.clone()).await.unwrap_err();
        assert!(matches!(refused, StoreError::Refused(_)), "{}: not the partner's action yet", db.backend);
        let elsewhere = draft(ActionType::LegalAid, w.stranger.org, ActionStatus::Proposed);
        let err = s.edit_action(&actor, &w.owner, case.id, &ours.id, elsewhere).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{}: an unshared org cannot own it: {err}", db.backend);
        let edited = s.edit_action(&actor, &w.owner, case.id, &ours.id, to_partner).await.unwrap();
        assert_eq!(
            (edited.kind, edited.owner_org, edited.status),
            (ActionType::TrialObservation, w.partner.org, ActionStatus::Proposed)
        );
        // Now the partner owns it, and may correct it in turn.
        let mut later = draft(ActionType::TrialObservation, w.partner.org, ActionStatus::Proposed);
        later.description = Some("Observe both hearings at the Veldmark court".into());
        s.edit_action(&actor, &w.partner, case.id, &ours.id, later).await.unwrap();
        let listed = s.actions_for(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        assert_eq!(listed[0].description.as_deref(), Some("Observe both hearings at the Veldmark court"));
        let history = s.case_history(&crate::opened(s, &w.owner, case.id).await.unwrap()).await.unwrap();
        assert!(
            history.iter().any(|r| r.field == "kind" && r.before.as_deref() == Some("legal aid")),
            "{}",
            db.backend
        );
        assert!(history.iter().any(|r| r.field == "due" && r.after.as_deref() == Some("2026-12-01")));
        let raw = raw_dump(&db).await;
        assert!(!raw.contains("Veldmark"), "{}: descriptions are sealed", db.backend);
        db.drop_db().await;
    }
}

#[tokio::test]
async fn alerts_invitations_and_work_given_to_someone_reach_them_as_notices() {
    use steward_store::NoticeKind;
    for db in testing::fresh().await {
        let s = &db.store;
        let w = world(s).await;
        let actor = Actor::cli();
        // Accounts made for the test world are told of too; they are looked at below.
        let made = s.notices_for(&w.owner).await.unwrap();
        assert!(made.iter().all(|n| n.kind == NoticeKind::AccountMade) && made.len() == 2, "{made:?}");
        assert!(s.notices_for(&w.admin).await.unwrap().is_empty(), "{}: an admin is no coordinator", db.backend);
        s.mark_notices_read(&w.owner, None).await.unwrap();
        s.mark_notices_read(&w.colleague, None).await.unwrap();
        let kinds = |v: &steward_core::case::Viewer| {
            let v = *v;
            async move {
                let all = s.notices_for(&v).await.unwrap();
                all.into_iter().map(|n| n.kind).filter(|k| *k != NoticeKind::AccountMade).collect::<Vec<_>>()
            }
        };

        // A public alert: the desk's coordinators are told, no one else.
        s.create_alert(steward_core::alert::NewAlert::new("Raid at dawn", None, None, None).unwrap()).await.unwrap();
        assert_eq!(kinds(&w.owner).await, [NoticeKind::Alert], "{}", db.backend);
        assert_eq!(kinds(&w.colleague).await, [NoticeKind::Alert]);
        assert!(kinds(&w.stranger).await.is_empty() && kinds(&w.partner).await.is_empty());

        // A case assigned, and an action given, to a colleague: told to them, not to the one who did it.
        let case = s.create_case(&actor, &w.owner, new_case("Raid", Visibility::Internal), &[], &[]).await.unwrap();
        let assign = CaseUpdate { assignee: Some(Some(w.colleague.user)), ..Default::default() };
        s.update_case(&actor, &w.owner, case.id, assign).await.unwrap();
        let mut action = draft(ActionType::LegalAid, w.owner.org, ActionStatus::Approved);
        action.owner_user = Some(w.colleague.user);
        s.add_action(&actor, &w.owner, case.id, action).await.unwrap();
        assert_eq!(kinds(&w.colleague).await, [NoticeKind::Action, NoticeKind::Assigned, NoticeKind::Alert]);
        assert_eq!(kinds(&w.owner).await, [NoticeKind::Alert], "{}: not told of one's own doing", db.backend);
        let notices = s.notices_for(&w.colleague).await.unwrap();
        assert_eq!(notices[1].link(), format!("/cases/{}", case.id));
        assert_eq!(s.unread_notices(&w.colleague).await.unwrap(), 3);

        // An invitation to co-sign: the invited organisation's coordinators are told.
        let text = steward_core::statement::StatementText::new("Stop the raids", "We call for an end.").unwrap();
        let statement = s.draft_statement(&actor, &w.owner, case.id, text, &[w.stranger.org]).await.unwrap();
        let theirs = s.notices_for(&w.stranger).await.unwrap();
        assert_eq!(theirs.iter().map(|n| n.kind).collect::<Vec<_>>(), [NoticeKind::Statement], "{}", db.backend);
        assert_eq!(theirs[0].link(), format!("/statements/{}", statement.id));

        // Once the case is restricted to its owner, the colleague's notices about it are gone.
        s.set_case_access(&actor, &w.owner, case.id, Visibility::Restricted, &[], &[]).await.unwrap();
        assert_eq!(kinds(&w.colleague).await, [NoticeKind::Alert], "{}: visibility asked again", db.backend);
        assert_eq!(s.unread_notices(&w.colleague).await.unwrap(), 1);
        assert_eq!(s.mark_notices_read(&w.colleague, None).await.unwrap(), 1, "counts only what they may see");
        assert_eq!(s.unread_notices(&w.colleague).await.unwrap(), 0);

        // An administrator's password reset is told to the account and its organisation's coordinators.
        let admin = Actor::user(w.admin.user, "admin@alpha.example");
        s.set_password(&admin, w.colleague.user, "not-a-real-hash", true, None).await.unwrap();
        for v in [&w.owner, &w.colleague] {
            let latest = s.notices_for(v).await.unwrap();
            assert_eq!(latest[0].kind, NoticeKind::PasswordReset, "{}", db.backend);
            assert_eq!(latest[0].link(), "/account");
        }
        assert!(s.notices_for(&w.admin).await.unwrap().is_empty(), "the one who reset it is not told");
        assert!(s.notices_for(&w.stranger).await.unwrap().iter().all(|n| n.kind != NoticeKind::PasswordReset));
        db.drop_db().await;
    }
}
