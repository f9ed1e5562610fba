/** The service's name: its system actor (`system:scheduling`), client ids and CloudEvents source. */
export const SCHEDULING_SERVICE = 'scheduling';
