import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';
import { dateTime } from '../lib/format';
import { ErrorText } from './ErrorText';

const KIND: Record<string, string> = {
  grant: 'Granted',
  purchase: 'Bought',
  reserve: 'Held for a video',
  capture: 'Spent on a video',
  release: 'Given back',
  refund: 'Refunded',
  dispute: 'Disputed payment',
  dispute_won: 'Dispute won',
};

export function CreditHistory({ version }: { version: number }) {
  const api = useApi();
  const history = useResource(() => api.credits.history(), [api, version]);
  return (
    <section aria-labelledby="history-title" className="card">
      <h2 id="history-title">History</h2>
      <ErrorText message={history.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Credits</th>
              <th scope="col">Balance</th>
            </tr>
          </thead>
          <tbody>
            {(history.data?.items ?? []).map((h) => (
              <tr key={h.id}>
                <td>{dateTime(h.occurred_at)}</td>
                <td>
                  {KIND[h.kind] ?? h.kind}
                  {h.reason ? ` (${h.reason})` : ''}
                </td>
                <td>{h.amount > 0 ? `+${h.amount}` : h.amount}</td>
                <td>{h.balance_after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
