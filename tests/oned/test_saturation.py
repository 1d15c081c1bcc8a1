import numpy as np
import pytest
from scipy import special

from dynamics.oned.saturation import expected_loss, generator_gradients, loss_curves, score
from dynamics.oned.specs import parse


def test_loss_curves_closed_forms_and_derivatives():
    d = np.array([0.01, 0.2, 0.5, 0.9])
    c = loss_curves(d)
    np.testing.assert_allclose(c["loss_sat"], np.log(1 - d))
    np.testing.assert_allclose(c["loss_ns"], -np.log(d))
    h = 1e-6
    for kind in ("sat", "ns"):
        fd = (loss_curves(d + h)[f"loss_{kind}"] - loss_curves(d - h)[f"loss_{kind}"]) / (2 * h)
        np.testing.assert_allclose(c[f"dloss_dd_{kind}"], fd, rtol=1e-6)
        t = special.logit(d)
        through_logit = (
            loss_curves(special.expit(t + h))[f"loss_{kind}"] - loss_curves(special.expit(t - h))[f"loss_{kind}"]
        )
        np.testing.assert_allclose(c[f"dloss_dlogit_{kind}"], through_logit / (2 * h), rtol=1e-6)
    # early in training (D(G(z)) → 0) the saturating gradient through the logit vanishes, the other does not
    early = loss_curves(np.array([1e-4]))
    assert abs(early["dloss_dlogit_sat"][0]) < 1e-3 < 0.99 < abs(early["dloss_dlogit_ns"][0])


def test_score_of_normal_and_laplace():
    x = np.array([-1.0, 0.3, 2.0])
    np.testing.assert_allclose(score(parse("normal(1, 2)"), x), -(x - 1) / 4, rtol=1e-8)
    np.testing.assert_allclose(score(parse("laplace(0, 0.5)"), x), -np.sign(x) / 0.5, rtol=1e-8)


@pytest.mark.parametrize("param", ["shift", "scale"])
@pytest.mark.parametrize("lam", [0.3, 1.0])
def test_pathwise_gradient_matches_finite_difference(param, lam):
    data, gen = parse("normal(0, 1)"), parse("normal(2, 0.7)")
    g = generator_gradients(data, gen, [lam], param)
    h = 1e-4
    plus, minus = expected_loss(data, gen, lam, h, param), expected_loss(data, gen, lam, -h, param)
    fd_sat, fd_ns = (plus[0] - minus[0]) / (2 * h), (plus[1] - minus[1]) / (2 * h)
    assert g["grad_sat"][0] == pytest.approx(abs(fd_sat), rel=1e-5)
    assert g["grad_ns"][0] == pytest.approx(abs(fd_ns), rel=1e-5)


def test_non_saturating_gives_more_gradient_when_d_is_confident():
    g = generator_gradients(parse("normal(0, 1)"), parse("normal(4, 0.5)"), np.linspace(0, 1, 11))
    assert g["grad_sat"][0] == 0 and g["grad_ns"][0] == 0
    early = g["mean_d_g"] < 0.2
    assert early.sum() >= 8
    assert np.all(g["grad_ns"][early] > 4 * g["grad_sat"][early])
    assert g["grad_ns"][-1] > 90 * g["grad_sat"][-1]
    # at D = D*, E_g[(1 − D)·t'] ≈ E_g[score_data − score_g] = E_g[−x] = −4
    assert g["grad_ns"][-1] == pytest.approx(4, rel=0.02)


def test_no_gradient_when_equal_or_disjoint():
    same = generator_gradients(parse("normal(1, 2)"), parse("normal(1, 2)"), [0.5, 1.0])
    np.testing.assert_allclose(same["grad_sat"], 0, atol=1e-9)
    np.testing.assert_allclose(same["mean_d_g"], 0.5, atol=1e-9)
    apart = generator_gradients(parse("uniform(0, 1)"), parse("uniform(3, 4)"), [0.5, 1.0])
    np.testing.assert_allclose(apart["grad_sat"], 0)
    np.testing.assert_allclose(apart["grad_ns"], 0)
    np.testing.assert_allclose(apart["mean_d_g"], 0)
