//! `steward demo load`: a clearly fictional dataset so that a new user can explore every page.
//! Every name is invented and every email uses the reserved `.example` domain. Loading twice adds
//! nothing twice.

use crate::config::Config;
use anyhow::Result;
use steward_core::audit::Actor;
use steward_core::credential::{generate_password, hash_password};
use steward_core::email::Email;
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
    store.close().await;
    println!(
        "Demo data: {added_orgs} organisations and {} users added (everything in it is fictional).",
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
