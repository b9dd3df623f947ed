import { createContext, useContext, useEffect, useState } from 'react';
import type { Api } from '../api';

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext>');
  return api;
}

/** Whether someone is signed in, following the session (login, logout, a refresh that failed). */
export function useSignedIn(): boolean {
  const api = useApi();
  const [signedIn, setSignedIn] = useState(api.session.signedIn);
  useEffect(() => api.session.onChange(setSignedIn), [api]);
  return signedIn;
}
