import { foregroundFirst } from './foreground-first';

describe('foregroundFirst', () => {
  const busyFor = (ms: number) => {
    const until = Date.now() + ms;
    const spin = () => {
      const slice = Date.now() + 20;
      while (Date.now() < slice) {
        /* a request being answered */
      }
      if (Date.now() < until) setImmediate(spin);
    };
    spin();
  };

  it('goes ahead at once when the process is idle', async () => {
    const started = Date.now();
    await foregroundFirst({ maxUtilization: 0.5, sampleMs: 20, maxWaitMs: 5000 })();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits while the event loop is busy, and goes ahead once it calms down', async () => {
    busyFor(400);
    const started = Date.now();
    await foregroundFirst({ maxUtilization: 0.5, sampleMs: 50, maxWaitMs: 5000 })();
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('goes ahead at once while the process stays quiet, without sampling before each piece of work', async () => {
    const quiet = foregroundFirst({ maxUtilization: 0.5, sampleMs: 50, maxWaitMs: 5000 });
    await quiet(); // the first window
    const started = Date.now();
    for (let i = 0; i < 20; i++) await quiet();
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('never waits longer than its bound', async () => {
    busyFor(1500);
    const started = Date.now();
    await foregroundFirst({ maxUtilization: 0.5, sampleMs: 50, maxWaitMs: 300 })();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(1200);
    await new Promise((r) => setTimeout(r, 1300)); // let the spinning end before the next test
  });
});
