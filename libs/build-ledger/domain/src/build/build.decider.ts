import { assertNever, type CommandMetadata, defineDecider, deriveId, DomainError, DomainErrorCode, Violations } from '@projectflo/platform/core';
import { ledgerBuildEventsV1 } from '@projectflo/contracts';
import { type CatalogState, liveCatalogItem } from '../catalog/catalog.decider';
import { add, currencyFor, isNegative, type Money, parseMoney, parsePercent, parseQuantity, percentOf, subtract } from '../money/money';
import type {
  ApproveBuild,
  ApproveChangeOrder,
  BookBuild,
  BuildCommand,
  ChangeBuildStatus,
  ChangeRequest,
  ConfigureBuild,
  CreateBuild,
  DiscountRequest,
  LinkBuild,
  ProposeChangeOrder,
  RejectChangeOrder,
  UpdateBuildDetails,
} from './build.commands';
import type {
  BuildConfiguration,
  BuildEvent,
  BuildSnapshot,
  BuildStatus,
  ComponentLine,
  ConfigurationChange,
  Discount,
  ItemLine,
} from './build.events';
import { applyChange, applyChanges, EMPTY_CONFIGURATION, subtotalOf, totalOf } from './build.pricing';
import { own } from '../shared/records';

/** Bounds of a build (the gRPC edge applies the same). */
export const BUILD_LIMITS = {
  id: 128,
  name: 200,
  description: 2_000,
  notes: 1_000,
  reason: 1_000,
  changes: 100,
  coverage: ledgerBuildEventsV1.MAX_BUILD_COVERAGE_V1,
  components: ledgerBuildEventsV1.MAX_BUILD_COMPONENTS_V1,
  deliverables: 100,
  items: 200,
  operators: 100,
  targetMinutes: 10_000,
  changeOrders: 500,
} as const;

export interface ChangeOrderState {
  readonly changeOrderId: string;
  readonly version: number;
  readonly baseVersion: number;
  readonly status: 'pending' | 'approved' | 'rejected';
  readonly changes: readonly ConfigurationChange[];
  readonly discount: Omit<Discount, 'changeOrderId' | 'version'> | null;
  readonly newApprovedTotal: Money;
}

/**
 * One build (quote): one stream per build (`build-<id>`). The configuration is changed freely
 * until approval locks it; from then on only approved change orders change it, each bumping the
 * configuration version and recording a snapshot of the whole build at that version.
 */
export interface BuildState {
  readonly buildId: string | null;
  readonly tenantId: string | null;
  readonly leadId: string | null;
  readonly clientId: string | null;
  readonly projectId: string | null;
  readonly name: string;
  readonly currency: string;
  readonly status: BuildStatus | null;
  readonly eventDate: string | null;
  readonly quoteExpiresOn: string | null;
  /** Configuration version: 1 until the first approved change order, then the last one's version. */
  readonly version: number;
  readonly lockedAt: string | null;
  readonly approvedTotal: Money | null;
  readonly bookedAt: string | null;
  readonly configuration: BuildConfiguration;
  /** Lines ever numbered (line ids derive from it). */
  readonly lineSequence: number;
  readonly discounts: readonly Discount[];
  readonly changeOrders: Readonly<Record<string, ChangeOrderState>>;
}

export const initialBuildState = (): BuildState => ({
  buildId: null,
  tenantId: null,
  leadId: null,
  clientId: null,
  projectId: null,
  name: '',
  currency: '',
  status: null,
  eventDate: null,
  quoteExpiresOn: null,
  version: 0,
  lockedAt: null,
  approvedTotal: null,
  bookedAt: null,
  configuration: EMPTY_CONFIGURATION,
  lineSequence: 0,
  discounts: [],
  changeOrders: {},
});

