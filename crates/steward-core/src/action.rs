//! Actions: what the network does about a case (the "intervention" of HURIDOCS ESF).
//!
//! An action belongs to one organisation, which must be able to see the case: its owner or, for
//! a partners case, one of the organisations it is shared with. Handing an action to an
//! organisation is how a case's work is shared; it never widens who may see the case.

use crate::case::{Case, Visibility};
use crate::error::{CoreError, CoreResult};
use crate::ids::{OrgId, UserId};
use crate::vocab::vocabulary;
use serde::Serialize;
use time::{Date, OffsetDateTime};

vocabulary!(
    /// What kind of response.
    ActionType, "action type" {
        /// A statement in the network's own name.
        PublicStatement = "public statement" | "statement",
        /// Quiet contacts with governments.
        PrivateDiplomacy = "private diplomatic engagement" | "private diplomacy" | "diplomatic engagement",
        /// Meeting the authorities responsible.
        MeetingAuthorities = "meeting with authorities" | "meeting",
        /// Observing at an embassy or in court.
        TrialObservation = "embassy or trial observation" | "trial observation" | "embassy observation",
        /// A statement several organisations sign.
        JointStatement = "joint coalition statement" | "joint statement" | "coalition statement",
        /// Protection, safe housing, relocation.
        EmergencyProtection = "emergency protection or relocation support" | "emergency protection" | "relocation" | "relocation support",
        /// Lawyers and legal costs.
        LegalAid = "legal aid" | "legal support",
        /// Medical or psychosocial care.
        MedicalSupport = "medical or psychosocial support" | "medical support" | "psychosocial support",
        /// Helping a union bring a complaint to the ILO Committee on Freedom of Association.
        IloComplaint = "complaint support to the ILO Committee on Freedom of Association" | "ILO complaint" | "CFA complaint" | "ILO CFA complaint",
        /// Using the leverage of companies and buyers.
        BuyerEngagement = "company or buyer engagement" | "buyer engagement" | "company engagement",
        /// Asking a government to bar perpetrators from entry.
        VisaReferral = "visa-restriction referral" | "visa referral" | "visa restriction referral",
        /// Asking for sanctions on perpetrators.
        SanctionsReferral = "sanctions referral",
        /// Asking trade authorities to act (import bans, trade preferences).
        TradeReferral = "trade-enforcement referral" | "trade referral" | "trade enforcement referral",
    }
);

impl ActionType {
    /// Whether this action asks a receiving body to hold perpetrators to account, and so travels
    /// with an evidence bundle.
    pub fn is_referral(self) -> bool {
        matches!(self, ActionType::VisaReferral | ActionType::SanctionsReferral | ActionType::TradeReferral)
    }
}

vocabulary!(
    /// Where an action stands.
    ActionStatus, "action status" {
        /// Suggested, not yet agreed.
        Proposed = "proposed",
        /// Agreed; not started.
        Approved = "approved",
        /// Under way.
        InProgress = "in progress" | "in-progress" | "started",
        /// Finished.
        Done = "done" | "completed",
        /// Not going ahead.
        Declined = "declined" | "rejected",
    }
);

impl ActionStatus {
    /// Whether an action may move from `self` to `next`: forward along
    /// proposed → approved → in progress → done, or to declined before it is done.
    pub fn can_become(self, next: ActionStatus) -> bool {
        use ActionStatus::*;
        match (self, next) {
            (Done | Declined, _) => false,
            (_, Declined) => true,
            (from, to) => rank(to) > rank(from),
        }
    }

    /// Moves to `next`, or says why not.
    pub fn become_(self, next: ActionStatus) -> CoreResult<ActionStatus> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(CoreError::InvalidTransition { what: "action", from: self.as_str(), to: next.as_str() })
        }
    }

    /// Whether the case's response has got under way with this action (stops the first-action
    /// clock).
    pub fn is_under_way(self) -> bool {
        matches!(self, ActionStatus::InProgress | ActionStatus::Done)
    }
}

fn rank(s: ActionStatus) -> u8 {
    match s {
        ActionStatus::Proposed => 0,
        ActionStatus::Approved => 1,
        ActionStatus::InProgress => 2,
        ActionStatus::Done => 3,
        ActionStatus::Declined => 4,
    }
}

/// Longest action description or outcome, in characters.
pub const MAX_ACTION_TEXT: usize = 10_000;

/// A new action, validated against its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    /// What kind.
    pub kind: ActionType,
    /// The organisation responsible.
    pub owner_org: OrgId,
    /// The person responsible, when one is named.
    pub owner_user: Option<UserId>,
    /// Where it starts (usually proposed).
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What is to be done (sensitive).
    pub description: Option<String>,
}

