//! Charts drawn as SVG on the server: bars for a report table and a world map shaded by count.
//! No script, no external file: the page (and a saved copy of it) shows them as they are.
//!
//! Every text that reaches the SVG goes through [`esc`]: sector names are typed by users.

use std::fmt::Write as _;
use std::sync::LazyLock;
use steward_core::report::{Cell, ReportTable};

/// Escapes text for SVG (XML) content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const BAR_WIDTH: f64 = 360.0;
const LABEL_WIDTH: f64 = 230.0;
const ROW: f64 = 24.0;

/// Horizontal bars, one per shown row; the row standing for hidden ones is written, not drawn.
/// Years run in order; everything else largest first.
pub fn bar_chart(table: &ReportTable) -> String {
    let mut rows: Vec<_> = table.rows.iter().collect();
    if table.dimension == "year" {
        rows.sort_by(|a, b| a.key.is_empty().cmp(&b.key.is_empty()).then_with(|| a.key.cmp(&b.key)));
    }
    let max = rows.iter().filter_map(|r| r.cases.shown()).max().unwrap_or(1).max(1) as f64;
    let height = ROW * rows.len().max(1) as f64 + 8.0;
    let width = LABEL_WIDTH + BAR_WIDTH + 60.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{}">"#,
        esc(table.title)
    );
    if rows.is_empty() {
        let _ = write!(svg, r##"<text x="0" y="16" fill="#4a5568">No cases.</text>"##);
    }
    for (i, row) in rows.iter().enumerate() {
        let y = i as f64 * ROW + 4.0;
        let label: String = row.label.chars().take(34).collect();
        let _ = write!(
            svg,
            r##"<text x="{x}" y="{ty}" text-anchor="end" font-size="13" fill="#1a202c">{}</text>"##,
            esc(&label),
            x = LABEL_WIDTH - 8.0,
            ty = y + 15.0
        );
        match row.cases {
            Cell::Count(n) => {
                let w = (n as f64 / max * BAR_WIDTH).max(2.0);
                let _ = write!(
                    svg,
                    r##"<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1}" height="{h}" fill="#2b6cb0"><title>{}: {n}</title></rect><text x="{tx:.1}" y="{ty}" font-size="13" fill="#1a202c">{n}</text>"##,
                    esc(&row.label),
                    h = ROW - 6.0,
                    tx = LABEL_WIDTH + w + 6.0,
                    ty = y + 15.0
                );
            }
            Cell::Suppressed => {
                let _ = write!(
                    svg,
                    r##"<text x="{LABEL_WIDTH}" y="{ty}" font-size="12" font-style="italic" fill="#4a5568">not shown</text>"##,
                    ty = y + 15.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Country outlines: (alpha-2, name, SVG path), from Natural Earth (see assets/WORLD-MAP-SOURCE.md).
static OUTLINES: LazyLock<Vec<(&'static str, &'static str, &'static str)>> = LazyLock::new(|| {
    include_str!("../assets/world-110m.tsv")
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            let numeric: u16 = parts.next()?.parse().ok()?;
            let name = parts.next()?;
            let path = parts.next()?;
            Some((steward_core::country::alpha2_of_numeric(numeric)?, name, path))
        })
        .collect()
});

const SHADES: [&str; 5] = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

/// A world map shaded by the shown counts of a `country` table. Countries whose counts are
/// hidden are drawn like countries without cases: the map tells no more than the table.
pub fn world_map(table: &ReportTable) -> String {
    let counts: std::collections::HashMap<&str, u64> =
        table.rows.iter().filter_map(|r| r.cases.shown().map(|n| (r.key.as_str(), n))).collect();
    let max = counts.values().copied().max().unwrap_or(1).max(1);
    let shade = |n: u64| {
        let i = ((n as f64 / max as f64) * (SHADES.len() as f64 - 1.0)).round() as usize;
        SHADES[i.min(SHADES.len() - 1)]
    };
    let mut svg = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 1000 440" role="img" aria-label="Cases by country, on a world map">"#,
    );
    svg.push_str(r##"<rect width="1000" height="440" fill="#f7fafc"/>"##);
    for (alpha2, name, path) in OUTLINES.iter() {
        match counts.get(alpha2) {
            Some(n) => {
                let _ = write!(
                    svg,
                    r##"<path d="{path}" fill="{}" stroke="#fff" stroke-width="0.4"><title>{}: {n}</title></path>"##,
                    shade(*n),
                    esc(name)
                );
            }
            None => {
                let _ = write!(svg, r##"<path d="{path}" fill="#e2e8f0" stroke="#fff" stroke-width="0.4"/>"##);
            }
        }
    }
    // Legend: the range each shade stands for.
    for (i, colour) in SHADES.iter().enumerate() {
        let _ = write!(svg, r##"<rect x="{}" y="412" width="24" height="12" fill="{colour}"/>"##, 20 + i * 26);
    }
    let _ = write!(
        svg,
        r##"<text x="20" y="408" font-size="12" fill="#1a202c">cases: few</text><text x="150" y="422" font-size="12" fill="#1a202c">{max}</text>"##
    );
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::report::ReportRow;

    fn table(dimension: &'static str, rows: Vec<(&str, Cell)>) -> ReportTable {
        ReportTable {
            dimension,
            title: "Cases",
            rows: rows
                .into_iter()
                .map(|(k, c)| ReportRow { key: k.to_string(), label: k.to_string(), cases: c })
                .collect(),
        }
    }

    #[test]
    fn labels_typed_by_users_cannot_inject_markup() {
        let svg = bar_chart(&table("sector", vec![("<script>alert(1)</script>", Cell::Count(6))]));
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_map_shades_shown_counts_only() {
        let svg = world_map(&table("country", vec![("KH", Cell::Count(9)), ("GT", Cell::Suppressed)]));
        assert!(svg.contains("<title>Cambodia: 9</title>"), "Cambodia is shaded and named");
        assert!(!svg.contains("Guatemala"), "a hidden count leaves its country unmarked");
        assert!(OUTLINES.len() > 150, "Natural Earth's countries load: {}", OUTLINES.len());
    }
}
