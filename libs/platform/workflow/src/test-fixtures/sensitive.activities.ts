export interface SensitiveActivities {
  greet(name: string): Promise<string>;
  refuse(name: string): Promise<never>;
}

export const sensitiveActivities: SensitiveActivities = {
  async greet(name) {
    return `Hello, ${name}`;
  },
  async refuse(name) {
    throw new Error(`no contact details on file for ${name}`);
  },
};
