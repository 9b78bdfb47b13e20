//! Sources of a case (who reported what, how, when, and how far to trust it) and the files
//! attached to them.
//!
//! Ratings follow the two-part grading that human-rights documentation and intelligence analysis
//! share: the source's reliability (A to F) apart from the information's credibility (1 to 6), so
//! a usually reliable person passing on a rumour is graded as such. Reporters' names and notes
//! are sensitive and sealed by the store.

use crate::case::{optional, MAX_SHORT, MAX_SUMMARY};
use crate::error::{CoreError, CoreResult};
use crate::vocab::vocabulary;
use serde::Serialize;
use time::{Date, OffsetDateTime};

vocabulary!(
    /// How the information reached the team.
    SourceChannel, "source channel" {
        /// Told in person.
        InPerson = "in person",
        /// A telephone call.
        Phone = "phone" | "telephone" | "call",
        /// A messaging application (Signal, WhatsApp, Telegram...).
        Messaging = "messaging app" | "messaging" | "signal" | "whatsapp" | "telegram",
        /// Email.
        Email = "email" | "e-mail",
        /// Steward's public alert form.
        PublicAlert = "public alert" | "alert form",
        /// A partner organisation.
        Partner = "partner organisation" | "partner" | "partner organization",
        /// News media.
        Media = "media" | "news",
        /// Social media.
        SocialMedia = "social media",
        /// Court or other official records.
        OfficialRecord = "official record" | "court record" | "court",
        /// Anything else.
        Other = "other",
    }
);

vocabulary!(
    /// How far the source has proved reliable (A to F).
    Reliability, "source reliability" {
        /// A: no doubt of authenticity, trustworthiness or competence; a history of complete reliability.
        A = "A" | "completely reliable",
        /// B: minor doubt; a history of valid information most of the time.
        B = "B" | "usually reliable",
        /// C: doubt; has provided valid information in the past.
        C = "C" | "fairly reliable",
        /// D: significant doubt; has provided valid information in the past.
        D = "D" | "not usually reliable",
        /// E: lacking authenticity, trustworthiness and competence; a history of invalid information.
        E = "E" | "unreliable",
        /// F: no basis for judging.
        F = "F" | "cannot be judged",
    }
);

vocabulary!(
    /// How credible the information itself is (1 to 6).
    Credibility, "information credibility" {
        /// 1: confirmed by other independent sources.
        Confirmed = "1" | "confirmed",
        /// 2: not confirmed, logical, consistent with other information.
        ProbablyTrue = "2" | "probably true",
        /// 3: not confirmed, reasonably logical, agrees with some other information.
        PossiblyTrue = "3" | "possibly true",
        /// 4: not confirmed, possible but not logical, no other information on the subject.
        Doubtful = "4" | "doubtful",
        /// 5: not confirmed, not logical, contradicted by other information.
        Improbable = "5" | "improbable",
        /// 6: no basis for judging.
        CannotBeJudged = "6" | "cannot be judged",
    }
);

impl Reliability {
    /// The grade's meaning, for forms and exports.
    pub fn meaning(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }
}

impl Credibility {
    /// The grade's meaning, for forms and exports.
    pub fn meaning(self) -> &'static str {
        match self {
            Credibility::Confirmed => "confirmed by other sources",
            Credibility::ProbablyTrue => "probably true",
            Credibility::PossiblyTrue => "possibly true",
            Credibility::Doubtful => "doubtful",
            Credibility::Improbable => "improbable",
            Credibility::CannotBeJudged => "truth cannot be judged",
        }
    }
}

/// A source as people and scripts give it, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSource {
    /// Who reported it (sensitive).
    pub reporter: Option<String>,
    /// How.
    pub channel: SourceChannel,
    /// When it was reported.
    pub reported_on: Option<Date>,
    /// The source's reliability.
    pub reliability: Reliability,
    /// The information's credibility.
    pub credibility: Credibility,
    /// What the source said, in the team's words (sensitive).
    pub notes: Option<String>,
}

impl NewSource {
    /// Checks lengths; the vocabularies were checked when parsed.
    pub fn new(
        reporter: Option<&str>,
        channel: SourceChannel,
        reported_on: Option<Date>,
        reliability: Reliability,
        credibility: Credibility,
        notes: Option<&str>,
    ) -> CoreResult<Self> {
        Ok(Self {
            reporter: optional("reporter", reporter, MAX_SHORT)?,
            channel,
            reported_on,
            reliability,
            credibility,
            notes: optional("notes", notes, MAX_SUMMARY)?,
        })
    }
}

/// A source as its case's readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Its id.
    pub id: String,
    /// Who reported it.
    pub reporter: Option<String>,
    /// How.
    pub channel: SourceChannel,
    /// When it was reported.
    pub reported_on: Option<Date>,
    /// The source's reliability.
    pub reliability: Reliability,
    /// The information's credibility.
    pub credibility: Credibility,
    /// What it said.
    pub notes: Option<String>,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT: usize = 8 * 1024 * 1024;