export function evolveBuild(state: BuildState, event: BuildEvent): BuildState {
  switch (event.type) {
    case 'BuildCreated': {
      const d = event.data;
      return { ...state, buildId: d.buildId, tenantId: d.tenantId, leadId: d.leadId, name: d.name, currency: d.currency, status: 'inquiry', eventDate: d.eventDate, quoteExpiresOn: d.quoteExpiresOn, version: 1 };
    }
    case 'BuildDetailsChanged':
      return { ...state, name: event.data.name, eventDate: event.data.eventDate, quoteExpiresOn: event.data.quoteExpiresOn };
    case 'BuildLinked':
      return { ...state, clientId: event.data.clientId, projectId: event.data.projectId };
    case 'BuildConfigured':
      return { ...state, configuration: applyChanges(state.configuration, event.data.changes), lineSequence: event.data.lineSequence };
    case 'BuildStatusChanged':
      return { ...state, status: event.data.to };
    case 'BuildApproved':
      return { ...state, lockedAt: event.data.at, approvedTotal: event.data.approvedTotal, version: event.data.version };
    case 'BuildBooked':
      // A change order books a booked build again at its new version: the booking's instant stays.
      return { ...state, status: 'booked', bookedAt: state.bookedAt ?? event.data.bookedAt };
    case 'ChangeOrderProposed': {
      const d = event.data;
      const co: ChangeOrderState = { changeOrderId: d.changeOrderId, version: d.version, baseVersion: d.baseVersion, status: 'pending', changes: d.changes, discount: d.discount, newApprovedTotal: d.newApprovedTotal };
      return { ...state, lineSequence: d.lineSequence, changeOrders: { ...state.changeOrders, [d.changeOrderId]: co } };
    }
    case 'ChangeOrderApproved': {
      const co = own(state.changeOrders, event.data.changeOrderId);
      if (!co) return state;
      const discounts = co.discount ? [...state.discounts, { ...co.discount, changeOrderId: co.changeOrderId, version: co.version }] : state.discounts;
      return {
        ...state,
        configuration: applyChanges(state.configuration, co.changes),
        discounts,
        version: event.data.version,
        approvedTotal: event.data.newApprovedTotal,
        changeOrders: { ...state.changeOrders, [co.changeOrderId]: { ...co, status: 'approved' } },
      };
    }
    case 'ChangeOrderRejected': {
      const co = own(state.changeOrders, event.data.changeOrderId);
      return co ? { ...state, changeOrders: { ...state.changeOrders, [co.changeOrderId]: { ...co, status: 'rejected' } } } : state;
    }
    default:
      return assertNever(event, 'build event');
  }
}

/**
 * The facts of a build other decisions need (the ledger's invoices and payment schedules), folded
 * from its stream (fold with `buildDecider`/`evolveBuild`, read the stream, never a read model).
 * Structurally a ledger BuildFacts: `version` is the build STREAM's version the facts were read at;
 * `configurationVersion` the version approved change orders bump.
 */
export interface FoldedBuildFacts {
  readonly buildId: string;
  readonly tenantId: string;
  readonly currency: string;
  readonly status: BuildStatus;
  readonly approvedTotal: Money | null;
  readonly bookedAt: string | null;
  readonly eventDate: string | null;
  readonly version: number;
  readonly configurationVersion: number;
  readonly leadId: string | null;
  readonly clientId: string | null;
  readonly projectId: string | null;
}

/** The facts of a folded build at `streamVersion`, or null when the stream holds no build. */
export function buildFactsOf(state: BuildState, streamVersion: number): FoldedBuildFacts | null {
  if (state.buildId === null || state.tenantId === null || state.status === null) return null;
  const { buildId, tenantId, currency, status, approvedTotal, bookedAt, eventDate, version, leadId, clientId, projectId } = state;
  return { buildId, tenantId, currency, status, approvedTotal, bookedAt, eventDate, version: streamVersion, configurationVersion: version, leadId, clientId, projectId };
}

const at = (m: CommandMetadata) => m.now.toISOString();
const today = (m: CommandMetadata) => m.now.toISOString().slice(0, 10);

function existing(state: BuildState, buildId: string): BuildState & { buildId: string; tenantId: string; status: BuildStatus } {
  if (state.buildId === null || state.status === null || state.buildId !== buildId) throw DomainError.notFound('build', buildId);
  return state as BuildState & { buildId: string; tenantId: string; status: BuildStatus };
}

/** Refused as ABORTED: the change order was written against (or approved over) a configuration that has moved on. */
export function staleVersion(buildId: string, expected: number, actual: number): DomainError {
  return new DomainError(DomainErrorCode.VersionConflict, `build ${buildId} is at configuration version ${actual}, not ${expected}: re-read it and write the change order again`, [], {
    buildId,
    expectedVersion: String(expected),
    actualVersion: actual,
  });
}

function refuseMoneyOf(v: Violations, field: string, price: Money, currency: string): void {
  if (price.currency !== currency) v.add(field, `names an item priced in ${price.currency}; the build is in ${currency}`);
}

