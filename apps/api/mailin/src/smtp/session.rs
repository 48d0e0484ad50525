//! One SMTP or LMTP conversation (RFC 5321, RFC 2033): greeting, envelope, DATA with
//! dot-unstuffing and a size limit, and the answers. LMTP is chosen by the client's
//! `LHLO`; it then gets one answer per accepted recipient after the message.

use std::io;

use helpdesk_service::Service;
use helpdesk_service::inbound::Recipient;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::ListenerSettings;

/// The longest command line taken (RFC 5321 allows 512 octets; extensions add some).
const MAX_COMMAND: u64 = 2048;

#[derive(Default)]
struct Envelope {
    from: Option<String>,
    rcpts: Vec<(String, Recipient)>,
}

/// The address inside `FROM:<…>` / `TO:<…>`, without parameters; `Some("")` for `<>`.
fn path(arg: &str, prefix: &str) -> Option<String> {
    let rest = arg.get(..prefix.len())?;
    if !rest.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = arg[prefix.len()..].trim_start();
    let inner = rest.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some(inner[..end].trim().to_owned())
}

/// A `SIZE=n` parameter of `MAIL FROM`.
fn declared_size(arg: &str) -> Option<usize> {
    arg.split_whitespace()
        .find_map(|p| p.strip_prefix("SIZE=").or_else(|| p.strip_prefix("size=")))
        .and_then(|n| n.parse().ok())
}

async fn reply<W: AsyncWrite + Unpin>(w: &mut W, text: &str) -> io::Result<()> {
    w.write_all(text.as_bytes()).await?;
    w.write_all(b"\r\n").await?;
    w.flush().await
}

/// Reads one line (CRLF or LF) of at most `limit` bytes; `None` at the end of input.
/// A longer line is returned cut, with `true`.
async fn line<R: AsyncBufReadExt + Unpin>(
    r: &mut R,
    limit: u64,
) -> io::Result<Option<(Vec<u8>, bool)>> {
    let mut buf = Vec::new();
    let n = r.take(limit).read_until(b'\n', &mut buf).await?;
    if n == 0 {
        return Ok(None);
    }
    let mut long = false;
    if buf.last() != Some(&b'\n') {
        // Cut: discard the rest of the line.
        long = true;
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let n = r.take(64 * 1024).read_until(b'\n', &mut rest).await?;
            if n == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
    }
    Ok(Some((buf, long)))
}

/// Reads DATA up to the lone dot, unstuffed, as CRLF lines; `None` when the message was
/// larger than `max` (it is read to the end and dropped).
async fn data<R: AsyncBufReadExt + Unpin>(r: &mut R, max: usize) -> io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    let mut too_large = false;
    loop {
        let Some((mut l, _)) = line(r, 1024 * 1024).await? else {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "end inside DATA",
            ));
        };
        while matches!(l.last(), Some(b'\n' | b'\r')) {
            l.pop();
        }
        if l == b"." {
            break;
        }
        let l = l.strip_prefix(b".").unwrap_or(&l);
        if out.len() + l.len() + 2 > max {
            too_large = true;
            out.clear();
            continue;
        }
        if !too_large {
            out.extend_from_slice(l);
            out.extend_from_slice(b"\r\n");
        }
    }
    Ok((!too_large).then_some(out))
}

