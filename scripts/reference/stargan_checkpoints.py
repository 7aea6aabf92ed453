#!/usr/bin/python3
"""StarGAN v1 checkpoints with yunjey/stargan's key names, for the page's PyTorch import and
export (issue 13, part 2). Debian's torch 1.13, one thread, seeded:

    /usr/bin/python3 scripts/reference/stargan_checkpoints.py
        # src/families/stargan/fixtures/: a small generator saved by the twin with torch.save
        # in the zip format and the legacy format, and expected.json: a fixed input, labels
        # and the twin's outputs (the unit tests in src/families/stargan/torchNames.test.ts)
    /usr/bin/python3 scripts/reference/stargan_checkpoints.py --verify-export
        # npx vite-node scripts/reference/stargan_export.ts writes a StarGAN trained a few
        # steps in TS as safetensors and a torch zip with the reference names, and its G's
        # outputs on a fixed input; each file is loaded into the twin with strict=True and the
        # twin's outputs are compared with ours
    /usr/bin/python3 scripts/reference/stargan_full_checkpoint.py  (the 128 px, ~35 MB one)

The twin (twins.StarGenerator) builds InstanceNorm2d(affine=True, track_running_stats=True)
as model.py does, so its state_dict has the reference's running_mean, running_var and
num_batches_tracked buffers; solver.py never calls G.eval(), so G normalises with each
image's own statistics and those buffers are never used: our reader ignores them. Outputs
here are computed the same way (training mode), after saving.
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

import twins

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, 'src', 'families', 'stargan', 'fixtures')
CONV_DIM, C_DIM, REPEAT, SIZE = 4, 5, 1, 16


def enc(t):
    a = np.ascontiguousarray(t.detach().numpy(), dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def dec(e):
    return torch.from_numpy(np.frombuffer(base64.b64decode(e['b64']), dtype='<f4').copy()).view(*e['shape'])


def small_generator():
    torch.manual_seed(13)
    g = twins.StarGenerator(CONV_DIM, C_DIM, REPEAT)
    with torch.no_grad():
        # Move IN's affine weights and the running buffers away from their defaults, so every
        # tensor is checked and using a running statistic by mistake would show.
        for name, t in g.state_dict().items():
            if t.dtype == torch.float32 and (name.endswith('.bias') or name.endswith('1.weight')
                                             or 'running' in name):
                t.copy_(torch.randn_like(t) * 0.2 + (1.0 if 'var' in name else 0.0))
            elif t.dtype == torch.int64:
                t.fill_(200000)
    return g


def make_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    g = small_generator()
    zip_path = os.path.join(FIXTURES, 'stargan_g16.zip.pt')
    legacy_path = os.path.join(FIXTURES, 'stargan_g16.legacy.pt')
    torch.save(g.state_dict(), zip_path)
    torch.save(g.state_dict(), legacy_path, _use_new_zipfile_serialization=False)
    torch.manual_seed(14)
    x = torch.rand(2, 3, SIZE, SIZE) * 2 - 1
    c = torch.tensor([[0, 0, 1, 0, 1], [1, 0, 0, 1, 0]], dtype=torch.float32)
    c_male = c.clone()
    c_male[:, 3] = 1 - c_male[:, 3]
    with torch.no_grad():
        y, y_male = g(x, c), g(x, c_male)
    expected = {
        'config': {'convDim': CONV_DIM, 'cDim': C_DIM, 'repeatNum': REPEAT, 'imageSize': SIZE},
        'keys': list(g.state_dict().keys()),
        'x': enc(x.permute(0, 2, 3, 1)),
        'c': enc(c),
        'cMale': enc(c_male),
        'y': enc(y.permute(0, 2, 3, 1)),
        'yMale': enc(y_male.permute(0, 2, 3, 1)),
    }
    with open(os.path.join(FIXTURES, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    subprocess.run(['npx', 'biome', 'format', '--write', os.path.join(FIXTURES, 'expected.json')],
                   cwd=ROOT, check=False)
    for p in (zip_path, legacy_path):
        print(f'{os.path.relpath(p, ROOT)}: {os.path.getsize(p) / 1024:.1f} KB')


def load_safetensors(path):
    """A minimal safetensors reader (F32 and I64), so the check needs no extra package."""
    with open(path, 'rb') as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], 'little')
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    out = {}
    for name, info in header.items():
        a, b = info['data_offsets']
        dtype = {'F32': '<f4', 'I64': '<i8'}[info['dtype']]
        values = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dtype).copy()
        out[name] = torch.from_numpy(values).reshape(tuple(info['shape']))
    return out


def verify_export():
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(['npx', 'vite-node', 'scripts/reference/stargan_export.ts', out], cwd=ROOT, check=True)
        with open(os.path.join(out, 'outputs.json')) as f:
            ours = json.load(f)
        cfg = ours['config']
        x = dec(ours['x']).permute(0, 3, 1, 2)
        c = dec(ours['c'])
        worst = 0.0
        for name in ('stargan_g.pt', 'stargan_g.safetensors'):
            path = os.path.join(out, name)
            sd = torch.load(path) if name.endswith('.pt') else load_safetensors(path)
            g = twins.StarGenerator(cfg['convDim'], cfg['cDim'], cfg['repeatNum'])
            g.load_state_dict(sd, strict=True)
            with torch.no_grad():
                y = g(x, c).permute(0, 2, 3, 1)
            err = (y - dec(ours['y'])).abs().max().item()
            worst = max(worst, err)
            print(f'{name}: {len(sd)} keys, loaded with strict=True; max |G_torch - G_ours| = {err:.2e}')
        if worst > 1e-4:
            sys.exit(f'FAILED: {worst:.2e} > 1e-4')
        print('export verified')


if __name__ == '__main__':
    if '--verify-export' in sys.argv:
        verify_export()
    else:
        make_fixtures()
