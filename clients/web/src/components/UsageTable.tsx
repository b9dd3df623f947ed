import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';
import { ErrorText } from './ErrorText';

/** What the model cost per month (each video's own usage is on the Videos page). */
export function UsageTable() {
  const api = useApi();
  const usage = useResource(() => api.credits.usage(), [api]);
  const months = usage.data?.months ?? [];
  return (
    <section aria-labelledby="usage-title" className="card">
      <h2 id="usage-title">Usage</h2>
      <ErrorText message={usage.error} />
      {months.length === 0 ? (
        <p className="muted">No model usage yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Videos</th>
                <th scope="col">Calls</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Estimated cost</th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  <td>{m.videos}</td>
                  <td>{m.calls}</td>
                  <td>
                    {m.input_tokens} / {m.output_tokens}
                  </td>
                  <td>{m.estimated_cost_usd === null ? 'unknown' : `$${m.estimated_cost_usd.toFixed(4)}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
