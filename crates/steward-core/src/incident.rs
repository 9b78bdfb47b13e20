//! Incidents: the acts a case records (the "act" of HURIDOCS Events Standard Formats).
//!
//! Types and perpetrators come from Steward's own closed vocabularies, written for labour-rights
//! defenders; [`crate::huridocs`] maps each term to the nearest HURIDOCS micro-thesaurus code for
//! export. Dates are kept with the precision they were known to, because "March 2024" is a fact
//! and "1 March 2024" would be an invention.

use crate::case::MAX_SHORT;
use crate::error::{CoreError, CoreResult};
use crate::vocab::vocabulary;
use serde::{Serialize, Serializer};
use std::fmt;
use time::{Date, Month};

vocabulary!(
    /// What was done.
    IncidentType, "incident type" {
        /// A person was killed.
        Killing = "killing" | "murder",
        /// Someone tried to kill a person.
        AttemptedKilling = "attempted killing",
        /// A person was beaten or injured.
        PhysicalAssault = "physical assault" | "assault" | "beating",
        /// A person was taken, or disappeared at the hands of the state.
        Abduction = "abduction or enforced disappearance" | "abduction" | "enforced disappearance" | "disappearance" | "kidnapping",
        /// Arrest or detention without lawful grounds.
        ArbitraryArrest = "arbitrary arrest or detention" | "arbitrary arrest" | "arbitrary detention" | "arrest" | "detention",
        /// Charges, lawsuits or trials used to silence.
        JudicialHarassment = "judicial harassment or criminalisation" | "judicial harassment" | "criminalisation" | "criminalization",
        /// Threats, in person or online.
        Threat = "threat or intimidation" | "threat" | "threats" | "intimidation" | "death threat",
        /// Watching, following, intercepting.
        Surveillance = "surveillance",
        /// Public defamation.
        SmearCampaign = "smear campaign" | "defamation" | "stigmatisation" | "stigmatization",
        /// Dismissal or blacklisting for union activity.
        AntiUnionDismissal = "anti-union dismissal or blacklisting" | "anti-union dismissal" | "dismissal" | "blacklisting",
        /// Forbidden to travel.
        TravelBan = "travel ban",
        /// A union's office searched or closed by force.
        UnionOfficeRaid = "raid of a union office" | "raid",
        /// A union struck off or refused registration.
        UnionDeregistration = "deregistration or refusal to register a union" | "deregistration" | "refusal to register",
        /// A strike or assembly broken up by force.
        ViolentDispersal = "violent dispersal of a strike or assembly" | "violent dispersal" | "strike-breaking",
        /// Sexual violence or harassment.
        SexualViolence = "sexual violence or harassment" | "sexual violence" | "sexual harassment",
    }
);

vocabulary!(
    /// Who did it, by kind.
    PerpetratorType, "perpetrator type" {
        /// Police, gendarmerie or other security forces.
        Police = "police or security forces" | "police" | "security forces",
        /// The armed forces.
        Military = "military" | "army" | "armed forces",
        /// Judges or prosecutors.
        Judiciary = "judiciary or prosecutor" | "judiciary" | "prosecutor" | "court",
        /// Any other official of the state.
        StateOfficial = "other state official" | "state official" | "government official" | "official",
        /// The employer or its managers.
        Employer = "employer or management" | "employer" | "management",
        /// Guards hired privately.
        PrivateSecurity = "private security" | "security guards",
        /// A non-state armed group.
        ArmedGroup = "armed group" | "paramilitary" | "militia",
        /// Not known.
        Unknown = "unknown",
    }
);

vocabulary!(
    /// How exactly a date is known.
    DatePrecision, "date precision" {
        /// The day is known.
        Day = "day",
        /// Only the month is known.
        Month = "month",
        /// Only the year is known.
        Year = "year",
    }
);

/// A date known to a day, a month or a year. Written and read as `YYYY-MM-DD`, `YYYY-MM` or
/// `YYYY`; stored as its first day plus the precision, so ranges sort correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    /// The first day it could be.
    pub first_day: Date,
    /// How much of it is known.
    pub precision: DatePrecision,
}

