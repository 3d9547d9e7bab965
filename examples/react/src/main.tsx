// The React quick start as an app: useSession() decides what to show; signing in or out here or
// in another tab re-renders it. test/browser/react-example.test.ts builds it with Vite and drives it.
import { isCognitoError } from 'cognito-kit';
import { useSession } from 'cognito-kit/react';
import { type FormEvent, StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { auth } from './auth.js';

function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const result = await auth.signIn({
        username: String(form.get('username')),
        password: String(form.get('password')),
      });
      // Signed in: useSession() re-renders the app. Otherwise a step remains (MFA, new password…).
      if (!result.isSignedIn) setError(`Next step: ${result.nextStep.signInStep}`);
    } catch (failure) {
      setError(
        isCognitoError(failure, 'NotAuthorizedException')
          ? 'Wrong username or password'
          : isCognitoError(failure)
            ? failure.code
            : 'Something went wrong',
      );
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <h1>Sign in</h1>
      <input name="username" autoComplete="username" placeholder="Username" required />
      <input
        name="password"
        type="password"
        autoComplete="current-password"
        placeholder="Password"
        required
      />
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function App() {
  const { status, session } = useSession(auth);
  if (status === 'loading') return <p aria-busy="true">loading</p>;
  if (status === 'signedOut') return <SignInForm />;
  return (
    <section>
      <h1>Signed in as {session.username}</h1>
      <button type="button" onClick={() => auth.signOut()}>
        Sign out
      </button>
    </section>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
