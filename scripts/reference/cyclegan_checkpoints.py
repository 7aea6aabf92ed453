#!/usr/bin/python3
"""CycleGAN generator checkpoints with junyanz/pytorch-CycleGAN-and-pix2pix's key names, for the
page's PyTorch import and export (issues 13 and 15). Debian's torch 1.13, one thread, seeded:

    nice -n 10 /usr/bin/python3 scripts/reference/cyclegan_checkpoints.py
        # src/families/cyclegan/fixtures/: a small ResnetGenerator (ngf 2, n_blocks 2) saved
        # with torch.save(net.state_dict()) in the zip format and the legacy format, as
        # latest_net_G_A.pth is, and expected.json: its keys, a fixed 16 px input and the
        # twin's output (src/families/cyclegan/torchNames.test.ts)
    nice -n 10 /usr/bin/python3 scripts/reference/cyclegan_checkpoints.py --verify-export
        # npx vite-node scripts/reference/cyclegan_export.ts writes a CycleGAN trained a few
        # steps in TS, its G_AB as a torch zip and safetensors with the reference names, and
        # G_AB's output on a fixed input; each file is loaded into the twin with strict=True
        # and the twin's output compared with ours
    nice -n 10 /usr/bin/python3 scripts/reference/cyclegan_checkpoints.py --full [OUT_DIR]
        # the reference's size, resnet_9blocks at ngf 64 (11.4 M parameters, ~46 MB), random
        # weights, as latest_net_G_A.pth in both formats with a 32 px input and the twin's
        # output, to OUT_DIR (/tmp/cyclegan-full; not committed); then
        # npx vite-node scripts/reference/cyclegan_full_check.ts [OUT_DIR] loads each as the
        # worker does and compares G_AB with the twin

The generator is twin_translation.ResnetGenerator: junyanz's module for module (ReflectionPad2d
layers take Sequential indices too), with norm='instance' as CycleGAN trains it
(InstanceNorm2d(affine=False, track_running_stats=False): no norm keys in the state_dict),
use_dropout False, so its state_dict keys are the reference's: model.1 (k7 stem), model.4 and
model.7 (down-sampling), model.<10+i>.conv_block.1 / .5 (ResnetBlock i), model.<10+n> and
model.<13+n> (ConvTranspose2d), model.<17+n> (k7 head).
"""

import base64
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

import twin_translation as twin
from stargan_checkpoints import dec, load_safetensors

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, 'src', 'families', 'cyclegan', 'fixtures')
NGF, N_BLOCKS, SIZE = 2, 2, 16


def enc(t):
    a = np.ascontiguousarray(t.detach().numpy(), dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


def small_generator():
    torch.manual_seed(15)
    g = twin.ResnetGenerator(3, 3, NGF, N_BLOCKS)
    twin.init_weights(g)
    with torch.no_grad():
        # init_weights leaves every bias at 0 and N(0, 0.02) weights make a near-constant
        # output: wider random values, so a misplaced tensor or a transposed kernel would show.
        for name, t in g.state_dict().items():
            t.copy_(torch.randn_like(t) * (0.3 if name.endswith('.weight') else 0.1))
    return g


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    g = small_generator()
    zip_path = os.path.join(FIXTURES, 'cyclegan_g2.zip.pth')
    legacy_path = os.path.join(FIXTURES, 'cyclegan_g2.legacy.pth')
    torch.save(g.state_dict(), zip_path)
    torch.save(g.state_dict(), legacy_path, _use_new_zipfile_serialization=False)
    torch.manual_seed(16)
    x = torch.rand(2, 3, SIZE, SIZE) * 2 - 1
    with torch.no_grad():
        y = g(x)
    expected = {
        'config': {'ngf': NGF, 'nBlocks': N_BLOCKS, 'imageSize': SIZE},
        'keys': list(g.state_dict().keys()),
        'shapes': [list(t.shape) for t in g.state_dict().values()],
        'x': enc(x.permute(0, 2, 3, 1)),
        'y': enc(y.permute(0, 2, 3, 1)),
    }
    with open(os.path.join(FIXTURES, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    subprocess.run(['npx', 'biome', 'format', '--write', os.path.join(FIXTURES, 'expected.json')],
                   cwd=ROOT, check=False)
    for p in (zip_path, legacy_path, os.path.join(FIXTURES, 'expected.json')):
        print(f'{os.path.relpath(p, ROOT)}: {os.path.getsize(p) / 1024:.1f} KB')
    print(f'{len(expected["keys"])} keys:', ', '.join(expected['keys']))


def verify_export():
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(['npx', 'vite-node', 'scripts/reference/cyclegan_export.ts', out], cwd=ROOT, check=True)
        with open(os.path.join(out, 'outputs.json')) as f:
            ours = json.load(f)
        cfg = ours['config']
        x = dec(ours['x']).permute(0, 3, 1, 2)
        worst = 0.0
        for name in ('latest_net_G_A.pth', 'latest_net_G_A.safetensors'):
            path = os.path.join(out, name)
            sd = torch.load(path) if name.endswith('.pth') else load_safetensors(path)
            g = twin.ResnetGenerator(3, 3, cfg['ngf'], cfg['nBlocks'])
            g.load_state_dict(sd, strict=True)
            with torch.no_grad():
                y = g(x).permute(0, 2, 3, 1)
            err = (y - dec(ours['y'])).abs().max().item()
            worst = max(worst, err)
            print(f'{name}: {len(sd)} keys, loaded with strict=True; max |G_torch - G_ours| = {err:.2e}')
        if worst > 1e-4:
            sys.exit(f'FAILED: {worst:.2e} > 1e-4')
        print('export verified')


def full(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(200)
    g = twin.ResnetGenerator(3, 3, 64, 9)
    twin.init_weights(g)
    with torch.no_grad():
        for name, t in g.state_dict().items():
            if name.endswith('.bias'):
                t.copy_(torch.randn_like(t) * 0.05)
    torch.save(g.state_dict(), os.path.join(out, 'latest_net_G_A.pth'))
    torch.save(g.state_dict(), os.path.join(out, 'latest_net_G_A.legacy.pth'),
               _use_new_zipfile_serialization=False)
    torch.manual_seed(201)
    x = torch.rand(1, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        y = g(x)
    with open(os.path.join(out, 'io.json'), 'w') as f:
        json.dump({'x': enc(x.permute(0, 2, 3, 1)), 'y': enc(y.permute(0, 2, 3, 1))}, f)
    n = sum(t.numel() for t in g.state_dict().values())
    print(f'{n / 1e6:.2f} M parameters, {len(g.state_dict())} tensors, written to {out}')


if __name__ == '__main__':
    if '--full' in sys.argv:
        rest = sys.argv[sys.argv.index('--full') + 1:]
        full(rest[0] if rest else '/tmp/cyclegan-full')
    elif '--verify-export' in sys.argv:
        verify_export()
    else:
        main()
