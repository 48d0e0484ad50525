import { rmSync } from 'node:fs';

import { SERVER_KEY, type ServerState } from './global-setup';

// Stops the server global-setup.ts started (if any) and removes its data dir.
export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<symbol, unknown>;
  const state = store[SERVER_KEY] as ServerState | undefined;
  if (!state) return;
  delete store[SERVER_KEY];

  const { child, dataDir, smtp } = state;
  smtp?.close();
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}
