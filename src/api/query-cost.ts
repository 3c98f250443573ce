import {
  getNamedType,
  isCompositeType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** The largest page every connection serves (`first` is at most 100, see core/connection.ts). */
const PAGE_SIZE_CAP = 100;

/**
 * The most values a response to `operation` can hold: every field counts 1, and a field with a
 * `first` argument (a connection) multiplies what is selected under it by the page size asked
 * for, from a literal, a variable or the argument's default. Lists without `first` count once:
 * the data bounds them (an influencer's few accounts and topics).
 *
 * This runs with the request's variables, after validation: graphql-armor's cost rule counts
 * literal `first` only, and Apollo caches validated documents, so a rule cannot see variables.
 */
export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;
  const variableDefaults = new Map(operation.variableDefinitions?.map((d) => [d.variable.name.value, d.defaultValue]) ?? []);

  const pageSize = (value: ValueNode | undefined, field: GraphQLField<unknown, unknown>): number => {
    let size: unknown = field.args.find((a) => a.name === 'first')?.defaultValue;
    if (value?.kind === Kind.INT) size = Number(value.value);
    if (value?.kind === Kind.VARIABLE) {
      const name = value.name.value;
      const given = variables[name];
      const fallback = variableDefaults.get(name);
      size = given ?? (fallback?.kind === Kind.INT ? Number(fallback.value) : size);
    }
    // A page of at least 1: a zero or negative `first` must not cancel the cost of its siblings.
    // At most PAGE_SIZE_CAP: a larger page is refused by the connection with its own clear message.
    return typeof size === 'number' && Number.isFinite(size) ? Math.min(PAGE_SIZE_CAP, Math.max(1, Math.floor(size))) : 1;
  };

  // Each fragment is priced once: a fragment spreading another twice, twenty times over, would
  // otherwise cost a million walks. Cycles are refused by validation before this runs; a fragment
  // met again while being priced counts 0.
  const fragmentCosts = new Map<string, number>();
  const fragmentCost = (name: string, parent: GraphQLCompositeType): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    fragmentCosts.set(name, 0);
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = costOf(fragment.selectionSet, isCompositeType(type) ? type : parent);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += 1;
        if (!selection.selectionSet || !('getFields' in parent)) continue;
        const field = parent.getFields()[selection.name.value];
        const type = field && getNamedType(field.type);
        if (!field || !isCompositeType(type)) continue;
        const first = selection.arguments?.find((a) => a.name.value === 'first');
        const multiplier = first || field.args.some((a) => a.name === 'first') ? pageSize(first?.value, field) : 1;
        cost += multiplier * costOf(selection.selectionSet, type);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += costOf(selection.selectionSet, isCompositeType(type) ? type : parent);
      } else {
        cost += fragmentCost(selection.name.value, parent);
      }
    }
    return cost;
  };
  return costOf(operation.selectionSet, root);
}
