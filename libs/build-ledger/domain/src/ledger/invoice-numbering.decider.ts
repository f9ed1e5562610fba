import { assertNever, type Command, defineDecider, DomainError } from '@projectflo/platform/core';

/**
 * A tenant's invoice numbers: one stream per tenant (`invoice-numbering-<tenant>`), appended in the
 * SAME atomic write as the invoice's InvoiceIssued (executor.runAtomically), with the stream's version
 * as the optimistic-concurrency check. Two issues racing for a number: one append wins, the other
 * conflicts and is decided again with the next number. So numbers are unique per tenant and gap-free:
 * a number exists only with its issued invoice, and drafts never take one.
 */
export interface InvoiceNumberingState {
  readonly last: number;
  readonly byInvoice: Readonly<Record<string, number>>;
}

export type AssignInvoiceNumber = Command<'AssignInvoiceNumber', { readonly invoiceId: string; readonly buildId: string; readonly number: number }>;

export type InvoiceNumberingEvent = { type: 'InvoiceNumberAssigned'; data: { tenantId: string; invoiceId: string; buildId: string; number: number } };

export const initialInvoiceNumberingState = (): InvoiceNumberingState => ({ last: 0, byInvoice: {} });

/** The number the next issued invoice of a tenant takes. */
export const nextInvoiceNumber = (state: InvoiceNumberingState): number => state.last + 1;

export const invoiceNumberingDecider = defineDecider({
  aggregate: 'invoice numbering',
  schemaVersions: { InvoiceNumberAssigned: 1 },
  initialState: initialInvoiceNumberingState,
  evolve: (state: InvoiceNumberingState, event: InvoiceNumberingEvent): InvoiceNumberingState => {
    switch (event.type) {
      case 'InvoiceNumberAssigned':
        return { last: event.data.number, byInvoice: { ...state.byInvoice, [event.data.invoiceId]: event.data.number } };
      default:
        return assertNever(event.type, 'invoice numbering event');
    }
  },
  decide: (command: AssignInvoiceNumber, state: InvoiceNumberingState): InvoiceNumberingEvent[] => {
    switch (command.type) {
      case 'AssignInvoiceNumber': {
        const { invoiceId, buildId, number } = command.data;
        const taken = Object.hasOwn(state.byInvoice, invoiceId) ? state.byInvoice[invoiceId] : undefined;
        if (taken !== undefined) throw DomainError.precondition(`invoice ${invoiceId} already has number ${taken}`);
        // Only ever the next number: a stale one is a lost race, decided again by the handler.
        if (number !== nextInvoiceNumber(state)) throw DomainError.precondition(`invoice number ${number} is not the next one (${nextInvoiceNumber(state)})`, { next: nextInvoiceNumber(state) });
        return [{ type: 'InvoiceNumberAssigned', data: { tenantId: command.metadata.tenantId, invoiceId, buildId, number } }];
      }
      default:
        return assertNever(command.type, 'invoice numbering command');
    }
  },
});
