import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { invalidFields, type FieldProblem } from '../core/errors';
import { INPUT_TEXT, inputTextProblem, type InputTextKind } from '../core/input-text';
import type { ApiContext } from './context';

/** More would only lengthen the answer: a batch of 10,000 items with one bad byte each says so 20 times. */
const MAX_PROBLEMS = 20;

/**
 * The input boundary: every string the operation hands to a resolver (argument or input object
 * field, nested, in lists, sent as a variable or written inline) is checked once, after GraphQL
 * validation and before execution, against the kind its field declares (core/input-text.ts:
 * `@InputText('free' | 'email')`, a single line otherwise). A refusal is one BAD_USER_INPUT (HTTP
 * 400) naming every field at fault; no resolver has run, so nothing was written.
 *
 * Why an Apollo plugin and not a type-graphql middleware: a global middleware would wrap every
 * field of every object (taking the plain fields off graphql-js' fast path) and would run per field,
 * so the second mutation of a document could be refused after the first had written. Here the walk
 * follows the operation's own arguments, with the schema's argument and input field types
 * (TypeInfo), resolving variables to the values sent (or their declared defaults).
 * Email normalisation, which must change the value the resolver sees, is argument validation's
 * (api/validation.ts); the check here reads the email as normalised.
 */
export function inputBoundaryPlugin(): ApolloServerPlugin<ApiContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problems = inputTextProblems(schema, document, operation, request.variables ?? {});
          if (problems.length) throw invalidFields(problems);
        },
      };
    },
  };
}

const kindOf = (extensions: Readonly<Record<string, unknown>> | null | undefined): InputTextKind =>
  (extensions?.[INPUT_TEXT] as InputTextKind | undefined) ?? 'line';
const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
/** The type of a list's items; a single value where a list is expected is coerced as a list of one. */
const itemType = (type: GraphQLInputType): GraphQLInputType => {
  const nullable = getNullableType(type);
  return isListType(nullable) ? nullable.ofType : type;
};

/**
 * Every problem with the strings of one operation, by field path. Paths are relative to the
 * argument (`handle`, `after`, `targeting.countries.0`), except for an argument named `input`:
 * its fields are named as argument validation names them (`email`, `perk.description`, `posts.3.bio`).
 */
export function inputTextProblems(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const defaults = new Map(operation.variableDefinitions?.map((d) => [d.variable.name.value, d.defaultValue]) ?? []);

  const check = (value: string, kind: InputTextKind, path: string) => {
    if (problems.length >= MAX_PROBLEMS) return;
    const problem = inputTextProblem(value, kind, path);
    if (problem && !problems.some((p) => p.field === path)) problems.push({ field: path, messages: [problem] });
  };

  /** A value sent in the variables: JSON, not yet coerced, so anything that does not fit the type is left to coercion. */
  const walkSent = (value: unknown, type: GraphQLInputType, kind: InputTextKind, path: string): void => {
    if (value === null || value === undefined || problems.length >= MAX_PROBLEMS) return;
    const named = getNamedType(type);
    if (typeof value === 'string') {
      if (isScalarType(named)) check(value, kind, path);
    } else if (Array.isArray(value)) {
      if (isListType(getNullableType(type))) value.forEach((item, i) => walkSent(item, itemType(type), kind, join(path, i)));
    } else if (typeof value === 'object' && isInputObjectType(named)) {
      for (const field of Object.values(named.getFields())) {
        if (Object.hasOwn(value, field.name)) {
          walkSent((value as Record<string, unknown>)[field.name], field.type, kindOf(field.extensions), join(path, field.name));
        }
      }
    }
  };

  /** A value written in the document; validation has matched it to the type already. */
  const walkWritten = (node: ValueNode, type: GraphQLInputType, kind: InputTextKind, path: string): void => {
    switch (node.kind) {
      case Kind.VARIABLE: {
        const name = node.name.value;
        if (Object.hasOwn(variables, name)) walkSent(variables[name], type, kind, path);
        else {
          const fallback = defaults.get(name);
          if (fallback) walkWritten(fallback, type, kind, path);
        }
        return;
      }
      case Kind.STRING:
        if (isScalarType(getNamedType(type))) check(node.value, kind, path);
        return;
      case Kind.LIST:
        node.values.forEach((item, i) => walkWritten(item, itemType(type), kind, join(path, i)));
        return;
      case Kind.OBJECT: {
        const named = getNamedType(type);
        if (!isInputObjectType(named)) return;
        const fields = named.getFields();
        for (const f of node.fields) {
          const field = fields[f.name.value];
          if (field) walkWritten(f.value, field.type, kindOf(field.extensions), join(path, f.name.value));
        }
        return;
      }
      default:
        return;
    }
  };

  for (const argument of argumentsOf(schema, document, operation)) walkWritten(argument.value, argument.type, argument.kind, argument.root);
  return problems;
}

/** An argument the operation passes (in it or in a fragment it spreads), with its declared type. */
interface PassedArgument {
  value: ValueNode;
  type: GraphQLInputType;
  kind: InputTextKind;
  /** Where its paths start: its name, or '' for an `input` object (named as argument validation names them). */
  root: string;
}

/**
 * The arguments of an operation, found once per schema and operation: Apollo hands every request of
 * a query it has seen the same parsed (immutable) document, so the walk over the whole selection
 * (every field of a page of results) is not repeated per request; only the values sent are.
 */
const passedArguments = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, PassedArgument[]>>();

function argumentsOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): PassedArgument[] {
  let bySchema = passedArguments.get(schema);
  if (!bySchema) passedArguments.set(schema, (bySchema = new WeakMap()));
  let found = bySchema.get(operation);
  if (found) return found;
  found = [];
  // The operation and the fragments it spreads (at any depth), each once.
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const reached = new Map<string, FragmentDefinitionNode>();
  const spreadsOf = (selectionSet: SelectionSetNode) =>
    visit(selectionSet, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !reached.has(fragment.name.value)) {
          reached.set(fragment.name.value, fragment);
          spreadsOf(fragment.selectionSet);
        }
      },
    });
  spreadsOf(operation.selectionSet);

  const typeInfo = new TypeInfo(schema);
  for (const node of [operation, ...reached.values()]) {
    visit(
      node,
      visitWithTypeInfo(typeInfo, {
        Argument(argument) {
          const definition = typeInfo.getArgument();
          if (definition) {
            const root = definition.name === 'input' && isInputObjectType(getNamedType(definition.type)) ? '' : definition.name;
            found!.push({ value: argument.value, type: definition.type, kind: kindOf(definition.extensions), root });
          }
          return false;
        },
      }),
    );
  }
  bySchema.set(operation, found);
  return found;
}
