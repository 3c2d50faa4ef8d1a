// The error the model loaders throw for a file they refuse, and a safe table lookup.

export class ModelFormatError extends Error {}

export function fail(message) {
  throw new ModelFormatError(`model file: ${message}`);
}

// table[key] when key is a string naming one of the table's own entries (never a member
// every object has, such as 'toString' or '__proto__'), else undefined.
export const lookup = (table, key) => (typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined);
