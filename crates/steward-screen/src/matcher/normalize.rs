//! From a written name to the tokens the matcher compares.
//!
//! Steps, in order: Unicode compatibility normalisation; transliteration of every script to Latin
//! (`any_ascii`; each Han character becomes its own syllable token); case folding; punctuation to
//! spaces, with `&` read as "and"; abbreviations expanded ("intl" → "international"); a light
//! singular (industries → industry). Legal forms are then taken off the ends of the name ("Co.,
//! Ltd.", "有限公司", "OOO", "S.A. de C.V.") and kept apart, as are numbers, which must agree.

use unicode_normalization::UnicodeNormalization;

/// A name prepared for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The name as given.
    pub original: String,
    /// The words that identify the party: no legal form, no numbers, no stop words.
    pub core: Vec<String>,
    /// Legal forms found at either end, canonicalised ("ltd", "gmbh", "ooo").
    pub legal_forms: Vec<String>,
    /// Numbers in the name ("3" of "Factory No. 3").
    pub numbers: Vec<String>,
    /// A generation written after a person's name ("Jr.", "Sr.", "III"): father and son share
    /// every other word, so this one decides.
    pub generation: Option<&'static str>,
    /// Written in a script without vowels (Arabic, Persian, Hebrew): its words are consonant
    /// skeletons, met by the consonants of a Latin spelling.
    pub abjad: bool,
    /// Some but not all of the core words are titles ("Dr.", "Sheikh"), which a person's name
    /// is compared without. Settled here, once per name, because screening compares each listed
    /// name with many queries.
    pub titled: bool,
    /// Written in two to ten capital letters ("IRGC", "AFL-CIO"): possibly another name's
    /// initials.
    pub capitals: bool,
    /// Written in Chinese characters: its words are syllables (or trade words read in English,
    /// see [`HAN_WORDS`]), which a Latin spelling may run together ("新疆" / "Xinjiang").
    pub han: bool,
}

/// Trade and industry words of Chinese company names, read in English as the companies' own
/// English names write them, so that "新疆联创棉纺织" meets "Xinjiang Lianchuang Cotton
/// Textile". Place and brand names are not here: their pinyin is what English names keep, and
/// the matcher runs syllables together to meet it. Legal forms are not here either (they are
/// taken off by their pinyin). Longest first is not needed: the reader tries the longest run.
const HAN_WORDS: &[(&str, &str)] = &[
    ("中国", "china"),
    ("国际", "international"),
    ("分公司", "branch"),
    ("纺织", "textile"),
    ("棉纺", "cotton spinning"),
    ("棉业", "cotton"),
    ("棉花", "cotton"),
    ("棉", "cotton"),
    ("纱线", "yarn"),
    ("服装", "garment"),
    ("服饰", "apparel"),
    ("制衣", "garment"),
    ("针织", "knitting"),
    ("鞋业", "footwear"),
    ("皮革", "leather"),
    ("手套", "glove"),
    ("科技", "technology"),
    ("技术", "technology"),
    ("电子", "electronic"),
    ("电器", "electric appliance"),
    ("电气", "electric"),
    ("电力", "electric power"),
    ("煤电", "coal electric"),
    ("电池", "battery"),
    ("光电", "optoelectronic"),
    ("光伏", "photovoltaic"),
    ("太阳能", "solar"),
    ("新能源", "new energy"),
    ("能源", "energy"),
    ("多晶硅", "polysilicon"),
    ("硅业", "silicon industry"),
    ("材料", "material"),
    ("化工", "chemical"),
    ("化学", "chemical"),
    ("石化", "petrochemical"),
    ("石油", "petroleum"),
    ("天然气", "natural gas"),
    ("煤业", "coal"),
    ("煤炭", "coal"),
    ("钢铁", "iron steel"),
    ("铝业", "aluminium"),
    ("有色金属", "nonferrous metal"),
    ("金属", "metal"),
    ("矿业", "mining"),
    ("黄金", "gold"),
    ("机械", "machinery"),
    ("设备", "equipment"),
    ("汽车", "automobile"),
    ("制造", "manufacturing"),
    ("工业", "industry"),
    ("实业", "industrial"),
    ("产业", "industry"),
    ("贸易", "trading"),
    ("商贸", "trading"),
    ("进出口", "import export"),
    ("投资", "investment"),
    ("控股", "holding"),
    ("发展", "development"),
    ("建设", "construction"),
    ("建筑", "construction"),
    ("工程", "engineering"),
    ("物流", "logistics"),
    ("运输", "transport"),
    ("航运", "shipping"),
    ("远洋", "ocean"),
    ("渔业", "fishery"),
    ("水产", "aquatic product"),
    ("食品", "food"),
    ("农业", "agriculture"),
    ("番茄", "tomato"),
    ("生物", "biotechnology"),
    ("医药", "pharmaceutical"),
    ("制药", "pharmaceutical"),
    ("银行", "bank"),
    ("保险", "insurance"),
    ("证券", "securities"),
    ("信息", "information"),
    ("通信", "communication"),
    ("网络", "network"),
    ("软件", "software"),
    ("智能", "intelligent"),
    ("安防", "security"),
    ("视频", "video"),
    ("半导体", "semiconductor"),
    ("集成电路", "integrated circuit"),
    ("环保", "environmental protection"),
    ("水泥", "cement"),
    ("玻璃", "glass"),
    ("橡胶", "rubber"),
    ("塑料", "plastic"),
    ("家具", "furniture"),
    ("玩具", "toy"),
    ("纸业", "paper"),
    ("印刷", "printing"),
    ("包装", "packaging"),
    ("茶业", "tea"),
    ("糖业", "sugar"),
    ("木业", "wood"),
];

