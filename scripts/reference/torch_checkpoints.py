#!/usr/bin/python3
"""Small PyTorch checkpoints for the TypeScript reader in src/io/torch/ (issue 13).

Run with Debian's python3-torch (PyTorch 1.13):

    /usr/bin/python3 scripts/reference/torch_checkpoints.py            # rewrite the fixtures
    /usr/bin/python3 scripts/reference/torch_checkpoints.py --verify-export
        # node writes safetensors and zip-format state_dicts with src/io/torch/write.ts
        # (scripts/reference/torch_export.ts); torch.load reads them back and they are
        # compared value by value with the fixture they were made from
    /usr/bin/python3 scripts/reference/torch_checkpoints.py --bench /tmp/bench.pt
        # a ~50 MB legacy-format checkpoint; time it with
        # npx vite-node scripts/reference/torch_bench.ts /tmp/bench.pt

Everything is seeded, so a rerun writes the same tensors (the zip archives also hold
the same bytes; the legacy files embed storage ids, which change between runs).
"""

import argparse
import json
import os
import pickle
import struct
import subprocess
import sys
import tempfile
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, 'src', 'io', 'torch', 'fixtures')


# --- yunjey/stargan's Generator (model.py), verbatim apart from the defaults -------------
class ResidualBlock(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(dim_in, dim_out, kernel_size=3, stride=1, padding=1, bias=False),
            nn.InstanceNorm2d(dim_out, affine=True, track_running_stats=True),
            nn.ReLU(inplace=True),
            nn.Conv2d(dim_out, dim_out, kernel_size=3, stride=1, padding=1, bias=False),
            nn.InstanceNorm2d(dim_out, affine=True, track_running_stats=True))

    def forward(self, x):
        return x + self.main(x)


