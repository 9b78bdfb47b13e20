//! `steward demo load`: a clearly fictional dataset so that a new user can explore every page.
//! Every name is invented and every email uses the reserved `.example` domain. Loading twice adds
//! nothing twice.

use crate::config::Config;
use anyhow::Result;
use steward_core::action::ActionType;
use steward_core::audit::Actor;
use steward_core::case::{NewCase, PersonAtRisk, PersonRole, Risk, Viewer, Visibility};
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
use steward_core::incident::{IncidentType, NewIncident, PerpetratorType};
use steward_core::org::{NewOrg, OrgKind};
use steward_core::role::Role;
use steward_core::user::NewUser;
use steward_store::StoreError;

/// (name, kind, country)
const ORGS: &[(&str, OrgKind, &str)] = &[
    ("Demo Ministry of Labour (fictional)", OrgKind::Government, "US"),
    ("Riverside Garment Workers' Federation (fictional)", OrgKind::Workers, "BD"),
    ("Mekong Labour Rights Centre (fictional)", OrgKind::CivilSociety, "KH"),
    ("Northwind Apparel Ltd. (fictional)", OrgKind::Company, "GB"),
    ("Open Hands Foundation (fictional)", OrgKind::Philanthropy, "NL"),
    ("Partnership Secretariat (fictional)", OrgKind::Multilateral, "CH"),
];

/// (email, display name, organisation index, role)
const USERS: &[(&str, &str, usize, Role)] = &[
    ("coordinator@ministry.demo.example", "Dana Coordinator", 0, Role::Coordinator),
    ("officer@ministry.demo.example", "Lee Labor Officer", 0, Role::Analyst),
    ("organiser@federation.demo.example", "Rupa Organiser", 1, Role::Partner),
    ("advocate@mekong.demo.example", "Sok Advocate", 2, Role::Partner),
    ("compliance@northwind.demo.example", "Ana Compliance", 3, Role::Analyst),
    ("funder@openhands.demo.example", "Joost Funder", 4, Role::Viewer),
    ("secretariat@partnership.demo.example", "Mira Secretariat", 5, Role::Coordinator),
];

