# The kata's pytest plugin: which implementation is under test, the shared fixtures.
pytest_plugins = ["bertkata.plugin"]
