import { ReactNode, useEffect, useRef } from 'react';
import { useApi } from '../hooks/api-context';
import { navigate, useLocation } from '../hooks/router';
import { useProgress } from '../hooks/use-progress';
import { Link } from './Link';
import { ThemeToggle } from './ThemeToggle';

const NAV = [
  ['/', 'Videos'],
  ['/library', 'Library'],
  ['/knowledge', 'Graph'],
  ['/wallet', 'Credits'],
] as const;

export function Layout({ signedIn, children }: { signedIn: boolean; children: ReactNode }) {
  const api = useApi();
  const { path } = useLocation();
  const { videos } = useProgress();
  const inFlight = [...videos.values()].filter((v) => v.status === 'queued' || v.status === 'processing').length;
  // after an in-app navigation the keyboard and screen readers start at the new page's content
  const firstPath = useRef(true);
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [path]);
  const logOut = async () => {
    await api.auth.logOut();
    navigate('/login', { replace: true });
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          Study Buddy
        </Link>
        {signedIn && (
          <nav aria-label="Main">
            <ul>
              {NAV.map(([href, label]) => (
                <li key={href}>
                  <Link href={href} aria-current={path === href ? 'page' : undefined}>
                    {label}
                    {href === '/' && inFlight > 0 && (
                      <span className="badge" aria-label={`, ${inFlight} in progress`}>
                        {inFlight}
                      </span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="top-actions">
          <ThemeToggle />
          {signedIn && (
            <button type="button" className="ghost" onClick={() => void logOut()}>
              Log out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
