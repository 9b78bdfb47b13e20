//! Cases of defenders at risk, and the one rule for who may see them.
//!
//! A case's visibility is decided here, by [`CaseAccess::permits`], and by nothing else: no role
//! appears in it, so no role (administrators included) can see a case its visibility excludes.
//! The store filters in SQL for speed and then asks this rule again before anything is opened.

use crate::country;
use crate::error::{CoreError, CoreResult};
use crate::ids::{OrgId, UserId};
use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;
use uuid::Uuid;

/// A case's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CaseId(pub Uuid);

impl CaseId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for CaseId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for CaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for CaseId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

vocabulary!(
    /// Who may see a case.
    Visibility, "visibility" {
        /// Only the users named on the case.
        Restricted = "restricted",
        /// The owning organisation and the organisations named on the case.
        Partners = "partners",
        /// The owning organisation.
        Internal = "internal",
    }
);

vocabulary!(
    /// Where a case stands.
    CaseStatus, "case status" {
        /// Reported, not yet looked at.
        New = "new",
        /// Risk and urgency set, owner assigned.
        Triaged = "triaged",
        /// Actions under way.
        Responding = "responding",
        /// The acute danger is over; watching.
        Monitoring = "monitoring",
        /// Nothing more to do.
        Closed = "closed",
        /// Closed once, open again.
        Reopened = "reopened",
    }
);

impl CaseStatus {
    /// Whether a case may move from `self` to `next`. A case never goes back to `new`; a closed
    /// case only reopens; between triage and closing it may move either way, because danger
    /// comes back.
    pub fn can_become(self, next: CaseStatus) -> bool {
        use CaseStatus::*;
        match (self, next) {
            (_, New) => false,
            (Closed, next) => next == Reopened,
            (_, Reopened) => false,
            (from, to) => from != to,
        }
    }

    /// Moves to `next`, or says why not.
    pub fn become_(self, next: CaseStatus) -> CoreResult<CaseStatus> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(CoreError::InvalidTransition { what: "case", from: self.as_str(), to: next.as_str() })
        }
    }

    /// Whether the case is still being worked on (its clocks run).
    pub fn is_open(self) -> bool {
        self != CaseStatus::Closed
    }
}

vocabulary!(
    /// How soon the response team must act, set at triage.
    Urgency, "urgency" {
        /// Drop everything.
        Immediate = "immediate",
        /// Today.
        High = "high",
        /// In the ordinary course.
        Normal = "normal",
        /// When there is time.
        Low = "low",
    }
);

vocabulary!(
    /// What is at stake: sets the response clocks.
    Risk, "risk" {
        /// A threat to life or physical integrity.
        Life = "life",
        /// Arrest, detention or criminalisation.
        Liberty = "liberty",
        /// Dismissal, blacklisting or loss of income.
        Livelihood = "livelihood",
        /// Anything else.
        Other = "other",
    }
);

vocabulary!(
    /// The role of a person at risk.
    PersonRole, "role" {
        /// Leads a union or federation.
        TradeUnionLeader = "trade-union leader" | "union leader" | "union president" | "union official",
        /// Organises workers.
        Organiser = "organiser" | "organizer" | "union organiser" | "union organizer",
        /// A union member.
        Member = "member" | "union member",
        /// Defends labour rights.
        LaborRightsDefender = "labor-rights defender" | "labour-rights defender" | "labour rights defender" | "human rights defender" | "defender",
        /// Represents workers in law.
        Lawyer = "lawyer" | "attorney",
        /// Reports on labour rights.
        Journalist = "journalist" | "reporter",
        /// A worker.
        Worker = "worker",
    }
);

/// Who is looking: the user and their organisation. Roles are deliberately absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// The user.
    pub user: UserId,
    /// Their organisation.
    pub org: OrgId,
}

/// The facts that decide who may see a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseAccess {
    /// Who may see it.
    pub visibility: Visibility,
    /// The organisation that owns it.
    pub owner: OrgId,
    /// Users named on it (all that may see a restricted case).
    pub members: Vec<UserId>,
    /// Organisations it is shared with (partners visibility).
    pub shared_with: Vec<OrgId>,
}

