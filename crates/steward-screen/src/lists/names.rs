//! Reading names as official lists write them: "Hoshan Polysilicon Industry Co., Ltd. (also
//! known as Hoshan Silicon; formerly Hoshan Chemical) and its subsidiaries", "XPCC [新疆生产建设兵团]".
//! One cell gives a main name and its aliases; several entities in one cell are split apart.

use unicode_normalization::UnicodeNormalization;

/// Phrases that introduce another name, lower-cased.
const ALIAS_MARKERS: [&str; 8] =
    ["also known as", "formerly known as", "a.k.a.", "aka", "f.k.a.", "formerly", "doing business as", "d.b.a."];

/// Phrases that end a name: what follows describes, it does not name.
const TAIL_MARKERS: [&str; 5] = [
    " and its subsidiaries",
    ", including its subsidiaries",
    " including its subsidiaries",
    " and subsidiaries",
    " and its affiliates",
];

/// A name and its aliases from one list entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The main name.
    pub name: String,
    /// Other names, in the order written.
    pub aliases: Vec<String>,
    /// Whether the entry covers subsidiaries too.
    pub subsidiaries: bool,
}

fn clean(s: &str) -> String {
    let s: String = s.nfc().collect();
    s.trim().trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c.is_whitespace()).to_string()
}

/// Removes a leading alias marker ("also known as X" → "X").
fn strip_marker(s: &str) -> (bool, String) {
    let lower = s.trim().to_lowercase();
    for m in ALIAS_MARKERS {
        if let Some(rest) = lower.strip_prefix(m) {
            if rest.is_empty() || rest.starts_with([' ', ':', ',']) {
                let cut = s.trim().len() - rest.len();
                return (true, clean(&s.trim()[cut..]));
            }
        }
    }
    (false, clean(s))
}

/// Splits a run of aliases: "X; Y, also known as Z" → X, Y, Z.
fn alias_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split([';', '；']) {
        let mut rest = part.to_string();
        // "X, also known as Y" inside one part.
        loop {
            let lower = rest.to_lowercase();
            let hit = ALIAS_MARKERS.iter().filter_map(|m| lower.find(&format!(", {m} ")).map(|i| (i, m.len()))).min();
            match hit {
                Some((i, len)) => {
                    out.push(strip_marker(&rest[..i]).1);
                    rest = rest[i + 2 + len..].to_string();
                }
                None => break,
            }
        }
        out.push(strip_marker(&rest).1);
    }
    out.into_iter().filter(|a| !a.is_empty()).collect()
}

/// Reads one entry: the text outside brackets is the name; bracketed text ( ), [ ], （ ） and
/// "also known as" clauses are aliases; "and its subsidiaries" is noted and dropped.
pub fn read(entry: &str) -> Named {
    let mut text: String = entry.nfc().collect::<String>().replace(['\n', '\r'], " ");
    let mut subsidiaries = false;
    for tail in TAIL_MARKERS {
        let lower = text.to_lowercase();
        if let Some(i) = lower.find(tail) {
            subsidiaries = true;
            text.truncate(i);
        }
    }
    let mut outside = String::new();
    let mut aliases = Vec::new();
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '（' | '【' => {
                if depth > 0 {
                    inner.push(c);
                }
                depth += 1;
            }
            ')' | ']' | '）' | '】' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    aliases.extend(alias_list(&inner));
                    inner.clear();
                } else {
                    inner.push(c);
                }
            }
            c if depth > 0 => inner.push(c),
            c => outside.push(c),
        }
    }
    if !inner.is_empty() {
        aliases.extend(alias_list(&inner));
    }
    // "Name, also known as Other" outside brackets.
    let mut names = alias_list(&outside);
    let name = if names.is_empty() { String::new() } else { names.remove(0) };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    aliases.extend(names);
    let mut seen = std::collections::HashSet::new();
    let aliases = aliases
        .into_iter()
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty() && *a != name && seen.insert(a.to_lowercase()))
        .collect();
    Named { name, aliases, subsidiaries }
}

/// Splits a cell that names several entities: one per line, or separated by ";" outside brackets
/// when each part is itself a name (WRO cells list "Company A; Company B").
pub fn entities_in(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in cell.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()) {
        let mut depth = 0i32;
        let mut current = String::new();
        for c in line.chars() {
            match c {
                '(' | '[' | '（' => depth += 1,
                ')' | ']' | '）' => depth -= 1,
                _ => {}
            }
            if c == ';' && depth <= 0 {
                out.push(std::mem::take(&mut current));
            } else {
                current.push(c);
            }
        }
        out.push(current);
    }
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_subsidiaries_as_lists_write_them() {
        let n = read("Hoshan Polysilicon Industry Co., Ltd. (also known as Hoshan Silicon; formerly Hoshan Chemical) and its subsidiaries");
        assert_eq!(n.name, "Hoshan Polysilicon Industry Co., Ltd.");
        assert_eq!(n.aliases, ["Hoshan Silicon", "Hoshan Chemical"]);
        assert!(n.subsidiaries);
        let n = read("Xinjiang Production and Construction Corps (XPCC) [新疆生产建设兵团]");
        assert_eq!(n.name, "Xinjiang Production and Construction Corps");
        assert_eq!(n.aliases, ["XPCC", "新疆生产建设兵团"]);
        let n = read("Lop County Meixin Hair Products Co., Ltd., also known as Meixin Hair");
        assert_eq!(
            (n.name.as_str(), n.aliases.as_slice()),
            ("Lop County Meixin Hair Products Co., Ltd.", &["Meixin Hair".to_string()][..])
        );
        assert_eq!(
            entities_in("Company A (a.k.a. A Co; A Ltd); Company B\nCompany C"),
            ["Company A (a.k.a. A Co; A Ltd)", "Company B", "Company C"]
        );
    }
}