/// The kinds of file Steward keeps, recognised by their first bytes, never by their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileKind {
    /// PDF document.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG photograph.
    Jpeg,
    /// WebP image.
    Webp,
    /// Plain text (valid UTF-8, no control characters but tabs and line ends).
    Text,
}

impl FileKind {
    /// Recognises a file from its content; `None` for anything else (scripts, HTML, archives,
    /// office documents that may carry macros).
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(FileKind::Webp)
        } else if is_plain_text(bytes) {
            Some(FileKind::Text)
        } else {
            None
        }
    }

    /// The media type files of this kind are served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Webp => "image/webp",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// The stored name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Webp => "webp",
            FileKind::Text => "text",
        }
    }
}

impl std::str::FromStr for FileKind {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        [FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Webp, FileKind::Text]
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::InvalidTerm {
                what: "file kind",
                value: s.chars().take(40).collect(),
                allowed: ACCEPTED.into(),
            })
    }
}

/// What the upload forms and errors tell people.
pub const ACCEPTED: &str = "PDF, PNG, JPEG, WebP or plain text";

fn is_plain_text(bytes: &[u8]) -> bool {
    // Markup is text too, but a browser would run it: refuse anything that looks like HTML or SVG.
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let head = text.trim_start().chars().take(64).collect::<String>().to_ascii_lowercase();
    let markup = ["<!doctype", "<html", "<svg", "<script", "<?xml"].iter().any(|m| head.starts_with(m));
    !markup && text.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
}

/// A file checked for attachment: its kind, and a name safe to show and to offer for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The name, without any folder, at most 200 characters, only printable characters.
    pub filename: String,
    /// What it is.
    pub kind: FileKind,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

impl NewAttachment {
    /// Checks size and kind; names the file in every error.
    pub fn new(filename: &str, bytes: Vec<u8>) -> CoreResult<Self> {
        let base = filename.rsplit(['/', '\\']).next().unwrap_or_default();
        let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
        let filename = if clean.trim().is_empty() { "attachment".to_string() } else { clean.trim().to_string() };
        if bytes.is_empty() {
            return Err(CoreError::InvalidReference { field: "file", reason: format!("{filename} is empty") });
        }
        if bytes.len() > MAX_ATTACHMENT {
            return Err(CoreError::InvalidReference {
                field: "file",
                reason: format!("{filename} is larger than {} MiB", MAX_ATTACHMENT / (1024 * 1024)),
            });
        }
        let kind = FileKind::sniff(&bytes).ok_or_else(|| CoreError::InvalidReference {
            field: "file",
            reason: format!("{filename} is not a {ACCEPTED} file"),
        })?;
        let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        Ok(Self { filename, kind, bytes, sha256 })
    }
}

/// Bytes as text, for a sealed column (the keyring seals text).
pub fn bytes_to_text(bytes: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes)
}

/// The bytes a [`bytes_to_text`] text holds.
pub fn text_to_bytes(text: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text).ok()
}

/// An attachment's description (its content is fetched on its own, and each fetch is audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// Its id.
    pub id: String,
    /// The source it belongs to, if any.
    pub source_id: Option<String>,
    /// Its name.
    pub filename: String,
    /// What it is.
    pub kind: FileKind,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its content, hex: lets a receiving body check the file is the one recorded.
    pub sha256: String,
    /// When it was added.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content_not_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(FileKind::sniff("Witness statement, 3 May\r\n".as_bytes()), Some(FileKind::Text));
        assert_eq!(FileKind::sniff(b"<!DOCTYPE html><script>alert(1)</script>"), None);
        assert_eq!(FileKind::sniff(b"  <svg onload=alert(1)>"), None);
        assert_eq!(FileKind::sniff(b"PK\x03\x04 a zip or docx"), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\0 an executable"), None);
    }

    #[test]
    fn attachments_are_checked_and_named_safely() {
        let a = NewAttachment::new("C:\\Users\\x\\photo \"1\".jpg", vec![0xFF, 0xD8, 0xFF, 0xE0]).unwrap();
        assert_eq!((a.filename.as_str(), a.kind), ("photo 1.jpg", FileKind::Jpeg));
        let err = NewAttachment::new("run.exe", b"MZ\x90\0".to_vec()).unwrap_err();
        assert!(err.to_string().contains("run.exe is not a PDF"), "{err}");
        let big = NewAttachment::new("big.txt", vec![b'a'; MAX_ATTACHMENT + 1]).unwrap_err();
        assert!(big.to_string().contains("larger than 8 MiB"), "{big}");
        assert!(NewAttachment::new("e.txt", vec![]).unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn gradings_read_as_letters_numbers_or_words() {
        assert_eq!("b".parse::<Reliability>().unwrap(), Reliability::B);
        assert_eq!("usually reliable".parse::<Reliability>().unwrap(), Reliability::B);
        assert_eq!("2".parse::<Credibility>().unwrap(), Credibility::ProbablyTrue);
        assert_eq!("Signal".parse::<SourceChannel>().unwrap(), SourceChannel::Messaging);
        assert!("G".parse::<Reliability>().is_err());
    }
}
