import { useEffect, useState } from 'react';
import { Layout } from './components/Layout';
import { useApi, useSignedIn } from './hooks/api-context';
import { LocationContext, navigate, useLocationState } from './hooks/router';
import { ProgressContext, useProgressStream } from './hooks/use-progress';
import { Routes } from './Routes';

/** Restores the session from the refresh cookie once, then shows the screens. */
export function App() {
  const api = useApi();
  const location = useLocationState();
  const signedIn = useSignedIn();
  const progress = useProgressStream();
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    void api.auth.restore().finally(() => setRestoring(false));
  }, [api]);

  // the public screens need no session; every other one sends a visitor to log in
  const publicScreen = location.path === '/login' || location.path === '/signup';
  useEffect(() => {
    if (restoring) return;
    if (!signedIn && !publicScreen) navigate(`/login`, { replace: true });
    if (signedIn && publicScreen) navigate('/', { replace: true });
  }, [restoring, signedIn, publicScreen]);

  return (
    <LocationContext.Provider value={location}>
      <ProgressContext.Provider value={progress}>
        <Layout signedIn={signedIn}>
          {restoring ? (
            <p role="status" className="muted">
              Loading…
            </p>
          ) : (
            <Routes signedIn={signedIn} />
          )}
        </Layout>
      </ProgressContext.Provider>
    </LocationContext.Provider>
  );
}
