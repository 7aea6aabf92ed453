#!/usr/bin/python3
"""A full-size yunjey/stargan CelebA generator (128 px, conv_dim 64, c_dim 5, repeat_num 6)
with random weights, saved by the twin as the official 200000-G.ckpt is (torch.save's legacy
format), with one fixed 128 px input and the twin's output on it. Not committed (~34 MB):

    /usr/bin/python3 scripts/reference/stargan_full_checkpoint.py [OUT_DIR=/tmp/stargan-full]
    npx vite-node scripts/reference/stargan_full_check.ts [OUT_DIR]
        # loads it as the page does (format detection, the name map, a generator-only 128 px
        # StarGAN experiment), prints load time and memory, runs G and compares with the twin
"""

import base64
import json
import os
import sys
import time

import numpy as np
import torch

import twins

torch.set_num_threads(1)
out = sys.argv[1] if len(sys.argv) > 1 else '/tmp/stargan-full'
os.makedirs(out, exist_ok=True)
torch.manual_seed(200000)
G = twins.StarGenerator(64, 5, 6)
with torch.no_grad():
    for name, t in G.state_dict().items():
        if t.dtype == torch.float32 and (name.endswith('.bias') or 'running' in name):
            t.copy_(torch.randn_like(t) * 0.1 + (1.0 if 'var' in name else 0.0))
path = os.path.join(out, '200000-G.ckpt')
torch.save(G.state_dict(), path, _use_new_zipfile_serialization=False)
torch.save(G.state_dict(), os.path.join(out, '200000-G.zip.pt'))
x = torch.rand(1, 3, 128, 128) * 2 - 1
c = torch.tensor([[0.0, 1.0, 0.0, 1.0, 1.0]])
started = time.time()
with torch.no_grad():
    y = G(x, c)
print(f'twin forward at 128 px: {time.time() - started:.2f} s')


def enc(t):
    a = np.ascontiguousarray(t.permute(0, 2, 3, 1).numpy() if t.dim() == 4 else t.numpy(), dtype='<f4')
    return {'shape': list(a.shape), 'b64': base64.b64encode(a.tobytes()).decode('ascii')}


with open(os.path.join(out, 'io.json'), 'w') as f:
    json.dump({'x': enc(x), 'c': enc(c), 'y': enc(y)}, f)
print(f'{path}: {os.path.getsize(path) / 1e6:.1f} MB, {sum(p.numel() for p in G.parameters())} parameters')
