export * from './database-roles';
export * from './migrations';
export * from './orm';
export * from './orm-unit-of-work';
export * from './projection';
export * from './rebuild-projection';
export * from './row-projection';
export * from './row-level-security';