impl NewAction {
    /// Checks the action against `case`: its owner must be able to see the case, and so must
    /// the person named (whose organisation is `owner_user_org`).
    pub fn new(
        case: &Case,
        kind: ActionType,
        owner_org: OrgId,
        owner_user: Option<(UserId, OrgId)>,
        status: ActionStatus,
        due: Option<Date>,
        description: Option<&str>,
    ) -> CoreResult<Self> {
        let member = |user: UserId| case.members.contains(&user);
        let may_own = owner_org == case.org_id
            || match case.visibility {
                Visibility::Internal => false,
                Visibility::Partners => case.shared_with.contains(&owner_org),
                // A restricted case is seen only by its named users, so another organisation
                // may own an action on it only through one of them.
                Visibility::Restricted => owner_user.is_some_and(|(u, o)| o == owner_org && member(u)),
            };
        if !may_own {
            return Err(CoreError::InvalidReference {
                field: "owner",
                reason: "an action can go only to the case's organisation, to an organisation a partners case is shared with, or through a user named on a restricted case".into(),
            });
        }
        if let Some((user, org)) = owner_user {
            let sees = match case.visibility {
                Visibility::Restricted => member(user),
                _ => org == case.org_id || case.shared_with.contains(&org),
            };
            if !sees || org != owner_org {
                return Err(CoreError::InvalidReference {
                    field: "owner_user",
                    reason: "the person responsible must belong to the owning organisation and be able to see the case"
                        .into(),
                });
            }
        }
        if matches!(status, ActionStatus::Done | ActionStatus::Declined) {
            return Err(CoreError::InvalidReference {
                field: "status",
                reason: "a new action starts as proposed, approved or in progress".into(),
            });
        }
        let description = description.map(str::trim).filter(|d| !d.is_empty());
        if description.is_some_and(|d| d.chars().count() > MAX_ACTION_TEXT) {
            return Err(CoreError::InvalidLength { field: "description", max: MAX_ACTION_TEXT });
        }
        Ok(Self {
            kind,
            owner_org,
            owner_user: owner_user.map(|(u, _)| u),
            status,
            due,
            description: description.map(str::to_string),
        })
    }
}

/// A change of an action's status, with what came of it when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionProgress {
    /// The new status.
    pub status: ActionStatus,
    /// What came of it (sensitive), for done or declined.
    pub outcome: Option<String>,
    /// When the outcome came about.
    pub outcome_date: Option<Date>,
}

impl ActionProgress {
    /// Validates the outcome text.
    pub fn new(status: ActionStatus, outcome: Option<&str>, outcome_date: Option<Date>) -> CoreResult<Self> {
        let outcome = outcome.map(str::trim).filter(|d| !d.is_empty());
        if outcome.is_some_and(|d| d.chars().count() > MAX_ACTION_TEXT) {
            return Err(CoreError::InvalidLength { field: "outcome", max: MAX_ACTION_TEXT });
        }
        if outcome_date.is_some() && outcome.is_none() {
            return Err(CoreError::InvalidReference {
                field: "outcome_date",
                reason: "a date needs an outcome".into(),
            });
        }
        Ok(Self { status, outcome: outcome.map(str::to_string), outcome_date })
    }
}

/// An action as its case's readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// Its id.
    pub id: String,
    /// What kind.
    pub kind: ActionType,
    /// The organisation responsible.
    pub owner_org: OrgId,
    /// The person responsible.
    pub owner_user: Option<UserId>,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// What is to be done.
    pub description: Option<String>,
    /// What came of it.
    pub outcome: Option<String>,
    /// When the outcome came about.
    pub outcome_date: Option<Date>,
    /// When it was proposed.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it last changed.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// Reads a due or outcome date (`YYYY-MM-DD`).
pub fn parse_day(field: &'static str, text: &str) -> CoreResult<Date> {
    let text = text.trim();
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).map_err(|_| CoreError::InvalidDate {
        field,
        value: text.chars().take(80).collect(),
        reason: "write it as YYYY-MM-DD",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_only_move_forward_or_are_declined() {
        use ActionStatus::*;
        assert!(Proposed.can_become(Approved) && Proposed.can_become(InProgress) && Approved.can_become(Done));
        assert!(InProgress.can_become(Declined) && Proposed.can_become(Declined));
        assert!(!Done.can_become(Declined) && !Declined.can_become(Proposed) && !InProgress.can_become(Approved));
        assert!("In Progress".parse::<ActionStatus>().unwrap() == InProgress);
        assert!("ILO complaint".parse::<ActionType>().unwrap() == ActionType::IloComplaint);
        assert!(ActionType::SanctionsReferral.is_referral() && !ActionType::LegalAid.is_referral());
        assert_eq!(parse_day("due", "2026-12-01").unwrap().to_string(), "2026-12-01");
        assert!(parse_day("due", "tomorrow").is_err());
    }
}
