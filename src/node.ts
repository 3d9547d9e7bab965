/**
 * cognito-kit/node: everything from `cognito-kit`, plus what needs Node: storage (`fileStorage`)
 * and sign-in from a CLI through the system browser (`signInWithLoopback`).
 *
 * @packageDocumentation
 */
export * from './index.js';
export { signInWithLoopback } from './oauth/loopback.js';
export type { FileStorageOptions } from './storage/file.js';
export { fileStorage } from './storage/file.js';
