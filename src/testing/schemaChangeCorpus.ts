// Test data (never part of the build): the schema-change corpus the registry and CLI tests share.
import type { ChangeLevel } from '../registry/index.js'

/**
 * The schema every corpus case changes in one way. It holds each kind of definition the spec
 * has: custom directives (repeatable or not, with defaults), a scalar with @specifiedBy,
 * interfaces (one implementing another is a case), unions, enums, input objects (one @oneOf),
 * and all three root types.
 */
export const CORPUS_BASE = `
"""Who may see it."""
directive @auth(role: String! = "USER", scopes: [String!]) repeatable on FIELD_DEFINITION | OBJECT

directive @cacheHint(maxAge: Int!) on FIELD | QUERY

directive @tag(name: String!) repeatable on FIELD

scalar DateTime @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

interface Node {
  id: ID!
}

interface Named {
  name: String
  nickname: String
}

"""The root."""
type Query {
  node(id: ID!): Node
  user(id: ID!): User
  users(first: Int = 20, after: String, filter: UserFilter, orderBy: [UserOrderBy!]): UserConnection!
  search(text: String!, limit: Int! = 10): [SearchResult!]!
  findUser(by: ByKey!): User
  post(by: Lookup!): Post
  legacy: String
  tags: [String]
  now: DateTime
}

type Mutation {
  createUser(input: CreateUserInput!): CreateUserPayload
  deleteUser(id: ID!): DeleteUserPayload
}

type Subscription {
  userCreated: User
  userDeleted: ID
}

"""A person."""
type User implements Node & Named {
  id: ID!
  name: String
  nickname: String
  email: String!
  age: Int
  status: Status!
  oldName: String @deprecated(reason: "Use name.")
  posts(first: Int, published: Boolean = true): [Post!]
  createdAt: DateTime
}

type Post implements Node {
  id: ID!
  title: String!
}

type Comment {
  id: ID!
}

union SearchResult = User | Post

enum Status {
  ACTIVE
  BANNED
}

enum UserOrderBy {
  NAME_ASC
  NAME_DESC
}

type UserConnection {
  nodes: [User!]!
  totalCount: Int!
}

type CreateUserPayload {
  user: User
  success: Boolean!
}

type DeleteUserPayload {
  success: Boolean!
}

input UserFilter {
  name: String
  minAge: Int = 0
  status: Status
  and: [UserFilter!]
}

input CreateUserInput {
  name: String!
  email: String
  note: String
  role: String! = "member"
  """The login. Required."""
  login: String
}

input ByKey {
  id: ID
  email: String
}

input Lookup @oneOf {
  id: ID
  slug: String
}

type Extra {
  id: ID!
}
`

/** One expected change: its level, type and schema coordinate. */
export type ExpectedChange = [ChangeLevel, string, string]

/** One pair of schemas: CORPUS_BASE, and CORPUS_BASE with `from` (found exactly once) replaced by `to`. */
export interface CorpusCase {
  name: string
  from: string
  to: string
  /** Every change the comparison must report, in any order; `[]` means none. */
  expected: ExpectedChange[]
}

