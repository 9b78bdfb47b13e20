//! Reports over the cases a reader may see: counts by country, incident type, perpetrator type,
//! sector, year and risk; median times to acknowledgement and first action; clocks overdue.
//!
//! Small counts identify people: "one trade-union leader arrested in country X in 2025" is a
//! name to anyone who knows the place. So every count below the installation's threshold is
//! suppressed, and when the suppressed counts of a table could be worked out from its total (one
//! suppressed cell, or suppressed cells adding up to less than the threshold), the next smallest
//! counts are suppressed too. Medians are given only over at least as many cases as the
//! threshold. The same suppression applies to the page, the charts and every export.

use crate::case::{CaseStatus, Risk};
use crate::incident::{IncidentType, PerpetratorType};
use crate::response::{ClockFacts, ClockState, ResponseClocks};
use serde::Serialize;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// The default smallest count shown (a common threshold in statistical disclosure control).
pub const DEFAULT_MIN_COUNT: u64 = 5;

/// The label of the row that stands for every hidden row of a table.
pub const OTHERS: &str = "others (too few to show)";

/// What a report needs of one case: no names, no words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFacts {
    /// ISO alpha-2.
    pub country: Option<String>,
    /// As recorded.
    pub sector: Option<String>,
    /// What is at stake.
    pub risk: Risk,
    /// Where it stands.
    pub status: CaseStatus,
    /// When it was reported.
    pub reported_at: OffsetDateTime,
    /// When it was acknowledged.
    pub acknowledged_at: Option<OffsetDateTime>,
    /// When its first action got under way.
    pub first_action_at: Option<OffsetDateTime>,
    /// The types of its incidents.
    pub incident_types: Vec<IncidentType>,
    /// The perpetrator types of its incidents.
    pub perpetrators: Vec<PerpetratorType>,
}

/// A count, or the fact that it is too small to show. In JSON: the number, or `"suppressed"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Shown.
    Count(u64),
    /// Below the threshold (or hidden so that one below it cannot be worked out).
    Suppressed,
}

impl Cell {
    /// The count, when shown.
    pub fn shown(self) -> Option<u64> {
        match self {
            Cell::Count(n) => Some(n),
            Cell::Suppressed => None,
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(n) => s.serialize_u64(*n),
            Cell::Suppressed => s.serialize_str("suppressed"),
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Suppressed => f.write_str("suppressed"),
        }
    }
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// What is counted (a country code, a type, a year...).
    pub key: String,
    /// As shown to people.
    pub label: String,
    /// How many cases.
    pub cases: Cell,
}

/// Cases counted along one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTable {
    /// `country`, `incident_type`, `perpetrator`, `sector`, `year` or `risk`.
    pub dimension: &'static str,
    /// Its heading.
    pub title: &'static str,
    /// Largest first; rows with no case are left out.
    pub rows: Vec<ReportRow>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The smallest count shown.
    pub min_count: u64,
    /// Cases counted.
    pub cases: Cell,
    /// Cases still open.
    pub open: Cell,
    /// Open cases whose acknowledgement clock ran out.
    pub overdue_acknowledge: Cell,
    /// Open cases whose first-action clock ran out.
    pub overdue_first_action: Cell,
    /// Median hours from report to acknowledgement, over acknowledged cases.
    pub median_hours_to_acknowledge: Option<f64>,
    /// Median hours from report to the first action under way.
    pub median_hours_to_first_action: Option<f64>,
    /// The tables.
    pub tables: Vec<ReportTable>,
}

