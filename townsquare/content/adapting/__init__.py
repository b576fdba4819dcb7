"""The parts of adaptation; `townsquare.content.adapt` is the entry point to use."""
