import { z } from 'zod';
import { requiredText } from './payload-fields';

/* Field blocks shared by scheduling's topics, with the scheduling domain's rules (libs/scheduling/domain). */

/**
 * An ISO-8601 duration of days, hours, minutes and seconds (no years or months, whose length
 * depends on the date): "P3D", "PT2H", "P1DT12H", "PT30S"; at most 32 characters. A reminder's key
 * is its offset before the due date in this spelling.
 */
export const isoDuration = requiredText(32).pipe(
  z.string().regex(/^P(?=\d|T\d)(?:\d{1,5}W)?(?:\d{1,5}D)?(?:T(?=\d)(?:\d{1,6}H)?(?:\d{1,7}M)?(?:\d{1,9}S)?)?$/, 'must be an ISO-8601 duration such as P3D or PT2H'),
);

/** A local time of day `HH:mm`, 00:00..23:59. */
export const localTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:mm');

/** A task template key (the task-engine's template key): lower-case letters and digits separated by single hyphens. */
export const templateKey = requiredText(64).pipe(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a key of [a-z0-9-]'));