/// The longest run of Han words read.
const LONGEST_HAN_WORD: usize = 4;

/// The English reading of a run of Chinese characters, if it is a trade word.
fn han_word(run: &str) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| HAN_WORDS.iter().copied().collect()).get(run).copied()
}

/// Writes a run of Chinese characters as words: read as the trade words that leave the fewest
/// characters unread (then in the fewest pieces: "棉纺织" is 棉 + 纺织, cotton textile, not 棉纺 +
/// 织), every other character its own pinyin syllable.
fn push_han_run(run: &[char], text: &mut String) {
    // best[i]: (characters unread, pieces, length of the first piece) for run[i..].
    let mut best = vec![(0usize, 0usize, 0usize); run.len() + 1];
    let mut buf = String::new();
    for i in (0..run.len()).rev() {
        let (unread, pieces, _) = best[i + 1];
        best[i] = (unread + 1, pieces + 1, 1);
        for n in 1..=LONGEST_HAN_WORD.min(run.len() - i) {
            buf.clear();
            buf.extend(&run[i..i + n]);
            if han_word(&buf).is_some() {
                let (unread, pieces, _) = best[i + n];
                if (unread, pieces + 1) < (best[i].0, best[i].1) {
                    best[i] = (unread, pieces + 1, n);
                }
            }
        }
    }
    let mut i = 0;
    while i < run.len() {
        let n = best[i].2.max(1);
        buf.clear();
        buf.extend(&run[i..i + n]);
        text.push(' ');
        match han_word(&buf) {
            Some(english) => text.push_str(english),
            None => text.push_str(&any_ascii::any_ascii_char(run[i]).to_ascii_lowercase()),
        }
        text.push(' ');
        i += n;
    }
}

