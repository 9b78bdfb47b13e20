//! The one way to read the time.
//!
//! PostgreSQL keeps microseconds; truncating here means a timestamp reads back exactly as it was
//! written on either backend, which the audit chain's hashes depend on.

use time::OffsetDateTime;

/// Now, in UTC, truncated to whole microseconds.
pub fn now() -> OffsetDateTime {
    truncate(OffsetDateTime::now_utc())
}

/// `t` in UTC, truncated to whole microseconds.
pub fn truncate(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    let micros = t.nanosecond() / 1_000;
    t.replace_nanosecond(micros * 1_000).unwrap_or(t)
}

/// RFC 3339 text with exactly six fractional digits, as hashed by the audit chain and shown to users.
pub fn rfc3339(t: OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(FORMAT).unwrap_or_else(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_microseconds_only() {
        let t = time::macros::datetime!(2026-11-23 08:00:00.123456789 UTC);
        assert_eq!(rfc3339(truncate(t)), "2026-11-23T08:00:00.123456Z");
    }
}
