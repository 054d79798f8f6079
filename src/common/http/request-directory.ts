import type { DirectoryRef } from './scim-context.js';

const directories = new WeakMap<object, DirectoryRef>();

/** Records the directory the authentication hook resolved for a request (its URL's, with its settings). */
export function setRequestDirectory(request: object, directory: DirectoryRef): void {
  directories.set(request, directory);
}

/** The directory the authentication hook resolved; undefined on public routes of the default path. */
export function requestDirectory(request: object): DirectoryRef | undefined {
  return directories.get(request);
}
