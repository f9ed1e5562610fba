import { ledgerBuildEventsV1 } from '@projectflo/contracts';
import { deciderSpecification, DomainErrorCode, foldState } from '@projectflo/platform/core';
import type { BuildCommand, ChangeRequest } from './build.commands';
import { buildDecider, buildFactsOf, type BuildState } from './build.decider';
import type { BuildEvent } from './build.events';
import { ACTOR, IDS, meta, studioCatalog, TENANT } from './build.fixtures';
import { lineAmountsOf, multiplyDecimals, priceBuild } from './build.pricing';

const spec = deciderSpecification(buildDecider);
const BUILD = '20000000-0000-4000-8000-000000000001';
const CO1 = '30000000-0000-4000-8000-000000000001';
const CO2 = '30000000-0000-4000-8000-000000000002';
const AT = '2026-06-14T10:00:00.000Z';
const catalog = studioCatalog();

const cmd = <T extends BuildCommand['type']>(type: T, data: Omit<Extract<BuildCommand, { type: T }>['data'], 'buildId'>, metadata = meta()) =>
  ({ type, data: { buildId: BUILD, ...data }, metadata }) as unknown as Extract<BuildCommand, { type: T }>;

const created: BuildEvent = {
  type: 'BuildCreated',
  data: { tenantId: TENANT, buildId: BUILD, leadId: 'lead-7', name: 'Ana & Ben wedding', currency: 'USD', eventDate: '2026-09-12', quoteExpiresOn: '2026-06-30', createdBy: ACTOR, createdAt: AT },
};

/** Every kind of line: hourly and fixed coverage, a deliverable with its components (one excluded) and the style's required item, a per-unit item. */
const EVERY_KIND: ChangeRequest[] = [
  { op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.videographer, quantity: 2, hours: '8' },
  { op: 'add_coverage', sceneId: IDS.reception, operatorTypeId: IDS.drone, quantity: 1 },
  { op: 'add_deliverable', deliverableId: IDS.highlightFilm },
  { op: 'add_billable_item', billableItemId: IDS.usb, quantity: '3', notes: 'one per parent' },
];

/** Runs commands one after another from `given`, returning every event and the state after them. */
function run(given: readonly BuildEvent[], ...commands: BuildCommand[]): { events: BuildEvent[]; state: BuildState } {
  const events = [...given];
  let state = foldState(buildDecider, events);
  for (const command of commands) {
    for (const event of buildDecider.decide(command, state)) {
      events.push(event);
      state = buildDecider.evolve(state, event);
    }
  }
  return { events, state };
}

