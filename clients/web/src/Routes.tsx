import { lazy, Suspense } from 'react';
import { CheckoutReturn } from './components/CheckoutReturn';
import { match, useLocation } from './hooks/router';
import { CreditsScreen } from './screens/CreditsScreen';
import { LibraryScreen } from './screens/LibraryScreen';
import { LoginScreen, SignupScreen } from './screens/AuthScreens';
import { NoteScreen } from './screens/NoteScreen';
import { NotFoundScreen } from './screens/NotFoundScreen';
import { VideosScreen } from './screens/VideosScreen';

// cytoscape is most of the code: loaded when the graph is first opened
const GraphScreen = lazy(() => import('./screens/GraphScreen').then((m) => ({ default: m.GraphScreen })));

/**
 * The app's pages. Their first path segments never collide with the API's (the gateway answers
 * index.html only for paths outside the API): /, /login, /signup, /library, /read/:id, /knowledge, /wallet.
 */
export function Routes({ signedIn }: { signedIn: boolean }) {
  const { path, query } = useLocation();
  if (path === '/login') return <LoginScreen />;
  if (path === '/signup') return <SignupScreen />;
  if (!signedIn) return null;
  // billing's Stripe success and cancel URLs come back to /?checkout=success|cancelled
  const checkout = query.get('checkout');
  if (checkout === 'success' || checkout === 'cancelled')
    return <CheckoutReturn outcome={checkout} sessionId={query.get('session_id')} />;
  if (path === '/') return <VideosScreen />;
  if (path === '/library') return <LibraryScreen />;
  if (path === '/knowledge')
    return (
      <Suspense fallback={<p role="status">Loading the graph…</p>}>
        <GraphScreen />
      </Suspense>
    );
  if (path === '/wallet') return <CreditsScreen />;
  const note = match('/read/:id', path);
  if (note) return <NoteScreen id={note.id} />;
  return <NotFoundScreen />;
}