const optionalNotes = (v: Violations, field: string, value: unknown) => v.optionalText(field, value, { max: BUILD_LIMITS.notes });

/**
 * Decides requested changes one after the other against a working configuration: catalog ids are
 * looked up in the tenant's catalog (unknown → NOT_FOUND, retired or inactive → FAILED_PRECONDITION),
 * prices and names captured, line ids numbered from the build's line sequence. Field problems are
 * collected for every change before anything is refused.
 */
function resolveChanges(
  v: Violations,
  state: BuildState & { buildId: string },
  requests: readonly ChangeRequest[] | undefined,
  catalog: CatalogState,
): { changes: ConfigurationChange[]; configuration: BuildConfiguration; lineSequence: number } {
  const list = Array.isArray(requests) ? requests : [];
  if (list.length === 0) v.add('changes', 'must hold at least one change');
  if (list.length > BUILD_LIMITS.changes) v.add('changes', `must hold at most ${BUILD_LIMITS.changes} changes`);
  let config = state.configuration;
  let sequence = state.lineSequence;
  const nextId = () => deriveId('build-line', state.buildId, ++sequence);
  const changes: ConfigurationChange[] = [];
  const currency = state.currency;

  const requirementItems = (styleId: string, styleName: string, pending: readonly ItemLine[], field: string): ItemLine[] => {
    const style = liveCatalogItem(catalog, 'editing_style', styleId);
    const items: ItemLine[] = [];
    for (const r of style.details.requirements) {
      const present = [...config.items, ...pending, ...items].some((i) => i.origin.kind === 'style_requirement' && i.origin.editingStyleId === styleId && i.billableItemId === r.billableItemId);
      if (present) continue;
      const item = liveCatalogItem(catalog, 'billable_item', r.billableItemId);
      refuseMoneyOf(v, `${field} (${styleName} requires ${item.name})`, item.details.price, currency);
      items.push({
        lineId: nextId(),
        billableItemId: item.itemId,
        name: item.name,
        pricing: item.details.pricing,
        quantity: r.quantity,
        price: item.details.price,
        notes: null,
        origin: { kind: 'style_requirement', editingStyleId: styleId },
      });
    }
    return items;
  };

  const componentLine = (deliverable: { lineId: string; deliverableId: string; name: string }, sceneId: string, styleId: string, targetMinutes: number, included: boolean, field: string): ComponentLine => {
    const scene = liveCatalogItem(catalog, 'coverage_scene', sceneId);
    const style = liveCatalogItem(catalog, 'editing_style', styleId);
    if (style.details.ratePerMinute) refuseMoneyOf(v, `${field}.editingStyleId`, style.details.ratePerMinute, currency);
    return {
      lineId: nextId(),
      deliverableLineId: deliverable.lineId,
      deliverableId: deliverable.deliverableId,
      deliverableName: deliverable.name,
      sceneId: scene.itemId,
      sceneName: scene.name,
      editingStyleId: style.itemId,
      editingStyleName: style.name,
      targetMinutes,
      included,
      ratePerMinute: style.details.ratePerMinute,
    };
  };

  const lineOf = <L extends { lineId: string }>(lines: readonly L[], field: string, lineId: unknown, what: string): L | undefined => {
    const id = v.uuid(field, lineId);
    if (id === '') return undefined;
    const line = lines.find((l) => l.lineId === id);
    if (!line) throw DomainError.notFound(what, id);
    return line;
  };

  list.forEach((request, index) => {
    const f = `changes[${index}]`;
    const before = v.count;
    let change: ConfigurationChange | undefined;
    switch (request?.op) {
      case 'add_coverage': {
        const quantity = v.integer(`${f}.quantity`, request.quantity, { min: 1, max: BUILD_LIMITS.operators });
        const sceneId = v.identifier(`${f}.sceneId`, request.sceneId, BUILD_LIMITS.id);
        const operatorTypeId = v.identifier(`${f}.operatorTypeId`, request.operatorTypeId, BUILD_LIMITS.id);
        if (v.count > before) break;
        const scene = liveCatalogItem(catalog, 'coverage_scene', sceneId);
        const operator = liveCatalogItem(catalog, 'operator_type', operatorTypeId);
        let hours: string | null = null;
        if (operator.details.pricing === 'hourly') hours = parseQuantity(v, `${f}.hours`, request.hours ?? undefined);
        else if (request.hours != null && request.hours !== '') v.add(`${f}.hours`, `must be empty: ${operator.name} has a fixed rate`);
        refuseMoneyOf(v, `${f}.operatorTypeId`, operator.details.rate, currency);
        if (v.count > before) break;
        change = {
          op: 'add_coverage',
          line: { lineId: nextId(), sceneId, sceneName: scene.name, operatorTypeId, operatorTypeName: operator.name, pricing: operator.details.pricing, quantity, hours, rate: operator.details.rate },
        };
        break;
      }
      case 'remove_coverage': {
        const line = lineOf(config.coverage, `${f}.lineId`, request.lineId, 'coverage line');
        if (line) change = { op: 'remove_coverage', lineId: line.lineId };
        break;
      }
      case 'add_deliverable': {
        const deliverableId = v.identifier(`${f}.deliverableId`, request.deliverableId, BUILD_LIMITS.id);
        if (v.count > before) break;
        const deliverable = liveCatalogItem(catalog, 'deliverable', deliverableId);
        refuseMoneyOf(v, `${f}.deliverableId`, deliverable.details.price, currency);
        const line = { lineId: nextId(), deliverableId, name: deliverable.name, price: deliverable.details.price };
        const components: ComponentLine[] = [];
        const items: ItemLine[] = [];
        for (const c of deliverable.details.defaultComponents) {
          components.push(componentLine(line, c.sceneId, c.editingStyleId, c.targetMinutes, c.included, f));
          items.push(...requirementItems(c.editingStyleId, deliverable.name, items, f));
        }
        change = { op: 'add_deliverable', line, components, items };
        break;
      }
      case 'remove_deliverable': {
        const line = lineOf(config.deliverables, `${f}.lineId`, request.lineId, 'deliverable line');
        if (line) change = { op: 'remove_deliverable', lineId: line.lineId };
        break;
      }
      case 'add_component': {
        const targetMinutes = v.integer(`${f}.targetMinutes`, request.targetMinutes, { min: 0, max: BUILD_LIMITS.targetMinutes });
        const included = v.boolean(`${f}.included`, request.included);
        const sceneId = v.identifier(`${f}.sceneId`, request.sceneId, BUILD_LIMITS.id);
        const styleId = v.identifier(`${f}.editingStyleId`, request.editingStyleId, BUILD_LIMITS.id);
        const deliverable = lineOf(config.deliverables, `${f}.deliverableLineId`, request.deliverableLineId, 'deliverable line');
        if (v.count > before || !deliverable) break;
        const line = componentLine(deliverable, sceneId, styleId, targetMinutes, included, f);
        change = { op: 'add_component', line, items: requirementItems(styleId, line.editingStyleName, [], f) };
        break;
      }
      case 'update_component': {
        const targetMinutes = v.integer(`${f}.targetMinutes`, request.targetMinutes, { min: 0, max: BUILD_LIMITS.targetMinutes });
        const included = v.boolean(`${f}.included`, request.included);
        const line = lineOf(config.components, `${f}.lineId`, request.lineId, 'component line');
        if (line && v.count === before) change = { op: 'update_component', lineId: line.lineId, targetMinutes, included };
        break;
      }
      case 'remove_component': {
        const line = lineOf(config.components, `${f}.lineId`, request.lineId, 'component line');
        if (line) change = { op: 'remove_component', lineId: line.lineId };
        break;
      }
      case 'add_billable_item': {
        const itemId = v.identifier(`${f}.billableItemId`, request.billableItemId, BUILD_LIMITS.id);
        const quantity = parseQuantity(v, `${f}.quantity`, request.quantity);
        const notes = optionalNotes(v, `${f}.notes`, request.notes);
        if (v.count > before || quantity === null) break;
        const item = liveCatalogItem(catalog, 'billable_item', itemId);
        if (!item.details.active) throw DomainError.precondition(`billable item ${item.name} is inactive`, { billableItemId: itemId });
        if (item.details.pricing === 'fixed' && quantity.includes('.')) v.add(`${f}.quantity`, `must be a whole number: ${item.name} has a fixed price`);
        refuseMoneyOf(v, `${f}.billableItemId`, item.details.price, currency);
        if (v.count > before) break;
        change = {
          op: 'add_billable_item',
          line: { lineId: nextId(), billableItemId: itemId, name: item.name, pricing: item.details.pricing, quantity, price: item.details.price, notes, origin: { kind: 'manual' } },
        };
        break;
      }
      case 'update_billable_item': {
        const quantity = parseQuantity(v, `${f}.quantity`, request.quantity);
        const notes = optionalNotes(v, `${f}.notes`, request.notes);
        const line = lineOf(config.items, `${f}.lineId`, request.lineId, 'billable item line');
        if (!line || quantity === null || v.count > before) break;
        if (line.pricing === 'fixed' && quantity.includes('.')) v.add(`${f}.quantity`, `must be a whole number: ${line.name} has a fixed price`);
        else change = { op: 'update_billable_item', lineId: line.lineId, quantity, notes };
        break;
      }
      case 'remove_billable_item': {
        const line = lineOf(config.items, `${f}.lineId`, request.lineId, 'billable item line');
        if (line) change = { op: 'remove_billable_item', lineId: line.lineId };
        break;
      }
      default:
        v.add(`${f}.op`, 'must name one change');
    }
    if (change) {
      changes.push(change);
      config = applyChange(config, change);
    }
  });
  if (config.coverage.length > BUILD_LIMITS.coverage) v.add('changes', `a build holds at most ${BUILD_LIMITS.coverage} coverage lines`);
  if (config.components.length > BUILD_LIMITS.components) v.add('changes', `a build holds at most ${BUILD_LIMITS.components} components`);
  if (config.deliverables.length > BUILD_LIMITS.deliverables) v.add('changes', `a build holds at most ${BUILD_LIMITS.deliverables} deliverables`);
  if (config.items.length > BUILD_LIMITS.items) v.add('changes', `a build holds at most ${BUILD_LIMITS.items} billable items`);
  return { changes, configuration: config, lineSequence: sequence };
}

