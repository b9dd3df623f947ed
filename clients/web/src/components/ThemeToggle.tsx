import { Theme, useTheme } from '../hooks/use-theme';

const NEXT: Record<Theme, Theme> = { system: 'dark', dark: 'light', light: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', dark: 'Theme: dark', light: 'Theme: light' };

export function ThemeToggle() {
  const [theme, setTheme] = useTheme();
  return (
    <button
      type="button"
      className="ghost"
      onClick={() => setTheme(NEXT[theme])}
      aria-label={`${LABEL[theme]} (change)`}
    >
      {LABEL[theme]}
    </button>
  );
}
