import type { Metadata } from 'next';
import styles from './login.module.css';

export const metadata: Metadata = { title: 'Log in' };

const MESSAGES: Record<string, string> = {
  credentials: 'Wrong email or password.',
  throttled: 'Too many failed attempts. Wait a few minutes, then try again.',
  invalid: 'Enter your email and password.',
};

/**
 * `/login`: a plain form posting to /api/auth/login, which sets the session
 * cookie and redirects back to `next`. Works without JavaScript (and so needs
 * no inline script under the CSP).
 */
export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = typeof params.next === 'string' ? params.next : '/';
  const error = typeof params.error === 'string' ? MESSAGES[params.error] : undefined;
  return (
    <main className={styles.page}>
      <form className={styles.card} method="post" action="/api/auth/login" data-testid="login-form">
        <h1 className={styles.title}>Watchfloor</h1>
        {error ? (
          <p className={styles.error} role="alert" data-login-error>
            {error}
          </p>
        ) : null}
        <input type="hidden" name="next" value={next} />
        <label className={styles.field}>
          <span>Email</span>
          <input name="email" type="email" autoComplete="username" required autoFocus />
        </label>
        <label className={styles.field}>
          <span>Password</span>
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button className={styles.submit} type="submit">
          Log in
        </button>
      </form>
    </main>
  );
}