const isEmpty = (c: BuildConfiguration) => c.coverage.length + c.deliverables.length + c.components.length + c.items.length === 0;

function snapshotOf(version: number, configuration: BuildConfiguration, currency: string, discounts: readonly Discount[], approvedTotal: Money): BuildSnapshot {
  return { version, configuration, subtotal: subtotalOf(configuration, currency), discounts, approvedTotal };
}

function decideCreate(command: CreateBuild, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const buildId = v.uuid('buildId', data.buildId);
  const leadId = data.leadId == null || data.leadId === '' ? null : v.identifier('leadId', data.leadId, BUILD_LIMITS.id);
  const name = v.text('name', data.name, { required: true, max: BUILD_LIMITS.name });
  const currency = typeof data.currency === 'string' && currencyFor(data.currency) ? data.currency : (v.add('currency', 'must be an ISO 4217 currency code'), '');
  const eventDate = v.optionalDate('eventDate', data.eventDate);
  const quoteExpiresOn = v.optionalDate('quoteExpiresOn', data.quoteExpiresOn);
  v.throwIfAny();
  if (state.buildId !== null) throw DomainError.alreadyExists('build', buildId);
  return [{ type: 'BuildCreated', data: { tenantId: metadata.tenantId, buildId, leadId, name, currency, eventDate, quoteExpiresOn, createdBy: metadata.actorId, createdAt: at(metadata) } }];
}