/// Words that honour or rank a person rather than name them ("Dr.", "Sheikh", "Haji", "Gen."),
/// left out of a person's name. Words that are also names ("Tan", "Sen", "Seri") are not here.
pub const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "hon",
    "rev",
    "sheikh",
    "shaikh",
    "sheik",
    "sayyid",
    "sayyed",
    "seyyed",
    "sayed",
    "syed",
    "ayatollah",
    "hojatoleslam",
    "imam",
    "mullah",
    "haji",
    "hajji",
    "tun",
    "dato",
    "datuk",
    "datin",
    "samdech",
    "general",
    "gen",
    "colonel",
    "col",
    "lieutenant",
    "lt",
    "major",
    "maj",
    "captain",
    "capt",
    "admiral",
    "adm",
    "marshal",
    "brigadier",
    "brig",
    "commander",
    "sergeant",
    "sgt",
    "president",
    "bin",
    "binti",
    "bint",
    "ibn",
];

/// Whether a prepared word is a title.
pub fn is_title(word: &str) -> bool {
    TITLES.contains(&word)
}

/// Legal forms as token sequences, each with the form it stands for. Longest first within a
/// starting word, so "co ltd" is taken before "co".
const LEGAL_FORMS: &[(&[&str], &str)] = &[
    // Russian forms written out, as registries write them in Cyrillic (read through
    // transliteration): "Общество с ограниченной ответственностью", "Публичное акционерное
    // общество" and the rest.
    (&["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"], "ooo"),
    (&["publichnoe", "aktsionernoe", "obshchestvo"], "pao"),
    (&["zakrytoe", "aktsionernoe", "obshchestvo"], "zao"),
    (&["otkrytoe", "aktsionernoe", "obshchestvo"], "oao"),
    (&["aktsionernoe", "obshchestvo"], "ao"),
    (&["gu", "fen", "you", "xian", "gong", "si"], "co ltd"),
    (&["you", "xian", "gong", "si"], "co ltd"),
    (&["you", "xian", "ze", "ren", "gong", "si"], "llc"),
    (&["gong", "si"], "co"),
    (&["ji", "tuan"], "group"),
    (&["public", "company", "limited"], "plc"),
    (&["public", "limited", "company"], "plc"),
    (&["limited", "liability", "company"], "llc"),
    (&["joint", "stock", "company"], "jsc"),
    (&["company", "limited"], "co ltd"),
    (&["co", "ltd"], "co ltd"),
    (&["pvt", "ltd"], "ltd"),
    (&["private", "limited"], "ltd"),
    (&["sdn", "bhd"], "sdn bhd"),
    (&["s", "de", "rl", "de", "cv"], "s de rl de cv"),
    (&["s", "a", "de", "c", "v"], "sa de cv"),
    (&["sa", "de", "cv"], "sa de cv"),
    (&["s", "de", "rl"], "s de rl"),
    (&["de", "cv"], "sa de cv"),
    (&["s", "a"], "sa"),
    (&["s", "l"], "sl"),
    (&["s", "r", "l"], "srl"),
    (&["s", "p", "a"], "spa"),
    (&["b", "v"], "bv"),
    (&["n", "v"], "nv"),
    (&["l", "l", "c"], "llc"),
    (&["ltd", "sti"], "ltd sti"),
    (&["sanayi", "ve", "ticaret"], "san tic"),
    (&["san", "ve", "tic"], "san tic"),
    (&["kabushiki", "kaisha"], "kk"),
    (&["societe", "anonyme"], "sa"),
    (&["sociedad", "anonima"], "sa"),
    (&["company"], "co"),
    (&["co"], "co"),
    (&["corporation"], "corp"),
    (&["corp"], "corp"),
    (&["incorporated"], "inc"),
    (&["inc"], "inc"),
    (&["limited"], "ltd"),
    (&["ltd"], "ltd"),
    (&["ltda"], "ltda"),
    (&["llc"], "llc"),
    (&["llp"], "llp"),
    (&["plc"], "plc"),
    (&["pte"], "pte"),
    (&["pty"], "pty"),
    (&["pvt"], "pvt"),
    (&["gmbh"], "gmbh"),
    (&["mbh"], "mbh"),
    (&["ag"], "ag"),
    (&["kg"], "kg"),
    (&["sa"], "sa"),
    (&["sas"], "sas"),
    (&["sarl"], "sarl"),
    (&["srl"], "srl"),
    (&["spa"], "spa"),
    (&["bv"], "bv"),
    (&["nv"], "nv"),
    (&["oy"], "oy"),
    (&["oyj"], "oyj"),
    (&["ab"], "ab"),
    (&["as"], "as"),
    (&["asa"], "asa"),
    (&["aps"], "aps"),
    (&["kk"], "kk"),
    (&["tbk"], "tbk"),
    (&["pt"], "pt"),
    (&["cv"], "cv"),
    (&["bhd"], "bhd"),
    (&["eireli"], "eireli"),
    (&["ooo"], "ooo"),
    (&["zao"], "zao"),
    (&["oao"], "oao"),
    (&["pao"], "pao"),
    (&["ao"], "ao"),
    (&["tov"], "tov"),
    (&["jsc"], "jsc"),
    (&["ojsc"], "ojsc"),
    (&["cjsc"], "cjsc"),
    (&["pjsc"], "pjsc"),
    (&["pcl"], "pcl"),
    (&["fze"], "fze"),
    (&["fzco"], "fzco"),
    (&["wll"], "wll"),
    (&["sti"], "sti"),
];

