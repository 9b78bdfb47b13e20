//! Turning the bytes of a file people really have into text: UTF-8 with or without a byte-order
//! mark, UTF-16 with one, or (failing UTF-8) Windows-1252, which is what spreadsheet programs
//! write when they do not write UTF-8; and guessing a CSV file's delimiter from its header.

use std::borrow::Cow;

/// The file as text, and the name of the encoding it was read in (judged as
/// [`sniff_encoding`] judges a stream's, from the whole file).
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    let encoding = sniff_encoding(bytes);
    // `decode` takes a byte-order mark off, and borrows text that is already UTF-8.
    let (text, _, _) = encoding.decode(bytes);
    (text, encoding.name())
}

/// The encoding of a file judged from its first bytes, for reading the rest as a stream: the
/// byte-order mark's, else UTF-8 when the sample is UTF-8 (a character cut off at its end
/// aside), else Windows-1252.
pub fn sniff_encoding(sample: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(sample) {
        return encoding;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => encoding_rs::UTF_8,
        Err(e) if e.error_len().is_none() => encoding_rs::UTF_8,
        Err(_) => encoding_rs::WINDOWS_1252,
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
    fn encodings_are_judged_from_the_first_bytes() {
        assert_eq!(sniff_encoding("Müller;Straße".as_bytes()), encoding_rs::UTF_8);
        // A sample that ends in the middle of a character is still UTF-8.
        assert_eq!(sniff_encoding(&"Müller".as_bytes()[..2]), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding(b"M\xfcller"), encoding_rs::WINDOWS_1252);
        assert_eq!(sniff_encoding(b"\xff\xfeM\x00"), encoding_rs::UTF_16LE);
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter("name;country\nA;B"), b';');
        assert_eq!(sniff_delimiter("name\tcountry"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c"), b',');
        assert_eq!(sniff_delimiter("name"), b',');
    }
}
