"""The callback policy engine's pure rules: no I/O, no clock reads, no unseeded randomness."""
