"""The engine: one rule per law, dispatch by expression type, the walkthrough and its algebraic moves."""
