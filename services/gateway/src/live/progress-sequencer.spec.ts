import { ProgressEvent } from './progress-event';
import { ProgressSequencer } from './progress-sequencer';

const event = (seq: number): ProgressEvent => ({
  videoId: 'v',
  seq,
  status: seq === 100 ? 'completed' : seq === 0 ? 'queued' : 'processing',
  terminal: seq === 100,
  data: { seq },
});

/** The ordering rule of a video's stream, on its own. */
describe('ProgressSequencer', () => {
  const setup = (history: number[], maxWaitMs = 1000) => {
    const sent: number[] = [];
    const recorded = [...history];
    const sequencer = new ProgressSequencer(-1, {
      history: async (after) => recorded.filter((s) => s > after).map(event),
      send: (e) => sent.push(e.seq),
      retryMs: 20,
      maxWaitMs,
    });
    return { sent, recorded, sequencer };
  };
  const settle = (ms = 100) => new Promise((r) => setTimeout(r, ms));

  it('sends the next step at once and drops what was already sent', () => {
    const { sent, sequencer } = setup([]);
    sequencer.history([event(0), event(10)]);
    sequencer.live(event(10));
    sequencer.live(event(25));
    expect(sent).toEqual([0, 10, 25]);
  });

  it('holds a step that skips ahead until the history has the ones before it', async () => {
    const { sent, recorded, sequencer } = setup([0]);
    sequencer.history([event(0)]);
    sequencer.live(event(60));
    await settle();
    expect(sent).toEqual([0]);
    recorded.push(10, 25);
    await settle();
    expect(sent).toEqual([0, 10, 25, 60]);
    sequencer.stop();
  });

  it('sends a held step anyway once the history has had time and still lacks the steps before it', async () => {
    const { sent, sequencer } = setup([0], 150);
    sequencer.history([event(0)]);
    sequencer.live(event(100));
    await settle(400);
    expect(sent).toEqual([0, 100]);
  });

  it('stops after the end', () => {
    const { sent, sequencer } = setup([]);
    sequencer.history([event(0), event(100)]);
    sequencer.live(event(10));
    expect(sent).toEqual([0, 100]);
  });
});
