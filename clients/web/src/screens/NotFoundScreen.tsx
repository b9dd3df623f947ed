import { Link } from '../components/Link';

export function NotFoundScreen() {
  return (
    <section>
      <h1>Nothing here</h1>
      <p>
        This page does not exist. Go to <Link href="/">your videos</Link> or <Link href="/library">your library</Link>.
      </p>
    </section>
  );
}
