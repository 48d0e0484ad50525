//! What an uploaded file may be called and claim to be: a clean file name, and a declared
//! content type that the bytes do not contradict.

use crate::error::{ServiceError, ServiceResult};

/// The last path segment, without control characters, at most 255 characters.
pub(super) fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base.chars().filter(|c| !c.is_control()).take(255).collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    if name.is_empty() {
        "attachment".to_owned()
    } else {
        name
    }
}

/// A declared `type/subtype` that the bytes do not contradict.
pub(super) fn checked_content_type(declared: Option<&str>, bytes: &[u8]) -> ServiceResult<String> {
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
        let generic = declared == "application/octet-stream";
        let same_family = sniffed.split('/').next() == declared.split('/').next();
        if !generic && !same_family && !sniffed.starts_with("application/") {
            return Err(ServiceError::invalid(
                "file",
                format!("content looks like {sniffed}, not {declared}"),
            ));
        }
        if !generic && declared.starts_with("image/") && !sniffed.starts_with("image/") {
            return Err(ServiceError::invalid(
                "file",
                format!("content looks like {sniffed}, not {declared}"),
            ));
        }
    }
    Ok(declared)
}
