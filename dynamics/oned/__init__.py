"""The 1-D theory: densities from a spec language, divergences, the optimal discriminator and C(G),
saturating vs non-saturating generator losses, Lipschitz critics (WGAN, LS-GAN), and their figures."""
