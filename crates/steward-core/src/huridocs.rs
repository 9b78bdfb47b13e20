//! The nearest HURIDOCS micro-thesaurus code for each of Steward's own terms, so that records can
//! be exported to tools that speak the Events Standard Formats (ESF).
//!
//! Steward's vocabularies are its own, written for labour-rights defenders; HURIDOCS's are more
//! general and their licence does not let us ship them. Only the codes are kept here: a code is
//! a reference, not a copy of the thesaurus. Where HURIDOCS has no exact term, the nearest
//! broader one is given (for example judicial harassment maps to "restrictions on union
//! members"). A test checks every code against the thesaurus when it is available.

use crate::action::ActionType;
use crate::incident::{IncidentType, PerpetratorType};

/// A code in one HURIDOCS micro-thesaurus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct HuriCode {
    /// The micro-thesaurus: 4 types of acts, 20 types of intervention, 24 types of perpetrators.
    pub list: u8,
    /// The twelve-digit hierarchical code.
    pub code: &'static str,
}

/// Micro-thesaurus 4, types of acts.
pub const TYPES_OF_ACTS: u8 = 4;
/// Micro-thesaurus 20, types of intervention.
pub const TYPES_OF_INTERVENTION: u8 = 20;
/// Micro-thesaurus 24, types of perpetrators.
pub const TYPES_OF_PERPETRATORS: u8 = 24;

/// The ESF act type nearest to `kind`.
pub fn act(kind: IncidentType) -> HuriCode {
    use IncidentType::*;
    let code = match kind {
        Killing => "010101000000",
        AttemptedKilling => "010109000000",
        PhysicalAssault => "020101000000",
        Abduction => "030103000000",
        ArbitraryArrest => "030101000000",
        JudicialHarassment => "300104030000",
        Threat => "020103010000",
        Surveillance => "020103030000",
        SmearCampaign => "140101000000",
        AntiUnionDismissal => "300104030100",
        TravelBan => "050106000000",
        UnionOfficeRaid => "120102000000",
        UnionDeregistration => "300104010000",
        ViolentDispersal => "300105010000",
        SexualViolence => "020102000000",
    };
    HuriCode { list: TYPES_OF_ACTS, code }
}

/// The ESF perpetrator type nearest to `kind`.
pub fn perpetrator(kind: PerpetratorType) -> HuriCode {
    use PerpetratorType::*;
    let code = match kind {
        Police => "010104000000",
        Military => "010103000000",
        Judiciary => "010300000000",
        StateOfficial => "010100000000",
        Employer => "110301000000",
        PrivateSecurity => "020400000000",
        ArmedGroup => "029000000000",
        Unknown => "990000000000",
    };
    HuriCode { list: TYPES_OF_PERPETRATORS, code }
}

/// The ESF intervention type nearest to `kind`.
pub fn intervention(kind: ActionType) -> HuriCode {
    use ActionType::*;
    let code = match kind {
        PublicStatement | JointStatement => "020300000000",
        PrivateDiplomacy => "010500000000",
        MeetingAuthorities | TrialObservation | BuyerEngagement => "010600000000",
        EmergencyProtection => "010100000000",
        LegalAid => "010200000000",
        MedicalSupport => "010300000000",
        IloComplaint | VisaReferral | SanctionsReferral | TradeReferral => "020100000000",
    };
    HuriCode { list: TYPES_OF_INTERVENTION, code }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every code must exist in its micro-thesaurus. The thesaurus is read from the shared
    /// reference data at test time (never shipped); without it the test says so and skips.
    #[test]
    fn every_code_is_in_its_thesaurus() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/huridocs-micro-thesauri/micro_thesauri_terms.csv"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED: the HURIDOCS micro-thesauri are not at {path}; codes not checked");
            return;
        };
        let mut known = HashSet::new();
        for line in text.lines().skip(1) {
            let mut cols = line.split(',');
            if let (Some(list), Some(_), Some(code)) = (cols.next(), cols.next(), cols.next()) {
                known.insert((list.to_string(), code.to_string()));
            }
        }
        assert!(known.len() > 1000, "the thesaurus file did not parse");
        let codes = IncidentType::ALL
            .iter()
            .map(|k| act(*k))
            .chain(PerpetratorType::ALL.iter().map(|k| perpetrator(*k)))
            .chain(ActionType::ALL.iter().map(|k| intervention(*k)));
        for c in codes {
            assert!(known.contains(&(c.list.to_string(), c.code.to_string())), "{c:?} is not in the thesaurus");
        }
    }
}
