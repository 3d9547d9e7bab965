/**
 * cognito-kit/node: everything from `cognito-kit`, plus storage that needs Node (`fileStorage`).
 *
 * @packageDocumentation
 */
export * from './index.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';