/// Serves one connection.
pub async fn serve(
    service: &Service,
    socket: TcpStream,
    name: &str,
    settings: ListenerSettings,
) -> io::Result<()> {
    let (read, mut w) = socket.into_split();
    let mut r = BufReader::new(read);
    reply(&mut w, &format!("220 {name} Helpdesk ESMTP/LMTP ready")).await?;
    let mut greeted: Option<bool> = None; // Some(lmtp)
    let mut env = Envelope::default();
    loop {
        let next = tokio::time::timeout(settings.idle, line(&mut r, MAX_COMMAND)).await;
        let Ok(next) = next else {
            return reply(&mut w, "421 4.4.2 idle too long, closing").await;
        };
        let Some((raw, long)) = next? else {
            return Ok(());
        };
        if long {
            reply(&mut w, "500 5.5.2 line too long").await?;
            continue;
        }
        let text = String::from_utf8_lossy(&raw);
        let text = text.trim_end();
        let (verb, arg) = text.split_once(' ').unwrap_or((text, ""));
        match verb.to_ascii_uppercase().as_str() {
            v @ ("EHLO" | "LHLO") => {
                greeted = Some(v == "LHLO");
                env = Envelope::default();
                let max = settings.max_bytes;
                let text = format!(
                    "250-{name}\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE {max}"
                );
                reply(&mut w, &text).await?;
            }
            "HELO" => {
                greeted = Some(false);
                env = Envelope::default();
                reply(&mut w, &format!("250 {name}")).await?;
            }
            "MAIL" => match (greeted, path(arg, "FROM:")) {
                (None, _) => reply(&mut w, "503 5.5.1 say EHLO or LHLO first").await?,
                (_, None) => reply(&mut w, "501 5.5.4 syntax: MAIL FROM:<address>").await?,
                (_, Some(_)) if env.from.is_some() => {
                    reply(&mut w, "503 5.5.1 sender already given").await?;
                }
                (_, Some(_)) if declared_size(arg).is_some_and(|n| n > settings.max_bytes) => {
                    reply(&mut w, "552 5.3.4 message too large").await?;
                }
                (_, Some(from)) => {
                    env.from = Some(from);
                    reply(&mut w, "250 2.1.0 sender ok").await?;
                }
            },
            "RCPT" => match path(arg, "TO:") {
                _ if env.from.is_none() => reply(&mut w, "503 5.5.1 MAIL first").await?,
                None => reply(&mut w, "501 5.5.4 syntax: RCPT TO:<address>").await?,
                Some(_) if env.rcpts.len() >= settings.max_recipients => {
                    reply(&mut w, "452 4.5.3 too many recipients").await?;
                }
                Some(to) => match service.inbound_recipient(&to).await {
                    Ok(Some(mailbox)) => {
                        env.rcpts.push((to, mailbox));
                        reply(&mut w, "250 2.1.5 recipient ok").await?;
                    }
                    Ok(None) => reply(&mut w, "550 5.1.1 no such mailbox here").await?,
                    Err(e) => {
                        tracing::error!(error = %e, "recipient lookup failed");
                        reply(&mut w, "451 4.3.0 try again later").await?;
                    }
                },
            },
            "DATA" => {
                if env.rcpts.is_empty() {
                    reply(&mut w, "503 5.5.1 no valid recipients").await?;
                    continue;
                }
                reply(&mut w, "354 end data with <CR><LF>.<CR><LF>").await?;
                let body = data(&mut r, settings.max_bytes).await?;
                let lmtp = greeted == Some(true);
                let envelope = std::mem::take(&mut env);
                deliver(service, &mut w, envelope, body, lmtp).await?;
            }
            "RSET" => {
                env = Envelope::default();
                reply(&mut w, "250 2.0.0 reset").await?;
            }
            "NOOP" => reply(&mut w, "250 2.0.0 ok").await?,
            "VRFY" => reply(&mut w, "252 2.5.2 send some mail, I'll try my best").await?,
            "QUIT" => return reply(&mut w, "221 2.0.0 bye").await,
            _ => reply(&mut w, "502 5.5.2 command not implemented").await?,
        }
    }
}

/// Stores the message for each recipient's mailbox (once per mailbox) and answers: one
/// answer (SMTP) or one per recipient (LMTP).
async fn deliver<W: AsyncWrite + Unpin>(
    service: &Service,
    w: &mut W,
    env: Envelope,
    body: Option<Vec<u8>>,
    lmtp: bool,
) -> io::Result<()> {
    let from = env.from.unwrap_or_default();
    let mut answers: Vec<&str> = Vec::new();
    let mut stored: Vec<(uuid::Uuid, &'static str)> = Vec::new();
    for (rcpt, mailbox) in &env.rcpts {
        let answer = match &body {
            None => "552 5.3.4 message too large",
            Some(_) if stored.iter().any(|(id, _)| *id == mailbox.mailbox_id) => stored
                .iter()
                .find(|(id, _)| *id == mailbox.mailbox_id)
                .map_or("451 4.3.0 try again later", |(_, a)| a),
            Some(raw) => {
                let answer = match service
                    .receive_smtp(*mailbox, &from, rcpt, raw.clone())
                    .await
                {
                    Ok(_) => "250 2.0.0 stored",
                    Err(e) => {
                        tracing::error!(error = %e, "storing received mail failed");
                        "451 4.3.0 not stored, try again later"
                    }
                };
                stored.push((mailbox.mailbox_id, answer));
                answer
            }
        };
        answers.push(answer);
    }
    if lmtp {
        for a in answers {
            reply(w, a).await?;
        }
        return Ok(());
    }
    // SMTP has one answer: success only if every copy was stored.
    let all = answers
        .iter()
        .find(|a| !a.starts_with('2'))
        .copied()
        .unwrap_or("250 2.0.0 stored");
    reply(w, all).await
}