impl PartialOrd for FuzzyDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FuzzyDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first_day, self.precision).cmp(&(other.first_day, other.precision))
    }
}

impl FuzzyDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `field` names the field in the error.
    pub fn parse(field: &'static str, text: &str) -> CoreResult<Self> {
        let text = text.trim();
        let bad = |reason| CoreError::InvalidDate { field, value: text.chars().take(80).collect(), reason };
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, len: usize| -> CoreResult<u16> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("write it as YYYY, YYYY-MM or YYYY-MM-DD"));
            }
            s.parse().map_err(|_| bad("write it as YYYY, YYYY-MM or YYYY-MM-DD"))
        };
        let year = number(parts.first().copied().unwrap_or_default(), 4)?;
        if !(1900..=2999).contains(&year) {
            return Err(bad("the year must be between 1900 and 2999"));
        }
        let month = match parts.get(1) {
            Some(m) => {
                let m = u8::try_from(number(m, 2)?).map_err(|_| bad("no such month"))?;
                Month::try_from(m).map_err(|_| bad("no such month"))?
            }
            None => Month::January,
        };
        let day = match parts.get(2) {
            Some(d) => u8::try_from(number(d, 2)?).map_err(|_| bad("no such day"))?,
            None => 1,
        };
        if parts.len() > 3 {
            return Err(bad("write it as YYYY, YYYY-MM or YYYY-MM-DD"));
        }
        let first_day = Date::from_calendar_date(i32::from(year), month, day).map_err(|_| bad("no such day"))?;
        let precision = match parts.len() {
            1 => DatePrecision::Year,
            2 => DatePrecision::Month,
            _ => DatePrecision::Day,
        };
        Ok(Self { first_day, precision })
    }

    /// The last day it could be.
    pub fn last_day(&self) -> Date {
        match self.precision {
            DatePrecision::Day => self.first_day,
            DatePrecision::Month => {
                let days = self.first_day.month().length(self.first_day.year());
                self.first_day.replace_day(days).unwrap_or(self.first_day)
            }
            DatePrecision::Year => {
                Date::from_calendar_date(self.first_day.year(), Month::December, 31).unwrap_or(self.first_day)
            }
        }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first_day;
        match self.precision {
            DatePrecision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
            DatePrecision::Month => write!(f, "{:04}-{:02}", d.year(), u8::from(d.month())),
            DatePrecision::Year => write!(f, "{:04}", d.year()),
        }
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Longest incident description or place, in characters.
pub const MAX_DESCRIPTION: usize = 10_000;
/// Most perpetrator names on one incident.
pub const MAX_PERPETRATORS: usize = 50;

/// A new incident, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    /// What was done.
    pub kind: IncidentType,
    /// When it began (or happened).
    pub date: Option<FuzzyDate>,
    /// When it ended, for acts that last (detention, surveillance).
    pub until: Option<FuzzyDate>,
    /// Where (sensitive: a place can identify a person).
    pub place: Option<String>,
    /// Who did it, by kind.
    pub perpetrator: Option<PerpetratorType>,
    /// Who did it, by name, where known (sensitive).
    pub perpetrator_names: Vec<String>,
    /// What happened (sensitive).
    pub description: Option<String>,
    /// Which of the case's people it was done to, by their position in the case.
    pub victims: Vec<usize>,
}

