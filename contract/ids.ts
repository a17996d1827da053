/**
 * The id grammar shared by MQTT topics, payloads, job data and the REST API:
 * an id is 1-64 letters, digits, `_` and `-`, so NUL, slashes and wildcards
 * never reach a topic, a room name or a query.
 */
import { z } from 'zod';

/** A site, guard, device, sensor or component id. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A device's own message id (its idempotency key): also `.` and `:`, up to 100. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;
/** A job's idempotency key: the ingest's SHA-256 in hex, or a test's or a rule's own key. */
export const MESSAGE_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** A metric name in a component's health report. */
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** An id as a schema, with the message that says the grammar. */
export const idSchema = z.string().regex(ID_PATTERN, 'an id: letters, digits, _ and - (1-64)');
