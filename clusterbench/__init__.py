"""The generator: reads the Quarto project, renders it with Quarto or the wheel-only engine, and publishes editions."""
