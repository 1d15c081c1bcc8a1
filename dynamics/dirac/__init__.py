"""The Dirac-GAN (data δ₀, G = θ, D(x) = ψ·x): objectives defined once in sympy, their field, Jacobian and
eigenvalues, optimizers and update operators, trajectories, and the figures (docs/conventions.md)."""