impl CaseAccess {
    /// Whether `viewer` may know that the case exists. The one visibility rule.
    pub fn permits(&self, viewer: &Viewer) -> bool {
        match self.visibility {
            Visibility::Restricted => self.members.contains(&viewer.user),
            Visibility::Partners => self.owner == viewer.org || self.shared_with.contains(&viewer.org),
            Visibility::Internal => self.owner == viewer.org,
        }
    }

    /// Whether reading the case must be written to the audit trail.
    pub fn reads_are_audited(&self) -> bool {
        matches!(self.visibility, Visibility::Restricted | Visibility::Partners)
    }
}

/// A person at risk, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonAtRisk {
    /// Their name (sensitive).
    pub name: String,
    /// Their role.
    pub role: Option<PersonRole>,
    /// Their union or group, as written (sensitive).
    pub organisation: Option<String>,
    /// How the response team reaches them (sensitive).
    pub contact: Option<String>,
    /// Other names they are known by (sensitive).
    pub other_names: Option<String>,
    /// Where they work: a facility or company (sensitive: it narrows down who they are).
    pub workplace: Option<String>,
    /// Their sector, as written.
    pub sector: Option<String>,
    /// Where they are, ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The organisation record their union or group is, where Steward has one (sensitive: it ties
    /// a person at risk to a named union).
    pub organisation_id: Option<OrgId>,
    /// Where their workplace appears in the case organisation's own supplier registry, found by
    /// the screening matcher when the person is recorded (sensitive; shown only to that
    /// organisation, whose business its registry is).
    pub workplace_link: Option<WorkplaceLink>,
}

/// A row of a saved supplier registry that a person's workplace was matched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkplaceLink {
    /// The registry's id.
    pub registry: String,
    /// The registry's name, when it was linked.
    pub registry_name: String,
    /// The row of the registry (1 is the first data row).
    pub row: usize,
    /// The supplier's name as the registry writes it.
    pub supplier: String,
}

impl PersonAtRisk {
    /// Checks lengths, trims, and resolves the country to its code.
    pub fn validated(self) -> CoreResult<Self> {
        Ok(PersonAtRisk {
            name: bounded("people.name", &self.name, MAX_SHORT)?,
            role: self.role,
            organisation: optional("people.organisation", self.organisation.as_deref(), MAX_SHORT)?,
            contact: optional("people.contact", self.contact.as_deref(), MAX_SHORT)?,
            other_names: optional("people.other_names", self.other_names.as_deref(), MAX_SHORT)?,
            workplace: optional("people.workplace", self.workplace.as_deref(), MAX_SHORT)?,
            sector: optional("people.sector", self.sector.as_deref(), MAX_SHORT)?,
            country: self
                .country
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| country::resolve(c).map(|c| c.alpha2.to_string()))
                .transpose()?,
            organisation_id: self.organisation_id,
            // A link stands for the workplace as written: without one it means nothing.
            workplace_link: self
                .workplace_link
                .filter(|_| self.workplace.as_deref().is_some_and(|w| !w.trim().is_empty())),
        })
    }
}

/// A new case, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// A short title (sensitive).
    pub title: String,
    /// What happened (sensitive).
    pub summary: String,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// What is at stake.
    pub risk: Risk,
    /// Who may see it.
    pub visibility: Visibility,
    /// A name to show instead of the title in lists and reports.
    pub pseudonym: Option<String>,
    /// The people at risk.
    pub people: Vec<PersonAtRisk>,
}

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest summary, in characters.
pub const MAX_SUMMARY: usize = 20_000;
/// Longest name or other short field, in characters.
pub const MAX_SHORT: usize = 300;
/// Most people on one case.
pub const MAX_PEOPLE: usize = 100;

fn bounded(field: &'static str, value: &str, max: usize) -> CoreResult<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(CoreError::InvalidLength { field, max });
    }
    Ok(value.to_string())
}

pub(crate) fn optional(field: &'static str, value: Option<&str>, max: usize) -> CoreResult<Option<String>> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(|v| bounded(field, v, max)).transpose()
}

