/** A row of `event_types`: one event type of a tenant (evolveEventType), at the catalog position of its last change. */
export interface EventTypeRow extends Record<string, unknown> {
  event_type_id: string;
  tenant_id: string;
  key: string;
  name: string;
  description: string | null;
  subject_date_fields: string[];
  retired: boolean;
  version: number;
  defined_at: Date | string;
}