function decideUpdateDetails(command: UpdateBuildDetails, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const name = v.text('name', data.name, { required: true, max: BUILD_LIMITS.name });
  const eventDate = v.optionalDate('eventDate', data.eventDate);
  const quoteExpiresOn = v.optionalDate('quoteExpiresOn', data.quoteExpiresOn);
  v.throwIfAny();
  const build = existing(state, data.buildId);
  if (build.status === 'archived') throw DomainError.precondition(`build ${build.buildId} is archived`, { buildId: build.buildId });
  if (name === build.name && eventDate === build.eventDate && quoteExpiresOn === build.quoteExpiresOn) return [];
  return [{ type: 'BuildDetailsChanged', data: { tenantId: build.tenantId, buildId: build.buildId, name, eventDate, quoteExpiresOn, by: metadata.actorId, at: at(metadata) } }];
}

function decideLink(command: LinkBuild, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const clientId = data.clientId == null || data.clientId === '' ? null : v.identifier('clientId', data.clientId, BUILD_LIMITS.id);
  const projectId = data.projectId == null || data.projectId === '' ? null : v.identifier('projectId', data.projectId, BUILD_LIMITS.id);
  v.throwIfAny();
  const build = existing(state, data.buildId);
  const next = { clientId: clientId ?? build.clientId, projectId: projectId ?? build.projectId };
  if (next.clientId === build.clientId && next.projectId === build.projectId) return [];
  return [{ type: 'BuildLinked', data: { tenantId: build.tenantId, buildId: build.buildId, ...next, by: metadata.actorId, at: at(metadata) } }];
}

