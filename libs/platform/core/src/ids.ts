import { v5 as uuidv5, validate as uuidValidate } from 'uuid';

/** Namespace for every id ProjectFlo derives deterministically (uuid v5). */
export const PROJECTFLO_NAMESPACE = '6f1f4d7e-3b1c-5a43-9d7e-2f5c0b9a1e10';

/**
 * A stable id derived from business keys: the same keys always give the same id, so a retried or
 * redelivered operation produces the same event or task rather than a duplicate.
 */
export function deriveId(...keys: readonly (string | number)[]): string {
  return uuidv5(keys.map(String).join('\u001f'), PROJECTFLO_NAMESPACE);
}

export function isUuid(value: string): boolean {
  return uuidValidate(value);
}
