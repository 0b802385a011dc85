/**
 * Python's names for JavaScript values, for the messages of the
 * `TypeError`s that bad arguments raise, and the integer check Python's
 * argument parser makes.
 *
 * @module
 */

/**
 * The name of the Python type a JavaScript value stands for: a number is an
 * `int` or a `float`, `null`/`undefined` is `None`, an array is a `list` or,
 * where Python expects an address, a `tuple`.
 */
export function pyTypeName(value: unknown, arrays: "list" | "tuple" = "list"): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return arrays;
  if (value instanceof Uint8Array) return "bytes";
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "object":
      return value.constructor?.name ?? "object";
  }
  return typeof value;
}

/** `value` if it is an integer, else Python's `TypeError`. */
export function checkInt(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  }
  return value;
}
