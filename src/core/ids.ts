const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a client-given id can be a row id: checked before it reaches a `::uuid` cast, which would throw. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