/// Abbreviations written out, so "Intl Mfg" meets "International Manufacturing".
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("intl", "international"),
    ("int", "international"),
    ("mfg", "manufacturing"),
    ("mfr", "manufacturer"),
    ("ind", "industry"),
    ("inds", "industry"),
    ("indus", "industry"),
    ("bros", "brother"),
    ("natl", "national"),
    ("assn", "association"),
    ("assoc", "association"),
    ("svc", "service"),
    ("svcs", "service"),
    ("tech", "technology"),
    ("grp", "group"),
    ("hldg", "holding"),
    ("hldgs", "holding"),
    ("dev", "development"),
    ("devt", "development"),
    ("mgmt", "management"),
    ("tex", "textile"),
    ("elec", "electric"),
    ("electricity", "electric"),
    ("electrical", "electric"),
    ("eng", "engineering"),
    ("chem", "chemical"),
    ("pharma", "pharmaceutical"),
    ("agri", "agriculture"),
    ("st", "saint"),
];

const STOP_WORDS: &[&str] =
    &["and", "the", "of", "und", "et", "y", "de", "la", "le", "des", "du", "del", "der", "die", "van", "von"];

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Hangul syllables: like Han characters, each is read as its own syllable, so that "김정은"
/// meets "Kim Jong Un" word by word.
fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3)
}

/// Scripts written without short vowels.
fn is_abjad(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// The value of a Chinese numeral character, or `None`.
fn han_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// A run of Chinese numerals as a number ("二十二" → 22, "一〇三" → 103), so that "第二十局"
/// and "第二十二局" carry numbers that disagree as "No. 20" and "No. 22" do.
fn han_number(run: &[u32]) -> u64 {
    if run.iter().all(|d| *d < 10) {
        return run.iter().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(*d)));
    }
    let (mut total, mut digit) = (0u64, None::<u64>);
    for d in run {
        match *d {
            d @ (10 | 100 | 1000) => {
                total = total.saturating_add(digit.unwrap_or(1).saturating_mul(u64::from(d)));
                digit = None;
            }
            d => digit = Some(u64::from(d)),
        }
    }
    total.saturating_add(digit.unwrap_or(0))
}

/// Lower-case ASCII words of any name in any script.
pub fn words(name: &str) -> Vec<String> {
    // ASCII is its own compatibility form: most names skip the normaliser, whose tables are
    // most of the cost of preparing a list of a million names.
    if name.is_ascii() {
        return words_of(name.chars());
    }
    words_of(name.nfkc())
}

