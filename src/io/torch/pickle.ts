/**
 * A small pickle virtual machine for the binary protocols (2 to 5) that torch.save writes.
 *
 * It never runs code: a GLOBAL or STACK_GLOBAL is handed to `hooks.resolveGlobal`, which
 * returns a stand-in (a `PyCallable` for the few functions a state_dict needs, or any
 * marker value for classes such as torch.FloatStorage) or throws. REDUCE and NEWOBJ only
 * call `PyCallable`s; BUILD only reaches their `build`. Every read is bounds-checked, and
 * stack, mark and memo misuse raise a TorchCheckpointError.
 */
import { check, TorchCheckpointError } from './errors';

/** A Python tuple (lists are plain arrays). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A Python dict, in insertion order; keys are compared by value for str, int, bool, None. */
export class PyDict {
  readonly entries: [unknown, unknown][] = [];
  private readonly index = new Map<unknown, number>();

  set(key: unknown, value: unknown): void {
    const k = dictKey(key);
    const at = k === undefined ? undefined : this.index.get(k);
    if (at !== undefined) {
      this.entries[at] = [key, value];
      return;
    }
    if (k !== undefined) this.index.set(k, this.entries.length);
    this.entries.push([key, value]);
  }
}

function dictKey(key: unknown): unknown {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'number' || typeof key === 'bigint') return `n${String(key)}`;
  if (typeof key === 'boolean') return `n${key ? 1 : 0}`;
  if (key === null) return 'None';
  return undefined;
}

/** A permitted global function or class: called by REDUCE and NEWOBJ, never by anything else. */
export interface PyCallable {
  readonly kind: 'callable';
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
  /** BUILD on an object this callable made; refused when absent. */
  build?(obj: unknown, state: unknown): void;
}

export interface PickleHooks {
  /** The stand-in for `module.name`, or throws a TorchCheckpointError refusing it. */
  resolveGlobal(module: string, name: string): unknown;
  /** BINPERSID: the object a persistent id stands for (torch: a storage). */
  persistentLoad(pid: unknown): unknown;
}

export interface PickleResult {
  value: unknown;
  /** Offset just past the STOP opcode. */
  end: number;
}

const MAX_LONG_BYTES = 1024;
const MAX_GLOBAL_NAME = 512;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** The opcode names, for error messages. */
const OPCODE_NAMES: Record<number, string> = {
  40: 'MARK',
  46: 'STOP',
  48: 'POP',
  49: 'POP_MARK',
  50: 'DUP',
  70: 'FLOAT',
  73: 'INT',
  74: 'BININT',
  75: 'BININT1',
  76: 'LONG',
  77: 'BININT2',
  78: 'NONE',
  80: 'PERSID',
  81: 'BINPERSID',
  82: 'REDUCE',
  83: 'STRING',
  84: 'BINSTRING',
  85: 'SHORT_BINSTRING',
  86: 'UNICODE',
  88: 'BINUNICODE',
  97: 'APPEND',
  98: 'BUILD',
  99: 'GLOBAL',
  100: 'DICT',
  125: 'EMPTY_DICT',
  101: 'APPENDS',
  103: 'GET',
  104: 'BINGET',
  105: 'INST',
  106: 'LONG_BINGET',
  108: 'LIST',
  93: 'EMPTY_LIST',
  111: 'OBJ',
  112: 'PUT',
  113: 'BINPUT',
  114: 'LONG_BINPUT',
  115: 'SETITEM',
  116: 'TUPLE',
  41: 'EMPTY_TUPLE',
  117: 'SETITEMS',
  71: 'BINFLOAT',
  128: 'PROTO',
  129: 'NEWOBJ',
  130: 'EXT1',
  131: 'EXT2',
  132: 'EXT4',
  133: 'TUPLE1',
  134: 'TUPLE2',
  135: 'TUPLE3',
  136: 'NEWTRUE',
  137: 'NEWFALSE',
  138: 'LONG1',
  139: 'LONG4',
  66: 'BINBYTES',
  67: 'SHORT_BINBYTES',
  140: 'SHORT_BINUNICODE',
  141: 'BINUNICODE8',
  142: 'BINBYTES8',
  143: 'EMPTY_SET',
  144: 'ADDITEMS',
  145: 'FROZENSET',
  146: 'NEWOBJ_EX',
  147: 'STACK_GLOBAL',
  148: 'MEMOIZE',
  149: 'FRAME',
  150: 'BYTEARRAY8',
  151: 'NEXT_BUFFER',
  152: 'READONLY_BUFFER',
};

