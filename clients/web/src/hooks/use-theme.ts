import { useEffect, useState } from 'react';

export type Theme = 'system' | 'light' | 'dark';

/**
 * The colour theme: the system's (prefers-color-scheme) unless the user picked one with the toggle.
 * The choice is a preference, not a secret, and the only thing kept in localStorage.
 */
export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => {
    const saved = window.localStorage.getItem('theme');
    return saved === 'light' || saved === 'dark' ? saved : 'system';
  });
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') {
      delete root.dataset.theme;
      window.localStorage.removeItem('theme');
    } else {
      root.dataset.theme = theme;
      window.localStorage.setItem('theme', theme);
    }
  }, [theme]);
  return [theme, setTheme];
}
