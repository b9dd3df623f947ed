import { AuthForm } from '../components/AuthForm';
import { Link } from '../components/Link';
import { useApi } from '../hooks/api-context';
import { navigate } from '../hooks/router';

export function LoginScreen() {
  const api = useApi();
  return (
    <section aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <AuthForm
        mode="login"
        onSubmit={async ({ email, password }) => {
          await api.auth.logIn(email, password);
          navigate('/', { replace: true });
        }}
      />
      <p>
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </section>
  );
}

export function SignupScreen() {
  const api = useApi();
  return (
    <section aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <AuthForm
        mode="signup"
        onSubmit={async ({ email, password, name }) => {
          await api.auth.signUp(email, password, name || undefined);
          navigate('/', { replace: true });
        }}
      />
      <p>
        Already have an account? <Link href="/login">Log in</Link>
      </p>
    </section>
  );
}
