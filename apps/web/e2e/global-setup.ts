import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startSmtpSink } from './smtp-sink';

// Shared with global-teardown.ts (same runner process).
export const SERVER_KEY = Symbol.for('helpdesk.e2e.server');

export interface ServerState {
  child: ChildProcess;
  dataDir: string;
  smtp?: import('node:net').Server;
}

const STARTUP_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function globalSetup(): Promise<void> {
  if (process.env.HELPDESK_URL) {
    // An already running server: nothing to start.
    return;
  }

  const bin = path.resolve(
    process.env.HELPDESK_BIN || path.resolve(__dirname, '../../../target/debug/helpdesk'),
  );
  if (!existsSync(bin)) {
    throw new Error(
      `helpdesk binary not found at ${bin}: build it (cargo build -p helpdesk), ` +
        'or set HELPDESK_BIN, or point HELPDESK_URL at a running server',
    );
  }

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'helpdesk-e2e-'));
  // Mail goes to a sink whose messages tests can read (HELPDESK_E2E_MAIL_DIR).
  const mailDir = path.join(dataDir, 'received-mail');
  const smtp = await startSmtpSink(mailDir);
  process.env.HELPDESK_E2E_MAIL_DIR = mailDir;
  const url = `http://127.0.0.1:${port}`;

  // A fresh SQLite database in dataDir: never an outside DATABASE_URL / REDIS_URL.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HELPDESK_BIND: `127.0.0.1:${port}`,
    HELPDESK_DATA_DIR: dataDir,
    HELPDESK_LOG_FILTER: 'warn',
    // Many sign-ins from one address in a few seconds: lift the per-address limits (the
    // Rust tests check the limits themselves).
    HELPDESK_RATE_LIMIT_PER_IP: '100000',
    HELPDESK_RATE_LIMIT_PER_ACCOUNT: '100000',
    // A job that keeps failing (a webhook to a closed local port) dies in seconds, so the
    // admin's jobs page can be tested with a real dead letter.
    HELPDESK_JOB_RETRY_BASE_MS: '20',
    HELPDESK_WEBHOOK_ALLOW_PRIVATE: 'true',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;

  // cwd = dataDir so that the server's .env lookup finds no developer .env file.
  const child = spawn(bin, ['serve'], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });

  // Forward the server's output (warnings and errors only) and keep the tail for errors.
  let tail = '';
  const keep = (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
  });
  child.on('error', (err) => {
    exited = `failed to start: ${err.message}`;
  });

  const state: ServerState = { child, dataDir, smtp: smtp.server };
  (globalThis as Record<symbol, unknown>)[SERVER_KEY] = state;

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let last = '';
  for (;;) {
    if (exited) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`helpdesk server ${exited} before ${url}/health answered\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(
        `helpdesk server did not answer GET ${url}/health with 200 within ` +
          `${STARTUP_TIMEOUT_MS / 1000} s (last: ${last})\n${tail}`,
      );
    }
    await sleep(200);
  }

  process.env.HELPDESK_URL = url;
}
