//! Response clocks: how soon a case must be acknowledged and its first action got under way,
//! by what is at risk.
//!
//! Both clocks start when the case is reported. The first stops when someone acknowledges the
//! case (triages, assigns or moves it on); the second when an action is first under way. A
//! clock is "due soon" in the last quarter of its window, so a one-hour clock warns at fifteen
//! minutes and a seven-day clock at forty-two hours.

use crate::case::{Case, Risk};
use crate::error::{CoreError, CoreResult};
use serde::Serialize;
use std::fmt;
use time::{Duration, OffsetDateTime};

/// The two limits for one level of risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From report to acknowledgement.
    pub acknowledge: Duration,
    /// From report to the first action under way.
    pub first_action: Duration,
}

/// The limits for every level of risk; configurable per installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseClocks {
    /// Risk to life.
    pub life: Limits,
    /// Risk to liberty.
    pub liberty: Limits,
    /// Risk to livelihood.
    pub livelihood: Limits,
    /// Any other risk.
    pub other: Limits,
}

impl Default for ResponseClocks {
    fn default() -> Self {
        let limits = |a, f| Limits { acknowledge: Duration::hours(a), first_action: Duration::hours(f) };
        Self { life: limits(1, 24), liberty: limits(24, 72), livelihood: limits(72, 168), other: limits(72, 168) }
    }
}

impl ResponseClocks {
    /// The limits for `risk`.
    pub fn for_risk(&self, risk: Risk) -> Limits {
        match risk {
            Risk::Life => self.life,
            Risk::Liberty => self.liberty,
            Risk::Livelihood => self.livelihood,
            Risk::Other => self.other,
        }
    }

    /// Sets the limits for `risk`.
    pub fn set(&mut self, risk: Risk, limits: Limits) {
        match risk {
            Risk::Life => self.life = limits,
            Risk::Liberty => self.liberty = limits,
            Risk::Livelihood => self.livelihood = limits,
            Risk::Other => self.other = limits,
        }
    }

    /// Reads the form `life=1h/24h; liberty=24h/72h; livelihood=3d/7d; other=3d/7d`, as stored
    /// in settings. Risks not named keep their defaults.
    pub fn parse(text: &str) -> CoreResult<Self> {
        let mut clocks = Self::default();
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = |reason: &str| CoreError::InvalidReference {
                field: "response_clocks",
                reason: format!("'{part}': {reason} (write it as life=1h/24h)"),
            };
            let (risk, limits) = part.split_once('=').ok_or_else(|| bad("no '='"))?;
            let risk: Risk = risk.trim().parse()?;
            let (ack, first) = limits.split_once('/').ok_or_else(|| bad("no '/' between the two limits"))?;
            let limits = Limits { acknowledge: parse_duration(ack)?, first_action: parse_duration(first)? };
            if limits.first_action < limits.acknowledge {
                return Err(bad("the first action cannot be due before the acknowledgement"));
            }
            clocks.set(risk, limits);
        }
        Ok(clocks)
    }
}

impl fmt::Display for ResponseClocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Risk::ALL
            .iter()
            .map(|r| {
                let l = self.for_risk(*r);
                format!("{r}={}/{}", show_duration(l.acknowledge), show_duration(l.first_action))
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// Reads `30m`, `1h`, `72h` or `7d` (between a minute and a year).
pub fn parse_duration(text: &str) -> CoreResult<Duration> {
    let text = text.trim();
    let bad = || CoreError::InvalidReference {
        field: "response_clocks",
        reason: format!("'{text}' is not a duration; write 30m, 1h, 72h or 7d"),
    };
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let d = match unit.trim() {
        "m" | "min" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => return Err(bad()),
    };
    if d < Duration::minutes(1) || d > Duration::days(366) {
        return Err(bad());
    }
    Ok(d)
}

/// The shortest of `30m`, `24h`, `7d` that says `d` exactly.
pub fn show_duration(d: Duration) -> String {
    let minutes = d.whole_minutes();
    if minutes % (24 * 60) == 0 && minutes >= 7 * 24 * 60 {
        format!("{}d", minutes / (24 * 60))
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

/// Where one clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Stopped in time.
    Met,
    /// Stopped, but after its limit.
    MetLate,
    /// Running, with more than a quarter of its window left.
    Running,
    /// Running, in the last quarter of its window.
    DueSoon,
    /// Running past its limit.
    Overdue,
    /// The case was closed before the clock stopped.
    Stopped,
}

impl ClockState {
    const ALL: [ClockState; 6] = [
        ClockState::Met,
        ClockState::MetLate,
        ClockState::Running,
        ClockState::DueSoon,
        ClockState::Overdue,
        ClockState::Stopped,
    ];

    /// The name stored and sent in JSON (`due_soon`, `overdue`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Met => "met",
            ClockState::MetLate => "met_late",
            ClockState::Running => "running",
            ClockState::DueSoon => "due_soon",
            ClockState::Overdue => "overdue",
            ClockState::Stopped => "stopped",
        }
    }

    /// Whether someone must act on it now.
    pub fn needs_attention(self) -> bool {
        matches!(self, ClockState::DueSoon | ClockState::Overdue)
    }

    /// As shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ClockState::Met => "met",
            ClockState::MetLate => "met late",
            ClockState::Running => "running",
            ClockState::DueSoon => "due soon",
            ClockState::Overdue => "overdue",
            ClockState::Stopped => "stopped",
        }
    }
}

