//! What an uploaded file may be called and claim to be: a clean file name, and a declared
//! content type that the bytes do not contradict.

use crate::error::{ServiceError, ServiceResult};

/// Invisible format characters (bidi overrides and isolates, zero-width marks): a name
/// like `invoice\u{202e}fdp.exe` must not display as `invoiceexe.pdf`.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{061c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// The last path segment, without control or format characters, at most 255 characters.
pub(crate) fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_format(*c))
        .take(255)
        .collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    if name.is_empty() {
        "attachment".to_owned()
    } else {
        name
    }
}

/// A declared `type/subtype` that the bytes do not contradict.
pub(crate) fn checked_content_type(declared: Option<&str>, bytes: &[u8]) -> ServiceResult<String> {
    let declared = declared
        .unwrap_or("application/octet-stream")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let valid = declared.split_once('/').is_some_and(|(t, s)| {
        !t.is_empty()
            && !s.is_empty()
            && declared
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/.+-_".contains(c))
    });
    if !valid {
        return Err(ServiceError::invalid("file", "has no valid content type"));
    }
    if let Some(kind) = infer::get(bytes) {
        let sniffed = kind.mime_type();
        if declared != "application/octet-stream" && !agrees(&declared, sniffed) {
            return Err(ServiceError::invalid(
                "file",
                format!("content looks like {sniffed}, not {declared}"),
            ));
        }
    }
    Ok(declared)
}

/// Whether a declared type names what the bytes are: the same type, a common alias of it,
/// or a format built on a ZIP container when the bytes only show the ZIP.
fn agrees(declared: &str, sniffed: &str) -> bool {
    let alias = |t: &str| match t {
        "image/jpg" | "image/pjpeg" => "image/jpeg".to_owned(),
        "audio/mp3" => "audio/mpeg".to_owned(),
        "application/x-zip-compressed" => "application/zip".to_owned(),
        "application/x-pdf" => "application/pdf".to_owned(),
        other => other.to_owned(),
    };
    let (declared, sniffed) = (alias(declared), alias(sniffed));
    let zip_based = declared.starts_with("application/vnd.openxmlformats-officedocument.")
        || declared.starts_with("application/vnd.oasis.opendocument.")
        || declared == "application/epub+zip"
        || declared == "application/java-archive";
    declared == sniffed || (sniffed == "application/zip" && zip_based)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_bidi_overrides_and_paths() {
        assert_eq!(clean_filename("invoice\u{202e}fdp.exe"), "invoicefdp.exe");
        assert_eq!(clean_filename("../../etc/pass\u{200b}wd"), "passwd");
        assert_eq!(clean_filename("\u{2066}\u{2069}"), "attachment");
    }

    #[test]
    fn declared_types_must_agree_with_the_bytes() {
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
        assert!(checked_content_type(Some("application/pdf"), exe).is_err());
        assert!(checked_content_type(Some("image/png"), exe).is_err());
        assert!(checked_content_type(Some("image/jpeg"), png).is_err());
        assert_eq!(
            checked_content_type(Some("application/octet-stream"), exe)
                .ok()
                .as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(
            checked_content_type(Some("image/png"), png).ok().as_deref(),
            Some("image/png")
        );
        assert_eq!(
            checked_content_type(Some("text/plain"), b"hello")
                .ok()
                .as_deref(),
            Some("text/plain")
        );
    }
}
