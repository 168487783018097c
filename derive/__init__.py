"""derive: step-by-step derivatives, proved correct at every step."""

__version__ = "0.1.0"
