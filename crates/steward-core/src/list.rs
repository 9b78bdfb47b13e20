//! Official lists as dated editions, and the rows of goods lists (one good from one country).
//!
//! Every import of a list file is an edition: where it came from, when it was published and
//! imported, its checksum and row count. The editions in force are the newest of each list.

use serde::Serialize;

/// One (good, country) row of a goods list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoodsRow {
    /// Line in the source file.
    pub row: usize,
    /// The good as the list names it, Unicode-normalised (NFC).
    pub good: String,
    /// Agriculture, Manufacturing, Mining, Other.
    pub sector: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The country as the list writes it ("Burma").
    pub country_name: String,
    /// Listed for child labor.
    pub child_labor: bool,
    /// Listed for forced labor.
    pub forced_labor: bool,
    /// Listed for forced child labor.
    pub forced_child_labor: bool,
    /// A downstream good made with a listed input (2022 list onwards).
    pub derived: bool,
    /// For a downstream good, the country of the listed input, as the list writes it.
    pub derived_input_country: Option<String>,
}

impl GoodsRow {
    /// The pair's identity across editions: the folded good and the country code.
    pub fn key(&self) -> (String, String) {
        (crate::country::fold(&self.good), self.country.clone())
    }

    /// The flags as people read them: "child labor, forced labor".
    pub fn flags(&self) -> String {
        let mut out = Vec::new();
        if self.child_labor {
            out.push("child labor");
        }
        if self.forced_labor {
            out.push("forced labor");
        }
        if self.forced_child_labor {
            out.push("forced child labor");
        }
        if self.derived {
            out.push("downstream of a listed good");
        }
        if out.is_empty() {
            return "no flags in this edition".into();
        }
        out.join(", ")
    }
}

/// The formats Steward reads lists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// ILAB's List of Goods Produced by Child Labor or Forced Labor (XML or flat CSV).
    Tvpra,
    /// A list of parties as CSV: name, aliases, country, identifiers, notes.
    Csv,
    /// The UFLPA Entity List (DHS): entity names with aliases and subsidiaries in the text.
    Uflpa,
    /// CBP Withhold Release Orders and Findings.
    Wro,
    /// The Executive Order 13126 list of products made with forced or indentured child labor.
    Eo13126,
    /// FollowTheMoney entities as JSON lines (OpenSanctions exports).
    Ftm,
}

impl ListKind {
    /// The kind as typed on the command line and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Tvpra => "tvpra",
            ListKind::Csv => "csv",
            ListKind::Uflpa => "uflpa",
            ListKind::Wro => "wro",
            ListKind::Eo13126 => "eo13126",
            ListKind::Ftm => "ftm",
        }
    }

    /// Every kind, as `--kind` accepts them.
    pub const ALL: [ListKind; 6] =
        [ListKind::Tvpra, ListKind::Eo13126, ListKind::Uflpa, ListKind::Wro, ListKind::Csv, ListKind::Ftm];

    /// Lists of goods by country (screened by what a supplier makes and where).
    pub fn holds_goods(self) -> bool {
        matches!(self, ListKind::Tvpra | ListKind::Eo13126)
    }

    /// Lists of parties (screened by name).
    pub fn holds_entities(self) -> bool {
        !self.holds_goods()
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            ListKind::Tvpra => "List of Goods Produced by Child Labor or Forced Labor (ILAB)",
            ListKind::Csv => "Entity list (CSV)",
            ListKind::Uflpa => "UFLPA Entity List (DHS)",
            ListKind::Wro => "Withhold Release Orders and Findings (CBP)",
            ListKind::Eo13126 => "Executive Order 13126 List of Products (DOL)",
            ListKind::Ftm => "FollowTheMoney entities (JSON lines)",
        }
    }
}

impl std::str::FromStr for ListKind {
    type Err = crate::CoreError;
    fn from_str(s: &str) -> crate::CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tvpra" => Ok(ListKind::Tvpra),
            "csv" => Ok(ListKind::Csv),
            "uflpa" => Ok(ListKind::Uflpa),
            "wro" => Ok(ListKind::Wro),
            "eo13126" => Ok(ListKind::Eo13126),
            "ftm" => Ok(ListKind::Ftm),
            _ => Err(crate::CoreError::InvalidListKind { value: s.to_string() }),
        }
    }
}

/// A stored edition of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    /// Its id.
    pub id: crate::ids::EditionId,
    /// The list it belongs to ("tvpra", or the name given at import).
    pub list_name: String,
    /// Its format.
    pub kind: ListKind,
    /// Where the file came from: its name, or "shipped with Steward".
    pub source: String,
    /// Publication date (YYYY-MM-DD), when known.
    pub published: Option<time::Date>,
    /// When it was imported.
    pub imported_at: time::OffsetDateTime,
    /// SHA-256 of the file.
    pub checksum: String,
    /// Rows in the edition.
    pub rows: i64,
}

impl Edition {
    /// How people refer to it: `tvpra@2022-09-28`, or the list name and import date.
    pub fn label(&self) -> String {
        match self.published {
            Some(d) => format!("{}@{d}", self.list_name),
            None => format!("{}@imported-{}", self.list_name, self.imported_at.date()),
        }
    }
}

/// An edition about to be stored with its rows.
#[derive(Debug, Clone)]
pub struct NewEdition {
    /// The list it belongs to.
    pub list_name: String,
    /// Its format.
    pub kind: ListKind,
    /// Where the file came from.
    pub source: String,
    /// Publication date, when known.
    pub published: Option<time::Date>,
    /// SHA-256 of the file.
    pub checksum: String,
}

/// What kind of party a list entity is, in FollowTheMoney's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum EntitySchema {
    /// A company.
    Company,
    /// A natural person.
    Person,
    /// An organisation that is not a company (a union, an agency).
    Organization,
    /// Any legal entity, when the list does not say which.
    LegalEntity,
}

impl EntitySchema {
    /// The FollowTheMoney schema name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntitySchema::Company => "Company",
            EntitySchema::Person => "Person",
            EntitySchema::Organization => "Organization",
            EntitySchema::LegalEntity => "LegalEntity",
        }
    }
}

impl std::str::FromStr for EntitySchema {
    type Err = crate::CoreError;
    fn from_str(s: &str) -> crate::CoreResult<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "company" => Ok(EntitySchema::Company),
            "person" | "individual" => Ok(EntitySchema::Person),
            "organization" | "organisation" => Ok(EntitySchema::Organization),
            "legalentity" | "legal entity" | "entity" | "" => Ok(EntitySchema::LegalEntity),
            _ => Err(crate::CoreError::InvalidSchema { value: s.to_string() }),
        }
    }
}

/// One party named by an entity list (the UFLPA Entity List, a user's own list...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListEntity {
    /// Where it came from: the line in the source file when parsed; its place in the edition (1
    /// is the first entry) once stored, since one line may name several entities.
    pub row: usize,
    /// Stable within the list: the file's own id, or one derived from the name.
    pub key: String,
    /// Company, person or organisation.
    pub schema: EntitySchema,
    /// The main name.
    pub name: String,
    /// Other names: aliases, former names, names in other scripts.
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    /// Registration numbers and other identifiers, as written.
    pub identifiers: Vec<String>,
    /// Free text from the list.
    pub notes: String,
}