function decideConfigure(command: ConfigureBuild, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const build = existing(state, data.buildId);
  if (build.lockedAt !== null) {
    throw DomainError.precondition(`build ${build.buildId} is approved: its configuration changes only through change orders`, { buildId: build.buildId });
  }
  if (build.status === 'archived') throw DomainError.precondition(`build ${build.buildId} is archived`, { buildId: build.buildId });
  const v = new Violations();
  const { changes, configuration, lineSequence } = resolveChanges(v, build, data.changes, data.catalog);
  v.throwIfAny();
  const livePrice = totalOf(configuration, build.currency, build.discounts);
  return [{ type: 'BuildConfigured', data: { tenantId: build.tenantId, buildId: build.buildId, changes, lineSequence, livePrice, by: metadata.actorId, at: at(metadata) } }];
}

const TRANSITIONS: Readonly<Record<ChangeBuildStatus['data']['toStatus'], readonly BuildStatus[]>> = {
  proposal_sent: ['inquiry'],
  completed: ['booked'],
  archived: ['inquiry', 'proposal_sent', 'completed'],
};

function decideStatus(command: ChangeBuildStatus, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const to = v.oneOf('toStatus', data.toStatus, ['proposal_sent', 'completed', 'archived'] as const);
  v.throwIfAny();
  const build = existing(state, data.buildId);
  if (build.status === to) return [];
  if (!TRANSITIONS[to].includes(build.status)) {
    throw DomainError.precondition(`build ${build.buildId} is ${build.status.replace('_', ' ')}: it cannot become ${to.replace('_', ' ')}`, { buildId: build.buildId, status: build.status });
  }
  if (to === 'proposal_sent' && isEmpty(build.configuration)) {
    throw DomainError.precondition(`build ${build.buildId} has nothing to propose: configure it first`, { buildId: build.buildId });
  }
  return [{ type: 'BuildStatusChanged', data: { tenantId: build.tenantId, buildId: build.buildId, from: build.status, to, by: metadata.actorId, at: at(metadata) } }];
}

function decideApprove(command: ApproveBuild, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const build = existing(state, data.buildId);
  if (build.lockedAt !== null) return [];
  if (build.status !== 'inquiry' && build.status !== 'proposal_sent') {
    throw DomainError.precondition(`build ${build.buildId} is ${build.status.replace('_', ' ')}: only a quote can be approved`, { buildId: build.buildId });
  }
  if (build.quoteExpiresOn !== null && build.quoteExpiresOn < today(metadata)) {
    throw DomainError.precondition(`the quote of build ${build.buildId} expired on ${build.quoteExpiresOn}: extend it first`, { buildId: build.buildId, quoteExpiresOn: build.quoteExpiresOn });
  }
  if (isEmpty(build.configuration)) throw DomainError.precondition(`build ${build.buildId} has nothing to approve: configure it first`, { buildId: build.buildId });
  const total = totalOf(build.configuration, build.currency, build.discounts);
  const snapshot = snapshotOf(build.version, build.configuration, build.currency, build.discounts, total);
  return [{ type: 'BuildApproved', data: { tenantId: build.tenantId, buildId: build.buildId, version: build.version, approvedTotal: total, snapshot, by: metadata.actorId, at: at(metadata) } }];
}

/**
 * BuildBooked as its contract (ledger-build.v1) spells it: the included components and the
 * coverage of `configuration` at configuration `version`. A change order approved on a booked
 * build books it again at its new version (same bookedAt: the booking's instant), so the
 * task-engine plans tasks for what was added and scheduling places the new coverage.
 */
