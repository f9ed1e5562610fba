import type { Role } from './roles';

/*
 * The permission matrix: the one place that says what each role may do and which permission
 * every RPC needs. Deny by default: a role holds only what is listed for it, and an RPC that is
 * not listed is refused (PERMISSION_DENIED) by the gRPC gate. test/security/rpc-permissions.spec.ts enumerates every
 * RPC of every service from the proto descriptors, so a new RPC does not build until it is here.
 */

export const PERMISSIONS = [
  'organization.register',
  'organization.read',
  'organization.manage-users',
  'pipeline.read',
  'pipeline.manage',
  'contacts.read',
  'contacts.write',
  'contacts.archive',
  'leads.read',
  'leads.write',
  'leads.assign',
  'leads.archive',
  'notes.write',
  'tasks.read',
  'tasks.comment',
  'tasks.work',
  'tasks.manage',
  'templates.read',
  'templates.manage',
  'calendar.read',
  'calendar.manage',
  'contributor-calendars.own',
  'contributor-calendars.manage',
  'external-events.ingest',
  'operations.decode-payloads',
  'notification-rules.read',
  'notification-rules.manage',
  'deliveries.read',
  'task-schedules.read',
  'reminder-policy.manage',
  'notifications.own',
  'channel-settings.manage',
  'catalog.read',
  'catalog.manage',
  'builds.read',
  'builds.manage',
  'ledger.read',
  'ledger.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * A client user (source document 001): follows the work done for them. Until a task can be marked
 * visible to clients, the task queries show a client nothing, and a client may not comment either
 * (it would write into tasks it cannot read, and learn which task ids exist).
 */
const CLIENT: readonly Permission[] = ['tasks.read', 'notifications.own'];
/**
 * A contributor works on tasks (their status, checklist, comments, hours), sees the calendar they are due by, and
 * keeps their own contributor calendar (reads it and its feed, books their absences and personal entries).
 */
const CONTRIBUTOR: readonly Permission[] = [...CLIENT, 'tasks.comment', 'tasks.work', 'calendar.read', 'contributor-calendars.own', 'task-schedules.read'];
/** A member works the pipeline: contacts, leads, notes; reads the organization and the templates. */
const MEMBER: readonly Permission[] = [
  ...CONTRIBUTOR,
  'organization.read',
  'pipeline.read',
  'contacts.read',
  'contacts.write',
  'leads.read',
  'leads.write',
  'notes.write',
  'templates.read',
  'notification-rules.read',
  'catalog.read',
  'builds.read',
];
/** A manager distributes and plans work: assigns leads and tasks, archives, writes the templates, books every contributor's calendar. */
const MANAGER: readonly Permission[] = [
  ...MEMBER,
  'leads.assign',
  'leads.archive',
  'contacts.archive',
  'tasks.manage',
  'templates.manage',
  'contributor-calendars.manage',
  'reminder-policy.manage',
  'notification-rules.manage',
  'deliveries.read',
  'catalog.manage',
  'builds.manage',
  'ledger.read',
  'ledger.manage',
];
/** An admin runs the organization: its users, pipeline, calendar and the external events it takes in. */
const ADMIN: readonly Permission[] = [...MANAGER, 'organization.manage-users', 'pipeline.manage', 'calendar.manage', 'external-events.ingest', 'channel-settings.manage'];
/** The owner may do everything an admin may, and registers the organization. */
const OWNER: readonly Permission[] = [...ADMIN, 'organization.register'];

/** What each role may do; owner ⊇ admin ⊇ manager ⊇ member ⊇ contributor ⊇ client. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  owner: new Set(OWNER),
  admin: new Set(ADMIN),
  manager: new Set(MANAGER),
  member: new Set(MEMBER),
  contributor: new Set(CONTRIBUTOR),
  client: new Set(CLIENT),
};

/**
 * What each service's own identity (`service:<name>` tokens) may do when it calls another
 * service for a tenant. A service not listed may do nothing. Operations staff decode Temporal
 * payloads as `service:operations` (the codec endpoint behind the Temporal Web UI).
 */
export const SERVICE_GRANTS: Readonly<Record<string, ReadonlySet<Permission>>> = {
  'task-engine': new Set<Permission>(['organization.read', 'pipeline.read', 'contacts.read', 'leads.read']),
  scheduling: new Set<Permission>(['tasks.read', 'calendar.read', 'external-events.ingest']),
  notifications: new Set<Permission>(['organization.read', 'tasks.read']),
  'build-ledger': new Set<Permission>(['tasks.read', 'external-events.ingest']),
  operations: new Set<Permission>(['operations.decode-payloads']),
};

/** Services any caller may use without a token: health checks and server reflection. */
export const PUBLIC_SERVICES: readonly string[] = ['grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection'];

const rpcs = (service: string, methods: Record<string, Permission>) =>
  Object.entries(methods).map(([method, permission]) => [`/${service}/${method}`, permission] as const);

/** The permission each RPC needs, by full method path (`/projectflo.crm.v1.CrmService/GetLead`). */
export const RPC_PERMISSIONS: ReadonlyMap<string, Permission> = new Map([
  ...rpcs('projectflo.crm.v1.CrmService', {
    RegisterOrganization: 'organization.register',
    AddUser: 'organization.manage-users',
    ChangeUserRole: 'organization.manage-users',
    DeactivateUser: 'organization.manage-users',
    ReactivateUser: 'organization.manage-users',
    GetOrganization: 'organization.read',
    DefineLeadStatus: 'pipeline.manage',
    RenameLeadStatus: 'pipeline.manage',
    ReorderLeadStatuses: 'pipeline.manage',
    RetireLeadStatus: 'pipeline.manage',
    ListLeadStatuses: 'pipeline.read',
    CreateContact: 'contacts.write',
    GetContact: 'contacts.read',
    ArchiveContact: 'contacts.archive',
    CaptureLead: 'leads.write',
    ChangeLeadStatus: 'leads.write',
    AssignLead: 'leads.assign',
    AddLeadNote: 'notes.write',
    LogCommunication: 'leads.write',
    ArchiveLead: 'leads.archive',
    GetLead: 'leads.read',
    ListLeads: 'leads.read',
    GetPipelineSummary: 'leads.read',
    GetLeadHistory: 'leads.read',
  }),
  ...rpcs('projectflo.tasks.v1.TaskEngineService', {
    DefineEventType: 'templates.manage',
    ListEventTypes: 'templates.read',
    IngestExternalEvent: 'external-events.ingest',
    CreateTaskTemplate: 'templates.manage',
    ReviseTaskTemplate: 'templates.manage',
    RetireTaskTemplate: 'templates.manage',
    ListTemplatesByTrigger: 'templates.read',
    GetTaskTemplateHistory: 'templates.read',
    GetTask: 'tasks.read',
    ListTasks: 'tasks.read',
    StartTask: 'tasks.work',
    ChangeTaskStatus: 'tasks.work',
    CompleteChecklistItem: 'tasks.work',
    AddTaskComment: 'tasks.comment',
    ReassignTask: 'tasks.manage',
    RescheduleTask: 'tasks.manage',
    LogTaskHours: 'tasks.work',
    GetTaskHistory: 'tasks.read',
    SetBusinessCalendar: 'calendar.manage',
    GetBusinessCalendar: 'calendar.read',
    // Component task recipes are templates: written by whoever writes templates, read by whoever reads them.
    DefineComponentRecipe: 'templates.manage',
    RetireComponentRecipe: 'templates.manage',
    ListComponentRecipes: 'templates.read',
    ListBuildExpansions: 'templates.read',
    // What an expansion of the studio's templates made: staff who read templates (not clients).
    GetExpansionOutcome: 'templates.read',
  }),
  // A contributor's own calendar needs contributor-calendars.own; another contributor's needs
  // contributor-calendars.manage too, which the handler checks (calendar-access.ts). Conflicts are
  // the planners' view.
  ...rpcs('projectflo.scheduling.v1.SchedulingService', {
    BookCalendarEntry: 'contributor-calendars.own',
    MoveCalendarEntry: 'contributor-calendars.own',
    CancelCalendarEntry: 'contributor-calendars.own',
    ListCalendarEntries: 'contributor-calendars.own',
    ListCalendarConflicts: 'contributor-calendars.manage',
    GetCalendarFeed: 'contributor-calendars.own',
    // Reminders: whoever works on tasks sees their schedules and the policy; managers and up set it.
    SetReminderPolicy: 'reminder-policy.manage',
    GetReminderPolicy: 'task-schedules.read',
    GetTaskSchedule: 'task-schedules.read',
    ListTaskSchedules: 'task-schedules.read',
    // Project assignments of booked builds: the planners' view, and booking contributors on them.
    ListProjectAssignments: 'contributor-calendars.manage',
    AssignContributor: 'contributor-calendars.manage',
  }),
  // Notification rules: members read them, managers and up write them and read the delivery log.
  // build-ledger's catalog and builds: members read them, managers and up write them.
  ...rpcs('projectflo.ledger.v1.BuildLedgerService', {
    UpsertCatalogItem: 'catalog.manage',
    RetireCatalogItem: 'catalog.manage',
    ListCatalogItems: 'catalog.read',
    CreateBuild: 'builds.manage',
    UpdateBuildDetails: 'builds.manage',
    LinkBuild: 'builds.manage',
    ConfigureBuild: 'builds.manage',
    ChangeBuildStatus: 'builds.manage',
    ApproveBuild: 'builds.manage',
    BookBuild: 'builds.manage',
    ProposeChangeOrder: 'builds.manage',
    ApproveChangeOrder: 'builds.manage',
    RejectChangeOrder: 'builds.manage',
    GetBuild: 'builds.read',
    ListBuilds: 'builds.read',
    GetBuildHistory: 'builds.read',
    GetBuildPriceBreakdown: 'builds.read',
    ListChangeOrders: 'builds.read',
    GetBuildSnapshot: 'builds.read',
  }),
  // build-ledger's ledger (invoices, payments, expenses, journal): managers and up read and change it.
  ...rpcs('projectflo.ledger.v1.BuildLedgerService', {
    DraftInvoice: 'ledger.manage',
    ReviseInvoiceDraft: 'ledger.manage',
    DiscardInvoiceDraft: 'ledger.manage',
    IssueInvoice: 'ledger.manage',
    IssueCreditNote: 'ledger.manage',
    VoidInvoice: 'ledger.manage',
    MarkInvoiceUncollectible: 'ledger.manage',
    RecordPayment: 'ledger.manage',
    PostPayment: 'ledger.manage',
    VoidPayment: 'ledger.manage',
    ExpirePayment: 'ledger.manage',
    RefundPayment: 'ledger.manage',
    ReversePayment: 'ledger.manage',
    ApplyCustomerCredit: 'ledger.manage',
    RecordExpense: 'ledger.manage',
    VoidExpense: 'ledger.manage',
    SetPaymentSchedule: 'ledger.manage',
    ReplanPaymentSchedule: 'ledger.manage',
    SetTaxRates: 'ledger.manage',
    GetTaxRates: 'ledger.read',
    GetBuildLedger: 'ledger.read',
    ListInvoices: 'ledger.read',
    GetReceivablesAgeing: 'ledger.read',
    GetProjectProfitability: 'ledger.read',
    ListJournalEntries: 'ledger.read',
  }),
  ...rpcs('projectflo.notifications.v1.NotificationsService', {
    DefineNotificationRule: 'notification-rules.manage',
    ChangeNotificationRule: 'notification-rules.manage',
    RemoveNotificationRule: 'notification-rules.manage',
    ListNotificationRules: 'notification-rules.read',
    GetDeliveryLog: 'deliveries.read',
    ListDeliveries: 'deliveries.read',
    // Every member (clients included) reads and manages their own inbox and preferences; admins set the channels.
    ListNotifications: 'notifications.own',
    GetUnreadCount: 'notifications.own',
    MarkNotificationRead: 'notifications.own',
    MarkAllNotificationsRead: 'notifications.own',
    ArchiveNotification: 'notifications.own',
    SnoozeNotification: 'notifications.own',
    SetNotificationPreferences: 'notifications.own',
    GetNotificationPreferences: 'notifications.own',
    SetChannelSettings: 'channel-settings.manage',
    GetChannelSettings: 'channel-settings.manage',
  }),
]);

/**
 * RPCs whose caller need not be an active user of the tenant yet: RegisterOrganization is called
 * with a token for a tenant that does not exist; its caller becomes the owner.
 */
export const RPCS_WITHOUT_MEMBERSHIP: ReadonlySet<string> = new Set(['/projectflo.crm.v1.CrmService/RegisterOrganization']);

/** The service name of a method path: `/a.b.Service/Method` → `a.b.Service`. */
export function serviceOfPath(path: string): string {
  return path.slice(1, Math.max(1, path.lastIndexOf('/')));
}

export function isPublicMethod(path: string): boolean {
  return PUBLIC_SERVICES.includes(serviceOfPath(path));
}

/** Whether any of the roles grants the permission. */
export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].has(permission));
}

/** Whether the service's own identity is granted the permission. */
export function serviceGranted(service: string, permission: Permission): boolean {
  return Object.hasOwn(SERVICE_GRANTS, service) && SERVICE_GRANTS[service]!.has(permission);
}
