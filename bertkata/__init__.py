"""Support package for bert-kata: model source, pytest plugin, CLI, progress report."""

__version__ = "0.1.0"