fn words_of(chars: impl Iterator<Item = char>) -> Vec<String> {
    let mut text = String::with_capacity(64);
    let mut numeral: Vec<u32> = Vec::new();
    let mut han: Vec<char> = Vec::new();
    for c in chars {
        if is_han(c) && han_digit(c).is_none() {
            if !numeral.is_empty() {
                text.push_str(&format!(" {} ", han_number(&numeral)));
                numeral.clear();
            }
            han.push(c);
            continue;
        }
        if !han.is_empty() {
            push_han_run(&han, &mut text);
            han.clear();
        }
        if let Some(d) = han_digit(c) {
            numeral.push(d);
            continue;
        }
        if !numeral.is_empty() {
            text.push_str(&format!(" {} ", han_number(&numeral)));
            numeral.clear();
        }
        if c == '&' {
            text.push_str(" and ");
        } else if c.is_ascii_alphanumeric() {
            text.push(c.to_ascii_lowercase());
        } else if c.is_ascii() || c.is_whitespace() {
            text.push(' ');
        } else if is_han(c) || is_hangul(c) {
            text.push(' ');
            text.push_str(&any_ascii::any_ascii_char(c).to_ascii_lowercase());
            text.push(' ');
        } else {
            // Apostrophes and other punctuation vanish; letters become their Latin reading.
            let latin = any_ascii::any_ascii_char(c);
            for l in latin.chars() {
                if l.is_ascii_alphanumeric() {
                    text.push(l.to_ascii_lowercase());
                } else if l != '\'' {
                    text.push(' ');
                }
            }
        }
    }
    if !han.is_empty() {
        push_han_run(&han, &mut text);
    }
    if !numeral.is_empty() {
        text.push_str(&format!(" {} ", han_number(&numeral)));
    }
    text.split_whitespace().map(String::from).collect()
}

/// Generations written after a name, each with the mark it stands for.
const GENERATIONS: &[(&str, &str)] =
    &[("jr", "jr"), ("junior", "jr"), ("sr", "sr"), ("senior", "sr"), ("ii", "2"), ("iii", "3"), ("iv", "4")];

/// Whether a written word is, or is part of, a legal form ("corporation", "limited", "co").
pub fn is_legal_form_word(word: &str) -> bool {
    LEGAL_FORMS.iter().any(|(seq, _)| seq.len() <= 2 && seq.contains(&word))
}

