export * from './permissions';
export * from './roles';
export * from './token-issuer';
export * from './token-settings';
export * from './token-verifier';
export * from './user-directory';