function bookedEvent(
  build: BuildState & { buildId: string; tenantId: string },
  configuration: BuildConfiguration,
  version: number,
  approvedTotal: Money,
  bookedBy: string,
  bookedAt: string,
): BuildEvent {
  return {
    type: 'BuildBooked',
    data: {
      tenantId: build.tenantId,
      buildId: build.buildId,
      version,
      leadId: build.leadId,
      clientId: build.clientId,
      projectId: build.projectId,
      name: build.name,
      eventDate: build.eventDate,
      approvedTotal,
      components: configuration.components
        .filter((k) => k.included)
        .map((k) => ({
          componentId: k.lineId,
          deliverableId: k.deliverableId,
          deliverableName: k.deliverableName,
          sceneId: k.sceneId,
          sceneName: k.sceneName,
          editingStyleId: k.editingStyleId,
          editingStyleName: k.editingStyleName,
          targetMinutes: k.targetMinutes,
        })),
      coverage: configuration.coverage.map((l) => ({
        assignmentId: l.lineId,
        sceneId: l.sceneId,
        sceneName: l.sceneName,
        operatorTypeId: l.operatorTypeId,
        operatorTypeName: l.operatorTypeName,
        quantity: l.quantity,
        hours: l.hours,
      })),
      bookedBy,
      bookedAt,
    },
  };
}

function decideBook(command: BookBuild, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const build = existing(state, data.buildId);
  if (build.status === 'booked' || build.status === 'completed') return [];
  if (build.status === 'archived') throw DomainError.precondition(`build ${build.buildId} is archived`, { buildId: build.buildId });
  if (build.lockedAt === null || build.approvedTotal === null) throw DomainError.precondition(`build ${build.buildId} is not approved: approve it before booking`, { buildId: build.buildId });
  return [bookedEvent(build, build.configuration, build.version, build.approvedTotal, metadata.actorId, at(metadata))];
}

function discountOf(v: Violations, request: DiscountRequest | null | undefined, gross: Money): Omit<Discount, 'changeOrderId' | 'version'> | null {
  if (request == null) return null;
  const kind = v.oneOf('discount.kind', request.kind, ['percent', 'fixed'] as const);
  const reason = v.text('discount.reason', request.reason, { required: true, max: BUILD_LIMITS.reason });
  if (kind === 'percent') {
    const percent = parsePercent(v, 'discount.percent', request.percent);
    if (percent === null) return null;
    return { kind, percent, amount: percentOf(isNegative(gross) ? { ...gross, amountMinor: 0 } : gross, percent), reason };
  }
  if (kind === 'fixed') {
    if (!request.amount) {
      v.add('discount.amount', 'is required for a fixed discount');
      return null;
    }
    if (request.amount.currency !== gross.currency) {
      v.add('discount.amount.currency', `must be the build's currency, ${gross.currency}`);
      return null;
    }
    const amount = parseMoney(v, 'discount.amount', request.amount.amount, gross.currency);
    return amount === null ? null : { kind, percent: null, amount, reason };
  }
  return null;
}

function lockedBuild(state: BuildState, buildId: string) {
  const build = existing(state, buildId);
  if (build.lockedAt === null || build.approvedTotal === null) {
    throw DomainError.precondition(`build ${build.buildId} is not approved: change its configuration directly`, { buildId: build.buildId });
  }
  if (build.status === 'archived') throw DomainError.precondition(`build ${build.buildId} is archived`, { buildId: build.buildId });
  return { ...build, approvedTotal: build.approvedTotal };
}

function decideProposeChangeOrder(command: ProposeChangeOrder, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const changeOrderId = v.uuid('changeOrderId', data.changeOrderId);
  const baseVersion = v.integer('baseVersion', data.baseVersion, { min: 1 });
  const description = v.text('description', data.description, { required: true, max: BUILD_LIMITS.description });
  v.throwIfAny();
  const build = lockedBuild(state, data.buildId);
  const known = own(build.changeOrders, changeOrderId);
  if (known) throw DomainError.alreadyExists('change order', changeOrderId);
  if (baseVersion !== build.version) throw staleVersion(build.buildId, baseVersion, build.version);
  if (Object.keys(build.changeOrders).length >= BUILD_LIMITS.changeOrders) throw DomainError.precondition(`build ${build.buildId} holds ${BUILD_LIMITS.changeOrders} change orders`, {});
  const { changes, configuration, lineSequence } = resolveChanges(v, build, data.changes, data.catalog);
  const before = subtotalOf(build.configuration, build.currency);
  const after = subtotalOf(configuration, build.currency);
  const priceDelta = subtract(after, before);
  const gross = add(build.approvedTotal, priceDelta);
  const discount = discountOf(v, data.discount, gross);
  v.throwIfAny();
  const newApprovedTotal = discount ? subtract(gross, discount.amount) : gross;
  if (isNegative(newApprovedTotal)) {
    throw DomainError.invalid({
      field: discount ? 'discount' : 'changes',
      description: `would bring the approved total below zero (${newApprovedTotal.amountMinor} minor units of ${newApprovedTotal.currency})`,
    });
  }
  return [
    {
      type: 'ChangeOrderProposed',
      data: {
        tenantId: build.tenantId,
        buildId: build.buildId,
        changeOrderId,
        version: baseVersion + 1,
        baseVersion,
        description,
        changes,
        lineSequence,
        priceDelta,
        discount,
        newApprovedTotal,
        by: metadata.actorId,
        at: at(metadata),
      },
    },
  ];
}