impl NewIncident {
    /// Validates an incident against the case it belongs to (`people` people at risk).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: IncidentType,
        date: Option<&str>,
        until: Option<&str>,
        place: Option<&str>,
        perpetrator: Option<PerpetratorType>,
        perpetrator_names: &[String],
        description: Option<&str>,
        victims: &[usize],
        people: usize,
    ) -> CoreResult<Self> {
        fn present(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let date = present(date).map(|d| FuzzyDate::parse("date", d)).transpose()?;
        let until = present(until).map(|d| FuzzyDate::parse("until", d)).transpose()?;
        if let (Some(from), Some(to)) = (date, until) {
            if to.last_day() < from.first_day {
                return Err(CoreError::InvalidDate {
                    field: "until",
                    value: to.to_string(),
                    reason: "the end is before the start",
                });
            }
        }
        if until.is_some() && date.is_none() {
            return Err(CoreError::InvalidReference {
                field: "until",
                reason: "an end date needs a start date".into(),
            });
        }
        if perpetrator_names.len() > MAX_PERPETRATORS {
            return Err(CoreError::InvalidLength { field: "perpetrator_names", max: MAX_PERPETRATORS });
        }
        let perpetrator_names = perpetrator_names
            .iter()
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .map(|n| {
                if n.chars().count() > MAX_SHORT {
                    Err(CoreError::InvalidLength { field: "perpetrator_names", max: MAX_SHORT })
                } else {
                    Ok(n.to_string())
                }
            })
            .collect::<CoreResult<Vec<_>>>()?;
        let text = |field: &'static str, v: Option<&str>, max: usize| -> CoreResult<Option<String>> {
            match present(v) {
                Some(v) if v.chars().count() > max => Err(CoreError::InvalidLength { field, max }),
                v => Ok(v.map(str::to_string)),
            }
        };
        let mut victims = victims.to_vec();
        victims.sort_unstable();
        victims.dedup();
        if let Some(bad) = victims.iter().find(|v| **v >= people) {
            return Err(CoreError::InvalidReference {
                field: "victims",
                reason: format!("person {} is not on this case, which names {people}", bad + 1),
            });
        }
        Ok(Self {
            kind,
            date,
            until,
            place: text("place", place, MAX_SHORT)?,
            perpetrator,
            perpetrator_names,
            description: text("description", description, MAX_DESCRIPTION)?,
            victims,
        })
    }
}

/// An incident as its case's readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    /// Its id.
    pub id: String,
    /// What was done.
    pub kind: IncidentType,
    /// When it began.
    pub date: Option<FuzzyDate>,
    /// When it ended.
    pub until: Option<FuzzyDate>,
    /// Where.
    pub place: Option<String>,
    /// Who did it, by kind.
    pub perpetrator: Option<PerpetratorType>,
    /// Who did it, by name.
    pub perpetrator_names: Vec<String>,
    /// What happened.
    pub description: Option<String>,
    /// The case's people it was done to, by position.
    pub victims: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, shown: &str, last: &str) {
        let d = FuzzyDate::parse("date", text).unwrap();
        assert_eq!(d.to_string(), shown);
        assert_eq!(d.last_day().to_string(), last);
    }

    #[test]
    fn dates_keep_their_precision() {
        check("2024", "2024", "2024-12-31");
        check("2024-02", "2024-02", "2024-02-29");
        check(" 2024-03-14 ", "2024-03-14", "2024-03-14");
        for bad in ["24", "2024-13", "2024-02-30", "2024/03/01", "March 2024", "2024-3-1", "0999", "2024-01-01-01"] {
            assert!(FuzzyDate::parse("date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn incidents_are_checked_against_their_case() {
        let names = vec![" Officer X ".to_string(), " ".to_string()];
        let i = NewIncident::new(
            "arrest".parse().unwrap(),
            Some("2026-11"),
            Some("2026-11-20"),
            Some(" Phnom Penh "),
            Some(PerpetratorType::Police),
            &names,
            None,
            &[1, 0, 1],
            2,
        )
        .unwrap();
        assert_eq!(i.kind, IncidentType::ArbitraryArrest);
        assert_eq!(i.perpetrator_names, vec!["Officer X"]);
        assert_eq!(i.victims, vec![0, 1]);
        assert_eq!(i.place.as_deref(), Some("Phnom Penh"));
        let kind = IncidentType::Threat;
        assert!(NewIncident::new(kind, None, None, None, None, &[], None, &[2], 2).is_err());
        let backwards = NewIncident::new(kind, Some("2026-11-20"), Some("2026-10"), None, None, &[], None, &[], 0);
        assert!(backwards.unwrap_err().to_string().contains("before the start"));
        assert!(NewIncident::new(kind, None, Some("2026"), None, None, &[], None, &[], 0).is_err());
    }
}
