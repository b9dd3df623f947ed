import { useState } from 'react';
import { messageOf } from '../api';
import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';
import { money, plural } from '../lib/format';
import { ErrorText } from './ErrorText';

/** The credit packages; buying one goes to Stripe Checkout, which sends the customer back here. */
export function PackageList() {
  const api = useApi();
  const packages = useResource(() => api.credits.packages(), [api]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const buy = async (id: string) => {
    setBusy(id);
    setError(undefined);
    try {
      const { checkout_url } = await api.credits.checkout(id);
      window.location.assign(checkout_url);
    } catch (e) {
      setError(messageOf(e));
      setBusy(undefined);
    }
  };
  return (
    <section aria-labelledby="packages-title" className="card">
      <h2 id="packages-title">Buy credits</h2>
      <ErrorText message={packages.error ?? error} />
      <ul className="packages">
        {(packages.data?.items ?? []).map((p) => (
          <li key={p.id}>
            <strong>{plural(p.credits, 'credit')}</strong> <span>{money(p.amount, p.currency)}</span>
            <button
              type="button"
              disabled={busy !== undefined}
              onClick={() => void buy(p.id)}
              aria-label={`Buy ${plural(p.credits, 'credit')} for ${money(p.amount, p.currency)}`}
            >
              {busy === p.id ? 'Opening checkout…' : 'Buy'}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted">Payment is handled by Stripe; you come back here afterwards.</p>
    </section>
  );
}