function pendingChangeOrder(state: BuildState, buildId: string, changeOrderId: string) {
  const build = lockedBuild(state, buildId);
  const co = own(build.changeOrders, changeOrderId);
  if (!co) throw DomainError.notFound('change order', changeOrderId);
  return { build, co };
}

function decideApproveChangeOrder(command: ApproveChangeOrder, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const changeOrderId = v.uuid('changeOrderId', data.changeOrderId);
  v.throwIfAny();
  const { build, co } = pendingChangeOrder(state, data.buildId, changeOrderId);
  if (co.status === 'approved') return [];
  if (co.status === 'rejected') throw DomainError.precondition(`change order ${changeOrderId} was rejected`, { changeOrderId });
  if (co.baseVersion !== build.version) throw staleVersion(build.buildId, co.baseVersion, build.version);
  const configuration = applyChanges(build.configuration, co.changes);
  const discounts = co.discount ? [...build.discounts, { ...co.discount, changeOrderId, version: co.version }] : build.discounts;
  const snapshot = snapshotOf(co.version, configuration, build.currency, discounts, co.newApprovedTotal);
  const approved: BuildEvent = {
    type: 'ChangeOrderApproved',
    data: { tenantId: build.tenantId, buildId: build.buildId, changeOrderId, version: co.version, newApprovedTotal: co.newApprovedTotal, snapshot, by: metadata.actorId, at: at(metadata) },
  };
  if (build.status !== 'booked' || build.bookedAt === null) return [approved];
  return [approved, bookedEvent(build, configuration, co.version, co.newApprovedTotal, metadata.actorId, build.bookedAt)];
}

function decideRejectChangeOrder(command: RejectChangeOrder, state: BuildState): BuildEvent[] {
  const { data, metadata } = command;
  const v = new Violations();
  const changeOrderId = v.uuid('changeOrderId', data.changeOrderId);
  const reason = v.optionalText('reason', data.reason, { max: BUILD_LIMITS.reason });
  v.throwIfAny();
  const { build, co } = pendingChangeOrder(state, data.buildId, changeOrderId);
  if (co.status === 'rejected') return [];
  if (co.status === 'approved') throw DomainError.precondition(`change order ${changeOrderId} is approved`, { changeOrderId });
  return [{ type: 'ChangeOrderRejected', data: { tenantId: build.tenantId, buildId: build.buildId, changeOrderId, version: co.version, reason, by: metadata.actorId, at: at(metadata) } }];
}

export const buildDecider = defineDecider<BuildState, BuildCommand, BuildEvent>({
  aggregate: 'build',
  schemaVersions: {
    BuildCreated: 1,
    BuildDetailsChanged: 1,
    BuildLinked: 1,
    BuildConfigured: 1,
    BuildStatusChanged: 1,
    BuildApproved: 1,
    BuildBooked: 1,
    ChangeOrderProposed: 1,
    ChangeOrderApproved: 1,
    ChangeOrderRejected: 1,
  },
  initialState: initialBuildState,
  evolve: evolveBuild,
  decide(command, state) {
    switch (command.type) {
      case 'CreateBuild':
        return decideCreate(command, state);
      case 'UpdateBuildDetails':
        return decideUpdateDetails(command, state);
      case 'LinkBuild':
        return decideLink(command, state);
      case 'ConfigureBuild':
        return decideConfigure(command, state);
      case 'ChangeBuildStatus':
        return decideStatus(command, state);
      case 'ApproveBuild':
        return decideApprove(command, state);
      case 'BookBuild':
        return decideBook(command, state);
      case 'ProposeChangeOrder':
        return decideProposeChangeOrder(command, state);
      case 'ApproveChangeOrder':
        return decideApproveChangeOrder(command, state);
      case 'RejectChangeOrder':
        return decideRejectChangeOrder(command, state);
      default:
        return assertNever(command, 'build command');
    }
  },
});
