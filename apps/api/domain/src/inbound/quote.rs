//! Where the quoted history of a reply starts, so the app can fold it (it is never
//! deleted): the attribution line mail clients write ("On … wrote:" and its translations,
//! possibly wrapped over two lines), Outlook's header block or "Original Message" rule,
//! or a trailing run of `>` lines.

/// Attribution lines: (how it starts, how it ends), lower-case. Gmail, Apple Mail and
/// Thunderbird in English, German, French, Spanish, Dutch, Italian, Portuguese, Swedish.
const ATTRIBUTION: [(&str, &str); 9] = [
    ("on ", "wrote:"),
    ("am ", "schrieb:"),
    ("le ", "a écrit :"),
    ("le ", "a écrit:"),
    ("el ", "escribió:"),
    ("op ", "geschreven:"),
    ("il ", "ha scritto:"),
    ("em ", "escreveu:"),
    ("den ", "skrev:"),
];

/// Outlook's header block: a "From:" line followed closely by a "Sent:"/"Date:" line.
const HEADER_FROM: [&str; 5] = ["from:", "von:", "de :", "de:", "van:"];
const HEADER_SENT: [&str; 7] = [
    "sent:",
    "date:",
    "gesendet:",
    "envoyé :",
    "envoyé:",
    "enviado:",
    "verzonden:",
];

const RULES: [&str; 4] = [
    "-----original message-----",
    "----- original message -----",
    "-----ursprüngliche nachricht-----",
    "-----message d'origine-----",
];

fn attribution(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    // Some clients (Dutch, German) put the name between the verb and the colon:
    // "schreef Carol:" / "schrieb Carol <x>:".
    ATTRIBUTION
        .iter()
        .any(|(start, end)| l.starts_with(start) && l.ends_with(end))
        || (l.starts_with("op ") && l.contains(" schreef ") && l.ends_with(':'))
        || (l.starts_with("am ") && l.contains(" schrieb ") && l.ends_with(':'))
}

fn starts_with_any(line: &str, prefixes: &[&str]) -> bool {
    let l = line.trim_start().trim_start_matches('*').to_lowercase();
    prefixes.iter().any(|p| l.starts_with(p))
}

/// The byte offset in `text` of the line where the quoted history starts, if any. The
/// first line of a message is never taken as history (something must be new).
pub fn quote_start(text: &str) -> Option<usize> {
    let mut offsets = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        offsets.push((at, line.trim_end_matches(['\r', '\n'])));
        at += line.len();
    }
    for (i, (start, line)) in offsets.iter().enumerate().skip(1) {
        let next = offsets.get(i + 1).map_or("", |(_, l)| *l);
        let joined = format!("{} {}", line.trim_end(), next.trim());
        if attribution(line)
            || (line.trim().to_lowercase().starts_with("on ") && attribution(&joined))
        {
            return Some(*start);
        }
        let l = line.trim().to_lowercase();
        if RULES.iter().any(|r| l.starts_with(r)) {
            return Some(*start);
        }
        if starts_with_any(line, &HEADER_FROM)
            && offsets
                .iter()
                .skip(i + 1)
                .take(3)
                .any(|(_, l)| starts_with_any(l, &HEADER_SENT))
        {
            return Some(*start);
        }
    }
    // A trailing run of quoted lines (blank lines inside it allowed).
    let mut first_quoted = None;
    for (start, line) in offsets.iter().skip(1).rev() {
        let t = line.trim();
        if t.starts_with('>') {
            first_quoted = Some(*start);
        } else if !t.is_empty() {
            break;
        }
    }
    first_quoted
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::quote_start;

    fn folded(text: &str) -> Option<&str> {
        quote_start(text).map(|i| &text[i..])
    }

    #[test]
    fn gmail_wrapped_attribution() {
        let t = "Thanks, fixed.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Carol Client <\ncarol@client.test> wrote:\n> Printer down\n";
        assert!(folded(t).unwrap().starts_with("On Fri, Dec 4"));
    }

    #[test]
    fn apple_thunderbird_and_other_languages() {
        for a in [
            "On 4 Dec 2026, at 10:00, Carol <carol@client.test> wrote:",
            "On 12/4/26 10:00 AM, Carol wrote:",
            "Am 04.12.2026 um 10:00 schrieb Carol <carol@client.test>:",
            "Le ven. 4 déc. 2026 à 10:00, Carol <carol@client.test> a écrit :",
            "El vie, 4 dic 2026 a las 10:00, Carol escribió:",
            "Op vr 4 dec. 2026 om 10:00 schreef Carol <carol@client.test>:",
            "Il giorno ven 4 dic 2026, Carol ha scritto:",
            "Em sex., 4 de dez. de 2026 às 10:00, Carol escreveu:",
        ] {
            let t = format!("New text here.\n\n{a}\n> old\n");
            assert_eq!(folded(&t), Some(&t[t.find(a).unwrap()..]), "{a}");
        }
    }

    #[test]
    fn outlook_blocks() {
        let t = "See below.\r\n\r\nFrom: Carol <carol@client.test>\r\nSent: Friday, December 4, 2026 10:00\r\nTo: Support\r\nSubject: Printer\r\n\r\nold text\r\n";
        assert!(folded(t).unwrap().starts_with("From: Carol"));
        let t = "Ok.\n-----Original Message-----\nFrom: x\n";
        assert!(folded(t).unwrap().starts_with("-----Original"));
        let t = "Ok.\n\n*From:* Carol\n*Sent:* Friday\n";
        assert!(folded(t).unwrap().starts_with("*From:*"));
    }

    #[test]
    fn trailing_quotes_but_not_interleaved_answers() {
        let t = "Yes.\n\n> Is it on?\n>\n> Carol\n";
        assert!(folded(t).unwrap().starts_with("> Is it on?"));
        let t = "> Is it on?\nYes, it is.\n";
        assert_eq!(quote_start(t), None);
    }

    #[test]
    fn nothing_quoted() {
        assert_eq!(
            quote_start("Hello,\nthe printer is down.\nFrom: the 3rd floor\n"),
            None
        );
        assert_eq!(quote_start("On the 3rd floor the printer is down.\n"), None);
        assert_eq!(quote_start(""), None);
    }
}
