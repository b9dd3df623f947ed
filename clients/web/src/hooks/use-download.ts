import { useState } from 'react';
import { messageOf } from '../api';
import { saveFile } from '../lib/download';
import { useApi } from './api-context';

/** Downloads a file the API serves (a note, an export) to the user's disk, with its busy and error state. */
export function useDownload(): { busy: boolean; error?: string; download: (path: string) => Promise<void> } {
  const api = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const download = async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      const { blob, filename } = await api.notes.download(path);
      saveFile(blob, filename);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, download };
}
