import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findFreePortRange } from './free-ports';
import { RestartPolicy } from './restart-backoff';
import { ServiceProcess } from './service-process';

// A stand-in service: ready on /readyz, and it stays up until something kills it.
const SERVICE = `
require('node:http')
  .createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end())
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('up ' + process.pid));
`;
const FAST: RestartPolicy = { initialDelayMs: 300, maxDelayMs: 1200, resetAfterMs: 60_000 };

describe('ServiceProcess supervision', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'study-buddy-supervisor-'));
  const entry = path.join(directory, 'service.js');
  writeFileSync(entry, SERVICE);
  const started: ServiceProcess[] = [];
  let printed: string[]; // what the dev stack wrote to the console

  beforeEach(() => {
    printed = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await Promise.all(started.splice(0).map((s) => s.stop(2000)));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function service(restart?: RestartPolicy) {
    const s = new ServiceProcess({
      name: 'processor',
      entry,
      port: await findFreePortRange(1),
      env: process.env,
      output: { kind: 'console' },
      restart,
    });
    started.push(s);
    s.start();
    await s.waitUntilReady(10_000);
    return s;
  }

  /** SIGKILLs the current process from outside, as the kernel or a stray `kill -9` would. */
  async function crash(s: ServiceProcess) {
    const pid = s.pid!;
    process.kill(pid, 'SIGKILL');
    const crashedAt = Date.now();
    await until(() => s.pid !== pid);
    const restartedAfter = Date.now() - crashedAt;
    await s.waitUntilReady(10_000);
    return { pid, restartedAfter };
  }

  it('restarts a crashed service with doubling back-off, and says so on the console', async () => {
    const s = await service(FAST);
    const first = await crash(s);
    const second = await crash(s);

    expect(first.restartedAfter).toBeGreaterThanOrEqual(300);
    expect(second.restartedAfter).toBeGreaterThanOrEqual(600);
    expect(isAlive(first.pid) || isAlive(second.pid)).toBe(false);
    expect(s.restarts).toBe(2);
    expect(printed).toEqual(
      expect.arrayContaining([
        '[processor] exited with signal SIGKILL — restarting in 0.3 s (restart 1)\n',
        '[processor] exited with signal SIGKILL — restarting in 0.6 s (restart 2)\n',
      ]),
    );
    // the restarted process is the one answering, and its output still reaches the console
    expect(printed).toContain(`[processor] up ${s.pid}\n`);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });

  it('does not restart after stop(), nor after kill(), until start() is called', async () => {
    const s = await service(FAST);
    const stopped = s.pid!;
    expect(await s.stop(2000)).toBeNull(); // the stand-in has no SIGTERM handler: it dies of the signal
    s.start();
    await s.waitUntilReady(10_000);
    const killed = s.pid!;
    await s.kill();
    await new Promise((r) => setTimeout(r, FAST.initialDelayMs * 3));

    expect([isAlive(stopped), isAlive(killed), s.pid]).toEqual([false, false, killed]);
    expect(s.restarts).toBe(0);
    expect(printed.join('')).not.toMatch(/restarting/);
  });

  it('cancels a pending restart when the stack stops during the back-off', async () => {
    const s = await service(FAST);
    const pid = s.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => printed.some((line) => line.includes('restarting in 0.3 s')));
    await s.stop(2000);
    await new Promise((r) => setTimeout(r, FAST.initialDelayMs * 3));

    expect(s.pid).toBe(pid);
    await expect(s.waitUntilReady(1000)).rejects.toThrow('processor exited with signal SIGKILL before it was ready');
  });

  it('leaves an unsupervised service down, as the system tests expect', async () => {
    const s = await service();
    const pid = s.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => !isAlive(pid));
    await new Promise((r) => setTimeout(r, 1500));

    expect(s.pid).toBe(pid);
    expect(s.restarts).toBe(0);
    await expect(s.waitUntilReady(1000)).rejects.toThrow('exited with signal SIGKILL');
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
