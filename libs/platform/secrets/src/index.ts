export * from './aes-gcm';
export * from './envelope';
export * from './keyring';
export * from './redaction';
export * from './secret';
