import { type MessageValues, parseTemplate, renderTemplate, templateViolations } from './message-template';

const values: MessageValues = {
  'task.name': 'Send the contract',
  'task.dueAt': 'Friday, 12 June 2026 at 17:00 CEST',
  'task.priority': 'High',
  'task.status': 'To-Do',
  'contact.name': 'Ada <Lovelace>',
  'tenant.name': 'Studio North',
  'recipient.name': 'Grace',
  'reminder.offset': 'P3D',
};

describe('message templates', () => {
  it('lists the catalog variables a template uses', () => {
    expect(parseTemplate('Hi {{recipient.name}}, {{task.name}} is due {{task.dueAt}} ({{task.name}})')).toEqual({
      variables: ['recipient.name', 'task.name', 'task.dueAt'],
    });
  });

  it('accepts plain text and comments', () => {
    expect(templateViolations('template.body', 'No variables {{! a note }}')).toEqual([]);
  });

  it('refuses an unknown variable, naming it and the field', () => {
    const [violation, ...rest] = templateViolations('template.subject', 'Due: {{task.dueDate}}');
    expect(rest).toEqual([]);
    expect(violation?.field).toBe('template.subject');
    expect(violation?.description).toContain('unknown variable task.dueDate');
  });

  it('refuses a template that does not parse', () => {
    const [violation] = templateViolations('template.body', 'Due {{task.name');
    expect(violation?.description).toMatch(/^is not a valid template/);
  });

  it('refuses helpers, blocks, partials and data variables', () => {
    for (const template of ['{{#if task.name}}x{{/if}}', '{{> header}}', '{{lookup task "name"}}', '{{@root.task.name}}', '{{task.name key=1}}']) {
      expect(templateViolations('template.body', template)).not.toEqual([]);
    }
  });

  it('renders plain text without escaping, and HTML escaped', () => {
    expect(renderTemplate('{{contact.name}}: {{task.name}} due {{task.dueAt}}', values)).toBe('Ada <Lovelace>: Send the contract due Friday, 12 June 2026 at 17:00 CEST');
    expect(renderTemplate('<p>{{contact.name}}</p>', values, { html: true })).toBe('<p>Ada &lt;Lovelace&gt;</p>');
  });
});
