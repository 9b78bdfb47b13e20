//! Turning the bytes of a file people really have into text: UTF-8 with or without a byte-order
//! mark, UTF-16 with one, or (failing UTF-8) Windows-1252, which is what spreadsheet programs
//! write when they do not write UTF-8; and guessing a CSV file's delimiter from its header.

use std::borrow::Cow;

/// The file as text, and the name of the encoding it was read in.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text, encoding.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, "windows-1252")
        }
    }
}

/// The delimiter of a CSV text: whichever of `,` `;` tab `|` occurs most in its first line,
/// outside quotes.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            '|' if !quoted => counts[3] += 1,
            _ => {}
        }
    }
    let best = counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i))).map(|(i, _)| i).unwrap_or(0);
    [b',', b';', b'\t', b'|'][best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_people_have_are_read() {
        assert_eq!(decode("Açaí".as_bytes()), (Cow::Borrowed("Açaí"), "UTF-8"));
        assert_eq!(decode(b"\xEF\xBB\xBFname").0, "name");
        assert_eq!(decode(b"A\xe7a\xed").0, "Açaí");
        assert_eq!(decode(b"\xFF\xFEn\x00a\x00").0, "na");
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("name;country\nA;B"), b';');
        assert_eq!(sniff_delimiter("name\tcountry"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter("name"), b',');
    }
}
