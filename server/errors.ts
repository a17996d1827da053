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