const configured = () => run([created], cmd('ConfigureBuild', { changes: EVERY_KIND, catalog }));
const approved = () => run(configured().events, cmd('ApproveBuild', {}));
const last = (events: readonly BuildEvent[]) => events[events.length - 1]!;
const usdMinor = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('build', () => {
  it('is created as an inquiry for a lead, in a currency', () => {
    spec
      .given([])
      .when(cmd('CreateBuild', { leadId: 'lead-7', name: ' Ana & Ben wedding ', currency: 'USD', eventDate: '2026-09-12', quoteExpiresOn: '2026-06-30' }))
      .then([created]);
    expect(run([created]).state).toMatchObject({ status: 'inquiry', version: 1, lockedAt: null });
  });

  it('refuses a build with bad input, naming every field', () => {
    spec.given([]).when(cmd('CreateBuild', { name: ' ', currency: 'usd', eventDate: '2026-02-30' })).thenThrows(DomainErrorCode.InvalidArgument, ['currency', 'eventDate', 'name']);
    spec.given([created]).when(cmd('CreateBuild', { name: 'again', currency: 'USD' })).thenThrows(DomainErrorCode.AlreadyExists);
  });

  describe('price', () => {
    it('prices every kind of line, each rounded once, and the total is the sum of the lines', () => {
      const { events, state } = configured();
      const event = last(events);
      if (event.type !== 'BuildConfigured') throw new Error(event.type);
      // 2 × 8 h × 95.00 + 350.00 + 1200.00 + 4 min × 12.50 + 0 (excluded) + 250.00 (required by Cinematic) + 3 × 19.99
      expect(event.data.livePrice).toEqual(usdMinor(152_000 + 35_000 + 120_000 + 5_000 + 0 + 25_000 + 5_997));
      const breakdown = priceBuild(state.configuration, 'USD');
      expect(breakdown.lines.map((l) => [l.kind, l.description, l.quantity, l.amount.amountMinor, l.explanation])).toEqual([
        ['coverage', 'Videographer · Ceremony', '16', 152_000, '2 × 8 h at 95.00 USD per hour'],
        ['coverage', 'Drone pilot · Reception', '1', 35_000, '1 × 350.00 USD fixed'],
        ['deliverable', 'Highlight film', '1', 120_000, 'base price 1200.00 USD'],
        ['component', 'Highlight film · Ceremony · Cinematic', '4', 5_000, '4 min at 12.50 USD per minute'],
        ['component', 'Highlight film · Reception · Documentary', '0', 0, 'not included'],
        ['billable_item', 'Colour grading', '1', 25_000, '1 × 250.00 USD (required by an editing style)'],
        ['billable_item', 'USB keepsake', '3', 5_997, '3 × 19.99 USD per unit'],
      ]);
      expect(breakdown.subtotal).toEqual(event.data.livePrice);
      // The deciders' lean pricing (amounts only) and the breakdown agree line by line.
      expect(lineAmountsOf(state.configuration, 'USD')).toEqual(breakdown.lines.map((l) => l.amount));
      expect(breakdown.total).toEqual(event.data.livePrice);
    });

    it('rounds a line half away from zero, once: 1.5 × 19.99 = 29.985 → 29.99', () => {
      const { events } = run([created], cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1.5' }], catalog }));
      const event = last(events);
      expect(event.type === 'BuildConfigured' && event.data.livePrice).toEqual(usdMinor(2_999));
      expect(multiplyDecimals('3', '1.125')).toBe('3.375');
      expect(multiplyDecimals('0.5', '0.2')).toBe('0.1');
    });

    it('adds a style’s required items once per style, and recalculates on every change', () => {
      const { state } = run(
        configured().events,
        cmd('ConfigureBuild', {
          changes: [{ op: 'add_component', deliverableLineId: configured().state.configuration.deliverables[0]!.lineId, sceneId: IDS.reception, editingStyleId: IDS.cinematic, targetMinutes: 2, included: true }],
          catalog,
        }),
      );
      expect(state.configuration.items.filter((i) => i.billableItemId === IDS.colorGrade)).toHaveLength(1);
      expect(priceBuild(state.configuration, 'USD').subtotal).toEqual(usdMinor(342_997 + 2_500));
      const usb = state.configuration.items.find((i) => i.billableItemId === IDS.usb)!;
      const removed = run(configured().events, cmd('ConfigureBuild', { changes: [{ op: 'remove_billable_item', lineId: usb.lineId }], catalog }));
      const event = last(removed.events);
      expect(event.type === 'BuildConfigured' && event.data.livePrice).toEqual(usdMinor(342_997 - 5_997));
    });

    it('captures prices when added: a later catalog change does not reprice the build', () => {
      const { state } = configured();
      const cheaper = structuredClone(catalog) as typeof catalog;
      (cheaper.items[IDS.videographer]!.details as { rate: { amountMinor: number } }).rate.amountMinor = 1;
      expect(priceBuild(state.configuration, 'USD').subtotal).toEqual(usdMinor(342_997));
      const { state: later } = run(configured().events, cmd('ConfigureBuild', { changes: [{ op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.videographer, quantity: 1, hours: '1' }], catalog: cheaper }));
      expect(priceBuild(later.configuration, 'USD').subtotal).toEqual(usdMinor(342_998));
    });
  });

  describe('bad input', () => {
    it('refuses negative quantities, hours and minutes, naming each field, and writes nothing', () => {
      spec
        .given([created])
        .when(
          cmd('ConfigureBuild', {
            changes: [
              { op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.videographer, quantity: -1, hours: '8' },
              { op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.videographer, quantity: 1, hours: '-2' },
              { op: 'add_billable_item', billableItemId: IDS.usb, quantity: '-3' },
              { op: 'add_billable_item', billableItemId: IDS.colorGrade, quantity: '1.5' },
            ],
            catalog,
          }),
        )
        .thenThrows(DomainErrorCode.InvalidArgument, ['changes[0].quantity', 'changes[1].hours', 'changes[2].quantity', 'changes[3].quantity']);
    });

    it('refuses unknown catalog ids (another tenant’s catalog is unknown here), retired and inactive items', () => {
      const unknown = '10000000-0000-4000-8000-0000000000ff';
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_deliverable', deliverableId: unknown }], catalog })).thenThrows(DomainErrorCode.NotFound);
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.ceremony, quantity: '1' }], catalog })).thenThrows(DomainErrorCode.NotFound);
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }], catalog: { tenantId: 'tenant-c', items: {} } })).thenThrows(DomainErrorCode.NotFound);
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.retiredItem, quantity: '1' }], catalog })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.inactiveItem, quantity: '1' }], catalog })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given([created]).when(cmd('ConfigureBuild', { changes: [{ op: 'remove_coverage', lineId: unknown }], catalog })).thenThrows(DomainErrorCode.NotFound);
    });

    it('refuses an item priced in another currency than the build’s', () => {
      const eur = { ...created, data: { ...created.data, currency: 'EUR' } } as BuildEvent;
      spec.given([eur]).when(cmd('ConfigureBuild', { changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }], catalog })).thenThrows(DomainErrorCode.InvalidArgument, ['changes[0].billableItemId']);
    });

    it('refuses a fixed discount with more precision than the currency allows, or a negative one', () => {
      const { events } = approved();
      const propose = (discount: object) => cmd('ProposeChangeOrder', { changeOrderId: CO1, baseVersion: 1, description: 'Goodwill', changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }], discount: discount as never, catalog });
      spec.given(events).when(propose({ kind: 'fixed', amount: { amount: '10.001', currency: 'USD' }, reason: 'loyal' })).thenThrows(DomainErrorCode.InvalidArgument, ['discount.amount']);
      spec.given(events).when(propose({ kind: 'fixed', amount: { amount: '-5.00', currency: 'USD' }, reason: 'loyal' })).thenThrows(DomainErrorCode.InvalidArgument, ['discount.amount']);
      spec.given(events).when(propose({ kind: 'percent', percent: '-5', reason: 'loyal' })).thenThrows(DomainErrorCode.InvalidArgument, ['discount.percent']);
      spec.given(events).when(propose({ kind: 'fixed', amount: { amount: '5.00', currency: 'USD' }, reason: '' })).thenThrows(DomainErrorCode.InvalidArgument, ['discount.reason']);
    });
  });

  describe('approval and change orders', () => {
    it('approving sets the approved price, locks the configuration and records the version 1 snapshot', () => {
      const { events, state } = approved();
      const event = last(events);
      expect(event).toMatchObject({ type: 'BuildApproved', data: { version: 1, approvedTotal: usdMinor(342_997), snapshot: { version: 1, subtotal: usdMinor(342_997), approvedTotal: usdMinor(342_997) } } });
      expect(state.lockedAt).toBe(AT);
      spec.given(events).when(cmd('ConfigureBuild', { changes: EVERY_KIND, catalog })).thenThrows(DomainErrorCode.FailedPrecondition);
      spec.given(events).when(cmd('ApproveBuild', {})).then([]);
    });

    it('refuses to approve an expired quote', () => {
      spec.given(configured().events).when(cmd('ApproveBuild', {}, meta({ now: new Date('2026-07-01T08:00:00Z') }))).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('a change order with a percent discount: delta, discount and new total; approving applies it and snapshots version 2', () => {
      const { events } = approved();
      const propose = cmd('ProposeChangeOrder', {
        changeOrderId: CO1,
        baseVersion: 1,
        description: 'Second drone, USB keepsakes dropped',
        changes: [
          { op: 'add_coverage', sceneId: IDS.ceremony, operatorTypeId: IDS.drone, quantity: 1 },
          { op: 'remove_billable_item', lineId: approved().state.configuration.items.find((i) => i.billableItemId === IDS.usb)!.lineId },
        ],
        discount: { kind: 'percent', percent: '12.5', reason: 'Referral' },
        catalog,
      });
      const proposed = run(events, propose);
      const p = last(proposed.events);
      // delta = +350.00 − 59.97 = 290.03; gross = 3429.97 + 290.03 = 3720.00; 12.5 % = 465.00; new total 3255.00
      expect(p).toMatchObject({
        type: 'ChangeOrderProposed',
        data: { version: 2, baseVersion: 1, priceDelta: usdMinor(29_003), discount: { kind: 'percent', percent: '12.5', amount: usdMinor(46_500), reason: 'Referral' }, newApprovedTotal: usdMinor(325_500) },
      });
      expect(proposed.state.approvedTotal).toEqual(usdMinor(342_997));
      expect(proposed.state.version).toBe(1);
      const done = run(proposed.events, cmd('ApproveChangeOrder', { changeOrderId: CO1 }));
      const a = last(done.events);
      expect(a).toMatchObject({ type: 'ChangeOrderApproved', data: { version: 2, newApprovedTotal: usdMinor(325_500), snapshot: { version: 2, subtotal: usdMinor(372_000), approvedTotal: usdMinor(325_500) } } });
      expect(done.state).toMatchObject({ version: 2, approvedTotal: usdMinor(325_500) });
      const price = priceBuild(done.state.configuration, 'USD', done.state.discounts);
      expect(price.total).toEqual(done.state.approvedTotal);
      expect(done.state.configuration.coverage).toHaveLength(3);
      spec.given(done.events).when(cmd('ApproveChangeOrder', { changeOrderId: CO1 })).then([]);
      spec.given(done.events).when(cmd('RejectChangeOrder', { changeOrderId: CO1 })).thenThrows(DomainErrorCode.FailedPrecondition);
    });

    it('refuses a discount that would bring the total below zero', () => {
      const { events } = approved();
      spec
        .given(events)
        .when(
          cmd('ProposeChangeOrder', {
            changeOrderId: CO1,
            baseVersion: 1,
            description: 'Too generous',
            changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }],
            discount: { kind: 'fixed', amount: { amount: '3450.00', currency: 'USD' }, reason: 'oops' },
            catalog,
          }),
        )
        .thenThrows(DomainErrorCode.InvalidArgument, ['discount']);
      // exactly zero is allowed: 3429.97 + 19.99 − 3449.96
      const zeroTotal = run(
        events,
        cmd('ProposeChangeOrder', {
          changeOrderId: CO1,
          baseVersion: 1,
          description: 'Free',
          changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }],
          discount: { kind: 'fixed', amount: { amount: '3449.96', currency: 'USD' }, reason: 'gift' },
          catalog,
        }),
      );
      expect(last(zeroTotal.events)).toMatchObject({ data: { newApprovedTotal: usdMinor(0) } });
    });

    it('refuses a change order against a stale version (ABORTED), when proposed and when approved', () => {
      const { events } = approved();
      const usb = (id: string) => cmd('ProposeChangeOrder', { changeOrderId: id, baseVersion: 1, description: 'USB', changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }], catalog });
      const both = run(events, usb(CO1), usb(CO2), cmd('ApproveChangeOrder', { changeOrderId: CO1 }));
      const error = spec.given(both.events).when(cmd('ApproveChangeOrder', { changeOrderId: CO2 })).thenThrows(DomainErrorCode.VersionConflict);
      expect(error.details).toMatchObject({ expectedVersion: '1', actualVersion: 2 });
      spec.given(both.events).when(usb('30000000-0000-4000-8000-000000000003')).thenThrows(DomainErrorCode.VersionConflict);
      spec.given(both.events).when(cmd('RejectChangeOrder', { changeOrderId: CO2, reason: 'superseded' })).then([
        { type: 'ChangeOrderRejected', data: { tenantId: TENANT, buildId: BUILD, changeOrderId: CO2, version: 2, reason: 'superseded', by: ACTOR, at: AT } },
      ]);
    });

    it('refuses change orders before approval', () => {
      spec
        .given(configured().events)
        .when(cmd('ProposeChangeOrder', { changeOrderId: CO1, baseVersion: 1, description: 'x', changes: [{ op: 'add_billable_item', billableItemId: IDS.usb, quantity: '1' }], catalog }))
        .thenThrows(DomainErrorCode.FailedPrecondition);
    });
  });

  describe('status and booking', () => {
    it('books an approved build: BuildBooked keeps its contract, with the included components and the coverage', () => {
      spec.given(configured().events).when(cmd('BookBuild', {})).thenThrows(DomainErrorCode.FailedPrecondition);
      const sent = run(approved().events, cmd('ChangeBuildStatus', { toStatus: 'proposal_sent' }), cmd('BookBuild', {}));
      const booked = last(sent.events);
      expect(booked.type).toBe('BuildBooked');
      const payload = ledgerBuildEventsV1.BuildBookedV1.parse(booked.data);
      expect(payload).toMatchObject({ tenantId: TENANT, buildId: BUILD, version: 1, leadId: 'lead-7', eventDate: '2026-09-12', approvedTotal: usdMinor(342_997), bookedBy: ACTOR, bookedAt: AT });
      expect(payload.components.map((c) => [c.sceneName, c.editingStyleName, c.targetMinutes])).toEqual([['Ceremony', 'Cinematic', 4]]);
      expect(payload.coverage.map((c) => [c.operatorTypeName, c.quantity, c.hours])).toEqual([
        ['Videographer', 2, '8'],
        ['Drone pilot', 1, null],
      ]);
      expect(sent.state.status).toBe('booked');
      spec.given(sent.events).when(cmd('BookBuild', {})).then([]);
      spec.given(sent.events).when(cmd('ChangeBuildStatus', { toStatus: 'archived' })).thenThrows(DomainErrorCode.FailedPrecondition);
      const completed = run(sent.events, cmd('ChangeBuildStatus', { toStatus: 'completed' }), cmd('ChangeBuildStatus', { toStatus: 'archived' }));
      expect(completed.state.status).toBe('archived');
    });

    it('books a booked build again at its new version when a change order is approved, keeping the booking instant', () => {
      const booked = run(approved().events, cmd('BookBuild', {}));
      const drone = booked.state.configuration.coverage.find((l) => l.operatorTypeId === IDS.drone)!;
      const later = meta({ now: new Date('2026-07-01T09:00:00.000Z') });
      const changed = run(
        booked.events,
        cmd('ProposeChangeOrder', { changeOrderId: CO1, baseVersion: 1, description: 'No drone', changes: [{ op: 'remove_coverage', lineId: drone.lineId }], catalog }, later),
        cmd('ApproveChangeOrder', { changeOrderId: CO1 }, later),
      );
      const [approvedCo, rebooked] = changed.events.slice(-2);
      expect(approvedCo!.type).toBe('ChangeOrderApproved');
      const payload = ledgerBuildEventsV1.BuildBookedV1.parse(rebooked!.data);
      expect(payload).toMatchObject({ version: 2, approvedTotal: usdMinor(342_997 - 35_000), bookedAt: AT });
      expect(payload.coverage.map((c) => c.operatorTypeName)).toEqual(['Videographer']);
      expect(payload.components.map((c) => c.componentId)).toEqual(booked.state.configuration.components.filter((c) => c.included).map((c) => c.lineId));
      expect(changed.state).toMatchObject({ status: 'booked', bookedAt: AT, version: 2 });
      // Before booking, an approved change order books nothing.
      const unbooked = run(approved().events, cmd('ProposeChangeOrder', { changeOrderId: CO1, baseVersion: 1, description: 'x', changes: [{ op: 'remove_coverage', lineId: drone.lineId }], catalog }), cmd('ApproveChangeOrder', { changeOrderId: CO1 }));
      expect(unbooked.events.map((e) => e.type).slice(-2)).toEqual(['ChangeOrderProposed', 'ChangeOrderApproved']);
    });

    it('folds the facts the ledger needs', () => {
      const { events, state } = run(approved().events, cmd('BookBuild', {}));
      expect(buildFactsOf(state, events.length)).toEqual({
        buildId: BUILD,
        tenantId: TENANT,
        currency: 'USD',
        status: 'booked',
        approvedTotal: usdMinor(342_997),
        bookedAt: AT,
        eventDate: '2026-09-12',
        version: events.length,
        configurationVersion: 1,
        leadId: 'lead-7',
        clientId: null,
        projectId: null,
      });
      expect(buildFactsOf(buildDecider.initialState(), 0)).toBeNull();
    });

    it('is linked to a client and a project later', () => {
      spec.given([created]).when(cmd('LinkBuild', { clientId: 'contact-1', projectId: null })).then([
        { type: 'BuildLinked', data: { tenantId: TENANT, buildId: BUILD, clientId: 'contact-1', projectId: null, by: ACTOR, at: AT } },
      ]);
    });
  });
});
