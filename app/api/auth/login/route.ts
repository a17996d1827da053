/** POST /api/auth/login: JSON { email, password } or the /login form; sets the session cookie. */
import { handleLogin } from '@/server/auth/login-request';
import { apiHandler } from '@/server/http/api-handler';

export const POST = apiHandler(handleLogin);
