"""Evaluation samples: fixed noise, and BatchNorm's running statistics (eval mode), as PacGAN's code samples."""

import torch

from models import nets
from models.evaluate import generate


def test_generate_samples_in_eval_mode_on_its_own_seeded_noise_and_restores_training_mode():
    torch.manual_seed(0)
    G = nets.ToyGenerator(2, nz=2, width=16)
    with torch.no_grad():
        for _ in range(5):  # running statistics that differ from any one batch's
            G(torch.randn(10, 2) * 3 + 1)
    x, y = generate(G, 40, 2, "cpu", seed=11, batch=15)
    assert G.training and y is None and x.shape == (40, 2)
    z = torch.randn(40, 2, generator=torch.Generator().manual_seed(11))
    G.eval()
    with torch.no_grad():
        expected = G(z)
        batch_stats = G.train()(z)
    torch.testing.assert_close(x, expected)
    assert not torch.allclose(x, batch_stats, atol=1e-3)  # the batch statistics would give other samples
