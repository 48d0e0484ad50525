//! The HTML of received mail, made safe to show: ammonia's allow-list (no scripts, styles,
//! forms or event handlers; links get `rel="noopener noreferrer"`), `cid:` images pointing
//! at the message's stored attachments, remote images dropped (they track whoever opens
//! the mail), and the quoted history wrapped in `<div class="hd-quoted">` so the app can
//! fold it.

use std::collections::HashMap;

use ammonia::Builder;

/// Where mail clients put the quoted history: Gmail, Apple Mail and Thunderbird
/// (`blockquote type="cite"`), Outlook (its reply header block), Yahoo.
const QUOTE_MARKERS: [&str; 7] = [
    "<div class=\"gmail_quote",
    "<blockquote type=\"cite\"",
    "<div class=\"moz-cite-prefix\"",
    "<div id=\"divRplyFwdMsg\"",
    "<div id=\"appendonsend\"",
    "<div class=\"yahoo_quoted\"",
    "<hr id=\"stopSpelling\"",
];

/// The byte offset where the quoted history starts in `html`, if a client marked it.
fn quote_at(html: &str) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    QUOTE_MARKERS
        .iter()
        .filter_map(|m| lower.find(&m.to_ascii_lowercase()))
        .min()
}

fn clean(html: &str, images: &HashMap<String, String>) -> String {
    let images = images.clone();
    Builder::default()
        .add_url_schemes(["cid"])
        .attribute_filter(
            move |element, attribute, value| match (element, attribute) {
                ("img", "src") => {
                    let cid = value.strip_prefix("cid:")?;
                    images
                        .get(cid.trim_matches(['<', '>']))
                        .cloned()
                        .map(Into::into)
                }
                // `cid:` only makes sense on images.
                (_, _) if value.trim_start().to_ascii_lowercase().starts_with("cid:") => None,
                _ => Some(value.into()),
            },
        )
        .clean(html)
        .to_string()
}

/// `html` sanitised; `images` maps a Content-ID to the URL of its stored attachment.
pub fn sanitise(html: &str, images: &HashMap<String, String>) -> String {
    match quote_at(html) {
        Some(at) if at > 0 => {
            let (new, quoted) = html.split_at(at);
            format!(
                "{}<div class=\"hd-quoted\">{}</div>",
                clean(new, images),
                clean(quoted, images)
            )
        }
        _ => clean(html, images),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_remote_images_go() {
        let images = HashMap::from([("logo@x".to_owned(), "/attachments/1".to_owned())]);
        let out = sanitise(
            "<p onclick=\"x()\">Hi<script>alert(1)</script></p>\
             <img src=\"cid:logo@x\"><img src=\"https://tracker.test/p.gif\">\
             <a href=\"javascript:evil()\">a</a><a href=\"https://ok.test\">b</a>",
            &images,
        );
        assert!(!out.contains("script") && !out.contains("onclick"), "{out}");
        assert!(out.contains("src=\"/attachments/1\""), "{out}");
        assert!(!out.contains("tracker.test"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(out.contains("rel=\"noopener noreferrer\""), "{out}");
    }

    #[test]
    fn quoted_history_is_wrapped() {
        let out = sanitise(
            "<div>Thanks!</div><div class=\"gmail_quote\">On Fri … wrote:<blockquote>old</blockquote></div>",
            &HashMap::new(),
        );
        let at = out.find("<div class=\"hd-quoted\">").unwrap();
        assert!(
            out[..at].contains("Thanks!") && out[at..].contains("old"),
            "{out}"
        );
    }
}
