//! Mail that must never open, reopen or notify: auto-replies and vacation responders
//! (RFC 3834 and the headers Exchange and others use instead), delivery reports and
//! bounces, mailing-list and bulk mail, and our own notifications coming back. Answering
//! any of it could start a loop.

/// What the parser read off a message that bears on whether it is noise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoiseFacts {
    /// `Auto-Submitted` (RFC 3834): anything but `no` is automatic.
    pub auto_submitted: Option<String>,
    /// `Precedence`: `bulk`, `junk`, `list` and `auto_reply` are automatic.
    pub precedence: Option<String>,
    /// `X-Auto-Response-Suppress` (Exchange, Outlook).
    pub auto_response_suppress: Option<String>,
    /// `X-Autoreply`, `X-Autorespond`, `X-Autoreply-From` or `X-Mail-Autoreply` present.
    pub autoreply_header: bool,
    /// `List-Id` or `List-Unsubscribe` present.
    pub list_header: bool,
    /// The top-level content type, lower-cased (`multipart/report` is a delivery report).
    pub content_type: String,
    /// The sender's address, lower-cased.
    pub from: String,
    /// `Return-Path: <>`: the null sender of bounces and reports.
    pub null_return_path: bool,
    /// The message's own Message-ID is one we signed: our mail came back.
    pub ours: bool,
}

/// Why a message is noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    OwnMail,
    DeliveryReport,
    AutoReply,
    MailingList,
    Bulk,
}

impl Noise {
    /// The reason recorded on the inbound message.
    pub fn reason(self) -> &'static str {
        match self {
            Noise::OwnMail => "own_mail",
            Noise::DeliveryReport => "delivery_report",
            Noise::AutoReply => "auto_reply",
            Noise::MailingList => "mailing_list",
            Noise::Bulk => "bulk",
        }
    }
}

/// Local parts of senders that are machines by convention.
const MACHINE_SENDERS: [&str; 6] = [
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "do-not-reply",
    "donotreply",
];

/// An address we must never send automatic mail to (nor take a ticket from).
pub fn is_machine_address(address: &str) -> bool {
    let local = address.rsplit_once('@').map_or(address, |(l, _)| l);
    let local = local.to_ascii_lowercase();
    let base = local.split('+').next().unwrap_or("");
    MACHINE_SENDERS.contains(&base)
}

/// Whether `facts` describe noise, and which; the first match in order of certainty.
pub fn classify(facts: &NoiseFacts) -> Option<Noise> {
    if facts.ours {
        return Some(Noise::OwnMail);
    }
    let ct = facts.content_type.as_str();
    if ct == "multipart/report" || ct == "message/delivery-status" {
        return Some(Noise::DeliveryReport);
    }
    let from_daemon = {
        let local = facts.from.rsplit_once('@').map_or("", |(l, _)| l);
        local == "mailer-daemon" || local == "postmaster"
    };
    if from_daemon || (facts.null_return_path && facts.auto_submitted.is_some()) {
        return Some(Noise::DeliveryReport);
    }
    if let Some(v) = &facts.auto_submitted {
        let v = v.trim().to_ascii_lowercase();
        if !v.is_empty() && !v.starts_with("no") {
            return Some(Noise::AutoReply);
        }
    }
    if facts.autoreply_header {
        return Some(Noise::AutoReply);
    }
    if let Some(v) = &facts.auto_response_suppress {
        let v = v.to_ascii_lowercase();
        if ["all", "oof", "autoreply"].iter().any(|w| v.contains(w)) {
            return Some(Noise::AutoReply);
        }
    }
    let precedence = facts
        .precedence
        .as_deref()
        .map(|p| p.trim().to_ascii_lowercase());
    match precedence.as_deref() {
        Some("auto_reply") => return Some(Noise::AutoReply),
        Some("list") => return Some(Noise::MailingList),
        Some("bulk" | "junk") => return Some(Noise::Bulk),
        _ => {}
    }
    if facts.list_header {
        return Some(Noise::MailingList);
    }
    if is_machine_address(&facts.from) {
        return Some(Noise::AutoReply);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> NoiseFacts {
        NoiseFacts {
            content_type: "text/plain".into(),
            from: "ann@client.example".into(),
            ..NoiseFacts::default()
        }
    }

    #[test]
    fn a_person_writing_is_not_noise() {
        assert_eq!(classify(&person()), None);
        let no = NoiseFacts {
            auto_submitted: Some("no".into()),
            ..person()
        };
        assert_eq!(classify(&no), None);
    }

    #[test]
    fn each_kind_of_noise_is_named() {
        let cases = [
            (
                NoiseFacts {
                    ours: true,
                    ..person()
                },
                Noise::OwnMail,
            ),
            (
                NoiseFacts {
                    content_type: "multipart/report".into(),
                    ..person()
                },
                Noise::DeliveryReport,
            ),
            (
                NoiseFacts {
                    from: "MAILER-DAEMON@mx.example".to_lowercase(),
                    ..person()
                },
                Noise::DeliveryReport,
            ),
            (
                NoiseFacts {
                    auto_submitted: Some("auto-replied".into()),
                    ..person()
                },
                Noise::AutoReply,
            ),
            (
                NoiseFacts {
                    auto_response_suppress: Some("All".into()),
                    ..person()
                },
                Noise::AutoReply,
            ),
            (
                NoiseFacts {
                    autoreply_header: true,
                    ..person()
                },
                Noise::AutoReply,
            ),
            (
                NoiseFacts {
                    precedence: Some("bulk".into()),
                    ..person()
                },
                Noise::Bulk,
            ),
            (
                NoiseFacts {
                    precedence: Some("list".into()),
                    ..person()
                },
                Noise::MailingList,
            ),
            (
                NoiseFacts {
                    list_header: true,
                    ..person()
                },
                Noise::MailingList,
            ),
            (
                NoiseFacts {
                    from: "no-reply@vendor.example".into(),
                    ..person()
                },
                Noise::AutoReply,
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(classify(&facts), Some(want), "{facts:?}");
        }
    }

    #[test]
    fn machine_addresses_are_recognised_with_tags_and_case() {
        assert!(is_machine_address("No-Reply+x@vendor.example"));
        assert!(is_machine_address("postmaster@a.example"));
        assert!(!is_machine_address("replies@a.example"));
    }
}
