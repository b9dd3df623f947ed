import { ErrorText } from '../components/ErrorText';
import { GraphView } from '../components/GraphView';
import { Link } from '../components/Link';
import { SubjectBadge } from '../components/SubjectBadge';
import { useApi } from '../hooks/api-context';
import { useDark } from '../hooks/use-dark';
import { useResource } from '../hooks/use-resource';

/** The user's notes as a graph; click a node to open it. The same notes as a list, for keyboards and screen readers. */
export function GraphScreen() {
  const api = useApi();
  const dark = useDark();
  const graph = useResource(() => api.notes.graph(), [api]);
  const edges = graph.data?.edges ?? [];
  const subjects = [...new Set((graph.data?.nodes ?? []).map((n) => n.subject))].sort();
  return (
    <div className="stack">
      <h1>Knowledge graph</h1>
      <ErrorText message={graph.error} />
      {graph.data && graph.data.nodes.length === 0 && <p>No notes yet: add a video first.</p>}
      {graph.data && graph.data.nodes.length > 0 && (
        <>
          <ul className="legend" aria-label="Subjects">
            {subjects.map((s) => (
              <li key={s}>
                <SubjectBadge subject={s} />
              </li>
            ))}
          </ul>
          <GraphView graph={graph.data} dark={dark} />
          <section aria-labelledby="graph-list-title" className="card">
            <h2 id="graph-list-title">Notes in the graph</h2>
            <ul data-testid="graph-list">
              {graph.data.nodes.map((n) => {
                const links = edges.filter((e) => e.source === n.note_id || e.target === n.note_id).length;
                return (
                  <li key={n.note_id}>
                    <Link href={`/read/${n.note_id}`}>{n.title}</Link> <SubjectBadge subject={n.subject} />{' '}
                    <span className="muted">({links === 1 ? '1 link' : `${links} links`})</span>
                  </li>
                );
              })}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