impl std::str::FromStr for ClockState {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s).ok_or_else(|| CoreError::InvalidTerm {
            what: "clock state",
            value: s.chars().take(40).collect(),
            allowed: Self::ALL.map(ClockState::as_str).join(", "),
        })
    }
}

/// One of a case's two clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clock {
    /// `acknowledge` or `first_action`.
    pub name: &'static str,
    /// When it runs out.
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    /// When it stopped, if it has.
    #[serde(with = "time::serde::rfc3339::option")]
    pub stopped_at: Option<OffsetDateTime>,
    /// Where it stands.
    pub state: ClockState,
}

impl Clock {
    fn new(
        name: &'static str,
        started: OffsetDateTime,
        limit: Duration,
        stopped_at: Option<OffsetDateTime>,
        open: bool,
        now: OffsetDateTime,
    ) -> Self {
        let due = started + limit;
        let state = match stopped_at {
            Some(at) if at <= due => ClockState::Met,
            Some(_) => ClockState::MetLate,
            None if !open => ClockState::Stopped,
            None if now > due => ClockState::Overdue,
            None if due - now <= limit / 4 => ClockState::DueSoon,
            None => ClockState::Running,
        };
        Self { name, due, stopped_at, state }
    }

    /// How long is left (negative when overdue), in whole minutes.
    pub fn minutes_left(&self, now: OffsetDateTime) -> i64 {
        (self.due - now).whole_minutes()
    }
}

/// The facts the clocks are computed from: enough to scan every case for clocks running out
/// without opening anything sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockFacts {
    /// What is at stake.
    pub risk: Risk,
    /// Whether the case is still open.
    pub open: bool,
    /// When it was reported.
    pub reported_at: OffsetDateTime,
    /// When it was acknowledged.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// When its first action got under way.
    pub first_action_at: Option<OffsetDateTime>,
}

impl ClockFacts {
    /// The two clocks at `now`.
    pub fn clocks(&self, clocks: &ResponseClocks, now: OffsetDateTime) -> [Clock; 2] {
        let limits = clocks.for_risk(self.risk);
        [
            Clock::new("acknowledge", self.reported_at, limits.acknowledge, self.acknowledged_at, self.open, now),
            Clock::new("first_action", self.reported_at, limits.first_action, self.first_action_at, self.open, now),
        ]
    }
}

/// A case's two clocks at `now`.
pub fn case_clocks(case: &Case, clocks: &ResponseClocks, now: OffsetDateTime) -> [Clock; 2] {
    ClockFacts {
        risk: case.risk,
        open: case.status.is_open(),
        reported_at: case.created_at,
        acknowledged_at: case.acknowledged_at,
        first_action_at: case.first_action_at,
    }
    .clocks(clocks, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseId, CaseStatus, Visibility};
    use crate::ids::{OrgId, UserId};
    use time::macros::datetime;

    fn case(risk: Risk) -> Case {
        let at = datetime!(2026-11-23 00:00 UTC);
        Case {
            id: CaseId::new(),
            org_id: OrgId::new(),
            created_by: UserId::new(),
            title: "t".into(),
            summary: String::new(),
            pseudonym: None,
            country: None,
            risk,
            urgency: None,
            status: CaseStatus::New,
            visibility: Visibility::Internal,
            assignee: None,
            sector: None,
            people: vec![],
            acknowledged_at: None,
            first_action_at: None,
            members: vec![],
            shared_with: vec![],
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_defaults_are_the_networks_promises() {
        let c = ResponseClocks::default();
        assert_eq!(c.to_string(), "life=1h/24h; liberty=24h/72h; livelihood=72h/7d; other=72h/7d");
        assert_eq!(ResponseClocks::parse(&c.to_string()).unwrap(), c);
        let custom = ResponseClocks::parse("life=30m/12h").unwrap();
        assert_eq!(custom.life.acknowledge, Duration::minutes(30));
        assert_eq!(custom.liberty, c.liberty);
        assert!(ResponseClocks::parse("life=2h/1h").is_err(), "first action before acknowledgement");
        assert!(ResponseClocks::parse("death=1h/2h").is_err());
        assert!(ResponseClocks::parse("life=1w/2h").is_err());
    }

    #[test]
    fn clocks_warn_in_the_last_quarter_and_stop_when_met() {
        let clocks = ResponseClocks::default();
        let mut c = case(Risk::Life);
        let [ack, first] = case_clocks(&c, &clocks, datetime!(2026-11-23 00:30 UTC));
        assert_eq!((ack.state, first.state), (ClockState::Running, ClockState::Running));
        let [ack, _] = case_clocks(&c, &clocks, datetime!(2026-11-23 00:50 UTC));
        assert_eq!(ack.state, ClockState::DueSoon);
        let [ack, _] = case_clocks(&c, &clocks, datetime!(2026-11-23 01:01 UTC));
        assert_eq!(ack.state, ClockState::Overdue);
        assert_eq!(ack.minutes_left(datetime!(2026-11-23 01:11 UTC)), -11);
        c.acknowledged_at = Some(datetime!(2026-11-23 00:40 UTC));
        let [ack, _] = case_clocks(&c, &clocks, datetime!(2026-11-24 00:00 UTC));
        assert_eq!(ack.state, ClockState::Met);
        c.acknowledged_at = Some(datetime!(2026-11-23 02:00 UTC));
        c.status = CaseStatus::Closed;
        let [ack, first] = case_clocks(&c, &clocks, datetime!(2026-11-25 00:00 UTC));
        assert_eq!((ack.state, first.state), (ClockState::MetLate, ClockState::Stopped));
    }
}
