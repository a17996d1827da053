/** A comma-separated query parameter as a de-duplicated list of checked items (at most 100). */
import { z } from 'zod';

export function idList<T extends string>(item: z.ZodType<T, string>) {
  return z
    .string()
    .optional()
    .transform((raw) => [...new Set(raw ? raw.split(',').filter(Boolean) : [])])
    .pipe(z.array(item).max(100));
}
