/**
 * The syntax tree of a Security Rules file (rules_version = '2'), as the parser builds it and the evaluator walks it.
 * Every node keeps its source position so runtime errors can point at the rule that failed.
 */

export interface Pos {
  line: number;
  column: number;
}

export type Expr =
  | { k: 'lit'; value: LiteralValue; pos: Pos }
  | { k: 'id'; name: string; pos: Pos }
  | { k: 'member'; obj: Expr; name: string; pos: Pos }
  | { k: 'index'; obj: Expr; index: Expr; pos: Pos }
  | { k: 'slice'; obj: Expr; start: Expr | null; end: Expr | null; pos: Pos }
  | { k: 'call'; callee: Expr; args: Expr[]; pos: Pos }
  | { k: 'unary'; op: '!' | '-'; e: Expr; pos: Pos }
  | { k: 'binary'; op: BinaryOp; l: Expr; r: Expr; pos: Pos }
  | { k: 'is'; e: Expr; type: string; pos: Pos }
  | { k: 'ternary'; c: Expr; t: Expr; f: Expr; pos: Pos }
  | { k: 'list'; items: Expr[]; pos: Pos }
  | { k: 'map'; entries: { key: Expr; value: Expr }[]; pos: Pos }
  | { k: 'path'; segments: (string | Expr)[]; pos: Pos };

export type LiteralValue = null | boolean | bigint | number | string;

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||' | 'in';

export interface FunctionDecl {
  name: string;
  params: string[];
  lets: { name: string; value: Expr }[];
  body: Expr;
  pos: Pos;
}

/** One segment of a match pattern: a literal, `{name}` (one segment) or `{name=**}` (zero or more segments). */
export type PatternSegment = { kind: 'literal'; text: string } | { kind: 'single'; name: string } | { kind: 'rest'; name: string };

export type Method = 'get' | 'list' | 'create' | 'update' | 'delete';

export interface Allow {
  methods: Method[];
  /** null: `allow read;` with no condition, which grants. */
  condition: Expr | null;
  pos: Pos;
}

export interface MatchBlock {
  pattern: PatternSegment[];
  functions: FunctionDecl[];
  allows: Allow[];
  matches: MatchBlock[];
  pos: Pos;
}

export interface ServiceBlock {
  name: string;
  functions: FunctionDecl[];
  matches: MatchBlock[];
  pos: Pos;
}

export interface RulesFile {
  version: '1' | '2';
  functions: FunctionDecl[];
  services: ServiceBlock[];
}