impl Report {
    /// Builds the report at `now`, suppressing every count below `min_count` (at least 2).
    pub fn build(facts: &[ReportFacts], min_count: u64, clocks: &ResponseClocks, now: OffsetDateTime) -> Self {
        let min = min_count.max(2);
        let cell = |n: u64| if n == 0 || n >= min { Cell::Count(n) } else { Cell::Suppressed };
        let mut overdue = [0u64; 2];
        for f in facts {
            let states = ClockFacts {
                risk: f.risk,
                open: f.status.is_open(),
                reported_at: f.reported_at,
                acknowledged_at: f.acknowledged_at,
                first_action_at: f.first_action_at,
            }
            .clocks(clocks, now);
            for (i, c) in states.iter().enumerate() {
                if c.state == ClockState::Overdue {
                    overdue[i] += 1;
                }
            }
        }
        let hours = |pick: fn(&ReportFacts) -> Option<OffsetDateTime>| -> Option<f64> {
            let mut h: Vec<f64> =
                facts.iter().filter_map(|f| pick(f).map(|t| (t - f.reported_at).as_seconds_f64() / 3600.0)).collect();
            (h.len() as u64 >= min).then(|| median(&mut h))
        };
        let table = |dimension, title, keys: &dyn Fn(&ReportFacts) -> Vec<(String, String)>| {
            let mut counts: BTreeMap<String, (String, u64)> = BTreeMap::new();
            for f in facts {
                let mut seen = keys(f);
                seen.sort();
                seen.dedup();
                for (key, label) in seen {
                    counts.entry(key).or_insert((label, 0)).1 += 1;
                }
            }
            suppress(dimension, title, counts, min)
        };
        let country_label = |code: &str| {
            crate::country::by_alpha2(code).map(|c| c.name.to_string()).unwrap_or_else(|| code.to_string())
        };
        let tables = vec![
            table("country", "Cases by country", &|f| {
                vec![f.country.as_deref().map_or(("".into(), "not recorded".into()), |c| (c.into(), country_label(c)))]
            }),
            table("incident_type", "Cases by type of incident", &|f| {
                f.incident_types.iter().map(|t| (t.as_str().into(), t.as_str().into())).collect()
            }),
            table("perpetrator", "Cases by perpetrator type", &|f| {
                f.perpetrators.iter().map(|p| (p.as_str().into(), p.as_str().into())).collect()
            }),
            table("sector", "Cases by sector", &|f| {
                let sector = f.sector.as_deref().map(str::trim).filter(|s| !s.is_empty());
                vec![sector.map_or(("".into(), "not recorded".into()), |s| (s.to_lowercase(), s.to_lowercase()))]
            }),
            table("year", "Cases by year reported", &|f| {
                vec![(f.reported_at.year().to_string(), f.reported_at.year().to_string())]
            }),
            table("risk", "Cases by risk", &|f| vec![(f.risk.as_str().into(), f.risk.as_str().into())]),
        ];
        Report {
            min_count: min,
            cases: cell(facts.len() as u64),
            open: cell(facts.iter().filter(|f| f.status.is_open()).count() as u64),
            overdue_acknowledge: cell(overdue[0]),
            overdue_first_action: cell(overdue[1]),
            median_hours_to_acknowledge: hours(|f| f.acknowledged_at),
            median_hours_to_first_action: hours(|f| f.first_action_at),
            tables,
        }
    }

