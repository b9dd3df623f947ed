/**
 * Identical reads in flight at once share one query, but only while nothing new is known to have
 * committed since it was sent: `news()` counts what the caller learned (appends, notifications), and a
 * read sent before the latest news may miss it, so a later caller sends its own.
 */
export function sharedReads(news: () => number) {
  const inFlight = new Map<string, { news: number; result: Promise<unknown> }>();
  return function shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const current = inFlight.get(key);
    if (current && current.news === news()) return current.result as Promise<T>;
    const entry = { news: news(), result: read() };
    inFlight.set(key, entry);
    const forget = () => {
      if (inFlight.get(key) === entry) inFlight.delete(key);
    };
    entry.result.then(forget, forget);
    return entry.result;
  };
}
