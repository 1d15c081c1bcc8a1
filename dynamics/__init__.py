"""The maths of the lab: the Dirac-GAN (`dynamics.dirac`) and the 1-D theory (`dynamics.oned`); the modules at
this level are the command-line tools over them and what library code shares (`contracts`, `palette`)."""