class Generator(nn.Module):
    def __init__(self, conv_dim=4, c_dim=5, repeat_num=1):
        super().__init__()
        layers = []
        layers.append(nn.Conv2d(3 + c_dim, conv_dim, kernel_size=7, stride=1, padding=3, bias=False))
        layers.append(nn.InstanceNorm2d(conv_dim, affine=True, track_running_stats=True))
        layers.append(nn.ReLU(inplace=True))
        curr_dim = conv_dim
        for _ in range(2):
            layers.append(nn.Conv2d(curr_dim, curr_dim * 2, kernel_size=4, stride=2, padding=1, bias=False))
            layers.append(nn.InstanceNorm2d(curr_dim * 2, affine=True, track_running_stats=True))
            layers.append(nn.ReLU(inplace=True))
            curr_dim = curr_dim * 2
        for _ in range(repeat_num):
            layers.append(ResidualBlock(dim_in=curr_dim, dim_out=curr_dim))
        for _ in range(2):
            layers.append(nn.ConvTranspose2d(curr_dim, curr_dim // 2, kernel_size=4, stride=2, padding=1, bias=False))
            layers.append(nn.InstanceNorm2d(curr_dim // 2, affine=True, track_running_stats=True))
            layers.append(nn.ReLU(inplace=True))
            curr_dim = curr_dim // 2
        layers.append(nn.Conv2d(curr_dim, 3, kernel_size=7, stride=1, padding=3, bias=False))
        layers.append(nn.Tanh())
        self.main = nn.Sequential(*layers)


def stargan_state_dict():
    torch.manual_seed(13)
    g = Generator(conv_dim=4, c_dim=5, repeat_num=1)
    with torch.no_grad():
        # Non-trivial norm parameters and running statistics, so every tensor is checked.
        for name, t in g.state_dict().items():
            if t.dtype == torch.float32 and ('running' in name or name.endswith('.bias')):
                t.copy_(torch.randn_like(t) * 0.1 + (1.0 if 'var' in name else 0.0))
            elif t.dtype == torch.int64:
                t.fill_(200000)
    return g.state_dict()


def stargan_v2_like():
    """The layout of clovaai/stargan-v2's *_nets_ema.ckpt: one state_dict per network."""
    torch.manual_seed(2)
    return {
        'generator': OrderedDict([
            ('from_rgb.weight', torch.randn(4, 3, 1, 1)),
            ('from_rgb.bias', torch.randn(4)),
            ('encode.0.conv1.weight', torch.randn(4, 4, 3, 3)),
            ('encode.0.norm1.weight', torch.ones(4)),
        ]),
        'mapping_network': OrderedDict([
            ('shared.0.weight', torch.randn(8, 4)),
            ('shared.0.bias', torch.randn(8)),
            ('unshared.0.0.weight', torch.randn(8, 8)),
        ]),
        'style_encoder': OrderedDict([
            ('shared.0.weight', torch.randn(4, 3, 1, 1)),
            ('unshared.1.weight', torch.randn(2, 4)),
        ]),
    }


def misc_dict():
    """Views, dtypes, scalars and an nn.Parameter saved directly."""
    torch.manual_seed(7)
    base = torch.randn(3, 5)
    shared = torch.arange(12, dtype=torch.float32)
    d = OrderedDict()
    d['transposed'] = base.t()                        # stride (1, 5): not contiguous
    d['base'] = base                                  # shares its storage with 'transposed'
    d['offset_view'] = shared[4:10].view(2, 3)        # storage offset 4
    d['column'] = shared.view(3, 4)[:, 1]             # offset 1, stride (4,)
    d['half'] = torch.tensor([0.5, -2.0, 65504.0, 1e-4, 0.0, -0.0], dtype=torch.float16)
    d['bf16'] = torch.tensor([1.0, -3.5, 1e30, 0.1], dtype=torch.bfloat16)
    d['double'] = torch.tensor([[1.0 / 3.0, 2.5]], dtype=torch.float64)
    d['long'] = torch.tensor([-(2 ** 40), 5, 7], dtype=torch.int64)
    d['int'] = torch.tensor([-7, 2 ** 30], dtype=torch.int32)
    d['byte'] = torch.tensor([0, 255, 17], dtype=torch.uint8)
    d['bool'] = torch.tensor([True, False, True])
    d['scalar'] = torch.tensor(3.25)
    d['empty'] = torch.zeros(0, 4)
    d['param'] = nn.Parameter(torch.randn(2, 3))
    d['step'] = 1234
    d['name'] = 'misc'
    return d


def flat_tensors(obj, prefix=''):
    out = OrderedDict()
    for k, v in obj.items():
        name = prefix + str(k)
        if isinstance(v, torch.Tensor):
            out[name] = v
        elif isinstance(v, dict):
            out.update(flat_tensors(v, name + '/'))
    return out


def describe(obj):
    """Expected values for the tests: nested keys joined with '/'."""
    rows = []
    for name, t in flat_tensors(obj).items():
        t = t.detach()
        vals = t.reshape(-1).tolist() if t.dtype != torch.bfloat16 else t.float().reshape(-1).tolist()
        if t.dtype == torch.bool:
            vals = [int(v) for v in vals]
        row = {
            'name': name,
            'dtype': str(t.dtype).replace('torch.', ''),
            'shape': list(t.shape),
            'sum': float(t.double().sum()) if t.numel() else 0.0,
            'first': vals[:4],
        }
        if t.dtype == torch.int64:
            row['first'] = [str(v) for v in vals[:4]]
            row['sum'] = str(int(t.sum()))
        if t.numel() <= 16:
            row['values'] = row['first'] if t.numel() <= 4 else (
                [str(v) for v in vals] if t.dtype == torch.int64 else vals)
        rows.append(row)
    return rows


SAFETENSORS_DTYPES = {
    torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float64: 'F64',
    torch.int64: 'I64', torch.int32: 'I32', torch.uint8: 'U8', torch.bool: 'BOOL',
}


def write_safetensors(tensors, path, metadata=None):
    """The safetensors format by hand (the package is not installed here)."""
    header = OrderedDict()
    if metadata:
        header['__metadata__'] = metadata
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {'dtype': SAFETENSORS_DTYPES[t.dtype], 'shape': list(t.shape),
                        'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


class Shell:
    """An object whose pickle calls os.system: what a malicious checkpoint does."""

    def __reduce__(self):
        return (os.system, ('echo this-should-never-run',))


def write_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    expected = {'torch': torch.__version__}

    sd = stargan_state_dict()
    torch.save(sd, os.path.join(FIXTURES, 'stargan_g.zip.pt'))
    torch.save(sd, os.path.join(FIXTURES, 'stargan_g.legacy.pt'), _use_new_zipfile_serialization=False)
    write_safetensors(sd, os.path.join(FIXTURES, 'stargan_g.safetensors'),
                      metadata={'source': 'scripts/reference/torch_checkpoints.py'})
    expected['stargan_g'] = describe(sd)

    v2 = stargan_v2_like()
    torch.save(v2, os.path.join(FIXTURES, 'stargan_v2_nets.legacy.pt'), _use_new_zipfile_serialization=False)
    torch.save(v2, os.path.join(FIXTURES, 'stargan_v2_nets.zip.pt'))
    expected['stargan_v2_nets'] = describe(v2)

    misc = misc_dict()
    torch.save(misc, os.path.join(FIXTURES, 'misc.zip.pt'))
    torch.save(misc, os.path.join(FIXTURES, 'misc.legacy.pt'), _use_new_zipfile_serialization=False)
    expected['misc'] = describe(misc)
    expected['misc_step'] = misc['step']
    expected['misc_name'] = misc['name']

    # A checkpoint that would run a shell command under a plain torch.load.
    torch.save({'weight': torch.ones(2), 'payload': Shell()}, os.path.join(FIXTURES, 'malicious_system.zip.pt'))
    # The same through the legacy path.
    torch.save({'weight': torch.ones(2), 'payload': Shell()}, os.path.join(FIXTURES, 'malicious_system.legacy.pt'),
               _use_new_zipfile_serialization=False)
    # A whole nn.Module pickled (not a state_dict): refused, names the class.
    torch.save(nn.Linear(2, 2), os.path.join(FIXTURES, 'whole_module.zip.pt'))

    expected_path = os.path.join(FIXTURES, 'expected.json')
    with open(expected_path, 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    # The repository's formatter owns JSON layout; without it `npm run lint` would object.
    subprocess.run(['npx', 'biome', 'format', '--write', expected_path], cwd=ROOT, check=False)

    total = sum(os.path.getsize(os.path.join(FIXTURES, n)) for n in os.listdir(FIXTURES))
    print(f'wrote {len(os.listdir(FIXTURES))} files, {total} bytes, into {FIXTURES}')
    # Each fixture loads back in torch (the malicious ones only with weights_only=True refusing them).
    for n in ('stargan_g.zip.pt', 'stargan_g.legacy.pt', 'misc.zip.pt', 'misc.legacy.pt'):
        torch.load(os.path.join(FIXTURES, n))
    for n in ('malicious_system.zip.pt', 'malicious_system.legacy.pt'):
        try:
            torch.load(os.path.join(FIXTURES, n), weights_only=True)
            raise SystemExit(f'{n}: weights_only load should have failed')
        except pickle.UnpicklingError:
            pass


def read_safetensors(path):
    """The reader side of write_safetensors, for checking what node wrote."""
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    out = OrderedDict()
    for name, info in header.items():
        if name == '__metadata__':
            continue
        assert info['dtype'] == 'F32', info
        a, b = info['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(body[a:b], dtype='<f4').copy()).reshape(info['shape'])
    return out, header.get('__metadata__')


def verify_export():
    """node writes state_dicts with src/io/torch/write.ts; torch 1.13 must read them back."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['npx', 'vite-node', 'scripts/reference/torch_export.ts', tmp], cwd=ROOT, check=True)
        sources = {
            'stargan_g': stargan_state_dict(),
            'misc': misc_dict(),
        }
        checked = 0
        for stem, source in sources.items():
            want = OrderedDict((k, v.detach().float().contiguous())
                               for k, v in flat_tensors(source).items() if v.is_floating_point())
            for variant in ('weights_only', 'full'):
                got = torch.load(os.path.join(tmp, stem + '.pt'), weights_only=(variant == 'weights_only'))
                assert isinstance(got, OrderedDict), type(got)
                assert list(got.keys()) == list(want.keys()), (list(got.keys()), list(want.keys()))
                for k, v in want.items():
                    g = got[k]
                    assert g.dtype == torch.float32 and g.shape == v.shape, (k, g.dtype, g.shape, v.shape)
                    assert g.is_contiguous()
                    assert torch.equal(g, v), k
                    checked += 1
            st, meta = read_safetensors(os.path.join(tmp, stem + '.safetensors'))
            assert list(st.keys()) == list(want.keys())
            assert meta == {'format': 'pt', 'writer': 'gan-playground'}, meta
            for k, v in want.items():
                assert torch.equal(st[k], v), k
                checked += 1
            # The exported zip re-saved by torch stays loadable by torch (round trip sanity).
            zf = os.path.join(tmp, stem + '.pt')
            torch.save(torch.load(zf), os.path.join(tmp, stem + '.resaved.pt'))
        print(f'export verified: {checked} tensors equal after torch.load (PyTorch {torch.__version__})')


def write_bench(path, megabytes=50):
    torch.manual_seed(0)
    sd = OrderedDict()
    per = 256 * 256 * 8  # 2 MiB of float32 per tensor
    for i in range(int(megabytes * 2 ** 20 / (per * 4))):
        sd[f'main.{i}.weight'] = torch.randn(256, 256, 8)
    sd['main.0.num_batches_tracked'] = torch.tensor(1)
    torch.save(sd, path, _use_new_zipfile_serialization=False)
    print(f'wrote {path}: {os.path.getsize(path)} bytes, {len(sd)} tensors, sum of first {float(sd["main.0.weight"].sum())}')


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--verify-export', action='store_true')
    p.add_argument('--bench', metavar='PATH')
    args = p.parse_args()
    if args.bench:
        write_bench(args.bench)
    elif args.verify_export:
        verify_export()
    else:
        write_fixtures()
    sys.exit(0)
