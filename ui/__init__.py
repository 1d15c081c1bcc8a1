"""What the app's pages share: the page table and router, URL-bound controls, figure export, lab exercises,
live training sessions, run directories, and the Dirac-GAN and 1-D density controls."""
