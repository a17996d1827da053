/** Named errors with stable codes; the HTTP layer turns them into responses in one place. */

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** A message or request that failed validation: the caller sent something wrong. */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, 422, details);
    this.name = 'ValidationError';
  }
}

/** No valid session (or kiosk token): the caller must log in. */
export class UnauthenticatedError extends AppError {
  constructor(message = 'log in first') {
    super('UNAUTHENTICATED', message, 401);
    this.name = 'UnauthenticatedError';
  }
}

/** Logged in, but not allowed: wrong role, a site not assigned, or a cross-site request. */
export class ForbiddenError extends AppError {
  constructor(message = 'not allowed', code = 'FORBIDDEN') {
    super(code, message, 403);
    this.name = 'ForbiddenError';
  }
}
