//! Screening a supplier table row by row: which columns hold what (found by header, or named),
//! and the verdict added to each row. The CLI, the web upload and saved registries all screen
//! through here, so a row gets the same verdict wherever it is screened.

use crate::goods_risk::GoodsIndex;
use crate::index::{Index, Query};

/// Hits scoring this far below the threshold are shown for review.
pub const REVIEW_MARGIN: f64 = 0.2;

/// The columns Steward adds, in order.
pub const OUTPUT_COLUMNS: [&str; 7] = [
    "steward_status",
    "steward_score",
    "steward_list",
    "steward_entity_id",
    "steward_entity_name",
    "steward_goods_risk",
    "steward_reason",
];

/// What Steward adds to one row.
pub type Added = [String; 7];

/// A header as it is compared: letters and digits, lower case, accents dropped ("País" → "pais").
fn header_key(h: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    h.nfkd().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Column names given by the user, overriding detection (kept with a saved registry as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ColumnNames {
    /// The supplier's name.
    pub name: Option<String>,
    /// Other names.
    pub aliases: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Goods, as free text.
    pub goods: Option<String>,
    /// Identifiers.
    pub ids: Option<String>,
    /// HS or HTS codes.
    pub hs: Option<String>,
}

impl ColumnNames {
    /// Whether any column was named.
    pub fn is_empty(&self) -> bool {
        *self == ColumnNames::default()
    }
}

/// Where each kind of value is in the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    /// The supplier's name.
    pub name: Option<usize>,
    /// Other names (`;` or `|` between them).
    pub aliases: Option<usize>,
    /// Country, as a name or code.
    pub country: Option<usize>,
    /// Goods, as free text.
    pub goods: Option<usize>,
    /// Identifiers (`;` or `|` between them).
    pub ids: Option<usize>,
    /// HS or HTS codes of the goods.
    pub hs: Option<usize>,
}

/// Headers (letters and digits only, lower case) by what they hold, in the languages supplier
/// files come in: English, Spanish, Portuguese, French, German, Italian, Turkish, Indonesian,
/// Vietnamese and Chinese.
const NAME_HEADERS: &[&str] = &[
    "name",
    "suppliername",
    "supplier",
    "company",
    "companyname",
    "entity",
    "entityname",
    "vendor",
    "vendorname",
    "legalname",
    "factory",
    "factoryname",
    "manufacturer",
    "exporter",
    "shipper",
    "organisation",
    "organization",
    "party",
    "businessname",
    "nombre",
    "proveedor",
    "razonsocial",
    "empresa",
    "fabrica",
    "nome",
    "fornecedor",
    "fournisseur",
    "raisonsociale",
    "societe",
    "entreprise",
    "usine",
    "lieferant",
    "firma",
    "firmenname",
    "hersteller",
    "fornitore",
    "ragionesociale",
    "tedarikci",
    "firmaadi",
    "pemasok",
    "namaperusahaan",
    "nhacungcap",
    "tencongty",
    "供应商",
    "供应商名称",
    "公司名称",
    "企业名称",
    "工厂名称",
    "名称",
];
const ALIAS_HEADERS: &[&str] =
    &["aliases", "alias", "aka", "othernames", "tradename", "nombrecomercial", "nomcommercial", "handelsname", "别名"];
const COUNTRY_HEADERS: &[&str] = &[
    "country",
    "countrycode",
    "countryoforigin",
    "origin",
    "suppliercountry",
    "iso2",
    "countryname",
    "nation",
    "pais",
    "paisdeorigen",
    "pays",
    "paysdorigine",
    "land",
    "herkunftsland",
    "paese",
    "ulke",
    "negara",
    "quocgia",
    "国家",
    "原产国",
];
const GOODS_HEADERS: &[&str] = &[
    "goods",
    "product",
    "products",
    "productdescription",
    "description",
    "commodity",
    "merchandise",
    "items",
    "material",
    "materials",
    "producto",
    "productos",
    "mercancia",
    "produto",
    "produit",
    "produits",
    "marchandise",
    "ware",
    "waren",
    "produkt",
    "prodotto",
    "urun",
    "barang",
    "sanpham",
    "产品",
    "商品",
    "货物",
];
const HS_HEADERS: &[&str] = &[
    "hscode",
    "hs",
    "hts",
    "htscode",
    "hscodes",
    "tariffcode",
    "commoditycode",
    "hsn",
    "harmonizedcode",
    "codigoarancelario",
    "fraccionarancelaria",
    "ncm",
    "codedouanier",
    "zolltarifnummer",
    "海关编码",
    "hs编码",
];
const ID_HEADERS: &[&str] = &[
    "identifiers",
    "identifier",
    "registrationnumber",
    "regno",
    "taxid",
    "vat",
    "duns",
    "lei",
    "companynumber",
    "rfc",
    "nit",
    "ruc",
    "cnpj",
    "siret",
    "siren",
    "npwp",
    "统一社会信用代码",
];

/// Words that, inside a longer header, say it holds names ("Supplier legal name", "Nombre del
/// proveedor"), for files whose name column no header above matches exactly.
const NAME_STEMS: &[&str] =
    &["name", "supplier", "vendor", "company", "factory", "nombre", "proveedor", "fournisseur", "lieferant", "名称"];

impl Columns {
    /// Finds the columns by header, or by the names given; fails when a named column is missing
    /// or when there is neither a name nor a goods column to screen.
    pub fn detect(headers: &[String], given: &ColumnNames) -> Result<Columns, String> {
        let find = |flag: &Option<String>, known: &[&str], what: &str| -> Result<Option<usize>, String> {
            if let Some(name) = flag {
                let key = header_key(name);
                return headers
                    .iter()
                    .position(|h| header_key(h) == key)
                    .map(Some)
                    .ok_or_else(|| format!("no column '{name}' for the {what} (columns: {})", headers.join(", ")));
            }
            Ok(headers.iter().position(|h| known.contains(&header_key(h).as_str())))
        };
        let mut cols = Columns {
            name: find(&given.name, NAME_HEADERS, "name")?,
            aliases: find(&given.aliases, ALIAS_HEADERS, "aliases")?,
            country: find(&given.country, COUNTRY_HEADERS, "country")?,
            goods: find(&given.goods, GOODS_HEADERS, "goods")?,
            ids: find(&given.ids, ID_HEADERS, "identifiers")?,
            hs: find(&given.hs, HS_HEADERS, "HS codes")?,
        };
        if cols.name.is_none() {
            // No header is exactly a name header: the first that says so in more words, and is
            // not already another column.
            let taken = [cols.aliases, cols.country, cols.goods, cols.ids, cols.hs];
            cols.name = headers.iter().enumerate().position(|(i, h)| {
                let key = header_key(h);
                !taken.contains(&Some(i))
                    && NAME_STEMS.iter().any(|s| key.contains(s))
                    && !COUNTRY_HEADERS.iter().chain(ALIAS_HEADERS).any(|c| key.contains(c) && c.len() > 3)
            });
        }
        if cols.name.is_none() && cols.goods.is_none() && cols.hs.is_none() {
            return Err(format!(
                "found no column of names or goods to screen (columns: {}); name one",
                headers.join(", ")
            ));
        }
        Ok(cols)
    }
}

/// A row that could not be screened: `error` and why.
pub fn error_row(reason: String) -> Added {
    ["error".into(), String::new(), String::new(), String::new(), String::new(), String::new(), reason]
}

fn many(cell: &str) -> Vec<String> {
    cell.split([';', '|']).map(str::trim).filter(|a| !a.is_empty()).map(String::from).collect()
}

/// Screens one row (`fields`, already as wide as the header); `line` names it in messages.
pub fn screen_row(
    index: &Index,
    goods: &GoodsIndex,
    cols: &Columns,
    fields: &[String],
    line: &str,
    threshold: f64,
) -> Added {
    let get = |c: Option<usize>| c.and_then(|c| fields.get(c)).map(|v| v.trim()).unwrap_or("");
    if get(cols.name).is_empty() && get(cols.goods).is_empty() && get(cols.hs).is_empty() {
        return error_row(format!("{line} has no name and no goods to screen"));
    }
    let review_floor = (threshold - REVIEW_MARGIN).max(0.0);
    let mut notes = Vec::new();
    let country = match get(cols.country) {
        "" => None,
        c => match steward_core::country::resolve(c) {
            Ok(c) => Some(c.alpha2.to_string()),
            Err(_) => {
                notes.push(format!("country '{c}' is not known, so it was not used"));
                None
            }
        },
    };
    let query = Query {
        name: get(cols.name).to_string(),
        aliases: many(get(cols.aliases)),
        schema: None,
        countries: country.iter().cloned().collect(),
        identifiers: many(get(cols.ids)),
    };
    let hit = if query.name.is_empty() { None } else { index.search(&query, 1, review_floor).into_iter().next() };
    let described = format!("{} {}", get(cols.goods), get(cols.hs));
    let risks = country.as_deref().map(|c| goods.risks(&described, c)).unwrap_or_default();
    let goods_risk = risks
        .iter()
        .map(|r| format!("{} from {}: {} ({})", r.good, r.country, r.flags, r.edition))
        .collect::<Vec<_>>()
        .join("; ");
    let status = match &hit {
        Some(h) if h.score >= threshold => "match",
        Some(_) => "review",
        None if !risks.is_empty() => "review",
        None => "clear",
    };
    let mut reason = match &hit {
        Some(h) => h.reason(),
        None if query.name.is_empty() => "no name to screen".to_string(),
        None => format!("no listed name scores {review_floor:.2} or more"),
    };
    if !risks.is_empty() {
        reason.push_str(&format!("; goods on the List of Goods for this country: {}", risks.len()));
    }
    for n in notes {
        reason.push_str("; ");
        reason.push_str(&n);
    }
    [
        status.into(),
        hit.as_ref().map(|h| format!("{:.3}", h.score)).unwrap_or_default(),
        hit.as_ref().map(|h| h.entry.source.list.clone()).unwrap_or_default(),
        hit.as_ref().map(|h| h.entry.entity.key.clone()).unwrap_or_default(),
        hit.as_ref().map(|h| h.entry.entity.name.clone()).unwrap_or_default(),
        goods_risk,
        reason,
    ]
}

/// The row's fields padded to the header's width, and the problem when they did not fit.
pub fn fit(mut fields: Vec<String>, width: usize, line: &str) -> (Vec<String>, Option<String>) {
    let problem = (fields.len() != width).then(|| {
        let extra = if fields.len() > width { fields[width..].join(",") } else { String::new() };
        format!(
            "{line} has {} fields but the header has {width}{}",
            fields.len(),
            if extra.is_empty() { String::new() } else { format!(" (extra: {extra})") }
        )
    });
    fields.resize(width, String::new());
    (fields, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(headers: &[&str]) -> Result<Columns, String> {
        Columns::detect(&headers.iter().map(|h| h.to_string()).collect::<Vec<_>>(), &ColumnNames::default())
    }

    #[test]
    fn headers_are_found_in_the_languages_supplier_files_come_in() {
        let es = detect(&["Razón social", "País", "Producto", "RFC"]).unwrap();
        assert_eq!((es.name, es.country, es.goods, es.ids), (Some(0), Some(1), Some(2), Some(3)));
        let zh = detect(&["序号", "供应商名称", "国家", "产品", "海关编码"]).unwrap();
        assert_eq!((zh.name, zh.country, zh.goods, zh.hs), (Some(1), Some(2), Some(3), Some(4)));
        let de = detect(&["Lieferant", "Herkunftsland", "Waren"]).unwrap();
        assert_eq!((de.name, de.country, de.goods), (Some(0), Some(1), Some(2)));
    }

    #[test]
    fn a_name_column_is_found_in_longer_headers_but_not_taken_from_others() {
        let c = detect(&["Ref", "Country name", "Supplier legal name (EN)", "Trade name"]).unwrap();
        assert_eq!((c.name, c.country, c.aliases), (Some(2), Some(1), Some(3)));
        let err = detect(&["Ref", "Amount", "Country"]).unwrap_err();
        assert!(err.contains("found no column of names or goods") && err.contains("Ref, Amount, Country"), "{err}");
    }
}