/** Runs the pickle that starts at `start` in `bytes` up to its STOP opcode. */
export function unpickle(
  bytes: Uint8Array,
  hooks: PickleHooks,
  start = 0,
  what = 'pickle',
): PickleResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  let pos = start;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number, op: string): number => {
    check(
      n >= 0 && pos + n <= end,
      () => `The ${what} is truncated: ${op} at byte ${pos} needs ${n} more bytes`,
    );
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (op: string) => view.getUint8(need(1, op));
  const u16 = (op: string) => view.getUint16(need(2, op), true);
  const u32 = (op: string) => view.getUint32(need(4, op), true);
  const u64 = (op: string): number => {
    const at = need(8, op);
    const lo = view.getUint32(at, true);
    const hi = view.getUint32(at + 4, true);
    check(hi < 0x200000, () => `The ${what} declares an absurd length in ${op}`);
    return hi * 2 ** 32 + lo;
  };
  const take = (n: number, op: string) => {
    const at = need(n, op);
    return bytes.subarray(at, at + n);
  };
  const text = (n: number, op: string) => {
    try {
      return utf8.decode(take(n, op));
    } catch (e) {
      if (e instanceof TorchCheckpointError) throw e;
      throw new TorchCheckpointError(`The ${what} holds a string that is not valid UTF-8 (${op})`);
    }
  };
  const line = (op: string) => {
    let i = pos;
    const stop = Math.min(end, pos + MAX_GLOBAL_NAME);
    while (i < stop && bytes[i] !== 0x0a) i++;
    check(i < stop, () => `The ${what} has an unterminated or overlong ${op} line`);
    const s = latin1.decode(bytes.subarray(pos, i));
    pos = i + 1;
    return s;
  };
  const pop = (op: string): unknown => {
    check(stack.length > 0, () => `The ${what} is malformed: ${op} on an empty stack`);
    return stack.pop();
  };
  const top = (op: string): unknown => {
    check(stack.length > 0, () => `The ${what} is malformed: ${op} on an empty stack`);
    return stack[stack.length - 1];
  };
  const popMark = (op: string): unknown[] => {
    check(marks.length > 0, () => `The ${what} is malformed: ${op} without a MARK`);
    const items = stack;
    stack = marks.pop()!;
    return items;
  };
  const memoGet = (i: number, op: string) => {
    check(memo.has(i), () => `The ${what} is malformed: ${op} reads memo slot ${i}, never written`);
    return memo.get(i);
  };
  const memoPut = (i: number, op: string) => {
    memo.set(i, top(op));
  };
  const setItems = (dict: unknown, items: unknown[], op: string) => {
    check(dict instanceof PyDict, () => `The ${what} is malformed: ${op} on a ${typeName(dict)}`);
    check(items.length % 2 === 0, () => `The ${what} is malformed: ${op} with an odd item count`);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const appendItems = (list: unknown, items: unknown[], op: string) => {
    check(Array.isArray(list), () => `The ${what} is malformed: ${op} on a ${typeName(list)}`);
    for (const item of items) list.push(item);
  };
  const callable = (fn: unknown, op: string): PyCallable => {
    check(
      isCallable(fn),
      () => `The ${what} calls ${describe(fn)} (${op}), which a weights file never needs`,
    );
    return fn;
  };
  const pushInt = (n: bigint) => {
    stack.push(
      n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n,
    );
  };
  const readLong = (n: number, op: string) => {
    check(n <= MAX_LONG_BYTES, () => `The ${what} holds an absurdly long integer (${n} bytes)`);
    pushInt(decodeLong(take(n, op)));
  };

  check(pos < end, () => `The ${what} is empty`);
  for (;;) {
    check(pos < end, () => `The ${what} is truncated: it ends before its STOP opcode`);
    const opAt = pos;
    const op = bytes[pos++]!;
    switch (op) {
      case 0x80: {
        const proto = u8('PROTO');
        check(proto <= 5, () => `The ${what} uses pickle protocol ${proto}, newer than 5`);
        break;
      }
      case 0x95: // FRAME: a length hint; frames hold whole opcodes, nothing to do
        check(u64('FRAME') <= end - pos, () => `The ${what} is truncated inside a FRAME`);
        break;
      case 0x2e: // STOP
        check(
          stack.length === 1 && marks.length === 0,
          () => `The ${what} is malformed: STOP with ${stack.length} values on the stack`,
        );
        return { value: stack[0], end: pos };
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length === 0 && marks.length > 0) popMark('POP');
        else pop('POP');
        break;
      case 0x31: // POP_MARK
        popMark('POP_MARK');
        break;
      case 0x32: // DUP
        stack.push(top('DUP'));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4, 'BININT'), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8('BININT1'));
        break;
      case 0x4d: // BININT2
        stack.push(u16('BININT2'));
        break;
      case 0x8a: // LONG1
        readLong(u8('LONG1'), 'LONG1');
        break;
      case 0x8b: // LONG4
        readLong(u32('LONG4'), 'LONG4');
        break;
      case 0x47: // BINFLOAT, big-endian
        stack.push(view.getFloat64(need(8, 'BINFLOAT'), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32('BINUNICODE'), 'BINUNICODE'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8('SHORT_BINUNICODE'), 'SHORT_BINUNICODE'));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64('BINUNICODE8'), 'BINUNICODE8'));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(text(u32('BINSTRING'), 'BINSTRING'));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(text(u8('SHORT_BINSTRING'), 'SHORT_BINSTRING'));
        break;
      case 0x42: // BINBYTES
        stack.push(copy(take(u32('BINBYTES'), 'BINBYTES')));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(copy(take(u8('SHORT_BINBYTES'), 'SHORT_BINBYTES')));
        break;
      case 0x8e: // BINBYTES8
        stack.push(copy(take(u64('BINBYTES8'), 'BINBYTES8')));
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x74: {
        // TUPLE (popMark replaces `stack`, so it runs before the push is looked up)
        const items = popMark('TUPLE');
        stack.push(new PyTuple(items));
        break;
      }
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop('TUPLE1')]));
        break;
      case 0x86: {
        const b = pop('TUPLE2');
        const a = pop('TUPLE2');
        stack.push(new PyTuple([a, b]));
        break;
      }
      case 0x87: {
        const c = pop('TUPLE3');
        const b = pop('TUPLE3');
        const a = pop('TUPLE3');
        stack.push(new PyTuple([a, b, c]));
        break;
      }
      case 0x6c: {
        // LIST
        const items = popMark('LIST');
        stack.push(items);
        break;
      }
      case 0x64: {
        // DICT
        const items = popMark('DICT');
        const dict = new PyDict();
        setItems(dict, items, 'DICT');
        stack.push(dict);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop('SETITEM');
        const key = pop('SETITEM');
        setItems(top('SETITEM'), [key, value], 'SETITEM');
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark('SETITEMS');
        setItems(top('SETITEMS'), items, 'SETITEMS');
        break;
      }
      case 0x61: {
        // APPEND
        const item = pop('APPEND');
        appendItems(top('APPEND'), [item], 'APPEND');
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark('APPENDS');
        appendItems(top('APPENDS'), items, 'APPENDS');
        break;
      }
      case 0x71: // BINPUT
        memoPut(u8('BINPUT'), 'BINPUT');
        break;
      case 0x72: // LONG_BINPUT
        memoPut(u32('LONG_BINPUT'), 'LONG_BINPUT');
        break;
      case 0x94: // MEMOIZE
        memoPut(memo.size, 'MEMOIZE');
        break;
      case 0x68: // BINGET
        stack.push(memoGet(u8('BINGET'), 'BINGET'));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32('LONG_BINGET'), 'LONG_BINGET'));
        break;
      case 0x63: {
        // GLOBAL
        const module = line('GLOBAL');
        const name = line('GLOBAL');
        stack.push(hooks.resolveGlobal(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop('STACK_GLOBAL');
        const module = pop('STACK_GLOBAL');
        check(
          typeof module === 'string' && typeof name === 'string',
          () => `The ${what} is malformed: STACK_GLOBAL needs two strings`,
        );
        stack.push(hooks.resolveGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop('REDUCE');
        const fn = callable(pop('REDUCE'), 'REDUCE');
        check(args instanceof PyTuple, () => `The ${what} is malformed: REDUCE without a tuple`);
        stack.push(fn.call(args.items));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop('NEWOBJ');
        const cls = callable(pop('NEWOBJ'), 'NEWOBJ');
        check(args instanceof PyTuple, () => `The ${what} is malformed: NEWOBJ without a tuple`);
        stack.push(cls.call(args.items));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop('BUILD');
        const obj = top('BUILD');
        const maker = madeBy.get(obj as object);
        check(
          maker?.build,
          () =>
            `The ${what} sets the state of a ${typeName(obj)}, which a weights file never needs`,
        );
        maker.build(obj, state);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop('BINPERSID')));
        break;
      default:
        throw new TorchCheckpointError(
          `The ${what} uses the pickle opcode ${OPCODE_NAMES[op] ?? `0x${op.toString(16)}`} at byte ${opAt}, which a weights file does not need; it was not loaded`,
        );
    }
  }
}

/** Which callable made an object (so BUILD can reach it); filled by `makeCallable`. */
const madeBy = new WeakMap<object, PyCallable>();

/** A PyCallable whose results remember it, for BUILD. */
export function makeCallable(
  qualifiedName: string,
  call: (args: unknown[]) => unknown,
  build?: (obj: unknown, state: unknown) => void,
): PyCallable {
  const c: PyCallable = {
    kind: 'callable',
    qualifiedName,
    call(args) {
      const result = call(args);
      if (typeof result === 'object' && result !== null) madeBy.set(result, c);
      return result;
    },
    ...(build ? { build } : {}),
  };
  return c;
}

function isCallable(v: unknown): v is PyCallable {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'callable';
}

/** Little-endian two's complement, as LONG1 and LONG4 store integers. */
const copy = (b: Uint8Array): Uint8Array => Uint8Array.prototype.slice.call(b);

export function decodeLong(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) n -= 1n << BigInt(8 * b.length);
  return n;
}

function describe(v: unknown): string {
  if (typeof v === 'object' && v !== null && 'qualifiedName' in v) {
    return String((v as { qualifiedName: unknown }).qualifiedName);
  }
  return `a ${typeName(v)}`;
}

export function typeName(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