/// Whether a word is one of the small words names are compared without ("of", "and", "de").
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// A light singular, so that plural and singular forms meet.
fn singular(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// Whether a written word is the legal-form word `form`, allowing one slip in long ones
/// ("Limted", "Corportaion").
fn is_form_word(word: &str, form: &str) -> bool {
    word == form
        || (form.len() >= 7
            && word.len() >= 6
            && word.as_bytes()[0] == form.as_bytes()[0]
            && strsim::jaro_winkler(word, form) >= 0.93)
}

/// Takes legal forms off both ends of `words`, returning them canonicalised.
fn strip_legal_forms(words: &mut Vec<String>) -> Vec<String> {
    let mut found = Vec::new();
    loop {
        let before = words.len();
        // From the end.
        if let Some((form, n)) = LEGAL_FORMS.iter().find_map(|(seq, form)| {
            (words.len() > seq.len()
                && words[words.len() - seq.len()..].iter().zip(seq.iter()).all(|(w, s)| is_form_word(w, s)))
            .then_some((*form, seq.len()))
        }) {
            words.truncate(words.len() - n);
            found.push(form.to_string());
        }
        // From the start ("OOO Romashka", "PT Indofood").
        if let Some((form, n)) = LEGAL_FORMS.iter().find_map(|(seq, form)| {
            (words.len() > seq.len() && words[..seq.len()].iter().zip(seq.iter()).all(|(w, s)| is_form_word(w, s)))
                .then_some((*form, seq.len()))
        }) {
            words.drain(..n);
            found.push(form.to_string());
        }
        // A connector left at either end ("GmbH & Co. KG") goes with the forms around it.
        while words.len() > 1 && words.last().is_some_and(|w| STOP_WORDS.contains(&w.as_str())) {
            words.pop();
        }
        while words.len() > 1 && words.first().is_some_and(|w| STOP_WORDS.contains(&w.as_str())) {
            words.remove(0);
        }
        if words.len() == before {
            return found;
        }
    }
}

/// Prepares a name for comparison.
pub fn prepare(name: &str) -> Prepared {
    let mut ws = words(name);
    let legal_forms = strip_legal_forms(&mut ws);
    // "Jr." closes a name of at least two other words ("Robert Mugabe Jr."); as the first of
    // two words it is more likely a name of its own.
    let generation = (ws.len() >= 3)
        .then(|| ws.last().and_then(|w| GENERATIONS.iter().find(|(g, _)| g == w)).map(|(_, mark)| *mark))
        .flatten();
    if generation.is_some() {
        ws.pop();
    }
    let mut core = Vec::with_capacity(ws.len());
    let mut numbers = Vec::new();
    for w in ws {
        if w.chars().all(|c| c.is_ascii_digit()) {
            numbers.push(w.trim_start_matches('0').to_string());
            continue;
        }
        if STOP_WORDS.contains(&w.as_str()) || w == "no" && !numbers.is_empty() {
            continue;
        }
        let w = ABBREVIATIONS.iter().find(|(a, _)| *a == w).map(|(_, full)| full.to_string()).unwrap_or(w);
        core.push(singular(&w));
    }
    // "No." before a number is a word of numbering, not of the name.
    if !numbers.is_empty() {
        core.retain(|w| w != "no" && w != "number" && w != "nr");
    }
    let abjad = name.chars().any(is_abjad);
    let han = !name.is_ascii() && name.chars().any(is_han);
    let titled = core.iter().any(|w| is_title(w)) && !core.iter().all(|w| is_title(w));
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = (2..=10).contains(&letters) && name.chars().all(|c| !c.is_alphabetic() || c.is_ascii_uppercase());
    Prepared { original: name.to_string(), core, legal_forms, numbers, generation, abjad, titled, capitals, han }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, core: &[&str], forms: &[&str]) {
        let p = prepare(input);
        assert_eq!(
            (
                p.core.iter().map(String::as_str).collect::<Vec<_>>(),
                p.legal_forms.iter().map(String::as_str).collect::<Vec<_>>()
            ),
            (core.to_vec(), forms.to_vec()),
            "{input}"
        );
    }

    #[test]
    fn legal_forms_scripts_and_abbreviations() {
        check("Hoshan Polysilicon Industry Co., Ltd", &["hoshan", "polysilicon", "industry"], &["co ltd"]);
        check("HOSHAN POLYSILICON INDUSTRY COMPANY LIMITED", &["hoshan", "polysilicon", "industry"], &["co ltd"]);
        check("新疆联创棉纺织有限公司", &["xin", "jiang", "lian", "chuang", "cotton", "textile"], &["co ltd"]);
        check("ООО «Ромашка»", &["romashka"], &["ooo"]);
        check("Fábrica Unión S.A. de C.V.", &["fabrica", "union"], &["sa de cv"]);
        check("Acme Intl. Mfg. GmbH & Co. KG", &["acme", "international", "manufacturing"], &["kg", "co", "gmbh"]);
        check("PT Indofood Sukses Makmur Tbk", &["indofood", "sukse", "makmur"], &["tbk", "pt"]);
        check("Company", &["company"], &[]);
        check("Ninestar Corportaion", &["ninestar"], &["corp"]);
    }

    #[test]
    fn numbers_are_kept_apart() {
        let p = prepare("Garment Factory No. 03");
        assert_eq!((p.core, p.numbers), (vec!["garment".to_string(), "factory".to_string()], vec!["3".to_string()]));
    }
}
