import { Consumer, JsMsg } from 'nats';

/** One message taken into a free slot. */
export interface SlotDelivery {
  readonly msg: JsMsg;
  /** Aborted when the delivery is handed back at shutdown: the handler should stop at its next safe point. */
  readonly signal: AbortSignal;
  /** True once handed back: the handler's outcome must no longer ack, nak or record anything. */
  readonly handedBack: boolean;
}

export interface SlotLoopOptions {
  consumer: Consumer;
  /** Messages handled at once; never more are pulled. */
  slots: number;
  /** How long one pull request waits for messages (stopping waits out the current one). */
  pullExpiresMs: number;
  handle: (delivery: SlotDelivery) => Promise<void>;
  /** The pull failed, or a handler failed beyond handling: the loop has stopped taking messages. */
  onFailure: (error: unknown) => void;
}

export interface SlotLoop {
  /** Resolves once the loop has stopped pulling: after stop(), or on its own after a failure. */
  readonly ended: Promise<void>;
  /**
   * Stops pulling, waits up to `drainMs` for the deliveries in hand, then hands back (nak: redelivered to
   * another worker at once) those still running. Resolves with how many were handed back.
   */
  stop(drainMs?: number): Promise<number>;
}

interface Active {
  msg: JsMsg;
  controller: AbortController;
  handedBack: boolean;
  settled: Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Concurrent handling of a pull consumer: each pull asks for exactly the free slots, so a message is
 * only received when a handler is ready for it (none waits in a buffer with its ack timer running and
 * no heartbeat), and never more than `slots` are in hand.
 */
export function startSlotLoop(options: SlotLoopOptions): SlotLoop {
  const active = new Set<Active>();
  let pulling = true;
  /** Wakes the loop waiting for a slot: one freed, or stop(). */
  let wake: (() => void) | undefined;
  const woken = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (e: unknown) => {
    if (!pulling) return;
    pulling = false;
    woken();
    options.onFailure(e);
  };

  const launch = (msg: JsMsg) => {
    const controller = new AbortController();
    const entry = { msg, controller, handedBack: false } as Active;
    const delivery: SlotDelivery = {
      msg,
      signal: controller.signal,
      get handedBack() {
        return entry.handedBack;
      },
    };
    active.add(entry);
    entry.settled = options
      .handle(delivery)
      .catch((e: unknown) => {
        if (!entry.handedBack) fail(e);
      })
      .finally(() => {
        active.delete(entry);
        woken();
      });
  };

  const ended = (async () => {
    try {
      while (pulling) {
        const free = options.slots - active.size;
        if (free <= 0) {
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        const pulledAt = Date.now();
        let received = 0;
        const batch = await options.consumer.fetch({ max_messages: free, expires: options.pullExpiresMs });
        for await (const msg of batch) {
          received++;
          // arrived while stopping: nobody here will handle it, so another worker gets it at once
          if (pulling) launch(msg);
          else msg.nak();
        }
        // a pull that ends at once with nothing (connection closing) must not spin
        if (received === 0 && Date.now() - pulledAt < options.pullExpiresMs / 2) await sleep(200);
      }
    } catch (e) {
      fail(e);
    }
  })();

  return {
    ended,
    async stop(drainMs = Number.POSITIVE_INFINITY) {
      const deadline = Date.now() + drainMs;
      pulling = false;
      woken();
      await ended;
      const all = Promise.all([...active].map((a) => a.settled));
      const remaining = deadline - Date.now();
      if (remaining === Number.POSITIVE_INFINITY) {
        await all;
        return 0;
      }
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        all.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), Math.max(0, remaining)))),
      ]);
      clearTimeout(timer);
      if (finished) return 0;
      const left = [...active];
      for (const a of left) {
        a.handedBack = true;
        a.controller.abort();
        a.msg.nak();
      }
      return left.length;
    },
  };
}