/** Cases labelled by the spec's rules (and graphql-js's), one change of the schema each. */
export const CORPUS: CorpusCase[] = [
  // --- breaking: types
  {
    name: 'object type removed',
    from: 'type Extra {\n  id: ID!\n}\n',
    to: '',
    expected: [['breaking', 'TYPE_REMOVED', 'Extra']],
  },
  {
    name: 'object type became an interface',
    from: 'type Comment {',
    to: 'interface Comment {',
    expected: [['breaking', 'TYPE_KIND_CHANGED', 'Comment']],
  },
  {
    name: 'object type became an input object',
    from: 'type Extra {',
    to: 'input Extra {',
    expected: [['breaking', 'TYPE_KIND_CHANGED', 'Extra']],
  },
  {
    name: 'enum became a scalar',
    from: 'enum UserOrderBy {\n  NAME_ASC\n  NAME_DESC\n}',
    to: 'scalar UserOrderBy',
    expected: [['breaking', 'TYPE_KIND_CHANGED', 'UserOrderBy']],
  },
  {
    name: 'scalar became an object type',
    from: 'scalar DateTime @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")',
    to: 'type DateTime {\n  iso: String\n}',
    expected: [['breaking', 'TYPE_KIND_CHANGED', 'DateTime']],
  },
  // --- breaking: output fields
  {
    name: 'query field removed',
    from: '  legacy: String\n',
    to: '',
    expected: [['breaking', 'FIELD_REMOVED', 'Query.legacy']],
  },
  {
    name: 'mutation removed',
    from: '  deleteUser(id: ID!): DeleteUserPayload\n',
    to: '',
    expected: [['breaking', 'FIELD_REMOVED', 'Mutation.deleteUser']],
  },
  {
    name: 'subscription field removed',
    from: '  userDeleted: ID\n',
    to: '',
    expected: [['breaking', 'FIELD_REMOVED', 'Subscription.userDeleted']],
  },
  {
    name: 'interface field removed',
    from: '  name: String\n  nickname: String\n}',
    to: '  name: String\n}',
    expected: [['breaking', 'FIELD_REMOVED', 'Named.nickname']],
  },
  {
    name: 'deprecated field removed',
    from: '  oldName: String @deprecated(reason: "Use name.")\n',
    to: '',
    expected: [['breaking', 'FIELD_REMOVED', 'User.oldName']],
  },
  {
    name: 'field type changed to another scalar',
    from: '  age: Int\n',
    to: '  age: String\n',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'User.age']],
  },
  {
    name: 'non-null field made nullable',
    from: '  email: String!\n',
    to: '  email: String\n',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'User.email']],
  },
  {
    name: 'list field became a single value',
    from: '  tags: [String]\n',
    to: '  tags: String\n',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'Query.tags']],
  },
  {
    name: 'single field became a list',
    from: '  legacy: String\n',
    to: '  legacy: [String]\n',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'Query.legacy']],
  },
  {
    name: 'list items made nullable',
    from: '[SearchResult!]!',
    to: '[SearchResult]!',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'Query.search']],
  },
  {
    name: 'field returns another object type',
    from: '  user(id: ID!): User\n',
    to: '  user(id: ID!): Post\n',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'Query.user']],
  },
  {
    name: 'interface field made nullable',
    from: 'interface Node {\n  id: ID!',
    to: 'interface Node {\n  id: ID',
    expected: [['breaking', 'FIELD_TYPE_CHANGED', 'Node.id']],
  },
  // --- breaking: arguments
  {
    name: 'required argument added',
    from: '  user(id: ID!): User',
    to: '  user(id: ID!, tenant: ID!): User',
    expected: [['breaking', 'FIELD_ARGUMENT_ADDED', 'Query.user(tenant:)']],
  },
  {
    name: 'required mutation argument added',
    from: 'deleteUser(id: ID!)',
    to: 'deleteUser(id: ID!, reason: String!)',
    expected: [['breaking', 'FIELD_ARGUMENT_ADDED', 'Mutation.deleteUser(reason:)']],
  },
  {
    name: 'argument removed',
    from: ', filter: UserFilter',
    to: '',
    expected: [['breaking', 'FIELD_ARGUMENT_REMOVED', 'Query.users(filter:)']],
  },
  {
    name: 'argument type changed',
    from: 'search(text: String!',
    to: 'search(text: Int!',
    expected: [['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.search(text:)']],
  },
  {
    name: 'nullable argument made non-null',
    from: 'after: String,',
    to: 'after: String!,',
    expected: [['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.users(after:)']],
  },
  {
    name: 'nullable argument made non-null with a default',
    from: 'posts(first: Int,',
    to: 'posts(first: Int! = 10,',
    expected: [
      ['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'User.posts(first:)'],
      ['safe', 'FIELD_ARGUMENT_DEFAULT_ADDED', 'User.posts(first:)'],
    ],
  },
  {
    name: 'list argument became a single value',
    from: 'orderBy: [UserOrderBy!]',
    to: 'orderBy: UserOrderBy',
    expected: [['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.users(orderBy:)']],
  },
  {
    name: 'list argument takes another enum',
    from: 'orderBy: [UserOrderBy!]',
    to: 'orderBy: [Status!]',
    expected: [['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.users(orderBy:)']],
  },
  {
    name: 'default removed from a non-null argument',
    from: 'limit: Int! = 10',
    to: 'limit: Int!',
    expected: [['breaking', 'FIELD_ARGUMENT_DEFAULT_REMOVED', 'Query.search(limit:)']],
  },
  {
    name: 'optional argument made required',
    from: 'published: Boolean = true',
    to: 'published: Boolean!',
    expected: [
      ['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'User.posts(published:)'],
      ['breaking', 'FIELD_ARGUMENT_DEFAULT_REMOVED', 'User.posts(published:)'],
    ],
  },
  {
    name: 'argument takes another input object',
    from: 'findUser(by: ByKey!)',
    to: 'findUser(by: Lookup!)',
    expected: [['breaking', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.findUser(by:)']],
  },
  // --- breaking: input objects
  {
    name: 'input field removed',
    from: '  status: Status\n  and',
    to: '  and',
    expected: [['breaking', 'INPUT_FIELD_REMOVED', 'UserFilter.status']],
  },
  {
    name: 'required input field added',
    from: '  role: String! = "member"\n',
    to: '  role: String! = "member"\n  tenant: ID!\n',
    expected: [['breaking', 'INPUT_FIELD_ADDED', 'CreateUserInput.tenant']],
  },
  {
    name: 'nullable column made NOT NULL: create input field required',
    from: 'name: String!\n  email: String\n',
    to: 'name: String!\n  email: String!\n',
    expected: [['breaking', 'INPUT_FIELD_TYPE_CHANGED', 'CreateUserInput.email']],
  },
  {
    name: 'input field type changed',
    from: '  minAge: Int = 0\n',
    to: '  minAge: String = "0"\n',
    expected: [
      ['breaking', 'INPUT_FIELD_TYPE_CHANGED', 'UserFilter.minAge'],
      ['dangerous', 'INPUT_FIELD_DEFAULT_CHANGED', 'UserFilter.minAge'],
    ],
  },
  {
    name: 'default removed from a non-null input field',
    from: '  role: String! = "member"\n',
    to: '  role: String!\n',
    expected: [['breaking', 'INPUT_FIELD_DEFAULT_REMOVED', 'CreateUserInput.role']],
  },
  {
    name: 'list input field became a single value',
    from: '  and: [UserFilter!]\n',
    to: '  and: UserFilter\n',
    expected: [['breaking', 'INPUT_FIELD_TYPE_CHANGED', 'UserFilter.and']],
  },
  {
    name: 'nullable input field made non-null with a default',
    from: '  note: String\n',
    to: '  note: String! = ""\n',
    expected: [
      ['breaking', 'INPUT_FIELD_TYPE_CHANGED', 'CreateUserInput.note'],
      ['safe', 'INPUT_FIELD_DEFAULT_ADDED', 'CreateUserInput.note'],
    ],
  },
  {
    name: 'input object became @oneOf',
    from: 'input ByKey {',
    to: 'input ByKey @oneOf {',
    expected: [['breaking', 'INPUT_OBJECT_ONE_OF_ADDED', 'ByKey']],
  },
  {
    name: 'nullable input list made non-null',
    from: '  and: [UserFilter!]\n',
    to: '  and: [UserFilter!]!\n',
    expected: [['breaking', 'INPUT_FIELD_TYPE_CHANGED', 'UserFilter.and']],
  },
  {
    name: 'create input field gains the Required note (a nullable column made NOT NULL)',
    from: '  note: String\n',
    to: '  """Required."""\n  note: String\n',
    expected: [['breaking', 'INPUT_FIELD_REQUIRED_ADDED', 'CreateUserInput.note']],
  },
  {
    name: 'create input field with the Required note added (a NOT NULL column added)',
    from: '  note: String\n',
    to: '  note: String\n  """Required."""\n  code: String\n',
    expected: [['breaking', 'INPUT_FIELD_ADDED', 'CreateUserInput.code']],
  },
  // --- breaking: enums, unions, interfaces
  {
    name: 'enum value removed',
    from: '  ACTIVE\n  BANNED\n',
    to: '  ACTIVE\n',
    expected: [['breaking', 'ENUM_VALUE_REMOVED', 'Status.BANNED']],
  },
  {
    name: 'input enum value removed',
    from: '  NAME_ASC\n  NAME_DESC\n',
    to: '  NAME_ASC\n',
    expected: [['breaking', 'ENUM_VALUE_REMOVED', 'UserOrderBy.NAME_DESC']],
  },
  {
    name: 'union member removed',
    from: 'union SearchResult = User | Post',
    to: 'union SearchResult = User',
    expected: [['breaking', 'UNION_MEMBER_REMOVED', 'SearchResult']],
  },
  {
    name: 'union member swapped',
    from: 'union SearchResult = User | Post',
    to: 'union SearchResult = User | Comment',
    expected: [
      ['breaking', 'UNION_MEMBER_REMOVED', 'SearchResult'],
      ['dangerous', 'UNION_MEMBER_ADDED', 'SearchResult'],
    ],
  },
  {
    name: 'interface removed from an object type',
    from: 'type User implements Node & Named',
    to: 'type User implements Node',
    expected: [['breaking', 'INTERFACE_REMOVED', 'User']],
  },
  {
    name: 'only interface removed',
    from: 'type Post implements Node {',
    to: 'type Post {',
    expected: [['breaking', 'INTERFACE_REMOVED', 'Post']],
  },
  // --- breaking: directives
  {
    name: 'directive removed',
    from: 'directive @cacheHint(maxAge: Int!) on FIELD | QUERY\n',
    to: '',
    expected: [['breaking', 'DIRECTIVE_REMOVED', '@cacheHint']],
  },
  {
    name: 'directive no longer repeatable',
    from: 'directive @tag(name: String!) repeatable on FIELD',
    to: 'directive @tag(name: String!) on FIELD',
    expected: [['breaking', 'DIRECTIVE_REPEATABLE_REMOVED', '@tag']],
  },
  {
    name: 'directive location removed',
    from: 'on FIELD | QUERY',
    to: 'on FIELD',
    expected: [['breaking', 'DIRECTIVE_LOCATION_REMOVED', '@cacheHint']],
  },
  {
    name: 'required directive argument added',
    from: '@tag(name: String!)',
    to: '@tag(name: String!, color: String!)',
    expected: [['breaking', 'DIRECTIVE_ARGUMENT_ADDED', '@tag(color:)']],
  },
  {
    name: 'directive argument removed',
    from: ', scopes: [String!])',
    to: ')',
    expected: [['breaking', 'DIRECTIVE_ARGUMENT_REMOVED', '@auth(scopes:)']],
  },
  {
    name: 'directive argument type changed',
    from: '@cacheHint(maxAge: Int!)',
    to: '@cacheHint(maxAge: String!)',
    expected: [['breaking', 'DIRECTIVE_ARGUMENT_TYPE_CHANGED', '@cacheHint(maxAge:)']],
  },
  {
    name: 'default removed from a non-null directive argument',
    from: 'role: String! = "USER"',
    to: 'role: String!',
    expected: [['breaking', 'DIRECTIVE_ARGUMENT_DEFAULT_REMOVED', '@auth(role:)']],
  },
  // --- breaking: root operation types
  {
    name: 'mutation root removed',
    from: 'type Mutation {\n  createUser(input: CreateUserInput!): CreateUserPayload\n  deleteUser(id: ID!): DeleteUserPayload\n}\n',
    to: '',
    expected: [
      ['breaking', 'TYPE_REMOVED', 'Mutation'],
      ['breaking', 'SCHEMA_ROOT_TYPE_CHANGED', 'schema.mutation'],
    ],
  },
  {
    name: 'subscription root renamed',
    from: 'type Subscription {',
    to: 'schema {\n  query: Query\n  mutation: Mutation\n  subscription: Events\n}\n\ntype Events {',
    expected: [
      ['breaking', 'TYPE_REMOVED', 'Subscription'],
      ['safe', 'TYPE_ADDED', 'Events'],
      ['breaking', 'SCHEMA_ROOT_TYPE_CHANGED', 'schema.subscription'],
    ],
  },
  // --- dangerous
  {
    name: 'optional argument added',
    from: '  user(id: ID!): User',
    to: '  user(id: ID!, withDeleted: Boolean): User',
    expected: [['dangerous', 'FIELD_ARGUMENT_ADDED', 'Query.user(withDeleted:)']],
  },
  {
    name: 'optional argument with a default added',
    from: 'orderBy: [UserOrderBy!]',
    to: 'orderBy: [UserOrderBy!], includeBanned: Boolean = false',
    expected: [['dangerous', 'FIELD_ARGUMENT_ADDED', 'Query.users(includeBanned:)']],
  },
  {
    name: 'non-null argument with a default added',
    from: 'limit: Int! = 10',
    to: 'limit: Int! = 10, fuzzy: Boolean! = false',
    expected: [['dangerous', 'FIELD_ARGUMENT_ADDED', 'Query.search(fuzzy:)']],
  },
  {
    name: 'optional mutation argument added',
    from: 'createUser(input: CreateUserInput!)',
    to: 'createUser(input: CreateUserInput!, dryRun: Boolean)',
    expected: [['dangerous', 'FIELD_ARGUMENT_ADDED', 'Mutation.createUser(dryRun:)']],
  },
  {
    name: 'argument default changed',
    from: 'first: Int = 20',
    to: 'first: Int = 50',
    expected: [['dangerous', 'FIELD_ARGUMENT_DEFAULT_CHANGED', 'Query.users(first:)']],
  },
  {
    name: 'default removed from a nullable argument',
    from: 'first: Int = 20',
    to: 'first: Int',
    expected: [['dangerous', 'FIELD_ARGUMENT_DEFAULT_REMOVED', 'Query.users(first:)']],
  },
  {
    name: 'boolean argument default flipped',
    from: 'published: Boolean = true',
    to: 'published: Boolean = false',
    expected: [['dangerous', 'FIELD_ARGUMENT_DEFAULT_CHANGED', 'User.posts(published:)']],
  },
  {
    name: 'input field default changed',
    from: '  minAge: Int = 0\n',
    to: '  minAge: Int = 18\n',
    expected: [['dangerous', 'INPUT_FIELD_DEFAULT_CHANGED', 'UserFilter.minAge']],
  },
  {
    name: 'default removed from a nullable input field',
    from: '  minAge: Int = 0\n',
    to: '  minAge: Int\n',
    expected: [['dangerous', 'INPUT_FIELD_DEFAULT_REMOVED', 'UserFilter.minAge']],
  },
  {
    name: 'non-null input field default changed',
    from: '  role: String! = "member"\n',
    to: '  role: String! = "guest"\n',
    expected: [['dangerous', 'INPUT_FIELD_DEFAULT_CHANGED', 'CreateUserInput.role']],
  },
  {
    name: 'optional input field added',
    from: '  minAge: Int = 0\n',
    to: '  minAge: Int = 0\n  maxAge: Int\n',
    expected: [['dangerous', 'INPUT_FIELD_ADDED', 'UserFilter.maxAge']],
  },
  {
    name: 'non-null input field with a default added',
    from: '  role: String! = "member"\n',
    to: '  role: String! = "member"\n  active: Boolean! = true\n',
    expected: [['dangerous', 'INPUT_FIELD_ADDED', 'CreateUserInput.active']],
  },
  {
    name: 'enum value added',
    from: '  ACTIVE\n  BANNED\n',
    to: '  ACTIVE\n  BANNED\n  PENDING\n',
    expected: [['dangerous', 'ENUM_VALUE_ADDED', 'Status.PENDING']],
  },
  {
    name: 'input enum value added',
    from: '  NAME_ASC\n  NAME_DESC\n',
    to: '  NAME_ASC\n  NAME_DESC\n  AGE_ASC\n',
    expected: [['dangerous', 'ENUM_VALUE_ADDED', 'UserOrderBy.AGE_ASC']],
  },
  {
    name: 'union member added',
    from: 'union SearchResult = User | Post',
    to: 'union SearchResult = User | Post | Comment',
    expected: [['dangerous', 'UNION_MEMBER_ADDED', 'SearchResult']],
  },
  {
    name: 'interface added to an object type',
    from: 'type Comment {',
    to: 'type Comment implements Node {',
    expected: [['dangerous', 'INTERFACE_ADDED', 'Comment']],
  },
  {
    name: 'interface added to an interface',
    from: 'interface Named {\n',
    to: 'interface Named implements Node {\n  id: ID!\n',
    expected: [
      ['dangerous', 'INTERFACE_ADDED', 'Named'],
      ['safe', 'FIELD_ADDED', 'Named.id'],
    ],
  },
  {
    name: 'directive argument default changed',
    from: 'role: String! = "USER"',
    to: 'role: String! = "ADMIN"',
    expected: [['dangerous', 'DIRECTIVE_ARGUMENT_DEFAULT_CHANGED', '@auth(role:)']],
  },
  {
    name: 'scalar @specifiedBy changed',
    from: 'rfc3339',
    to: 'rfc9557',
    expected: [['dangerous', 'SCALAR_SPECIFIED_BY_CHANGED', 'DateTime']],
  },
  {
    name: 'input object no longer @oneOf',
    from: 'input Lookup @oneOf {',
    to: 'input Lookup {',
    expected: [['dangerous', 'INPUT_OBJECT_ONE_OF_REMOVED', 'Lookup']],
  },
  {
    name: 'list argument default added',
    from: 'orderBy: [UserOrderBy!]',
    to: 'orderBy: [UserOrderBy!] = [NAME_ASC]',
    expected: [['safe', 'FIELD_ARGUMENT_DEFAULT_ADDED', 'Query.users(orderBy:)']],
  },
  // --- safe
  {
    name: 'type added',
    from: 'type Extra {',
    to: 'scalar Money\n\ntype Extra {',
    expected: [['safe', 'TYPE_ADDED', 'Money']],
  },
  {
    name: 'field added',
    from: '  age: Int\n',
    to: '  age: Int\n  phone: String\n',
    expected: [['safe', 'FIELD_ADDED', 'User.phone']],
  },
  {
    name: 'mutation added',
    from: '  deleteUser(id: ID!): DeleteUserPayload\n',
    to: '  deleteUser(id: ID!): DeleteUserPayload\n  updateUser(id: ID!): CreateUserPayload\n',
    expected: [['safe', 'FIELD_ADDED', 'Mutation.updateUser']],
  },
  {
    name: 'field returning an existing type added',
    from: '  now: DateTime\n',
    to: '  now: DateTime\n  extras: [Extra!]\n',
    expected: [['safe', 'FIELD_ADDED', 'Query.extras']],
  },
  {
    name: 'nullable field made non-null',
    from: '  age: Int\n',
    to: '  age: Int!\n',
    expected: [['safe', 'FIELD_TYPE_CHANGED', 'User.age']],
  },
  {
    name: 'list items made non-null',
    from: '  tags: [String]\n',
    to: '  tags: [String!]\n',
    expected: [['safe', 'FIELD_TYPE_CHANGED', 'Query.tags']],
  },
  {
    name: 'list made non-null',
    from: '  tags: [String]\n',
    to: '  tags: [String]!\n',
    expected: [['safe', 'FIELD_TYPE_CHANGED', 'Query.tags']],
  },
  {
    name: 'non-null argument made nullable',
    from: '  user(id: ID!): User',
    to: '  user(id: ID): User',
    expected: [['safe', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.user(id:)']],
  },
  {
    name: 'list argument items made nullable',
    from: 'orderBy: [UserOrderBy!]',
    to: 'orderBy: [UserOrderBy]',
    expected: [['safe', 'FIELD_ARGUMENT_TYPE_CHANGED', 'Query.users(orderBy:)']],
  },
  {
    name: 'required input field made optional',
    from: '  name: String!\n  email',
    to: '  name: String\n  email',
    expected: [['safe', 'INPUT_FIELD_TYPE_CHANGED', 'CreateUserInput.name']],
  },
  {
    name: 'non-null input field with a default made nullable',
    from: '  role: String! = "member"\n',
    to: '  role: String = "member"\n',
    expected: [['safe', 'INPUT_FIELD_TYPE_CHANGED', 'CreateUserInput.role']],
  },
  {
    name: 'create input field loses the Required note (a column made nullable)',
    from: '"""The login. Required."""',
    to: '"""The login."""',
    expected: [['safe', 'INPUT_FIELD_REQUIRED_REMOVED', 'CreateUserInput.login']],
  },
  {
    name: 'argument default added',
    from: 'posts(first: Int,',
    to: 'posts(first: Int = 10,',
    expected: [['safe', 'FIELD_ARGUMENT_DEFAULT_ADDED', 'User.posts(first:)']],
  },
  {
    name: 'input field default added',
    from: '  note: String\n',
    to: '  note: String = ""\n',
    expected: [['safe', 'INPUT_FIELD_DEFAULT_ADDED', 'CreateUserInput.note']],
  },
  {
    name: 'field deprecated',
    from: '  legacy: String\n',
    to: '  legacy: String @deprecated(reason: "Use search.")\n',
    expected: [['safe', 'FIELD_DEPRECATION_ADDED', 'Query.legacy']],
  },
  {
    name: 'field no longer deprecated',
    from: '  oldName: String @deprecated(reason: "Use name.")\n',
    to: '  oldName: String\n',
    expected: [['safe', 'FIELD_DEPRECATION_REMOVED', 'User.oldName']],
  },
  {
    name: 'deprecation reason changed',
    from: '@deprecated(reason: "Use name.")',
    to: '@deprecated(reason: "Use nickname.")',
    expected: [['safe', 'FIELD_DEPRECATION_REASON_CHANGED', 'User.oldName']],
  },
  {
    name: 'enum value deprecated',
    from: '  ACTIVE\n  BANNED\n',
    to: '  ACTIVE\n  BANNED @deprecated\n',
    expected: [['safe', 'ENUM_VALUE_DEPRECATION_CHANGED', 'Status.BANNED']],
  },
  {
    name: 'argument deprecated',
    from: 'after: String,',
    to: 'after: String @deprecated(reason: "Use first."),',
    expected: [['safe', 'FIELD_ARGUMENT_DEPRECATION_CHANGED', 'Query.users(after:)']],
  },
  {
    name: 'input field deprecated',
    from: 'input UserFilter {\n  name: String\n',
    to: 'input UserFilter {\n  name: String @deprecated\n',
    expected: [['safe', 'INPUT_FIELD_DEPRECATION_CHANGED', 'UserFilter.name']],
  },
  {
    name: 'type description changed',
    from: '"""A person."""',
    to: '"""A human."""',
    expected: [['safe', 'TYPE_DESCRIPTION_CHANGED', 'User']],
  },
  {
    name: 'type description removed',
    from: '"""The root."""\n',
    to: '',
    expected: [['safe', 'TYPE_DESCRIPTION_CHANGED', 'Query']],
  },
  {
    name: 'field description added',
    from: '  legacy: String\n',
    to: '  "Old."\n  legacy: String\n',
    expected: [['safe', 'FIELD_DESCRIPTION_CHANGED', 'Query.legacy']],
  },
  {
    name: 'argument description added',
    from: '  user(id: ID!): User',
    to: '  user("The global id." id: ID!): User',
    expected: [['safe', 'FIELD_ARGUMENT_DESCRIPTION_CHANGED', 'Query.user(id:)']],
  },
  {
    name: 'input field description added',
    from: '  note: String\n',
    to: '  "Free text."\n  note: String\n',
    expected: [['safe', 'INPUT_FIELD_DESCRIPTION_CHANGED', 'CreateUserInput.note']],
  },
  {
    name: 'enum value description added',
    from: '  ACTIVE\n  BANNED\n',
    to: '  ACTIVE\n  "Cannot sign in."\n  BANNED\n',
    expected: [['safe', 'ENUM_VALUE_DESCRIPTION_CHANGED', 'Status.BANNED']],
  },
  {
    name: 'directive added',
    from: 'directive @tag',
    to: 'directive @new on FIELD\n\ndirective @tag',
    expected: [['safe', 'DIRECTIVE_ADDED', '@new']],
  },
  {
    name: 'directive location added',
    from: 'repeatable on FIELD\n',
    to: 'repeatable on FIELD | FRAGMENT_SPREAD\n',
    expected: [['safe', 'DIRECTIVE_LOCATION_ADDED', '@tag']],
  },
  {
    name: 'directive became repeatable',
    from: '@cacheHint(maxAge: Int!) on',
    to: '@cacheHint(maxAge: Int!) repeatable on',
    expected: [['safe', 'DIRECTIVE_REPEATABLE_ADDED', '@cacheHint']],
  },
  {
    name: 'optional directive argument added',
    from: '@cacheHint(maxAge: Int!)',
    to: '@cacheHint(maxAge: Int!, scope: String)',
    expected: [['safe', 'DIRECTIVE_ARGUMENT_ADDED', '@cacheHint(scope:)']],
  },
  {
    name: 'directive description changed',
    from: '"""Who may see it."""',
    to: '"""Who may read it."""',
    expected: [['safe', 'DIRECTIVE_DESCRIPTION_CHANGED', '@auth']],
  },
  {
    name: 'fields reordered',
    from: '  id: ID!\n  title: String!\n',
    to: '  title: String!\n  id: ID!\n',
    expected: [],
  },
  {
    name: 'types reordered',
    from: 'type Post implements Node {\n  id: ID!\n  title: String!\n}\n\ntype Comment {\n  id: ID!\n}',
    to: 'type Comment {\n  id: ID!\n}\n\ntype Post implements Node {\n  id: ID!\n  title: String!\n}',
    expected: [],
  },
  {
    name: 'comments and blank lines changed',
    from: 'type Extra {\n',
    to: '# Extra things.\n\ntype Extra {\n\n',
    expected: [],
  },
  {
    name: 'default written differently, same value',
    from: 'first: Int = 20',
    to: 'first: Int=20',
    expected: [],
  },
  {
    name: 'explicit schema definition with the default root names',
    from: 'type Extra {',
    to: 'schema {\n  query: Query\n  mutation: Mutation\n  subscription: Subscription\n}\n\ntype Extra {',
    expected: [],
  },
]