    /// One table by its dimension.
    pub fn table(&self, dimension: &str) -> Option<&ReportTable> {
        self.tables.iter().find(|t| t.dimension == dimension)
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Primary and secondary suppression of one table.
fn suppress(
    dimension: &'static str,
    title: &'static str,
    counts: BTreeMap<String, (String, u64)>,
    min: u64,
) -> ReportTable {
    let mut rows: Vec<(String, String, u64, bool)> =
        counts.into_iter().map(|(k, (label, n))| (k, label, n, n < min)).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    // Secondary: while what is hidden could be worked out from the rest (a single hidden cell,
    // or hidden cells adding up to less than the threshold), hide the smallest cell still shown.
    loop {
        let hidden: Vec<u64> = rows.iter().filter(|r| r.3).map(|r| r.2).collect();
        let exposed = !hidden.is_empty() && (hidden.len() == 1 || hidden.iter().sum::<u64>() < min);
        if !exposed {
            break;
        }
        match rows.iter_mut().rev().find(|r| !r.3) {
            Some(next) => next.3 = true,
            None => break,
        }
    }
    // Hidden rows are not listed one by one: even a suppressed row would tell that a country or a
    // sector has cases. They are folded into one row that says only that others exist.
    let any_hidden = rows.iter().any(|r| r.3);
    let mut rows: Vec<ReportRow> = rows
        .into_iter()
        .filter(|r| !r.3)
        .map(|(key, label, n, _)| ReportRow { key, label, cases: Cell::Count(n) })
        .collect();
    if any_hidden {
        rows.push(ReportRow { key: String::new(), label: OTHERS.to_string(), cases: Cell::Suppressed });
    }
    ReportTable { dimension, title, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn case(country: &str, hours_to_ack: Option<i64>) -> ReportFacts {
        let at = datetime!(2026-01-10 00:00 UTC);
        ReportFacts {
            country: Some(country.into()),
            sector: Some("Garments".into()),
            risk: Risk::Liberty,
            status: CaseStatus::Responding,
            reported_at: at,
            acknowledged_at: hours_to_ack.map(|h| at + time::Duration::hours(h)),
            first_action_at: None,
            incident_types: vec![IncidentType::ArbitraryArrest, IncidentType::ArbitraryArrest],
            perpetrators: vec![],
        }
    }

    #[test]
    fn small_counts_are_suppressed_and_cannot_be_worked_out() {
        let mut facts: Vec<ReportFacts> = (0..7).map(|_| case("KH", Some(2))).collect();
        facts.extend((0..6).map(|_| case("BD", Some(4))));
        facts.push(case("GT", None));
        let r = Report::build(&facts, 5, &ResponseClocks::default(), datetime!(2026-01-10 01:00 UTC));
        let country = r.table("country").unwrap();
        let cells: Vec<(&str, Cell)> = country.rows.iter().map(|r| (r.key.as_str(), r.cases)).collect();
        // GT (1) is below 5; alone it could be worked out from the total, so BD (6, the smallest
        // shown) is hidden too.
        assert_eq!(cells, vec![("KH", Cell::Count(7)), ("", Cell::Suppressed)]);
        assert_eq!(country.rows[1].label, OTHERS, "hidden rows are not named, not even as suppressed");
        assert_eq!(r.cases, Cell::Count(14));
        // An incident type counts cases, not incidents.
        assert_eq!(r.table("incident_type").unwrap().rows[0].cases, Cell::Count(14));
        assert_eq!(r.table("sector").unwrap().rows[0].key, "garments");
        assert_eq!(r.median_hours_to_acknowledge, Some(2.0));
        assert_eq!(r.median_hours_to_first_action, None, "no case has had an action: no median");
    }

    #[test]
    fn a_handful_of_cases_shows_nothing_identifying() {
        let facts: Vec<ReportFacts> = (0..3).map(|_| case("KH", Some(1))).collect();
        let r = Report::build(&facts, 5, &ResponseClocks::default(), datetime!(2026-03-01 00:00 UTC));
        assert_eq!(r.cases, Cell::Suppressed);
        assert!(r.tables.iter().all(|t| t.rows.iter().all(|row| row.key.is_empty() && row.cases == Cell::Suppressed)));
        assert_eq!(r.median_hours_to_acknowledge, None);
        assert_eq!(r.overdue_first_action, Cell::Suppressed, "three overdue clocks are too few to show");
    }

    #[test]
    fn the_threshold_never_drops_below_two() {
        let facts = vec![case("KH", None)];
        let r = Report::build(&facts, 0, &ResponseClocks::default(), datetime!(2026-01-10 00:30 UTC));
        assert_eq!((r.min_count, r.cases), (2, Cell::Suppressed));
    }
}
