"""What the train_*.py scripts share (issue 13, part 3): the toy faces dumped by
scripts/trained/export-data.ts, and writing a twin's weights under our names and layouts
(make_fixtures.py's map, which the parity tests prove) for scripts/trained/make-bundles.ts.

Weights file: <name>.weights.json ({"weights": [{"name", "shape"}], "config": {...},
"training": {...}}) and <name>.weights.bin (float32, little-endian, in that order).
"""

import json
import os
import time

import numpy as np
import torch

import make_fixtures  # noqa: E402  (sets float64 as the default dtype: put float32 back)

torch.set_default_dtype(torch.float32)

DATA_DIR = os.environ.get('DATA', '/tmp/gan-trained')
Network = make_fixtures.Network


def load_faces(size=32):
    """The dumped faces as NCHW float32 in [-1, 1] and their 5 labels."""
    with open(os.path.join(DATA_DIR, f'faces{size}.json')) as f:
        meta = json.load(f)
    n = meta['count']
    images = np.fromfile(os.path.join(DATA_DIR, f'faces{size}.f32'), dtype='<f4')
    labels = np.fromfile(os.path.join(DATA_DIR, f'faces{size}.labels.f32'), dtype='<f4')
    x = torch.from_numpy(images.reshape(n, size, size, 3)).permute(0, 3, 1, 2).contiguous()
    return x, torch.from_numpy(labels.reshape(n, -1).copy()), meta


def random_flip(x, generator):
    """Horizontal flip of each image with probability 1/2 (the reference's RandomHorizontalFlip)."""
    flip = torch.rand(x.size(0), generator=generator) < 0.5
    return torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)


def write_weights(name, networks, config, training):
    """Writes the networks' variables under our names, in TF.js layouts, as float32."""
    state = make_fixtures.full_state(*networks)
    specs = [{'name': k, 'shape': list(v.shape)} for k, v in state.items()]
    blob = b''.join(np.ascontiguousarray(v, dtype='<f4').tobytes() for v in state.values())
    with open(os.path.join(DATA_DIR, f'{name}.weights.bin'), 'wb') as f:
        f.write(blob)
    with open(os.path.join(DATA_DIR, f'{name}.weights.json'), 'w') as f:
        json.dump({'weights': specs, 'config': config, 'training': training}, f, indent=1)
    print(f'wrote {name}.weights.* ({len(blob) / 1e6:.2f} MB)', flush=True)


class Clock:
    def __init__(self):
        self.start = time.time()

    def seconds(self):
        return round(time.time() - self.start)
