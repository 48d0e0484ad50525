// A minimal SMTP receiver for the browser tests: the server sends its mail here (plain
// SMTP on 127.0.0.1), and each message is written to <dir>/<n>.eml so a test can read a
// link it carries (a satisfaction survey, an invitation). Speaks just enough SMTP for
// lettre: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';

export function startSmtpSink(dir: string): Promise<{ server: Server; port: number }> {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = createServer((sock) => {
    let buf = '';
    let data = false;
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (data) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          n += 1;
          writeFileSync(path.join(dir, `${String(n).padStart(5, '0')}.eml`), buf.slice(0, end).replace(/\r\n\.\./g, '\r\n.'));
          buf = buf.slice(end + 5);
          data = false;
          sock.write('250 stored\r\n');
          continue;
        }
        const eol = buf.indexOf('\r\n');
        if (eol < 0) return;
        const line = buf.slice(0, eol);
        buf = buf.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250 sink\r\n');
        else if (verb === 'DATA') {
          data = true;
          sock.write('354 go on\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 bye\r\n');
          return;
        } else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

/** The messages received so far, oldest first (raw text, quoted-printable undone). */
export function receivedMail(dir: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return names.map((f) => readFileSync(path.join(dir, f), 'utf8').replace(/=\r\n/g, '').replace(/=3D/g, '='));
}
