import { FormEvent, useState } from 'react';
import { messageOf } from '../api';
import { ErrorText } from './ErrorText';

export interface AuthFields {
  email: string;
  password: string;
  name: string;
}

/** The sign-up and log-in form: labelled fields, the server's message on failure. */
export function AuthForm({
  mode,
  onSubmit,
}: {
  mode: 'signup' | 'login';
  onSubmit: (fields: AuthFields) => Promise<void>;
}) {
  const [fields, setFields] = useState<AuthFields>({ email: '', password: '', name: '' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof AuthFields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: e.target.value }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(fields);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card narrow" onSubmit={(e) => void submit(e)} aria-describedby="auth-help">
      {mode === 'signup' && (
        <label>
          Name <span className="muted">(optional)</span>
          <input name="name" autoComplete="name" value={fields.name} onChange={set('name')} />
        </label>
      )}
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required value={fields.email} onChange={set('email')} />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete={mode === 'signup' ? 'new-password' : 'current-password'}
          minLength={mode === 'signup' ? 8 : undefined}
          required
          value={fields.password}
          onChange={set('password')}
        />
      </label>
      <p id="auth-help" className="muted">
        {mode === 'signup' ? 'At least 8 characters. New accounts get free credits to start.' : ''}
      </p>
      <ErrorText message={error} />
      <button type="submit" disabled={busy}>
        {mode === 'signup' ? 'Sign up' : 'Log in'}
      </button>
    </form>
  );
}
