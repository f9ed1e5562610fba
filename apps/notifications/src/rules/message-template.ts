/*
 * Usage — a rule's message is checked once, when the rule is saved, and rendered per recipient:
 *
 *   const violations = templateViolations('template.body', 'Due {{task.dueAt}}: {{task.name}}');  // [] or field violations
 *   const text = renderTemplate('Due {{task.dueAt}}: {{task.name}}', values);                   // values: MessageValues
 *
 * Templates are Handlebars (pinned) restricted to plain variables of the fixed catalog below: the
 * template is parsed to its AST and every statement must be text, a comment or `{{variable}}`
 * naming a catalog entry (no helpers, blocks, partials or sub-expressions), so an unknown variable
 * or an unparsable template is INVALID_ARGUMENT when the rule is saved, never a broken message
 * later. Rendering runs Handlebars in strict mode over a value for every catalog entry.
 */
import Handlebars from 'handlebars';
import type { FieldViolation } from '@projectflo/platform/core';

/** Every variable a message may use, and what fills it (times in the recipient's zone and locale). */
export const MESSAGE_VARIABLES = {
  'task.name': 'the task name',
  'task.dueAt': 'the due date and time, in the recipient\u2019s time zone and locale',
  'task.priority': 'Low, Medium, High or Urgent',
  'task.status': 'the task status when the message is rendered',
  'contact.name': 'the lead\u2019s contact (first and last name); empty when the task has no lead',
  'tenant.name': 'the studio (organization) name',
  'recipient.name': 'the name of the user the message goes to',
  'reminder.offset': 'how long before the due date a reminder fires, e.g. P3D; empty for other triggers',
} as const;

export type MessageVariable = keyof typeof MESSAGE_VARIABLES;
export type MessageValues = Readonly<Record<MessageVariable, string>>;

const CATALOG = new Set<string>(Object.keys(MESSAGE_VARIABLES));

/** The variables a template uses, or the reasons it is not an allowed template. */
export function parseTemplate(template: string): { readonly variables: MessageVariable[] } | { readonly errors: string[] } {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(template);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { errors: [`is not a valid template: ${reason}`] };
  }
  const variables = new Set<MessageVariable>();
  const errors: string[] = [];
  for (const statement of program.body) {
    if (statement.type === 'ContentStatement' || statement.type === 'CommentStatement') continue;
    if (statement.type !== 'MustacheStatement') {
      errors.push(`may only use {{variable}}: ${statement.type.replace('Statement', '').toLowerCase()} at line ${statement.loc.start.line} is not allowed`);
      continue;
    }
    const mustache = statement as hbs.AST.MustacheStatement;
    const path = mustache.path.type === 'PathExpression' ? (mustache.path as hbs.AST.PathExpression) : undefined;
    if (!path || path.data || mustache.params.length > 0 || mustache.hash?.pairs.length) {
      errors.push(`may only use {{variable}} without helpers or arguments (line ${statement.loc.start.line})`);
    } else if (!CATALOG.has(path.original)) {
      errors.push(`uses the unknown variable ${path.original.slice(0, 100)}; known: ${[...CATALOG].join(', ')}`);
    } else {
      variables.add(path.original as MessageVariable);
    }
  }
  return errors.length > 0 ? { errors } : { variables: [...variables] };
}

/** The field violations of a template (none when it parses and uses only catalog variables). */
export function templateViolations(field: string, template: string): FieldViolation[] {
  const parsed = parseTemplate(template);
  return 'errors' in parsed ? parsed.errors.map((description) => ({ field, description })) : [];
}

/** Nested values as Handlebars looks them up (`task.name` → { task: { name } }). */
function nested(values: MessageValues): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(values)) {
    const [group, name] = key.split('.') as [string, string];
    (out[group] ??= {})[name] = value;
  }
  return out;
}

/**
 * Renders a checked template. `html` escapes the values (for an HTML part); plain text, subjects
 * and SMS take them as they are.
 */
export function renderTemplate(template: string, values: MessageValues, options: { readonly html?: boolean } = {}): string {
  return Handlebars.compile(template, { strict: true, noEscape: !options.html, knownHelpersOnly: true })(nested(values));
}
