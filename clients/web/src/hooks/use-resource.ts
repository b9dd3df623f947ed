import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api';

export interface Resource<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Loads `load()` now and whenever `deps` change; the latest answer wins. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (e: unknown) => ticket === latest.current && setState({ error: messageOf(e), loading: false }),
    );
  }, [run, generation]);
  return { ...state, reload: () => setGeneration((g) => g + 1) };
}
