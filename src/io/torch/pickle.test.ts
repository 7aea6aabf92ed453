import { describe, expect, it } from 'vitest';
import { readTorchCheckpoint, TorchCheckpointError, TorchTensor } from './index';
import { decodeLong, type PickleHooks, type PyDict, type PyTuple, unpickle } from './pickle';
import { f32bytes, legacyCheckpoint, P, stateDictPickle, zipCheckpoint } from './testing';

const refuseAll: PickleHooks = {
  resolveGlobal(module, name) {
    throw new TorchCheckpointError(`refused ${module}.${name}`);
  },
  persistentLoad() {
    throw new TorchCheckpointError('no persistent ids');
  },
};
const run = (p: P) => unpickle(p.bytes(), refuseAll).value;

describe('the pickle machine', () => {
  it('builds values from the opcodes torch.save uses', () => {
    const p = new P()
      .proto(4)
      .raw(0x95, 0, 0, 0, 0, 0, 0, 0, 0) // FRAME (length hint)
      .raw(0x7d, 0x94) // EMPTY_DICT, MEMOIZE
      .mark()
      .str('list')
      .raw(0x5d, 0x71, 1) // EMPTY_LIST, BINPUT 1
      .int(1)
      .raw(0x61) // APPEND
      .mark()
      .int(-5)
      .raw(0x4d, 0x34, 0x12) // BININT2 0x1234
      .raw(0x8a, 1, 0xff) // LONG1 -1
      .raw(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1) // LONG1 2^64
      .raw(0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0) // BINFLOAT 1.5
      .raw(0x4e, 0x88, 0x89) // None True False
      .raw(0x65) // APPENDS
      .str('tuples')
      .mark()
      .emptyTuple()
      .int(1)
      .raw(0x85) // TUPLE1
      .int(1)
      .int(2)
      .raw(0x86)
      .int(1)
      .int(2)
      .int(3)
      .raw(0x87)
      .tuple() // a tuple of the four tuples
      .str('again')
      .raw(0x68, 1) // BINGET 1: the same list object
      .str('long_memo')
      .str('x')
      .raw(0x72, 0, 1, 0, 0) // LONG_BINPUT 256
      .raw(0x30) // POP
      .raw(0x6a, 0, 1, 0, 0) // LONG_BINGET 256
      .str('bytes')
      .raw(0x43, 2, 7, 8) // SHORT_BINBYTES
      .raw(0x75) // SETITEMS
      .str('dup')
      .str('x')
      .raw(0x32, 0x86) // DUP, TUPLE2
      .raw(0x73) // SETITEM
      .stop();
    const d = run(p) as PyDict;
    const m = new Map(d.entries as [string, unknown][]);
    const list = m.get('list') as unknown[];
    expect(list).toEqual([1, -5, 0x1234, -1, 2n ** 64n, 1.5, null, true, false]);
    expect(m.get('again')).toBe(list);
    expect(m.get('long_memo')).toBe('x');
    expect(m.get('bytes')).toEqual(new Uint8Array([7, 8]));
    const t = m.get('tuples') as PyTuple;
    expect(t.items.map((x) => (x as PyTuple).items)).toEqual([[], [1], [1, 2], [1, 2, 3]]);
    expect((m.get('dup') as PyTuple).items).toEqual(['x', 'x']);
  });

  it('decodes LONG1 two’s complement integers', () => {
    expect(decodeLong(new Uint8Array([]))).toBe(0n);
    expect(decodeLong(new Uint8Array([0xff, 0x00]))).toBe(255n);
    expect(decodeLong(new Uint8Array([0x00, 0x80]))).toBe(-32768n);
  });

  it('keeps the last value for a repeated dict key, in first-seen order', () => {
    const d = run(
      new P()
        .proto()
        .raw(0x7d)
        .mark()
        .str('a')
        .int(1)
        .str('b')
        .int(2)
        .str('a')
        .int(3)
        .raw(0x75)
        .stop(),
    ) as PyDict;
    expect(d.entries).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it.each([
    ['an empty stack', new P().proto().raw(0x85).stop(), /TUPLE1 on an empty stack/],
    [
      'BINPUT with nothing to store',
      new P().proto().raw(0x71, 0).stop(),
      /BINPUT on an empty stack/,
    ],
    [
      'a memo slot never written',
      new P().proto().raw(0x68, 3).stop(),
      /memo slot 3, never written/,
    ],
    ['a missing MARK', new P().proto().int(1).tuple().stop(), /TUPLE without a MARK/],
    ['an unclosed MARK', new P().proto().mark().int(1).stop(), /STOP with/],
    ['values left over', new P().proto().int(1).int(2).stop(), /STOP with 2 values/],
    ['no STOP', new P().proto().int(1), /ends before its STOP/],
    [
      'a truncated string',
      new P().proto().raw(0x58, 100, 0, 0, 0, 65),
      /truncated: BINUNICODE at byte 7 needs 100 more bytes/,
    ],
    ['an absurd length', new P().proto().raw(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x7f), /absurd length/],
    ['an absurd integer', new P().proto().raw(0x8b, 0, 0, 1, 0), /absurdly long integer/],
    [
      'SETITEMS on a list',
      new P().proto().raw(0x5d).mark().int(1).int(2).raw(0x75).stop(),
      /SETITEMS on a list/,
    ],
    ['an odd SETITEMS', new P().proto().raw(0x7d).mark().int(1).raw(0x75).stop(), /odd item count/],
    [
      'a call of a non-callable',
      new P().proto().int(1).emptyTuple().reduce().stop(),
      /calls a number/,
    ],
    [
      'BUILD on a plain dict',
      new P().proto().raw(0x7d, 0x7d, 0x62).stop(),
      /sets the state of a dict/,
    ],
    ['an unterminated GLOBAL', new P().proto().raw(0x63, 0x61, 0x62), /unterminated/],
    ['a text opcode', new P().proto().raw(0x49, 0x31, 0x0a).stop(), /opcode INT at byte 2/],
    ['EXT1', new P().proto().raw(0x82, 1).stop(), /opcode EXT1/],
    ['protocol 6', new P().proto(6).stop(), /protocol 6/],
    ['invalid UTF-8', new P().proto().raw(0x8c, 1, 0xff).stop(), /not valid UTF-8/],
  ])('refuses %s', (_what, p, message) => {
    expect(() => run(p)).toThrow(TorchCheckpointError);
    expect(() => run(p)).toThrow(message);
  });
});

/** A zip checkpoint whose data.pkl is `pkl` (with one float storage '0' of 4 values). */
const zipWith = (pkl: P) => zipCheckpoint(pkl.bytes(), { '0': f32bytes([1, 2, 3, 4]) });

describe('globals', () => {
  it.each([
    ['posix', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['__builtin__', 'getattr'],
    ['os', 'system'],
    ['subprocess', 'Popen'],
    ['torch', 'load'],
    ['torch.serialization', '_get_restore_location'],
    ['numpy.core.multiarray', '_reconstruct'],
  ])('refuses %s.%s by name, through GLOBAL and STACK_GLOBAL, before any call', (m, n) => {
    const message = `The checkpoint refers to ${m}.${n}, which a weights file never needs; it was not loaded`;
    const viaGlobal = new P().proto().global(m, n).mark().str('echo pwned').tuple().reduce().stop();
    const viaStack = new P().proto(4).stackGlobal(m, n).mark().str('id').tuple().reduce().stop();
    for (const pkl of [viaGlobal, viaStack]) {
      expect(() => readTorchCheckpoint(zipWith(pkl))).toThrow(new TorchCheckpointError(message));
      const legacy = legacyCheckpoint(pkl.bytes(), []);
      expect(() => readTorchCheckpoint(legacy)).toThrow(new TorchCheckpointError(message));
    }
  });

  it('refuses a global hidden inside a tensor’s backward hooks', () => {
    const pkl = new P()
      .proto()
      .global('collections', 'OrderedDict')
      .emptyTuple()
      .reduce()
      .str('w')
      .global('torch._utils', '_rebuild_tensor_v2')
      .mark()
      .mark()
      .str('storage')
      .global('torch', 'FloatStorage')
      .str('0')
      .str('cpu')
      .int(4)
      .tuple()
      .raw(0x51)
      .int(0)
      .ints([4])
      .ints([1])
      .raw(0x89)
      .global('builtins', 'eval')
      .tuple()
      .reduce()
      .raw(0x73)
      .stop();
    expect(() => readTorchCheckpoint(zipWith(pkl))).toThrow(/builtins\.eval/);
  });

  it('refuses a persistent id that is not a storage, and a storage of an unknown type', () => {
    const notStorage = new P()
      .proto()
      .mark()
      .str('module')
      .int(1)
      .int(2)
      .int(3)
      .int(4)
      .tuple()
      .raw(0x51)
      .stop();
    expect(() => readTorchCheckpoint(zipWith(notStorage))).toThrow(/whole pickled model/);
    const wrongType = new P()
      .proto()
      .mark()
      .str('storage')
      .global('collections', 'OrderedDict')
      .str('0')
      .str('cpu')
      .int(4)
      .tuple()
      .raw(0x51)
      .stop();
    expect(() => readTorchCheckpoint(zipWith(wrongType))).toThrow(/unknown type/);
  });

  it('rebuilds a tensor through _rebuild_parameter and _rebuild_tensor', () => {
    const pkl = stateDictPickle([
      [
        'p',
        (p) =>
          p
            .global('torch._utils', '_rebuild_parameter')
            .mark()
            .tensor('0', 'FloatStorage', 4, 1, [3], [1])
            .raw(0x88)
            .global('collections', 'OrderedDict')
            .emptyTuple()
            .reduce()
            .tuple()
            .reduce(),
      ],
      [
        'old',
        (p) =>
          p
            .global('torch._utils', '_rebuild_tensor')
            .mark()
            .mark()
            .str('storage')
            .global('torch', 'FloatStorage')
            .str('0')
            .str('cpu')
            .int(4)
            .tuple()
            .raw(0x51)
            .int(0)
            .ints([2, 2])
            .ints([1, 2])
            .tuple()
            .reduce(),
      ],
    ]);
    const root = readTorchCheckpoint(zipCheckpoint(pkl, { '0': f32bytes([1, 2, 3, 4]) }))
      .root as Record<string, TorchTensor>;
    expect(root.p).toBeInstanceOf(TorchTensor);
    expect(Array.from(root.p!.data as Float32Array)).toEqual([2, 3, 4]);
    expect(Array.from(root.old!.data as Float32Array)).toEqual([1, 3, 2, 4]);
  });
});
