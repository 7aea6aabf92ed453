#!/usr/bin/python3
"""StarGAN v2 checkpoints in clovaai/stargan-v2's layout, for the page's PyTorch import and
export (issues 13 and 14). Debian's torch 1.13, one thread, seeded:

    nice -n 10 /usr/bin/python3 scripts/reference/starganv2_checkpoints.py
        # src/families/starganv2/fixtures/: tiny networks built by the twin (twin_starganv2.py,
        # whose module names and registration order are core/model.py's), saved as
        # CheckpointIO does, torch.save({'generator': G.state_dict(), 'mapping_network': ...}):
        # a nets_ema-style file in the zip format and in the legacy format; expected.json: the
        # twin's styles and outputs on inputs both sides compute (pattern())
        # (the unit tests in src/families/starganv2/torchNames.test.ts)
    nice -n 10 /usr/bin/python3 scripts/reference/starganv2_checkpoints.py --verify-export
        # npx vite-node scripts/reference/starganv2_export.ts writes our tiny StarGAN v2 as
        # a .pt (a dict of state_dicts) and a .safetensors with clovaai's names, and its EMA
        # networks' outputs on fixed inputs; each file is loaded into the twin's modules with
        # strict=True and the twin's outputs are compared with ours
    nice -n 10 /usr/bin/python3 scripts/reference/starganv2_checkpoints.py --check-reference DIR
        # DIR: a checkout of clovaai/stargan-v2 (its code is imported from there at run time,
        # never copied here). Builds its own Generator, MappingNetwork and StyleEncoder at the
        # published models' settings (AFHQ: w_hpf 0; CelebA-HQ: w_hpf 1) and at 64 px, and
        # checks that every key and shape of their state_dicts is the one our name table
        # (torchNames.ts, via starganv2_names.ts) gives at the shape we infer from them, and
        # what the page's import says of each
    nice -n 10 /usr/bin/python3 scripts/reference/starganv2_checkpoints.py --full DIR [OUT]
        # clovaai's own networks at the AFHQ model's settings (256 px, w_hpf 0, 3 domains;
        # random weights, he_init with the biases and norms moved), saved as its
        # 100000_nets_ema.ckpt would be (zip and legacy formats, ~230 MB each) in OUT
        # (/tmp/starganv2-full), with io.json: one image, a reference, a latent and the
        # reference code's styles and images; then `npx vite-node
        # scripts/reference/starganv2_full_check.ts [OUT]` loads them as the page's worker does

Outputs: s_lat = F(z, y), s_ref = E(x_ref, y), and G(x, s) for both (NHWC in the JSON).
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

import twin_starganv2 as twin

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, 'src', 'families', 'starganv2', 'fixtures')
# Tiny, with a learned shortcut in G (2 -> 4) and the cap reached in E (2 -> 4 -> 4).
SHAPE = {'imageSize': 16, 'convDim': 2, 'maxConvDim': 4, 'repeatNum': 1, 'styleDim': 3,
         'latentDim': 2, 'hiddenDim': 4, 'numDomains': 3}
MODULES = ('generator', 'mapping_network', 'style_encoder')


def enc(t):
    a = np.ascontiguousarray(t.detach().numpy(), dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def dec(e):
    return torch.from_numpy(np.frombuffer(base64.b64decode(e['b64']), dtype='<f4').copy()).view(*e['shape'])


def networks(s):
    return {
        'generator': twin.Generator(s['convDim'], s['styleDim'], s['maxConvDim'], s['repeatNum']),
        'mapping_network': twin.MappingNetwork(s['latentDim'], s['styleDim'], s['numDomains'], s['hiddenDim']),
        'style_encoder': twin.StyleEncoder(s['imageSize'], s['convDim'], s['styleDim'], s['numDomains'],
                                           s['maxConvDim']),
    }


def seeded_networks():
    torch.manual_seed(21)
    nets = networks(SHAPE)
    with torch.no_grad():
        for net in nets.values():
            net.apply(twin.he_init)
            # he_init zeroes biases and the norms start at 1 and 0: move them, so each is checked.
            for name, t in net.state_dict().items():
                if name.endswith('.bias') or '.norm' in name or 'to_rgb.0' in name:
                    t.add_(torch.randn_like(t) * 0.2)
    return nets


def forward(nets, x, x_ref, z, y):
    with torch.no_grad():
        s_lat = nets['mapping_network'](z, y)
        s_ref = nets['style_encoder'](x_ref, y)
        return s_lat, s_ref, nets['generator'](x, s_lat), nets['generator'](x, s_ref)


def pattern(shape, a, m, d):
    """Inputs both sides compute exactly: ((sum_i a_i idx_i) mod m) / d - 1, float32-exact.
    (torchNames.test.ts builds the same values; the fixture then needs no input images.)"""
    idx = torch.meshgrid(*[torch.arange(k) for k in shape], indexing='ij')
    return (sum(ai * t for ai, t in zip(a, idx)) % m).float() / d - 1


def inputs():
    n, size = 2, SHAPE['imageSize']
    # NCHW index weights (n, c, h, w); the test's NHWC loop uses the same per index.
    x = pattern((n, 3, size, size), (7, 5, 3, 11), 17, 8)
    x_ref = pattern((n, 3, size, size), (5, 3, 7, 2), 13, 6)
    z = pattern((n, SHAPE['latentDim']), (3, 5), 7, 3)
    y = torch.tensor([2, 0])
    return x, x_ref, z, y


def make_fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    nets = seeded_networks()
    ema_path = os.path.join(FIXTURES, 'nets_ema.zip.ckpt')
    nets_path = os.path.join(FIXTURES, 'nets_ema.legacy.ckpt')
    # core/checkpoint.py: outdict[name] = module.state_dict(); torch.save(outdict, fname).
    torch.save({m: nets[m].state_dict() for m in MODULES}, ema_path)
    torch.save({m: nets[m].state_dict() for m in MODULES}, nets_path,
               _use_new_zipfile_serialization=False)
    # Read back as the reference's CheckpointIO.load would, strictly.
    for path in (ema_path, nets_path):
        loaded = torch.load(path)
        fresh = networks(SHAPE)
        for m in MODULES:
            fresh[m].load_state_dict(loaded[m], strict=True)
    x, x_ref, z, y = inputs()
    s_lat, s_ref, g_lat, g_ref = forward(nets, x, x_ref, z, y)
    nhwc = lambda t: t.permute(0, 2, 3, 1)  # noqa: E731
    expected = {
        'shape': SHAPE,
        'y': y.tolist(),
        'sLatent': enc(s_lat),
        'sRef': enc(s_ref),
        'gLatent': enc(nhwc(g_lat)),
        'gRef': enc(nhwc(g_ref)),
    }
    with open(os.path.join(FIXTURES, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    subprocess.run(['npx', 'biome', 'format', '--write', os.path.join(FIXTURES, 'expected.json')],
                   cwd=ROOT, check=False)
    for p in (ema_path, nets_path, os.path.join(FIXTURES, 'expected.json')):
        print(f'{os.path.relpath(p, ROOT)}: {os.path.getsize(p) / 1024:.1f} KB')


def load_safetensors(path):
    """A minimal safetensors reader (F32), nested by the first dot as the page writes it."""
    with open(path, 'rb') as f:
        raw = f.read()
    n = int.from_bytes(raw[:8], 'little')
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    out = {}
    for name, info in header.items():
        a, b = info['data_offsets']
        values = np.frombuffer(raw[8 + n + a:8 + n + b], dtype='<f4').copy()
        module, key = name.split('.', 1)
        out.setdefault(module, {})[key] = torch.from_numpy(values).reshape(tuple(info['shape']))
    return out


def verify_export():
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(['npx', 'vite-node', 'scripts/reference/starganv2_export.ts', out], cwd=ROOT, check=True)
        with open(os.path.join(out, 'outputs.json')) as f:
            ours = json.load(f)
        nchw = lambda e: dec(e).permute(0, 3, 1, 2)  # noqa: E731
        x, x_ref, z, y = nchw(ours['x']), nchw(ours['xRef']), dec(ours['z']), torch.tensor(ours['y'])
        worst = 0.0
        for name in ('starganv2.pt', 'starganv2.safetensors'):
            path = os.path.join(out, name)
            # weights_only=True: the dict of OrderedDicts needs no global outside torch's allow-list.
            sd = torch.load(path, weights_only=True) if name.endswith('.pt') else load_safetensors(path)
            assert list(sd.keys()) == list(MODULES), list(sd.keys())
            nets = networks(ours['shape'])
            for m in MODULES:
                nets[m].load_state_dict(sd[m], strict=True)
            got = forward(nets, x, x_ref, z, y)
            names = ('sLatent', 'sRef', 'gLatent', 'gRef')
            errs = [(t.permute(0, 2, 3, 1) if t.dim() == 4 else t) - dec(ours[k]) for t, k in zip(got, names)]
            err = max(e.abs().max().item() for e in errs)
            worst = max(worst, err)
            print(f'{name}: {sum(len(v) for v in sd.values())} keys in {", ".join(sd.keys())}, '
                  f'loaded with strict=True; max |torch - ours| over F, E, G = {err:.2e}')
        if worst > 1e-4:
            sys.exit(f'FAILED: {worst:.2e} > 1e-4')
        print('export verified')


def reference_modules(checkout):
    """clovaai's core/model.py from a checkout; munch, cv2 and skimage (used by its FAN and
    build_model, not by these three networks) are stood in for when not installed."""
    import importlib
    import types
    for name, attrs in (('munch', {'Munch': dict}), ('cv2', {}), ('skimage', {}),
                        ('skimage.filters', {'gaussian': None})):
        try:
            importlib.import_module(name)
        except ImportError:
            sys.modules[name] = types.SimpleNamespace(**attrs)
    sys.path.insert(0, checkout)
    return importlib.import_module('core.model')


def check_reference(checkout):
    model = reference_modules(checkout)
    cases = [  # (label, img_size, w_hpf, num_domains): the published models, and a small size
        ('AFHQ (100000_nets_ema.ckpt, w_hpf 0)', 256, 0, 3),
        ('CelebA-HQ (100000_nets_ema.ckpt, w_hpf 1)', 256, 1, 2),
        ('the reference at 64 px, w_hpf 0', 64, 0, 3),
    ]
    failed = False
    for label, size, w_hpf, domains in cases:
        nets = {
            'generator': model.Generator(size, 64, w_hpf=w_hpf),
            'mapping_network': model.MappingNetwork(16, 64, domains),
            'style_encoder': model.StyleEncoder(size, 64, domains),
        }
        keys = {f'{m}.{k}': list(t.shape) for m, net in nets.items() for k, t in net.state_dict().items()}
        if w_hpf > 0:
            # nets_ema also holds the FAN there; one of its keys stands for it (shapes only).
            keys['fan.conv1.weight'] = [64, 3, 7, 7]
        with tempfile.NamedTemporaryFile('w', suffix='.json') as f:
            json.dump(keys, f)
            f.flush()
            run = subprocess.run(['npx', 'vite-node', 'scripts/reference/starganv2_names.ts', f.name],
                                 cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            failed = True
            print(f'{label}: our reading failed:\n{run.stderr[-2000:]}')
            continue
        ours = json.loads(run.stdout.strip().splitlines()[-1])
        theirs = [[k, s] for k, s in keys.items() if not k.startswith('fan.') and k != 'generator.hpf.filter']
        same = ours['table'] == theirs
        failed |= not same
        print(f'{label}: {len(theirs)} keys, {sum(int(np.prod(s)) for _, s in theirs) / 1e6:.1f} M weights; '
              f'inferred {ours["shape"]}; names, order and shapes {"identical" if same else "DIFFER"}')
        print(f'  the page: {ours["page"]}')
    if failed:
        sys.exit('FAILED')


def full(checkout, out):
    model = reference_modules(checkout)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(31)
    nets = {
        'generator': model.Generator(256, 64, w_hpf=0),
        'mapping_network': model.MappingNetwork(16, 64, 3),
        'style_encoder': model.StyleEncoder(256, 64, 3),
    }
    with torch.no_grad():
        for net in nets.values():
            net.apply(twin.he_init)
            for name, t in net.state_dict().items():
                if name.endswith('.bias') or '.norm' in name or 'to_rgb.0' in name:
                    t.add_(torch.randn_like(t) * 0.1)
    outdict = {m: net.state_dict() for m, net in nets.items()}
    torch.save(outdict, os.path.join(out, '100000_nets_ema.zip.ckpt'))
    torch.save(outdict, os.path.join(out, '100000_nets_ema.ckpt'), _use_new_zipfile_serialization=False)
    torch.manual_seed(32)
    x = torch.rand(1, 3, 256, 256) * 2 - 1
    x_ref = torch.rand(1, 3, 256, 256) * 2 - 1
    z = torch.randn(1, 16)
    y = torch.tensor([1])
    with torch.no_grad():
        s_lat = nets['mapping_network'](z, y)
        s_ref = nets['style_encoder'](x_ref, y)
        g_lat = nets['generator'](x, s_lat)
    nhwc = lambda t: t.permute(0, 2, 3, 1)  # noqa: E731
    with open(os.path.join(out, 'io.json'), 'w') as f:
        json.dump({'x': enc(nhwc(x)), 'xRef': enc(nhwc(x_ref)), 'z': enc(z), 'y': y.tolist(),
                   'sLatent': enc(s_lat), 'sRef': enc(s_ref), 'gLatent': enc(nhwc(g_lat))}, f)
    n = sum(t.numel() for sd in outdict.values() for t in sd.values())
    for name in ('100000_nets_ema.zip.ckpt', '100000_nets_ema.ckpt'):
        print(f'{name}: {os.path.getsize(os.path.join(out, name)) / 1e6:.1f} MB, {n / 1e6:.1f} M weights')


if __name__ == '__main__':
    if '--verify-export' in sys.argv:
        verify_export()
    elif '--full' in sys.argv:
        i = sys.argv.index('--full')
        full(sys.argv[i + 1], sys.argv[i + 2] if len(sys.argv) > i + 2 else '/tmp/starganv2-full')
    elif '--check-reference' in sys.argv:
        check_reference(sys.argv[sys.argv.index('--check-reference') + 1])
    else:
        make_fixtures()
