"""The Okabe–Ito colour-blind-safe palette, shared by every figure of the CLIs and the app."""

BLUE, ORANGE, VERMILLION, GREEN, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