impl NewCase {
    /// Validates a case as people and scripts give it.
    pub fn new(
        title: &str,
        summary: &str,
        country: Option<&str>,
        risk: Risk,
        visibility: Visibility,
        people: Vec<PersonAtRisk>,
    ) -> CoreResult<Self> {
        if people.len() > MAX_PEOPLE {
            return Err(CoreError::InvalidLength { field: "people", max: MAX_PEOPLE });
        }
        let people = people.into_iter().map(PersonAtRisk::validated).collect::<CoreResult<Vec<_>>>()?;
        let country = country
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| country::resolve(c).map(|c| c.alpha2.to_string()))
            .transpose()?;
        let summary = summary.trim();
        if summary.chars().count() > MAX_SUMMARY {
            return Err(CoreError::InvalidLength { field: "summary", max: MAX_SUMMARY });
        }
        Ok(Self {
            title: bounded("title", title, MAX_TITLE)?,
            summary: summary.to_string(),
            country,
            risk,
            visibility,
            pseudonym: None,
            people,
        })
    }

    /// Sets the pseudonym shown in lists and reports instead of the title.
    pub fn with_pseudonym(mut self, pseudonym: Option<&str>) -> CoreResult<Self> {
        self.pseudonym = optional("pseudonym", pseudonym, MAX_SHORT)?;
        Ok(self)
    }
}

/// A case as its readers see it, sensitive fields opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Its id.
    pub id: CaseId,
    /// The owning organisation.
    pub org_id: OrgId,
    /// Who reported it.
    pub created_by: UserId,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Shown instead of the title in lists and reports, when set.
    pub pseudonym: Option<String>,
    /// Country, alpha-2.
    pub country: Option<String>,
    /// What is at stake.
    pub risk: Risk,
    /// How soon to act, once triaged.
    pub urgency: Option<Urgency>,
    /// Where it stands.
    pub status: CaseStatus,
    /// Who may see it.
    pub visibility: Visibility,
    /// The coordinator responsible for it.
    pub assignee: Option<UserId>,
    /// The economic sector, as written (for reports).
    pub sector: Option<String>,
    /// The people at risk.
    pub people: Vec<PersonAtRisk>,
    /// When someone first acted on it (triaged, assigned or moved on); stops the first clock.
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
    /// When its first action got under way; stops the second clock.
    #[serde(with = "time::serde::rfc3339::option")]
    pub first_action_at: Option<OffsetDateTime>,
    /// Users named on it.
    pub members: Vec<UserId>,
    /// Organisations it is shared with.
    pub shared_with: Vec<OrgId>,
    /// When it was reported.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl Case {
    /// The facts its visibility is decided on.
    pub fn access(&self) -> CaseAccess {
        CaseAccess {
            visibility: self.visibility,
            owner: self.org_id,
            members: self.members.clone(),
            shared_with: self.shared_with.clone(),
        }
    }

    /// Whether `viewer` may triage the case, change its status, edit or delete it: a reader
    /// from the owning organisation (partners work on actions, not on the case itself).
    pub fn may_manage(&self, viewer: &Viewer) -> bool {
        viewer.org == self.org_id && self.access().permits(viewer)
    }

    /// The name to show in lists: the pseudonym when there is one.
    pub fn display_title(&self) -> &str {
        self.pseudonym.as_deref().unwrap_or(&self.title)
    }
}

/// A change to a case's triage facts: every field given replaces the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseUpdate {
    /// New status (checked against [`CaseStatus::can_become`]).
    pub status: Option<CaseStatus>,
    /// New risk.
    pub risk: Option<Risk>,
    /// New urgency.
    pub urgency: Option<Urgency>,
    /// New assignee (`Some(None)` unassigns).
    pub assignee: Option<Option<UserId>>,
    /// New sector (`Some(None)` clears).
    pub sector: Option<Option<String>>,
    /// New title (sensitive).
    pub title: Option<String>,
    /// New summary (sensitive).
    pub summary: Option<String>,
    /// New pseudonym (`Some(None)` clears; sensitive).
    pub pseudonym: Option<Option<String>>,
}

