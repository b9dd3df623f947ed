import type { Credits } from '../api';
import { plural } from '../lib/format';

export function Balance({ credits }: { credits: Credits | undefined }) {
  if (!credits) return <p role="status">Loading your balance…</p>;
  const debt = (credits as Credits & { debt?: number }).debt;
  return (
    <p className="balance" data-testid="balance" aria-live="polite">
      <strong data-testid="balance-value">{credits.balance}</strong> {credits.balance === 1 ? 'credit' : 'credits'}
      {credits.reserved > 0 && (
        <span className="muted"> ({plural(credits.reserved, 'credit')} held for videos in progress)</span>
      )}
      {debt ? <span className="error"> — {plural(debt, 'credit')} owed</span> : null}
    </p>
  );
}
