import { useEffect, useState } from 'react';
import type { Credits } from '../api';
import { useApi } from '../hooks/api-context';
import { Balance } from './Balance';
import { Link } from './Link';

/**
 * Where Stripe sends the customer back (`/?checkout=success|cancelled`). After a payment the credits
 * arrive with Stripe's webhook, a moment later: the balance is read again until it moves (or 30 s).
 */
export function CheckoutReturn({ outcome, sessionId }: { outcome: 'success' | 'cancelled'; sessionId: string | null }) {
  const api = useApi();
  const [credits, setCredits] = useState<Credits>();
  const [arrived, setArrived] = useState(false);
  useEffect(() => {
    let stop = false;
    const poll = async (round: number) => {
      try {
        const now = await api.credits.balance();
        if (stop) return;
        setCredits(now);
        // did a purchase land? the newest history entry says so
        const history = await api.credits.history();
        const bought = history.items.some(
          (h) => h.kind === 'purchase' && Date.now() - new Date(h.occurred_at).getTime() < 10 * 60_000,
        );
        if (bought) return setArrived(true);
      } catch {
        /* try again */
      }
      if (!stop && outcome === 'success' && round < 30) setTimeout(() => void poll(round + 1), 1000);
    };
    void poll(0);
    return () => {
      stop = true;
    };
  }, [api, outcome]);

  return (
    <section className="stack" aria-labelledby="checkout-title">
      {outcome === 'success' ? (
        <>
          <h1 id="checkout-title">Thank you for your purchase</h1>
          <p role="status">
            {arrived ? 'Your credits have arrived.' : 'Your payment went through; the credits arrive in a moment…'}
          </p>
        </>
      ) : (
        <>
          <h1 id="checkout-title">Checkout cancelled</h1>
          <p>Nothing was charged.</p>
        </>
      )}
      <Balance credits={credits} />
      {sessionId && <p className="muted">Reference: {sessionId}</p>}
      <p>
        <Link href="/wallet">Back to credits</Link> · <Link href="/">Your videos</Link>
      </p>
    </section>
  );
}
