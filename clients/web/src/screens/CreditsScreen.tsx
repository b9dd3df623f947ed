import { Balance } from '../components/Balance';
import { CreditHistory } from '../components/CreditHistory';
import { ErrorText } from '../components/ErrorText';
import { Exports } from '../components/Exports';
import { PackageList } from '../components/PackageList';
import { UsageTable } from '../components/UsageTable';
import { useApi } from '../hooks/api-context';
import { useResource } from '../hooks/use-resource';

export function CreditsScreen() {
  const api = useApi();
  const credits = useResource(() => api.credits.balance(), [api]);
  return (
    <div className="stack">
      <h1>Credits</h1>
      <section className="card" aria-label="Balance">
        <ErrorText message={credits.error} />
        <Balance credits={credits.data} />
        <p className="muted">Each video costs one credit, charged only when its note is ready.</p>
      </section>
      <PackageList />
      <CreditHistory version={0} />
      <UsageTable />
      <Exports />
    </div>
  );
}
