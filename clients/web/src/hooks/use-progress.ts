import { createContext, useContext, useEffect, useState } from 'react';
import { followProgress, StreamState } from '../api/events';
import type { ProgressUpdate } from '../api';
import { useApi, useSignedIn } from './api-context';

export interface Progress {
  /** The latest update of each video the stream told about, by video id. */
  videos: Map<string, ProgressUpdate>;
  state: StreamState;
}

/** One `GET /events` stream for the whole app while signed in. */
export function useProgressStream(): Progress {
  const api = useApi();
  const signedIn = useSignedIn();
  const [videos, setVideos] = useState(new Map<string, ProgressUpdate>());
  const [state, setState] = useState<StreamState>('closed');
  useEffect(() => {
    if (!signedIn) {
      setVideos(new Map());
      return;
    }
    const abort = new AbortController();
    void followProgress(
      api.core,
      (update) => setVideos((before) => new Map(before).set(update.video_id, update)),
      setState,
      abort.signal,
    );
    return () => abort.abort();
  }, [api, signedIn]);
  return { videos, state };
}

export const ProgressContext = createContext<Progress>({ videos: new Map(), state: 'closed' });
export const useProgress = () => useContext(ProgressContext);
