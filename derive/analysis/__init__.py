"""What derive says beside the steps: properties, f' in terms of f, compiled numerics, NumPy code."""