pub async fn load(config: &Config) -> Result<()> {
    let store = super::open(config).await?;
    let actor = Actor { user_id: None, label: "demo".into() };
    let mut orgs = Vec::new();
    let mut added_orgs = 0;
    for (name, kind, country) in ORGS {
        let org = match store.create_org(&actor, NewOrg::new(name, *kind, Some(country))?).await {
            Ok(org) => {
                added_orgs += 1;
                org
            }
            Err(StoreError::Conflict { .. }) => store.org_by_name(name).await?,
            Err(e) => return Err(e.into()),
        };
        orgs.push(org);
    }
    let mut created = Vec::new();
    for (email, name, org, role) in USERS {
        let email = Email::parse(email)?;
        let password = generate_password();
        let new = NewUser {
            email: email.clone(),
            display_name: (*name).to_string(),
            org_id: orgs[*org].id,
            role: *role,
            password_hash: hash_password(&password),
            must_change_password: true,
        };
        match store.create_user(&actor, new).await {
            Ok(u) => created.push((u.email.to_string(), role.as_str(), orgs[*org].name.clone(), password)),
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let cases = demo_cases(&store, &actor, &orgs).await?;
    store.close().await;
    println!(
        "Demo data: {added_orgs} organisations, {} users and {cases} cases added (everything in it is fictional).",
        created.len()
    );
    if !created.is_empty() {
        println!("Demo accounts and their one-time passwords (shown once):");
        for (email, role, org, password) in &created {
            println!("  {email:<40} {role:<12} {password}   {org}");
        }
    }
    Ok(())
}

/// (title, country, risk, visibility, person, role, workplace, incident, perpetrator, action, days ago)
type DemoCase = (
    &'static str,
    &'static str,
    Risk,
    Visibility,
    &'static str,
    PersonRole,
    &'static str,
    IncidentType,
    PerpetratorType,
    ActionType,
    i64,
);

/// Fictional cases, enough of them in two countries that the reports show counts above the
/// small-count threshold. Names are invented.
const CASES: &[DemoCase] = &[
    (
        "Union president detained after strike (demo)",
        "KH",
        Risk::Liberty,
        Visibility::Partners,
        "Demo Person Sokun",
        PersonRole::TradeUnionLeader,
        "Demo Garment Factory 1",
        IncidentType::ArbitraryArrest,
        PerpetratorType::Police,
        ActionType::TrialObservation,
        3,
    ),
    (
        "Organisers dismissed for forming a union (demo)",
        "KH",
        Risk::Livelihood,
        Visibility::Partners,
        "Demo Person Chanthou",
        PersonRole::Organiser,
        "Demo Garment Factory 2",
        IncidentType::AntiUnionDismissal,
        PerpetratorType::Employer,
        ActionType::BuyerEngagement,
        40,
    ),
    (
        "Threats against a labour lawyer (demo)",
        "KH",
        Risk::Life,
        Visibility::Restricted,
        "Demo Person Vanna",
        PersonRole::Lawyer,
        "",
        IncidentType::Threat,
        PerpetratorType::Unknown,
        ActionType::EmergencyProtection,
        1,
    ),
    (
        "Strike dispersed with force (demo)",
        "KH",
        Risk::Liberty,
        Visibility::Internal,
        "Demo Person Rith",
        PersonRole::Member,
        "Demo Garment Factory 3",
        IncidentType::ViolentDispersal,
        PerpetratorType::Military,
        ActionType::PublicStatement,
        70,
    ),
    (
        "Union registration refused (demo)",
        "KH",
        Risk::Other,
        Visibility::Internal,
        "Demo Person Dara",
        PersonRole::TradeUnionLeader,
        "",
        IncidentType::UnionDeregistration,
        PerpetratorType::StateOfficial,
        ActionType::IloComplaint,
        200,
    ),
    (
        "Organiser followed and photographed (demo)",
        "KH",
        Risk::Liberty,
        Visibility::Partners,
        "Demo Person Kosal",
        PersonRole::Organiser,
        "Demo Garment Factory 1",
        IncidentType::Surveillance,
        PerpetratorType::PrivateSecurity,
        ActionType::PrivateDiplomacy,
        15,
    ),
    (
        "Federation office raided (demo)",
        "BD",
        Risk::Liberty,
        Visibility::Partners,
        "Demo Person Rahima",
        PersonRole::TradeUnionLeader,
        "",
        IncidentType::UnionOfficeRaid,
        PerpetratorType::Police,
        ActionType::JointStatement,
        9,
    ),
    (
        "Workers blacklisted after wage protest (demo)",
        "BD",
        Risk::Livelihood,
        Visibility::Internal,
        "Demo Person Jamal",
        PersonRole::Worker,
        "Demo Knitwear Mill",
        IncidentType::AntiUnionDismissal,
        PerpetratorType::Employer,
        ActionType::BuyerEngagement,
        55,
    ),
    (
        "Union leader charged with incitement (demo)",
        "BD",
        Risk::Liberty,
        Visibility::Partners,
        "Demo Person Shirin",
        PersonRole::TradeUnionLeader,
        "",
        IncidentType::JudicialHarassment,
        PerpetratorType::Judiciary,
        ActionType::LegalAid,
        120,
    ),
    (
        "Smear campaign against an organiser (demo)",
        "BD",
        Risk::Other,
        Visibility::Internal,
        "Demo Person Nasir",
        PersonRole::Organiser,
        "",
        IncidentType::SmearCampaign,
        PerpetratorType::Unknown,
        ActionType::PublicStatement,
        300,
    ),
    (
        "Assault at the factory gate (demo)",
        "BD",
        Risk::Life,
        Visibility::Partners,
        "Demo Person Lipi",
        PersonRole::Member,
        "Demo Knitwear Mill",
        IncidentType::PhysicalAssault,
        PerpetratorType::PrivateSecurity,
        ActionType::MedicalSupport,
        2,
    ),
    (
        "Banana union leader threatened (demo)",
        "GT",
        Risk::Life,
        Visibility::Restricted,
        "Demo Person Marta",
        PersonRole::TradeUnionLeader,
        "Demo Plantation",
        IncidentType::Threat,
        PerpetratorType::ArmedGroup,
        ActionType::EmergencyProtection,
        5,
    ),
];

/// Adds the demo cases once: when the demo coordinator sees no case yet.
async fn demo_cases(store: &steward_store::Store, actor: &Actor, orgs: &[steward_core::org::Org]) -> Result<usize> {
    let coordinator = store.user_by_email(&Email::parse("coordinator@ministry.demo.example")?).await?;
    let partner = store.user_by_email(&Email::parse("advocate@mekong.demo.example")?).await?;
    let me = Viewer { user: coordinator.id, org: coordinator.org_id };
    if !store.cases_for(&me).await?.is_empty() {
        return Ok(0);
    }
    let partners = [orgs[1].id, orgs[2].id];
    for (title, country, risk, visibility, person, role, workplace, incident, perpetrator, action, days) in CASES {
        let people = vec![PersonAtRisk {
            name: (*person).into(),
            role: Some(*role),
            workplace: (!workplace.is_empty()).then(|| (*workplace).to_string()),
            country: Some((*country).into()),
            ..Default::default()
        }];
        let summary = format!("{title}: fictional record for exploring Steward. Nothing here happened.");
        let new = NewCase::new(title, &summary, Some(country), *risk, *visibility, people)?;
        let members = if *visibility == Visibility::Restricted { vec![partner.id] } else { Vec::new() };
        let shared: &[steward_core::ids::OrgId] = if *visibility == Visibility::Partners { &partners } else { &[] };
        let case = store.create_case(actor, &me, new, &members, shared).await?;
        let incident = NewIncident::new(*incident, None, None, None, Some(*perpetrator), &[], None, &[0], 1)?;
        store.add_incident(actor, &me, case.id, incident).await?;
        let draft = steward_store::ActionDraft {
            kind: *action,
            owner_org: if shared.is_empty() { me.org } else { partners[0] },
            owner_user: None,
            status: steward_core::action::ActionStatus::InProgress,
            due: None,
            description: Some("Fictional action for the demo".into()),
        };
        store.add_action(actor, &me, case.id, draft).await?;
        // Spread the reports over the past year, so reports and clocks have something to show.
        store.backdate_case_for_demo(case.id, *days).await?;
    }
    Ok(CASES.len())
}
