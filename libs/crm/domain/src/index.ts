export * from './crm-event-types';
export * from './shared/text-limits';
export * from './stream-names';

export * from './organization/organization.commands';
export * from './organization/organization.decider';
export * from './organization/organization.events';

export * from './contact/contact-email.decider';
export * from './contact/contact.commands';
export * from './contact/contact.decider';
export * from './contact/contact.events';

export * from './lead-pipeline/lead-pipeline.commands';
export * from './lead-pipeline/lead-pipeline.decider';
export * from './lead-pipeline/lead-pipeline.events';
export * from './lead-pipeline/pipeline-summary';

export * from './lead/lead.commands';
export * from './lead/lead.decider';
export * from './lead/lead.events';