impl CaseUpdate {
    /// Checks lengths and trims, as [`NewCase::new`] does.
    pub fn validated(mut self) -> CoreResult<Self> {
        self.title = self.title.map(|t| bounded("title", &t, MAX_TITLE)).transpose()?;
        if let Some(summary) = &self.summary {
            if summary.chars().count() > MAX_SUMMARY {
                return Err(CoreError::InvalidLength { field: "summary", max: MAX_SUMMARY });
            }
            self.summary = Some(summary.trim().to_string());
        }
        self.pseudonym = self.pseudonym.map(|p| optional("pseudonym", p.as_deref(), MAX_SHORT)).transpose()?;
        self.sector = self.sector.map(|p| optional("sector", p.as_deref(), MAX_SHORT)).transpose()?;
        Ok(self)
    }

    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == CaseUpdate::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_move_forward_and_reopen_but_never_back_to_new() {
        use CaseStatus::*;
        assert!(New.can_become(Triaged) && New.can_become(Responding) && New.can_become(Closed));
        assert!(Monitoring.can_become(Responding), "danger comes back");
        assert!(!Triaged.can_become(New) && !Triaged.can_become(Triaged));
        assert!(!Closed.can_become(Responding) && Closed.can_become(Reopened));
        assert!(!Responding.can_become(Reopened) && Reopened.can_become(Responding));
        let err = Closed.become_(Monitoring).unwrap_err().to_string();
        assert!(err.contains("closed") && err.contains("monitoring"), "{err}");
    }

    fn viewer() -> Viewer {
        Viewer { user: UserId::new(), org: OrgId::new() }
    }

    #[test]
    fn visibility_is_decided_by_the_record_alone() {
        let owner = viewer();
        let member = Viewer { user: UserId::new(), org: OrgId::new() };
        let colleague = Viewer { user: UserId::new(), org: owner.org };
        let partner = viewer();
        let stranger = viewer();
        let mut access = CaseAccess {
            visibility: Visibility::Restricted,
            owner: owner.org,
            members: vec![owner.user, member.user],
            shared_with: vec![partner.org],
        };
        assert!(access.permits(&owner) && access.permits(&member));
        assert!(!access.permits(&colleague), "restricted: the owner's colleagues are not named");
        assert!(!access.permits(&partner) && !access.permits(&stranger));
        access.visibility = Visibility::Partners;
        assert!(access.permits(&colleague) && access.permits(&partner));
        assert!(!access.permits(&stranger));
        access.visibility = Visibility::Internal;
        assert!(access.permits(&colleague) && !access.permits(&partner));
        assert!(!access.permits(&member), "internal: a named outsider no longer sees it");
    }

    #[test]
    fn vocabularies_read_the_forms_people_type() {
        assert_eq!("Trade union leader".parse::<PersonRole>().unwrap(), PersonRole::TradeUnionLeader);
        assert_eq!("trade-union leader".parse::<PersonRole>().unwrap(), PersonRole::TradeUnionLeader);
        assert_eq!("ORGANIZER".parse::<PersonRole>().unwrap(), PersonRole::Organiser);
        assert_eq!("LIBERTY".parse::<Risk>().unwrap(), Risk::Liberty);
        let err = "public".parse::<Visibility>().unwrap_err().to_string();
        assert!(err.contains("restricted, partners, internal"), "{err}");
    }

    #[test]
    fn new_cases_are_validated() {
        let person = PersonAtRisk { name: " A. Name ".into(), organisation: Some(" ".into()), ..Default::default() };
        let case = NewCase::new(" Title ", "Summary", Some("Cambodia"), Risk::Life, Visibility::Internal, vec![person])
            .unwrap();
        assert_eq!(case.title, "Title");
        assert_eq!(case.country.as_deref(), Some("KH"));
        assert_eq!(case.people[0].name, "A. Name");
        assert_eq!(case.people[0].organisation, None);
        assert!(NewCase::new("", "s", None, Risk::Life, Visibility::Internal, vec![]).is_err());
        assert!(NewCase::new("t", "s", Some("Atlantis"), Risk::Life, Visibility::Internal, vec![]).is_err());
        let long = "x".repeat(MAX_SUMMARY + 1);
        assert!(NewCase::new("t", &long, None, Risk::Life, Visibility::Internal, vec![]).is_err());
    }
}
