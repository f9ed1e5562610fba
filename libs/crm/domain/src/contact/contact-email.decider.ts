import { defineDecider, assertNever, DomainError, DomainErrorCode, type Command, type DomainEvent, Violations } from '@projectflo/platform/core';

/**
 * Email uniqueness per tenant spans many contact streams, so no contact aggregate can decide it.
 * A tiny reservation stream per (tenant, normalized email) — `streamName.contactEmail(tenant,
 * email)` — holds which contact owns the address; the optimistic append on that stream makes two
 * racing reservations serialize, and exactly one wins.
 *
 * How the command handler uses it (not published to Kafka: it is internal bookkeeping):
 *
 * CreateContact
 *   1. Choose the contact id deterministically from the request (e.g. deriveId('contact', tenant,
 *      requestId)) so a retried request reuses it.
 *   2. Dry-run `contactDecider.decide(createContact, contactDecider.initialState())` — it is pure —
 *      so invalid input fails with INVALID_ARGUMENT before anything is reserved.
 *   3. One atomic command over both streams (handleCommandsAtomically): ReserveContactEmail
 *      { email, contactId } on the contact-email stream and CreateContact on the contact stream,
 *      appended all or nothing. Another contact holding the address fails with ALREADY_EXISTS
 *      (details.contactId names the holder) and writes nothing. The same contact holding it is a
 *      no-op, so a reservation left by the older two-step protocol still completes on retry.
 *
 * ChangeContactEmail: reserve the new address for the contact, append ContactEmailChanged, then
 * ReleaseContactEmail the previous address. A crash before the release leaves the old address held
 * by the same contact; retrying the request (whose contact append is then a duplicate) must still
 * run the release, which is idempotent.
 *
 * ArchiveContact keeps the reservation: an archived contact is soft-deleted, still exists, and can
 * be restored; the ALREADY_EXISTS details let a client offer "restore" instead of a duplicate.
 */
export type ReserveContactEmail = Command<'ReserveContactEmail', { readonly email: string; readonly contactId: string }>;
export type ReleaseContactEmail = Command<'ReleaseContactEmail', { readonly email: string; readonly contactId: string }>;
export type ContactEmailCommand = ReserveContactEmail | ReleaseContactEmail;

export const ContactEmailEventType = {
  ContactEmailReserved: 'ContactEmailReserved',
  ContactEmailReleased: 'ContactEmailReleased',
} as const;

export type ContactEmailReserved = DomainEvent<
  'ContactEmailReserved',
  { readonly email: string; readonly contactId: string; readonly reservedAt: string; readonly reservedBy: string }
>;
export type ContactEmailReleased = DomainEvent<
  'ContactEmailReleased',
  { readonly email: string; readonly contactId: string; readonly releasedAt: string; readonly releasedBy: string }
>;
export type ContactEmailEvent = ContactEmailReserved | ContactEmailReleased;

export interface ContactEmailState {
  /** The contact holding the address, or null when it is free. */
  readonly heldBy: string | null;
}

export const contactEmailDecider = defineDecider<ContactEmailState, ContactEmailCommand, ContactEmailEvent>({
  aggregate: 'contact email',
  schemaVersions: { ContactEmailReserved: 1, ContactEmailReleased: 1 },
  initialState: () => ({ heldBy: null }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'ContactEmailReserved':
        return { heldBy: event.data.contactId };
      case 'ContactEmailReleased':
        return state.heldBy === event.data.contactId ? { heldBy: null } : state;
      default:
        return assertNever(event, 'contact-email event');
    }
  },
  decide: (command, state) => {
    const v = new Violations();
    const email = v.email('email', command.data.email);
    const contactId = v.uuid('contactId', command.data.contactId);
    v.throwIfAny();
    const { actorId } = command.metadata;
    const at = command.metadata.now.toISOString();
    switch (command.type) {
      case 'ReserveContactEmail':
        if (state.heldBy === contactId) return [];
        if (state.heldBy !== null) {
          throw new DomainError(DomainErrorCode.AlreadyExists, `a contact with email ${email} already exists`, [], {
            what: 'contact',
            contactId: state.heldBy,
          });
        }
        return [{ type: 'ContactEmailReserved', data: { email, contactId, reservedAt: at, reservedBy: actorId } }];
      case 'ReleaseContactEmail':
        if (state.heldBy === null) return [];
        if (state.heldBy !== contactId) {
          // Releasing someone else's address would let a third contact take it: refuse loudly.
          throw DomainError.precondition(`email ${email} is held by another contact`, { contactId: state.heldBy });
        }
        return [{ type: 'ContactEmailReleased', data: { email, contactId, releasedAt: at, releasedBy: actorId } }];
      default:
        return assertNever(command, 'contact-email command');
    }
  },
});
